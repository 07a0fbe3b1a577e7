"""The `.fkb` bundle (DESIGN §6): a signed zip of operations and attachments, often encrypted.

Pure file handling, no database. `write_bundle` packs the operations and blobs the caller chose;
`read_bundle` checks everything a hostile or broken file could get wrong (zip structure, member
names, sizes, signature, hashes, recipient, encryption, the shape of every operation) before it
returns anything; `peek` shows what a bundle is without opening its content.

Members:

    manifest.json                 what the bundle is; sha256 and size of every other member
    ops.jsonl | ops.jsonl.enc     one operation per line (JSON, sorted keys)
    blobs/<sha256>[.enc]          attachment bytes, named by the sha256 of their plain content
    signature                     Ed25519 signature of the exact manifest.json bytes

When the recipient's key is known every member but the manifest and the signature is encrypted with
one random content key, sealed to the recipient in the manifest (`encryption.sealed_key`). An
encrypted member is compressed before it is encrypted (ciphertext does not compress), so it is
stored in the zip as is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import json.scanner
import os
import re
import struct
import uuid
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from fieldkit.domain.errors import Label
from fieldkit.i18n import N_
from fieldkit.sync.crypto import (
    CONTENT_KEY_BYTES,
    KEY_BYTES,
    BundleError,
    DeviceKeys,
    PublicKeys,
    b64,
    decrypt,
    encrypt,
    fingerprint,
    new_content_key,
    open_sealed,
    same_key,
    seal,
    sign,
    unb64,
    verify,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "OP_FIELDS",
    "Bundle",
    "BundleError",
    "Device",
    "Limits",
    "Manifest",
    "Member",
    "peek",
    "read_bundle",
    "write_bundle",
]

FORMAT = "fieldkit-bundle"
FORMAT_VERSION = 1
KINDS = ("changes", "enrol-request", "enrol-response")
ENCRYPTION_SCHEME = "x25519-hkdf-sha256-chacha20poly1305"
OP_FIELDS = (
    "op_id",
    "origin",
    "seq",
    "hlc",
    "entity",
    "record_id",
    "field",
    "value",
    "base_hlc",
    "author",
)

MANIFEST = "manifest.json"
SIGNATURE = "signature"
OPS = "ops.jsonl"
BLOB_PREFIX = "blobs/"
ENCRYPTED = ".enc"

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
MAX_INT = 2**63 - 1  # SQLite's integers: a larger sequence number could not be stored
# Level 1 compresses JSON lines ~6x at several times the speed of the default level; exports of
# 100,000 operations must stay close to the cost of writing the lines themselves.
COMPRESS_LEVEL = 1
_CHUNK = 1 * MiB

_SHA256 = re.compile(r"[0-9a-f]{64}\Z")
_MEMBER = re.compile(r"(?:ops\.jsonl|blobs/[0-9a-f]{64})(?:\.enc)?\Z")
_MANIFEST_KEYS = frozenset(
    {
        "format",
        "format_version",
        "bundle_id",
        "created_at",
        "app_version",
        "schema_version",
        "kind",
        "sender",
        "recipient",
        "vector",
        "counts",
        "encryption",
        "extra",
        "members",
    }
)
_OP_KEYS = frozenset(OP_FIELDS)
_REQUIRED_TEXT = ("op_id", "origin", "hlc", "entity", "record_id", "field")
_OPTIONAL_TEXT = ("base_hlc", "author")
# Raw inner packing of an encrypted member: its first byte (inside the encryption) says which.
_RAW, _DEFLATE = 0, 1

# What a broken or hostile zip makes zipfile and zlib raise (struct.error: malformed headers,
# EOFError: compressed data cut short, NotImplementedError: unknown compression).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    struct.error,
    ValueError,
    NotImplementedError,
    RuntimeError,
    IndexError,
    OverflowError,
)


@dataclass(frozen=True)
class Limits:
    """How much a bundle may hold before it is taken for an attack (a zip bomb, a full disk).

    Sizes are uncompressed. The compression ratio is checked only above `ratio_floor_bytes`: a
    small member may compress as well as it likes without costing anything.
    """

    max_member_bytes: int = 512 * MiB
    max_total_bytes: int = 2 * GiB
    max_ratio: float = 200
    ratio_floor_bytes: int = 1 * MiB
    max_members: int = 100_000
    max_manifest_bytes: int = 64 * MiB


class Member(NamedTuple):
    """A member as the manifest lists it: sha256 and size of the bytes stored in the zip."""

    sha256: str
    size: int


@dataclass(frozen=True)
class Device:
    """A device as a bundle names it. The sender always has keys; a recipient may not."""

    device_id: str
    name: str
    keys: PublicKeys | None = None

    @property
    def fingerprint(self) -> str | None:
        return self.keys.fingerprint if self.keys else None


@dataclass(frozen=True)
class Manifest:
    """The checked content of manifest.json; `data` is the JSON object exactly as read."""

    format_version: int
    bundle_id: str
    created_at: str
    app_version: str
    schema_version: str
    kind: str
    sender: Device
    recipient: Device | None
    vector: dict[str, int]
    counts: dict[str, int]
    members: dict[str, Member]
    sealed_key: bytes | None
    extra: dict[str, Any] | None
    data: dict[str, Any] = field(repr=False, compare=False)

    @property
    def encrypted(self) -> bool:
        return self.sealed_key is not None

    @property
    def ops_member(self) -> str:
        return OPS + ENCRYPTED if self.encrypted else OPS


@dataclass(frozen=True)
class Bundle:
    """A bundle whose every byte was checked. `trusted` is False for a sender not yet accepted:
    the caller keeps it in quarantine until a coordinator accepts the sender's key."""

    path: Path
    manifest: Manifest
    operations: list[dict[str, Any]]
    blobs: dict[str, bytes]
    trusted: bool

    @property
    def sender(self) -> Device:
        return self.manifest.sender

    @property
    def kind(self) -> str:
        return self.manifest.kind

    @property
    def vector(self) -> dict[str, int]:
        return self.manifest.vector

    @property
    def extra(self) -> dict[str, Any] | None:
        return self.manifest.extra


# =========================================================================== writing


