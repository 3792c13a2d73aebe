"""Assignment helpers: picking and assigning lawyers, checking delegates and assignees."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.models import Consultation, Notification, User
from engine.uow import transaction
from engine.workflow.script_helpers import ScriptContext, bind
from tests.factories import add_consultation, give_open_tasks, notes


def test_find_lawyer_prefers_category_then_id(run, world, case):
    assert run("find_lawyer", case.id, "labor", []) == world.id("wang")
    assert run("find_lawyer", case.id, "property", None) == world.id("sun")


def test_find_lawyer_prefers_least_open_work(session, run, world, case):
    give_open_tasks(session, world.id("wang"), 2)
    assert run("find_lawyer", case.id, "labor", []) == world.id("zhao")


def test_find_lawyer_never_picks_disqualified_or_inactive_institution(session, run, world):
    # Only the disqualified lawyer and one of a withdrawn institution know criminal law:
    # the pick falls back to any active lawyer rather than to them.
    case = add_consultation(session, world, category="criminal")
    picked = run("find_lawyer", case.id, "criminal", [])
    assert picked == world.id("wang")
    assert picked not in (world.id("qian"), world.id("zhou"))


def test_find_lawyer_excludes_given_and_previous_answerers(session, run, world, case):
    assert run("find_lawyer", case.id, "labor", [world.id("wang")]) == world.id("zhao")
    assert run("find_lawyer", case.id, "labor", str(world.id("wang"))) == world.id("zhao")
    run("publish_answer", case.id, "answer", "第一次答复", world.id("wang"), None,
        world.id("wang"))
    run("record_breach", case.id, "answer", world.id("zhao"))
    assert run("find_lawyer", case.id, "labor", []) == world.id("li")


def test_find_lawyer_is_none_when_nobody_qualifies(session, run, world, case):
    # The diagram then hands the choice to a duty officer.
    everyone = [world.id(n) for n in ("wang", "li", "zhao", "sun")]
    assert run("find_lawyer", case.id, "labor", everyone) is None


def test_assign_lawyer_records_and_leaves_the_notice_to_the_task(session, run, world, case):
    assert run("assign_lawyer", case.id, world.id("zhao")) == world.id("zhao")
    session.refresh(case)
    assert (case.lawyer_id, case.status) == (world.id("zhao"), "assigned")
    assert case.notified_at is not None
    # The lawyer is told when the answer task becomes theirs (test_task_notices), once.
    assert notes(session, world.id("zhao")) == []


def test_assign_lawyer_refuses_a_disqualified_lawyer(session, run, world, case):
    with pytest.raises(InvalidInput) as err:
        run("assign_lawyer", case.id, world.id("qian"))
    assert "next_lawyer_id" in err.value.fields
    session.refresh(case)
    assert case.lawyer_id is None and notes(session, world.id("qian")) == []


@pytest.mark.parametrize("delegate", ["chen", "li"])
def test_check_delegate_accepts_a_colleague(run, world, delegate):
    assert run("check_delegate", world.id("wang"), world.id(delegate)) == world.id(delegate)
    assert run("check_delegate", world.id("wang"), str(world.id(delegate))) == world.id(delegate)


@pytest.mark.parametrize("delegate,message", [
    ("liu", "只能委托本机构的同事"),     # another institution's staff
    ("zhao", "只能委托本机构的同事"),    # another institution's lawyer
    ("wu", "只能委托本机构的同事"),      # a disabled colleague
    ("qian", "只能委托本机构的同事"),    # a disqualified colleague
    ("duty1", "只能委托本机构的同事"),   # not institution staff at all
    ("wang", "不能委托给自己"),
])
def test_check_delegate_refuses(run, world, delegate, message):
    with pytest.raises(InvalidInput) as err:
        run("check_delegate", world.id("wang"), world.id(delegate))
    assert err.value.fields == {"delegate_to": [message]}


def test_check_delegate_refuses_empty(run, world):
    with pytest.raises(InvalidInput) as err:
        run("check_delegate", world.id("wang"), "")
    assert list(err.value.fields) == ["delegate_to"]


def test_institution_of(run, world):
    assert run("institution_of", world.id("chen")) == world.institutions["east"]
    assert run("institution_of", world.id("duty1")) is None
    assert run("institution_of", None) is None


def test_a_helper_error_rolls_back_everything(session, run, world, case):
    with pytest.raises(InvalidInput):
        ctx = ScriptContext(session, SimpleNamespace(id=None, version_id=None), world["duty1"])
        with transaction(session):
            bind(ctx)["assign_lawyer"](case.id, world.id("zhao"))
            bind(ctx)["assign_lawyer"](case.id, world.id("qian"))
    assert session.get(Consultation, case.id).lawyer_id is None
    assert session.scalars(select(Notification)).all() == []
    assert session.get(User, world.id("zhao")).status == "active"


def test_check_assignee(run, world):
    assert run("check_assignee", None, "lawyer", [], "next_lawyer_id") is None
    assert run("check_assignee", world.id("zhao"), "lawyer", [], "f") == world.id("zhao")
    assert run("check_assignee", world.id("expert1"), "expert", [], "expert_id") == world.id(
        "expert1")
    for who, role, exclude in [("qian", "lawyer", []), ("zhou", "lawyer", []),
                               ("zhao", "lawyer", [world.id("zhao")]), ("wang", "expert", [])]:
        with pytest.raises(InvalidInput) as err:
            run("check_assignee", world.id(who), role, exclude, "next_lawyer_id")
        assert list(err.value.fields) == ["next_lawyer_id"]
