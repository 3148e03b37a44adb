import re

import numpy as np
import pytest
from sqlalchemy import select
from whoosh.qparser import AndGroup, MultifieldParser

from webapp.articles.models import Article
from webapp.extensions import db
from webapp.search import get_index
from webapp.search.index import SEARCH_FIELDS
from webapp.search.snippets import best_window, make_snippet, stem_word


def results_heading(page: str) -> str:
    match = re.search(r'class="results-count">(.*?)</h2>', page, re.S)
    return " ".join(match.group(1).split()) if match else ""


@pytest.mark.parametrize(
    "query",
    ['"unbalanced quote', "*", "gard*", "AND (", "title:", "NOT", ")))", "x" * 2000, "   ", "🙂 émoji", "a:b:c", "^2", "[a TO z]"],
)
def test_hostile_queries_render_a_normal_page(library_app, query):
    client = library_app.test_client()
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "Search the library" in response.get_data(as_text=True)


def test_star_is_not_a_match_everything_query(library_app):
    with library_app.app_context():
        assert get_index().search("*").total == 0


def test_long_query_is_shortened_and_says_so(library_app):
    page = library_app.test_client().get("/search", query_string={"q": "sperm " * 400}).get_data(as_text=True)
    assert "Your search was long" in page


def test_markup_in_the_query_is_echoed_escaped(library_app):
    page = library_app.test_client().get("/search", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("page_arg", ["0", "-1", "abc", str(10**9), "1e3", ""])
def test_odd_page_numbers(library_app, page_arg):
    response = library_app.test_client().get("/search", query_string={"q": "sperm", "page": page_arg})
    assert response.status_code == 200
    assert "articles for “sperm”" in response.get_data(as_text=True)


def test_page_past_the_end_shows_the_last_page(library_app):
    with library_app.app_context():
        results = get_index().search("sperm", page=10**9, per_page=10)
        assert results.page == results.pages
        assert results.ids


def test_empty_query_shows_the_search_page(library_app):
    page = library_app.test_client().get("/search").get_data(as_text=True)
    assert "Search every article" in page
    assert "results-count" not in page


def test_results_show_total_highlighted_fragments_and_facets(library_app):
    page = library_app.test_client().get("/search", query_string={"q": "implantation bleeding"}).get_data(as_text=True)
    heading = results_heading(page)
    total = int(heading.split()[0])
    assert total >= 3
    assert "<mark>implantation</mark>" in page.lower() or "<mark>Implantation</mark>" in page
    facets = dict(re.findall(r'category=([a-z-]+)">[^<]+</a> <span class="count">(\d+)', page))
    assert facets and sum(map(int, facets.values())) == total


def test_category_filter_narrows_results(library_app):
    client = library_app.test_client()
    everything = results_heading(client.get("/search?q=sperm").get_data(as_text=True))
    donor = results_heading(client.get("/search?q=sperm&category=donor-sperm").get_data(as_text=True))
    assert int(donor.split()[0]) < int(everything.split()[0])
    assert "in Donor sperm" in donor
    unknown = client.get("/search?q=sperm&category=no-such-topic").get_data(as_text=True)
    assert "No articles found" in unknown


def test_pagination_of_results(library_app):
    client = library_app.test_client()
    first = client.get("/search?q=sperm").get_data(as_text=True)
    assert "Page 1 of" in first
    second = client.get("/search?q=sperm&page=2").get_data(as_text=True)
    first_links = set(re.findall(r'<h3><a href="(/articles/[^"]+)"', first))
    second_links = set(re.findall(r'<h3><a href="(/articles/[^"]+)"', second))
    assert first_links and second_links and not first_links & second_links


def test_did_you_mean_offers_a_link_built_from_the_raw_words(library_app):
    # "exact=1" is the "search instead for" link: the words as typed, never corrected.
    page = library_app.test_client().get("/search?q=implantaion&exact=1").get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=implantation">implantation</a>?' in page
    assert "No articles found for “implantaion”" in page
    with library_app.app_context():
        assert get_index().suggest("implantaion bleding") == "implantation bleeding"
        assert get_index().suggest('"implantaion bleeding"?') == '"implantation bleeding"?'
        assert get_index().suggest("implantation bleeding") is None
        assert get_index().suggest("script") is None  # no far-fetched corrections


def test_a_misspelling_with_no_results_shows_the_corrected_results_at_once(library_app):
    page = library_app.test_client().get("/search?q=misscarriage").get_data(as_text=True)
    assert ('Showing results for <strong>miscarriage</strong>; search instead for '
            '<a href="/search?q=misscarriage&amp;exact=1">misscarriage</a>.') in page
    heading = results_heading(page)
    assert re.fullmatch(r"\d+ articles? for “miscarriage”", heading), heading
    first = re.search(r'<h3><a href="/articles/([^"]+)"', page).group(1)
    assert first == "early-miscarriage"
    assert "Did you mean" not in page


def test_a_misspelling_that_still_finds_articles_only_suggests(library_app):
    page = library_app.test_client().get("/search?q=implantation+bleding").get_data(as_text=True)
    assert "Showing results for" not in page
    assert 'Did you mean <a href="/search?q=implantation+bleeding">implantation bleeding</a>?' in page


@pytest.mark.parametrize("query", ["<b>implantaion</b>", "<script>misscarriage</script>", "implantaion<br>", "&misscarriage;", "<implantaion>"])
def test_markup_is_never_corrected_into_another_query(library_app, query):
    with library_app.app_context():
        assert get_index().suggest(query) is None
    page = library_app.test_client().get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "Showing results for" not in page and "Did you mean" not in page
    assert "<b>implantaion" not in page and "<script>misscarriage" not in page


@pytest.mark.parametrize("query", ["2ww", "tww", "bfp", "dpo", "opk", "ewcm", "temping", "ttc", "10dpo"])
def test_shorthand_is_never_corrected(library_app, query):
    with library_app.app_context():
        assert get_index().suggest(query) is None
        assert get_index().search(query).total > 0


def test_phrase_queries_match_word_order(library_app):
    with library_app.app_context():
        index = get_index()
        phrase = index.search('"bleeding implantation"')
        words = index.search("bleeding implantation")
        assert words.total > 0
        assert phrase.total < words.total
        assert index.search('"implantation bleeding"').total > 0


def test_no_word_in_common_falls_back_to_any_word(library_app):
    with library_app.app_context():
        results = get_index().search("coverline zzzzunknownword")
        assert results.any_word and results.total > 0
    page = library_app.test_client().get("/search?q=coverline+zzzzunknownword").get_data(as_text=True)
    assert "No article has all of your words" in page


def test_array_scorer_ranks_exactly_as_whoosh(library_app):
    """The NumPy scorer must give Whoosh's own BM25F order and scores."""
    with library_app.app_context():
        index = get_index()
        parser = MultifieldParser(list(SEARCH_FIELDS), index.schema, group=AndGroup)
        with index.reading() as searcher:
            scorer = index._scorer(searcher)
            for text in ["sperm", "implantation bleeding", "frozen sperm thaw", "luteal phase", "cervix NOT mucus"]:
                query = parser.parse(text)
                expected = [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]
                scores, matches = scorer.evaluate(query)
                ours = scorer.top(scores, matches, len(expected) or 1)
                assert int(matches.sum()) == len(expected), text
                assert [round(scores[d], 6) for d in ours] == pytest.approx([s for _, s in expected], rel=1e-6), text


def test_snippet_marks_stemmed_matches_and_escapes():
    text = "Some <b>bleeding</b> is normal. Implanting embryos can cause bleeds, rarely."
    snippet = make_snippet(text, {stem_word("bleeding"), stem_word("implantation")}, words=12)
    assert "<mark>bleeding</mark>" in snippet
    assert "<mark>bleeds</mark>" in snippet
    assert "&lt;b&gt;" in snippet
    assert make_snippet(text, {"zzz"}) is None
    assert best_window([1, 2, 30, 31, 32], 5) == (30, 3)


def test_block_reader_matches_whoosh_postings(library_app):
    from webapp.search.scoring import read_leaf_blocks, read_postings_slowly

    with library_app.app_context():
        with get_index().reading() as searcher:
            reader = searcher.reader()
            checked = 0
            for term in ["sperm", "bleed", "insemin", "cervix", "coverlin"]:
                fast_ids, fast_weights = read_leaf_blocks(reader.postings("body", term))
                slow_ids, slow_weights = read_postings_slowly(reader.postings("body", term))
                assert fast_ids.tolist() == slow_ids.tolist()
                assert fast_weights.tolist() == pytest.approx(slow_weights.tolist())
                checked += len(slow_ids)
            assert checked > 50


PHRASES = [["implant", "bleed"], ["two", "week", "wait"], ["frozen", "sperm"], ["bleed", "bleed"], ["egg", "white", "mucu"]]


def test_phrases_from_position_arrays_match_whoosh(library_app):
    from whoosh.query import Phrase

    with library_app.app_context():
        index = get_index()
        with index.reading() as searcher:
            scorer = index._scorer(searcher)
            found = 0
            for words in PHRASES:
                for field in ("title", "summary", "body"):
                    expected = sorted(searcher.docs_for_query(Phrase(field, words)))
                    assert scorer.phrase_documents(field, words).tolist() == expected, (field, words)
                    found += len(expected)
            assert found > 10


def test_position_block_reader_matches_whoosh_positions(library_app):
    from webapp.search.scoring import _position_keys, read_position_blocks, read_positions_slowly

    with library_app.app_context():
        with get_index().reading() as searcher:
            reader = searcher.reader()
            for term in ["sperm", "bleed", "coverlin"]:
                fast = _position_keys(*read_position_blocks(reader.postings("body", term)))
                slow = _position_keys(*read_positions_slowly(reader.postings("body", term)))
                assert fast.tolist() == slow.tolist()
                assert len(fast) > 5


def test_scores_stay_exact_across_index_versions(app, library):
    """Segment data is kept across versions: after an edit (a new segment, a deletion in the
    old one) the scorer must still give Whoosh's own hits and scores, and phrases its hits."""
    from whoosh.query import Phrase

    with app.app_context():
        index = get_index()
        index.search("implantation bleeding")  # read the first version's postings
        item = db.session.scalar(select(Article).where(Article.slug == "coverline"))
        item.body_text += " Implantation bleeding, said the zebrafinch."
        db.session.commit()
        parser = MultifieldParser(list(SEARCH_FIELDS), index.schema, group=AndGroup)
        with index.reading() as searcher:
            assert len(searcher.reader().leaf_readers()) > 1
            scorer = index._scorer(searcher)
            for text in ["implantation bleeding", "zebrafinch", "sperm"]:
                query = parser.parse(text)
                expected = sorted((hit.docnum, round(hit.score, 6)) for hit in searcher.search(query, limit=None))
                scores, matches = scorer.evaluate(query)
                ours = sorted((int(d), round(scores[d], 6)) for d in np.flatnonzero(matches))
                assert ours == expected, text
            phrase = Phrase("body", ["implant", "bleed"])
            assert scorer.phrase_documents("body", ["implant", "bleed"]).tolist() == sorted(searcher.docs_for_query(phrase))
        assert item.id in index.search('"implantation bleeding"').ids


def test_parsed_queries_are_kept_only_for_the_public_search_page(library_app):
    """Journal notes look for articles through the same index: their text is never kept."""
    with library_app.app_context():
        index = get_index()
        index.search("private note about spotting", public=False)
        library_app.test_client().get("/search?q=frozen+sperm")
        kept = {text for _, text in index._derived.get("parsed", {})}
        assert "frozen sperm" in kept
        assert "private note about spotting" not in kept
