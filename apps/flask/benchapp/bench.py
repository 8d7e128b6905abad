"""TechEmpower's test types (plaintext, json, db, queries, fortunes, updates) and the CMS page."""

from flask import Blueprint, jsonify, render_template, request
from fwbench_common import cms_page, params
from sqlalchemy import update

from .extensions import db
from .models import Fortune, World

bench = Blueprint("bench", __name__)
ADDED_FORTUNE = "Additional fortune added at request time."
# Read once, at import (create_app): /cms renders the same data on every request.
CMS_PAGE = cms_page.load()


@bench.get("/plaintext")
def plaintext():
    return "Hello, World!", 200, {"Content-Type": "text/plain"}


@bench.get("/json")
def json():
    return jsonify(message="Hello, World!")


@bench.get("/db")
def single_query():
    return jsonify(db.session.get(World, params.random_world_id()).to_dict())


@bench.get("/queries")
def multiple_queries():
    count = params.clamp_queries(request.args.get("queries"))
    worlds = [db.session.get(World, wid) for wid in params.random_world_ids(count)]
    return jsonify([world.to_dict() for world in worlds])


@bench.get("/fortunes")
def fortunes():
    rows = db.session.execute(db.select(Fortune)).scalars().all()
    rows.append(Fortune(id=0, message=ADDED_FORTUNE))
    rows.sort(key=lambda fortune: fortune.message)
    return render_template("fortunes.html", fortunes=rows)


@bench.get("/updates")
def updates():
    count = params.clamp_queries(request.args.get("queries"))
    worlds = [db.session.get(World, wid) for wid in params.random_world_ids(count)]
    rows = [{"id": world.id, "randomnumber": params.random_number()} for world in worlds]
    # ORM bulk UPDATE by primary key: one executemany that writes every row, also a row whose
    # new number equals its old one (the unit of work would skip that row as unchanged). The
    # objects read above stay untouched, so nothing is reloaded after the commit. In id order,
    # as the unit of work flushes, so concurrent requests lock rows in one order (no deadlock).
    db.session.execute(update(World), sorted(rows, key=lambda row: row["id"]))
    db.session.commit()
    return jsonify([{"id": row["id"], "randomNumber": row["randomnumber"]} for row in rows])


@bench.get("/cms")
def cms():
    return render_template("cms/page.html", **CMS_PAGE)


@bench.app_template_filter("dateformat")
def dateformat(value, fmt):
    """`{{ day|dateformat("%d %B %Y") }}`: Jinja has no date filter of its own."""
    return value.strftime(fmt)
