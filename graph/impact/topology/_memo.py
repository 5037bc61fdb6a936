"""Answers a topology gave, kept with it. A topology is immutable, so an answer computed from it
holds for as long as it is the current one; the topology a write makes starts with none (names
and states may have changed with the write, so nothing is carried over)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

__all__ = ["MAX_ANSWERS", "Answers"]

T = TypeVar("T")

MAX_ANSWERS = 256
"""Answers kept per topology, the most recently used (each a few thousand CIs at most)."""


class Answers:
    """A bounded, thread-safe memo of one topology's answers by key (questions run in worker
    threads). Two threads asking the same new key at once may both compute it: the answers are
    equal, the last one is kept."""

    def __init__(self, size: int = MAX_ANSWERS) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer kept under `key`, else `compute()`'s, kept. O(1) besides `compute`."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]  # type: ignore[return-value]
        answer = compute()
        with self._lock:
            self._kept[key] = answer
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return answer

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)
