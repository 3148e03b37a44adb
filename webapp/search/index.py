"""The Whoosh index of published articles: open, rebuild, catch up, search, suggest, relate.

One shared searcher per process, refreshed before each use (microseconds when nothing changed);
opening one costs about 70 ms at 10,000 articles. Writers wait for the index lock
(`writer(timeout=...)`) instead of failing, so several workers can update one index folder.
"""

import gc
import logging
import re
import shutil
import threading
import time
import uuid
import warnings
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage, RamStorage, Storage
from whoosh.qparser import (
    BoostPlugin,
    EveryPlugin,
    FieldsPlugin,
    AndGroup,
    MultifieldParser,
    OrGroup,
    RangePlugin,
    WildcardPlugin,
)
from whoosh.query import NullQuery, Or, Term
from whoosh.index import Index, LockError
from whoosh.writing import CLEAR

from .scoring import ArrayScorer
from .synonyms import expand_query, is_shorthand

log = logging.getLogger(__name__)

SEARCH_FIELDS = ("title", "title_exact", "summary", "tags", "body")
WATERMARK_FILE = "seedling-watermark"
OPERATORS = {"and", "or", "not", "andnot", "andmaybe"}
MIN_ALL_WORDS = 3
TITLE_WORDS_ANALYZER = StandardAnalyzer(stoplist=None)
_RAW_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A typed token that is only a word (perhaps opening or closing a phrase, or with punctuation
# after it): the only kind ever corrected, so "<b>implantaion</b>" never becomes a query for
# something else.
_PLAIN_WORD_TOKEN = re.compile(r"\"?([^\W\d_]+(?:['’][^\W\d_]+)*)[?!.,;:\"]*")


def build_schema() -> Schema:
    analyzer = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        category=ID(stored=True),
        title=TEXT(analyzer=analyzer, field_boost=3.0),
        # The title's words as typed: "inseminate" ranks "When to inseminate" above the many
        # titles that merely share its stem ("insemination").
        title_exact=TEXT(analyzer=StandardAnalyzer(), field_boost=2.0),
        # Every word of the title, stop words too, for the title-coverage bonus (not searched).
        title_words=TEXT(analyzer=TITLE_WORDS_ANALYZER, phrase=False),
        summary=TEXT(analyzer=analyzer, field_boost=1.5),
        tags=TEXT(analyzer=analyzer, field_boost=2.0),
        body=TEXT(analyzer=analyzer),
        # Each distinct word once, unstemmed: the lexicon "Did you mean" corrects against.
        # (Whoosh's own spelling=True analyses the whole body a second time: 40% slower builds.)
        spell=TEXT(analyzer=StandardAnalyzer(stoplist=None), phrase=False),
    )


@dataclass(frozen=True)
class SearchDocument:
    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    category: str
    body: str

    def fields(self) -> dict:
        return {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "title_exact": self.title,
            "title_words": self.title,
            "summary": self.summary,
            "tags": " ".join(t.replace("-", " ") for t in self.tags),
            "body": self.body,
            "spell": " ".join(sorted({w.lower() for w in _RAW_WORD.findall(f"{self.title} {self.summary} {self.body}")})),
        }


class DocumentSource(Protocol):
    """Where documents come from: the database, read outside the ORM session."""

    def generation(self) -> int: ...
    def changed_since(self, watermark: int) -> tuple[list[SearchDocument], list[str]]: ...
    def published_ids(self) -> set[str]: ...
    def all_documents(self) -> Iterable[SearchDocument]: ...


@dataclass
class SearchPage:
    query: str
    ids: list[int] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    per_page: int = 10
    facets: dict[str, int] = field(default_factory=dict)
    stems: frozenset[str] = frozenset()
    truncated: bool = False
    any_word: bool = False  # nothing matched every word, so these match some of them


class PrivateRamStorage(RamStorage):
    """RamStorage whose writers' scratch folders are private to this process.

    Whoosh's RamStorage puts every writer's scratch files in one fixed folder (/tmp/MAIN.tmp),
    so two processes indexing in memory at once (parallel test runs) delete each other's files.
    """

    def temp_storage(self, name=None):
        return super().temp_storage(f"seedling-{uuid.uuid4().hex}.tmp")


