"""The floor: a bare Flask route returning a short string, served the same way as Seedling."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello"
