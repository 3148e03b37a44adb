"""A live Seedling server in a thread and Debian's Chromium: shared by the fixtures and scripts."""

import email
import email.policy
import os
import threading
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, got_request_exception
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import make_app, reset_database
from webapp.articles.importer import import_articles
from webapp.extensions import db

CHROMIUM = os.environ.get("SEEDLING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class ChromiumUnavailable(RuntimeError):
    pass


class QuietRequestHandler(WSGIRequestHandler):
    """No access-log line per request; errors are still logged."""

    def log_request(self, *args, **kwargs):
        pass


@dataclass
class LiveServer:
    url: str
    app: Flask
    instance_path: Path
    errors: list[str] = field(default_factory=list)

    @property
    def outbox(self) -> Path:
        return self.instance_path / "outbox"

    def mails(self) -> list[email.message.EmailMessage]:
        """Every message sent so far, oldest first: msg["To"], msg["Subject"], msg.get_body().get_content()."""
        messages = []
        files = sorted(self.outbox.glob("*.log"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        for path in files:
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages


def read_whole_responses(wsgi_app):
    """Read each response to the end and close it before sending it.

    When the browser abandons a request (a navigation, a cancelled image), the development
    server drops a file response (a static file) unclosed, and its ResourceWarning surfaces in
    whichever test runs when it is collected. Buffered responses hold no open files.
    """

    def buffered(environ, start_response):
        iterable = wsgi_app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    return buffered


@contextmanager
def running_server(instance: Path, articles):
    """Serve a fresh app (empty database, `articles` imported) on 127.0.0.1 until the block ends."""
    app = make_app(
        instance,
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=False,
        MAIL_BACKEND="file",
        MAIL_FILE_PATH=str(instance / "outbox"),
        # Render the real error pages, as production does; exceptions are recorded below.
        PROPAGATE_EXCEPTIONS=False,
    )
    with app.app_context():
        reset_database()
        import_articles(articles)
        db.session.commit()

    live = LiveServer(url="", app=app, instance_path=Path(app.instance_path))

    def record(sender, exception, **extra):
        live.errors.append("".join(traceback.format_exception(exception)))

    got_request_exception.connect(record, app)
    server = make_server(
        "127.0.0.1", 0, read_whole_responses(app), threaded=True, request_handler=QuietRequestHandler
    )
    live.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, name="seedling-live-server", daemon=True)
    thread.start()
    try:
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        got_request_exception.disconnect(record, app)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def launch_chromium(playwright):
    """Debian's Chromium through Playwright (never a downloaded browser), or ChromiumUnavailable."""
    if not os.path.exists(CHROMIUM):
        raise ChromiumUnavailable(
            f"Chromium is not installed at {CHROMIUM}: run `apt-get install -y chromium` "
            "(or point SEEDLING_CHROMIUM at a Chromium binary)."
        )
    try:
        return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
    except Exception as exc:
        raise ChromiumUnavailable(f"Chromium at {CHROMIUM} could not be launched:\n{exc}") from exc
