"""The .fkb bundle: exact round trips, and every hostile or broken file refused in Spanish.

Hostile files are real zips built with zipfile (and, for lying headers, patched bytes), because
what matters is what the reader does with the bytes a USB stick actually brings.
"""

from __future__ import annotations

import base64
import errno
import hashlib
import json
import os
import struct
import tempfile
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.sync import (
    FORMAT_VERSION,
    OP_FIELDS,
    Bundle,
    BundleError,
    DeviceKeys,
    Limits,
    Manifest,
    peek,
    read_bundle,
    write_bundle,
)
from fieldkit.sync import bundle as bundle_module
from fieldkit.sync.crypto import sign

ANA = DeviceKeys.generate()  # the field laptop that exports
BETO = DeviceKeys.generate()  # its coordinator
CARLA = DeviceKeys.generate()  # a third device
SENDER = {"device_id": "dev-ana", "name": "Portátil de Ana"}
FOR_BETO = {"device_id": "dev-beto", "name": "Coordinación Cauca", "keys": BETO.public()}
MiB = 1024 * 1024


def op(seq: int, **changes: Any) -> dict[str, Any]:
    base = {
        "op_id": str(uuid.UUID(int=seq)),
        "origin": "dev-ana",
        "seq": seq,
        "hlc": f"0190a1b2c3d4-{seq:06x}-dev-ana",
        "entity": "person",
        "record_id": str(uuid.UUID(int=1000 + seq)),
        "field": "name",
        "value": json.dumps(f"Asistente n.º {seq}: María José Ñáñez", ensure_ascii=False),
        "base_hlc": None,
        "author": "Ana Pérez",
    }
    return base | changes


def blob(content: bytes) -> tuple[str, bytes]:
    return hashlib.sha256(content).hexdigest(), content


OPS = [op(1), op(2, value=None, base_hlc="0190a1b2c3d4-000001-dev-ana"), op(3, value="12.5")]
BLOBS = dict([blob(b"%PDF-1.4 acta de asistencia"), blob(b"\x89PNG foto de la visita")])


def write(path: Path, **kwargs: Any) -> Manifest:
    args: dict[str, Any] = {
        "sender_keys": ANA,
        "sender": SENDER,
        "operations": OPS,
        "blobs": BLOBS,
        "vector": {"dev-ana": 3, "dev-otro": 7},
        "app_version": "0.3.0",
        "schema_version": "0001_foundation",
    }
    return write_bundle(path, **(args | kwargs))


def read(
    path: Path,
    keys: DeviceKeys | None = BETO,
    device: str | None = "dev-beto",
    trusted: Callable[[str], bytes | None] | None = None,
    **kwargs: Any,
) -> Bundle:
    return read_bundle(path, my_keys=keys, my_device_id=device, trusted_sign_key=trusted, **kwargs)


def trust(*keys: DeviceKeys) -> Callable[[str], bytes | None]:
    known = {"dev-ana": keys[0].public().sign_key} if keys else {}
    return known.get


