"""Sync by bundle files (DESIGN §5–6): device keys and the signed, encrypted `.fkb` format.

Pure file and crypto code: it imports nothing of fieldkit but the domain's errors and `N_`, and no
database or Qt. The services read the change log, choose what to send and apply what arrives.
"""

from __future__ import annotations

from fieldkit.sync.bundle import (
    FORMAT,
    FORMAT_VERSION,
    KINDS,
    OP_FIELDS,
    Bundle,
    Device,
    Limits,
    Manifest,
    Member,
    peek,
    read_bundle,
    write_bundle,
)
from fieldkit.sync.crypto import BundleError, DeviceKeys, PublicKeys, fingerprint

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "OP_FIELDS",
    "Bundle",
    "BundleError",
    "Device",
    "DeviceKeys",
    "Limits",
    "Manifest",
    "Member",
    "PublicKeys",
    "fingerprint",
    "peek",
    "read_bundle",
    "write_bundle",
]
