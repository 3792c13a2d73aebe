"""The smallest WSGI app answering like `GET /api/v1/me`: the HTTP benchmark serves it with
the same gunicorn settings and clients to measure what the server costs before any app runs.

    gunicorn --config gunicorn.conf.py bench.trivial_wsgi:app
"""
import json

# The shape and size of /me's answer (an account as its owner sees it).
BODY = json.dumps({"id": 2, "username": "lawyer_wang", "name": "王律师", "role": "lawyer",
                   "status": "active", "institution": "北京市某律师事务所",
                   "locale": "zh_CN"}, ensure_ascii=False).encode()
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    """Answer every request with the same small JSON."""
    start_response("200 OK", HEADERS)
    return [BODY]
