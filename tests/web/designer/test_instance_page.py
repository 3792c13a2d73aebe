"""An instance on its diagram: who may look, what is highlighted, rolling back from the page."""
import pytest

from tests.factories import api


@pytest.mark.parametrize("role", ["admin", "designer", "supervisor", "duty_officer"])
def test_back_office_roles_see_where_an_instance_waits(client, login_as, waiting, role):
    _, _, ids = waiting
    login_as(role)
    page = client.get(f"/designer/instances/{ids[0]}")
    assert page.status_code == 200
    assert '<code class="fw-active-id">answer_consultation</code>' in page.text
    assert "instance.js" in page.text and "consultation.bpmn" in page.text
    assert "rollback" not in page.text  # nothing migrated yet


@pytest.mark.parametrize("role", ["citizen", "lawyer", "staff", "expert"])
def test_other_roles_may_not(client, login_as, waiting, role):
    login_as(role)
    assert client.get(f"/designer/instances/{waiting[2][0]}").status_code == 403


def test_find_by_number_and_unknown_instances(client, login_as, waiting):
    login_as("designer")
    found = client.get(f"/designer/instances?id={waiting[2][1]}")
    assert found.headers["Location"].endswith(f"/designer/instances/{waiting[2][1]}")
    assert client.get("/designer/instances/999999").status_code == 404


def test_admin_rolls_back_from_the_instance_page(client, app, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    api(client, "/admin/api/migrate", {"from_id": v1.id, "to_id": v2.id,
                                       "instance_ids": [ids[0]], "reason": "试迁移"})
    page = client.get(f"/designer/instances/{ids[0]}").text
    assert "v2" in page and "试迁移" in page and f"/admin/instances/{ids[0]}/rollback" in page
    missing = client.post(f"/admin/instances/{ids[0]}/rollback", data={"reason": ""},
                          follow_redirects=True)
    assert "v2" in missing.text and "请填写原因" in missing.text
    done = client.post(f"/admin/instances/{ids[0]}/rollback", data={"reason": "撤回"},
                       follow_redirects=True)
    assert "</code> v1" in done.text and "已回滚" in done.text