def entries(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def rezip(members: list[tuple[str, bytes]], path: Path, method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which we want
        with zipfile.ZipFile(path, "w", method) as zf:
            for name, data in members:
                zf.writestr(name, data)
    return path


def forge(
    path: Path, members: Mapping[str, bytes], *, keys: DeviceKeys = ANA, **changes: Any
) -> Path:
    """A plain bundle with exactly `members`, listed with their true hashes and signed by
    `keys`: only what the test changes on purpose is wrong."""
    public = ANA.public()
    manifest = {
        "format": "fieldkit-bundle",
        "format_version": 1,
        "bundle_id": str(uuid.uuid4()),
        "created_at": "2026-03-01T12:00:00Z",
        "app_version": "0.3.0",
        "schema_version": "0001_foundation",
        "kind": "changes",
        "sender": {
            "device_id": "dev-ana",
            "name": "Portátil de Ana",
            "sign_key": base64.b64encode(public.sign_key).decode(),
            "box_key": base64.b64encode(public.box_key).decode(),
            "fingerprint": public.fingerprint,
        },
        "recipient": None,
        "vector": {"dev-ana": 3},
        "counts": {
            "operations": members.get("ops.jsonl", b"").count(b"\n"),
            "blobs": sum(name.startswith("blobs/") for name in members),
        },
        "encryption": None,
        "extra": None,
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in members.items()
        },
    } | changes
    manifest_bytes = json.dumps(manifest, ensure_ascii=False).encode()
    return rezip(
        [
            ("manifest.json", manifest_bytes),
            *members.items(),
            ("signature", sign(keys, manifest_bytes)),
        ],
        path,
    )


def forge_ops(path: Path, lines: list[str], **changes: Any) -> Path:
    return forge(path, {"ops.jsonl": "".join(line + "\n" for line in lines).encode()}, **changes)


def line(**changes: Any) -> str:
    return json.dumps(op(1) | changes, sort_keys=True, ensure_ascii=False)


def refused(path: Path, *fragments: str, **kwargs: Any) -> str:
    """Read `path`, expect a BundleError whose Spanish message holds every fragment."""
    with pytest.raises(BundleError) as caught:
        read(path, **kwargs)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    assert caught.value.exit_code == 2
    return message


# =========================================================================== round trips


def test_plain_round_trip_with_blobs(tmp_path: Path) -> None:
    path = tmp_path / "ana.fkb"
    written = write(path)
    got = read(path, trusted=trust(ANA))
    assert got.operations == OPS and got.blobs == BLOBS
    assert got.trusted and got.kind == "changes" and got.vector == {"dev-ana": 3, "dev-otro": 7}
    assert got.manifest == written
    assert got.sender.device_id == "dev-ana" and got.sender.name == "Portátil de Ana"
    assert got.sender.fingerprint == ANA.fingerprint
    assert not got.manifest.encrypted and got.manifest.recipient is None
    names = {name for name, _ in entries(path)}
    assert names == {"manifest.json", "ops.jsonl", "signature"} | {f"blobs/{s}" for s in BLOBS}
    assert not list(tmp_path.glob(".*partial"))


def test_ops_jsonl_is_one_sorted_json_object_per_line(tmp_path: Path) -> None:
    write(tmp_path / "b.fkb")
    ops_text = dict(entries(tmp_path / "b.fkb"))["ops.jsonl"].decode()
    lines = ops_text.split("\n")
    assert lines[-1] == "" and len(lines) == len(OPS) + 1
    for text, expected in zip(lines, OPS, strict=False):
        assert json.loads(text) == expected
        assert list(json.loads(text)) == sorted(OP_FIELDS)
    assert "María José Ñáñez" in ops_text  # UTF-8, not \u escapes


def test_manifest_fields(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, recipient=FOR_BETO)
    members = dict(entries(path))
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "fieldkit-bundle" and manifest["format_version"] == FORMAT_VERSION
    assert uuid.UUID(manifest["bundle_id"]).version == 4
    assert manifest["created_at"].endswith("Z") and manifest["created_at"][:2] == "20"
    assert manifest["app_version"] == "0.3.0" and manifest["schema_version"] == "0001_foundation"
    assert manifest["sender"]["fingerprint"] == ANA.fingerprint
    assert set(manifest["sender"]) == {"device_id", "name", "sign_key", "box_key", "fingerprint"}
    assert manifest["recipient"]["device_id"] == "dev-beto"
    assert manifest["recipient"]["fingerprint"] == BETO.fingerprint
    assert manifest["counts"] == {"operations": 3, "blobs": 2}
    assert manifest["encryption"]["scheme"] == "x25519-hkdf-sha256-chacha20poly1305"
    listed = manifest["members"]
    assert set(listed) == set(members) - {"manifest.json", "signature"}
    for name, entry in listed.items():
        assert entry == {
            "sha256": hashlib.sha256(members[name]).hexdigest(),
            "size": len(members[name]),
        }
    # Two bundles never share an id.
    assert write(tmp_path / "c.fkb").bundle_id != manifest["bundle_id"]


def test_encrypted_round_trip_leaks_nothing_readable(tmp_path: Path) -> None:
    path = tmp_path / "para-beto.fkb"
    write(path, recipient=FOR_BETO)
    names = {name for name, _ in entries(path)}
    assert names == {"manifest.json", "ops.jsonl.enc", "signature"} | {
        f"blobs/{s}.enc" for s in BLOBS
    }
    raw = path.read_bytes()
    for secret in (b"Ana P", "Ñáñez".encode(), b"acta de asistencia", b"foto de la visita"):
        assert secret not in raw
    got = read(path, trusted=trust(ANA))
    assert got.operations == OPS and got.blobs == BLOBS and got.manifest.encrypted
    assert got.manifest.recipient is not None
    assert got.manifest.recipient.fingerprint == BETO.fingerprint


def test_recipient_keys_may_come_as_text(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, recipient=FOR_BETO | {"keys": BETO.public().to_text()})
    assert read(path).operations == OPS


def test_a_third_device_cannot_read_a_bundle_for_another(tmp_path: Path) -> None:
    path = tmp_path / "para-beto.fkb"
    write(path, recipient=FOR_BETO)
    refused(
        path,
        "es para el equipo «Coordinación Cauca» (dev-beto), no para este",
        keys=CARLA,
        device="dev-carla",
    )
    # Even claiming the recipient's id, its keys do not open the content.
    refused(path, "No se pudo descifrar", "claves de este equipo", keys=CARLA, device="dev-beto")
    refused(path, "todavía no tiene claves", keys=None, device="dev-beto")


def test_a_plain_bundle_addressed_to_someone_is_refused_by_others(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, recipient={"device_id": "dev-beto", "name": "Beto"})  # key not known yet
    assert read(path).operations == OPS
    refused(path, "es para el equipo «Beto»", device="dev-carla")
    refused(path, "es para el equipo «Beto»", device=None)


def test_sender_key_differing_from_the_accepted_one_is_an_impostor(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, sender_keys=CARLA)  # says it is dev-ana, signs with Carla's key
    message = refused(path, "dice venir de «Portátil de Ana» (dev-ana)", trusted=trust(ANA))
    assert CARLA.fingerprint in message and ANA.fingerprint in message


def test_unknown_sender_is_returned_untrusted_for_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, sender_keys=CARLA)
    assert read(path, trusted=trust()).trusted is False
    assert read(path, trusted=None).trusted is False
    assert read(path, trusted=None).operations == OPS  # still fully checked and readable


