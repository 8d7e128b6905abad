"""The standard profile: what people add to a new Flask app. Sessions (SECRET_KEY),
Flask-Login, Flask-WTF CSRFProtect (the API blueprint exempt), and the security headers
Django's startproject MIDDLEWARE sends (SecurityMiddleware and XFrameOptionsMiddleware).

create_app() imports this module only for the standard profile; its extensions are created
here, unbound, and attached in init_standard()."""

import os

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
login_manager = LoginManager()

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_standard(app: Flask) -> None:
    app.config["SECRET_KEY"] = os.environ.get("FWBENCH_SECRET_KEY", "fwbench-not-a-secret")
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    csrf.init_app(app)
    login_manager.init_app(app)
    app.after_request(_security_headers)

    from .api import api

    csrf.exempt(api)


@login_manager.user_loader
def load_user(_user_id):
    """No route logs anyone in; the loader exists so current_user works as in a real app."""
    return None


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
