"""BM25F over NumPy arrays, for the queries Whoosh parses.

Whoosh scores and counts hits one posting at a time in Python: at 10,000 articles a two-word
query took 100-400 ms here, since topic words appear in most articles of a fertility library.
This module evaluates the same parsed query over whole posting lists at once. A term's postings
are read from the Whoosh index once per index version and kept (least recently used first out);
scores follow Whoosh's own BM25F formula (same idf, field lengths and boosts), so results match
Whoosh's ranking, which a test checks. Phrases are still matched by Whoosh, on positions.
"""

from array import array
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher

K1 = 1.2
B = 0.75


def read_postings_slowly(matcher) -> tuple[np.ndarray, np.ndarray]:
    """Any Whoosh matcher, one posting at a time through its public interface."""
    ids, weights = array("q"), array("d")
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.frombuffer(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float64)


def read_leaf_blocks(matcher) -> tuple[np.ndarray, np.ndarray]:
    """A whoosh-reloaded 2.7.5 W3LeafMatcher, a block of postings at a time.

    Reads the codec's own block tuples (delta-coded ids, weights) instead of calling id() and
    weight() per posting: about four times faster on long posting lists. This leans on the
    pinned codec's internals, so a test checks it against read_postings_slowly.
    """
    id_blocks, weight_blocks = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, raw_weights = matcher._data[0], matcher._data[1]
        count = matcher._blocklength
        id_blocks.append(np.cumsum(np.asarray(raw_ids, dtype=np.int64)))
        if raw_weights is None:
            weight_blocks.append(np.ones(count))
        elif isinstance(raw_weights, float):
            weight_blocks.append(np.full(count, raw_weights))
        else:
            weight_blocks.append(np.asarray(raw_weights, dtype=np.float64))
        matcher._next_block()
    if not id_blocks:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def read_postings(searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a term across every segment of the index."""
    id_parts, weight_parts = [], []
    for reader, offset in searcher.reader().leaf_readers():
        if (field, text) not in reader:
            continue
        matcher = reader.postings(field, text)
        fast = type(matcher) is W3LeafMatcher and not matcher._byteids
        ids, weights = read_leaf_blocks(matcher) if fast else read_postings_slowly(matcher)
        id_parts.append(ids + offset)
        weight_parts.append(weights)
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(id_parts), np.concatenate(weight_parts)


class ArrayScorer:
    def __init__(self, searcher, category_field: str = "category", max_postings: int = 20_000_000):
        self.searcher = searcher
        reader = searcher.reader()
        self.reader = reader
        self.size = reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.article_ids = np.full(self.size, -1, dtype=np.int64)
        self.category_codes = np.full(self.size, -1, dtype=np.int32)
        self.category_names: list[str] = []
        codes: dict[str, int] = {}
        for docnum, stored in reader.iter_docs():  # live documents only
            self.live[docnum] = True
            self.article_ids[docnum] = int(stored["id"])
            name = stored.get(category_field, "")
            if name not in codes:
                codes[name] = len(self.category_names)
                self.category_names.append(name)
            self.category_codes[docnum] = codes[name]
        self._lengths: dict[str, np.ndarray] = {}
        self._document_frequencies: dict[str, dict[str, int]] = {}
        self._postings: OrderedDict = OrderedDict()
        self._cached_postings = 0
        self._max_postings = max_postings

    # -- per-field statistics and postings, cached for this index version ------------------

    def _field_lengths(self, field: str) -> np.ndarray:
        if field not in self._lengths:
            length = self.reader.doc_field_length
            self._lengths[field] = np.fromiter(
                (length(d, field, 1) for d in range(self.size)), dtype=np.float64, count=self.size
            )
        return self._lengths[field]

    def _term_postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        cached = self._postings.get(key)
        if cached is not None:
            self._postings.move_to_end(key)
            return cached
        ids, weights = read_postings(self.searcher, field, text)
        entry = (ids, weights)
        if not len(ids):
            # Words the library does not contain are not kept: journal notes search here too.
            return entry
        self._postings[key] = entry
        self._cached_postings += len(ids)
        while self._cached_postings > self._max_postings and len(self._postings) > 1:
            _, (old_ids, _) = self._postings.popitem(last=False)
            self._cached_postings -= len(old_ids)
        return entry

    def key_terms(self, field: str, text: str, count: int) -> list[tuple[str, float]]:
        """The words that most set this text apart (tf-idf against the index), best first.

        Whoosh's key_terms_from_text looks each word up in the term index; one pass over the
        field's lexicon per index version makes that a dictionary lookup (80 ms to 2 ms).
        """
        if field not in self._document_frequencies:
            self._document_frequencies[field] = {
                (term.decode() if isinstance(term, bytes) else term): info.doc_frequency()
                for term, info in self.reader.iter_field(field)
            }
        frequencies = self._document_frequencies[field]
        analyzer = self.searcher.schema[field].analyzer
        counts: dict[str, int] = {}
        for token in analyzer(text):
            counts[token.text] = counts.get(token.text, 0) + 1
        size = self.size or 1
        weighted = [
            (term, float(tf * (np.log(size / (frequencies[term] + 1)) + 1)))
            for term, tf in counts.items()
            if term in frequencies
        ]
        weighted.sort(key=lambda item: (-item[1], item[0]))
        return weighted[:count]

    def term_mask(self, field: str, text: str) -> np.ndarray:
        """1 for every document whose field holds the term, else 0."""
        mask = np.zeros(self.size)
        mask[self._term_postings(field, text)[0]] = 1
        return mask

    def term_scores(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, BM25F contributions) of one term in one field."""
        ids, weights = self._term_postings(field, text)
        if not len(ids):
            return ids, weights
        idf = self.searcher.idf(field, text)
        average = self.searcher.avg_field_length(field) or 1
        lengths = self._field_lengths(field)[ids]
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths / average))
        return ids, scores

    # -- evaluating a parsed query -----------------------------------------------------------

    def evaluate(self, node) -> tuple[np.ndarray, np.ndarray]:
        """(scores, matches) over every document number for a Whoosh query tree."""
        scores, mask = self._evaluate(node)
        return scores, mask & self.live

    def _empty(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size), np.zeros(self.size, dtype=bool)

    def _total(self, scores: Iterable[np.ndarray]) -> np.ndarray:
        """The sum of score arrays (zeros for none), always an array."""
        return sum(scores, np.zeros(self.size))

    def _evaluate(self, node) -> tuple[np.ndarray, np.ndarray]:
        if node is q.NullQuery:
            return self._empty()
        if isinstance(node, q.Term):
            scores, mask = self._empty()
            text = node.text.decode() if isinstance(node.text, bytes) else node.text
            ids, contributions = self.term_scores(node.fieldname, text)
            scores[ids] = contributions * node.boost
            mask[ids] = True
            return scores, mask
        if isinstance(node, q.Not):
            _, excluded = self._evaluate(node.query)
            # Whoosh gives every document a NOT matches a constant score of 1 (times its boost).
            return (~excluded) * float(node.boost), ~excluded
        if isinstance(node, q.AndNot):
            scores, mask = self._evaluate(node.a)
            _, excluded = self._evaluate(node.b)
            return scores, mask & ~excluded
        if isinstance(node, q.And):
            parts = [self._evaluate(child) for child in node.subqueries]
            if not parts:
                return self._empty()
            mask = np.logical_and.reduce([m for _, m in parts])
            return self._total(s for s, _ in parts) * mask, mask
        if isinstance(node, q.Or):
            parts = [self._evaluate(child) for child in node.subqueries]
            if not parts:
                return self._empty()
            masks = [m for _, m in parts]
            scores = self._total(s for s, _ in parts)
            if getattr(node, "scale", None):
                # Whoosh's OrGroup.factory(scale): reward documents that match more of the words.
                matched = np.sum(masks, axis=0)
                scores = scores * (1 + (matched - 1).clip(0) * node.scale / len(parts))
            return scores, np.logical_or.reduce(masks)
        if isinstance(node, q.Phrase):
            # Word order needs positions: Whoosh finds the documents, the words score them.
            mask = np.zeros(self.size, dtype=bool)
            found = list(self.searcher.docs_for_query(node))
            mask[found] = True
            scores = self._total(self._evaluate(q.Term(node.fieldname, w))[0] for w in node.words)
            return scores * mask, mask
        # Anything else the parser may produce: Whoosh matches it, unscored.
        mask = np.zeros(self.size, dtype=bool)
        mask[list(self.searcher.docs_for_query(node))] = True
        return mask.astype(np.float64), mask

    def top(self, scores: np.ndarray, mask: np.ndarray, limit: int) -> np.ndarray:
        """Document numbers of the best `limit` matches, best first (ties: index order)."""
        candidates = np.flatnonzero(mask)
        if len(candidates) > limit:
            best = np.argpartition(-scores[candidates], limit - 1)[:limit]
            candidates = candidates[best]
        order = np.lexsort((candidates, -scores[candidates]))
        return candidates[order]
