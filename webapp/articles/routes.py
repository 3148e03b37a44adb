from flask import Response, abort, current_app, render_template, request
from sqlalchemy import case, func, select, true

from ..clock import utcnow
from ..extensions import db
from ..search import get_index
from ..urls import external_url
from . import bp
from .forms import SearchForm
from .fragments import public_page
from .models import Article, Category
from .page_cache import cached_public_page
from .queries import (
    cards_by_ids,
    categories_with_counts,
    newest_first,
    published,
    tag_by_name,
    with_tag,
)
from .search_page import results_page


def page_number() -> int:
    """?page= as a sane positive integer; anything else reads as page 1."""
    raw = request.args.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        return 1
    return max(int(raw), 1)


def paginate(query):
    pagination = db.paginate(
        query, page=page_number(), per_page=current_app.config["ARTICLES_PER_PAGE"], error_out=False
    )
    if pagination.page > 1 and not pagination.items:
        abort(404)
    return pagination


@bp.get("/")
@cached_public_page
def home():
    def context() -> dict:
        featured = db.session.scalars(newest_first(published().where(Article.featured == true())).limit(3)).all()
        latest_query = newest_first(published()).limit(6)
        if featured:
            latest_query = latest_query.where(Article.id.not_in([a.id for a in featured]))
        latest = db.session.scalars(latest_query).all()
        return dict(
            featured=featured,
            latest=latest,
            categories=categories_with_counts(),
            form=SearchForm(formdata=None),
        )

    return public_page("articles/home.html", context)


@bp.get("/articles/")
@cached_public_page
def index():
    return public_page(
        "articles/list.html",
        lambda: dict(pagination=paginate(newest_first(published())), heading="All articles"),
    )


@bp.get("/articles/<slug>")
@cached_public_page
def article(slug: str):
    def context() -> dict:
        item = db.session.scalar(published().where(Article.slug == slug))
        if item is None:
            abort(404)
        related = cards_by_ids(get_index().related(item.id, item.body_text, limit=3))
        return dict(article=item, related=related)

    return public_page("articles/article.html", context)


@bp.get("/categories/<slug>")
@cached_public_page
def category(slug: str):
    def context() -> dict:
        item = db.session.scalar(select(Category).where(Category.slug == slug))
        if item is None:
            abort(404)
        pagination = paginate(newest_first(published().where(Article.category_id == item.id)))
        if not pagination.items:
            abort(404)
        return dict(pagination=pagination, heading=item.name, category=item)

    return public_page("articles/list.html", context)


@bp.get("/tags/<tag>")
@cached_public_page
def tag(tag: str):
    def context() -> dict:
        item = tag_by_name(tag)
        if item is None:
            abort(404)
        pagination = paginate(newest_first(with_tag(item)))
        if not pagination.items:
            abort(404)
        return dict(pagination=pagination, heading=f"Tagged “{item.name}”", tag=item)

    return public_page("articles/list.html", context)


@bp.get("/search")
@cached_public_page
def search():
    def context() -> dict:
        category = request.args.get("category") or None
        page = results_page(
            request.args.get("q", ""), page_number(), current_app.config["SEARCH_PER_PAGE"], category,
            exact=bool(request.args.get("exact")),
        )
        return dict(
            form=SearchForm(request.args),
            results=page.results,
            articles=page.articles,
            snippets=page.snippets,
            suggestion=page.suggestion,
            corrected_from=page.corrected_from,
            category=category,
            category_names=page.category_names,
        )

    return public_page("articles/search.html", context)


@bp.get("/about")
@cached_public_page
def about():
    return public_page("articles/about.html", dict)


@bp.get("/privacy")
@cached_public_page
def privacy():
    return public_page("articles/privacy.html", dict)


@bp.get("/feed.xml")
@cached_public_page
def feed():
    items = db.session.scalars(newest_first(published()).limit(20)).all()
    body = render_template("articles/feed.xml", articles=items, generated=utcnow())
    return Response(body, mimetype="application/atom+xml")


@bp.get("/sitemap.xml")
@cached_public_page
def sitemap():
    items = db.session.scalars(newest_first(published())).all()
    categories = [c for c, _ in categories_with_counts()]
    body = render_template("articles/sitemap.xml", articles=items, categories=categories)
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
@cached_public_page
def robots():
    lines = [
        "User-agent: *",
        "Disallow: /journal/",
        "Disallow: /accounts/",
        "Disallow: /search",
        f"Sitemap: {external_url('articles.sitemap')}",
    ]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.get("/editorial-policy")
@cached_public_page
def editorial_policy():
    reviewed = case((Article.medical_reviewer != "", 1))
    article_count, reviewed_count = db.session.execute(
        select(func.count(Article.id), func.count(reviewed)).where(Article.is_published == true())
    ).one()
    return render_template("articles/editorial_policy.html", article_count=article_count, reviewed_count=reviewed_count)
