"""Sync by bundles (DESIGN §5–6): enrolment sets trust and scope; export sends what a peer
lacks; import verifies, authorizes and merges, or quarantines bundles from unknown senders."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from fieldkit import __version__
from fieldkit.domain.authorization import Scope, Sender, check
from fieldkit.domain.errors import FieldkitError, ValidationError
from fieldkit.i18n import N_
from fieldkit.services.changes import EVERYTHING, Changes
from fieldkit.services.profile import Profile, require_coordinator
from fieldkit.store import revision

QUARANTINE = "cuarentena"


def device_keys(profile: Profile):  # type: ignore[no-untyped-def]
    """This device's keys, created the first time they are needed and kept in the profile."""
    from fieldkit.sync.crypto import DeviceKeys

    text = profile.values.get("keys")
    if text:
        return DeviceKeys.from_private_text(text)
    keys = DeviceKeys.generate()
    profile.store.set_profile(keys=keys.to_private_text())
    return keys


def fingerprint(profile: Profile) -> str:
    return device_keys(profile).fingerprint


def _me(profile: Profile) -> dict[str, str]:
    return {"device_id": profile.device_id, "name": profile.values.get("device_name") or ""}


def _write(profile: Profile, out: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    from fieldkit.sync.bundle import write_bundle

    return write_bundle(
        Path(out),
        sender_keys=device_keys(profile),
        sender=_me(profile),
        app_version=__version__,
        schema_version=revision.HEAD,
        **kwargs,  # type: ignore[arg-type]
    )


def _trusted_keys(profile: Profile) -> dict[str, bytes]:
    from fieldkit.store import peers
    from fieldkit.sync.crypto import PublicKeys

    with profile.read() as session:
        return {
            p.device_id: PublicKeys.from_text(p.keys).sign_key for p in peers.all_peers(session)
        }


def _trust_member(
    profile: Profile,
    sender,  # type: ignore[no-untyped-def]
    role: str,
    directorates: Sequence[str],
    municipalities: Sequence[str],
) -> tuple[list[str], list[str]]:
    """Check a role and scope a coordinator gives, then trust `sender` with them (enrolment and
    quarantine acceptance alike). Returns the normalized directorates and municipalities."""
    from fieldkit.services import catalog
    from fieldkit.services.profile import ROLE_LABELS
    from fieldkit.store import peers

    if role not in ROLE_LABELS:
        raise ValidationError(
            "Rol desconocido «{role}». Use field, reviewer o coordinator.", role=role
        )
    codes = [catalog.normalize_code(m) for m in municipalities]
    known_municipalities = (
        {r.code for r in catalog.list_municipalities(profile)} if codes else set()
    )
    unknown = [c for c in codes if c not in known_municipalities]
    if unknown:
        raise ValidationError("Municipios desconocidos: {codes}.", codes=", ".join(unknown))
    known_directorates = {d.code for d in catalog.directorates(profile)}
    dirs = [d.strip().upper() for d in directorates]
    missing = [d for d in dirs if d not in known_directorates]
    if missing:
        raise ValidationError(
            "Direcciones territoriales desconocidas: {codes}.", codes=", ".join(missing)
        )
    with profile.write() as session:
        peers.save(
            session,
            device_id=sender.device_id,
            name=sender.name,
            keys=sender.keys.to_text(),
            relation="member",
            role=role,
            directorates=dirs,
            municipalities=codes,
        )
    return dirs, codes


def _read(profile: Profile, path: Path, known: dict[str, bytes] | None = None, keys=None):  # type: ignore[no-untyped-def]
    """Read and verify a bundle; `known` and `keys` may be passed in when reading many, so the
    peer list and this device's keys are not decoded again for every bundle."""
    from fieldkit.sync.bundle import read_bundle

    return read_bundle(
        Path(path),
        my_keys=keys or device_keys(profile),
        my_device_id=profile.device_id,
        trusted_sign_key=(_trusted_keys(profile) if known is None else known).get,
    )


# Enrolment ----------------------------------------------------------------------------------


def enrol_request(profile: Profile, out: Path) -> Path:
    """The file a new device gives its coordinator: its public keys, name and role wished."""
    _write(
        profile,
        out,
        recipient=None,
        operations=(),
        vector={},
        kind="enrol-request",
        extra={"role": profile.role},
    )
    return Path(out)


class Enrolled(NamedTuple):
    device_id: str
    name: str
    fingerprint: str
    role: str
    directorates: tuple[str, ...]
    municipalities: tuple[str, ...]


def enrol_accept(
    profile: Profile,
    request: Path,
    out: Path,
    *,
    role: str | None = None,
    directorates: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> Enrolled:
    """Coordinator: trust the device, give it a role and scope, answer with keys and catalogs."""
    from fieldkit.store.merge import operations_after, version_vector

    require_coordinator(profile, N_("inscribir equipos"))
    bundle = _read(profile, request)
    if bundle.kind != "enrol-request":
        raise ValidationError(
            "{path} no es una solicitud de inscripción (es «{kind}»).",
            path=Path(request).name,
            kind=bundle.kind,
        )
    sender = bundle.sender
    wished = role or str((bundle.extra or {}).get("role") or "field")
    dirs, codes = _trust_member(profile, sender, wished, directorates, municipalities)
    keys = sender.keys
    with profile.read() as session:
        ops = list(operations_after(session, {}))
        vector = version_vector(session)
    _write(
        profile,
        out,
        recipient={"device_id": sender.device_id, "name": sender.name, "keys": keys},
        operations=ops,
        vector=vector,
        kind="enrol-response",
        extra={"role": wished, "directorates": dirs, "municipalities": codes},
    )
    return Enrolled(
        sender.device_id, sender.name, keys.fingerprint, wished, tuple(dirs), tuple(codes)
    )


def enrol_complete(profile: Profile, response: Path) -> Enrolled:
    """Device: trust the coordinator's key, take the role and scope given, merge the catalogs."""
    from fieldkit.store import peers
    from fieldkit.store.merge import merge

    bundle = _read(profile, response)  # refuses a response meant for another device
    if bundle.kind != "enrol-response":
        raise ValidationError(
            "{path} no es una respuesta de inscripción (es «{kind}»).",
            path=Path(response).name,
            kind=bundle.kind,
        )
    sender = bundle.sender
    extra = bundle.extra or {}
    keys = sender.keys
    profile.store.backup("antes-de-inscribir")
    with profile.store.uow.merging() as session:
        peers.save(
            session,
            device_id=sender.device_id,
            name=sender.name,
            keys=keys.to_text(),
            relation="coordinator",
            role="coordinator",
        )
        peers.remember_vector(session, sender.device_id, bundle.vector)
        merge(session, bundle.operations)  # the coordinator's catalogs and records
    profile.store.set_profile(
        role=str(extra.get("role") or "field"),
        scope_directorates=";".join(extra.get("directorates") or []),
        scope_municipalities=";".join(extra.get("municipalities") or []),
    )
    return Enrolled(
        sender.device_id,
        sender.name,
        keys.fingerprint,
        str(extra.get("role") or "field"),
        tuple(extra.get("directorates") or ()),
        tuple(extra.get("municipalities") or ()),
    )


# Export and import ---------------------------------------------------------------------------


class Exported(NamedTuple):
    path: Path
    recipient: str
    operations: int
    encrypted: bool
    attachments: int = 0
    missing_attachments: int = 0  # referenced but not on this device: the ops go without them


def _attachments(profile: Profile, ops: list[dict]) -> tuple[dict[str, bytes], int]:  # type: ignore[type-arg]
    """The attachment bytes the operations point at and this device has, read lazily."""
    from fieldkit.store.blobs import BlobStore, LazyBlobs, referenced

    store = BlobStore(profile.data_dir)
    wanted = referenced(ops)
    missing = store.missing(wanted)
    return LazyBlobs(store, wanted - missing), len(missing)


def export(
    profile: Profile, out: Path, *, for_device: str | None = None, everything: bool = False
) -> Exported:
    """A bundle with exactly what the recipient lacks (by the vector it last sent), or with
    `everything` this device holds: for a recipient that lost data, or whose vector is unknown."""
    from fieldkit.store import peers
    from fieldkit.store.merge import operations_after, version_vector
    from fieldkit.sync.crypto import PublicKeys

    with profile.read() as session:
        peer = peers.get(session, for_device) if for_device else peers.coordinator(session)
        if peer is None:
            if for_device:
                raise ValidationError(
                    "No hay un equipo inscrito con el identificador {id}. Vea «fieldkit peers».",
                    id=for_device,
                )
            raise ValidationError(
                "Este equipo no está inscrito con un coordinador: use «fieldkit enrol request» "
                "y «fieldkit enrol complete» primero, o indique el destinatario con --for."
            )
        known = {} if everything else json.loads(peer.vector or "{}")
        ops = list(operations_after(session, known))
        vector = version_vector(session)
        recipient = {
            "device_id": peer.device_id,
            "name": peer.name,
            "keys": PublicKeys.from_text(peer.keys),
        }
    blobs, missing = _attachments(profile, ops)
    _write(
        profile,
        out,
        recipient=recipient,
        operations=ops,
        vector=vector,
        kind="changes",
        blobs=blobs,
    )
    return Exported(Path(out), peer.name, len(ops), True, len(blobs), missing)


class Imported(NamedTuple):
    path: Path
    sender: str
    status: str  # "applied", "dry-run", "quarantined", "refused"
    received: int = 0
    duplicates: int = 0
    new_records: int = 0
    updated_fields: int = 0
    conflicts: int = 0
    rejected: tuple[tuple[str, str], ...] = ()  # (operation summary, translated reason)
    error: FieldkitError | None = None


def bundle_paths(items: Iterable[Path]) -> list[Path]:
    """Files as given, and every .fkb inside a folder, oldest name first."""
    out: list[Path] = []
    for item in items:
        item = Path(item)
        out.extend(sorted(item.glob("*.fkb")) if item.is_dir() else [item])
    return out


def import_bundles(
    profile: Profile,
    items: Iterable[Path],
    *,
    dry_run: bool = False,
    progress: Callable[[int, int, str], bool] | None = None,
) -> tuple[list[Imported], Changes]:
    """Each bundle all or nothing; bundles from unknown senders wait in quarantine.

    `progress(done, total, name)` is called before each bundle; when it returns True (the person
    pressed Cancelar) the import stops there: the bundles already imported stay imported, each
    one whole, and the rest are left for another time.
    """
    known, keys = _trusted_keys(profile), device_keys(profile)
    paths = bundle_paths(items)
    with profile.store.uow.merge_batch():
        results = _import_each(profile, paths, known, keys, dry_run, progress)
    return results, (Changes() if dry_run else EVERYTHING)


def _import_each(
    profile: Profile,
    paths: list[Path],
    known: dict[str, bytes],
    keys,  # type: ignore[no-untyped-def]
    dry_run: bool,
    progress: Callable[[int, int, str], bool] | None,
) -> list[Imported]:
    from fieldkit.i18n import _
    from fieldkit.services.history import describe_field
    from fieldkit.store import peers
    from fieldkit.store.merge import merge
    from fieldkit.store.scope import ScopeResolver
    from fieldkit.sync.bundle import BundleError

    results: list[Imported] = []
    backed_up = dry_run
    for done, path in enumerate(paths):
        if progress is not None and progress(done, len(paths), Path(path).name):
            break
        try:
            bundle = _read(profile, path, known, keys)
        except (BundleError, FieldkitError) as exc:
            results.append(Imported(path, "?", "refused", error=exc))
            continue
        sender = bundle.sender
        if not bundle.trusted:
            if not dry_run:
                folder = profile.data_dir / QUARANTINE
                folder.mkdir(exist_ok=True)
                shutil.copy2(path, folder / Path(path).name)
            results.append(
                Imported(path, sender.name, "quarantined", received=len(bundle.operations))
            )
            continue
        if bundle.kind != "changes":
            results.append(
                Imported(
                    path,
                    sender.name,
                    "refused",
                    error=ValidationError(
                        "{path} es un paquete de inscripción: use «fieldkit enrol».",
                        path=Path(path).name,
                    ),
                )
            )
            continue
        if not backed_up:
            profile.store.backup("antes-de-importar")
            backed_up = True
        with profile.store.uow.merging(commit=not dry_run) as session:
            peer = peers.get(session, sender.device_id)
            assert peer is not None
            who = Sender(
                peer.role,
                frozenset(filter(None, (peer.directorates or "").split(";"))),
                frozenset(filter(None, (peer.municipalities or "").split(";"))),
            )
            # Records are placed only for a sender limited to some directorates or municipalities.
            limited = bool(who.directorates or who.municipalities)
            resolver = ScopeResolver(session, bundle.operations) if limited else None
            report = merge(
                session,
                bundle.operations,
                authorize=_authorizer(who, resolver),
            )
            peers.remember_vector(session, sender.device_id, bundle.vector)
            if not dry_run:  # before the commit: rows never point at bytes not yet stored
                _store_attachments(profile, bundle, report)
        rejected = tuple(
            (
                f"{describe_field(str(r.op['entity'])[:40], str(r.op['field'])[:40])}"
                f" ({str(r.op['record_id'])[:8]})",
                _(r.reason, **r.params),
            )
            for r in report.rejected
        )
        results.append(
            Imported(
                path,
                sender.name,
                "dry-run" if dry_run else "applied",
                report.received,
                report.duplicates,
                report.new_records,
                report.updated_fields,
                report.conflicts,
                rejected,
            )
        )
    return results


def _store_attachments(profile: Profile, bundle, report) -> int:  # type: ignore[no-untyped-def]
    """Keep the bytes the accepted operations point at; blobs nobody points at are not kept
    (a sender cannot fill the disk with unreferenced files)."""
    from fieldkit.store.blobs import BlobStore, referenced

    if not bundle.blobs:
        return 0
    refused = {r.op["op_id"] for r in report.rejected}
    accepted = [op for op in bundle.operations if op["op_id"] not in refused]
    store = BlobStore(profile.data_dir)
    stored = 0
    for sha in referenced(accepted) & set(bundle.blobs):
        if not store.has(sha):
            store.put_verified(sha, bundle.blobs[sha])
            stored += 1
    return stored


def _authorizer(who: Sender, resolver):  # type: ignore[no-untyped-def]
    cache: dict = {}  # type: ignore[type-arg]

    if not who.directorates and not who.municipalities:
        # A sender limited to no directorate or municipality: where a record belongs cannot
        # change the answer, so no record is placed (a national office's bundles).
        def unlimited(op: dict) -> tuple[str, dict[str, object]] | None:  # type: ignore[type-arg]
            key = (op["entity"], op["field"])
            refusal = cache.get(key, cache)
            if refusal is cache:
                refusal = cache[key] = check(who, *key, Scope(None, None))
            return refusal

        return unlimited

    def authorize(op: dict) -> tuple[str, dict[str, object]] | None:  # type: ignore[type-arg]
        key = (op["entity"], op["field"], resolver.scope(op))
        refusal = cache.get(key, cache)
        if refusal is cache:  # check() depends on nothing else: once per distinct key
            refusal = cache[key] = check(who, *key)
        return refusal

    return authorize


class PeerRow(NamedTuple):
    device_id: str
    name: str
    relation: str
    role: str
    directorates: str
    municipalities: str
    fingerprint: str


def list_peers(profile: Profile) -> list[PeerRow]:
    from fieldkit.store import peers
    from fieldkit.sync.crypto import PublicKeys

    with profile.read() as session:
        return [
            PeerRow(
                p.device_id,
                p.name,
                p.relation,
                p.role,
                p.directorates or "",
                p.municipalities or "",
                PublicKeys.from_text(p.keys).fingerprint,
            )
            for p in peers.all_peers(session)
        ]


class Quarantined(NamedTuple):
    file: str
    sender: str
    device_id: str
    fingerprint: str
    operations: int


def list_quarantine(profile: Profile) -> list[Quarantined]:
    """Bundles waiting for a coordinator to accept their sender (checked, not applied)."""
    from fieldkit.sync.bundle import BundleError

    folder = profile.data_dir / QUARANTINE
    out = []
    for path in sorted(folder.glob("*.fkb")) if folder.is_dir() else []:
        try:
            bundle = _read(profile, path)
        except (BundleError, FieldkitError):
            continue  # damaged since: it would be refused on accepting anyway
        sender = bundle.sender
        out.append(
            Quarantined(
                path.name,
                sender.name,
                sender.device_id,
                sender.keys.fingerprint,
                len(bundle.operations),
            )
        )
    return out


def accept_quarantined(
    profile: Profile,
    file: str,
    *,
    role: str = "field",
    directorates: Sequence[str] = (),
    municipalities: Sequence[str] = (),
) -> Imported:
    """Coordinator: trust the sender of a quarantined bundle with a role and scope, then import
    it (its operations still pass the rules of that role and scope)."""

    require_coordinator(profile, N_("aceptar remitentes en cuarentena"))
    path = profile.data_dir / QUARANTINE / Path(file).name
    if not path.is_file():
        raise ValidationError("No hay un paquete «{file}» en cuarentena.", file=file)
    _trust_member(profile, _read(profile, path).sender, role, directorates, municipalities)
    [result], _changes = import_bundles(profile, [path])
    if result.status == "applied":
        path.unlink()
    return result
