"""A designer's deployment is never reverted by deploying the repository's files.

The operator deploys `processes/` with the CLI; a designer changes the answer deadline from
5 to 6 hours in the web modeler and deploys it over HTTP; `deploy processes` (what `make run`
does on every start) leaves it, or refuses when the files changed too; new consultations are
due after 6 hours; only `--force --reason` puts the files back.
"""
import io
import shutil
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.models import HumanTask, ProcessVersion, utcnow
from engine.people.demo import demo_password
from tests.factories import PROCESSES, QUESTION
from web.extensions import db

FIVE, SIX = '"PT5H"</bpmn:timeDuration>', '"PT6H"</bpmn:timeDuration>'


def versions_of(app, key="consultation") -> list[ProcessVersion]:
    with app.app_context():
        rows = db.session.scalars(select(ProcessVersion).where(ProcessVersion.key == key)
                                  .order_by(ProcessVersion.number)).all()
        db.session.expunge_all()
        db.session.rollback()
        return rows


@pytest.fixture
def designer_deployed_six_hours(app, runner, client, auth):
    """processes/ deployed from the CLI (v1), then the designer's 6-hour version (v2)."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = runner.invoke(args=["deploy", str(PROCESSES)])
    assert first.exit_code == 0, first.output
    assert "consultation v1 (new)" in first.output
    files = dict(versions_of(app)[0].files)
    assert files["consultation.bpmn"].count(FIVE) == 1
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(FIVE, SIX)
    auth.login("designer_he", demo_password("designer"))
    response = client.post("/designer/api/deploy", json={"files": files,
                                                         "reason": "解答期限延长到6小时"})
    assert response.status_code == 200, response.json
    assert [(v["key"], v["number"], v["created"]) for v in response.json["versions"]
            if v["key"] == "consultation"] == [("consultation", 2, True)]
    auth.logout()


def answer_due_in(app, client, auth) -> timedelta:
    """A citizen submits over HTTP; how long the lawyer has, from the inbox index."""
    auth.login("citizen_zhang", demo_password("citizen"))
    submitted = client.post("/consultations/new", data=QUESTION)
    assert submitted.status_code == 303, submitted.text
    cid = submitted.headers["Location"].rstrip("/").split("/")[-1]
    auth.logout()
    with app.app_context():
        task = db.session.scalar(select(HumanTask).where(
            HumanTask.business_key == cid, HumanTask.bpmn_id == "answer_consultation"))
        return task.due_at - task.created_at


def test_deploying_unchanged_files_keeps_the_designers_version(
        app, runner, client, auth, designer_deployed_six_hours):
    result = runner.invoke(args=["deploy", str(PROCESSES)])
    assert result.exit_code == 0, result.output
    assert "consultation v2 (kept: deployed in the web modeler by designer_he" in result.output
    assert "flask --app web export consultation:2" in result.output
    assert [v.number for v in versions_of(app)] == [1, 2]
    assert SIX in versions_of(app)[-1].files["consultation.bpmn"]
    assert timedelta(hours=6) - answer_due_in(app, client, auth) < timedelta(seconds=5)


def test_changed_files_are_refused_until_forced_with_a_reason(
        app, runner, client, auth, designer_deployed_six_hours, tmp_path):
    repo = tmp_path / "processes"
    shutil.copytree(PROCESSES, repo)
    bpmn = repo / "consultation.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        'name="解答咨询"', 'name="解答咨询（律师）"', 1), encoding="utf-8")

    refused = runner.invoke(args=["deploy", str(repo)])
    assert refused.exit_code == 1
    message = " ".join(refused.output.split())
    assert "consultation: refused. The latest version v2 was deployed in the web modeler by " \
           "designer_he" in message and "reason: 解答期限延长到6小时" in message
    assert f"flask --app web export consultation:2 {repo}" in message
    assert "--force --reason TEXT" in message
    assert "referral v1 (unchanged)" in message  # other processes are not held back
    assert [v.number for v in versions_of(app)] == [1, 2]
    assert timedelta(hours=6) - answer_due_in(app, client, auth) < timedelta(seconds=5)

    no_reason = runner.invoke(args=["deploy", "--force", str(repo)])
    assert no_reason.exit_code == 1 and "--force needs --reason" in no_reason.output
    forced = runner.invoke(args=["deploy", "--force", "--reason", "仓库版本为准", str(repo)])
    assert forced.exit_code == 0, forced.output
    assert "consultation v3 (new)" in forced.output
    v3 = versions_of(app)[-1]
    assert (v3.number, v3.source, v3.reason, v3.deployed_by) == (3, "files", "仓库版本为准", None)
    assert FIVE in v3.files["consultation.bpmn"]
    assert timedelta(hours=5) - answer_due_in(app, client, auth) < timedelta(seconds=5)


def test_each_version_records_its_source(app, designer_deployed_six_hours):
    v1, v2 = versions_of(app)
    assert (v1.source, v1.deployed_by, v1.reason) == ("files", None, "cli deploy")
    assert str(PROCESSES) in v1.source_note
    assert {"consultation.bpmn", "screening.dmn"} <= set(v1.file_checksums)
    assert v2.source == "modeler" and v2.reason == "解答期限延长到6小时"
    assert v2.deployed_by is not None and v2.deployed_at <= utcnow()
    assert v2.file_checksums["screening.dmn"] == v1.file_checksums["screening.dmn"]
    assert v2.file_checksums["consultation.bpmn"] != v1.file_checksums["consultation.bpmn"]


def zip_of(files: dict[str, str]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(f"consultation-v2/{name}", text)
    buffer.seek(0)
    return buffer


def test_an_uploaded_zip_is_a_version_from_a_zip(app, runner, client, auth,
                                                 designer_deployed_six_hours):
    auth.login("designer_he", demo_password("designer"))
    download = client.get(f"/designer/versions/{versions_of(app)[-1].id}/download")
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        files = {n: archive.read(n).decode() for n in archive.namelist()}
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(
        SIX, '"PT7H"</bpmn:timeDuration>')
    response = client.post("/designer/upload", data={
        "reason": "七小时", "bundle": (zip_of(files), "consultation-v2.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert "consultation v3" in client.get("/designer/").text
    v3 = versions_of(app)[-1]
    assert (v3.number, v3.source, v3.source_note, v3.reason) == (
        3, "zip", "consultation-v2.zip", "七小时")
    kept = runner.invoke(args=["deploy", str(PROCESSES)])
    assert "consultation v3 (kept: deployed from a zip by designer_he" in kept.output


def test_an_uploaded_zip_with_problems_is_refused_naming_them(app, client, auth,
                                                              designer_deployed_six_hours):
    auth.login("designer_he", demo_password("designer"))
    files = dict(versions_of(app)[-1].files)
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(
        '<bpmn:userTask id="answer_consultation"',
        '<bpmn:userTask id="answer_consultation" camunda:asyncAfter="true"')
    response = client.post("/designer/upload", data={
        "reason": "试试", "bundle": (zip_of(files), "bad.zip")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "consultation.bpmn [answer_consultation]" in response.text
    assert "camunda:asyncAfter" in response.text
    missing = client.post("/designer/upload", data={"reason": ""},
                          content_type="multipart/form-data")
    assert missing.status_code == 422
    assert "bundle" in missing.text and "reason" in missing.text
    assert [v.number for v in versions_of(app)] == [1, 2]
