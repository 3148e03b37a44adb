"""Default settings. Secrets never live here: see `load_secret_key` in the factory."""

from datetime import timedelta


class Defaults:
    # Relative SQLite paths resolve inside the instance folder (Flask-SQLAlchemy 3.1).
    SQLALCHEMY_DATABASE_URI = "sqlite:///seedling.db"
    # hide_parameters: a database error's message (logged with every 500) never carries the
    # row's values, which may be journal notes. The factory keeps it in an operator's options too.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}

    # The Whoosh index: a folder in the instance folder, or ":memory:" (tests).
    SEARCH_INDEX_PATH = "search-index-v1"
    SEARCH_WRITER_TIMEOUT = 10.0
    # How often (seconds) a process checks the database for article changes made elsewhere.
    SEARCH_SYNC_INTERVAL = 1.0
    # A damaged or missing index of more articles than this is rebuilt in the background while
    # pages are served (search says it is being rebuilt); a smaller one at once, at start.
    SEARCH_REBUILD_IN_BACKGROUND_ABOVE = 500
    SEARCH_PER_PAGE = 10
    SEARCH_MAX_QUERY_LENGTH = 200

    # Anonymous readers' public pages are kept rendered in memory per library version.
    PAGE_CACHE_ENABLED = True
    # Every reader's shared page blocks (article, cards, lists, results) per library version.
    FRAGMENT_CACHE_ENABLED = True
    # The frame around journal pages (header, navigation, footer: nothing personal), kept per
    # endpoint and kind of reader; the page's own content is rendered on every request.
    JOURNAL_FRAMES_ENABLED = True

    ARTICLES_PER_PAGE = 12
    ARTICLES_DIR = None  # None: the bundled webapp/content/articles

    # None: production-grade scrypt (webapp.accounts.passwords.PRODUCTION_METHOD). Only the
    # tests set a cheap method, to spare ~0.1 s of CPU per registration.
    PASSWORD_HASH_METHOD = None

    # None: Redis or another store only when configured, else a SQLite file in the instance
    # folder that every worker on this machine shares (webapp/ratelimit_storage.py).
    RATELIMIT_STORAGE_URI = None
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_STRATEGY = "moving-window"
    # Account limits: every POST per address (IP); per email typed (hashed) or per account.
    RATELIMIT_ACCOUNT_ADDRESS = "10 per minute;50 per hour"
    # Failed sign-ins: refused per email and address; per email alone (from anywhere) they only
    # slow each further attempt down, so guesses from elsewhere never lock the owner out.
    RATELIMIT_LOGIN_EMAIL_ADDRESS = "5 per 15 minutes"
    RATELIMIT_LOGIN_EMAIL = "10 per 15 minutes"
    LOGIN_SLOWDOWN_SECONDS = 2.0
    RATELIMIT_REGISTER_EMAIL = "5 per 15 minutes"
    RATELIMIT_RESET_EMAIL = "3 per 15 minutes;10 per day"
    RATELIMIT_PASSWORD_CHECKS_ACCOUNT = "5 per 15 minutes"  # wrong passwords in the settings
    RATELIMIT_JOURNAL_IMPORT = "20 per hour"  # uploads and applies of an import, per person

    # Journal import: the largest file read (bytes), and how long reading and checking it may
    # take before it is refused (a worker must never reach gunicorn's 30 s timeout).
    IMPORT_MAX_BYTES = 5_000_000
    IMPORT_TIME_BUDGET_SECONDS = 10.0

    # Wrong codes at sign-in's second step (authenticator app or recovery code), for the account
    # being signed in to: from one address, and from all addresses together.
    RATELIMIT_SECOND_FACTOR_ACCOUNT_ADDRESS = "5 per 15 minutes"
    RATELIMIT_SECOND_FACTOR_ACCOUNT = "10 per 15 minutes;30 per day"
    # Warnings for the operator (accounts/alerts.py): a limit refusing the same client or
    # account this often, and failed sign-ins across the whole site this often.
    ALERT_REPEATED_BREACHES = "5 per 15 minutes"
    ALERT_SIGN_IN_FAILURES = "50 per 15 minutes"

    MAIL_DEFAULT_SENDER = "Seedling <no-reply@seedling.invalid>"
    # None: SMTP when MAIL_SERVER is set, else files in instance/outbox (see accounts/mail.py).
    MAIL_BACKEND = None
    MAIL_FILE_PATH = None
    MAIL_SEND_IN_BACKGROUND = None  # None: in a thread for SMTP, at once otherwise
    MAIL_TIMEOUT = 10
    # The address every absolute link (emails, feed, sitemap, canonical links) starts with, e.g.
    # "https://seedling.example". Set it in production: without it only loopback hosts
    # (localhost, 127.0.0.0/8, [::1]) are served, so that links can follow the Host header.
    SITE_URL = None
    RESET_TOKEN_MAX_AGE = 3600  # seconds
    EMAIL_CHANGE_TOKEN_MAX_AGE = 3600  # seconds: the link that confirms a new email address

    WTF_CSRF_TIME_LIMIT = None  # a form left open overnight still submits
    # Flask-WTF's HTTPS check wants a Referer, which Referrer-Policy: no-referrer never sends;
    # the token, SameSite cookies and the Sec-Fetch-Site check (security.py) guard instead.
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_NAME = "remember_token"  # the factory adds __Host- over HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # "keep me signed in" lasts a month, not a year
    # Without "keep me signed in" a session ends after this long unused (ASVS L2: 30 minutes),
    # and after SESSION_MAX_HOURS whatever happens (accounts/sessions.py checks both).
    IDLE_TIMEOUT_MINUTES = 30
    AUDIT_KEEP_DAYS = 365  # the account's activity list in the settings
    SESSION_MAX_HOURS = 12
    # Downloads of a person's data and deleting every entry ask for the password again (or an
    # app code) when this session's last sign-in or confirmation is older (accounts/reauth.py).
    REAUTH_MINUTES = 15
    # None: the factory makes cookies Secure unless the app runs in debug or testing.
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_SECURE = None

    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host (0: none).
    # Per-address rate limits, HTTPS detection (Secure cookies, HSTS) and links depend on it.
    PROXY_COUNT = 0
    # Trust X-Forwarded-Host too: only if the proxy sets it and drops any a client sent.
    PROXY_TRUST_FORWARDED_HOST = False

    SITE_NAME = "Seedling"
    # Who runs this copy of Seedling and how readers reach them (About, Privacy, the editorial
    # policy, account emails). Unset, the pages say plainly that this is a development copy.
    SITE_OWNER = None  # e.g. "Seedling Health Ltd, 1 Example Street, London"
    CONTACT_EMAIL = None  # e.g. "hello@seedling.example"