def test_enrolment_kinds_carry_extra_json(tmp_path: Path) -> None:
    path = tmp_path / "solicitud.fkb"
    extra = {"role": "field", "requested": {"municipalities": ["19001", "19050"]}, "note": "ñ"}
    write(path, kind="enrol-request", extra=extra, operations=[], blobs={})
    got = read(path)
    assert got.kind == "enrol-request" and got.extra == extra
    assert got.operations == [] and got.blobs == {}


def test_peek_shows_what_a_bundle_is_without_keys(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, recipient=FOR_BETO, kind="enrol-response", extra={"directorate": "DT-CAUCA"})
    shown = peek(path)
    assert shown["sender"]["name"] == "Portátil de Ana"
    assert shown["sender"]["fingerprint"] == ANA.fingerprint
    assert shown["counts"] == {"operations": 3, "blobs": 2}
    assert shown["kind"] == "enrol-response" and shown["extra"] == {"directorate": "DT-CAUCA"}


def test_peek_refuses_a_bad_signature(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    members = [(n, sign(CARLA, b"x") if n == "signature" else d) for n, d in entries(path)]
    rezip(members, path)
    with pytest.raises(BundleError, match="firma"):
        peek(path)


def test_an_empty_bundle_round_trips(tmp_path: Path) -> None:
    for recipient in (None, FOR_BETO):
        path = tmp_path / "vacio.fkb"
        write(path, operations=[], blobs={}, vector={}, recipient=recipient)
        got = read(path)
        assert got.operations == [] and got.blobs == {} and got.vector == {}


def test_large_repetitive_blob_is_stored_not_taken_for_a_bomb(tmp_path: Path) -> None:
    """2 MiB of zeros deflates ~1000:1; the writer stores it so the reader does not refuse it."""
    sha, zeros = blob(bytes(2 * MiB))
    for recipient in (None, FOR_BETO):
        path = tmp_path / "ceros.fkb"
        write(path, blobs={sha: zeros}, recipient=recipient)
        assert read(path).blobs == {sha: zeros}
    with zipfile.ZipFile(tmp_path / "ceros.fkb") as zf:
        # Not compressed inside the encryption either, for the same reason.
        assert zf.getinfo(f"blobs/{sha}.enc").file_size > 2 * MiB
    write(tmp_path / "plano.fkb", blobs={sha: zeros})
    with zipfile.ZipFile(tmp_path / "plano.fkb") as zf:
        assert zf.getinfo(f"blobs/{sha}").compress_type == zipfile.ZIP_STORED


# --------------------------------------------------------------------------- property


texts = st.text(
    st.characters(blacklist_categories=("Cs",)),  # lone surrogates cannot be stored anyway
    max_size=30,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
operations = st.fixed_dictionaries(
    {
        "op_id": st.uuids().map(str),
        "origin": st.uuids().map(str),
        "seq": st.integers(1, 2**63 - 1),
        "hlc": texts.filter(bool),
        "entity": texts.filter(bool),
        "record_id": texts.filter(bool),
        "field": texts.filter(bool),
        "value": st.none() | json_values.map(lambda v: json.dumps(v, ensure_ascii=False)),
        "base_hlc": st.none() | texts,
        "author": st.none() | texts,
    }
)
blob_sets = st.lists(st.binary(max_size=3000), max_size=4).map(lambda bs: dict(map(blob, bs)))


@settings(max_examples=40, deadline=None)
@given(st.lists(operations, max_size=15), blob_sets, st.booleans())
def test_any_operations_and_blobs_round_trip_exactly(
    ops: list[dict[str, Any]], blobs: dict[str, bytes], encrypted: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.fkb"
        write(path, operations=ops, blobs=blobs, recipient=FOR_BETO if encrypted else None)
        got = read(path)
        assert got.operations == ops
        assert got.blobs == blobs
        assert got.manifest.counts == {"operations": len(ops), "blobs": len(blobs)}
        assert sorted(os.listdir(folder)) == ["b.fkb"]


# =========================================================================== hostile zips


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../x", "intenta salir de la carpeta con «..»"),
        ("blobs/../../x", "intenta salir de la carpeta con «..»"),
        ("..\\x", "intenta salir de la carpeta con «..»"),
        ("/etc/x", "es una ruta absoluta"),
        ("\\windows\\x", "es una ruta absoluta"),
        ("C:\\x", "lleva una letra de unidad"),
        ("C:/x", "lleva una letra de unidad"),
        ("blobs\\x", "usa barras invertidas"),
    ],
)
def test_dangerous_member_names_are_refused(tmp_path: Path, name: str, problem: str) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    rezip([*entries(path), (name, b"owned")], path)
    refused(path, "es peligroso y no se abrió", problem)
    with pytest.raises(BundleError, match="peligroso"):
        peek(path)


def test_a_nul_in_a_member_name_is_refused(tmp_path: Path) -> None:
    # zipfile cuts names at NUL when writing, so the byte is put in afterwards.
    path = tmp_path / "b.fkb"
    write(path)
    rezip([*entries(path), ("ops.jsonlX.exe", b"")], path)
    path.write_bytes(path.read_bytes().replace(b"ops.jsonlX.exe", b"ops.jsonl\x00.exe"))
    refused(path, "es peligroso", "«ops.jsonl?.exe» tiene caracteres de control")


def test_duplicate_member_names_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    members = entries(path)
    rezip([*members, ("ops.jsonl", b"{}\n")], path)
    refused(path, "«ops.jsonl» aparece repetido")


@pytest.mark.parametrize("name", ["notas.txt", "blobs/", "blobs/abc", "ops.jsonl.bak", "manifest"])
def test_unexpected_members_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    rezip([*entries(path), (name, b"")], path)
    refused(path, f"elemento inesperado, «{name}»")


def test_a_member_not_in_the_manifest_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    extra_sha, extra = blob(b"colado")
    rezip([*entries(path), (f"blobs/{extra_sha}", extra)], path)
    refused(path, f"«blobs/{extra_sha}», que no figura en su manifiesto")


def test_a_member_listed_but_missing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    gone = f"blobs/{min(BLOBS)}"
    rezip([(n, d) for n, d in entries(path) if n != gone], path)
    refused(path, f"le falta «{gone}»", "incompleto")


def test_zip_bomb_member_over_the_size_limit(tmp_path: Path) -> None:
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": b"", f"blobs/{'0' * 64}": bytes(10 * MiB)})
    refused(path, "es demasiado grande", "10 MiB", limits=Limits(max_member_bytes=MiB))


def test_zip_bomb_by_compression_ratio(tmp_path: Path) -> None:
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": b"", f"blobs/{'0' * 64}": bytes(10 * MiB)})
    refused(path, "se comprime de forma sospechosa", "bomba zip")


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    members = {"ops.jsonl": b""} | {f"blobs/{i:064x}": os.urandom(300_000) for i in range(4)}
    path = forge(tmp_path / "b.fkb", members)
    refused(path, "ocupa demasiado al descomprimirlo", limits=Limits(max_total_bytes=MiB))


def _central_entries(raw: bytes) -> Iterator[tuple[int, str]]:
    """(offset, name) of every central directory header, walking from the end record."""
    end = raw.rfind(b"PK\x05\x06")
    count, _, offset = struct.unpack("<HII", raw[end + 10 : end + 20])
    for _ in range(count):
        name_len, extra_len, comment_len = struct.unpack("<HHH", raw[offset + 28 : offset + 34])
        yield offset, raw[offset + 46 : offset + 46 + name_len].decode()
        offset += 46 + name_len + extra_len + comment_len


def patch_headers(path: Path, member: str, **fields: int) -> None:
    """Overwrite header fields of `member` in both its local and central headers: lying zips."""
    central = {"flags": (8, "<H"), "crc": (16, "<I"), "size": (24, "<I")}
    local = {"flags": (6, "<H"), "crc": (14, "<I"), "size": (22, "<I")}
    raw = bytearray(path.read_bytes())
    for offset, name in list(_central_entries(bytes(raw))):
        if name != member:
            continue
        (local_offset,) = struct.unpack("<I", raw[offset + 42 : offset + 46])
        for key, value in fields.items():
            for base, table in ((offset, central), (local_offset, local)):
                at, fmt = table[key]
                struct.pack_into(fmt, raw, base + at, value)
    path.write_bytes(bytes(raw))


def test_zip_bomb_with_a_lying_declared_size(tmp_path: Path) -> None:
    """10 MB of zeros declared as 1,000 bytes: reading stops at the declared size and fails."""
    name = f"blobs/{'0' * 64}"
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": b"", name: bytes(10 * MiB)})
    patch_headers(path, name, size=1000)
    refused(path, f"«{name}»", "dañado")
    # Even with the CRC of what the lie would give, the manifest's size and hash catch it.
    patch_headers(path, name, crc=zlib.crc32(bytes(1000)))
    refused(path, f"«{name}»", "no coincide con su huella")


def test_declared_size_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    name = f"blobs/{'0' * 64}"
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": b"", name: b"small"})
    patch_headers(path, name, size=600 * MiB)
    refused(path, "es demasiado grande", "600 MiB")


def test_zip_password_protected_members_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    patch_headers(path, "ops.jsonl", flags=0x1)
    refused(path, "contraseña de zip")


def test_other_compression_methods_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    rezip(entries(path), path, method=zipfile.ZIP_BZIP2)
    refused(path, "método de compresión")


def test_truncated_bundles_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path, recipient=FOR_BETO)
    whole = path.read_bytes()
    cut = tmp_path / "cortado.fkb"
    cut.write_bytes(whole[: len(whole) // 2])
    refused(cut, "está incompleto o dañado", "memoria USB")
    for size in range(0, len(whole), max(1, len(whole) // 40)):
        cut.write_bytes(whole[:size])
        refused(cut)


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "no es un archivo zip"), (b"hola, esto es texto", "no es un archivo zip")],
)
def test_files_that_are_not_zips(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "b.fkb"
    path.write_bytes(content)
    refused(path, problem)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    refused(tmp_path / "nada.fkb", "No existe el archivo")
    refused(tmp_path, "No se pudo leer el paquete")


def test_a_zip_behind_other_data_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    path.write_bytes(b"GIF89a" + path.read_bytes())
    refused(path, "no es un archivo zip")


def test_a_zip_of_something_else(tmp_path: Path) -> None:
    path = rezip(
        [("[Content_Types].xml", b"<xml/>"), ("word/document.xml", b"<w/>")], tmp_path / "b.fkb"
    )
    refused(path, "elemento inesperado")


# --------------------------------------------------------------------------- tampering


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x20]) + data[at + 1 :]


