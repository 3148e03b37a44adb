"""Every new-password field gets the strength meter (static/js/password-meter.js, ASVS 2.1.8),
pointed at the list the server refuses from; the browser tests check what it says."""

import re

from webapp.accounts.models import User
from webapp.accounts.tokens import make_reset_token
from webapp.extensions import db

METER_SCRIPT = '<script src="/static/js/password-meter.js" defer></script>'
METERED = re.compile(r'<input[^>]*data-password-meter="/static/common-passwords.txt"[^>]*>')


def test_register_reset_and_settings_meter_their_new_password_field(app, client, auth):
    page = client.get("/accounts/register").text
    assert METER_SCRIPT in page
    assert 'autocomplete="new-password"' in METERED.search(page).group(0)

    auth.register()
    settings = client.get("/accounts/settings").text
    assert METER_SCRIPT in settings
    field = METERED.search(settings).group(0)
    assert 'id="new_password"' in field and 'data-email="person@example.org"' in field
    assert len(METERED.findall(settings)) == 1  # not the current-password fields

    with app.app_context():
        token = make_reset_token(db.session.query(User).one())
    reset = client.get(f"/accounts/reset/{token}").text
    assert METER_SCRIPT in reset and METERED.search(reset)


def test_sign_in_has_no_meter(client):
    page = client.get("/accounts/login").text
    assert "password-meter" not in page and "data-password-meter" not in page
