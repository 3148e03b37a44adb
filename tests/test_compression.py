"""Gzip for text responses, when the browser accepts it and BREACH cannot read a secret."""

import gzip

from tests.journal_support import journal  # noqa: F401

GZIP = {"Accept-Encoding": "gzip, deflate, br"}
OWN_SITE = {**GZIP, "Sec-Fetch-Site": "same-origin"}


def test_a_public_page_and_the_stylesheet_are_compressed_with_vary(client):
    page = client.get("/about", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers.get_all("Vary")[0] or "Accept-Encoding" in ",".join(page.headers.get_all("Vary"))
    assert b"Seedling" in gzip.decompress(page.data)
    assert int(page.headers["Content-Length"]) == len(page.data)
    css = client.get("/static/css/app.css", headers=GZIP)
    assert css.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(css.data).startswith(b"/* Seedling")
    css.close()


def test_nothing_is_compressed_for_a_client_that_does_not_ask(client):
    page = client.get("/about")
    assert "Content-Encoding" not in page.headers
    assert "Accept-Encoding" in ",".join(page.headers.get_all("Vary"))
    refused = client.get("/about", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers


def test_small_and_binary_responses_stay_as_they_are(client):
    icon = client.get("/static/img/icon-192.png", headers=GZIP)
    assert "Content-Encoding" not in icon.headers and icon.data.startswith(b"\x89PNG")
    icon.close()
    robots = client.get("/robots.txt", headers=GZIP)
    assert len(robots.data) < 500 and "Content-Encoding" not in robots.headers


def test_journal_pages_are_compressed_only_for_requests_from_this_site(journal):
    from_elsewhere = journal.client.get("/journal/", headers={**GZIP, "Sec-Fetch-Site": "cross-site"})
    assert "Content-Encoding" not in from_elsewhere.headers
    unmarked = journal.client.get("/journal/", headers=GZIP)
    assert "Content-Encoding" not in unmarked.headers
    own = journal.client.get("/journal/", headers=OWN_SITE)
    assert own.headers["Content-Encoding"] == "gzip"
    assert "Welcome to your journal" in gzip.decompress(own.data).decode()
    assert own.headers["Cache-Control"] == "no-store"


def test_a_not_modified_answer_has_no_body_to_compress(client):
    first = client.get("/static/css/app.css", headers=GZIP)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')  # the compressed bytes are not the file's bytes
    first.close()
    again = client.get("/static/css/app.css", headers={**GZIP, "If-None-Match": etag})
    assert again.status_code == 304 and "Content-Encoding" not in again.headers
    again.close()
