"""Designers' drafts: saved, read back, overwritten, listed and discarded; never deployed."""
import pytest
from sqlalchemy import select

from engine.errors import InvalidInput, NotFound
from engine.models import AuditEvent, ProcessVersion
from engine.workflow import drafts, versions
from tests.factories import DATA

V1 = (DATA / "migration_v1.bpmn").read_text(encoding="utf-8")
V2 = (DATA / "migration_v2.bpmn").read_text(encoding="utf-8")


def test_round_trip_overwrite_and_discard(session, people):
    designer = people["admin"].id
    [v1] = versions.deploy(session, {"review.bpmn": V1})
    saved = drafts.save(session, "review_loop", {"review.bpmn": V2}, designer, v1.id)
    again = drafts.get(session, saved.id)
    assert again.files == {"review.bpmn": V2}
    assert (again.key, again.base_version, again.author) == ("review_loop", 1, "admin")

    drafts.save(session, "review_loop", {"review.bpmn": V1}, designer, draft_id=saved.id)
    assert drafts.get(session, saved.id).files == {"review.bpmn": V1}
    assert [d.id for d in drafts.list_drafts(session, "review_loop")] == [saved.id]
    assert drafts.list_drafts(session, "other") == []

    drafts.discard(session, saved.id, designer)
    with pytest.raises(NotFound):
        drafts.get(session, saved.id)
    assert session.scalar(select(ProcessVersion.id).where(ProcessVersion.number == 2)) is None
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["save_draft", "save_draft", "discard_draft"]


@pytest.mark.parametrize("files", [{}, {"notes.txt": "x"}, {"../x.bpmn": "x"}])
def test_only_bpmn_and_dmn_files_are_kept(session, files):
    with pytest.raises(InvalidInput) as caught:
        drafts.save(session, "review_loop", files, None)
    assert "files" in caught.value.fields
