"""BM25F over NumPy arrays, for the queries Whoosh parses.

Whoosh scores and counts hits one posting at a time in Python: at 10,000 articles a two-word
query took 100-400 ms here, since topic words appear in most articles of a fertility library.
This module evaluates the same parsed query over whole posting lists at once. A term's postings
are read from the Whoosh index once per index version and kept (least recently used first out);
scores follow Whoosh's own BM25F formula (same idf, field lengths and boosts), so results match
Whoosh's ranking, which a test checks. Phrases are matched on each word's positions, read once
per index version as sorted NumPy arrays: Whoosh unpickled and walked the positions of every
document holding all the words (5,553 for "implantation bleeding"), 100-260 ms a query.
"""

from array import array
from collections import OrderedDict
from collections.abc import Iterable
from itertools import chain
# Only ever given Whoosh's own posting values, read from our own index.
from pickle import loads  # nosec B403

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

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


POSITION_BITS = 32  # a position key is docnum << 32 | position


def _position_keys(ids: np.ndarray, deltas: list[list[int]]) -> np.ndarray:
    """docnum << 32 | position for every occurrence, from each posting's position deltas."""
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    running = np.cumsum(flat)
    starts = np.cumsum(counts) - counts
    # Each posting's deltas start again from 0: take off what the postings before it added.
    before = np.repeat(running[starts] - flat[starts], counts)
    return (np.repeat(ids, counts) << POSITION_BITS) | (running - before)


_PICKLE_2 = b"\x80\x02"


def _unpickle_block(values) -> list[list[int]]:
    """A block's position values in one pickle.loads instead of one per posting (7 µs each).

    Each value is a 4-byte count and a protocol-2 pickle of one list; their bodies, between a
    MARK and a LIST opcode, make one pickle of the list of those lists.
    """
    if all(value[4:6] == _PICKLE_2 and value[-1:] == b"." for value in values):
        joined = b"".join([_PICKLE_2, b"(", *[value[6:-1] for value in values], b"l."])
        return loads(joined)  # nosec B301
    return [loads(value[4:]) for value in values]  # nosec B301


def read_position_blocks(matcher) -> tuple[np.ndarray, list[list[int]]]:
    """A W3LeafMatcher's ids and each posting's position deltas, a block at a time.

    whoosh-reloaded 2.7.5's Positions format stores a posting's value as a packed count followed
    by a pickled list of position deltas, and the block tuple holds those values. This leans on
    the pinned codec, so a test checks it against Whoosh's own value_as("positions").
    """
    id_blocks, deltas = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        id_blocks.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        deltas += _unpickle_block(matcher._data[2])
        matcher._next_block()
    ids = np.concatenate(id_blocks) if id_blocks else np.zeros(0, dtype=np.int64)
    return ids, deltas


def read_positions_slowly(matcher) -> tuple[np.ndarray, list[list[int]]]:
    ids, deltas = array("q"), []
    while matcher.is_active():
        ids.append(matcher.id())
        positions = matcher.value_as("positions")
        deltas.append([b - a for a, b in zip([0, *positions], positions)])
        matcher.next()
    return np.frombuffer(ids, dtype=np.int64), deltas