@pytest.mark.parametrize("encrypted", [False, True])
def test_a_flipped_byte_in_any_member_is_refused(tmp_path: Path, encrypted: bool) -> None:
    original = tmp_path / "b.fkb"
    write(original, recipient=FOR_BETO if encrypted else None)
    members = entries(original)
    path = tmp_path / "t.fkb"
    for index, (name, data) in enumerate(members):
        step = 1 if len(data) < 200 else 7
        for at in range(0, len(data), step):
            changed = list(members)
            changed[index] = (name, _flip(data, at))
            rezip(changed, path)
            message = refused(path)
            if name == "signature":
                assert "firma" in message, message
            elif name != "manifest.json":
                assert f"«{name}»" in message and "huella" in message, message
            else:
                assert "manifest.json" in message or "firma" in message or "formato" in message


def test_a_flipped_byte_anywhere_in_the_file_never_changes_what_is_read(tmp_path: Path) -> None:
    """Zip headers hold fields nobody checks (dates, attributes); flipping those may pass, but
    then the content read is exactly the original. Everything else is refused."""
    original = tmp_path / "b.fkb"
    write(original, recipient=FOR_BETO)
    expected = read(original)
    raw = original.read_bytes()
    path = tmp_path / "t.fkb"
    accepted = 0
    for at in range(len(raw)):
        path.write_bytes(_flip(raw, at))
        try:
            got = read(path)
        except BundleError:
            continue
        accepted += 1
        assert got.operations == expected.operations and got.blobs == expected.blobs
        assert got.manifest == expected.manifest
    assert accepted < len(raw) // 4


