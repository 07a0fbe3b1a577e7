"""Helpers shared by the service tests."""

from __future__ import annotations

from fieldkit.services.profile import Profile, dump, status


def seq(profile: Profile) -> int:
    return int(profile.values.get("seq") or 0)


class Unchanged:
    """Nothing in the database moved: same dump, same number of operations, same sequence."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __enter__(self) -> Unchanged:
        self.dump = dump(self.profile)
        self.ops = status(self.profile).operations
        self.seq = seq(self.profile)
        return self

    def __exit__(self, *exc: object) -> None:
        assert status(self.profile).operations == self.ops
        assert seq(self.profile) == self.seq
        assert dump(self.profile) == self.dump
