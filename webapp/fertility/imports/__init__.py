"""Reading other cycle apps' exports (drip, Clue, Flo) into plain records. Standard library only.

Public API
----------
- :func:`parse_export` ``(filename, data, *, today) -> ImportResult``: detects the format by
  content and reads the whole file, or raises :class:`ImportFormatError` (nothing partial).
- :class:`ImportResult`: ``source``, ``format``, ``days``, ``not_mapped``, ``warnings``,
  ``cycle_starts``, ``counts``, ``first_date``, ``last_date``.
- :class:`ImportedDay`: one date, in the journal's stored words.
- :class:`NotMapped`: what the journal has no place for (``what``, ``where``, ``count``).
- :mod:`.limits`: the ranges every value is checked against.

Nothing here saves anything: the journal shows the result, and merges it if the person agrees.
"""

from .checks import ImportFormatError
from .detect import parse_export
from .records import BLEEDING_UNSPECIFIED, ImportedDay, ImportResult, NotMapped

__all__ = [
    "BLEEDING_UNSPECIFIED",
    "ImportFormatError",
    "ImportResult",
    "ImportedDay",
    "NotMapped",
    "parse_export",
]