def write_bundle(
    path: str | os.PathLike[str],
    *,
    sender_keys: DeviceKeys,
    sender: Mapping[str, Any],
    recipient: Mapping[str, Any] | None = None,
    operations: Iterable[Mapping[str, Any]] = (),
    blobs: Mapping[str, bytes] | None = None,
    vector: Mapping[str, int],
    kind: str = "changes",
    extra: Mapping[str, Any] | None = None,
    app_version: str,
    schema_version: str,
    limits: Limits = Limits(),  # frozen: one shared default is safe
) -> Manifest:
    """Write a signed bundle to `path`; encrypted when `recipient["keys"]` is given.

    `sender` and `recipient` are ``{"device_id": …, "name": …}``; the recipient may add ``"keys"``
    (PublicKeys or their text). `blobs` maps sha256 hex to bytes and may load them lazily: a
    missing one (KeyError) or a read error stops the export. `extra` is free JSON for enrolment
    and travels in the manifest, which is never encrypted: keep personal data out of it.

    The file appears under its name only when complete (written as ``.NAME.partial``, synced,
    then renamed); on any failure nothing is left behind and I/O errors become BundleError.
    Operations are checked as `read_bundle` checks them: what one device writes, another reads.
    """
    path = Path(path)
    if kind not in KINDS:
        raise ValueError(f"unknown bundle kind {kind!r}; expected one of {KINDS}")
    for name, value in (("app_version", app_version), ("schema_version", schema_version)):
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a string")
    recipient_json, recipient_keys = _recipient_json(recipient)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0)
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "bundle_id": str(uuid.uuid4()),
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "app_version": app_version,
        "schema_version": schema_version,
        "kind": kind,
        "sender": _device_json(sender, sender_keys.public(), "sender"),
        "recipient": recipient_json,
        "vector": _vector_json(vector),
        "extra": None if extra is None else json.loads(json.dumps(dict(extra), allow_nan=False)),
    }
    ops_data, n_ops = _encode_operations(operations, path)
    job = _Writer(path, header, ops_data, n_ops, blobs, sender_keys, recipient_keys, limits)
    partial = path.with_name(f".{path.name}.partial")
    try:
        while True:
            try:
                manifest = job.write(partial, created)
                break
            except _TooCompressible as again:
                # Rare (a large member of almost nothing but repeats): store it uncompressed.
                job.stored.add(again.name)
        os.replace(partial, path)
    except BaseException as exc:
        _discard(partial)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from exc
        raise
    _sync_folder(path.parent)
    return manifest


def _encode_operations(operations: Iterable[Mapping[str, Any]], path: Path) -> tuple[bytes, int]:
    """ops.jsonl: one operation per line, sorted keys, checked as the reader will check them."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
    lines = []
    for n, op in enumerate(operations, 1):
        if type(op) is not dict:
            op = dict(op)
        _check_op(op, n, path)
        lines.append(encode(op))
    text = "\n".join(lines) + "\n" if lines else ""
    try:
        return text.encode("utf-8"), len(lines)
    except UnicodeEncodeError as exc:  # a lone surrogate in some string
        raise _bad_text(text.count("\n", 0, exc.start) + 1, path) from exc


class _TooCompressible(Exception):
    """A written member the reader would take for a zip bomb: write again, storing it as is."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _Writer:
    """Writes one bundle file; `write` may run again when a member must be stored uncompressed."""

    def __init__(
        self,
        path: Path,
        header: dict[str, Any],
        ops_data: bytes,
        n_ops: int,
        blobs: Mapping[str, bytes] | None,
        sender_keys: DeviceKeys,
        recipient_keys: PublicKeys | None,
        limits: Limits,
    ) -> None:
        self.path = path
        self.header = header
        self.ops_data = ops_data
        self.n_ops = n_ops
        self.blobs: Mapping[str, bytes] = blobs if blobs is not None else {}
        self.sender_keys = sender_keys
        self.limits = limits
        self.content_key: bytes | None = None
        self.encryption: dict[str, str] | None = None
        if recipient_keys is not None:
            self.content_key = new_content_key()
            sealed = seal(self.content_key, recipient_keys.box_key)
            self.encryption = {"scheme": ENCRYPTION_SCHEME, "sealed_key": b64(sealed)}
        self.stored: set[str] = set()  # members to keep uncompressed
        self.members: dict[str, dict[str, Any]] = {}
        self.total = 0

    def write(self, partial: Path, created: dt.datetime) -> Manifest:
        self.members = {}
        self.total = 0
        self.date_time = created.timetuple()[:6]
        with partial.open("wb") as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=True) as zf:
                self.zf = zf
                self._add(OPS, self.ops_data)
                n_blobs = self._add_blobs()
                data = {
                    **self.header,
                    "counts": {"operations": self.n_ops, "blobs": n_blobs},
                    "encryption": self.encryption,
                    "members": self.members,
                }
                text = json.dumps(
                    data, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False
                )
                manifest_bytes = (text + "\n").encode("utf-8")
                # What the writer made must pass the reader's checks: fail here, not at import.
                manifest = _parse_manifest(json.loads(manifest_bytes), self.path)
                self._add_signed(manifest_bytes, sign(self.sender_keys, manifest_bytes))
            fh.flush()
            os.fsync(fh.fileno())
        return manifest

    def _add_blobs(self) -> int:
        count = 0
        for sha in sorted(self.blobs):
            if not isinstance(sha, str) or not _SHA256.match(sha):
                raise BundleError(
                    "No se pudo exportar: «{name}» no es el nombre de un adjunto (se esperaba su "
                    "sha256 en hexadecimal).",
                    name=_shown(str(sha)),
                )
            try:
                data = self.blobs[sha]
            except KeyError:
                raise BundleError(
                    "No se pudo exportar: falta el adjunto {sha} en los archivos de este equipo. "
                    "Restaure una copia de seguridad o pida el adjunto a quien lo subió.",
                    sha=sha,
                ) from None
            if hashlib.sha256(data).hexdigest() != sha:
                raise BundleError(
                    "No se pudo exportar: el adjunto {sha} de este equipo está dañado (su "
                    "contenido no corresponde a su huella). Restaure una copia de seguridad.",
                    sha=sha,
                )
            self._add(BLOB_PREFIX + sha, bytes(data))
            count += 1
        return count

    def _add(self, name: str, plain: bytes) -> None:
        limits = self.limits
        self._check_size(name, len(plain))
        if len(self.members) + 3 > limits.max_members:
            raise BundleError(
                "No se pudo exportar: el paquete tendría más de {limit} elementos. Exporte en "
                "varias veces.",
                limit=limits.max_members,
            )
        if self.content_key is not None:
            name += ENCRYPTED
            stored = encrypt(
                self.content_key, _pack(plain, limits), aad=_aad(self.header["bundle_id"], name)
            )
            self._check_size(name, len(stored))
            self.total += len(plain)  # the reader counts what it decrypts, too
            self._write(name, stored, zipfile.ZIP_STORED)  # ciphertext does not compress
        else:
            stored = plain
            deflate = name not in self.stored and _worth_deflating(plain)
            self._write(name, stored, zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED)
        self.members[name] = {"sha256": hashlib.sha256(stored).hexdigest(), "size": len(stored)}

    def _check_size(self, name: str, size: int) -> None:
        if size > self.limits.max_member_bytes:
            raise BundleError(
                "No se pudo exportar: «{member}» ocupa {size}, más de lo que un paquete admite "
                "({limit}).",
                member=name,
                size=_size(size),
                limit=_size(self.limits.max_member_bytes),
            )

    def _add_signed(self, manifest_bytes: bytes, signature: bytes) -> None:
        if len(manifest_bytes) > self.limits.max_manifest_bytes:
            raise BundleError(
                "No se pudo exportar: el índice del paquete ocuparía {size}, más de lo admitido "
                "({limit}). Exporte menos adjuntos a la vez.",
                size=_size(len(manifest_bytes)),
                limit=_size(self.limits.max_manifest_bytes),
            )
        self._write(MANIFEST, manifest_bytes, zipfile.ZIP_DEFLATED)
        self._write(SIGNATURE, signature, zipfile.ZIP_STORED)

    def _write(self, name: str, data: bytes, method: int) -> None:
        self.total += len(data)
        if self.total > self.limits.max_total_bytes:
            raise BundleError(
                "No se pudo exportar: el paquete ocuparía más de {limit} sin comprimir, más de lo "
                "que otro equipo acepta importar. Exporte en varias veces (por ejemplo, menos "
                "adjuntos).",
                limit=_size(self.limits.max_total_bytes),
            )
        info = zipfile.ZipInfo(name, self.date_time)  # type: ignore[arg-type]
        info.compress_type = method
        info.external_attr = 0o644 << 16
        self.zf.writestr(info, data, compresslevel=COMPRESS_LEVEL)
        # writestr filled in the compressed size; the reader applies the same test to it.
        if method == zipfile.ZIP_DEFLATED and _bomb_like(
            len(data), info.compress_size, self.limits
        ):
            raise _TooCompressible(name)


