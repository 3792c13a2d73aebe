"""The audit trail through `flask --app web audit ...` on the real app: a keyed chain that a
database user cannot recompute, anchors outside the database that reveal deleted newest rows,
and the anchors the worker writes."""
import hashlib
import hmac
import json
from datetime import UTC

import pytest
from sqlalchemy import select, text, update

from engine.audit import DEV_KEY
from engine.models import AuditEvent
from web.extensions import db

_FIELDS = ("action", "actor_id", "instance_id", "task_id", "task_key", "business_key", "data")


@pytest.fixture
def trail(app, demo):
    """Two consultations submitted and one answered: a few dozen real audit rows."""
    first = demo.submit()
    demo.submit("citizen_ma", title="房屋租赁押金不退", category="property")
    demo.answer(first)
    return app


def audit_rows(app) -> list:
    with app.app_context():
        table = AuditEvent.__table__
        rows = db.session.execute(select(table).order_by(table.c.id)).all()
        db.session.rollback()
        return rows


def forged(prev: str, row, data: dict, key: bytes | None) -> str:
    """What someone with database access but without AUDIT_KEY computes: the unkeyed hash the
    chain used to have, or an HMAC under the development key printed in the source."""
    payload = {k: getattr(row, k) for k in _FIELDS}
    payload["data"] = data
    payload["at"] = row.at.astimezone(UTC).isoformat(timespec="microseconds")
    body = (prev + json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)).encode()
    if key is None:
        return hashlib.sha256(body).hexdigest()
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def rewrite_from(app, target_id: int, key: bytes | None) -> None:
    """Change one row's data and recompute the chain from it to the end, as an attacker would."""
    rows = audit_rows(app)
    prev = ""
    with app.app_context():
        for row in rows:
            data = {**row.data, "answer_text": "改过的答复"} if row.id == target_id else row.data
            if row.id >= target_id:
                digest = forged(prev, row, data, key)
                db.session.execute(update(AuditEvent.__table__)
                                   .where(AuditEvent.__table__.c.id == row.id)
                                   .values(data=data, prev_hash=prev, hash=digest))
                prev = digest
            else:
                prev = row.hash
        db.session.commit()


def delete_newest(app, count: int) -> list[int]:
    ids = [r.id for r in audit_rows(app)][-count:]
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_event WHERE id >= :id"), {"id": ids[0]})
        db.session.commit()
    return ids


def test_a_clean_chain_passes(trail, runner):
    rows = audit_rows(trail)
    result = runner.invoke(args=["audit", "verify"])
    assert (result.exit_code, result.output.strip()) == (0, f"audit chain ok: {len(rows)} rows")


