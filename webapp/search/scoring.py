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

import numpy as np
from whoosh import query as q

K1 = 1.2
B = 0.75


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
        ids, weights = array("q"), array("d")
        if (field, text) in self.reader:
            matcher = self.reader.postings(field, text)
            while matcher.is_active():
                ids.append(matcher.id())
                weights.append(matcher.weight())
                matcher.next()
        entry = (np.frombuffer(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float64))
        if not ids:
            # Words the library does not contain are not kept: journal notes search here too.
            return entry
        self._postings[key] = entry
        self._cached_postings += len(ids)
        while self._cached_postings > self._max_postings and len(self._postings) > 1:
            _, (old_ids, _) = self._postings.popitem(last=False)
            self._cached_postings -= len(old_ids)
        return entry

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
            return sum(s for s, _ in parts) * mask, mask
        if isinstance(node, q.Or):
            parts = [self._evaluate(child) for child in node.subqueries]
            if not parts:
                return self._empty()
            masks = [m for _, m in parts]
            scores = sum(s for s, _ in parts)
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
            scores = sum(self._evaluate(q.Term(node.fieldname, w))[0] for w in node.words)
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