_PROBE = 64 * KiB


def _worth_deflating(plain: bytes) -> bool:
    """Photos, PDFs and office files are already compressed: deflating them only costs time."""
    if len(plain) <= _PROBE:
        return True
    return len(zlib.compress(plain[:_PROBE], COMPRESS_LEVEL)) < _PROBE * 0.95


def _bomb_like(size: int, compressed: int, limits: Limits) -> bool:
    """The zip-bomb test, shared by writer and reader so that one never refuses the other."""
    return size > limits.ratio_floor_bytes and size > limits.max_ratio * max(compressed, 1)


def _pack(plain: bytes, limits: Limits) -> bytes:
    """An encrypted member's plaintext: one byte saying how, then raw or zlib-compressed bytes."""
    if plain and _worth_deflating(plain):
        packed = zlib.compress(plain, COMPRESS_LEVEL)
        if len(packed) < len(plain) and not _bomb_like(len(plain), len(packed), limits):
            return bytes([_DEFLATE]) + packed
    return bytes([_RAW]) + plain


def _aad(bundle_id: str, name: str) -> bytes:
    # The bundle id and the member name: a member moved to another name or bundle does not open.
    return f"{bundle_id}/{name}".encode()


def _device_json(device: Mapping[str, Any], keys: PublicKeys | None, role: str) -> dict[str, Any]:
    device_id, name = device.get("device_id"), device.get("name")
    if not isinstance(device_id, str) or not device_id or not isinstance(name, str):
        raise TypeError(f"{role} needs a non-empty 'device_id' and a 'name' (strings)")
    out: dict[str, Any] = {"device_id": device_id, "name": name}
    if keys is not None:
        out |= {
            "sign_key": b64(keys.sign_key),
            "box_key": b64(keys.box_key),
            "fingerprint": keys.fingerprint,
        }
    return out


def _recipient_json(
    recipient: Mapping[str, Any] | None,
) -> tuple[dict[str, Any] | None, PublicKeys | None]:
    if recipient is None:
        return None, None
    keys = recipient.get("keys")
    if isinstance(keys, str):
        keys = PublicKeys.from_text(keys)
    elif keys is not None and not isinstance(keys, PublicKeys):
        raise TypeError("recipient['keys'] must be PublicKeys, their text, or None")
    return _device_json(recipient, keys, "recipient"), keys


def _vector_json(vector: Mapping[str, int]) -> dict[str, int]:
    out = {}
    for device_id, seq in vector.items():
        if not isinstance(device_id, str) or not device_id:
            raise TypeError("vector keys must be non-empty device ids")
        if type(seq) is not int or not 0 <= seq <= MAX_INT:
            raise TypeError(f"vector[{device_id!r}] must be an int >= 0, not {seq!r}")
        out[device_id] = seq
    return out


def _discard(partial: Path) -> None:
    # If the stick is gone, what remains there is named .partial and never looks complete.
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort, the file is already complete."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_error(path: Path, exc: OSError) -> BundleError:
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return BundleError(
            "No se pudo escribir el paquete {path}: el disco o la memoria USB está lleno. "
            "Libere espacio o use otra memoria; no quedó ningún paquete a medias.",
            path=str(path),
        )
    return BundleError(
        "No se pudo escribir el paquete {path}: {error}. Compruebe que la carpeta existe, que "
        "hay espacio libre y que la memoria USB sigue conectada; no quedó ningún paquete a medias.",
        path=str(path),
        error=exc.strerror or str(exc),
    )


# =========================================================================== reading


