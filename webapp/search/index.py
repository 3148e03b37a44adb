"""The Whoosh index of published articles: open, rebuild, catch up, search, suggest, relate.

One shared searcher per process, refreshed before each use (microseconds when nothing changed);
opening one costs about 70 ms at 10,000 articles. Writers wait for the index lock
(`writer(timeout=...)`) instead of failing, so several workers can update one index folder.
"""

import fcntl
import gc
import logging
import os
import re
import shutil
import threading
import time
import uuid
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from contextlib import contextmanager, nullcontext
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
from whoosh.index import Index
from whoosh.writing import CLEAR

from .scoring import ArrayScorer, SegmentCache
from .synonyms import expand_query, is_shorthand

log = logging.getLogger(__name__)

SEARCH_FIELDS = ("title", "title_exact", "summary", "tags", "body")
WATERMARK_FILE = "seedling-watermark"
OPERATORS = {"and", "or", "not", "andnot", "andmaybe"}
MIN_ALL_WORDS = 3
MAX_KEPT_QUERIES = 512  # parsed public queries kept per index version
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
    rebuilding: bool = False  # the index is being rebuilt: no results for now


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


class IndexRebuilding(Exception):
    """The index is being rebuilt and cannot be read yet."""


def write_watermark(storage, value: int) -> None:
    temporary = f"{WATERMARK_FILE}.{threading.get_ident()}.tmp"
    handle = storage.create_file(temporary)
    handle.write(str(value).encode())
    handle.close()
    storage.rename_file(temporary, WATERMARK_FILE, safe=False)


def _rebuild_lock_path(path: Path) -> Path:
    # Beside the folder, not in it: the folder itself is replaced.
    return path.parent / f"{path.name}.rebuild-lock"