def test_wrong_signature(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    members = entries(path)
    manifest = dict(members)["manifest.json"]
    for bad in (sign(CARLA, manifest), bytes(64), b"", sign(ANA, manifest) + b"\x00"):
        rezip([(n, bad if n == "signature" else d) for n, d in members], path)
        refused(path, "La firma del paquete b.fkb no es válida", "«Portátil de Ana»")


def test_missing_signature_or_manifest(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    write(path)
    members = entries(path)
    rezip([(n, d) for n, d in members if n != "signature"], path)
    refused(path, "no está firmado")
    rezip([(n, d) for n, d in members if n != "manifest.json"], path)
    refused(path, "le falta manifest.json")


def test_a_manifest_re_signed_by_someone_else_is_refused(tmp_path: Path) -> None:
    """Carla rewrites the manifest (say, adds a vector entry) and signs with her own key."""
    path = tmp_path / "b.fkb"
    write(path)
    members = dict(entries(path))
    manifest = json.loads(members["manifest.json"])
    manifest["vector"]["dev-carla"] = 99
    members["manifest.json"] = json.dumps(manifest).encode()
    members["signature"] = sign(CARLA, members["manifest.json"])
    rezip(list(members.items()), path)
    refused(path, "firma", trusted=trust(ANA))


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        (
            {"format": "otro-programa"},
            "no es un paquete de fieldkit: su formato es «otro-programa»",
        ),
        ({"format_version": 2}, "usa la versión 2 del formato, más reciente"),
        ({"format_version": 99}, "Actualice fieldkit"),
        ({"format_version": 0}, "versión de formato desconocida («0»)"),
        ({"format_version": "1"}, "versión de formato desconocida («1»)"),
        ({"format_version": True}, "versión de formato desconocida"),
        ({"kind": "virus"}, "el campo «kind»"),
        ({"bundle_id": "no-uuid"}, "el campo «bundle_id»"),
        ({"created_at": "ayer"}, "el campo «created_at»"),
        ({"vector": {"dev-ana": -1}}, "el campo «vector.dev-ana»"),
        ({"vector": []}, "el campo «vector»"),
        ({"counts": {"operations": 1, "blobs": 5}}, "el campo «counts.blobs»"),
        ({"sender": {"device_id": "dev-ana", "name": "x"}}, "el campo «sender.sign_key»"),
        ({"encryption": {"scheme": "rot13", "sealed_key": ""}}, "el campo «encryption.scheme»"),
        ({"nuevo": 1}, "el campo «nuevo»"),
    ],
)
def test_manifest_problems_are_named(tmp_path: Path, changes: dict[str, Any], problem: str) -> None:
    path = forge_ops(tmp_path / "b.fkb", [line()], **changes)
    refused(path, problem)