def read_bundle(
    path: str | os.PathLike[str],
    *,
    my_keys: DeviceKeys | None,
    my_device_id: str | None,
    trusted_sign_key: Callable[[str], bytes | None] | None = None,
    limits: Limits = Limits(),  # frozen: one shared default is safe
) -> Bundle:
    """Check a bundle completely, then return its content; BundleError for any problem.

    `trusted_sign_key(sender_device_id)` gives the signing key this device has accepted for that
    sender, or None for a sender not accepted yet: the bundle is then returned with
    ``trusted=False`` (its signature still verified against its own key) for quarantine. A key
    that differs from the accepted one is refused as an impostor.
    """
    path = Path(path)
    with _Archive.open(path, limits) as archive:
        manifest = archive.signed_manifest()
        trusted = _trust(manifest, trusted_sign_key, path)
        if manifest.recipient is not None and manifest.recipient.device_id != my_device_id:
            raise BundleError(
                "El paquete {path} es para el equipo «{recipient}» ({device}), no para este. "
                "Pida al remitente que lo exporte para este equipo.",
                path=path.name,
                recipient=manifest.recipient.name,
                device=manifest.recipient.device_id,
            )
        archive.check_members(manifest)
        stored = {
            name: archive.read_member(name, member) for name, member in manifest.members.items()
        }
        content_key = _content_key(manifest, my_keys, path)

        ops_name = manifest.ops_member
        ops_bytes = stored.pop(ops_name)
        if content_key is not None:
            ops_bytes = archive.unpack(ops_name, ops_bytes, content_key, manifest.bundle_id)
        operations = _parse_operations(ops_bytes, path)
        if len(operations) != manifest.counts["operations"]:
            raise BundleError(
                "El paquete {path} no trae el número de operaciones que dice su manifiesto "
                "({expected}; trae {actual}): está dañado o fue modificado.",
                path=path.name,
                expected=manifest.counts["operations"],
                actual=len(operations),
            )
        blobs: dict[str, bytes] = {}
        for name in sorted(stored):
            sha = name[len(BLOB_PREFIX) :].removesuffix(ENCRYPTED)
            data = stored.pop(name)
            if content_key is not None:
                data = archive.unpack(name, data, content_key, manifest.bundle_id)
                actual = hashlib.sha256(data).hexdigest()
            else:
                actual = manifest.members[name].sha256  # the stored bytes were checked against it
            if actual != sha:
                raise BundleError(
                    "El adjunto «{member}» de {path} no corresponde a su nombre (su contenido "
                    "tiene otra huella): está dañado o fue modificado. No se importó nada.",
                    member=name,
                    path=path.name,
                )
            blobs[sha] = data
    return Bundle(path, manifest, operations, blobs, trusted)


def peek(
    path: str | os.PathLike[str],
    *,
    limits: Limits = Limits(),  # frozen: one shared default is safe
) -> dict[str, Any]:
    """The manifest of a bundle (sender, fingerprint, kind, counts…), to show before importing.

    The zip structure, the manifest and its signature are checked; the content is not read.
    """
    path = Path(path)
    with _Archive.open(path, limits) as archive:
        manifest = archive.signed_manifest()
        archive.check_members(manifest)
    return json.loads(json.dumps(manifest.data))


def _trust(
    manifest: Manifest, trusted_sign_key: Callable[[str], bytes | None] | None, path: Path
) -> bool:
    if trusted_sign_key is None:
        return False
    known = trusted_sign_key(manifest.sender.device_id)
    if known is None:
        return False
    keys = manifest.sender.keys
    assert keys is not None  # the manifest check requires the sender's keys
    if not same_key(known, keys.sign_key):
        raise BundleError(
            "El paquete {path} dice venir de «{sender}» ({device}), pero está firmado con otra "
            "clave (huella {fingerprint}; la aceptada es {expected}). Puede ser un impostor o un "
            "equipo reinstalado: no se importó. Confirme la huella con el remitente por teléfono "
            "antes de aceptar su nueva clave.",
            path=path.name,
            sender=manifest.sender.name,
            device=manifest.sender.device_id,
            fingerprint=keys.fingerprint,
            expected=fingerprint(known),
        )
    return True


def _content_key(manifest: Manifest, my_keys: DeviceKeys | None, path: Path) -> bytes | None:
    if manifest.sealed_key is None:
        return None
    if my_keys is None:
        raise BundleError(
            "El paquete {path} está cifrado y este equipo todavía no tiene claves para abrirlo. "
            "Complete la inscripción del equipo y vuelva a importarlo.",
            path=path.name,
        )
    try:
        key = open_sealed(manifest.sealed_key, my_keys)
    except BundleError as exc:
        raise BundleError(
            "No se pudo descifrar el paquete {path} con las claves de este equipo: se cifró para "
            "otra clave (¿una instalación anterior de este equipo?) o fue modificado. Pida al "
            "remitente que lo exporte de nuevo para este equipo.",
            path=path.name,
        ) from exc
    if len(key) != CONTENT_KEY_BYTES:
        raise BundleError(
            "La clave de contenido del paquete {path} no es válida: el paquete está dañado.",
            path=path.name,
        )
    return key


