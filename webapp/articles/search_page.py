"""What a results page shows: ranked cards, highlighted fragments, topic names, a suggestion.

Cards are read by primary key with only the columns they show, and each result's words and
stems are kept per library version (`snippets.Tokens`), so a page does not tokenise and stem
ten whole articles again (that was a third of a results page's time at 10,000 articles).
"""

from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from ..search import SearchPage, get_index
from ..search.snippets import make_snippet, snippet_from_tokens, tokenise
from ..search.versioned import VersionedCache
from .queries import ArticleCard, body_texts, cards_by_ids, category_names

TOKENS_KEY = "seedling.search_tokens"
MAX_TOKENISED = 1000  # articles; about 15 kB each


@dataclass
class ResultsPage:
    results: SearchPage
    articles: list[ArticleCard]
    snippets: dict[int, Markup | None]
    suggestion: str | None = None
    corrected_from: str | None = None  # nothing matched this, so these are the suggestion's
    category_names: dict[str, str] | None = None


def snippets_for(cards: list[ArticleCard], stems: frozenset[str]) -> dict[int, Markup | None]:
    cache: VersionedCache = current_app.extensions[TOKENS_KEY]
    version = get_index().seen_generation
    tokens = {card.id: cache.get(card.id, version) for card in cards}
    missing = [article_id for article_id, found in tokens.items() if found is None]
    for article_id, text in body_texts(missing).items():
        tokens[article_id] = tokenise(text)
        cache.put(article_id, version, tokens[article_id])
    return {
        card.id: (snippet_from_tokens(tokens[card.id], stems) if tokens.get(card.id) else None)
        or make_snippet(card.summary, stems)
        for card in cards
    }


def init_search_page(app) -> None:
    app.extensions[TOKENS_KEY] = VersionedCache(MAX_TOKENISED)


def results_page(
    raw: str, page: int, per_page: int, category: str | None, full: bool = True, exact: bool = False
) -> ResultsPage:
    """`full`: with the suggestion and topic names, as the page shows them. Unless `exact`, a
    search that finds nothing shows its corrected spelling's results at once."""
    index = get_index()
    results = index.search(raw, page=page, per_page=per_page, category=category, public=True)
    suggestion = index.suggest(raw) if full and results.query else None
    corrected_from = None
    if results.total == 0 and suggestion and not exact:
        corrected = index.search(suggestion, page=page, per_page=per_page, category=category, public=True)
        if corrected.total:
            results, corrected_from, suggestion = corrected, results.query, None
    cards = cards_by_ids(results.ids)
    out = ResultsPage(
        results=results, articles=cards, snippets=snippets_for(cards, results.stems),
        suggestion=suggestion, corrected_from=corrected_from,
    )
    if full:
        out.category_names = category_names()
    return out