def raw_postings(reader, field: str, text: str):
    """A segment's postings for a term, deleted documents included (the live mask drops them):
    what is read can then be kept for every later version of the segment."""
    matcher = reader.postings(field, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    return matcher


def segment_positions(reader, field: str, text: str) -> np.ndarray:
    """Sorted position keys (docnum << 32 | position) of a term in one segment."""
    if (field, text) not in reader:
        return np.zeros(0, dtype=np.int64)
    matcher = raw_postings(reader, field, text)
    fixed = matcher._fixedsize if type(matcher) is W3LeafMatcher else 0
    fast = type(matcher) is W3LeafMatcher and not matcher._byteids and (fixed is None or fixed < 0)
    ids, deltas = read_position_blocks(matcher) if fast else read_positions_slowly(matcher)
    return _position_keys(ids, deltas)


def segment_postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, weights) of a term in one segment."""
    if (field, text) not in reader:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    matcher = raw_postings(reader, field, text)
    fast = type(matcher) is W3LeafMatcher and not matcher._byteids
    return read_leaf_blocks(matcher) if fast else read_postings_slowly(matcher)


class SizedLRU:
    """Arrays by key, least recently used out first once their total length passes a limit."""

    def __init__(self, max_total: int):
        self._entries: OrderedDict = OrderedDict()
        self._total = 0
        self._max_total = max_total

    @staticmethod
    def _size(value) -> int:
        return len(value[0]) if isinstance(value, tuple) else len(value)

    def get(self, key, compute):
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
            return value
        value = compute()
        self._entries[key] = value
        self._total += self._size(value)
        while self._total > self._max_total and len(self._entries) > 1:
            _, old = self._entries.popitem(last=False)
            self._total -= self._size(old)
        return value

    def keep_segments(self, segment_ids: set) -> None:
        for key in [k for k in self._entries if k[0] not in segment_ids]:
            self._total -= self._size(self._entries.pop(key))


class SegmentCache:
    """What is read from each segment, kept across index versions.

    Whoosh never rewrites a segment (deletions are recorded beside it), so after an article
    edit, which adds one small segment, only that segment is read again: the first search after
    a change no longer re-reads every posting, position and stored field of the library.
    """

    def __init__(self, max_postings: int = 20_000_000, max_positions: int = 10_000_000):
        self.postings = SizedLRU(max_postings)
        self.positions = SizedLRU(max_positions)
        self.per_segment: dict = {}  # (segment id, what) -> arrays or dicts
        self.category_names: list[str] = []
        self._category_codes: dict[str, int] = {}

    def category_code(self, name: str) -> int:
        if name not in self._category_codes:
            self._category_codes[name] = len(self.category_names)
            self.category_names.append(name)
        return self._category_codes[name]

    def segment_value(self, segment_id, what, compute):
        key = (segment_id, what)
        if key not in self.per_segment:
            self.per_segment[key] = compute()
        return self.per_segment[key]

    def keep_segments(self, segment_ids: set) -> None:
        for key in [k for k in self.per_segment if k[0] not in segment_ids]:
            del self.per_segment[key]
        self.postings.keep_segments(segment_ids)
        self.positions.keep_segments(segment_ids)


def _segment_id(reader):
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else ("unshared", id(reader))


class ArrayScorer:
    def __init__(self, searcher, cache: SegmentCache | None = None, category_field: str = "category"):
        self.searcher = searcher
        self.cache = cache or SegmentCache()
        reader = searcher.reader()
        self.reader = reader
        self.size = reader.doc_count_all()
        self.leaves = [(_segment_id(leaf), leaf, offset) for leaf, offset in reader.leaf_readers()]
        self.cache.keep_segments({segment_id for segment_id, _, _ in self.leaves})
        self.live = np.zeros(self.size, dtype=bool)
        self.article_ids = np.full(self.size, -1, dtype=np.int64)
        self.category_codes = np.full(self.size, -1, dtype=np.int32)
        for segment_id, leaf, offset in self.leaves:
            ids, codes = self.cache.segment_value(
                segment_id, "documents", lambda leaf=leaf: self._read_documents(leaf, category_field)
            )
            self.article_ids[offset : offset + len(ids)] = ids
            self.category_codes[offset : offset + len(ids)] = codes
            if leaf.has_deletions():
                self.live[np.fromiter(leaf.all_doc_ids(), dtype=np.int64) + offset] = True
            else:
                self.live[offset : offset + leaf.doc_count_all()] = True
        self.live &= self.article_ids >= 0
        self.category_names = self.cache.category_names
        self._lengths: dict[str, np.ndarray] = {}

    def _read_documents(self, leaf, category_field: str) -> tuple[np.ndarray, np.ndarray]:
        """Every document's article id and category code, deleted ones too (masked by live)."""
        count = leaf.doc_count_all()
        ids = np.full(count, -1, dtype=np.int64)
        codes = np.full(count, -1, dtype=np.int32)
        for docnum in range(count):
            stored = leaf.stored_fields(docnum)
            if "id" in stored:
                ids[docnum] = int(stored["id"])
                codes[docnum] = self.cache.category_code(stored.get(category_field, ""))
        return ids, codes

    # -- per-field statistics and postings: per segment, combined for this version ----------

    def _field_lengths(self, field: str) -> np.ndarray:
        if field not in self._lengths:
            parts = [
                self.cache.segment_value(
                    segment_id, ("lengths", field),
                    lambda leaf=leaf: np.fromiter(
                        (leaf.doc_field_length(d, field, 1) for d in range(leaf.doc_count_all())),
                        dtype=np.float64, count=leaf.doc_count_all(),
                    ),
                )
                for segment_id, leaf, _ in self.leaves
            ]
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[field]

    def _term_postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        id_parts, weight_parts = [], []
        for segment_id, leaf, offset in self.leaves:
            ids, weights = self.cache.postings.get(
                (segment_id, field, text), lambda leaf=leaf: segment_postings(leaf, field, text)
            )
            if len(ids):
                id_parts.append(ids + offset if offset else ids)
                weight_parts.append(weights)
        if not id_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        if len(id_parts) == 1:
            return id_parts[0], weight_parts[0]
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def _term_positions(self, field: str, text: str) -> np.ndarray:
        parts = []
        for segment_id, leaf, offset in self.leaves:
            keys = self.cache.positions.get(
                (segment_id, field, text), lambda leaf=leaf: segment_positions(leaf, field, text)
            )
            if len(keys):
                parts.append(keys + (offset << POSITION_BITS) if offset else keys)
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def phrase_documents(self, field: str, words: list[str]) -> np.ndarray:
        """Document numbers where the words stand next to each other in this order (Whoosh's
        Phrase with slop 1: word k at position p + k). Rarest word first."""
        keyed = []
        for k, word in enumerate(words):
            keys = self._term_positions(field, word)
            if not len(keys):
                return np.zeros(0, dtype=np.int64)
            keyed.append((len(keys), k, keys))
        keyed.sort(key=lambda item: item[:2])
        _, first, keys = keyed[0]
        starts = keys - first
        for _, k, keys in keyed[1:]:
            # Both sorted: look each start up in the other word's positions.
            shifted = keys - k
            found = np.searchsorted(shifted, starts).clip(max=len(shifted) - 1)
            starts = starts[shifted[found] == starts]
            if not len(starts):
                return np.zeros(0, dtype=np.int64)
        return np.unique(starts >> POSITION_BITS)

    def key_terms(self, field: str, text: str, count: int) -> list[tuple[str, float]]:
        """The words that most set this text apart (tf-idf against the index), best first.

        Whoosh's key_terms_from_text looks each word up in the term index; one pass over the
        field's lexicon per index version makes that a dictionary lookup (80 ms to 2 ms).
        """
        per_segment = [
            self.cache.segment_value(
                segment_id, ("df", field),
                lambda leaf=leaf: {
                    (term.decode() if isinstance(term, bytes) else term): info.doc_frequency()
                    for term, info in leaf.iter_field(field)
                },
            )
            for segment_id, leaf, _ in self.leaves
        ]
        analyzer = self.searcher.schema[field].analyzer
        counts: dict[str, int] = {}
        for token in analyzer(text):
            counts[token.text] = counts.get(token.text, 0) + 1
        size = self.size or 1
        weighted = []
        for term, tf in counts.items():
            frequency = sum(frequencies.get(term, 0) for frequencies in per_segment)
            if frequency:
                weighted.append((term, float(tf * (np.log(size / (frequency + 1)) + 1))))
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
            # Word order needs positions; the words score the documents that have the phrase.
            mask = np.zeros(self.size, dtype=bool)
            words = [w.decode() if isinstance(w, bytes) else w for w in node.words if w is not None]
            if node.slop == 1 and self.searcher.schema[node.fieldname].format.supports("positions"):
                mask[self.phrase_documents(node.fieldname, words)] = True
            else:  # a phrase with slop ("a b"~3): Whoosh's own matcher
                mask[list(self.searcher.docs_for_query(node))] = True
            if not mask.any():
                return np.zeros(self.size), mask
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
