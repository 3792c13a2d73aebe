"""Users and the institutions they belong to."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow

ACTIVE, DISQUALIFIED, DISABLED = "active", "disqualified", "disabled"


class Institution(Base):
    """A resident law firm or legal-service institution (驻场机构)."""

    __tablename__ = "institution"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list["User"]] = relationship(back_populates="institution")


class User(Base):
    """Anyone who logs in; `role` is one of engine.roles.ROLES."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    display_name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20), index=True)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    # Comma-free list of category keys the lawyer/expert answers (e.g. ["labor", "family"]).
    categories: Mapped[list] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE, index=True)
    # Set when an administrator hands out a generated one-time password: changed at next login.
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution | None] = relationship(back_populates="members")


WEB, API = "web", "api"


class LoginSession(Base):
    """One login: a browser session or an API token. Its random id travels inside the signed
    cookie or token; the row is what makes logout, disabling and password resets end it on
    the server at once (a copied cookie or token is refused once its row is revoked)."""

    __tablename__ = "login_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # WEB or API
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
