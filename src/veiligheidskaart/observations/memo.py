"""A small in-process memo for computed read-side results (map layers, profiles, API bodies).

Keys carry the data version (``layers.data_version``), so a new import or analysis run is a new
key; a time limit bounds what no version covers (e.g. a profile's policy content). Values are
kept as objects, not pickled: callers treat them as read-only. Per process: each gunicorn
worker warms its own.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Memo(Generic[T]):
    """LRU of ``size`` entries, each valid for ``seconds``.

    >>> m: Memo[int] = Memo(size=2, seconds=60)
    >>> m.get("a", lambda: 1), m.get("a", lambda: 2), m.get("b", lambda: 3)
    (1, 1, 3)
    >>> _ = m.get("c", lambda: 4); m.get("a", lambda: 5)  # "a" was the oldest: recomputed
    5
    """

    def __init__(self, size: int, seconds: float) -> None:
        self.size, self.seconds = size, seconds
        self._items: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()  # outside the lock: another thread may compute the same, harmless
        with self._lock:
            self._items[key] = (now, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
