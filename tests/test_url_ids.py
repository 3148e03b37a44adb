"""Ids in URLs beyond what the database can hold are a 404, never a 500."""

import re

import pytest

HUGE = "99999999999999999999"  # beyond 2**63 - 1: SQLite and PostgreSQL cannot bind it
JUST_BEYOND = str(2**31)  # beyond PostgreSQL's INTEGER
LARGEST = str(2**31 - 1)


def int_routes(app) -> list[str]:
    """Every GET route with an <int:…> part, the parts replaced by a placeholder."""
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and "<int:" in rule.rule:
            paths.append(re.sub(r"<int:[a-z_]+>", "{id}", rule.rule))
    return paths


def test_the_journal_has_id_routes_to_walk(app):
    assert len(int_routes(app)) >= 8


def test_int_in_a_route_is_the_bounded_converter(app):
    from webapp.urls import DatabaseIntegerConverter

    assert app.url_map.converters["int"] is DatabaseIntegerConverter


@pytest.mark.parametrize("value", [HUGE, "1" + "0" * 40, str(2**63 - 1), JUST_BEYOND, LARGEST])
def test_every_id_route_answers_404_to_an_id_out_of_range(app, client, auth, value):
    auth.register()
    for path in int_routes(app):
        response = client.get(path.format(id=value))
        assert response.status_code == 404, path


@pytest.mark.parametrize("value", [str(2**63), str(2**31), "0", "-1"])
def test_a_new_entry_for_a_day_id_out_of_range_is_404(app, client, auth, value):
    auth.register()
    for path in ("/journal/inseminations/new", "/journal/tests/new"):
        assert client.get(f"{path}?day={value}").status_code == 404, path