def try_rebuild_lock(path: Path):
    """The cross-process rebuild lock (flock: freed if the holder dies), or None if held."""
    handle = open(_rebuild_lock_path(path), "a+")  # noqa: SIM115 (held until released)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def lower_this_threads_priority() -> None:
    """On Linux a thread has its own nice value: the rebuild yields the cores to requests."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass


def release_rebuild_lock(handle) -> None:
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


def rebuild_lock_is_held(path: Path) -> bool:
    handle = try_rebuild_lock(path)
    if handle is None:
        return True
    release_rebuild_lock(handle)
    return False


class SearchIndex:
    def __init__(
        self,
        source: DocumentSource,
        path: Path | None,
        writer_timeout: float = 10.0,
        sync_interval: float = 1.0,
        max_query_length: int = 200,
        rebuild_in_background_above: int = 500,
        background_context=nullcontext,
    ):
        self.source = source
        self.path = path  # None: in memory (tests)
        self.writer_timeout = writer_timeout
        self.sync_interval = sync_interval
        self.max_query_length = max_query_length
        self.rebuild_in_background_above = rebuild_in_background_above
        # What a background thread needs to read the source (the Flask app's context).
        self.background_context = background_context
        self.schema = build_schema()
        # Every word must match first (like most search boxes); if nothing has them all, any word.
        self.parsers = [self._parser(AndGroup), self._parser(OrGroup.factory(0.9))]
        self._storage: Storage | None = None  # set by open()
        self._index: Index | None = None
        self._searcher = None
        self._derived: dict = {}
        self._segments = SegmentCache()  # postings and positions per segment, across versions
        self._lock = threading.RLock()
        self._last_sync = 0.0
        self._rebuilder: threading.Thread | None = None
        self._last_open_attempt = 0.0
        self._seen_generation = 0

    def _parser(self, group) -> MultifieldParser:
        parser = MultifieldParser(list(SEARCH_FIELDS), self.schema, group=group)
        # No wildcards, field names, ranges, boosts or "*:*": typed text is words and phrases.
        for plugin in (WildcardPlugin, FieldsPlugin, RangePlugin, BoostPlugin, EveryPlugin):
            parser.remove_plugin_class(plugin)
        return parser

    # -- opening -------------------------------------------------------------------------

    def open(self, rebuild_if_missing: bool = True) -> None:
        """Open the index; when it is missing or unreadable, rebuild it from the database.

        A folder is rebuilt beside the old one and swapped in, by one process at a time (a file
        lock), so workers sharing it never delete each other's files. A library larger than
        `rebuild_in_background_above` is rebuilt in a background thread: pages are served
        meanwhile, without search (`ready` is False), never waiting for it.
        """
        with self._lock:
            if self.path is None:
                self._storage = PrivateRamStorage()
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._storage = FileStorage(str(self.path))
            problem = self._open_existing()
            if problem is None:
                return
            if self.path is None or not rebuild_if_missing:
                self._start_empty(problem)
                if rebuild_if_missing:
                    log.warning("Search index %s: rebuilding it from the database", problem)
                    self.rebuild()
                return
            log.warning("Search index %s: rebuilding it from the database", problem)
            background = len(self.source.published_ids()) > self.rebuild_in_background_above
            self._rebuild_beside(background)

    def _open_existing(self) -> str | None:
        """Opens the index in self._storage; returns what is wrong with it, if anything."""
        problem = None
        # Whoosh leaves a damaged file open when it fails to read it; the handle is freed
        # with the exception, so that warning is silenced for this attempt only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                if not whoosh_index.exists(self._opened_storage):
                    problem = "missing"
                else:
                    self._index = self._opened_storage.open_index()
                    self._index.doc_count()
                    if set(self._index.schema.names()) != set(self.schema.names()):
                        problem = "built with another schema"
            except Exception as exc:  # a damaged index is rebuilt, never served
                problem = f"unreadable ({type(exc).__name__})"
            if problem:
                self._index = None
                if problem != "missing":
                    gc.collect()
        return problem

    def _start_empty(self, problem: str) -> None:
        """An empty index in place (in memory, or before the tables exist: nothing to index)."""
        if self.path is not None and problem != "missing":
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True, exist_ok=True)
            self._storage = FileStorage(str(self.path))
        self._index = self._opened_storage.create_index(self.schema)
        self._write_watermark(0)

    @property
    def seen_generation(self) -> int:
        """The library version public page caches key on: the database's search generation as
        last seen, negative while the index is being rebuilt, so that pages rendered without
        search (no related articles, no topic counts) never outlive the rebuild."""
        return self._seen_generation if self.ready else -1 - self._seen_generation

    @property
    def ready(self) -> bool:
        """Whether the index can be read; False while it is being rebuilt (here or elsewhere).

        Another process's finished rebuild is picked up here, at most every sync interval.
        """
        if self._index is not None:
            return True
        if self._rebuilder is not None and self._rebuilder.is_alive():
            return False
        now = time.monotonic()
        if now - self._last_open_attempt < min(self.sync_interval, 1.0):
            return False
        self._last_open_attempt = now
        with self._lock:
            if self._index is None and self.path is not None:
                self._storage = FileStorage(str(self.path))
                if self._open_existing() is not None and not rebuild_lock_is_held(self.path):
                    # Nobody is rebuilding it (the rebuilder died): this process takes over.
                    self._rebuild_beside(background=True)
        return self._index is not None

    def wait_until_ready(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.ready:
            if deadline is not None and time.monotonic() > deadline:
                return False
            if self._rebuilder is not None and self._rebuilder.is_alive():
                self._rebuilder.join(0.2)
            else:
                time.sleep(0.2)
                self._last_open_attempt = 0.0
        return True

    def _rebuild_beside(self, background: bool) -> None:
        """Build a new index folder beside the damaged one and swap it in, if this process
        gets the rebuild lock; otherwise another process is at it and `ready` waits for it."""
        lock = try_rebuild_lock(self._folder)
        if lock is None:
            log.warning("Search index: another process is rebuilding it")
            return
        if not background:
            self._build_and_swap(lock)
            return
        def build_in_context() -> None:
            with self.background_context():
                self._build_and_swap(lock, background=True)

        self._rebuilder = threading.Thread(target=build_in_context, name="search-index-rebuild", daemon=True)
        self._rebuilder.start()

    def _build_and_swap(self, lock, background: bool = False) -> None:
        try:
            started = time.monotonic()
            folder = self._folder
            parent, name = folder.parent, folder.name
            for leftover in [*parent.glob(f"{name}.building-*"), *parent.glob(f"{name}.damaged-*")]:
                shutil.rmtree(leftover, ignore_errors=True)
            building = parent / f"{name}.building-{uuid.uuid4().hex}"
            building.mkdir()
            storage = FileStorage(str(building))
            new_index = storage.create_index(self.schema)
            generation = self.source.generation()
            count = 0
            # Smaller sorted runs than the foreground build: each sort holds the GIL, and in the
            # background the worker's requests wait for it.
            writer = new_index.writer(limitmb=64 if background else 256)
            if background:
                lower_this_threads_priority()
            try:
                for document in self.source.all_documents():
                    writer.add_document(**document.fields())
                    count += 1
                    if background:
                        time.sleep(0)  # let the worker's requests have the GIL between documents
                writer.commit()
            except BaseException:
                writer.cancel()
                raise
            new_index.close()
            write_watermark(storage, generation)
            if folder.exists():
                damaged = parent / f"{name}.damaged-{uuid.uuid4().hex}"
                os.rename(folder, damaged)
                os.rename(building, folder)
                shutil.rmtree(damaged, ignore_errors=True)
            else:
                os.rename(building, folder)
            with self._lock:
                if self._searcher is not None:
                    self._searcher.close()
                    self._searcher = None
                self._storage = FileStorage(str(folder))
                self._open_existing()
                self._derived = {}
            log.warning("Search index rebuilt: %d articles in %.1f s", count, time.monotonic() - started)
        except Exception:
            log.exception("Rebuilding the search index failed; the next request tries again")
        finally:
            release_rebuild_lock(lock)

    @property
    def index(self):
        if self._index is None and not self.ready:
            raise IndexRebuilding()
        return self._index

    @property
    def _folder(self) -> Path:
        if self.path is None:
            raise RuntimeError("an index in memory has no folder")
        return self.path

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
        write_watermark(self._opened_storage, value)

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
        self.wait_until_ready()
        generation = self.source.generation()
        count = 0
        with self._writing() as writer:
            for document in self.source.all_documents():
                writer.add_document(**document.fields())
                count += 1
            writer.commit(mergetype=CLEAR, optimize=True)
        self._write_watermark(generation)
        self._seen_generation = max(self._seen_generation, generation)
        return count

    def catch_up(self, force: bool = False) -> int:
        """Apply the database's changes since the watermark; returns how many were applied."""
        now = time.monotonic()
        if not force and now - self._last_sync < self.sync_interval:
            return 0
        self._last_sync = now
        generation = self.source.generation()
        if not self.ready:
            # Being rebuilt (the rebuild's own watermark says where it got to); caches key on
            # -1 - generation meanwhile.
            self._seen_generation = generation
            return 0
        watermark = self._read_watermark()
        if generation < watermark:
            # The database is behind the index: it was restored or replaced. Start again.
            log.warning("Search index is ahead of the database (restored or replaced?): rebuilding it")
            return self.rebuild()
        if generation == watermark:
            self._seen_generation = generation
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
        self._seen_generation = generation
        return len(upserts) + len(removals)

    def _remove_stale_documents(self) -> None:
        """Rows deleted outright leave no stamp behind: compare ids when the counts disagree."""
        published = self.source.published_ids()
        # Counted from the table of contents: opening a reader for it took ~100 ms at 10,000.
        if sum(segment.doc_count() for segment in self.index._segments()) == len(published):
            return
        with self.index.searcher() as searcher:
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
            self._derived["scorer"] = ArrayScorer(searcher, self._segments)
        return self._derived["scorer"]

    def sync(self) -> None:
        try:
            self.catch_up()
        except Exception:  # a stale page of results beats an error page; logged for operators
            log.exception("Catching the search index up with the database failed")

    def search(
        self, raw_query: str, page: int = 1, per_page: int = 10, category: str | None = None, public: bool = False
    ) -> SearchPage:
        """`public`: typed into the public search page, so its parsed form may be kept (text
        from anywhere else, such as journal notes looking for articles, never is)."""
        text, truncated = normalise_query(raw_query, self.max_query_length)
        result = SearchPage(query=text, per_page=per_page, truncated=truncated)
        if not text:
            return result
        self.sync()
        if not self.ready:
            result.rebuilding = True
            return result
        with self.reading() as searcher:
            scorer = self._scorer(searcher)
            query, scores, matches = self._match(scorer, text, result, public)
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

    def _parse(self, which: int, text: str, keep: bool):
        """parsers[which].parse(text), kept for this index version when `keep` (public text)."""
        if not keep:
            return self.parsers[which].parse(text)
        kept = self._derived.setdefault("parsed", OrderedDict())
        key = (which, text)
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        kept[key] = self.parsers[which].parse(text)
        if len(kept) > MAX_KEPT_QUERIES:
            kept.popitem(last=False)
        return kept[key]

    def _match(self, scorer: ArrayScorer, text: str, result: SearchPage, public: bool = False):
        """Score every document for the typed words; returns (query, scores, matches).

        Articles with every word come first. When fewer than MIN_ALL_WORDS have them all, the
        articles with some of the words follow, so a wordy question still finds its answer.
        Titles that contain more of the typed words (stop words included: "when to
        inseminate") get up to twice the score.
        """
        expanded = expand_query(text)  # "2ww" also finds "two-week wait"
        all_words = self._parse(0, expanded, public)
        if all_words is NullQuery:
            return None, None, None
        scores, matches = scorer.evaluate(all_words)
        query = all_words
        if matches.sum() < MIN_ALL_WORDS:
            any_word = self._parse(1, expanded, public)
            if any_word == all_words:  # one word or one phrase: the same matches again
                some_scores, some_matches = scores, matches
            else:
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
        if not self.ready:
            return None
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
        if not self.ready:
            return []
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
        """How many published articles each category slug has, from the index (none while
        it is being rebuilt)."""
        self.sync()
        if not self.ready:
            return {}
        with self.reading() as searcher:
            scorer = self._scorer(searcher)
            counts = np.bincount(scorer.category_codes[scorer.live], minlength=len(scorer.category_names))
            return {name: int(n) for name, n in zip(scorer.category_names, counts) if n}

    def document_count(self) -> int:
        if not self.ready:
            return 0
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