def test_manifest_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "b.fkb"
    for text in (b"{", b"[]", b"\xff\xfe", b'{"format": NaN}'):
        rezip([("manifest.json", text), ("ops.jsonl", b""), ("signature", sign(ANA, text))], path)
        refused(path, "manifest.json de b.fkb no es JSON válido")
    text = b'{"format": "fieldkit-bundle", "format": "fieldkit-bundle"}'
    rezip([("manifest.json", text), ("ops.jsonl", b""), ("signature", sign(ANA, text))], path)
    refused(path, "la clave «format» aparece repetida")


def test_fingerprint_must_match_the_sender_key(tmp_path: Path) -> None:
    public = ANA.public()
    sender = {
        "device_id": "dev-ana",
        "name": "Ana",
        "sign_key": base64.b64encode(public.sign_key).decode(),
        "box_key": base64.b64encode(public.box_key).decode(),
        "fingerprint": CARLA.fingerprint,
    }
    path = forge_ops(tmp_path / "b.fkb", [line()], sender=sender)
    refused(path, "el campo «sender.fingerprint»")


# --------------------------------------------------------------------------- operations


@pytest.mark.parametrize(
    ("lines", "problem"),
    [
        (
            [line(), line(), "{no es json"],
            "La línea 3 de las operaciones de b.fkb no es JSON válido",
        ),
        ([line(), '{"a": 1} {"b": 2}'], "La línea 2 de las operaciones de b.fkb no es JSON válido"),
        ([line(), "[1, 2]"], "La línea 2 de las operaciones de b.fkb no es un objeto JSON"),
        ([line(), ""], "La línea 2 de las operaciones de b.fkb está vacía"),
        ([" " + line()], "La línea 1 de las operaciones de b.fkb no es JSON válido"),
    ],
)
def test_malformed_operation_lines_name_the_line(
    tmp_path: Path, lines: list[str], problem: str
) -> None:
    refused(forge_ops(tmp_path / "b.fkb", lines), problem)


