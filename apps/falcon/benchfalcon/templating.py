"""Jinja2 for the HTML routes: Falcon has no template engine of its own, and Jinja2 is what its
users reach for. Autoescaping for .html files and no reload check, as Flask configures Jinja2
outside debug mode."""

from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).resolve().parent / "templates"


def dateformat(value, fmt):
    """`{{ day|dateformat("%d %B %Y") }}`: Jinja has no date filter of its own."""
    return value.strftime(fmt)


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        auto_reload=False,
    )
    env.filters["dateformat"] = dateformat
    return env