class _Archive:
    """An open bundle under inspection: its zip entries and the bytes decompressed so far."""

    def __init__(self, path: Path, zf: zipfile.ZipFile, limits: Limits) -> None:
        self.path = path
        self.zf = zf
        self.limits = limits
        self.infos: dict[str, zipfile.ZipInfo] = {}
        self.spent = 0

    @classmethod
    def open(cls, path: Path, limits: Limits) -> _Archive:
        try:
            with path.open("rb") as fh:
                head = fh.read(4)
            zf = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise BundleError("No existe el archivo {path}.", path=str(path)) from None
        except OSError as exc:
            if not _bad_seek(exc):
                raise _read_error(path, exc) from exc
            raise _damaged_zip(path) from exc
        except _ZIP_ERRORS as exc:
            if head[:2] != b"PK":
                raise _not_zip(path) from exc
            raise _damaged_zip(path) from exc
        archive = cls(path, zf, limits)
        try:
            if head != b"PK\x03\x04":
                # A zip hidden behind other data (an image, an executable) is not what we write.
                raise _not_zip(path)
            archive._check_structure()
        except BaseException:
            zf.close()
            raise
        return archive

    def __enter__(self) -> _Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zf.close()

    # ----------------------------------------------------------------------- structure

    def _check_structure(self) -> None:
        path, limits = self.path, self.limits
        entries = self.zf.infolist()
        if len(entries) > limits.max_members:
            raise BundleError(
                "El paquete {path} tiene demasiados elementos ({count}; el máximo es {limit}) y "
                "no se abrió.",
                path=path.name,
                count=len(entries),
                limit=limits.max_members,
            )
        declared_total = 0
        for info in entries:
            _check_name(info.orig_filename, path)
            name = info.filename
            if name in self.infos:
                raise BundleError(
                    "El paquete {path} es peligroso y no se abrió: el elemento «{member}» aparece "
                    "repetido (al descomprimirlo, uno reemplazaría al otro).",
                    path=path.name,
                    member=_shown(name),
                )
            self.infos[name] = info
            if name not in (MANIFEST, SIGNATURE) and not _MEMBER.match(name):
                raise BundleError(
                    "El paquete {path} contiene un elemento inesperado, «{member}»: no es un "
                    "paquete de fieldkit o fue modificado. No se abrió.",
                    path=path.name,
                    member=_shown(name),
                )
            if info.flag_bits & 0x1:
                raise BundleError(
                    "El elemento «{member}» de {path} está protegido con una contraseña de zip, "
                    "algo que fieldkit no usa: el paquete fue modificado y no se abrió.",
                    member=name,
                    path=path.name,
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise BundleError(
                    "El elemento «{member}» de {path} usa un método de compresión que fieldkit "
                    "no usa: el paquete fue modificado o lo hizo otro programa. No se abrió.",
                    member=name,
                    path=path.name,
                )
            self._check_size(name, info.file_size, info.compress_size)
            declared_total += info.file_size
            if declared_total > limits.max_total_bytes:
                raise self._total_error()

    def _check_size(self, name: str, size: int, compressed: int) -> None:
        limits = self.limits
        if size > limits.max_member_bytes:
            raise BundleError(
                "El elemento «{member}» de {path} es demasiado grande: ocupa {size} sin "
                "comprimir y el máximo es {limit}. No se abrió.",
                member=name,
                path=self.path.name,
                size=_size(size),
                limit=_size(limits.max_member_bytes),
            )
        if _bomb_like(size, compressed, limits):
            raise BundleError(
                "El elemento «{member}» de {path} se comprime de forma sospechosa ({ratio} a 1; "
                "el máximo es {limit} a 1): parece una «bomba zip», hecha para llenar el disco o "
                "la memoria, y no se abrió.",
                member=name,
                path=self.path.name,
                ratio=size // max(compressed, 1),
                limit=int(limits.max_ratio),
            )

    def _total_error(self) -> BundleError:
        return BundleError(
            "El contenido de {path} ocupa demasiado al descomprimirlo (más de {limit}): parece "
            "una «bomba zip» o es demasiado grande para importarlo de una vez. No se abrió.",
            path=self.path.name,
            limit=_size(self.limits.max_total_bytes),
        )

    # ----------------------------------------------------------------------- manifest

    def signed_manifest(self) -> Manifest:
        """The manifest, checked and verified against the signature by the key it names."""
        path = self.path
        if MANIFEST not in self.infos:
            raise BundleError(
                "Al paquete {path} le falta manifest.json: no es un paquete de fieldkit o está "
                "incompleto.",
                path=path.name,
            )
        if SIGNATURE not in self.infos:
            raise BundleError(
                "El paquete {path} no está firmado (le falta el elemento «signature»): no se "
                "puede saber quién lo hizo ni si fue modificado, y no se abrió.",
                path=path.name,
            )
        if self.infos[MANIFEST].file_size > self.limits.max_manifest_bytes:
            raise BundleError(
                "El manifest.json de {path} es demasiado grande ({size}; el máximo es {limit}) y "
                "no se abrió.",
                path=path.name,
                size=_size(self.infos[MANIFEST].file_size),
                limit=_size(self.limits.max_manifest_bytes),
            )
        manifest_bytes = self._read(self.infos[MANIFEST])
        signature_info = self.infos[SIGNATURE]
        signature = b"" if signature_info.file_size > KiB else self._read(signature_info)
        manifest = _parse_manifest(_load_manifest_json(manifest_bytes, path), path)
        keys = manifest.sender.keys
        assert keys is not None  # the manifest check requires the sender's keys
        if not verify(keys.sign_key, manifest_bytes, signature):
            raise BundleError(
                "La firma del paquete {path} no es válida: fue modificado después de firmarlo o "
                "no lo hizo el equipo «{sender}» que dice. No se abrió.",
                path=path.name,
                sender=manifest.sender.name,
            )
        return manifest

    def check_members(self, manifest: Manifest) -> None:
        """Every member the manifest lists is present, and nothing else is."""
        present = set(self.infos) - {MANIFEST, SIGNATURE}
        for name in sorted(set(manifest.members) - present):
            raise BundleError(
                "Al paquete {path} le falta «{member}», que figura en su manifiesto: está "
                "incompleto. Pida al remitente que lo envíe de nuevo.",
                path=self.path.name,
                member=name,
            )
        for name in sorted(present - set(manifest.members)):
            raise BundleError(
                "El paquete {path} contiene «{member}», que no figura en su manifiesto firmado: "
                "fue modificado y no se abrió.",
                path=self.path.name,
                member=name,
            )

    # ----------------------------------------------------------------------- content

    def read_member(self, name: str, member: Member) -> bytes:
        info = self.infos[name]
        if info.file_size == member.size:
            data = self._read(info)
            if len(data) == member.size and hashlib.sha256(data).hexdigest() == member.sha256:
                return data
        raise BundleError(
            "El elemento «{member}» de {path} no coincide con su huella en el manifiesto firmado: "
            "fue modificado o está dañado. No se importó nada.",
            member=name,
            path=self.path.name,
        )

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        """The member's bytes, counting as they come: the declared sizes may lie."""
        limits = self.limits
        chunks = []
        size = 0
        try:
            with self.zf.open(info) as fh:
                while chunk := fh.read(_CHUNK):
                    size += len(chunk)
                    self.spent += len(chunk)
                    if size > info.file_size:
                        raise BundleError(
                            "El elemento «{member}» de {path} es más grande de lo que declara el "
                            "zip: el paquete es peligroso o está dañado y no se abrió.",
                            member=info.filename,
                            path=self.path.name,
                        )
                    if size > limits.max_member_bytes:
                        self._check_size(info.filename, size, info.compress_size)
                    if self.spent > limits.max_total_bytes:
                        raise self._total_error()
                    chunks.append(chunk)
        except OSError as exc:
            if not _bad_seek(exc):
                raise _read_error(self.path, exc) from exc
            raise self._damaged(info) from exc
        except _ZIP_ERRORS as exc:
            raise self._damaged(info) from exc
        if size != info.file_size:
            raise BundleError(
                "El elemento «{member}» de {path} está incompleto o dañado. Pida al remitente "
                "que envíe el paquete de nuevo.",
                member=info.filename,
                path=self.path.name,
            )
        return b"".join(chunks)

    def _damaged(self, info: zipfile.ZipInfo) -> BundleError:
        return BundleError(
            "El elemento «{member}» de {path} está dañado y no se puede leer. Pida al "
            "remitente que envíe el paquete de nuevo.",
            member=info.filename,
            path=self.path.name,
        )

    def unpack(self, name: str, stored: bytes, content_key: bytes, bundle_id: str) -> bytes:
        """Decrypt a member and undo its inner compression, with the same limits as the zip's."""
        path, limits = self.path, self.limits
        try:
            packed = decrypt(content_key, stored, aad=_aad(bundle_id, name))
        except BundleError as exc:
            raise BundleError(
                "El elemento «{member}» de {path} no se pudo descifrar: fue modificado o movido "
                "dentro del paquete. No se importó nada.",
                member=name,
                path=path.name,
            ) from exc
        how, body = packed[:1], memoryview(packed)[1:]
        if how == bytes([_RAW]):
            plain = bytes(body)
        elif how == bytes([_DEFLATE]):
            room = min(limits.max_member_bytes, limits.max_total_bytes - self.spent)
            inflater = zlib.decompressobj()
            try:
                plain = inflater.decompress(body, room + 1)
            except zlib.error:
                plain, inflater = b"", None
            if len(plain) > room:
                if len(plain) > limits.max_member_bytes:
                    self._check_size(name, len(plain), len(body))
                raise self._total_error()
            self._check_size(name, len(plain), len(body))
            if inflater is None or not inflater.eof or inflater.unused_data:
                raise BundleError(
                    "El elemento «{member}» de {path} está dañado: su contenido comprimido está "
                    "incompleto.",
                    member=name,
                    path=path.name,
                )
        else:
            raise BundleError(
                "El elemento «{member}» de {path} usa un formato interno desconocido: lo hizo una "
                "versión más reciente de fieldkit. Actualice fieldkit y vuelva a importarlo.",
                member=name,
                path=path.name,
            )
        self.spent += len(plain)
        if self.spent > limits.max_total_bytes:
            raise self._total_error()
        return plain


# =========================================================================== checks


def _check_name(raw: str, path: Path) -> None:
    """Refuse names that would write outside a folder if someone unzipped the bundle."""
    problem = None
    if ":" in raw:
        problem = N_("lleva una letra de unidad o dos puntos, como «C:»")
    elif raw.startswith(("/", "\\")):
        problem = N_("es una ruta absoluta")
    elif ".." in re.split(r"[/\\]", raw):
        problem = N_("intenta salir de la carpeta con «..»")
    elif "\\" in raw:
        problem = N_("usa barras invertidas (\\), como una ruta de Windows")
    elif not raw or any(ord(c) < 32 or ord(c) == 127 for c in raw):
        problem = N_("tiene caracteres de control o está vacío")
    if problem is not None:
        raise BundleError(
            "El paquete {path} es peligroso y no se abrió: el nombre del elemento «{member}» "
            "{problem}.",
            path=path.name,
            member=_shown(raw),
            problem=Label(problem),
        )


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _load_manifest_json(data: bytes, path: Path) -> dict[str, Any]:
    try:
        loaded = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_refuse_constant,
        )
    except _DuplicateKey as exc:
        raise BundleError(
            "El manifest.json de {path} no es válido: la clave «{key}» aparece repetida.",
            path=path.name,
            key=_shown(str(exc)),
        ) from None
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(
            "El manifest.json de {path} no es JSON válido: el paquete está dañado o no es de "
            "fieldkit.",
            path=path.name,
        ) from exc
    if not isinstance(loaded, dict):
        raise BundleError(
            "El manifest.json de {path} no es JSON válido: el paquete está dañado o no es de "
            "fieldkit.",
            path=path.name,
        )
    fmt = loaded.get("format")
    if fmt != FORMAT:
        raise BundleError(
            "{path} no es un paquete de fieldkit: su formato es «{format}».",
            path=path.name,
            format=_shown(str(fmt)),
        )
    version = loaded.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise BundleError(
            "El paquete {path} usa la versión {version} del formato, más reciente que la que "
            "entiende esta instalación ({supported}). Actualice fieldkit y vuelva a importarlo.",
            path=path.name,
            version=version,
            supported=FORMAT_VERSION,
        )
    if version != FORMAT_VERSION or type(version) is not int:
        raise BundleError(
            "El paquete {path} declara una versión de formato desconocida («{version}»): está "
            "dañado o no es de fieldkit.",
            path=path.name,
            version=_shown(str(version)),
        )
    return loaded


