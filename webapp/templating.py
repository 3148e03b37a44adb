"""Jinja filters and globals shared by every template."""

from datetime import date, datetime

from flask import Flask, current_app, request, url_for

from .form_markup import choice_inputs

DISCLAIMER = (
    "Seedling offers general information, not medical advice. It cannot diagnose you or replace "
    "a clinician who knows your history. If you are worried, or in pain, bleeding heavily or "
    "feverish, contact a doctor, midwife or emergency service."
)


def long_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def short_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b}"


def page_url(page: int) -> str:
    """The current page's address with another page number, keeping the other arguments."""
    args = {**(request.view_args or {}), **request.args.to_dict(), "page": page}
    if page == 1:
        args.pop("page")
    if request.endpoint is None:  # only a page matched to a route has other pages
        raise RuntimeError("page_url needs a request matched to a route")
    return url_for(request.endpoint, **args)


def site_contact() -> dict:
    """Who runs the site and how to reach them, read per render so tests can change config."""
    config = current_app.config
    return {"site_owner": config.get("SITE_OWNER") or None, "contact_email": config.get("CONTACT_EMAIL") or None}


def init_templating(app: Flask) -> None:
    app.context_processor(site_contact)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["short_date"] = short_date
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["choice_inputs"] = choice_inputs
    app.jinja_env.globals["DISCLAIMER"] = DISCLAIMER
    app.jinja_env.globals["site_name"] = app.config["SITE_NAME"]
