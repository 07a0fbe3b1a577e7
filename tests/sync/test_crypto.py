"""Device keys, signatures, sealed boxes and content encryption: round trips, and refusals in Spanish."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.domain.errors import ProfileError
from fieldkit.sync.crypto import (
    CONTENT_KEY_BYTES,
    KEY_BYTES,
    BundleError,
    DeviceKeys,
    PublicKeys,
    decrypt,
    encrypt,
    fingerprint,
    new_content_key,
    open_sealed,
    seal,
    sign,
    verify,
)

ALICE = DeviceKeys.generate()
BRUNO = DeviceKeys.generate()


def flips(data: bytes) -> list[bytes]:
    """`data` with one byte changed, at every position."""
    return [data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1 :] for i in range(len(data))]


# --------------------------------------------------------------------------- keys


def test_private_text_round_trips_and_is_versioned_json() -> None:
    text = ALICE.to_private_text()
    data = json.loads(text)
    assert data["format"] == "fieldkit-device-keys" and data["version"] == 1
    again = DeviceKeys.from_private_text(text)
    assert again.public() == ALICE.public()
    assert again.to_private_text() == text
    assert sign(again, b"x") == sign(ALICE, b"x")  # Ed25519 is deterministic: same key


def test_public_keys_are_raw_32_bytes_and_round_trip_as_text() -> None:
    public = ALICE.public()
    assert len(public.sign_key) == KEY_BYTES and len(public.box_key) == KEY_BYTES
    assert public.sign_key != public.box_key
    assert PublicKeys.from_text(public.to_text()) == public
    assert set(json.loads(public.to_text())) == {"format", "version", "sign_key", "box_key"}


def test_generated_keys_differ() -> None:
    assert DeviceKeys.generate().public() != DeviceKeys.generate().public()


def test_fingerprint_is_short_grouped_hex_of_the_sign_key() -> None:
    fp = ALICE.fingerprint
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", fp)
    assert fp == ALICE.public().fingerprint == fingerprint(ALICE.public().sign_key)
    assert fp != BRUNO.fingerprint


def test_repr_never_shows_private_bytes() -> None:
    private = json.loads(ALICE.to_private_text())
    assert private["sign"] not in repr(ALICE) and private["box"] not in repr(ALICE)
    assert ALICE.fingerprint in repr(ALICE)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no es json",
        "[]",
        json.dumps({"format": "fieldkit-device-keys", "version": 2, "sign": "", "box": ""}),
        json.dumps({"format": "otro", "version": 1}),
        json.dumps({"format": "fieldkit-device-keys", "version": 1, "sign": "AAAA", "box": "AAAA"}),
    ],
)
def test_damaged_private_text_is_a_profile_error_in_spanish(text: str) -> None:
    with pytest.raises(ProfileError, match="claves de este equipo están dañadas"):
        DeviceKeys.from_private_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        json.dumps({"format": "fieldkit-public-keys", "version": 1, "sign_key": "x"}),
        json.dumps({"format": "fieldkit-public-keys", "version": 1, "sign_key": 1, "box_key": 2}),
    ],
)
def test_damaged_public_text_is_refused_in_spanish(text: str) -> None:
    with pytest.raises(BundleError, match="claves públicas recibidas no son válidas"):
        PublicKeys.from_text(text)


def test_public_keys_need_32_raw_bytes() -> None:
    with pytest.raises(ValueError):
        PublicKeys(b"short", bytes(32))


# --------------------------------------------------------------------------- signatures


def test_sign_and_verify() -> None:
    signature = sign(ALICE, b"manifest")
    assert len(signature) == 64
    assert verify(ALICE.public().sign_key, b"manifest", signature)


@pytest.mark.parametrize(
    ("key", "data", "signature"),
    [
        (BRUNO.public().sign_key, b"manifest", sign(ALICE, b"manifest")),  # someone else's key
        (ALICE.public().sign_key, b"manifesT", sign(ALICE, b"manifest")),  # other data
        (ALICE.public().sign_key, b"manifest", b""),
        (ALICE.public().sign_key, b"manifest", bytes(64)),
        (ALICE.public().sign_key, b"manifest", sign(ALICE, b"manifest")[:63]),
        (b"", b"manifest", sign(ALICE, b"manifest")),
        (bytes(31), b"manifest", sign(ALICE, b"manifest")),
    ],
)
def test_verify_says_false_and_never_raises(key: bytes, data: bytes, signature: bytes) -> None:
    assert verify(key, data, signature) is False


def test_every_flipped_signature_byte_fails() -> None:
    signature = sign(ALICE, b"manifest")
    assert not any(verify(ALICE.public().sign_key, b"manifest", s) for s in flips(signature))


# --------------------------------------------------------------------------- sealed boxes


def test_seal_round_trip_and_layout() -> None:
    sealed = seal(b"content key", BRUNO.public().box_key)
    assert sealed[0] == 1 and len(sealed) == 1 + 32 + 12 + len(b"content key") + 16
    assert open_sealed(sealed, BRUNO) == b"content key"
    # A fresh ephemeral key and nonce each time: equal plaintexts do not look equal.
    assert seal(b"content key", BRUNO.public().box_key) != sealed


def test_sealed_box_does_not_open_for_another_device() -> None:
    sealed = seal(b"secret", BRUNO.public().box_key)
    with pytest.raises(BundleError, match=r"No se pudo descifrar .* claves de este equipo"):
        open_sealed(sealed, ALICE)


def test_every_tampered_byte_of_a_sealed_box_is_refused() -> None:
    sealed = seal(b"0123456789abcdef0123456789abcdef", BRUNO.public().box_key)
    for changed in flips(sealed):
        with pytest.raises(BundleError):
            open_sealed(changed, BRUNO)


def test_every_truncation_of_a_sealed_box_is_refused() -> None:
    sealed = seal(b"0123456789abcdef", BRUNO.public().box_key)
    for size in range(len(sealed)):
        with pytest.raises(BundleError):
            open_sealed(sealed[:size], BRUNO)
    with pytest.raises(BundleError):
        open_sealed(sealed + b"\x00", BRUNO)


@pytest.mark.parametrize("key", [bytes(32), b"short", bytes(33)])
def test_seal_refuses_unusable_recipient_keys(key: bytes) -> None:
    # All zeros is a low-order point: the shared secret would be zero, known to everyone.
    with pytest.raises(BundleError, match="clave de cifrado del destinatario no es válida"):
        seal(b"x", key)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_seal_round_trips_any_bytes(data: bytes) -> None:
    assert open_sealed(seal(data, ALICE.public().box_key), ALICE) == data


# --------------------------------------------------------------------------- content encryption


def test_content_round_trip_with_distinct_nonces() -> None:
    key = new_content_key()
    assert len(key) == CONTENT_KEY_BYTES and key != new_content_key()
    one = encrypt(key, b"ops", aad=b"bundle/ops.jsonl.enc")
    two = encrypt(key, b"ops", aad=b"bundle/ops.jsonl.enc")
    assert one != two and one[1:13] != two[1:13]
    assert decrypt(key, one, aad=b"bundle/ops.jsonl.enc") == b"ops"


def test_content_does_not_open_under_another_name_or_key() -> None:
    key = new_content_key()
    data = encrypt(key, b"blob", aad=b"b/blobs/aa.enc")
    with pytest.raises(BundleError, match="modificado o movido"):
        decrypt(key, data, aad=b"b/blobs/bb.enc")
    with pytest.raises(BundleError, match="modificado o movido"):
        decrypt(new_content_key(), data, aad=b"b/blobs/aa.enc")


def test_every_tampered_or_truncated_content_byte_is_refused() -> None:
    key = new_content_key()
    data = encrypt(key, b"personal data of attendees", aad=b"x")
    for changed in flips(data):
        with pytest.raises(BundleError):
            decrypt(key, changed, aad=b"x")
    for size in range(len(data)):
        with pytest.raises(BundleError):
            decrypt(key, data[:size], aad=b"x")


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=5000), st.binary(max_size=100))
def test_content_round_trips_any_bytes(data: bytes, aad: bytes) -> None:
    key = new_content_key()
    assert decrypt(key, encrypt(key, data, aad=aad), aad=aad) == data
