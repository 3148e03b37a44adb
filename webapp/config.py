"""Default settings. Secrets never live here: see `load_secret_key` in the factory."""


class Defaults:
    # Relative SQLite paths resolve inside the instance folder (Flask-SQLAlchemy 3.1).
    SQLALCHEMY_DATABASE_URI = "sqlite:///seedling.db"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # The Whoosh index: a folder in the instance folder, or ":memory:" (tests).
    SEARCH_INDEX_PATH = "search-index-v1"
    SEARCH_WRITER_TIMEOUT = 10.0
    # How often (seconds) a process checks the database for article changes made elsewhere.
    SEARCH_SYNC_INTERVAL = 1.0
    SEARCH_PER_PAGE = 10
    SEARCH_MAX_QUERY_LENGTH = 200

    ARTICLES_PER_PAGE = 12
    ARTICLES_DIR = None  # None: the bundled webapp/content/articles

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "moving-window"

    MAIL_DEFAULT_SENDER = "Seedling <no-reply@seedling.invalid>"

    WTF_CSRF_TIME_LIMIT = None  # a form left open overnight still submits
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # None: the factory makes cookies Secure unless the app runs in debug or testing.
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_SECURE = None

    SITE_NAME = "Seedling"
