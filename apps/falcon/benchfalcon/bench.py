"""TechEmpower's test types (plaintext, json, db, queries, fortunes, updates) and the CMS page,
one resource class per route."""

import falcon
from fwbench_common import cms_page, params
from sqlalchemy import select, update

from .models import Fortune, World
from .templating import make_environment

ADDED_FORTUNE = "Additional fortune added at request time."


class PlaintextResource:
    def on_get(self, req, resp):
        resp.content_type = "text/plain"
        resp.text = "Hello, World!"


class JsonResource:
    def on_get(self, req, resp):
        resp.media = {"message": "Hello, World!"}


class SingleQueryResource:
    uses_db = True

    def on_get(self, req, resp):
        resp.media = req.context.session.get(World, params.random_world_id()).to_dict()


class MultipleQueriesResource:
    uses_db = True

    def on_get(self, req, resp):
        count = params.clamp_queries(req.get_param("queries"))
        session = req.context.session
        worlds = [session.get(World, wid) for wid in params.random_world_ids(count)]
        resp.media = [world.to_dict() for world in worlds]


class FortunesResource:
    uses_db = True

    def __init__(self, templates):
        self.template = templates.get_template("fortunes.html")

    def on_get(self, req, resp):
        rows = req.context.session.scalars(select(Fortune)).all()
        rows.append(Fortune(id=0, message=ADDED_FORTUNE))
        rows.sort(key=lambda fortune: fortune.message)
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.template.render(fortunes=rows)


class UpdatesResource:
    uses_db = True

    def on_get(self, req, resp):
        count = params.clamp_queries(req.get_param("queries"))
        session = req.context.session
        worlds = [session.get(World, wid) for wid in params.random_world_ids(count)]
        rows = [{"id": world.id, "randomnumber": params.random_number()} for world in worlds]
        # ORM bulk UPDATE by primary key, in id order, as the Flask app does (apps/README.md,
        # "Where the apps differ"): every drawn row is written, nothing is reloaded.
        session.execute(update(World), sorted(rows, key=lambda row: row["id"]))
        session.commit()
        resp.media = [{"id": row["id"], "randomNumber": row["randomnumber"]} for row in rows]


class CmsResource:
    def __init__(self, templates):
        self.template = templates.get_template("cms/page.html")
        # Read once, at start (create_app): the page renders the same data on every request.
        self.page = cms_page.load()

    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_HTML
        resp.text = self.template.render(**self.page)


def add_routes(app: falcon.App) -> None:
    templates = make_environment()
    app.add_route("/plaintext", PlaintextResource())
    app.add_route("/json", JsonResource())
    app.add_route("/db", SingleQueryResource())
    app.add_route("/queries", MultipleQueriesResource())
    app.add_route("/fortunes", FortunesResource(templates))
    app.add_route("/updates", UpdatesResource())
    app.add_route("/cms", CmsResource(templates))
