"""The public library: articles, their categories and tags."""

from datetime import date, datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import Model, db

EDITORIAL_TEAM = "Seedling editorial team"

article_tags = Table(
    "article_tag",
    db.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Category(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(80))

    articles: Mapped[list["Article"]] = relationship(back_populates="category")

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Tag(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class Article(Model):
    __searchable__ = True  # changes reach the search index (webapp.search.sync)
    # Listings read a handful of rows in index order instead of sorting every (large) row.
    __table_args__ = (
        Index("ix_article_listing", "is_published", "published_on", "id"),
        Index("ix_article_category_listing", "category_id", "is_published", "published_on", "id"),
        Index("ix_article_featured_listing", "featured", "is_published", "published_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(300))
    body_markdown: Mapped[str] = mapped_column(Text)
    # Rendered and sanitised once at import; pages insert it as is.
    body_html: Mapped[str] = mapped_column(Text)
    # The body as plain words, for the search index and snippets.
    body_text: Mapped[str] = mapped_column(Text)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"))
    author: Mapped[str] = mapped_column(String(120), default=EDITORIAL_TEAM)
    medical_reviewer: Mapped[str | None] = mapped_column(String(200))
    published_on: Mapped[date]
    updated_on: Mapped[date | None]
    reading_minutes: Mapped[int] = mapped_column(Integer)
    word_count: Mapped[int] = mapped_column(Integer)
    video_url: Mapped[str | None] = mapped_column(String(500))
    video_title: Mapped[str | None] = mapped_column(String(200))
    references: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The public correction log: [{"date": "YYYY-MM-DD", "text": "..."}], as the file lists it.
    corrections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    featured: Mapped[bool] = mapped_column(default=False)
    is_published: Mapped[bool] = mapped_column(default=True)
    # Which search generation last touched this row (see webapp.search.sync).
    search_generation: Mapped[int] = mapped_column(Integer, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship(back_populates="articles", lazy="joined")
    tags: Mapped[list[Tag]] = relationship(
        secondary=article_tags, order_by=Tag.name, lazy="selectin"
    )

    @property
    def last_changed_on(self) -> date:
        return self.updated_on or self.published_on

    @property
    def correction_log(self) -> list[tuple[date, str]]:
        """(date, what changed), newest first, for the article page."""
        entries = [(date.fromisoformat(c["date"]), c["text"]) for c in self.corrections or []]
        return sorted(entries, key=lambda entry: entry[0], reverse=True)

    @property
    def is_reviewed(self) -> bool:
        return bool(self.medical_reviewer)

    def __repr__(self) -> str:
        return f"<Article {self.slug}>"
