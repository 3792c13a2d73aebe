"""Submitting, reading and listing consultations (with a stand-in consultation diagram)."""
import re

import pytest
from sqlalchemy import select

from engine.consultation import cases as consultations
from engine.errors import InvalidFormData, InvalidInput, NotAllowed, NotFound
from engine.models import Consultation, ProcessInstance, User
from engine.workflow import tasks, versions
from tests.factories import DATA, PROCESSES, QUESTION

# The stand-in diagram asks the real diagram's questions: its start form is copied over.
REAL_FORM = re.search(r'<bpmn:startEvent id="start".*?(<bpmn:extensionElements>.*?'
                      r'</bpmn:extensionElements>)', (PROCESSES / "consultation.bpmn").read_text(
                          encoding="utf-8"), re.S).group(1)
START = '<bpmn:startEvent id="start" name="提交咨询">'
STUB = (DATA / "consultation_stub.bpmn").read_text(encoding="utf-8").replace(
    START, START + REAL_FORM)
START_FORM = """<bpmn:startEvent id="start" name="提交咨询">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="title" label="标题" type="string">
            <camunda:validation><camunda:constraint name="required" />
              <camunda:constraint name="maxlength" config="10" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="question" label="问题" type="string">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
          <camunda:formField id="category" label="类别" type="enum">
            <camunda:value id="labor" name="劳动争议" />
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>"""


@pytest.fixture(autouse=True)
def stub(session):
    """A stand-in consultation diagram deployed (assigns the answer to wang)."""
    versions.deploy(session, {"consultation.bpmn": STUB})


def answer(session, world, consultation_id, text="可以申请劳动仲裁。"):
    [task] = tasks.tasks_for_user(session, world["wang"])
    assert task.business_key == str(consultation_id)
    tasks.complete(session, task.id, world["wang"], {"answer_text": text})


def test_submit_stores_and_starts_in_one_go(session, world):
    info = consultations.submit(session, world["citizen1"], QUESTION)
    row = session.get(Consultation, info.id)
    assert (row.citizen_id, row.title, row.category, row.contact_phone) == (
        world.id("citizen1"), QUESTION["title"], "labor", QUESTION["contact_phone"])
    instance = session.get(ProcessInstance, row.instance_id)
    assert instance.business_key == str(row.id) and instance.process_key == "consultation"
    assert info.status == row.status == "assigned" and row.lawyer_id == world.id("wang")
    [task] = tasks.tasks_for_user(session, world["wang"])
    assert task.key == "answer_consultation"


@pytest.mark.parametrize("change,field", [
    ({"title": ""}, "title"), ({"title": "长" * 201}, "title"),
    ({"question": "问" * 5001}, "question"), ({"category": "astrology"}, "category"),
    ({"case_status": "pending"}, "case_status"), ({"contact_phone": "1234"}, "contact_phone"),
    ({"contact_phone": ""}, "contact_phone"), ({"district": "区" * 51}, "district"),
])
def test_submit_validates_and_stores_nothing(session, world, change, field):
    with pytest.raises(InvalidFormData) as err:
        consultations.submit(session, world["citizen1"], {**QUESTION, **change})
    assert field in err.value.fields
    assert session.scalars(select(Consultation)).all() == []
    assert session.scalars(select(ProcessInstance)).all() == []


def test_submit_uses_the_start_event_form_when_the_diagram_has_one(session, world):
    versions.deploy(session, {"consultation.bpmn": STUB.replace(START + REAL_FORM, START_FORM)})
    short = {"title": "欠薪", "question": "怎么办", "category": "labor"}
    assert consultations.submit(session, world["citizen1"], short).status == "assigned"
    with pytest.raises(InvalidFormData) as err:
        consultations.submit(session, world["citizen1"], {**short, "title": "标题" * 6})
    assert list(err.value.fields) == ["title"]


def test_only_citizens_submit(session, world):
    with pytest.raises(NotAllowed):
        consultations.submit(session, world["wang"], QUESTION)


def test_a_failing_step_stores_nothing(session, world):
    # The stand-in diagram assigns without a duty officer's fallback: with every lawyer
    # disqualified its assignment step fails, and the submission leaves no trace.
    for user in session.scalars(select(User).where(User.role == "lawyer")):
        user.status = "disqualified"
    session.commit()
    with pytest.raises(InvalidInput, match="承办"):
        consultations.submit(session, world["citizen1"], QUESTION)
    assert session.scalars(select(Consultation)).all() == []


