"""What library pages say about themselves: descriptions, Open Graph, JSON-LD, the editorial
policy, and who runs the site."""

import json
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from webapp.articles.models import Article
from webapp.extensions import db

OG_PROPERTIES = ("og:title", "og:description", "og:type", "og:url")
# Values for the library's URL variables: a real article, category and tag.
PUBLIC_VALUES = {"slug": "coverline", "tag": "bbt"}


class HeadReader(HTMLParser):
    """The <meta> tags and JSON-LD blocks of a page, and its links."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.links: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, attrs.get("content") or "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data


def read(page: str) -> HeadReader:
    reader = HeadReader()
    reader.feed(page)
    return reader


def public_html_paths(app) -> list[str]:
    """Every GET page of the library blueprint that answers HTML (feeds and robots are not)."""
    with app.app_context():
        category_slug = db.session.scalar(select(Article).where(Article.slug == "coverline")).category.slug
    values = PUBLIC_VALUES | {"category.slug": category_slug}
    paths = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("articles.") or "GET" not in rule.methods:
            continue
        arguments = {name: values.get(f"{rule.endpoint.split('.')[1]}.{name}", values.get(name)) for name in rule.arguments}
        paths.append(rule.build(arguments)[1])
    return paths + ["/search?q=sperm", "/articles/?page=2"]


def test_every_public_page_has_a_description_and_open_graph(app, client, library):
    paths = public_html_paths(app)
    html_pages = 0
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        if response.mimetype != "text/html":
            continue
        html_pages += 1
        meta = read(response.get_data(as_text=True)).meta
        assert len(meta.get("description", "")) >= 40, path
        for prop in OG_PROPERTIES:
            assert meta.get(prop), f"{path} has no {prop}"
        assert meta["og:url"].startswith("http://localhost/"), path
        assert meta["og:description"] == meta["description"], path
    assert html_pages >= 10 and {"/", "/about", "/privacy", "/editorial-policy", "/search"} <= set(paths)


def test_open_graph_names_the_page_itself(client, library):
    article = read(client.get("/articles/coverline").get_data(as_text=True)).meta
    assert article["og:type"] == "article"
    assert article["og:url"] == "http://localhost/articles/coverline"
    listing = read(client.get("/articles/?page=2").get_data(as_text=True)).meta
    assert listing["og:type"] == "website" and listing["og:url"] == "http://localhost/articles/?page=2"
    search = read(client.get("/search?q=sperm&utm_source=x").get_data(as_text=True)).meta
    assert search["og:url"] == "http://localhost/search?q=sperm"


def article_json_ld(client, slug: str) -> dict:
    reader = read(client.get(f"/articles/{slug}").get_data(as_text=True))
    assert len(reader.json_ld) == 1
    return json.loads(reader.json_ld[0])


def test_articles_carry_medical_web_page_json_ld(client, library):
    data = article_json_ld(client, "coverline")
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["headline"] == "The coverline: how a temperature rise is confirmed"
    assert data["url"] == "http://localhost/articles/coverline"
    assert data["author"] == {"@type": "Organization", "name": "Seedling editorial team"}
    assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"] == "Seedling"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", data["datePublished"])
    assert data["dateModified"] >= data["datePublished"]
    assert data["citation"] and all(isinstance(c, str) for c in data["citation"])
    assert "lastReviewed" not in data and "reviewedBy" not in data  # not reviewed: nothing claimed


def test_json_ld_names_a_reviewer_only_when_there_is_one(app, client, library):
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == "coverline")).medical_reviewer = "Dr A. Example, GP"
        db.session.commit()
    data = article_json_ld(client, "coverline")
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr A. Example, GP"}


def test_json_ld_cannot_be_broken_out_of(app, client, library):
    hostile = 'Spotting </script><script>alert(1)</script> & "quotes" <!--'
    with app.app_context():
        article = db.session.scalar(select(Article).where(Article.slug == "coverline"))
        article.title = hostile
        article.summary = "</SCRIPT> in a summary"
        db.session.commit()
    page = client.get("/articles/coverline").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block
    data = json.loads(block)
    assert data["headline"] == hostile and data["description"] == "</SCRIPT> in a summary"
    assert page.count("<script") == 1  # the data block, and no other
    assert read(page).meta["og:title"] == hostile


def test_the_csp_still_applies_and_the_data_block_is_not_script(client, library):
    response = client.get("/articles/coverline")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert re.findall(r"<script\b[^>]*>", response.get_data(as_text=True)) == ['<script type="application/ld+json">']


# -- the editorial policy ------------------------------------------------------------------------


def test_the_editorial_policy_page(client, library):
    page = client.get("/editorial-policy").get_data(as_text=True)
    for heading in ("Who writes the articles", "Where the facts come from", "How articles are checked",
                    "What “not yet reviewed by a clinician” means", "How we correct articles", "Reporting an error"):
        assert heading in page
    assert "Seedling editorial team" in page
    assert "no published article has been reviewed by a clinician yet" in page


def test_the_editorial_policy_counts_reviewed_articles(app, client, library):
    with app.app_context():
        db.session.scalar(select(Article).where(Article.slug == "coverline")).medical_reviewer = "Dr A. Example"
        db.session.commit()
        total = len(db.session.scalars(select(Article).where(Article.is_published)).all())
    assert f"Today 1 of the {total} published articles has been reviewed by a clinician." in client.get("/editorial-policy").get_data(as_text=True)


def test_every_article_links_to_the_editorial_policy(app, client, library):
    with app.app_context():
        slugs = db.session.scalars(select(Article.slug).where(Article.is_published)).all()
    assert len(slugs) >= 24
    for slug in slugs:
        page = client.get(f"/articles/{slug}").get_data(as_text=True)
        byline = re.search(r'<p class="byline">(.*?)</p>', page, re.S).group(1)
        assert 'href="/editorial-policy"' in byline, slug


@pytest.mark.parametrize("path", ["/", "/about", "/articles/coverline", "/search?q=sperm", "/no-such-page"])
def test_the_footer_links_to_the_editorial_policy(client, library, path):
    page = client.get(path).get_data(as_text=True)
    footer = page[page.index('<footer class="site-footer">'):]
    assert 'href="/editorial-policy"' in footer


# -- who runs the site ---------------------------------------------------------------------------

CONTACT_PAGES = ["/about", "/privacy", "/editorial-policy"]


@pytest.mark.parametrize("path", CONTACT_PAGES)
def test_owner_and_contact_are_shown_when_set(app, client, path):
    app.config.update(SITE_OWNER="Example Health Ltd", CONTACT_EMAIL="hello@seedling.example")
    page = client.get(path).get_data(as_text=True)
    assert "Seedling is run by Example Health Ltd." in page
    assert '<a href="mailto:hello@seedling.example">hello@seedling.example</a>' in page
    assert "development copy" not in page and "is not set" not in page


@pytest.mark.parametrize("path", CONTACT_PAGES)
def test_a_development_copy_says_so_plainly(client, path):
    page = client.get(path).get_data(as_text=True)
    assert "This is a development copy of Seedling: <code>SITE_OWNER</code> is not set" in page
    assert "<code>CONTACT_EMAIL</code> is not set" in page
    assert "mailto:" not in page


def test_owner_and_contact_are_escaped(app, client):
    app.config.update(SITE_OWNER="<b>Bold</b> & Co", CONTACT_EMAIL='x@y.example"><script>')
    page = client.get("/about").get_data(as_text=True)
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page
    assert "<script>" not in page


def email_changed_body(app) -> str:
    from webapp.accounts.mail import send_email_changed

    with app.test_request_context():
        send_email_changed("old@example.org", "new@example.org")
    return app.extensions["mailman"].outbox[-1].body


def test_the_email_changed_mail_points_to_the_contact_address(app):
    app.config["CONTACT_EMAIL"] = "help@seedling.example"
    body = email_changed_body(app)
    assert "Please write to help@seedling.example from this address and we will help" in body
    assert "About page" not in body


def test_without_a_contact_address_the_mail_points_to_the_about_page(app):
    body = email_changed_body(app)
    assert "Please get in touch through the About page of Seedling" in body
