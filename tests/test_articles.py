import re
from datetime import date

import pytest
from sqlalchemy import select

from webapp.articles.models import Article
from webapp.extensions import db

REQUIRED_SLUGS = [
    "leakage-after-insemination", "how-to-chart-your-cycle", "implantation-bleeding",
    "chemical-pregnancy", "how-to-find-your-cervix", "cervical-mucus-types",
    "ovulation-predictor-kits", "when-to-inseminate", "ici-vs-iui", "fresh-vs-frozen-sperm",
    "thawing-frozen-sperm", "after-insemination-what-to-do", "two-week-wait",
    "when-to-take-a-pregnancy-test", "hcg-levels", "luteal-phase", "coverline",
    "sympto-thermal-method", "irregular-cycles", "known-donor-or-bank-donor",
    "when-to-see-a-fertility-specialist",
]


def test_bundled_library_is_complete(bundled_articles):
    slugs = {a.slug for a in bundled_articles}
    assert len(bundled_articles) >= 24
    assert set(REQUIRED_SLUGS) <= slugs
    for article in bundled_articles:
        assert 500 <= article.word_count <= 1200, article.slug
        assert "!" not in article.title


def test_home_lists_latest_and_categories(client, library):
    page = client.get("/").get_data(as_text=True)
    assert "Latest articles" in page
    assert "Insemination at home" in page
    assert 'action="/search"' in page


def test_article_page(client, library):
    response = client.get("/articles/leakage-after-insemination")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Seedling editorial team" in page
    assert "Not yet reviewed by a clinician" in page
    assert '<link rel="canonical" href="http://localhost/articles/leakage-after-insemination">' in page
    assert 'property="og:title"' in page
    assert 'name="description"' in page
    assert "min read" in page
    assert "Related articles" in page
    assert page.count('class="card"') == 3
    assert "not medical advice" in page


def test_unknown_and_unpublished_articles_are_404(app, client, library):
    assert client.get("/articles/no-such-article").status_code == 404
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "coverline"))
        article.is_published = False
        db.session.commit()
    response = client.get("/articles/coverline")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_list_is_paginated_newest_first(client, library):
    first = client.get("/articles/").get_data(as_text=True)
    assert "Page 1 of 3" in first
    second = client.get("/articles/?page=2")
    assert second.status_code == 200
    assert client.get("/articles/?page=99").status_code == 404
    assert client.get("/articles/?page=abc").status_code == 200


def test_category_and_tag_pages(client, library):
    page = client.get("/categories/donor-sperm").get_data(as_text=True)
    assert "thawing-frozen-sperm" in page
    assert client.get("/categories/nothing-here").status_code == 404
    assert client.get("/tags/insemination").status_code == 200
    assert client.get("/tags/not-a-tag").status_code == 404


def test_feed_sitemap_robots(client, library):
    feed = client.get("/feed.xml")
    assert feed.mimetype == "application/atom+xml"
    assert feed.get_data(as_text=True).count("<entry>") == 20
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/articles/coverline</loc>" in sitemap
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /journal/" in robots


def test_every_page_carries_the_disclaimer(client, library):
    for url in ["/", "/articles/", "/search?q=mucus", "/about", "/privacy", "/nope"]:
        assert "not medical advice" in client.get(url).get_data(as_text=True), url


# Anything a browser fetches by itself: scripts, styles, icons, images, frames, media.
LOADED_ADDRESS = re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?\b(?:src|href|data)=\"([^\"]*)\"", re.I)


def test_no_third_party_assets(client, library):
    for url in ["/", "/articles/coverline", "/search?q=sperm", "/editorial-policy"]:
        page = client.get(url).get_data(as_text=True)
        addresses = LOADED_ADDRESS.findall(page)
        assert any(a.endswith("app.css") for a in addresses), url
        for address in addresses:
            assert address.startswith("/") and not address.startswith("//") or address.startswith("http://localhost/"), (url, address)
        # The only other site named is schema.org, as the JSON-LD's vocabulary (data, never fetched).
        assert "http://" not in page.replace("http://localhost", "")
        assert "https://" not in page.replace('"https://schema.org"', "")
