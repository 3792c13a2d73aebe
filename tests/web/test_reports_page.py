"""The reports page: figures in the table, chart data, date-range errors, CSV with a BOM."""
import csv
import io
from datetime import datetime, timedelta

import pytest

from web.params import local_zone

# Every test: processes/ deployed, and an app context (the tests use db.session).
pytestmark = pytest.mark.usefixtures("deployed", "app_context")


def _today() -> str:
    return datetime.now(local_zone()).date().isoformat()


def test_report_shows_the_answered_consultation(client, login, play, world):
    cid = play.submit()
    lawyer = play.answer(cid)
    play.submit(citizen="citizen2")
    login("duty1")
    page = client.get(f"/supervise/reports?group_by=lawyer&start={_today()}&end={_today()}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "vendor/chart.js/chart.umd.min.js" in html and 'id="report-data"' in html
    name = {"wang": "王律师", "zhao": "赵律师"}[lawyer]
    assert name in html and "100.0%" in html  # answered at once: within 5 h


def test_default_range_and_groupings(client, login, play):
    play.submit()
    login("supervisor")
    for group in ("lawyer", "institution", "category", "week", "all"):
        assert client.get(f"/supervise/reports?group_by={group}").status_code == 200
    assert "劳动争议" in client.get("/supervise/reports?group_by=category").get_data(
        as_text=True)


def test_bad_dates_and_grouping_are_shown_beside_the_fields(client, login, world):
    login("supervisor")
    bad = client.get("/supervise/reports?start=2026-13-01&group_by=nope")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert 'id="start-error"' in html and 'id="group_by-error"' in html
    assert client.get("/supervise/reports.csv?start=2026-13-01").status_code == 422


def test_csv_has_a_bom_a_header_and_the_figures(client, login, play):
    cid = play.submit()
    play.answer(cid)
    login("supervisor")
    today = _today()
    response = client.get(f"/supervise/reports.csv?group_by=all&start={today}&end={today}")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 1 and rows[0]["分组"] == "全部" and "编号" not in rows[0]
    assert (rows[0]["咨询数"], rows[0]["已答复"], rows[0]["时限内答复"]) == ("1", "1", "1")


def test_an_empty_period(client, login, world):
    login("supervisor")
    last_year = (datetime.now(local_zone()) - timedelta(days=400)).date().isoformat()
    html = client.get(f"/supervise/reports?start={last_year}&end={last_year}").get_data(
        as_text=True)
    assert "所选期间没有咨询" in html and "report-data" not in html
