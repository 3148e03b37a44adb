"""Every journal page, the public pages and the account pages are valid HTML: the Nu HTML
Checker (npm ``vnu-jar``, run with Java) finds no error in them.

The pages are fetched with the demo journal in a signed-in person's account (and a newcomer's
empty one), with CSRF on so that the forms carry their hidden token fields, as in production. .ci/run installs the checker and
sets SEEDLING_VNU_JAR; in CI a missing checker fails the test, locally it skips.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # nosec B404 - runs the checker, a fixed command
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.journal_support import Journal, demo_journal
from webapp.articles.content import slugify
from webapp.extensions import db
from webapp.journal.models import (
    CycleOutcome,
    Day,
    Donor,
    Insemination,
    InseminationNote,
    Intercourse,
    Medicine,
    PregnancyTest,
    ProgesteroneTest,
    VialEntry,
)

ID_MODELS = {
    "donor_id": Donor, "insemination_id": Insemination, "note_id": InseminationNote,
    "test_id": PregnancyTest, "outcome_id": CycleOutcome, "vial_entry_id": VialEntry,
    "medicine_id": Medicine, "progesterone_test_id": ProgesteroneTest, "intercourse_id": Intercourse,
}


def checker() -> list[str]:
    """The command that runs the checker; fails in CI and skips elsewhere when it is missing."""
    jar = os.environ.get("SEEDLING_VNU_JAR")
    java = shutil.which("java")
    missing = None
    if not jar:
        missing = "SEEDLING_VNU_JAR is not set (npm install vnu-jar; see .ci/run)"
    elif not Path(jar).is_file():
        missing = f"SEEDLING_VNU_JAR={jar} is not a file"
    elif not java:
        missing = "java is not installed"
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the HTML checker cannot run in CI: {missing}")
        pytest.skip(f"the HTML checker cannot run: {missing}")
    return [java, "-jar", jar, "--errors-only", "--format", "json"]


def own_ids(journal: Journal, current_start) -> dict[str, int]:
    """The person's own id for each route argument: the current cycle's first day, and the
    first of everything else."""
    with journal.app.app_context():
        ids = {
            name: db.session.scalar(select(model.id).where(model.user_id == journal.user_id).order_by(model.id))
            for name, model in ID_MODELS.items()
        }
        ids["day_id"] = db.session.scalar(
            select(Day.id).where(Day.user_id == journal.user_id, Day.date == current_start)
        )
    assert all(ids.values()), ids
    return ids


def journal_urls(app, ids: dict[str, int]) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("journal.") or "GET" not in rule.methods:
            continue
        assert rule.arguments <= ids.keys(), f"{rule.rule}: add its argument to own_ids"
        urls.append(rule.build({name: ids[name] for name in rule.arguments})[1])
    return sorted(urls)


def fetch(client, url: str) -> str | None:
    """The page's HTML; None for a download (a CSV export, a calendar file)."""
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True) if response.mimetype == "text/html" else None


def test_the_pages_have_no_markup_errors(app, library, tmp_path) -> None:
    command = checker()
    person, plan = demo_journal(app)
    person.set(is_demo=True)  # as the real demo account: every page then carries the demo banner
    person.client.post("/journal/calendar/feed")  # the feed page then has an address and a revoke form
    # A second signed-in device, so the settings page lists a sign-out form per session.
    second_device = Journal(app, app.test_client(), person.email)
    second_device.client.post("/accounts/login", data={"email": person.email, "password": "a calm green seedling"})
    newcomer = Journal(app, app.test_client(), "newcomer@example.org").register()
    visitor = app.test_client()
    article = library[0]
    app.config["WTF_CSRF_ENABLED"] = True  # the forms now carry their hidden token, as in production

    ids = own_ids(person, plan.cycle_starts[-1])
    pages: dict[str, tuple[object, str]] = {}
    for url in journal_urls(app, ids):
        pages[f"journal {url}"] = (person.client, url)
    for url in ("/journal/", "/journal/cycles/", "/journal/stats", "/journal/calendar", "/journal/cycles/overlay"):
        pages[f"empty journal {url}"] = (newcomer.client, url)
    pages["empty journal /accounts/settings"] = (newcomer.client, "/accounts/settings")
    for url in ("/accounts/settings", "/accounts/settings/delete", "/accounts/confirm?next=/accounts/settings/export", "/accounts/confirmed?next=/accounts/settings/export"):
        pages[f"account {url}"] = (person.client, url)
    for url in (
        "/accounts/login", "/accounts/register", "/accounts/reset", "/accounts/reset/not-a-token",
        "/accounts/confirm-email/not-a-token", "/", f"/articles/{article.slug}", "/articles/",
        "/search?q=ovulation", "/search?q=zzzzqqq", f"/categories/{slugify(article.category)}",
        f"/tags/{article.tags[0]}", "/about", "/editorial-policy", "/privacy",
    ):
        pages[f"public {url}"] = (visitor, url)

    htmls = {page: fetch(client, url) for page, (client, url) in pages.items()}
    downloads = {page for page, html in htmls.items() if html is None}
    assert all(page.startswith("journal ") for page in downloads), downloads
    htmls = {page: html for page, html in htmls.items() if html is not None}
    # The one page that answers a post: the new feed address, shown once.
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', htmls["journal /journal/calendar/feed"])
    made = person.client.post("/journal/calendar/feed", data={"csrf_token": token.group(1)})
    assert made.status_code == 200 and "the one time you can see it" in made.get_data(as_text=True)
    htmls["journal POST /journal/calendar/feed"] = made.get_data(as_text=True)

    folder = tmp_path / "pages"
    folder.mkdir()
    files: dict[str, str] = {}
    for number, (page, html) in enumerate(sorted(htmls.items())):
        path = folder / f"{number:03d}-{re.sub(r'[^a-z0-9]+', '-', page.lower()).strip('-')}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = page

    result = subprocess.run(  # nosec B603 - fixed command, our own temp files
        command + [str(folder / name) for name in files],
        capture_output=True, text=True, timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{files.get(Path(message.get('url', '')).name, message.get('url'))}, line {message.get('lastLine')}: {message['message']}"
        for message in report["messages"] if message["type"] in ("error", "non-document-error")
    ]
    assert not errors, f"{len(errors)} markup errors in {len(files)} pages:\n" + "\n".join(errors)
    assert result.returncode == 0, result.stderr[-2000:]
