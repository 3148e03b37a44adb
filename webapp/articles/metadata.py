"""What library pages say about themselves to search engines and link previews.

Open Graph tags and a meta description on every public page (templates/_macros/page_meta.html),
and schema.org JSON-LD on articles. The JSON-LD goes in a `<script type="application/ld+json">`
data block: browsers never execute it, so the Content Security Policy's script-src does not
apply, and the `tojson` filter escapes <, >, & and ' so that no text can close the element.
"""

from flask import current_app, request

from ..urls import external_url
from .models import EDITORIAL_TEAM, Article

# Arguments that make a different page of the same view (others are not part of its address).
PAGE_ARGUMENTS = ("q", "category", "page")


def absolute_url(endpoint: str, **values) -> str:
    # From SITE_URL, never the request's Host: these pages are cached for every reader.
    return external_url(endpoint, **values)


def canonical_url() -> str:
    """This page's own absolute address: its view arguments and the arguments that change it."""
    values = dict(request.view_args or {})
    for name in PAGE_ARGUMENTS:
        value = request.args.get(name)
        if value and not (name == "page" and value == "1"):
            values[name] = value
    if request.endpoint is None:  # only a page matched to a route has an address of its own
        raise RuntimeError("canonical_url needs a request matched to a route")
    return absolute_url(request.endpoint, **values)


def organisation(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def article_json_ld(article: Article) -> dict:
    site_name = current_app.config["SITE_NAME"]
    url = absolute_url("articles.article", slug=article.slug)
    publisher = organisation(site_name) | {"url": absolute_url("articles.home")}
    author = organisation(EDITORIAL_TEAM) if article.author == EDITORIAL_TEAM else {"@type": "Person", "name": article.author}
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "headline": article.title,
        "name": article.title,
        "description": article.summary,
        "inLanguage": "en",
        "datePublished": article.published_on.isoformat(),
        "dateModified": article.last_changed_on.isoformat(),
        "author": author,
        "publisher": publisher,
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": absolute_url("articles.home")},
        "articleSection": article.category.name,
        "keywords": [tag.name for tag in article.tags],
        "wordCount": article.word_count,
    }
    if article.is_reviewed:
        data["reviewedBy"] = {"@type": "Person", "name": article.medical_reviewer}
        # No "lastReviewed": articles keep no date of review, and a guessed one would be false.
    if article.references:
        data["citation"] = list(article.references)
    return data


def init_metadata(app) -> None:
    app.jinja_env.globals["canonical_url"] = canonical_url
    app.jinja_env.globals["article_json_ld"] = article_json_ld
