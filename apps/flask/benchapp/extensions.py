"""Extensions every profile uses, created unbound and attached in create_app(). The standard
profile's own extensions (Flask-Login, Flask-WTF) live in standard.py, so the minimal profile
never imports them."""

from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
