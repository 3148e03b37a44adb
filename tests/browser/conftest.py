"""Browser tests: a live Seedling server in a thread, driven through Debian's Chromium by Playwright.

Fixtures (every test under tests/browser is marked `browser`):

- `live_server` (session): one app for the whole run, with its own instance folder, a real database
  (a SQLite file, or SEEDLING_TEST_DATABASE_URI emptied first), CSRF on, rate limits off, mail
  written to files in `<instance>/outbox`, the bundled articles imported, real error pages.
  Attributes: `.url` (no trailing slash), `.app`, `.instance_path`, `.outbox`, `.mails()` (parsed
  messages, oldest first), `.errors` (tracebacks the server raised). Tests share it: use unique
  e-mail addresses and do not rely on what other tests wrote.
- `browser` (session): Chromium launched from /usr/bin/chromium (SEEDLING_CHROMIUM overrides).
  If it cannot start, every browser test fails with the reason; none is ever skipped.
- `make_page` (function): `make_page(color_scheme="light", viewport=PHONE, **context_options)`
  opens a page in a new browser context (fresh cookies) whose `base_url` is the live server, so
  `page.goto("/search?q=sperm")` works; default timeout 10 s (also for `expect`).
- `page` (function): `make_page()`: a phone-sized (390x844), light-mode page.
- `assert_accessible` (function): `assert_accessible(page)` runs axe-core and fails listing every
  serious or critical violation (also importable from tests.browser.accessibility).

After each test, pages from `make_page`/`page` also fail the test if the server raised while
serving it, if a page threw an uncaught JavaScript error, or if Chromium reported a Content
Security Policy violation.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.accessibility import assert_accessible as _assert_accessible
from tests.browser.live import PHONE, TIMEOUT_MS, ChromiumUnavailable, launch_chromium, running_server

BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, bundled_articles):
    with running_server(tmp_path_factory.mktemp("live-server") / "instance", bundled_articles) as live:
        yield live


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    problem = None
    try:
        chromium = launch_chromium(playwright)
    except ChromiumUnavailable as exc:
        problem = str(exc)
    if problem:
        playwright.stop()
        pytest.fail(f"{problem}\nBrowser tests never skip: install Chromium and run them again.", pytrace=False)
    expect.set_options(timeout=TIMEOUT_MS)
    try:
        yield chromium
    finally:
        chromium.close()
        playwright.stop()


@pytest.fixture
def make_page(browser, live_server):
    contexts = []
    problems: list[str] = []
    errors_before = len(live_server.errors)

    def new_page(color_scheme="light", viewport=None, **context_options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport or PHONE,
            color_scheme=color_scheme,
            **context_options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()

        def on_console(message):
            if message.type == "error" and "Content Security Policy" in message.text:
                problems.append(f"{page.url}: {message.text}")

        page.on("pageerror", lambda error: problems.append(f"Uncaught JavaScript error on {page.url}: {error}"))
        page.on("console", on_console)
        return page

    yield new_page
    for context in contexts:
        context.close()
    server_errors = live_server.errors[errors_before:]
    if server_errors:
        pytest.fail("The live server raised while serving this test:\n" + "\n".join(server_errors), pytrace=False)
    if problems:
        pytest.fail("The browser reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(make_page):
    return make_page()


@pytest.fixture
def assert_accessible():
    return _assert_accessible
