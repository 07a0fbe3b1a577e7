"""Device keys, signatures and encryption for bundles (DESIGN §6).

Every installation holds an Ed25519 key, to sign what it exports, and an X25519 key, which others
encrypt to. A bundle's content is encrypted once with a random content key (ChaCha20-Poly1305, a
fresh nonce per member and the member's name as associated data, so members cannot be swapped), and
only that content key is sealed to the recipient: an ephemeral X25519 exchange, HKDF-SHA256 and
ChaCha20-Poly1305. A lost USB stick then shows only what the signed manifest shows: sender and
recipient devices, version vector, counts, sizes and the sha256 names of attachments.

`cryptography` is imported inside the functions, so that importing fieldkit.sync (for BundleError,
say) costs the app's start nothing; the library takes ~17 ms to import.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fieldkit.domain.errors import FieldkitError, ProfileError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

__all__ = [
    "CONTENT_KEY_BYTES",
    "KEY_BYTES",
    "SIGNATURE_BYTES",
    "BundleError",
    "DeviceKeys",
    "PublicKeys",
    "b64",
    "decrypt",
    "encrypt",
    "fingerprint",
    "new_content_key",
    "open_sealed",
    "same_key",
    "seal",
    "sign",
    "unb64",
    "verify",
]

KEY_BYTES = 32
SIGNATURE_BYTES = 64
CONTENT_KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16

# The first byte of every ciphertext names its layout, so a later scheme can be told apart.
SEAL_VERSION = 1
CONTENT_VERSION = 1
# Domain separation: a key derived for sealing is never the key of anything else.
_SEAL_INFO = b"fieldkit-bundle-v1 sealed content key"
_SEAL_HEADER = 1 + KEY_BYTES
_SEAL_MIN = _SEAL_HEADER + NONCE_BYTES + TAG_BYTES
_CONTENT_MIN = 1 + NONCE_BYTES + TAG_BYTES

_PRIVATE_FORMAT = "fieldkit-device-keys"
_PUBLIC_FORMAT = "fieldkit-public-keys"
_TEXT_VERSION = 1


class BundleError(FieldkitError):
    """A bundle that cannot be written, read, opened or trusted: nothing was imported."""

    exit_code = 2


# --------------------------------------------------------------------------- text forms


def b64(raw: bytes) -> str:
    """Standard base64 text, as keys and sealed keys are written in JSON."""
    return base64.b64encode(raw).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes | None:
    """Bytes from strict standard base64 (of exactly `size` if given), or None for anything else."""
    if not isinstance(text, str):
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if size is None or len(raw) == size else None


def _load_text(text: object, fmt: str) -> dict[str, object] | None:
    if not isinstance(text, str):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != fmt:
        return None
    if data.get("version") != _TEXT_VERSION:
        return None
    return data


def fingerprint(sign_key: bytes) -> str:
    """What people read to each other over the phone: 16 hex digits of sha256, in four groups."""
    digest = hashlib.sha256(sign_key).hexdigest()[:16].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


# --------------------------------------------------------------------------- keys


@dataclass(frozen=True)
class PublicKeys:
    """What a device shows the world: raw 32-byte Ed25519 and X25519 public keys."""

    sign_key: bytes
    box_key: bytes

    def __post_init__(self) -> None:
        for name in ("sign_key", "box_key"):
            value = getattr(self, name)
            if not isinstance(value, bytes) or len(value) != KEY_BYTES:
                raise ValueError(f"{name} must be {KEY_BYTES} raw bytes")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.sign_key)

    def to_text(self) -> str:
        return json.dumps(
            {
                "format": _PUBLIC_FORMAT,
                "version": _TEXT_VERSION,
                "sign_key": b64(self.sign_key),
                "box_key": b64(self.box_key),
            },
            sort_keys=True,
        )

    @classmethod
    def from_text(cls, text: str) -> PublicKeys:
        data = _load_text(text, _PUBLIC_FORMAT)
        sign_key = unb64(data.get("sign_key"), KEY_BYTES) if data else None
        box_key = unb64(data.get("box_key"), KEY_BYTES) if data else None
        if sign_key is None or box_key is None:
            raise BundleError(
                "Las claves públicas recibidas no son válidas (texto dañado o de otro programa). "
                "Pida al otro equipo que las envíe de nuevo."
            )
        return cls(sign_key, box_key)


class DeviceKeys:
    """This installation's private keys: one to sign, one to receive encrypted bundles."""

    __slots__ = ("_box", "_public", "_sign")

    def __init__(self, sign_private: bytes, box_private: bytes) -> None:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

        self._sign: Ed25519PrivateKey = Ed25519PrivateKey.from_private_bytes(sign_private)
        self._box: X25519PrivateKey = X25519PrivateKey.from_private_bytes(box_private)
        self._public = PublicKeys(
            _raw_public(self._sign.public_key()), _raw_public(self._box.public_key())
        )

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(os.urandom(KEY_BYTES), os.urandom(KEY_BYTES))

    def public(self) -> PublicKeys:
        return self._public

    @property
    def fingerprint(self) -> str:
        return self._public.fingerprint

    def to_private_text(self) -> str:
        """A short JSON text the profile keeps in a text column. It is secret: never export it."""
        return json.dumps(
            {
                "format": _PRIVATE_FORMAT,
                "version": _TEXT_VERSION,
                "sign": b64(_raw_private(self._sign)),
                "box": b64(_raw_private(self._box)),
            },
            sort_keys=True,
        )

    @classmethod
    def from_private_text(cls, text: str) -> DeviceKeys:
        data = _load_text(text, _PRIVATE_FORMAT)
        sign_private = unb64(data.get("sign"), KEY_BYTES) if data else None
        box_private = unb64(data.get("box"), KEY_BYTES) if data else None
        if sign_private is None or box_private is None:
            raise ProfileError(
                "Las claves de este equipo están dañadas y no se pueden usar para sincronizar. "
                "Restaure una copia de seguridad del perfil o vuelva a inscribir el equipo."
            )
        return cls(sign_private, box_private)

    def __repr__(self) -> str:
        # Never the private bytes: keys end up in logs and tracebacks.
        return f"DeviceKeys(fingerprint={self.fingerprint!r})"


