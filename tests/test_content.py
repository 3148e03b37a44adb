import pytest

from webapp.articles.content import ArticleFormatError, parse_article, render_markdown, slugify

GOOD = """---
title: "A title"
summary: "A dek."
category: "Charting and signs"
tags: [Charting, two week wait]
published: 2026-10-01
updated: 2026-10-05
references:
  - "NICE CG156."
---
Some text with a [link](/articles/coverline).

| a | b |
|---|---|
| 1 | 2 |
"""


def test_parse_article():
    article = parse_article(GOOD, "a-title")
    assert article.title == "A title"
    assert article.tags == ("charting", "two-week-wait")
    assert article.reading_minutes == 1
    assert "<table>" in article.body_html
    assert "Some text with a link" in article.body_text
    assert article.references == ("NICE CG156.",)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.replace('title: "A title"\n', ""), "'title' is required"),
        (lambda s: s.replace("2026-10-01", "someday"), "'published' must be a date"),
        (lambda s: s.replace("2026-10-05", "2026-09-01"), "'updated' is before 'published'"),
        (lambda s: s.replace("tags: [Charting, two week wait]", "tags: 7"), "'tags' must be a list"),
        (lambda s: s.replace("---\nSome", "Some"), "not closed"),
        (lambda s: s[4:], "must start with"),
        (lambda s: s.replace('title: "A title"', "title: [unclosed"), "not valid YAML"),
        (lambda s: s.split("---\nSome")[0] + "---\n", "has no body"),
    ],
)
def test_bad_files_name_the_file_and_the_field(change, message):
    with pytest.raises(ArticleFormatError) as error:
        parse_article(change(GOOD), "a-title")
    assert "a-title.md" in str(error.value) and message in str(error.value)


def test_bad_slug():
    with pytest.raises(ArticleFormatError, match="file name must be a slug"):
        parse_article(GOOD, "Not A Slug")


def test_markdown_is_sanitised():
    html = render_markdown(
        '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n[ok](https://example.org "t")'
    )
    assert "<script" not in html and "<img" not in html and "href=\"javascript" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run
    assert 'rel="noopener noreferrer"' in html


def test_slugify():
    assert slugify("The Two-Week Wait & Testing") == "the-two-week-wait-testing"
    assert slugify("Über Fragen") == "uber-fragen"
