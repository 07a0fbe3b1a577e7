"""Hybrid logical clock: text order equals tuple order, and clocks advance past what they see."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldkit.domain.hlc import COUNTER_DIGITS, WALL_DIGITS, Clock, Timestamp

HOUR_MS = 3_600_000
NOW_MS = 1_790_000_000_000  # late 2026

walls = st.integers(min_value=0, max_value=16**WALL_DIGITS - 1)
counters = st.integers(min_value=0, max_value=16**COUNTER_DIGITS - 1)
nodes = st.one_of(st.uuids().map(str), st.text(min_size=1, max_size=12))
timestamps = st.builds(Timestamp, walls, counters, nodes)
device_ids = st.uuids().map(str)


class FakeTime:
    """A physical clock the test moves by hand (it is not our code, it is the laptop's clock)."""

    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


@given(timestamps, timestamps)
def test_encoded_text_sorts_like_the_tuple(a: Timestamp, b: Timestamp) -> None:
    ta, tb = (a.wall, a.counter, a.node), (b.wall, b.counter, b.node)
    assert (a.encode() < b.encode()) == (ta < tb)
    assert (a.encode() == b.encode()) == (ta == tb)
    assert (a < b) == (ta < tb)


@given(st.lists(timestamps, min_size=2, max_size=30))
def test_sorting_encoded_text_sorts_the_timestamps(items: list[Timestamp]) -> None:
    by_text = sorted(items, key=Timestamp.encode)
    by_tuple = sorted(items, key=lambda t: (t.wall, t.counter, t.node))
    assert [t.encode() for t in by_text] == [t.encode() for t in by_tuple]


@given(timestamps)
def test_decode_inverts_encode(t: Timestamp) -> None:
    text = t.encode()
    assert len(text.split("-", 2)[0]) == WALL_DIGITS
    assert Timestamp.decode(text) == t
    assert str(t) == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hola",
        "00000000001a",
        "00000000001a-000000",  # no node
        "1a-000000-nodo",  # wall too short
        "00000000000001a-000000-nodo",  # wall too long
        "00000000001a-0-nodo",  # counter too short
        "00000000001a-0000000-nodo",  # counter too long
        "zzzzzzzzzzzz-000000-nodo",  # not hexadecimal
        "00000000001a-00000g-nodo",
    ],
)
def test_decode_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError):
        Timestamp.decode(text)


@pytest.mark.parametrize(
    "text",
    [
        "0x000000001a-000000-nodo",  # Python's int() accepts a 0x prefix
        " 0000000001a-000000-nodo",  # ... and surrounding blanks
        "0000_000001a-000000-nodo",  # ... and digit separators
        "00000000001a-+00001-nodo",  # ... and a sign
        "00000000001A-000000-nodo",  # upper case sorts differently from what encode() writes
        "00000000001a-000000-",  # no node at all
    ],
)
def test_decode_accepts_only_the_text_encode_writes(text: str) -> None:
    """Versions are compared as strings in the database, so only canonical text may decode."""
    with pytest.raises(ValueError):
        Timestamp.decode(text)


@given(st.lists(st.integers(min_value=-5 * HOUR_MS, max_value=5 * HOUR_MS), max_size=60))
def test_now_strictly_increases_whatever_the_physical_clock_does(jumps: list[int]) -> None:
    physical = FakeTime(NOW_MS)
    clock = Clock(str(uuid.uuid4()), physical=physical)
    previous = clock.now()
    for jump in jumps:  # forwards, backwards (NTP, a dead CMOS battery) or standing still (0)
        physical.ms = max(0, physical.ms + jump)
        current = clock.now()
        assert current > previous
        assert current.encode() > previous.encode()
        previous = current


def test_clock_standing_still_counts_up() -> None:
    clock = Clock("nodo", physical=FakeTime(NOW_MS))
    stamps = [clock.now() for _ in range(5)]
    assert [(t.wall, t.counter) for t in stamps] == [(NOW_MS, n) for n in range(5)]


def test_clock_going_backwards_keeps_the_latest_wall_time() -> None:
    physical = FakeTime(NOW_MS)
    clock = Clock("nodo", physical=physical)
    first = clock.now()
    physical.ms = NOW_MS - HOUR_MS
    second = clock.now()
    assert (second.wall, second.counter) == (NOW_MS, first.counter + 1)
    physical.ms = NOW_MS + 1
    third = clock.now()
    assert (third.wall, third.counter) == (NOW_MS + 1, 0)


def test_clock_resumes_from_its_last_timestamp() -> None:
    last = Timestamp(NOW_MS, 7, "nodo")
    clock = Clock("nodo", last=last, physical=FakeTime(NOW_MS - HOUR_MS))
    assert clock.last() == last
    assert clock.now() > last


def test_device_an_hour_behind_moves_past_what_it_observes() -> None:
    a_time, b_time = FakeTime(NOW_MS - HOUR_MS), FakeTime(NOW_MS)
    a = Clock("a" * 8, physical=a_time)
    b = Clock("b" * 8, physical=b_time)
    from_b = b.now()
    assert a.now() < from_b  # before the exchange A's edits would lose to B's older ones
    a.observe(from_b)
    mine = a.now()
    assert mine > from_b
    assert mine.encode() > from_b.encode()


@given(
    skew=st.integers(min_value=-48 * HOUR_MS, max_value=48 * HOUR_MS),
    a_events=st.integers(min_value=0, max_value=5),
    b_events=st.integers(min_value=1, max_value=5),
    a_id=device_ids,
    b_id=device_ids,
)
def test_after_observing_a_timestamp_the_next_one_is_greater(
    skew: int, a_events: int, b_events: int, a_id: str, b_id: str
) -> None:
    """A's clock is `skew` ms off from B's, either way; A's next event still follows B's."""
    a_time, b_time = FakeTime(NOW_MS + skew), FakeTime(NOW_MS)
    a = Clock(a_id, physical=a_time)
    b = Clock(b_id, physical=b_time)
    for _ in range(a_events):
        a.now()
    seen = [b.now() for _ in range(b_events)]
    observed = a.observe(seen[-1])
    assert observed > seen[-1]
    following = a.now()
    assert following > seen[-1] and following > observed
    assert following.encode() > max(s.encode() for s in seen)
    # ...and B, hearing back from A, also moves past A's change.
    b.observe(following)
    assert b.now() > following


@given(remote=timestamps, local_wall=walls, local_counter=counters, physical_ms=walls)
def test_observe_never_goes_backwards(
    remote: Timestamp, local_wall: int, local_counter: int, physical_ms: int
) -> None:
    local = Timestamp(local_wall, local_counter, "local")
    clock = Clock("local", last=local, physical=FakeTime(physical_ms))
    result = clock.observe(remote)
    assert (result.wall, result.counter) > (local.wall, local.counter)
    assert (result.wall, result.counter) > (remote.wall, remote.counter)
    assert result.wall >= physical_ms
    assert result.node == "local"


def test_a_full_counter_moves_the_clock_on_instead_of_widening_the_text() -> None:
    from fieldkit.domain.hlc import MAX_COUNTER

    clock = Clock("nodo", Timestamp(1000, MAX_COUNTER, "nodo"), physical=lambda: 5)
    before = clock.last()
    after = clock.now()
    assert after == Timestamp(1001, 0, "nodo")
    assert before.encode() < after.encode() and len(before.encode()) == len(after.encode())
    remote = Timestamp(2000, MAX_COUNTER, "otro")
    seen = clock.observe(remote)
    assert seen > remote and len(seen.encode()) == len(remote.encode())
