"""The installable app: the web app manifest and the service worker at the site's root."""
from flask import current_app, jsonify, send_from_directory, url_for
from flask_babel import gettext as _

from web.main.blueprint import bp


@bp.route("/manifest.webmanifest")
def manifest():
    """Name, icons and start page for "add to home screen" (the inbox, for those with work)."""
    body = jsonify({
        "name": _("北京法网"),
        "short_name": _("北京法网"),
        "description": _("北京法网 · 法律咨询"),
        "lang": "zh-CN",
        "start_url": url_for("main.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#f6f8fa",
        "theme_color": "#b3261e",
        "icons": [{"src": url_for("static", filename=f"icons/icon-{n}.png"),
                   "sizes": f"{n}x{n}", "type": "image/png", "purpose": "any maskable"}
                  for n in (192, 512)],
    })
    body.mimetype = "application/manifest+json"
    return body


@bp.route("/sw.js")
def service_worker():
    """web/static/sw.js served from the root, so that its scope is the whole site."""
    response = send_from_directory(current_app.static_folder, "sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
