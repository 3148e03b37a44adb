"""Highlighted fragments for search results, without Whoosh's highlighter.

Whoosh re-analyses every hit's whole text to highlight it (about 2 ms a hit on an 800-word
article). Here one regex pass and a cached stemmer find the words that match the query's
stemmed terms, and the densest window of words around them becomes the fragment. Pure.
A text's words and stems (`Tokens`) can be kept and reused: tokenising and stemming an
800-word body was most of a results page's time (35%).
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from markupsafe import Markup, escape
from whoosh.lang.porter import stem

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    return stem(word.lower())


def best_window(positions: list[int], size: int) -> tuple[int, int]:
    """The start and count of hits of the window of `size` words holding the most hits."""
    best_start, best_count, left = positions[0], 0, 0
    for right, position in enumerate(positions):
        while position - positions[left] >= size:
            left += 1
        if right - left + 1 > best_count:
            best_start, best_count = positions[left], right - left + 1
    return best_start, best_count


# Every stem seen gets a number, so a text's stems are a compact array that NumPy can search.
_STEM_NUMBERS: dict[str, int] = {}


def stem_number(stem: str) -> int:
    return _STEM_NUMBERS.setdefault(stem, len(_STEM_NUMBERS))


@dataclass(frozen=True, eq=False)
class Tokens:
    """A text's words: where each starts and ends, and its stem's number."""

    text: str
    starts: np.ndarray
    ends: np.ndarray
    stems: np.ndarray


def tokenise(text: str, stemmer: Callable[[str], str] = stem_word) -> Tokens:
    starts, ends, stems = [], [], []
    numbers = _STEM_NUMBERS
    for match in _WORD.finditer(text or ""):
        start, end = match.span()
        starts.append(start)
        ends.append(end)
        stem = stemmer(match.group())
        number = numbers.get(stem)
        stems.append(number if number is not None else stem_number(stem))
    return Tokens(
        text=text or "",
        starts=np.array(starts, dtype=np.int32),
        ends=np.array(ends, dtype=np.int32),
        stems=np.array(stems, dtype=np.int32),
    )


def make_snippet(
    text: str,
    stems: Collection[str],
    words: int = 32,
    stemmer: Callable[[str], str] = stem_word,
) -> Markup | None:
    """An escaped fragment of `text` with matching words in <mark>, or None if none match."""
    if not stems or not text:
        return None
    return snippet_from_tokens(tokenise(text, stemmer), stems, words)


def snippet_from_tokens(tokens: Tokens, stems: Collection[str], words: int = 32) -> Markup | None:
    """make_snippet for a text already tokenised."""
    wanted = [_STEM_NUMBERS[stem] for stem in stems if stem in _STEM_NUMBERS]
    if not wanted or not len(tokens.stems):
        return None
    matching = tokens.stems == wanted[0]
    for number in wanted[1:]:
        matching |= tokens.stems == number
    hits = np.flatnonzero(matching).tolist()
    if not hits:
        return None
    text, starts, ends = tokens.text, tokens.starts, tokens.ends
    start, _ = best_window(hits, words)
    # Open a little before the first hit so it reads as a sentence, not a fragment.
    first = max(0, start - 4)
    last = min(len(starts), first + words) - 1
    out: list[str] = ["… " if first > 0 else ""]
    cursor = int(starts[first])
    # The text between hits is escaped in one piece, each hit on its own inside <mark>.
    for i in hits:
        if i < first or i > last:
            continue
        out.append(str(escape(text[cursor : starts[i]])))
        out.append(f"<mark>{escape(text[starts[i] : ends[i]])}</mark>")
        cursor = int(ends[i])
    out.append(str(escape(text[cursor : ends[last]])))
    if last < len(starts) - 1:
        out.append(" …")
    # Every piece of text in `out` was escaped above; only <mark> is added.
    return Markup(re.sub(r"\s+", " ", "".join(out)).strip())  # nosec B704
