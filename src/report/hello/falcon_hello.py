"""The smallest Falcon app that answers GET / with "Hello, World!" (counted by appsize.py)."""
import falcon


class Hello:
    def on_get(self, req, resp):
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "Hello, World!"


app = falcon.App()
app.add_route("/", Hello())