@pytest.mark.parametrize("key", [None, DEV_KEY], ids=["unkeyed", "development-key"])
def test_a_rewritten_row_with_a_recomputed_chain_is_named(trail, runner, key):
    rows = audit_rows(trail)
    target = rows[len(rows) // 2].id
    rewrite_from(trail, target, key)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit chain broken at row {target}: content does not match its hash" in result.output


def test_deleting_the_newest_rows_is_found_against_the_anchor(trail, runner, tmp_path, demo):
    anchors = tmp_path / "audit-anchors.jsonl"
    made = runner.invoke(args=["audit", "anchor", "--file", str(anchors)])
    head = audit_rows(trail)[-1].id
    assert made.exit_code == 0 and made.output.startswith(f"anchored row {head} at ")
    line = json.loads(anchors.read_text().splitlines()[-1])
    assert (line["id"], set(line)) == (head, {"id", "hmac", "time"})
    checked = runner.invoke(args=["audit", "verify", "--anchor", str(anchors)])
    assert checked.exit_code == 0 and "; 1 anchors match" in checked.output

    deleted = delete_newest(trail, 3)
    shorter = runner.invoke(args=["audit", "verify"])
    assert shorter.exit_code == 0  # a shorter chain is still a valid chain ...
    result = runner.invoke(args=["audit", "verify", "--anchor", str(anchors)])
    assert result.exit_code == 1  # ... but not the one that was anchored
    assert (f"audit chain broken at row {head}: anchored at {line['time']}, but the chain now "
            f"ends at row {deleted[0] - 1}: the newest rows were deleted") in result.output

    demo.submit("citizen_ma", title="新的咨询")  # the service goes on and the chain grows again
    assert audit_rows(trail)[-1].id > head
    result = runner.invoke(args=["audit", "verify", "--anchor", str(anchors)])
    assert result.exit_code == 1 and f"audit chain broken at row {head}: " in result.output


def test_a_damaged_anchor_file_is_an_error(trail, runner, tmp_path):
    bad = tmp_path / "anchors.jsonl"
    bad.write_text('{"id": 1, "hmac": "x", "time": "t"}\nnot json\n')
    result = runner.invoke(args=["audit", "verify", "--anchor", str(bad)])
    assert result.exit_code == 1 and f"{bad}:2: not an anchor line" in result.output
    no_file = runner.invoke(args=["audit", "anchor"])
    assert no_file.exit_code == 2 and "AUDIT_ANCHOR_FILE" in no_file.output


def test_the_worker_writes_anchors_to_the_configured_file(trail, runner, tmp_path):
    anchors = tmp_path / "worker-anchors.jsonl"
    trail.config.update(AUDIT_ANCHOR_FILE=str(anchors), SMTP_HOST="")
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0
    [line] = anchors.read_text().splitlines()
    assert json.loads(line)["id"] == audit_rows(trail)[-1].id
    result = runner.invoke(args=["audit", "verify", "--anchor", str(anchors)])
    assert result.exit_code == 0 and "; 1 anchors match" in result.output


def test_only_the_keys_holder_could_recompute_the_chain(trail, runner):
    """The same rewrite under the real AUDIT_KEY verifies: the key is what the check rests on,
    which is why it is kept out of the database."""
    rows = audit_rows(trail)
    rewrite_from(trail, rows[len(rows) // 2].id, trail.config["AUDIT_KEY"].encode())
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0


def test_a_log_from_before_the_key_is_resealed_once_and_only_if_intact(trail, runner):
    """An upgrade: rows chained by the old unkeyed hash are re-chained under AUDIT_KEY, but
    only when the old chain is intact; a tampered one is refused, never laundered."""
    rows = audit_rows(trail)
    rewrite_from(trail, rows[0].id, None)  # the whole log as the unkeyed version wrote it
    assert runner.invoke(args=["audit", "verify"]).exit_code == 1
    resealed = runner.invoke(args=["audit", "reseal"])
    assert (resealed.exit_code, resealed.output.strip()) == (
        0, f"resealed {len(rows)} audit rows under AUDIT_KEY")
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    again = runner.invoke(args=["audit", "reseal"])
    assert again.exit_code == 1 and "already verifies under this key" in again.output

    assert runner.invoke(args=["audit", "protect", "--remove"]).exit_code == 0  # reseal set it
    rewrite_from(trail, rows[0].id, None)
    with trail.app_context():
        db.session.execute(update(AuditEvent.__table__).where(
            AuditEvent.__table__.c.id == rows[2].id).values(action="tampered"))
        db.session.commit()
    refused = runner.invoke(args=["audit", "reseal"])
    assert refused.exit_code == 1
    assert f"the unkeyed chain is broken at row {rows[2].id}" in refused.output


def test_audit_settings_arrive_from_the_environment(app_config, monkeypatch, tmp_path):
    from datetime import timedelta

    from engine.audit import key_of
    from web import create_app, worker_cli

    monkeypatch.setenv("AUDIT_KEY", "e" * 40)
    monkeypatch.setenv("AUDIT_ANCHOR_FILE", str(tmp_path / "anchors.jsonl"))
    monkeypatch.setenv("AUDIT_ANCHOR_MINUTES", "3")
    app = create_app(app_config)
    with app.app_context():
        assert key_of(db.session) == b"e" * 40  # the key the chain is written with
        db.session.rollback()
        db.engine.dispose()
    schedule = worker_cli.anchor_schedule(app.config)
    assert (schedule.path, schedule.every) == (str(tmp_path / "anchors.jsonl"),
                                               timedelta(minutes=3))
    monkeypatch.delenv("AUDIT_KEY")
    derived = create_app(app_config).config["AUDIT_KEY"]  # outside production: from SECRET_KEY
    assert len(derived) == 64 and derived != create_app(
        {**app_config, "SECRET_KEY": "another"}).config["AUDIT_KEY"]