def normalise_query(raw: str, max_length: int) -> tuple[str, bool]:
    text = " ".join((raw or "").split())
    if len(text) <= max_length:
        return text, False
    return text[:max_length].rsplit(" ", 1)[0] or text[:max_length], True


class SearchIndex:
    def __init__(
        self,
        source: DocumentSource,
        path: Path | None,
        writer_timeout: float = 10.0,
        sync_interval: float = 1.0,
        max_query_length: int = 200,
    ):
        self.source = source
        self.path = path  # None: in memory (tests)
        self.writer_timeout = writer_timeout
        self.sync_interval = sync_interval
        self.max_query_length = max_query_length
        self.schema = build_schema()
        # Every word must match first (like most search boxes); if nothing has them all, any word.
        self.parsers = [self._parser(AndGroup), self._parser(OrGroup.factory(0.9))]
        self._storage: Storage | None = None  # set by open()
        self._index: Index | None = None
        self._searcher = None
        self._derived: dict = {}
        self._lock = threading.RLock()
        self._last_sync = 0.0
        # The database's search generation as last seen: public page caches key on it.
        self.seen_generation = 0

    def _parser(self, group) -> MultifieldParser:
        parser = MultifieldParser(list(SEARCH_FIELDS), self.schema, group=group)
        # No wildcards, field names, ranges, boosts or "*:*": typed text is words and phrases.
        for plugin in (WildcardPlugin, FieldsPlugin, RangePlugin, BoostPlugin, EveryPlugin):
            parser.remove_plugin_class(plugin)
        return parser

    # -- opening -------------------------------------------------------------------------

    def open(self, rebuild_if_missing: bool = True) -> None:
        """Open the index, creating and rebuilding it when it is missing or unreadable."""
        with self._lock:
            if self.path is None:
                self._storage = PrivateRamStorage()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._storage = FileStorage(str(self.path))
            problem = None
            # Whoosh leaves a damaged file open when it fails to read it; the handle is freed
            # with the exception, so that warning is silenced for this attempt only.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                try:
                    if not whoosh_index.exists(self._storage):
                        problem = "missing"
                    else:
                        self._index = self._storage.open_index()
                        self._index.doc_count()
                        if set(self._index.schema.names()) != set(self.schema.names()):
                            problem = "built with another schema"
                except Exception as exc:  # a damaged index is rebuilt, never served
                    problem = f"unreadable ({type(exc).__name__})"
                if problem and problem != "missing":
                    gc.collect()
            if problem is None:
                return
            if self.path is not None and problem != "missing":
                shutil.rmtree(self.path, ignore_errors=True)
                self.path.mkdir(parents=True, exist_ok=True)
                self._storage = FileStorage(str(self.path))
            self._index = self._storage.create_index(self.schema)
            self._write_watermark(0)
            if rebuild_if_missing:
                log.warning("Search index %s: rebuilding it from the database", problem)
                try:
                    self.rebuild()
                except LockError:
                    # Another worker sharing this folder is rebuilding it; searches catch up.
                    log.warning("Search index: another process holds the lock, not rebuilding here")

    @property
    def index(self):
        if self._index is None:
            self.open()
        return self._index

    @property
    def _opened_storage(self) -> Storage:
        if self._storage is None:
            raise RuntimeError("the search index is not open")
        return self._storage

    # -- writing -------------------------------------------------------------------------

    def _read_watermark(self) -> int:
        try:
            with self._opened_storage.open_file(WATERMARK_FILE) as handle:
                return int(handle.read().decode() or 0)
        except (OSError, ValueError, KeyError, NameError):
            return 0

    def _write_watermark(self, value: int) -> None:
        temporary = f"{WATERMARK_FILE}.{threading.get_ident()}.tmp"
        storage = self._opened_storage
        handle = storage.create_file(temporary)
        handle.write(str(value).encode())
        handle.close()
        storage.rename_file(temporary, WATERMARK_FILE, safe=False)

    @contextmanager
    def _writing(self):
        """One writer, waiting up to SEARCH_WRITER_TIMEOUT for the lock; always unlocked after.

        The block commits; if anything fails first (commit included) the writer is cancelled,
        since Whoosh keeps the lock of a writer whose commit raised.
        """
        writer = self.index.writer(timeout=self.writer_timeout, delay=0.05, limitmb=256)
        try:
            yield writer
        except BaseException:
            if not writer.is_closed:
                try:
                    writer.cancel()
                except Exception:
                    writer.writelock.release()
            raise

    def rebuild(self) -> int:
        """Replace the whole index with the database's published articles; safe while serving."""
        generation = self.source.generation()
        count = 0
        with self._writing() as writer:
            for document in self.source.all_documents():
                writer.add_document(**document.fields())
                count += 1
            writer.commit(mergetype=CLEAR, optimize=True)
        self._write_watermark(generation)
        self.seen_generation = max(self.seen_generation, generation)
        return count

    def catch_up(self, force: bool = False) -> int:
        """Apply the database's changes since the watermark; returns how many were applied."""
        now = time.monotonic()
        if not force and now - self._last_sync < self.sync_interval:
            return 0
        self._last_sync = now
        generation = self.source.generation()
        watermark = self._read_watermark()
        if generation < watermark:
            # The database is behind the index: it was restored or replaced. Start again.
            log.warning("Search index is ahead of the database (restored or replaced?): rebuilding it")
            return self.rebuild()
        if generation == watermark:
            self.seen_generation = generation
            return 0
        with self._writing() as writer:
            upserts, removals = self.source.changed_since(self._read_watermark())
            for document in upserts:
                writer.update_document(**document.fields())
            for doc_id in removals:
                writer.delete_by_term("id", doc_id)
            writer.commit()
        self._remove_stale_documents()
        self._write_watermark(generation)
        # Only now: the page cache keys on this, so it must name a version the index holds.
        self.seen_generation = generation
        return len(upserts) + len(removals)

    def _remove_stale_documents(self) -> None:
        """Rows deleted outright leave no stamp behind: compare ids when the counts disagree."""
        published = self.source.published_ids()
        with self.index.searcher() as searcher:
            if searcher.doc_count() == len(published):
                return
            indexed = {fields["id"] for fields in searcher.all_stored_fields()}
        stale = indexed - published
        if stale:
            with self._writing() as writer:
                for doc_id in stale:
                    writer.delete_by_term("id", doc_id)
                writer.commit()

    # -- reading -------------------------------------------------------------------------

    @contextmanager
    def reading(self):
        """The shared searcher, refreshed, with what is derived from it (cached per version)."""
        with self._lock:
            if self._searcher is None:
                self._searcher = self.index.searcher()
            elif self.index.latest_generation() != self._searcher.reader().generation():
                # A whole new searcher, not refresh(): refresh() reuses the old segment readers,
                # and with them their old deletions, so deleted articles would still be found.
                self._searcher.close()
                self._searcher = self.index.searcher()
                self._derived = {}
            yield self._searcher

    def _scorer(self, searcher) -> ArrayScorer:
        if "scorer" not in self._derived:
            self._derived["scorer"] = ArrayScorer(searcher)
        return self._derived["scorer"]

    def sync(self) -> None:
        try:
            self.catch_up()
        except Exception:  # a stale page of results beats an error page; logged for operators
            log.exception("Catching the search index up with the database failed")

    def search(self, raw_query: str, page: int = 1, per_page: int = 10, category: str | None = None) -> SearchPage:
        text, truncated = normalise_query(raw_query, self.max_query_length)
        result = SearchPage(query=text, per_page=per_page, truncated=truncated)
        if not text:
            return result
        self.sync()
        with self.reading() as searcher:
            scorer = self._scorer(searcher)
            query, scores, matches = self._match(scorer, text, result)
            if query is None:
                return result
            counts = np.bincount(scorer.category_codes[matches], minlength=len(scorer.category_names))
            result.facets = {
                name: int(count) for name, count in zip(scorer.category_names, counts) if count
            }
            if category:
                code = scorer.category_names.index(category) if category in result.facets else -1
                matches = matches & (scorer.category_codes == code)
            result.total = int(matches.sum())
            if result.total == 0:
                return result
            result.pages = -(-result.total // per_page)
            result.page = min(max(page, 1), result.pages)
            best = scorer.top(scores, matches, result.page * per_page)
            start = (result.page - 1) * per_page
            result.ids = [int(i) for i in scorer.article_ids[best[start : start + per_page]]]
        return result

    def _match(self, scorer: ArrayScorer, text: str, result: SearchPage):
        """Score every document for the typed words; returns (query, scores, matches).

        Articles with every word come first. When fewer than MIN_ALL_WORDS have them all, the
        articles with some of the words follow, so a wordy question still finds its answer.
        Titles that contain more of the typed words (stop words included: "when to
        inseminate") get up to twice the score.
        """
        expanded = expand_query(text)  # "2ww" also finds "two-week wait"
        all_words = self.parsers[0].parse(expanded)
        if all_words is NullQuery:
            return None, None, None
        scores, matches = scorer.evaluate(all_words)
        query = all_words
        if matches.sum() < MIN_ALL_WORDS:
            any_word = self.parsers[1].parse(expanded)
            some_scores, some_matches = scorer.evaluate(any_word)
            if not some_matches.any():
                return None, None, None
            result.any_word = not matches.any()
            # Every-word matches above the rest, each group in its own score order.
            scores = some_scores + matches * (some_scores.max() + 1)
            matches, query = some_matches, any_word
        typed = {token.text for token in TITLE_WORDS_ANALYZER(text)}
        if typed:
            in_title = sum(scorer.term_mask("title_words", word) for word in typed)
            scores = scores * (1 + in_title / len(typed))
        result.stems = frozenset(
            t.decode() if isinstance(t, bytes) else t
            for f, t in query.iter_all_terms()
            if f in SEARCH_FIELDS
        )
        return query, scores, matches

    def suggest(self, raw_query: str) -> str | None:
        """The query with each unknown word replaced by its closest known spelling, if any."""
        text, _ = normalise_query(raw_query, self.max_query_length)
        tokens = text.split(" ")
        plain = [_PLAIN_WORD_TOKEN.fullmatch(token) for token in tokens]
        words = {
            match.group(1) for match in plain
            if match and len(match.group(1)) > 3 and match.group(1).lower() not in OPERATORS
            and not is_shorthand(match.group(1))
        }
        if not words:
            return None
        self.sync()
        replacements: dict[str, str] = {}
        with self.reading() as searcher:
            reader = searcher.reader()
            corrector = reader.corrector("spell")
            for word in words:
                lower = word.lower()
                if ("spell", lower) in reader:
                    continue
                # Two edits at most, and the first two letters right: fast, and it keeps
                # "script" from becoming "strip".
                found = corrector.suggest(lower, limit=1, maxdist=2, prefix=2)
                if found:
                    replacements[word] = found[0]
        if not replacements:
            return None
        return " ".join(
            token if match is None or match.group(1) not in replacements
            else token[: match.start(1)] + replacements[match.group(1)] + token[match.end(1) :]
            for token, match in zip(tokens, plain)
        )

    def related(self, doc_id: int, text: str, limit: int = 3) -> list[int]:
        """Ids of the articles most like this one: its most distinctive body words, scored as
        one any-word query. Cached per index version."""
        self.sync()
        with self.reading() as searcher:
            key = ("related", doc_id, limit)
            if key not in self._derived:
                scorer = self._scorer(searcher)
                terms = scorer.key_terms("body", text, 12)
                if not terms:
                    return []
                query = Or([Term("body", term, boost=float(weight)) for term, weight in terms])
                scores, matches = scorer.evaluate(query)
                matches &= scorer.article_ids != doc_id
                best = scorer.top(scores, matches, limit)
                self._derived[key] = [int(i) for i in scorer.article_ids[best]]
            return self._derived[key]

    def category_counts(self) -> dict[str, int]:
        """How many published articles each category slug has, from the index."""
        self.sync()
        with self.reading() as searcher:
            scorer = self._scorer(searcher)
            counts = np.bincount(scorer.category_codes[scorer.live], minlength=len(scorer.category_names))
            return {name: int(n) for name, n in zip(scorer.category_names, counts) if n}

    def document_count(self) -> int:
        with self.reading() as searcher:
            return searcher.doc_count()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._index is not None:
                self._index.close()
                self._index = None

