"""Reusable article queries (always published only)."""

from sqlalchemy import Select, case, func, select

from ..extensions import db
from .models import Article, Category, Tag, article_tags


def published() -> Select:
    return select(Article).where(Article.is_published.is_(True))


def newest_first(query: Select) -> Select:
    return query.order_by(Article.published_on.desc(), Article.id.desc())


def articles_by_ids(ids: list[int]) -> list[Article]:
    """Search ids back into articles, in the order the index ranked them."""
    if not ids:
        return []
    order = case({article_id: rank for rank, article_id in enumerate(ids)}, value=Article.id)
    return list(db.session.scalars(published().where(Article.id.in_(ids)).order_by(order)))


def categories_with_counts() -> list[tuple[Category, int]]:
    rows = db.session.execute(
        select(Category, func.count(Article.id))
        .join(Article, Article.category_id == Category.id)
        .where(Article.is_published.is_(True))
        .group_by(Category.id)
        .order_by(Category.name)
    )
    return [(category, count) for category, count in rows]


def tag_by_name(name: str) -> Tag | None:
    return db.session.scalar(select(Tag).where(Tag.name == name))


def with_tag(tag: Tag) -> Select:
    return published().join(article_tags, article_tags.c.article_id == Article.id).where(
        article_tags.c.tag_id == tag.id
    )
