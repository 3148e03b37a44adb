"""A person's own date: webapp.clock.today_for and the fixable clock."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

from webapp import clock


def test_today_for_follows_the_person_s_time_zone_either_side_of_utc():
    # 1 December 07:38 UTC: still 30 November at 21:38 in Honolulu, 20:38 in Auckland on the 1st.
    with clock.fixed_utcnow(datetime(2026, 12, 1, 7, 38)):
        assert clock.today_for(SimpleNamespace(time_zone="Pacific/Honolulu")) == date(2026, 11, 30)
        assert clock.today_for(SimpleNamespace(time_zone="Pacific/Auckland")) == date(2026, 12, 1)
        assert clock.today_for(SimpleNamespace(time_zone="Europe/London")) == date(2026, 12, 1)
    # 17:30 UTC on 1 December is already 06:30 on 2 December in Auckland.
    with clock.fixed_utcnow(datetime(2026, 12, 1, 17, 30)):
        assert clock.today_for(SimpleNamespace(time_zone="Pacific/Auckland")) == date(2026, 12, 2)
        assert clock.now_for(SimpleNamespace(time_zone="Pacific/Auckland")) == datetime(2026, 12, 2, 6, 30)


def test_without_a_valid_zone_the_date_is_utc():
    with clock.fixed_utcnow(datetime(2026, 12, 1, 23, 59)):
        for person in (SimpleNamespace(time_zone=None), SimpleNamespace(time_zone="Mars/Olympus"), object(), None):
            assert clock.today_for(person) == date(2026, 12, 1)
        assert clock.today_in("../../etc/passwd") == date(2026, 12, 1)


def test_the_fixed_clock_takes_aware_times_and_is_restored():
    with clock.fixed_utcnow(datetime(2026, 6, 1, 12, 0, tzinfo=UTC)):
        assert clock.utcnow() == datetime(2026, 6, 1, 12, 0)
        with clock.fixed_utcnow(datetime(2030, 1, 1)):
            assert clock.today() == date(2030, 1, 1)
        assert clock.today() == date(2026, 6, 1)
    assert clock.utcnow().year >= 2026 and clock._fixed is None


def test_zone_names_are_iana_names_only():
    assert clock.is_zone("Pacific/Honolulu") and clock.is_zone("UTC")
    assert not clock.is_zone("pacific/honolulu") and not clock.is_zone("") and not clock.is_zone(None)
