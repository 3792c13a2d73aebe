"""The lawyer's own answers with the citizens' ratings; the installable app's files."""
from tests.drivers import Demo

LAWYER_PASS = "demo-lawyer-pass"


def _rate(demo: Demo, cid: int, satisfied: bool, comment: str) -> None:
    demo.complete("citizen_zhang", "rate_answer", cid, satisfied=satisfied,
                  feedback_comment=comment, wants_referral=False)


def test_my_answers_lists_ratings_newest_first(client, auth, demo):
    first = demo.submit(title="第一个问题", category="contract")
    second = demo.submit(title="第二个问题", category="contract")
    unrated = demo.submit(title="第三个问题", category="contract")
    for cid in (first, second, unrated):
        demo.answer(cid, f"解答{cid}")
    _rate(demo, first, True, "很清楚，谢谢")
    _rate(demo, second, False, "没有回答我的问题")
    assert auth.login("lawyer_wang", LAWYER_PASS).status_code == 302
    assert "/tasks/my-answers" in client.get("/tasks/").text  # linked from the lawyer's nav
    page = client.get("/tasks/my-answers").text
    assert page.index("第三个问题") < page.index("第二个问题") < page.index("第一个问题")
    assert "咨询人满意：很清楚，谢谢" in page
    assert "咨询人不满意：没有回答我的问题" in page
    assert "咨询人尚未评价" in page


def test_my_answers_are_paginated(client, auth, demo):
    for n in range(21):
        demo.answer(demo.submit(title=f"问题{n:02d}", category="contract"), "可以。")
    auth.login("lawyer_wang", LAWYER_PASS)
    first = client.get("/tasks/my-answers").text
    assert "问题20" in first and "问题00" not in first and "第 1 / 2 页" in first
    second = client.get("/tasks/my-answers?page=2").text
    assert "问题00" in second and "问题20" not in second


def test_others_do_not_have_my_answers(client, auth, demo):
    auth.login("citizen_zhang", "demo-citizen-pass")
    assert client.get("/tasks/my-answers").status_code == 403


def test_the_app_can_be_installed(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200 and manifest.mimetype == "application/manifest+json"
    assert manifest.json["name"] == "北京法网" and manifest.json["display"] == "standalone"
    sizes = {i["sizes"]: i["src"] for i in manifest.json["icons"]}
    assert set(sizes) == {"192x192", "512x512"}
    for size, src in sizes.items():
        icon = client.get(src)
        assert icon.status_code == 200 and icon.data[:8] == b"\x89PNG\r\n\x1a\n"
        width = int.from_bytes(icon.data[16:20], "big")  # the PNG IHDR width
        assert f"{width}x{width}" == size
        icon.close()
    worker = client.get("/sw.js")
    assert worker.status_code == 200 and "javascript" in worker.mimetype
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert "离线" not in worker.get_data(as_text=True)  # the banner's words are in the page
    page = client.get("/auth/login").text
    assert 'rel="manifest"' in page and "/static/app.js" in page
    assert 'id="offline-banner"' in page and "<script>" not in page