def test_visibility_of_one_consultation(session, world):
    cid = consultations.submit(session, world["citizen1"], QUESTION).id
    mine = consultations.get_consultation(session, cid, world["citizen1"])
    assert (mine.title, mine.contact_phone) == (QUESTION["title"], QUESTION["contact_phone"])
    for who in ("citizen2", "zhao", "chen", "expert1"):
        with pytest.raises(NotFound):
            consultations.get_consultation(session, cid, world[who])
    lawyer_view = consultations.get_consultation(session, cid, world["wang"])
    assert lawyer_view.question == QUESTION["question"] and lawyer_view.contact_phone is None
    for who in ("duty1", "supervisor", "admin"):
        view = consultations.get_consultation(session, cid, world[who])
        assert view.contact_phone == QUESTION["contact_phone"]


def test_citizen_sees_answer_author_and_a_public_timeline(session, world):
    cid = consultations.submit(session, world["citizen1"], QUESTION).id
    answer(session, world, cid)
    view = consultations.get_consultation(session, cid, world["citizen1"])
    [shown] = view.answers
    assert (shown.text, shown.author_name, shown.kind) == ("可以申请劳动仲裁。", "王律师", "answer")
    assert shown.drafter_id is None and shown.flagged is None
    assert view.status == "answered" and view.answered_at is not None
    actions = [e.action for e in view.timeline]
    assert actions == ["consultation_submitted", "lawyer_assigned",
                       "answer_published"]
    assert all(e.data == {} for e in view.timeline)
    duty = consultations.get_consultation(session, cid, world["duty1"])
    complete = [e for e in duty.timeline if e.action == "complete"]
    assert [(e.actor_name, e.task_name) for e in complete] == [("王律师", "解答咨询")]
    assert duty.answers[0].flagged is False and duty.answers[0].approver_name == "王律师"


def test_list_follows_the_same_visibility(session, world):
    first = consultations.submit(session, world["citizen1"], QUESTION).id
    second = consultations.submit(session, world["citizen2"], {**QUESTION, "title": "离婚"}).id
    ids = lambda who, **kw: [c.id for c in consultations.list_consultations(  # noqa: E731
        session, world[who], **kw)]
    assert ids("citizen1") == [first] and ids("citizen2") == [second]
    assert ids("duty1") == [second, first]
    assert ids("wang") == [first] and ids("zhao") == [second]  # least open work
    assert ids("chen") == [] and ids("duty1", status="answered") == []


def test_start_form_describes_the_deployed_start_event(session, world):
    assert [f.id for f in consultations.start_form(session)] == [
        "title", "question", "category", "case_status", "vulnerable", "contact_phone",
        "district"]  # the stub has no start form: the built-in one
    versions.deploy(session, {"consultation.bpmn": STUB.replace(START + REAL_FORM, START_FORM)})
    title, question, category = consultations.start_form(session)
    assert (title.label, title.required, title.maxlength) == ("标题", True, 10)
    assert category.options == [{"id": "labor", "name": "劳动争议"}]


def test_submit_offers_beijings_sixteen_districts(session, world):
    district = next(f for f in consultations.start_form(session) if f.id == "district")
    assert district.type == "enum" and len(district.options) == 16
    assert {"id": "海淀区", "name": "海淀区"} in district.options
    with pytest.raises(InvalidFormData) as err:
        consultations.submit(session, world["citizen1"], {**QUESTION, "district": "浦东新区"})
    assert "district" in err.value.fields


def test_submit_refuses_what_the_diagram_allows_but_the_record_cannot_hold(session, world):
    # A modeler's diagram allows a free-text district of 50 characters; the record keeps 40.
    free_text = ('<camunda:formField id="district" label="所在区" type="string">'
                 '<camunda:validation><camunda:constraint name="maxlength" config="50" />'
                 '</camunda:validation></camunda:formField>')
    versions.deploy(session, {"consultation.bpmn": re.sub(
        r'<camunda:formField id="district".*?</camunda:formField>', free_text, STUB, flags=re.S)})
    with pytest.raises(InvalidFormData) as err:
        consultations.submit(session, world["citizen1"], {**QUESTION, "district": "区" * 45})
    assert err.value.fields == {"district": ["最多 40 个字符"]}
    assert session.scalars(select(Consultation)).all() == []


def test_the_question_form_is_the_deployed_start_form(session, world):
    fields = {f.id: f for f in consultations.start_form(session)}
    assert fields["contact_phone"].required and fields["contact_phone"].maxlength == 20
    assert consultations.option_labels(session, "category")["labor"] == "劳动争议"
    versions.deploy(session, {"consultation.bpmn": STUB.replace(START + REAL_FORM, START_FORM)})
    assert [f.id for f in consultations.start_form(session)] == ["title", "question", "category"]
