"""Every bundled article meets the library's editorial floor: complete front matter, a body of
600 to 1,200 words, references that name an author or a body and a year, and internal links
that lead somewhere."""

import re

import pytest

from webapp.articles.commands import BUNDLED_ARTICLES
from webapp.articles.content import read_article_files, slugify

ARTICLES = read_article_files(BUNDLED_ARTICLES)
SLUGS = {article.slug for article in ARTICLES}
CATEGORIES = {slugify(article.category) for article in ARTICLES}
TAGS = {tag for article in ARTICLES for tag in article.tags}

YEAR = re.compile(r"\b(19|20)\d{2}\b")
# "Wilcox AJ, Baird DD, et al." or "Practice Committee of the ...": what comes before the title.
PERSON = r"(?:(?:van|von|de|der|den|la|le|du|di|da) )*[A-Z][^\W\d_]*(?:[-'][^\W\d_]+)*(?: [A-Z][^\W\d_]+)* [A-Z]{1,4}(?: Jr)?"
AUTHORS = re.compile(rf"^{PERSON}(?:, {PERSON})*(?:,? et al)?$")
BODY_WORDS = re.compile(
    r"\b(Organi[sz]ation|Institute|Society|Committee|College|Association|Service|Agency|Authority|"
    r"Centers?|Centres?|Task Force|NHS|NICE|Foundation|Council|Department|Government|Office|Trust|"
    r"Ministry|Board|Commission|Network|University|Administration|Academy|Federation|Parliament|Group|"
    r"Officers)\b"
)
INTERNAL_LINK = re.compile(r"\]\((/(articles|categories|tags)/([^)#?\s]+))")


def author_or_body(reference: str) -> str | None:
    """The part of a reference before its title (up to the first full stop), when it names
    people or an organisation."""
    head = reference.split(". ", 1)[0].strip()
    if AUTHORS.match(head) or BODY_WORDS.search(head):
        return head
    return None


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.slug)
def test_front_matter_is_complete(article):
    assert article.title.strip() and article.summary.strip() and article.category.strip()
    assert article.tags, "at least one tag"
    assert article.published_on is not None


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.slug)
def test_body_length(article):
    assert 600 <= article.word_count <= 1200, article.word_count


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.slug)
def test_references_name_an_author_or_body_and_a_year(article):
    assert article.references, "at least one reference"
    for reference in article.references:
        assert author_or_body(reference), f"no author or body: {reference}"
        assert YEAR.search(reference), f"no year: {reference}"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda article: article.slug)
def test_internal_links_resolve(article):
    known = {"articles": SLUGS, "categories": CATEGORIES, "tags": TAGS}
    for path, kind, target in INTERNAL_LINK.findall(article.body_markdown):
        assert target.rstrip("/") in known[kind], f"{path} leads nowhere"


def test_the_reference_check_can_tell():
    assert author_or_body("Wilcox AJ, Weinberg CR, Baird DD. Timing of intercourse. N Engl J Med, 1995.")
    assert author_or_body("Kop PAL, van Wely M, Nap A, et al. A trial. Hum Reprod, 2022.")
    assert author_or_body("National Institute for Health and Care Excellence (NICE). Fertility problems. 2013.")
    assert author_or_body("World Health Organization. WHO laboratory manual. 2021.")
    assert author_or_body("van Rijswijk J, et al. Immobilization after IUI. Hum Reprod, 2017.")
    assert author_or_body("Israel R, Mishell DR Jr, Håberg SE. A title. 1972.")
    assert author_or_body("Timing of intercourse in relation to ovulation. 1995.") is None
    assert YEAR.search("NICE CG156.") is None
    assert INTERNAL_LINK.findall("see [x](/articles/coverline#a) and [y](/tags/ttc)") == [
        ("/articles/coverline", "articles", "coverline"), ("/tags/ttc", "tags", "ttc"),
    ]
