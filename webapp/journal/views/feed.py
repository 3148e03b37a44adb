"""The calendar feed: a page in the journal to make, replace or turn off the private address,
and the address itself, which a calendar app fetches without signing in.

The feed lives on its own blueprint (``calendar_feed``, registered without a prefix) because
every journal route requires a session; the token in its address is all it needs. A wrong or
revoked token is a plain 404. The response is never cached and the token never reaches a log
(see ``webapp.security.redact``).
"""

from __future__ import annotations

from flask import Response, abort, flash, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SubmitField

from ...urls import external_url
from ...accounts.models import User
from ...clock import today_for
from ...extensions import db
from .. import queries
from ..blueprints import bp, feed_bp
from ..calendar_feed import create_feed, feed_for_token, feed_of, feed_text, revoke_feed
from ..presenters import forecast_for
from ..page import render_journal_page

class MakeFeedForm(FlaskForm):
    submit = SubmitField("Make my private calendar address")


class RevokeFeedForm(FlaskForm):
    submit_revoke = SubmitField("Turn the calendar feed off")


def feed_page(address: str | None = None, status: int = 200):
    feed = feed_of(current_user.id)
    return (
        render_journal_page(
            "journal/calendar_feed.html",
            feed=feed,
            address=address,
            make_form=MakeFeedForm(formdata=None),
            revoke_form=RevokeFeedForm(formdata=None),
        ),
        status,
    )


@bp.get("/calendar/feed")
def calendar_feed_settings():
    return feed_page()


@bp.post("/calendar/feed")
def make_calendar_feed():
    form = MakeFeedForm()
    if not form.validate_on_submit():
        return redirect(url_for(".calendar_feed_settings"))
    token = create_feed(current_user.id)
    db.session.commit()
    # Shown once, in this response only: never in a flash message (the session cookie is
    # signed, not encrypted) and never in a redirect's address.
    return feed_page(address=external_url("calendar_feed.feed", token=token))


@bp.post("/calendar/feed/delete")
def revoke_calendar_feed():
    form = RevokeFeedForm()
    if form.validate_on_submit() and revoke_feed(current_user.id):
        db.session.commit()
        flash("Your calendar feed is off. Its address no longer works.", "success")
    return redirect(url_for(".calendar_feed_settings"))


@feed_bp.get("/calendar/<token>.ics")
def feed(token: str):
    record = feed_for_token(token)
    if record is None:
        abort(404)
    owner = db.session.get(User, record.user_id)
    if owner is None:  # pragma: no cover - the row goes with the account (ON DELETE CASCADE)
        abort(404)
    now = today_for(owner)  # the owner's own date: the feed has no signed-in person
    cycles = queries.cycle_spans(owner.id)
    # No estimates in pregnancy mode: forecast_for decides, as for the journal's own pages.
    forecast = forecast_for(owner.id, cycles, now, owner.secondary_symptom or "mucus")
    response = Response(feed_text(record, forecast), content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response
