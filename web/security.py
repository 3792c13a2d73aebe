"""Security headers on every response: CSP, no framing, no sniffing, referrer policy, HSTS.

The pages load scripts only from /static (no inline scripts or event handlers: data
islands are `<script type="application/json">`, which CSP does not execute). Styles allow
'unsafe-inline' because bpmn-js, dmn-js and the properties panel set style attributes on the
elements they draw; scripts never get it.
"""
from flask import Flask

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    headers = dict(HEADERS)
    if app.config.get("APP_ENV") == "production":  # behind TLS: browsers remember HTTPS only
        headers["Strict-Transport-Security"] = HSTS

    ours = [(name.lower(), name, value) for name, value in headers.items()]

    @app.after_request
    def add_security_headers(response):
        present = {name.lower() for name in response.headers.keys()}  # a view's own wins
        response.headers.extend([(name, value) for lowered, name, value in ours
                                 if lowered not in present])
        return response
