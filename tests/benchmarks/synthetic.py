"""A deterministic synthetic library for benchmarks: N articles of about 800 words each.

Words are drawn from the bundled articles' own text, so their frequencies follow real English
(common words common, topic words rare) and searches behave as they would on a large library.
"""

import random
import re
from datetime import date, timedelta

from sqlalchemy import insert, select

from webapp.articles.content import read_article_files
from webapp.articles.models import Article, Category, Tag, article_tags
from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.extensions import db
from webapp.search.sync import bump_generation

CATEGORIES = [
    ("insemination-at-home", "Insemination at home"),
    ("charting-and-signs", "Charting and signs"),
    ("the-two-week-wait-and-testing", "The two-week wait and testing"),
    ("pregnancy-loss", "Pregnancy loss"),
    ("donor-sperm", "Donor sperm"),
    ("getting-help", "Getting help"),
]


def corpus_words() -> list[str]:
    words: list[str] = []
    for article in read_article_files(BUNDLED_ARTICLES):
        words += re.findall(r"[A-Za-z]+", article.body_text)
    return words


def paragraphs(rng: random.Random, words: list[str], count: int) -> str:
    out, sentence = [], []
    for _ in range(count):
        sentence.append(rng.choice(words))
        if len(sentence) >= rng.randint(8, 18):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    out.append(" ".join(sentence).capitalize() + ".")
    return "\n".join(out)


def seed_articles(count: int, words_per_article: int = 800, seed: int = 7) -> None:
    """Insert `count` published articles in bulk (inside the caller's app context)."""
    rng = random.Random(seed)
    words = corpus_words()
    vocabulary = sorted(set(w.lower() for w in words if len(w) > 3))
    for slug, name in CATEGORIES:
        if db.session.scalar(select(Category.id).where(Category.slug == slug)) is None:
            db.session.add(Category(slug=slug, name=name))
    tag_names = rng.sample(vocabulary, 60)
    for name in tag_names:
        db.session.add(Tag(name=name))
    db.session.flush()
    category_ids = list(db.session.scalars(select(Category.id)))
    tag_ids = list(db.session.scalars(select(Tag.id)))
    generation = bump_generation(db.session.connection())
    start = date(2020, 1, 1)
    batch = 500
    for offset in range(0, count, batch):
        rows, links = [], []
        for n in range(offset, min(offset + batch, count)):
            body = paragraphs(rng, words, words_per_article)
            title = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 7))).capitalize()
            rows.append(
                dict(
                    slug=f"synthetic-{n}",
                    title=title,
                    summary=paragraphs(rng, words, 22)[:290],
                    body_markdown=body,
                    body_html="".join(f"<p>{p}</p>" for p in body.split("\n")),
                    body_text=body,
                    category_id=rng.choice(category_ids),
                    author="Seedling editorial team",
                    published_on=start + timedelta(days=n % 2000),
                    reading_minutes=4,
                    word_count=words_per_article,
                    references=[],
                    featured=False,
                    is_published=True,
                    search_generation=generation,
                )
            )
        ids = db.session.execute(insert(Article).returning(Article.id), rows).scalars().all()
        for article_id in ids:
            for tag_id in rng.sample(tag_ids, 3):
                links.append({"article_id": article_id, "tag_id": tag_id})
        db.session.execute(insert(article_tags), links)
