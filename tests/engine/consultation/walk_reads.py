"""What the invariant walker reads of the world between steps: the ready tasks, who would
act on one, what a refused use case must leave as it was, the lawyers, the open
consultations. Reads the preconditions repeat are made once per step (`cache`, emptied by
the walker after each step)."""
from hypothesis import strategies as st
from sqlalchemy import func, select

from engine.models import ACTIVE, Answer, HumanTask, ProcessInstance, User
from engine.uow import read_only


class WalkReads:
    """Mixed into the walker, which sets `Session` and empties `cache` after every step."""

    Session = None
    cache: dict

    def _cached(self, key, read):
        """Reads the preconditions repeat between two steps, made once per step."""
        if key not in self.cache:
            self.cache[key] = read()
        return self.cache[key]

    def ready(self, queued: bool | None = False) -> list[HumanTask]:
        return self._cached(("ready", queued), lambda: self._ready(queued))

    def _ready(self, queued: bool | None) -> list[HumanTask]:
        with self.Session() as s, read_only(s):
            # Task ids are random: order by what a replay reproduces.
            query = (select(HumanTask).where(HumanTask.state == "ready")
                     .order_by(HumanTask.instance_id, HumanTask.bpmn_id, HumanTask.id))
            if queued is not None:
                query = query.where(HumanTask.reassign_from.is_not(None) if queued
                                    else HumanTask.reassign_from.is_(None))
            return list(s.scalars(query))

    def holder(self, h: HumanTask, draw) -> User | None:
        """Who would act on the task: its assignee, its claimant, or someone of its role."""
        with self.Session() as s, read_only(s):
            if h.assignee_id or h.claimed_by:
                return s.get(User, h.assignee_id or h.claimed_by)
            query = select(User).where(User.role == h.role, User.status == ACTIVE)
            if h.institution_id is not None:
                query = query.where(User.institution_id == h.institution_id)
            pool = list(s.scalars(query.order_by(User.id)))
        return draw(st.sampled_from(pool)) if pool else None

    def footprint(self, h: HumanTask) -> tuple:
        """What a refused use case must leave as it was."""
        with self.Session() as s, read_only(s):
            row = s.get(HumanTask, h.id)
            revision = s.scalar(select(ProcessInstance.revision)
                                .where(ProcessInstance.id == h.instance_id))
            answers = s.scalar(select(func.count()).select_from(Answer))
            return (row.state, row.assignee_id, row.claimed_by, revision, answers)

    def _lawyers(self, status: str) -> list[int]:
        return self._cached(("lawyers", status), lambda: self._read_lawyers(status))

    def _read_lawyers(self, status: str) -> list[int]:
        with self.Session() as s, read_only(s):
            return list(s.scalars(select(User.id).where(User.role == "lawyer",
                                                        User.status == status)
                                  .order_by(User.id)))

    def _open(self) -> int:
        return self._cached("open", self._count_open)

    def _count_open(self) -> int:
        with self.Session() as s, read_only(s):
            return s.scalar(select(func.count()).select_from(ProcessInstance).where(
                ProcessInstance.status == "running", ProcessInstance.process_key == "consultation"))
