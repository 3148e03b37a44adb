"""Seedling: a public library and a private journal for people trying to conceive."""

import gc
import logging
import os
import secrets
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Defaults

PACKAGE_DIR = Path(__file__).resolve().parent


def _asset_folder(name: str) -> str:
    """Templates and static files sit inside the package in a wheel, beside it in a checkout."""
    packaged = PACKAGE_DIR / name
    return str(packaged if packaged.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("SEEDLING_INSTANCE_PATH") or None,
        instance_relative_config=True,
        template_folder=_asset_folder("templates"),
        static_folder=_asset_folder("static"),
    )
    load_config(app, test_config)
    trust_proxies(app)
    make_instance_folder(app)
    choose_rate_limit_store(app)
    load_secret_key(app)

    register_extensions(app)
    load_data_keys(app)
    register_url_converters(app)
    register_blueprints(app)
    register_urls(app)
    register_security(app)
    register_compression(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_search(app)
    freeze_startup_objects(app)
    return app


def freeze_startup_objects(app: Flask) -> None:
    """Keep the cyclic garbage collector away from what start-up built (modules, the app, the
    search index). A full collection over all of it took about 100 ms in a gunicorn worker, and
    made the slowest 1% of journal pages; frozen, a full collection takes a few ms. Not in tests:
    they build many apps in one process and expect each one's garbage to be collected."""
    if app.testing:
        return
    gc.collect()
    gc.freeze()


def load_config(app: Flask, test_config: dict | None) -> None:
    """Defaults, then instance/config.py, then SEEDLING_* variables, then the tests' own."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SEEDLING")
    if test_config:
        app.config.update(test_config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"hide_parameters": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    # Cookies travel only over HTTPS, except on a developer's machine and in tests.
    secure = not (app.debug or app.testing)
    for key in ("SESSION_COOKIE_SECURE", "REMEMBER_COOKIE_SECURE"):
        if app.config.get(key) is None:
            app.config[key] = secure
    use_host_cookie_prefix(app.config)


def use_host_cookie_prefix(config) -> None:
    """__Host- cookies are refused by browsers unless Secure, on Path=/ and without a Domain:
    no subdomain or plain-HTTP page can plant or overwrite them. Only when served over HTTPS."""
    if not config["SESSION_COOKIE_SECURE"] or config.get("SESSION_COOKIE_DOMAIN"):
        return
    if config.get("SESSION_COOKIE_NAME", "session") == "session":
        config["SESSION_COOKIE_NAME"] = "__Host-session"
    if config.get("REMEMBER_COOKIE_NAME", "remember_token") == "remember_token" and config["REMEMBER_COOKIE_SECURE"]:
        config["REMEMBER_COOKIE_NAME"] = "__Host-remember_token"


def trust_proxies(app: Flask) -> None:
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count:
        # X-Forwarded-Host only when the operator says the proxy sets it (and drops a client's).
        x_host = count if app.config.get("PROXY_TRUST_FORWARDED_HOST") else 0
        # Flask's documented way to add WSGI middleware; its types call wsgi_app a plain method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=x_host)  # type: ignore[method-assign]


def make_instance_folder(app: Flask) -> None:
    """The database, key, outbox and index live here: the server's own user only."""
    folder = Path(app.instance_path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def choose_rate_limit_store(app: Flask) -> None:
    """memory:// would give each gunicorn worker its own counts: share one file instead."""
    from .ratelimit_storage import storage_uri

    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = storage_uri(Path(app.instance_path) / "rate-limits.sqlite")


def load_secret_key(app: Flask) -> None:
    """Production sets SECRET_KEY; otherwise one is generated once into the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        logging.getLogger(__name__).info("Generated a new secret key in the instance folder")
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def register_extensions(app: Flask) -> None:
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .database import configure_engine

    db.init_app(app)
    migrate.init_app(app, db)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    configure_engine(app)


def load_data_keys(app: Flask) -> None:
    """The key ring that encrypts the journal's free text (see webapp/encryption.py)."""
    from .encryption import init_encryption

    init_encryption(app)


def register_blueprints(app: Flask) -> None:
    """Each package registers its blueprints, commands and hooks itself."""
    from . import accounts, articles, journal

    articles.init_app(app)
    accounts.init_app(app)
    journal.init_app(app)


def register_url_converters(app: Flask) -> None:
    from .urls import register_converters

    register_converters(app)


def register_urls(app: Flask) -> None:
    from .urls import init_urls

    init_urls(app)


def register_security(app: Flask) -> None:
    from .security import init_security

    init_security(app)


def register_compression(app: Flask) -> None:
    from .compression import init_compression

    init_compression(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import init_errors

    init_errors(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import init_templating

    init_templating(app)


def register_commands(app: Flask) -> None:
    from . import commands

    commands.init_app(app)


def register_search(app: Flask) -> None:
    from .articles.search_documents import ArticleDocuments
    from .search import commands as search_commands
    from .search import init_search

    init_search(app, ArticleDocuments())
    search_commands.init_app(app)
