"""The content-addressed attachment store: one file per content, complete or absent, checked."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.store.blobs import BlobError, BlobStore, LazyBlobs, referenced


def test_the_same_content_is_stored_once_under_its_sha256(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    photo = b"\xff\xd8\xff\xe0 foto del acta" * 1000
    sha = store.put(photo)
    assert sha == hashlib.sha256(photo).hexdigest()
    assert store.put(photo) == sha
    assert [p.name for p in (tmp_path / "adjuntos").rglob("*") if p.is_file()] == [sha]
    assert store.get(sha) == photo and store.has(sha)


def test_files_are_copied_in_while_hashing(tmp_path: Path) -> None:
    source = tmp_path / "acta-firmada.pdf"
    source.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 5000)
    store = BlobStore(tmp_path / "perfil")
    sha = store.put_file(source)
    assert store.get(sha) == source.read_bytes()
    assert store.put_file(source) == sha  # again: nothing new, no temporary file left
    leftovers = [p.name for p in (tmp_path / "perfil" / "adjuntos").iterdir() if p.is_file()]
    assert leftovers == []
    out = store.export_to(sha, tmp_path / "copia.pdf")
    assert out.read_bytes() == source.read_bytes()


def test_damaged_and_missing_blobs_are_reported_never_served(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"lista de asistencia")
    store.path(sha).write_bytes(b"lista de asistencia (alterada)")
    with pytest.raises(BlobError, match="damaged"):
        store.get(sha)
    with pytest.raises(BlobError, match="missing"):
        store.get("0" * 64)
    with pytest.raises(BlobError, match="not a sha256"):
        store.path("../../etc/passwd")
    assert not store.has("../../etc/passwd")


def test_bytes_arriving_under_a_name_must_match_it(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    with pytest.raises(BlobError):
        store.put_verified("a" * 64, b"otra cosa")
    assert not store.has("a" * 64)


def test_referenced_reads_only_blob_fields_with_valid_hashes() -> None:
    sha = "b" * 64
    ops = [
        {"entity": "attachment", "field": "sha256", "value": f'"{sha}"'},
        {"entity": "attachment", "field": "sha256", "value": '"../no"'},
        {"entity": "attachment", "field": "caption", "value": f'"{"c" * 64}"'},
        {"entity": "attachment", "field": "sha256", "value": None},
    ]
    assert referenced(ops) == {sha}


def test_lazy_blobs_read_from_the_store_only_when_asked(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"foto")
    lazy = LazyBlobs(store, [sha, "d" * 64])
    assert sorted(lazy) == sorted([sha, "d" * 64])
    assert lazy[sha] == b"foto"
    with pytest.raises(KeyError):
        lazy["d" * 64]


@settings(max_examples=50, deadline=None)
@given(st.lists(st.binary(max_size=2000), max_size=8))
def test_any_contents_round_trip(
    tmp_path_factory: pytest.TempPathFactory, items: list[bytes]
) -> None:
    store = BlobStore(tmp_path_factory.mktemp("blobs"))
    shas = [store.put(data) for data in items]
    assert [store.get(sha) for sha in shas] == items
    assert store.missing(shas) == set()