class _ManifestReader:
    """Typed access to the manifest's fields; any surprise names the field that is wrong."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def bad(self, name: str) -> BundleError:
        return BundleError(
            "El manifest.json de {path} no es válido: el campo «{field}» falta o no tiene el "
            "valor esperado. El paquete está dañado o lo hizo otro programa.",
            path=self.path.name,
            field=name,
        )

    def obj(self, parent: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any]:
        value = parent.get(key)
        if not isinstance(value, dict):
            raise self.bad(where + key)
        return value

    def text(
        self, parent: Mapping[str, Any], key: str, where: str = "", *, empty: bool = False
    ) -> str:
        value = parent.get(key)
        if not isinstance(value, str) or (not value and not empty):
            raise self.bad(where + key)
        return value

    def count(self, parent: Mapping[str, Any], key: str, where: str = "") -> int:
        value = parent.get(key)
        if type(value) is not int or not 0 <= value <= MAX_INT:
            raise self.bad(where + key)
        return value

    def raw(self, parent: Mapping[str, Any], key: str, where: str, size: int | None) -> bytes:
        raw = unb64(parent.get(key), size)
        if raw is None:
            raise self.bad(where + key)
        return raw

    def keys_only(self, obj: Mapping[str, Any], allowed: Iterable[str], where: str) -> None:
        unknown = sorted(set(obj) - set(allowed))
        if unknown:
            raise self.bad(where + unknown[0])

    def device(self, parent: Mapping[str, Any], key: str, *, keys_required: bool) -> Device:
        obj = self.obj(parent, key)
        where = key + "."
        key_fields = ("sign_key", "box_key", "fingerprint")
        self.keys_only(obj, ("device_id", "name", *key_fields), where)
        device_id = self.text(obj, "device_id", where)
        name = self.text(obj, "name", where, empty=True)
        if not keys_required and not any(k in obj for k in key_fields):
            return Device(device_id, name)
        keys = PublicKeys(
            self.raw(obj, "sign_key", where, KEY_BYTES), self.raw(obj, "box_key", where, KEY_BYTES)
        )
        if obj.get("fingerprint") != keys.fingerprint:
            raise self.bad(where + "fingerprint")
        return Device(device_id, name, keys)


def _parse_manifest(data: dict[str, Any], path: Path) -> Manifest:
    """Check every field of a manifest whose format and version are known."""
    m = _ManifestReader(path)
    m.keys_only(data, _MANIFEST_KEYS, "")
    for key in _MANIFEST_KEYS - {"recipient", "encryption", "extra"}:
        if key not in data:
            raise m.bad(key)

    bundle_id = m.text(data, "bundle_id")
    try:
        uuid.UUID(bundle_id)
    except ValueError:
        raise m.bad("bundle_id") from None
    created_at = m.text(data, "created_at")
    try:
        dt.datetime.fromisoformat(created_at)
    except ValueError:
        raise m.bad("created_at") from None
    kind = m.text(data, "kind")
    if kind not in KINDS:
        raise m.bad("kind")

    sender = m.device(data, "sender", keys_required=True)
    recipient = (
        None if data.get("recipient") is None else m.device(data, "recipient", keys_required=False)
    )

    vector_obj = m.obj(data, "vector")
    vector = {}
    for device_id in vector_obj:
        if not device_id:
            raise m.bad("vector")
        vector[device_id] = m.count(vector_obj, device_id, "vector.")

    counts_obj = m.obj(data, "counts")
    m.keys_only(counts_obj, ("operations", "blobs"), "counts.")
    counts = {k: m.count(counts_obj, k, "counts.") for k in ("operations", "blobs")}

    sealed_key = None
    if data.get("encryption") is not None:
        encryption = m.obj(data, "encryption")
        m.keys_only(encryption, ("scheme", "sealed_key"), "encryption.")
        if encryption.get("scheme") != ENCRYPTION_SCHEME:
            raise m.bad("encryption.scheme")
        sealed_key = m.raw(encryption, "sealed_key", "encryption.", None)
        if recipient is None or recipient.keys is None:
            raise m.bad("recipient")

    extra = None if data.get("extra") is None else m.obj(data, "extra")

    encrypted = sealed_key is not None
    ops_name = OPS + ENCRYPTED if encrypted else OPS
    members: dict[str, Member] = {}
    blob_count = 0
    for name, entry in m.obj(data, "members").items():
        where = f"members.{_shown(name)}"
        if not isinstance(entry, dict):
            raise m.bad(where)
        m.keys_only(entry, ("sha256", "size"), where + ".")
        sha = m.text(entry, "sha256", where + ".")
        if not _SHA256.match(sha):
            raise m.bad(where + ".sha256")
        members[name] = Member(sha, m.count(entry, "size", where + "."))
        if name.startswith(BLOB_PREFIX):
            blob_count += 1
        if not _MEMBER.match(name) or name.endswith(ENCRYPTED) != encrypted:
            raise m.bad(where)
    if ops_name not in members:
        raise m.bad("members." + ops_name)
    if blob_count != counts["blobs"]:
        raise m.bad("counts.blobs")

    try:
        # A lone surrogate (from a \ud800 escape) would break later, when shown or stored.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise m.bad("(texto)") from None

    return Manifest(
        format_version=data["format_version"],
        bundle_id=bundle_id,
        created_at=created_at,
        app_version=m.text(data, "app_version", empty=True),
        schema_version=m.text(data, "schema_version", empty=True),
        kind=kind,
        sender=sender,
        recipient=recipient,
        vector=vector,
        counts=counts,
        members=members,
        sealed_key=sealed_key,
        extra=extra,
        data=data,
    )


_OPS_DECODER = json.JSONDecoder()
_OPS_SCAN = json.scanner.make_scanner(_OPS_DECODER)
_VALUE_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
# Most values are a JSON string with nothing escaped, true, false, null or a plain number: whole
# JSON values by this pattern alone (no surrogate can hide in them), checked without decoding.
_PLAIN_VALUE = re.compile(
    r'(?:"[^"\\\x00-\x1f]*"|true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\Z'
).match


def _parse_operations(data: bytes, path: Path) -> list[dict[str, Any]]:
    """ops.jsonl into dicts, each checked; any problem names its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad_text(data.count(b"\n", 0, exc.start) + 1, path) from exc
    # A \ud800-style escape may hide a lone surrogate, which would break when stored or shown.
    suspect = "\\ud" in text or "\\uD" in text
    whole = _parse_whole(text)
    if whole is not None:
        for line, op in enumerate(whole, start=1):
            _check_op(op, line, path)
            if suspect:
                _check_unicode(op, line, path)
        return whole
    # The decoder's scanner walks the text without splitting it (what raw_decode does, without
    # its wrapper; a third faster than json.loads per line): a value must start each line and
    # a newline must end it. StopIteration is its "no value here".
    scan = _OPS_SCAN
    operations = []
    size = len(text)
    start = 0
    line = 0
    while start < size:
        line += 1
        if text.startswith("\n", start):
            raise _bad_op(path, line, N_("está vacía"))
        try:
            op, end = scan(text, start)
        except (StopIteration, ValueError, RecursionError):
            raise _bad_op(path, line, N_("no es JSON válido")) from None
        if not text.startswith("\n", end):
            if end == size:
                raise _bad_op(path, line, N_("está incompleta (el archivo se cortó)"))
            raise _bad_op(path, line, N_("no es JSON válido"))
        _check_op(op, line, path)
        if suspect:
            _check_unicode(op, line, path)
        operations.append(op)
        start = end + 1
    return operations


