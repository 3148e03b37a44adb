import re

from sqlalchemy import select

from webapp.articles.content import parse_article
from webapp.articles.importer import import_articles
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


CORRECTED_ARTICLE = """---
title: "Resting after insemination"
summary: "What the trials say."
category: "Insemination at home"
tags: [insemination]
published: 2026-06-04
updated: 2026-12-01
corrections:
  - {date: 2026-09-10, text: "The list of warning signs now includes fever."}
  - {date: 2026-12-01, text: "The section on resting now reflects the 2017 trial."}
---
Resting is optional.
"""


def test_article_page_shows_the_correction_log_newest_first(app, client):
    with app.app_context():
        import_articles([parse_article(CORRECTED_ARTICLE, "resting")])
        db.session.commit()
    page = client.get("/articles/resting").get_data(as_text=True)
    newest = (
        'Updated <time datetime="2026-12-01">1 December 2026</time>: '
        "The section on resting now reflects the 2017 trial."
    )
    older = (
        'Updated <time datetime="2026-09-10">10 September 2026</time>: '
        "The list of warning signs now includes fever."
    )
    assert newest in page and older in page
    assert page.index(newest) < page.index(older) < page.index("Resting is optional.")


def test_a_changed_correction_log_is_stored_on_reimport(app, client):
    with app.app_context():
        import_articles([parse_article(CORRECTED_ARTICLE, "resting")])
        db.session.commit()
        fewer = CORRECTED_ARTICLE.replace(
            '  - {date: 2026-09-10, text: "The list of warning signs now includes fever."}\n', ""
        )
        report = import_articles([parse_article(fewer, "resting")])
        db.session.commit()
        article = db.session.scalar(select(Article).where(Article.slug == "resting"))
        assert report.updated == 1
        assert article.corrections == [
            {"date": "2026-12-01", "text": "The section on resting now reflects the 2017 trial."}
        ]


def test_an_article_without_corrections_shows_no_log(app, client):
    uncorrected = CORRECTED_ARTICLE.split("corrections:")[0] + "---\nResting is optional.\n"
    with app.app_context():
        import_articles([parse_article(uncorrected, "resting")])
        db.session.commit()
    page = client.get("/articles/resting").get_data(as_text=True)
    assert "Resting is optional." in page and 'class="corrections"' not in page


def test_unknown_and_unpublished_articles_are_404(app, client, library):
    assert client.get("/articles/no-such-article").status_code == 404
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "coverline"))
        article.is_published = False
        db.session.commit()
    response = client.get("/articles/coverline")
    assert response.status_code == 404
    assert "We could not find that page" in response.get_data(as_text=True)


def test_list_is_paginated_newest_first(app, client, library):
    # Counted from the library, so adding articles does not break the test.
    pages = -(-len(library) // app.config["ARTICLES_PER_PAGE"])
    assert pages >= 2
    first = client.get("/articles/").get_data(as_text=True)
    assert f"Page 1 of {pages}" in first
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
