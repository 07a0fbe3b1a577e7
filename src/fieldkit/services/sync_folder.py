"""The sync folder (issue 3, item 5): a folder many devices share — a network share, a USB stick,
a folder a cloud client keeps in step — where each device drops the bundles it owes its peers
and picks up the ones addressed to it.

Conventions, so that devices that never see each other agree without talking:

- one current bundle per (sender, recipient), named after both (``de-<sender>_para-<recipient>``),
  replaced atomically when the sender writes a newer one: the newer bundle holds everything the
  older one did that the recipient still lacks, so nothing is lost by replacing it;
- a device picks up only bundles whose manifest names it as recipient, and remembers the bundle ids
  it applied (kept with the data, so a restore forgets them together with what they brought);
- bundles still being written (``.name.partial``) are invisible, and a bundle refused because it
  is incomplete (a cloud client still copying it) is simply tried again the next time.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from fieldkit.domain.errors import ValidationError
from fieldkit.domain.text import fold
from fieldkit.services.changes import Changes
from fieldkit.services.profile import Profile
from fieldkit.services.sync import Exported, Imported, bundle_paths, export, import_bundles

FOLDER_KEY = "sync_folder"
ON_START_KEY = "sync_on_start"
SEEN_KEY = "sync_seen"
SEEN_KEPT = 2000


class FolderSettings(NamedTuple):
    folder: Path | None
    on_start: bool


def settings(profile: Profile) -> FolderSettings:
    values = profile.values
    folder = values.get(FOLDER_KEY)
    return FolderSettings(Path(folder) if folder else None, values.get(ON_START_KEY) != "0")


def set_folder(profile: Profile, folder: Path | None, *, on_start: bool = True) -> FolderSettings:
    """Choose the folder (None forgets it). It must exist and accept files now: a typo or an
    unplugged stick is said at once, not discovered weeks later."""
    if folder is None:
        profile.store.set_profile(**{FOLDER_KEY: None, ON_START_KEY: "1" if on_start else "0"})
        return FolderSettings(None, on_start)
    folder = Path(folder).expanduser().resolve()
    _check_usable(folder)
    profile.store.set_profile(**{FOLDER_KEY: str(folder), ON_START_KEY: "1" if on_start else "0"})
    return FolderSettings(folder, on_start)


def _check_usable(folder: Path) -> None:
    if not folder.is_dir():
        raise ValidationError(
            "La carpeta de sincronización {folder} no existe o no está disponible (¿una memoria "
            "USB desconectada o una unidad de red sin conexión?).",
            folder=str(folder),
        )
    probe = folder / f".fieldkit-prueba-{uuid.uuid4().hex[:8]}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ValidationError(
            "fieldkit no puede escribir en la carpeta de sincronización {folder} ({error}).",
            folder=str(folder),
            error=exc.strerror or str(exc),
        ) from exc


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:40] or "equipo"


def outgoing_name(sender_name: str, sender_id: str, recipient_name: str, recipient_id: str) -> str:
    return (
        f"de-{_slug(sender_name)}-{sender_id[:6]}"
        f"_para-{_slug(recipient_name)}-{recipient_id[:6]}.fkb"
    )


class FolderSync(NamedTuple):
    folder: Path
    imported: list[Imported]  # bundles addressed to this device, applied (or dry run)
    already: int = 0  # addressed to this device and applied before
    others: int = 0  # addressed to other devices: left where they are
    written: tuple[Exported, ...] = ()
    removed: int = 0  # our older bundles that their recipient has entirely


def _folder(profile: Profile, folder: Path | None) -> Path:
    chosen = folder or settings(profile).folder
    if chosen is None:
        raise ValidationError(
            "No hay carpeta de sincronización. Elíjala en Sincronizar → Carpeta de "
            "sincronización, o con «fieldkit sync --set-folder CARPETA»."
        )
    if not Path(chosen).is_dir():
        _check_usable(Path(chosen))  # says why, in words
    return Path(chosen)


def _seen(profile: Profile) -> list[str]:
    try:
        return list(json.loads(profile.values.get(SEEN_KEY) or "[]"))
    except ValueError:
        return []


def incoming(profile: Profile, folder: Path | None = None) -> tuple[list[Path], int, int]:
    """Bundles in the folder addressed to this device and not applied yet; and how many were
    already applied, and how many are for other devices."""
    from fieldkit.sync.bundle import BundleError, peek

    folder = _folder(profile, folder)
    me, seen = profile.device_id, set(_seen(profile))
    fresh: list[Path] = []
    already = others = 0
    for path in bundle_paths([folder]):
        try:
            manifest = peek(path)
        except BundleError:
            fresh.append(path)  # the import says what is wrong with it, every time until fixed
            continue
        recipient = (manifest.get("recipient") or {}).get("device_id")
        sender = (manifest.get("sender") or {}).get("device_id")
        if recipient != me or sender == me:
            others += 1
        elif manifest.get("bundle_id") in seen:
            already += 1
        else:
            fresh.append(path)
    return fresh, already, others


def apply(
    profile: Profile,
    paths: Sequence[Path],
    *,
    progress: Callable[[int, int, str], bool] | None = None,
) -> tuple[list[Imported], Changes]:
    """Import bundles picked up from the folder and remember the ones applied."""
    from fieldkit.sync.bundle import BundleError, peek

    results, changes = import_bundles(profile, paths, progress=progress)
    applied: set[str] = set()
    for result in results:
        if result.status == "applied":
            try:
                applied.add(str(peek(result.path)["bundle_id"]))
            except (BundleError, OSError):
                continue  # removed meanwhile: it is applied, only not remembered
    if applied:
        _remember(profile, applied)
    return results, changes


def _remember(profile: Profile, bundle_ids: Iterable[str]) -> None:
    """Add to the applied ids, newest last, keeping the latest SEEN_KEPT: each sender replaces
    its bundle for this device, so older ids are not in the folder any more (the list would
    otherwise grow for ever, and pruning it by reading the folder again costs a pass over it)."""
    new = sorted(set(bundle_ids))
    seen = [i for i in _seen(profile) if i not in new] + new
    profile.store.set_profile(**{SEEN_KEY: json.dumps(seen[-SEEN_KEPT:])})


def send(profile: Profile, folder: Path | None = None) -> tuple[list[Exported], int]:
    """Drop, for every peer this device answers to or serves, a bundle with what it lacks;
    remove our older bundles that their recipient already holds entirely."""
    from fieldkit.store import peers
    from fieldkit.store.merge import operations_after

    folder = _folder(profile, folder)
    my_name = profile.values.get("device_name") or ""
    written: list[Exported] = []
    removed = 0
    with profile.read() as session:
        recipients = [
            (p.device_id, p.name, json.loads(p.vector or "{}"))
            for p in peers.all_peers(session)
            if p.relation in ("coordinator", "member")
        ]
    for device_id, name, vector in recipients:
        target = folder / outgoing_name(my_name, profile.device_id, name, device_id)
        with profile.read() as session:
            lacking = next(iter(operations_after(session, vector)), None) is not None
        if lacking:
            written.append(export(profile, target, for_device=device_id))
        elif target.exists():
            try:
                target.unlink()
                removed += 1
            except OSError:
                pass  # read-only share: harmless, the recipient skips what it has
    return written, removed


class Preview(NamedTuple):
    folder: Path
    paths: list[Path]  # addressed to this device and not applied yet
    results: list[Imported]  # what importing them would do (dry run)
    already: int
    others: int


def preview(
    profile: Profile,
    folder: Path | None = None,
    *,
    progress: Callable[[int, int, str], bool] | None = None,
) -> Preview:
    """What the folder holds for this device and what importing it would do; changes nothing."""
    folder = _folder(profile, folder)
    paths, already, others = incoming(profile, folder)
    results = import_bundles(profile, paths, dry_run=True, progress=progress)[0] if paths else []
    return Preview(folder, paths, results, already, others)


def sync(
    profile: Profile,
    folder: Path | None = None,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int, str], bool] | None = None,
) -> tuple[FolderSync, Changes]:
    """Pick up what is addressed to this device, then drop what each peer lacks (after the
    import, so what came in from one team is relayed to the others and to the coordinator)."""
    if dry_run:
        seen = preview(profile, folder, progress=progress)
        return FolderSync(seen.folder, seen.results, seen.already, seen.others), Changes()
    folder = _folder(profile, folder)
    paths, already, others = incoming(profile, folder)
    results, changes = apply(profile, paths, progress=progress) if paths else ([], Changes())
    written, removed = send(profile, folder)
    return FolderSync(folder, results, already, others, tuple(written), removed), changes
