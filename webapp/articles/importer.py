"""Store parsed article files: upsert by slug; an article whose file is gone is unpublished.

The caller owns the transaction and commits.
"""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from .content import ArticleContent, slugify
from .models import Article, Category, Tag


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unpublished: int = 0


def _category(name: str, cache: dict[str, Category]) -> Category:
    slug = slugify(name)
    if slug not in cache:
        category = db.session.scalar(select(Category).where(Category.slug == slug))
        if category is None:
            category = Category(slug=slug, name=name)
            db.session.add(category)
        category.name = name
        cache[slug] = category
    return cache[slug]


def _tags(names: tuple[str, ...], cache: dict[str, Tag]) -> list[Tag]:
    missing = [n for n in names if n not in cache]
    if missing:
        for tag in db.session.scalars(select(Tag).where(Tag.name.in_(missing))):
            cache[tag.name] = tag
    for name in names:
        if name not in cache:
            cache[name] = Tag(name=name)
            db.session.add(cache[name])
    return [cache[n] for n in names]


FIELDS = (
    "title", "summary", "body_markdown", "body_html", "body_text", "published_on", "updated_on",
    "reading_minutes", "word_count", "medical_reviewer", "video_url", "video_title", "featured",
)


def import_articles(contents: list[ArticleContent], unpublish_missing: bool = True) -> ImportReport:
    report = ImportReport()
    existing = {a.slug: a for a in db.session.scalars(select(Article))}
    categories: dict[str, Category] = {}
    tags: dict[str, Tag] = {}
    for content in contents:
        article = existing.pop(content.slug, None)
        values = {name: getattr(content, name) for name in FIELDS}
        values["references"] = list(content.references)
        values["corrections"] = [
            {"date": c.corrected_on.isoformat(), "text": c.text} for c in content.corrections
        ]
        category = _category(content.category, categories)
        article_tags = _tags(content.tags, tags)
        if article is None:
            article = Article(slug=content.slug, category=category, tags=article_tags, **values)
            db.session.add(article)
            report.created += 1
            continue
        changed = (
            any(getattr(article, k) != v for k, v in values.items())
            or article.category is not category
            or sorted(t.name for t in article.tags) != sorted(content.tags)
            or not article.is_published
        )
        if not changed:
            report.unchanged += 1
            continue
        for key, value in values.items():
            setattr(article, key, value)
        article.category = category
        article.tags = article_tags
        article.is_published = True
        report.updated += 1
    if unpublish_missing:
        for article in existing.values():
            if article.is_published:
                article.is_published = False
                report.unpublished += 1
    return report
