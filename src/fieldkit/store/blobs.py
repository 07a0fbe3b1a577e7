"""Content-addressed attachment store (DESIGN §6, §9): the bytes of photos, scanned acts and
documents live beside the database, one file per distinct content, named by its sha256.

The same photo attached twice, or arriving in ten bundles, is stored once. Files are written to a
temporary name, synced and renamed, so a file under its final name is always complete; a file
whose content no longer matches its name (a failing disk) is reported, never served.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

FOLDER = "adjuntos"
CHUNK = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}\Z")


class BlobError(Exception):
    """A blob that is not there or not what its name says."""


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256.match(value) is not None


class BlobStore:
    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / FOLDER

    def path(self, sha: str) -> Path:
        if not is_sha256(sha):
            raise BlobError(f"not a sha256: {sha!r}")
        return self.root / sha[:2] / sha

    def has(self, sha: str) -> bool:
        return is_sha256(sha) and self.path(sha).is_file()

    def missing(self, shas: Iterable[str]) -> set[str]:
        return {sha for sha in shas if not self.has(sha)}

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        if not self.has(sha):
            self._write(sha, [data])
        return sha

    def put_verified(self, sha: str, data: bytes) -> None:
        """Store bytes that arrived under a name (a bundle member): refuse a mismatch."""
        if hashlib.sha256(data).hexdigest() != sha:
            raise BlobError(f"content does not match {sha}")
        if not self.has(sha):
            self._write(sha, [data])

    def put_file(self, source: Path) -> str:
        """Copy a file in, hashing while reading (a 200 MB video is not held in memory)."""
        digest = hashlib.sha256()
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entrando-", dir=self.root)
        try:
            with os.fdopen(fd, "wb") as out, Path(source).open("rb") as src:
                while chunk := src.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.is_file():
                return sha
            target.parent.mkdir(exist_ok=True)
            os.replace(tmp, target)
            tmp = ""
            return sha
        finally:
            if tmp:
                Path(tmp).unlink(missing_ok=True)

    def get(self, sha: str) -> bytes:
        """The bytes, checked against their name."""
        try:
            data = self.path(sha).read_bytes()
        except FileNotFoundError:
            raise BlobError(f"missing: {sha}") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise BlobError(f"damaged: {sha}")
        return data

    def export_to(self, sha: str, target: Path) -> Path:
        """Copy the bytes out (to open an attachment with another program)."""
        self.get(sha)  # checked first: never hand out damaged bytes
        shutil.copyfile(self.path(sha), target)
        return target

    def _write(self, sha: str, chunks: Iterable[bytes]) -> None:
        target = self.path(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entrando-", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


# Which synced fields hold the sha256 of an attachment's bytes: export sends those bytes along
# with the operations, import stores them. Later entities add theirs here.
BLOB_FIELDS: frozenset[tuple[str, str]] = frozenset({("attachment", "sha256"), ("form", "sha256")})


def referenced(ops: Iterable[dict[str, object]]) -> set[str]:
    """The blobs that operations point at (their values are JSON text)."""
    import json

    out: set[str] = set()
    for op in ops:
        if (op["entity"], op["field"]) in BLOB_FIELDS and op["value"] is not None:
            value = json.loads(str(op["value"]))
            if is_sha256(value):
                out.add(value)
    return out


class LazyBlobs(dict[str, bytes]):
    """The blobs of an export, read from the store only when the bundle writer reaches them."""

    def __init__(self, store: BlobStore, shas: Iterable[str]) -> None:
        super().__init__({sha: b"" for sha in shas})
        self.store = store

    def __getitem__(self, sha: str) -> bytes:
        try:
            return self.store.path(sha).read_bytes()  # the bundle writer checks the hash
        except FileNotFoundError:
            raise KeyError(sha) from None
