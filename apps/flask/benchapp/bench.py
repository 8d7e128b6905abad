"""TechEmpower's test types: plaintext, json, db, queries, fortunes, updates."""

from flask import Blueprint, jsonify, render_template, request
from fwbench_common import params

from .extensions import db
from .models import Fortune, World

bench = Blueprint("bench", __name__)
ADDED_FORTUNE = "Additional fortune added at request time."


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
    for world in worlds:
        world.randomnumber = params.random_number()
    db.session.commit()  # one executemany UPDATE for the dirty rows
    return jsonify([world.to_dict() for world in worlds])
