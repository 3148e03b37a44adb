"""Published articles as search documents, read with Core queries outside the ORM session.

The index catches up right after a commit, when the session can no longer run SQL, so every
read here takes its own short connection.
"""

from collections import defaultdict
from collections.abc import Iterator

from sqlalchemy import select, true

from ..extensions import db
from ..search import SearchDocument
from ..search.sync import current_generation
from .models import Article, Category, Tag, article_tags

BATCH = 500


def _documents(connection, condition) -> Iterator[tuple[SearchDocument, bool]]:
    rows = connection.execute(
        select(
            Article.id, Article.title, Article.summary, Article.body_text, Article.is_published,
            Category.slug,
        )
        .join(Category, Article.category_id == Category.id)
        .where(condition)
        .order_by(Article.id)
        .execution_options(yield_per=BATCH)
    )
    for chunk in rows.partitions(BATCH):
        ids = [row.id for row in chunk]
        tags = defaultdict(list)
        for article_id, name in connection.execute(
            select(article_tags.c.article_id, Tag.name)
            .join(Tag, Tag.id == article_tags.c.tag_id)
            .where(article_tags.c.article_id.in_(ids))
        ):
            tags[article_id].append(name)
        for row in chunk:
            document = SearchDocument(
                id=str(row.id),
                title=row.title,
                summary=row.summary,
                tags=tuple(sorted(tags[row.id])),
                category=row.slug,
                body=row.body_text,
            )
            yield document, row.is_published


class ArticleDocuments:
    def generation(self) -> int:
        with db.engine.connect() as connection:
            return current_generation(connection)

    def changed_since(self, watermark: int) -> tuple[list[SearchDocument], list[str]]:
        upserts, removals = [], []
        with db.engine.connect() as connection:
            for document, published in _documents(connection, Article.search_generation > watermark):
                if published:
                    upserts.append(document)
                else:
                    removals.append(document.id)
        return upserts, removals

    def published_ids(self) -> set[str]:
        with db.engine.connect() as connection:
            return {str(i) for i in connection.scalars(select(Article.id).where(Article.is_published == true()))}

    def all_documents(self) -> Iterator[SearchDocument]:
        with db.engine.connect() as connection:
            for document, _ in _documents(connection, Article.is_published == true()):
                yield document
