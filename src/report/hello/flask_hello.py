"""The smallest Flask app that answers GET / with "Hello, World!" (counted by appsize.py)."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello():
    return "Hello, World!"
