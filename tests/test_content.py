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


def with_corrections(block: str) -> str:
    """GOOD (published 2026-10-01, updated 2026-10-05) with a `corrections:` block added."""
    return GOOD.replace("references:", f"corrections:{block}\nreferences:")


TWO_CORRECTIONS = """
  - {date: 2026-10-03, text: "The resting section now reflects the 2017 trial."}
  - date: 2026-10-05
    text: "  The  doubling time now follows the 2004 study. "
"""


def test_corrections_are_parsed_in_file_order():
    article = parse_article(with_corrections(TWO_CORRECTIONS.rstrip()), "a-title")
    assert [(c.corrected_on.isoformat(), c.text) for c in article.corrections] == [
        ("2026-10-03", "The resting section now reflects the 2017 trial."),
        ("2026-10-05", "The doubling time now follows the 2004 study."),
    ]
    assert parse_article(GOOD, "a-title").corrections == ()


@pytest.mark.parametrize(
    "block, message",
    [
        (' "fixed things"', "'corrections' must be a list"),
        ('\n  - "2026-10-03: fixed things"', "correction 1 must have only a 'date' and a 'text'"),
        ('\n  - {date: 2026-10-03, text: "Fixed.", by: editor}', "correction 1 must have only"),
        ('\n  - {text: "Fixed."}', "correction 1: 'date' is required"),
        ('\n  - {date: 2026-10-03, text: "Fixed."}\n  - {date: soon, text: "Fixed."}',
         "correction 2: 'date' must be a date"),
        ("\n  - {date: 2026-10-03}", "correction 1: 'text' is required"),
        ('\n  - {date: 2026-10-03, text: "  "}', "correction 1: 'text' is required"),
        ("\n  - {date: 2026-10-03, text: 3}", "correction 1: 'text' must be text"),
        (f'\n  - {{date: 2026-10-03, text: "{"x" * 501}"}}', "'text' is longer than 500"),
        ('\n  - {date: 2026-09-30, text: "Fixed."}', "correction 1 is dated before 'published'"),
        ('\n  - {date: 2026-10-06, text: "Fixed."}', "correction 1 is dated after 'updated'"),
    ],
)
def test_bad_corrections_name_the_file_and_the_entry(block, message):
    with pytest.raises(ArticleFormatError) as error:
        parse_article(with_corrections(block), "a-title")
    assert "a-title.md" in str(error.value) and message in str(error.value)


def test_corrections_need_an_updated_date():
    source = with_corrections('\n  - {date: 2026-10-03, text: "Fixed."}')
    with pytest.raises(ArticleFormatError, match="a-title.md: an article with corrections needs"):
        parse_article(source.replace("updated: 2026-10-05\n", ""), "a-title")