def _parse_whole(text: str) -> list[Any] | None:
    """Every line in one decoder call (its memo shares the repeated keys: a fifth faster), when
    the text is exactly one JSON object per line, each ending with a newline; else None, and
    the line-by-line reading says which line is wrong. A raw newline cannot occur inside a JSON
    string, so each newline is a separator: with an object on each side, a comma in its place
    makes one JSON array."""
    if not text.startswith("{") or not text.endswith("}\n"):
        return None
    lines = text.count("\n")
    if text.count("}\n{") != lines - 1:  # every newline but the last between two objects
        return None
    try:
        whole = _OPS_DECODER.decode("[" + text[:-1].replace("\n", ",") + "]")
    except (ValueError, RecursionError):
        return None
    return whole if len(whole) == lines else None


def _check_op(op: Any, line: int, path: Path) -> None:
    """One operation's shape and JSON types; entity and field names are the importer's job."""
    # One expression for the common case: this runs for every operation of every bundle.
    if (
        type(op) is dict
        and op.keys() == _OP_KEYS
        and isinstance(op["op_id"], str)
        and isinstance(op["origin"], str)
        and isinstance(op["hlc"], str)
        and isinstance(op["entity"], str)
        and isinstance(op["record_id"], str)
        and isinstance(op["field"], str)
        and op["op_id"]
        and op["origin"]
        and op["hlc"]
        and op["entity"]
        and op["record_id"]
        and op["field"]
        and (op["base_hlc"] is None or isinstance(op["base_hlc"], str))
        and (op["author"] is None or isinstance(op["author"], str))
        and type(op["seq"]) is int
        and 1 <= op["seq"] <= MAX_INT
        and (op["value"] is None or isinstance(op["value"], str))
    ):
        value = op["value"]
        if value is not None and not _PLAIN_VALUE(value):
            try:
                decoded, end = _VALUE_DECODER.raw_decode(value)
            except (ValueError, RecursionError):
                end = -1
            if end != len(value):
                raise _bad_type(path, line, "value", N_("un texto con un valor JSON, o null"))
            if "\\ud" in value or "\\uD" in value:
                _check_unicode(decoded, line, path)
        return
    _explain_op(op, line, path)


