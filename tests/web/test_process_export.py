"""`flask --app web export KEY[:VERSION] DIR` writes a deployed version back into the repository,
and the designer pages say which deployed version the repository's files are."""
import re
import shutil

import pytest

from engine.people.demo import demo_password
from tests.factories import PROCESSES

FIVE, SIX = '"PT5H"</bpmn:timeDuration>', '"PT6H"</bpmn:timeDuration>'


@pytest.fixture
def repo(tmp_path):
    """A copy of the repository's processes/ folder."""
    folder = tmp_path / "processes"
    shutil.copytree(PROCESSES, folder)
    return folder


@pytest.fixture
def app_config(app_config, repo):
    return {**app_config, "PROCESSES_DIR": str(repo)}


@pytest.fixture
def six_hours(runner, client, auth, repo):
    """v1 from the repository's files, v2 (6 hours to answer) from the web modeler."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["deploy", str(repo)]).exit_code == 0
    auth.login("designer_he", demo_password("designer"))
    files = {p.name: p.read_text(encoding="utf-8") for p in repo.iterdir()}
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(FIVE, SIX)
    deployed = client.post("/designer/api/deploy", json={"files": files, "reason": "6小时"})
    assert deployed.status_code == 200, deployed.json


def repository_note(client, key="consultation") -> str:
    page = client.get("/designer/")
    match = re.search(rf'<p class="fw-repo (\w+)" data-key="{key}" data-matches="(\d*)">'
                      r'\s*(.*?)\s*</p>', page.text, re.S)
    assert match, page.text
    return " ".join(match.groups())


def test_export_writes_the_designers_version_into_the_repository(runner, client, repo, tmp_path,
                                                                six_hours):
    assert repository_note(client).startswith("warn 1 仓库文件")
    assert "最新版本是 v2" in repository_note(client)
    v2_page = re.search(r'data-key="consultation" data-number="2">.*?href="([^"]+)"',
                        client.get("/designer/").text, re.S).group(1)
    assert "flask --app web export consultation:2" in client.get(v2_page).text

    result = runner.invoke(args=["export", "consultation:2", str(repo)])
    assert result.exit_code == 0, result.output
    assert f"wrote {repo / 'consultation.bpmn'}" in result.output
    assert SIX in (repo / "consultation.bpmn").read_text(encoding="utf-8")
    assert repository_note(client).startswith("ok 2 仓库文件")

    again = runner.invoke(args=["deploy", str(repo)])
    assert again.exit_code == 0 and "consultation v2 (unchanged)" in again.output

    back = runner.invoke(args=["export", "consultation:1", str(tmp_path / "v1")])
    assert back.exit_code == 0 and "consultation v1 exported" in back.output
    assert FIVE in (tmp_path / "v1" / "consultation.bpmn").read_text(encoding="utf-8")


def test_files_edited_after_exporting_the_designers_version_deploy(runner, repo, six_hours):
    assert runner.invoke(args=["export", "consultation:2", str(repo)]).exit_code == 0
    assert "consultation v2 (unchanged)" in runner.invoke(args=["deploy", str(repo)]).output
    bpmn = repo / "consultation.bpmn"
    bpmn.write_text(bpmn.read_text(encoding="utf-8").replace(
        'name="解答咨询"', 'name="解答咨询（律师）"', 1), encoding="utf-8")
    result = runner.invoke(args=["deploy", str(repo)])
    assert result.exit_code == 0, result.output
    assert "consultation v3 (new)" in result.output


def test_export_of_the_latest_version_by_key(runner, repo, tmp_path, six_hours):
    result = runner.invoke(args=["export", "consultation", str(tmp_path / "new")])
    assert result.exit_code == 0 and "consultation v2 exported" in result.output
    assert SIX in (tmp_path / "new" / "consultation.bpmn").read_text(encoding="utf-8")


@pytest.mark.parametrize("ref, message", [("consultation:9", "没有版本 9"),
                                          ("nothing", "尚未部署"),
                                          ("consultation:two", "KEY:VERSION")])
def test_export_of_an_unknown_version_fails_with_a_message(runner, repo, tmp_path, six_hours,
                                                          ref, message):
    result = runner.invoke(args=["export", ref, str(tmp_path / "out")])
    assert result.exit_code == 1 and message in result.output
    assert not (tmp_path / "out").exists()


def test_designer_home_names_both_ways_to_deploy(client, six_hours):
    page = client.get("/designer/").text
    assert "在网页建模器中修改并部署" in page and "flask --app web deploy" in page
    assert 'data-source="modeler"' in page and 'data-source="files"' in page


def test_repository_that_matches_no_version_is_said_so(client, repo, six_hours):
    (repo / "referral.bpmn").write_text(
        (repo / "referral.bpmn").read_text(encoding="utf-8").replace("线下委托", "线下委托服务"),
        encoding="utf-8")
    assert repository_note(client, "referral").startswith("warn  仓库文件")
    assert "与任何已部署版本都不一致" in repository_note(client, "referral")
