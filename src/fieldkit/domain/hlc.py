"""Hybrid logical clock: orders changes causally even when laptop clocks are wrong.

A timestamp is (wall milliseconds, counter, node). Its text form sorts lexicographically in the
same order as the tuple, so the database can compare versions as plain strings.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import NamedTuple

WALL_DIGITS = 12  # hex digits: enough for milliseconds until the year 10889
COUNTER_DIGITS = 6
MAX_COUNTER = 16**COUNTER_DIGITS - 1
# Only the exact text encode() writes: versions are compared as strings in the database.
_PATTERN = re.compile(
    rf"^([0-9a-f]{{{WALL_DIGITS}}})-([0-9a-f]{{{COUNTER_DIGITS}}})-(.+)\Z", re.DOTALL
)


class Timestamp(NamedTuple):
    wall: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.wall:0{WALL_DIGITS}x}-{self.counter:0{COUNTER_DIGITS}x}-{self.node}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        match = _PATTERN.match(text)
        if match is None:
            raise ValueError(f"not an HLC timestamp: {text!r}")
        wall, counter, node = match.groups()
        return cls(int(wall, 16), int(counter, 16), node)

    def __str__(self) -> str:
        return self.encode()


ZERO_NODE = "00000000-0000-0000-0000-000000000000"


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class Clock:
    """One node's clock. `now()` for a local event, `observe()` for a timestamp received."""

    def __init__(
        self,
        node: str,
        last: Timestamp | None = None,
        physical: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self.node = node
        self.physical = physical
        self.wall = last.wall if last else 0
        self.counter = last.counter if last else 0

    def now(self) -> Timestamp:
        pt = self.physical()
        if pt > self.wall:
            self.wall, self.counter = pt, 0
        else:
            self.counter += 1
        self._carry()
        return Timestamp(self.wall, self.counter, self.node)

    def _carry(self) -> None:
        # A full counter moves the clock one millisecond on instead of growing the text, which
        # must keep its width to sort correctly; order is kept either way.
        if self.counter > MAX_COUNTER:
            self.wall, self.counter = self.wall + 1, 0

    def observe(self, remote: Timestamp) -> Timestamp:
        """Advance past a timestamp seen in someone else's change, so later local edits win."""
        pt = self.physical()
        wall = max(self.wall, remote.wall, pt)
        if wall == self.wall == remote.wall:
            counter = max(self.counter, remote.counter) + 1
        elif wall == self.wall:
            counter = self.counter + 1
        elif wall == remote.wall:
            counter = remote.counter + 1
        else:
            counter = 0
        self.wall, self.counter = wall, counter
        self._carry()
        return Timestamp(self.wall, self.counter, self.node)

    def last(self) -> Timestamp:
        return Timestamp(self.wall, self.counter, self.node)
