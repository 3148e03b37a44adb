from flask import render_template
from flask_login import login_required

from . import bp


@bp.before_request
@login_required
def require_login():
    """Every journal page is for its signed-in owner only."""


@bp.get("/")
def home():
    return render_template("journal/home.html")
