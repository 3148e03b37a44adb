"""The public library in a real browser: reading, searching, paging, filtering, hostile input, axe."""

import math
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

SEARCH_PER_PAGE = 10
ARTICLES_PER_PAGE = 12


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def results_heading(page):
    return page.locator("#results-heading")


def result_titles(page) -> list[str]:
    return page.locator(".result h3 a").all_inner_texts()


def total_from_heading(page) -> int:
    text = results_heading(page).inner_text()
    match = re.match(r"\s*(\d+) articles? for", text)
    assert match, f"unexpected results heading: {text!r}"
    return int(match.group(1))


# -- reading --------------------------------------------------------------------------------------


def test_a_reader_opens_an_article_from_the_home_page(page):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Trying to conceive, explained plainly")
    card_link = page.locator(".card .card-title a").first
    title = card_link.inner_text()
    card_link.click()

    expect(page).to_have_url(re.compile(r"/articles/[a-z0-9-]+$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_title(f"{title} · Seedling")
    expect(page.locator(".byline")).to_contain_text(re.compile(r"^By \S"))
    expect(page.locator(".byline")).to_contain_text(re.compile(r"Medically reviewed by|Not yet reviewed by a clinician"))
    expect(page.locator(".article-disclaimer")).to_contain_text("not a substitute for advice")
    expect(page.locator(".site-footer .disclaimer")).to_contain_text("not medical advice")
    expect(page.locator(".breadcrumb a").first).to_have_text("Articles")

    related = page.locator(".related .card-title a")
    expect(page.locator("#related-heading")).to_have_text("Related articles")
    assert 1 <= related.count() <= 3
    assert title not in related.all_inner_texts()

    # A related article is one more tap away and reads the same way.
    next_title = related.first.inner_text()
    related.first.click()
    expect(page.locator("h1")).to_have_text(next_title)
    expect(page.locator(".article-disclaimer")).to_be_visible()


def test_the_article_list_pages_through_the_whole_library(page):
    page.goto("/")
    page.get_by_role("link", name="Or browse every article").click()
    expect(page).to_have_url(re.compile(r"/articles/$"))
    expect(page.locator("h1")).to_have_text("All articles")
    total = int(re.match(r"(\d+) articles", page.locator("main .muted").first.inner_text()).group(1))
    assert total >= 25  # the bundled library
    pages = math.ceil(total / ARTICLES_PER_PAGE)

    seen: list[str] = []
    for number in range(1, pages + 1):
        expect(page.locator(".pagination-status")).to_have_text(f"Page {number} of {pages}")
        expected = ARTICLES_PER_PAGE if number < pages else total - ARTICLES_PER_PAGE * (pages - 1)
        expect(page.locator(".card")).to_have_count(expected)
        seen += page.locator(".card-title a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        if number > 1:
            expect(page).to_have_title(f"All articles (page {number}) · Seedling")
            expect(page.locator(".pagination a[rel=prev]")).to_be_visible()
        if number < pages:
            page.locator(".pagination a[rel=next]").click()
            expect(page).to_have_url(re.compile(rf"[?&]page={number + 1}$"))
    expect(page.locator(".pagination a[rel=next]")).to_have_count(0)
    assert len(seen) == len(set(seen)) == total

    page.locator(".pagination a[rel=prev]").click()
    expect(page.locator(".pagination-status")).to_have_text(f"Page {pages - 1} of {pages}")


def test_the_header_marks_where_the_reader_is(page):
    nav = page.get_by_role("navigation", name="Main")
    page.goto("/")
    expect(nav.locator("[aria-current]")).to_have_count(0)
    page.goto("/articles/")
    expect(nav.locator("[aria-current=page]")).to_have_text("Articles")
    page.goto("/articles/coverline")
    expect(nav.locator("[aria-current]")).to_have_text("Articles")
    expect(nav.locator("[aria-current=page]")).to_have_count(0)
    page.goto("/search")
    expect(nav.locator("[aria-current=page]")).to_have_text("Search")


# -- searching ------------------------------------------------------------------------------------


def test_searching_from_the_home_page_highlights_the_words_found(page):
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search the library")
    box.fill("frozen sperm")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search\?q=frozen\+sperm$"))
    expect(page).to_have_title("Search: frozen sperm · Seedling")
    expect(page.get_by_role("searchbox")).to_have_value("frozen sperm")
    expect(results_heading(page)).to_contain_text(re.compile(r"^\s*\d+ articles? for “frozen sperm”"))
    assert total_from_heading(page) >= 2

    marks = page.locator(".result .snippet mark")
    expect(marks.first).to_be_visible()
    words = {word.lower() for word in marks.all_inner_texts()}
    assert words and all(word.startswith(("froz", "sperm")) for word in words), words
    # Highlighting is a <mark>, not colour alone, and it is visibly tinted.
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    page.locator(".result h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/[a-z0-9-]+$"))
    expect(page.locator(".article-disclaimer")).to_be_visible()


def test_a_misspelling_shows_the_corrected_results_at_once(page):
    page.goto("/search")
    box = page.get_by_role("searchbox", name="What would you like to read about?")
    box.fill("misscarriage")
    page.get_by_role("button", name="Search").click()

    notice = page.locator(".suggestion.corrected")
    expect(notice).to_have_text("Showing results for miscarriage; search instead for misscarriage.")
    expect(results_heading(page)).to_contain_text(re.compile(r"^\s*\d+ articles? for “miscarriage”"))
    assert result_titles(page)[0].startswith("Early miscarriage")

    # The words as typed, never corrected again, with the plain suggestion beside no results.
    notice.get_by_role("link", name="misscarriage").click()
    assert query_of(page.url) == {"q": ["misscarriage"], "exact": ["1"]}
    expect(results_heading(page)).to_have_text("No articles found for “misscarriage”")
    suggestion = page.locator(".suggestion")
    expect(suggestion).to_contain_text("Did you mean miscarriage?")
    suggestion.get_by_role("link", name="miscarriage").click()
    expect(page).to_have_url(re.compile(r"/search\?q=miscarriage$"))
    expect(page.locator(".suggestion")).to_have_count(0)


def test_the_communitys_shorthand_finds_articles(page):
    page.goto("/")
    box = page.get_by_role("searchbox", name="Search the library")
    box.fill("2ww")
    box.press("Enter")

    expect(results_heading(page)).to_contain_text(re.compile(r"^\s*\d+ articles? for “2ww”"))
    marks = {word.lower() for word in page.locator(".result .snippet mark").all_inner_texts()}
    assert marks & {"two", "week", "wait"}, marks  # the articles' words, highlighted
    page.locator(".result h3 a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/two-week-wait$"))
    # The article's JSON-LD data block is not script: the page raised no CSP violation.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.get_by_role("link", name="How we write and check articles").click()
    expect(page.locator("h1")).to_have_text("Editorial policy")


def test_search_results_are_paginated(page):
    page.goto("/search?" + urlencode({"q": "sperm"}))
    total = total_from_heading(page)
    assert total > SEARCH_PER_PAGE
    pages = math.ceil(total / SEARCH_PER_PAGE)

    seen: list[str] = []
    for number in range(1, pages + 1):
        expect(page.locator(".pagination-status")).to_have_text(f"Page {number} of {pages}")
        expected = SEARCH_PER_PAGE if number < pages else total - SEARCH_PER_PAGE * (pages - 1)
        expect(page.locator(".result")).to_have_count(expected)
        # The ordered list keeps counting across pages: page 2 starts at 11.
        expect(page.locator(".result-list")).to_have_attribute("start", str((number - 1) * SEARCH_PER_PAGE + 1))
        expect(page.get_by_role("searchbox")).to_have_value("sperm")
        seen += result_titles(page)
        if number < pages:
            page.get_by_role("link", name=re.compile(r"^Next")).click()
            assert query_of(page.url) == {"q": ["sperm"], "page": [str(number + 1)]}
    expect(page.locator(".pagination a[rel=next]")).to_have_count(0)
    assert len(seen) == len(set(seen)) == total

    page.get_by_role("link", name=re.compile(r"^← Newer")).click()
    expect(page.locator(".pagination-status")).to_have_text(f"Page {pages - 1} of {pages}")


def test_a_topic_facet_narrows_the_results(page):
    page.goto("/search?" + urlencode({"q": "sperm"}))
    total = total_from_heading(page)
    facets = page.get_by_role("navigation", name="Filter by topic")
    expect(facets.locator("strong[aria-current=true]")).to_have_text("All topics")

    topic = facets.locator("li", has=page.get_by_role("link", name="Donor sperm", exact=True))
    count = int(topic.locator(".count").inner_text())
    assert 0 < count < total
    topic.get_by_role("link").click()

    assert query_of(page.url) == {"q": ["sperm"], "category": ["donor-sperm"]}
    expect(results_heading(page)).to_contain_text(f"{count} article{'s' if count != 1 else ''} for “sperm” in Donor sperm")
    expect(facets.locator("strong[aria-current=true]")).to_have_text("Donor sperm")
    expect(page.locator(".result")).to_have_count(min(count, SEARCH_PER_PAGE))
    for meta in page.locator(".result-meta").all_inner_texts():
        assert meta.startswith("Donor sperm ·"), meta

    facets.get_by_role("link", name="All topics").click()
    assert query_of(page.url) == {"q": ["sperm"]}
    assert total_from_heading(page) == total


# -- hostile input --------------------------------------------------------------------------------


def expect_a_normal_search_page(page, response):
    assert response.status == 200
    expect(page.locator("h1")).to_have_text("Search the library")
    expect(page.get_by_role("searchbox")).to_be_visible()
    expect(page.locator(".site-footer .disclaimer")).to_be_visible()
    expect(page.locator(".error-page")).to_have_count(0)


def test_a_very_long_query_is_shortened_politely(page):
    query = ("sperm thaw " * 200)[:2000]
    response = page.goto("/search?" + urlencode({"q": query}))
    expect_a_normal_search_page(page, response)
    expect(page.locator(".notice")).to_contain_text("Your search was long, so we used its first")
    assert total_from_heading(page) > 0
    shown = page.get_by_role("searchbox").input_value()
    assert 0 < len(shown) <= 200 and query.startswith(shown)


def test_markup_in_a_query_is_shown_as_text(page):
    page.goto("/search")
    hostile = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
    page.get_by_role("searchbox").fill(hostile)
    page.get_by_role("searchbox").press("Enter")

    expect(page.locator("h1")).to_have_text("Search the library")
    expect(page.get_by_role("searchbox")).to_have_value(hostile)
    expect(results_heading(page)).to_contain_text(hostile)
    expect(page).to_have_title(f"Search: {hostile} · Seedling")
    assert page.evaluate("window.pwned") is None
    assert page.locator("script, main img").count() == 0


def test_an_unbalanced_quote_still_searches(page):
    response = page.goto("/search?" + urlencode({"q": '"implantation bleeding'}))
    expect_a_normal_search_page(page, response)
    expect(page.get_by_role("searchbox")).to_have_value('"implantation bleeding')
    assert total_from_heading(page) > 0
    assert "Implantation bleeding: what it is and what it is not" in result_titles(page)


def test_query_syntax_never_breaks_the_page(page):
    for query in ["and", "OR NOT", "***", "title:sperm", '"', "()[]{}", "\u202e\u0000x", "%00", "../../etc/passwd"]:
        response = page.goto("/search?" + urlencode({"q": query}))
        expect_a_normal_search_page(page, response)


# -- accessibility --------------------------------------------------------------------------------

PAGES = {
    "home": ("/", 200),
    "article list": ("/articles/", 200),
    "article": ("/articles/cervical-mucus-types", 200),
    "search results": ("/search?q=sperm", 200),
    "empty search": ("/search", 200),
    "not found": ("/articles/no-such-article", 404),
}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_pages_have_no_serious_accessibility_problems(make_page, assert_accessible, name, color_scheme):
    page = make_page(color_scheme=color_scheme)
    path, status = PAGES[name]
    response = page.goto(path)
    assert response.status == status
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    # The stylesheet follows the reader's colour scheme.
    assert (sum(channels) / 3 < 80) if color_scheme == "dark" else (sum(channels) / 3 > 200), background
    assert_no_sideways_scrolling(page)
    assert_accessible(page)


def assert_no_sideways_scrolling(page):
    """WCAG reflow: at 320 CSS px nothing should need scrolling sideways (a phone is 390)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


TABLE_ARTICLES = ["cervical-mucus-types", "choosing-a-bbt-thermometer", "coverline",
                  "how-to-find-your-cervix", "ovulation-predictor-kits", "sympto-thermal-method"]


@pytest.mark.parametrize("width", [320, 390])
def test_article_tables_fit_a_phone(make_page, width):
    """At 390 px every table fits; at 320 px one may scroll, but only inside a focusable region."""
    page = make_page(viewport={"width": width, "height": 800})
    for slug in TABLE_ARTICLES:
        page.goto(f"/articles/{slug}")
        regions = page.locator(".prose .table-scroll")
        expect(regions.first).to_be_visible()
        assert_no_sideways_scrolling(page)
        for region in regions.all():
            assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
            if width >= 390:
                scrolls = region.evaluate("r => r.scrollWidth - r.clientWidth")
                assert scrolls <= 0, f"a table on {slug} needs scrolling at {width}px"
