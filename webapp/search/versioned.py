"""A bounded cache whose entries belong to one version of the library (the search generation).

When the version moves every entry is dropped at once: none of them can be right any more, and
keeping them until they age out would only hold memory.
"""

import threading
from collections import OrderedDict


class VersionedCache:
    def __init__(self, max_entries: int):
        self._entries: OrderedDict = OrderedDict()
        self._max_entries = max_entries
        self._version: int | None = None
        self._lock = threading.Lock()

    def get(self, key, version: int):
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, version: int, entry) -> None:
        with self._lock:
            if version != self._version:
                return  # computed from a version that has moved on since
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_entries:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
