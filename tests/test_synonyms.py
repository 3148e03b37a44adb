"""The community's shorthand ("2ww", "bfp", "8dpo", "temping") finds the articles' words."""

import pytest

from webapp.articles.queries import articles_by_ids
from webapp.search import get_index
from webapp.search.synonyms import SYNONYMS, expand_query, meanings


def test_shorthand_becomes_a_group_of_its_meanings():
    assert expand_query("2ww symptoms") == '(2ww OR "two week wait") symptoms'
    assert expand_query("TWW?") == '(TWW OR "two week wait")?'
    assert expand_query("bfp") == '(bfp OR "positive pregnancy test" OR (positive AND "pregnancy test") OR "big fat positive")'


def test_a_day_number_glued_to_shorthand_is_understood():
    assert meanings("8dpo") == ("dpo", "days past ovulation", "after ovulation")
    assert meanings("dpo12") == meanings("12DPO")
    assert meanings("cd14")[:2] == ("cd", "cycle day")
    assert meanings("dpo") == SYNONYMS["dpo"]
    assert meanings("123dpo") == () and meanings("8xyz") == ()


@pytest.mark.parametrize(
    "query",
    ['"2ww" symptoms', "<b>bfp</b>", "title:2ww", "2ww-ish", '"unclosed 2ww', "'tww'", "sperm", "", "x" * 300],
)
def test_phrases_markup_and_other_words_are_left_as_typed(query):
    assert expand_query(query) == query


def test_operators_and_brackets_keep_their_meaning():
    assert expand_query("NOT tww") == 'NOT (tww OR "two week wait")'
    assert expand_query("(ewcm)") == '((ewcm OR "egg white cervical mucus" OR "egg white mucus" OR "egg white"))'


def top(library_app, query: str, within: int) -> list[str]:
    with library_app.app_context():
        return [a.slug for a in articles_by_ids(get_index().search(query).ids[:within])]


@pytest.mark.parametrize(
    "query, slug, within",
    [
        ("2ww", "two-week-wait", 1),
        ("tww", "two-week-wait", 1),
        ("bfp", "when-to-take-a-pregnancy-test", 3),
        ("bfn", "when-to-take-a-pregnancy-test", 1),
        ("dpo", "when-to-take-a-pregnancy-test", 3),
        ("8dpo", "when-to-take-a-pregnancy-test", 3),
        ("opk", "ovulation-predictor-kits", 1),
        ("ewcm", "cervical-mucus-types", 1),
        ("temping", "how-to-chart-your-cycle", 1),
        ("fmu", "faint-lines-on-pregnancy-tests", 3),
    ],
)
def test_shorthand_finds_the_right_article(library_app, query, slug, within):
    ranked = top(library_app, query, within)
    assert slug in ranked, f"{query!r} ranked {ranked}"


def test_without_the_table_these_words_find_little(library_app):
    """The table is what finds them: apart from the glossary, which explains the shorthand,
    the articles never use these words."""
    with library_app.app_context():
        index = get_index()
        for word in ("2ww", "ewcm", "temping"):
            with index.reading() as searcher:
                scorer = index._scorer(searcher)
                matched = scorer.evaluate(index.parsers[0].parse(word))[1]
                ids = [int(article_id) for article_id in scorer.article_ids[matched]]
            assert {article.slug for article in articles_by_ids(ids)} <= {"ttc-glossary"}, word


def test_shorthand_results_highlight_the_articles_words(library_app):
    page = library_app.test_client().get("/search?q=2ww").get_data(as_text=True)
    assert "<mark>two</mark>" in page.lower() or "<mark>wait</mark>" in page.lower()


def test_comparison_words_are_left_out_unless_they_are_all_there_is():
    assert expand_query("fresh vs frozen") == "fresh  frozen"
    assert expand_query("fresh versus. frozen") == "fresh  frozen"
    assert expand_query("vs") == "vs"
    assert expand_query('"fresh vs frozen"') == '"fresh vs frozen"'
