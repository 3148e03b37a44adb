"""Each person's time zone: sent by the browser at registration, chosen in Settings, offered on
journal pages when the browser's differs."""

from sqlalchemy import select

from tests.conftest import PASSWORD
from webapp.accounts.models import User
from webapp.extensions import db


def zone_of(app, email="person@example.org"):
    with app.app_context():
        return db.session.scalar(select(User.time_zone).where(User.email == email))


def register(client, email, **extra):
    return client.post("/accounts/register", data={"email": email, "password": PASSWORD, **extra})


def test_registration_keeps_the_browser_s_zone_and_ignores_a_bad_one(app, client):
    form = client.get("/accounts/register").get_data(as_text=True)
    assert 'name="time_zone"' in form and "data-device-time-zone" in form
    register(client, "honolulu@example.org", time_zone="Pacific/Honolulu")
    assert zone_of(app, "honolulu@example.org") == "Pacific/Honolulu"
    client.post("/accounts/logout")
    response = register(client, "nowhere@example.org", time_zone="Mars/Olympus_Mons")
    assert response.status_code == 302  # a browser's odd answer never blocks an account
    assert zone_of(app, "nowhere@example.org") is None


def test_the_zone_is_chosen_in_settings_and_a_bad_one_is_a_clear_form_error(app, client, auth):
    auth.register()
    settings = client.get("/accounts/settings").get_data(as_text=True)
    assert '<select' in settings and '<option value="Pacific/Auckland">Pacific/Auckland</option>' in settings
    assert settings.count('id="csrf_token"') == 0  # one token per form, no duplicate ids
    bad = client.post("/accounts/settings/preferences", data={"temperature_unit": "C", "week_starts_on": "0", "time_zone": "Europe/Atlantis"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and 'class="error-summary"' in page
    assert "Please choose a time zone from the list" in page and zone_of(app) is None
    good = client.post("/accounts/settings/preferences", data={"temperature_unit": "C", "week_starts_on": "0", "time_zone": "America/New_York"})
    assert good.status_code == 302 and zone_of(app) == "America/New_York"
    # A post from an older form without the field leaves the zone as it is.
    client.post("/accounts/settings/preferences", data={"temperature_unit": "F", "week_starts_on": "0"})
    assert zone_of(app) == "America/New_York"


def test_the_one_tap_offer_saves_the_device_zone_and_returns(app, client, auth):
    auth.register()
    page = client.get("/journal/").get_data(as_text=True)
    assert "data-time-zone-offer" in page and 'data-account-zone="UTC"' in page and "hidden>" in page
    response = client.post("/accounts/settings/time-zone", data={"time_zone": "Pacific/Auckland", "next": "/journal/calendar"})
    assert response.headers["Location"] == "/journal/calendar" and zone_of(app) == "Pacific/Auckland"
    refused = client.post("/accounts/settings/time-zone", data={"time_zone": "Nowhere", "next": "https://evil.example/"})
    assert refused.headers["Location"] == "/accounts/settings" and zone_of(app) == "Pacific/Auckland"
    assert "Please choose a time zone from the list" in client.get("/accounts/settings").get_data(as_text=True)


def test_without_a_stored_zone_settings_shows_the_zone_in_use(app, client, auth):
    # No zone stored (registered without a script, or the demo): the journal counts days in UTC,
    # so Settings selects UTC, not the list's first entry (Africa/Abidjan) that a save would keep.
    auth.register()
    assert zone_of(app) is None
    settings = client.get("/accounts/settings").get_data(as_text=True)
    assert '<option selected value="UTC">UTC</option>' in settings