def test_a_missing_final_newline_is_a_cut_file(tmp_path: Path) -> None:
    data = (line() + "\n" + line()).encode()
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": data}, counts={"operations": 2, "blobs": 0})
    refused(path, "La línea 2", "está incompleta")


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    data = (line() + "\n").encode() + b'{"x": "\xff"}\n'
    refused(forge(tmp_path / "b.fkb", {"ops.jsonl": data}), "La línea 2", "Unicode")


def test_a_lone_surrogate_escape_is_refused(tmp_path: Path) -> None:
    escaped = json.dumps(op(1, author="\ud800"))  # ASCII JSON with a \ud800 escape
    path = forge_ops(tmp_path / "b.fkb", [line(), escaped])
    refused(path, "La línea 2", "Unicode válido")
    path = forge_ops(tmp_path / "b.fkb", [line(value='"\\ud800"')])
    refused(path, "La línea 1", "Unicode válido")


@pytest.mark.parametrize("field", OP_FIELDS)
def test_a_missing_op_field_is_named(tmp_path: Path, field: str) -> None:
    incomplete = {k: v for k, v in op(1).items() if k != field}
    path = forge_ops(tmp_path / "b.fkb", [line(), json.dumps(incomplete)])
    refused(path, "La línea 2", f"le faltan los campos {field}")


def test_an_unknown_op_field_is_named(tmp_path: Path) -> None:
    path = forge_ops(tmp_path / "b.fkb", [line(extra="x")])
    refused(path, "La línea 1", "campos desconocidos (extra)")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"seq": "5"}, "seq"),
        ({"seq": 0}, "seq"),
        ({"seq": -3}, "seq"),
        ({"seq": 1.5}, "seq"),
        ({"seq": True}, "seq"),
        ({"seq": 2**63}, "seq"),
        ({"op_id": 7}, "op_id"),
        ({"op_id": ""}, "op_id"),
        ({"origin": None}, "origin"),
        ({"hlc": ["x"]}, "hlc"),
        ({"entity": {}}, "entity"),
        ({"record_id": 12}, "record_id"),
        ({"field": False}, "field"),
        ({"value": 5}, "value"),
        ({"value": {"a": 1}}, "value"),
        ({"value": "{no es json"}, "value"),
        ({"value": "NaN"}, "value"),
        ({"value": "-Infinity"}, "value"),
        ({"value": "1 2"}, "value"),
        ({"base_hlc": 3}, "base_hlc"),
        ({"author": []}, "author"),
    ],
)
def test_wrong_op_types_name_line_and_field(
    tmp_path: Path, changes: dict[str, Any], field: str
) -> None:
    path = forge_ops(tmp_path / "b.fkb", [line(), line(), line(**changes)])
    refused(
        path, "La línea 3 de las operaciones de b.fkb no es válida", f"el campo «{field}» debe ser"
    )


def test_operation_count_must_match_the_manifest(tmp_path: Path) -> None:
    path = forge_ops(tmp_path / "b.fkb", [line(), line()], counts={"operations": 3, "blobs": 0})
    refused(path, "no trae el número de operaciones que dice su manifiesto (3; trae 2)")


def test_a_blob_whose_bytes_do_not_hash_to_its_name(tmp_path: Path) -> None:
    sha, _ = blob(b"lo que se anuncia")
    path = forge(tmp_path / "b.fkb", {"ops.jsonl": b"", f"blobs/{sha}": b"otra cosa"})
    refused(path, f"El adjunto «blobs/{sha}» de b.fkb no corresponde a su nombre")


def test_an_encrypted_blob_moved_to_another_name_does_not_open(tmp_path: Path) -> None:
    """The member name is associated data: re-signing a renamed member does not help."""
    path = tmp_path / "b.fkb"
    write(path, recipient=FOR_BETO)
    members = dict(entries(path))
    old, new = f"blobs/{min(BLOBS)}.enc", f"blobs/{max(BLOBS)}.enc"
    members[old], members[new] = members[new], members[old]
    manifest = json.loads(members["manifest.json"])
    listed = manifest["members"]
    listed[old], listed[new] = listed[new], listed[old]
    members["manifest.json"] = json.dumps(manifest).encode()
    members["signature"] = sign(ANA, members["manifest.json"])
    rezip(list(members.items()), path)
    refused(path, f"«{old}» de b.fkb no se pudo descifrar", "movido")


# =========================================================================== writing


class FailingBlobs(Mapping[str, bytes]):
    """A blob store whose disk fails on the second read."""

    def __init__(self, blobs: dict[str, bytes], error: Exception) -> None:
        self.blobs = blobs
        self.error = error
        self.reads = 0

    def __getitem__(self, sha: str) -> bytes:
        self.reads += 1
        if self.reads == 2:
            raise self.error
        return self.blobs[sha]

    def __iter__(self) -> Iterator[str]:
        return iter(self.blobs)

    def __len__(self) -> int:
        return len(self.blobs)


