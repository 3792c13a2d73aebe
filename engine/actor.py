"""Who is acting: plain data handed in by the web layer, the CLI or the worker."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int | None
    role: str
    institution_id: int | None = None
    username: str = ""
    status: str = "active"  # the person's standing when the actor was made (see policy)

    @classmethod
    def system(cls) -> "Actor":
        """The timer worker and engine-internal steps."""
        return cls(id=None, role="system", username="system")

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(id=user.id, role=user.role, institution_id=user.institution_id,
                   username=user.username, status=user.status)