def _raw_public(key: object) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)  # type: ignore[attr-defined, no-any-return]


def _raw_private(key: object) -> bytes:
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
    )

    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())  # type: ignore[attr-defined, no-any-return]


# --------------------------------------------------------------------------- signatures


def sign(keys: DeviceKeys, data: bytes) -> bytes:
    """Ed25519 signature (64 bytes) of `data` by this device."""
    return keys._sign.sign(data)


def verify(sign_public: bytes, data: bytes, signature: bytes) -> bool:
    """True only for a valid signature of `data` by `sign_public`; never raises."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(signature) != SIGNATURE_BYTES or len(sign_public) != KEY_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# --------------------------------------------------------------------------- sealed boxes


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    # Both public keys in the salt bind the key to this exchange: a sealed box copied onto
    # another recipient's key derives a different key and fails to open.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_SEAL_INFO)
    return hkdf.derive(shared)


def seal(plaintext: bytes, recipient_box_public: bytes) -> bytes:
    """Encrypt `plaintext` so only the holder of the recipient's X25519 key can read it.

    Layout: version byte · ephemeral public key (32) · nonce (12) · ciphertext and tag.
    """
    from cryptography.hazmat.primitives.asymmetric.x25519 import (
        X25519PrivateKey,
        X25519PublicKey,
    )
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    ephemeral = X25519PrivateKey.generate()
    try:
        # A key of the wrong length, or a low-order point (all-zero shared secret), is refused.
        peer = X25519PublicKey.from_public_bytes(recipient_box_public)
        shared = ephemeral.exchange(peer)
    except (ValueError, TypeError) as exc:
        raise BundleError(
            "La clave de cifrado del destinatario no es válida; no se puede cifrar el paquete "
            "para él. Vuelva a inscribir ese equipo."
        ) from exc
    ephemeral_public = _raw_public(ephemeral.public_key())
    key = _seal_key(shared, ephemeral_public, recipient_box_public)
    header = bytes([SEAL_VERSION]) + ephemeral_public
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, header)


def open_sealed(data: bytes, keys: DeviceKeys) -> bytes:
    """Open what `seal` made for this device; BundleError if it is not for us or was altered."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    if len(data) < _SEAL_MIN or data[0] != SEAL_VERSION:
        raise BundleError(
            "La clave cifrada del paquete está incompleta o usa un formato desconocido: el "
            "paquete está dañado o lo hizo una versión más reciente de fieldkit."
        )
    header = data[:_SEAL_HEADER]
    ephemeral_public = header[1:]
    nonce = data[_SEAL_HEADER : _SEAL_HEADER + NONCE_BYTES]
    my_public = keys.public().box_key
    try:
        shared = keys._box.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _seal_key(shared, ephemeral_public, my_public)
        return ChaCha20Poly1305(key).decrypt(nonce, data[_SEAL_HEADER + NONCE_BYTES :], header)
    except (InvalidTag, ValueError) as exc:
        raise BundleError(
            "No se pudo descifrar el paquete con las claves de este equipo: se cifró para otro "
            "equipo (o para una instalación anterior de este) o fue modificado. Pida al "
            "remitente que lo exporte de nuevo para este equipo."
        ) from exc


# --------------------------------------------------------------------------- content encryption


def new_content_key() -> bytes:
    """A random key for one bundle's content; it travels sealed to the recipient."""
    return os.urandom(CONTENT_KEY_BYTES)


def _content_aad(aad: bytes) -> bytes:
    return bytes([CONTENT_VERSION]) + aad


def encrypt(key: bytes, plaintext: bytes, *, aad: bytes) -> bytes:
    """ChaCha20-Poly1305 under a bundle's content key with a fresh random nonce.

    `aad` (e.g. bundle id and member name) must be given again to decrypt: a member moved under
    another name does not open. Layout: version byte · nonce (12) · ciphertext and tag.
    """
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    nonce = os.urandom(NONCE_BYTES)
    body = ChaCha20Poly1305(key).encrypt(nonce, plaintext, _content_aad(aad))
    return bytes([CONTENT_VERSION]) + nonce + body


def decrypt(key: bytes, data: bytes, *, aad: bytes) -> bytes:
    """Reverse `encrypt`; BundleError for a wrong key, other `aad`, truncation or tampering."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    if len(data) < _CONTENT_MIN or data[0] != CONTENT_VERSION:
        raise BundleError(
            "Un contenido cifrado del paquete está incompleto o usa un formato desconocido: el "
            "paquete está dañado."
        )
    nonce = data[1 : 1 + NONCE_BYTES]
    try:
        return ChaCha20Poly1305(key).decrypt(nonce, data[1 + NONCE_BYTES :], _content_aad(aad))
    except (InvalidTag, ValueError) as exc:
        raise BundleError(
            "Un contenido cifrado del paquete no se pudo descifrar: fue modificado o movido "
            "dentro del paquete."
        ) from exc


def same_key(a: bytes, b: bytes) -> bool:
    """Constant-time comparison of public keys (cheap, and nothing to think about)."""
    return hmac.compare_digest(a, b)