def leftovers(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("recipient", [None, FOR_BETO])
def test_a_read_error_midway_leaves_no_bundle_and_no_partial(
    tmp_path: Path, recipient: dict[str, Any] | None
) -> None:
    failing = FailingBlobs(BLOBS, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(
        BundleError, match=r"No se pudo escribir el paquete .*no quedó ningún paquete"
    ):
        write(tmp_path / "b.fkb", blobs=failing, recipient=recipient)
    assert failing.reads == 2
    assert leftovers(tmp_path) == []


def test_a_full_disk_at_the_rename_leaves_the_old_bundle_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "b.fkb"
    path.write_bytes(b"el paquete de ayer")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(bundle_module.os, "replace", full)
    with pytest.raises(BundleError, match="está lleno"):
        write(path)
    assert leftovers(tmp_path) == ["b.fkb"]
    assert path.read_bytes() == b"el paquete de ayer"


def test_a_failing_fsync_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def removed(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(bundle_module.os, "fsync", removed)
    with pytest.raises(BundleError, match="memoria USB sigue conectada"):
        write(tmp_path / "b.fkb")
    assert leftovers(tmp_path) == []


def test_a_missing_folder_is_a_spanish_error(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="No se pudo escribir el paquete"):
        write(tmp_path / "no-existe" / "b.fkb")


def test_any_exception_midway_removes_the_partial(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        write(tmp_path / "b.fkb", blobs=FailingBlobs(BLOBS, RuntimeError("bug")))
    assert leftovers(tmp_path) == []


def test_blob_problems_when_writing(tmp_path: Path) -> None:
    sha, content = blob(b"foto")
    missing = max(BLOBS)
    with pytest.raises(BundleError, match=f"falta el adjunto {missing}"):
        write(tmp_path / "b.fkb", blobs=FailingBlobs(BLOBS, KeyError(missing)))
    with pytest.raises(BundleError, match=f"el adjunto {sha} de este equipo está dañado"):
        write(tmp_path / "b.fkb", blobs={sha: b"otra foto"})
    with pytest.raises(BundleError, match="no es el nombre de un adjunto"):
        write(tmp_path / "b.fkb", blobs={"foto.jpg": content})
    assert leftovers(tmp_path) == []


def test_invalid_operations_are_refused_when_writing(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match=r"La línea 2 .* el campo «seq» debe ser"):
        write(tmp_path / "b.fkb", operations=[op(1), op(2) | {"seq": "2"}])
    with pytest.raises(BundleError, match=r"La línea 1 .* Unicode"):
        write(tmp_path / "b.fkb", operations=[op(1, author="\ud800")])
    assert leftovers(tmp_path) == []


def test_members_over_the_limits_are_refused_when_writing(tmp_path: Path) -> None:
    sha, content = blob(os.urandom(5000))
    with pytest.raises(BundleError, match="más de lo que un paquete admite"):
        write(tmp_path / "b.fkb", blobs={sha: content}, limits=Limits(max_member_bytes=4000))
    with pytest.raises(BundleError, match="más de lo que otro equipo acepta"):
        write(tmp_path / "b.fkb", blobs={sha: content}, limits=Limits(max_total_bytes=4000))
    assert leftovers(tmp_path) == []


def test_programming_errors_in_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write(tmp_path / "b.fkb", kind="otra")
    with pytest.raises(TypeError):
        write(tmp_path / "b.fkb", vector={"dev-ana": "3"})
    with pytest.raises(TypeError):
        write(tmp_path / "b.fkb", sender={"name": "sin id"})
    with pytest.raises(TypeError):
        write(tmp_path / "b.fkb", extra={"fecha": object()})
    assert leftovers(tmp_path) == []


# A value the reader takes without decoding it must be one the decoder takes whole.
JSONISH = st.text(
    alphabet=st.sampled_from(list('"\\ntrufalse0123456789-+.eE[]{},: \t\x00\x1fñ\u2028😀')),
    max_size=12,
)


@settings(max_examples=2000)
@given(value=st.one_of(JSONISH, st.from_regex(r'\A"[^"\\]*"\Z'), st.floats().map(json.dumps)))
def test_values_taken_without_decoding_are_whole_json_values(value: str) -> None:
    if not bundle_module._PLAIN_VALUE(value):
        return
    _decoded, end = bundle_module._VALUE_DECODER.raw_decode(value)
    assert end == len(value)
    assert "\\ud" not in value.lower()  # nothing escaped, so no surrogate either
