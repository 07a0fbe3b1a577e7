"""Helpers shared by the service tests."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path

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


def new_device(template: Path, folder: Path, name: str) -> Profile:
    """A copy of the seeded template with its own identity (device id, clock, keys)."""
    shutil.copytree(template, folder)
    p = Profile(folder, device_name=name)
    p.store.set_profile(device_id=str(uuid.uuid4()), seq=0, hlc=None, keys=None)
    return p


def enrol(
    coordinator: Profile,
    device: Profile,
    folder: Path,
    *,
    role: str | None = None,
    directorates: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> None:
    """The whole enrolment round trip through files, as people do it."""
    from fieldkit.services.sync import enrol_accept, enrol_complete, enrol_request

    folder.mkdir(parents=True, exist_ok=True)
    request = enrol_request(device, folder / f"solicitud-{device.device_id[:6]}.fkb")
    response = folder / f"respuesta-{device.device_id[:6]}.fkb"
    enrol_accept(
        coordinator,
        request,
        response,
        role=role,
        directorates=directorates,
        municipalities=municipalities,
    )
    enrol_complete(device, response)
