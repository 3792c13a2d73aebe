"""`make run`'s last words (tools/announce.py): the address and the demo logins, printed once
the real app answers its health check."""
import threading

from werkzeug.serving import make_server

from tools import announce


def test_prints_the_address_and_the_logins_once_the_site_answers(front_door, tmp_path, capsys):
    front_door.create_schema()
    logins = tmp_path / "demo-logins.txt"
    logins.write_text(front_door.flask("seed-demo").output, encoding="utf-8")
    server = make_server("127.0.0.1", 0, front_door.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        assert announce.main(url, logins, timeout=30, settle=0) == 0
    finally:
        server.shutdown()
    printed = capsys.readouterr().out
    assert f"open {url}/" in printed
    assert "lawyer_wang" in printed and "demo-lawyer-pass" in printed


def test_says_so_when_the_site_never_answers(tmp_path, capsys):
    assert announce.main("http://127.0.0.1:9", tmp_path / "none.txt", timeout=1) == 1
    assert "did not answer within 1 s" in capsys.readouterr().err