def _explain_op(op: Any, line: int, path: Path) -> None:
    """Raise the error that names what is wrong with an operation `_check_op` refused."""
    if type(op) is not dict:
        raise _bad_op(path, line, N_("no es un objeto JSON"))
    missing = [f for f in OP_FIELDS if f not in op]
    if missing:
        raise BundleError(
            "La línea {line} de las operaciones de {path} no es válida: le faltan los campos "
            "{fields}.",
            line=line,
            path=path.name,
            fields=", ".join(missing),
        )
    unknown = sorted(str(f) for f in op if f not in _OP_KEYS)
    if unknown:
        raise BundleError(
            "La línea {line} de las operaciones de {path} no es válida: tiene campos "
            "desconocidos ({fields}).",
            line=line,
            path=path.name,
            fields=", ".join(_shown(f) for f in unknown),
        )
    for name in _REQUIRED_TEXT:
        if not isinstance(op[name], str) or not op[name]:
            raise _bad_type(path, line, name, N_("un texto no vacío"))
    for name in _OPTIONAL_TEXT:
        if op[name] is not None and not isinstance(op[name], str):
            raise _bad_type(path, line, name, N_("un texto o null"))
    seq = op["seq"]
    if type(seq) is not int or not 1 <= seq <= MAX_INT:
        raise _bad_type(path, line, "seq", N_("un número entero mayor o igual que 1"))
    raise _bad_type(path, line, "value", N_("un texto con un valor JSON, o null"))


def _check_unicode(value: object, line: int, path: Path) -> None:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_text(line, path) from None


def _bad_op(path: Path, line: int, problem: str) -> BundleError:
    return BundleError(
        "La línea {line} de las operaciones de {path} {problem}.",
        line=line,
        path=path.name,
        problem=Label(problem),
    )


def _bad_type(path: Path, line: int, name: str, expected: str) -> BundleError:
    return BundleError(
        "La línea {line} de las operaciones de {path} no es válida: el campo «{field}» debe ser "
        "{expected}.",
        line=line,
        path=path.name,
        field=name,
        expected=Label(expected),
    )


def _bad_text(line: int, path: Path) -> BundleError:
    return BundleError(
        "La línea {line} de las operaciones de {path} no es texto Unicode válido.",
        line=line,
        path=path.name,
    )


# =========================================================================== small helpers


def _shown(name: str, limit: int = 80) -> str:
    """A hostile name made safe to show: control characters replaced, length capped."""
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _size(n: int) -> str:
    # Rounded up, so a size just over a limit never reads as equal to it.
    if n >= GiB:
        return f"{-(-n // GiB)} GiB"
    if n >= MiB:
        return f"{-(-n // MiB)} MiB"
    if n >= KiB:
        return f"{-(-n // KiB)} KiB"
    return f"{n} bytes"


def _not_zip(path: Path) -> BundleError:
    return BundleError(
        "{path} no es un paquete de fieldkit (.fkb): no es un archivo zip.", path=path.name
    )


def _damaged_zip(path: Path) -> BundleError:
    return BundleError(
        "El paquete {path} está incompleto o dañado (el zip no se puede leer): quizá se copió a "
        "medias o se retiró la memoria USB antes de tiempo. Pida al remitente que lo envíe de "
        "nuevo.",
        path=path.name,
    )


def _bad_seek(exc: OSError) -> bool:
    """A seek to a negative offset that a damaged header asked for: the file, not the disk."""
    return exc.errno == errno.EINVAL


def _read_error(path: Path, exc: OSError) -> BundleError:
    return BundleError(
        "No se pudo leer el paquete {path}: {error}. Compruebe que la memoria USB sigue "
        "conectada y que el archivo no está abierto en otro programa.",
        path=str(path),
        error=exc.strerror or str(exc),
    )
