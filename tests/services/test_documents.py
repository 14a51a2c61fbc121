"""Received documents: the file checks, the content-addressed copy, the rows, audit and outbox."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import col, select

from daman_tui.db.models import AuditEntry, Document, OutboxEntry
from daman_tui.domain.enums import DocumentType
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.national_id import make_national_id
from daman_tui.services.cases import PersonInput, create_household, save_draft
from daman_tui.services.documents import (
    MIB,
    FileCheck,
    attach_document,
    check_file,
    document_file,
    list_documents,
    remove_document,
    store_file,
)
from daman_tui.services.views import HouseholdView

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
LIMIT = 10 * MIB


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _refusal(path: Path, max_bytes: int = LIMIT) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_file(path, max_bytes)
    return refused.value


def _household(store, actor, body: str = "23456789") -> HouseholdView:
    nid = make_national_id("citizen", body)
    return create_household(store, actor, PersonInput(national_id=nid, first_name="أحمد"))


def _files(folder: Path) -> list[str]:
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _counts(store) -> tuple[int, int, int]:
    with store.read() as s:
        return (
            len(s.exec(select(Document)).all()),
            len(s.exec(select(AuditEntry)).all()),
            len(s.exec(select(OutboxEntry)).all()),
        )


# -- check_file ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("scan.pdf", PDF, "application/pdf"),
        ("SCAN.PDF", PDF, "application/pdf"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("Photo.JPG", JPEG, "image/jpeg"),
        ("card.png", PNG, "image/png"),
        ("هوية.png", PNG, "image/png"),
    ],
)
def test_each_accepted_type_passes(tmp_path, name, content, mime):
    path = _write(tmp_path, name, content)
    assert check_file(path, LIMIT) == FileCheck(name=name, mime_type=mime, size_bytes=len(content))


def test_a_program_renamed_pdf_is_refused(tmp_path):
    error = _refusal(_write(tmp_path, "report.pdf", EXE))
    assert error.code == "document.type"
    assert error.params["detected"] is None
    assert "غُيّر اسمه" in error.message_ar


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("scan.pdf", PNG, "image/png"),
        ("card.png", JPEG, "image/jpeg"),
        ("photo.jpg", PDF, "application/pdf"),
    ],
)
def test_an_extension_that_disagrees_with_the_content_is_refused(tmp_path, name, content, detected):
    error = _refusal(_write(tmp_path, name, content))
    assert error.code == "document.type"
    assert error.params["detected"] == detected
    assert "لا يطابق محتواه" in error.message_ar


@pytest.mark.parametrize("name", ["setup.exe", "scan.pdf.exe", "scan", "notes.txt", "scan.gif"])
def test_an_extension_outside_the_accepted_ones_is_refused_even_with_good_content(tmp_path, name):
    error = _refusal(_write(tmp_path, name, PDF))
    assert error.code == "document.type"
    assert "تُقبل ملفات PDF وصور JPEG وPNG فقط" in error.message_ar


def test_an_empty_file_is_refused(tmp_path):
    error = _refusal(_write(tmp_path, "scan.pdf", b""))
    assert error.code == "document.empty"


def test_a_file_over_the_limit_is_refused_with_the_limit_and_its_size(tmp_path):
    path = _write(tmp_path, "big.pdf", PDF + b"\0" * (3 * MIB))
    assert check_file(path, 4 * MIB).size_bytes == path.stat().st_size
    error = _refusal(path, 2 * MIB)
    assert error.code == "document.too_large"
    assert error.params["size_bytes"] == path.stat().st_size
    assert error.params["max_bytes"] == 2 * MIB
    assert "3 ميجابايت" in error.message_ar
    assert "2 ميجابايت" in error.message_ar
    assert "2 MB" in error.message_en
    exact = _write(tmp_path, "exact.pdf", PDF + b"\0" * (MIB - len(PDF)))
    assert check_file(exact, MIB).size_bytes == MIB  # the limit itself is allowed


def test_a_missing_path_is_refused(tmp_path):
    assert _refusal(tmp_path / "nowhere.pdf").code == "document.missing"
    under_a_file = _write(tmp_path, "scan.pdf", PDF) / "inner.pdf"
    assert _refusal(under_a_file).code == "document.missing"


def test_a_directory_or_a_fifo_is_not_a_file(tmp_path):
    folder = tmp_path / "scans.pdf"
    folder.mkdir()
    assert _refusal(folder).code == "document.not_file"
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    assert _refusal(fifo).code == "document.not_file"


def test_a_file_that_cannot_be_opened_is_unreadable(tmp_path, monkeypatch):
    path = _write(tmp_path, "scan.pdf", PDF)

    def denied(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)
    error = _refusal(path)
    assert error.code == "document.unreadable"
    assert "تعذّرت قراءة الملف" in error.message_ar


# -- store_file ---------------------------------------------------------------------------


def test_store_file_copies_under_the_content_hash(tmp_path):
    docs = tmp_path / "documents"
    path = _write(tmp_path, "بطاقة العائلة.jpeg", JPEG)
    stored = store_file(docs, path)
    sha = hashlib.sha256(JPEG).hexdigest()
    assert stored.sha256 == sha
    assert stored.size_bytes == len(JPEG)
    assert stored.mime_type == "image/jpeg"
    assert stored.file_name == "بطاقة العائلة.jpeg"
    # One extension per format, so .jpg and .jpeg copies of one scan are one file.
    assert stored.stored_path == f"{sha[:2]}/{sha}.jpg"
    assert (docs / sha[:2] / f"{sha}.jpg").read_bytes() == JPEG
    assert _files(docs) == [stored.stored_path]


def test_an_identical_file_is_stored_once(tmp_path):
    docs = tmp_path / "documents"
    first = store_file(docs, _write(tmp_path, "a.png", PNG))
    copy = docs / first.stored_path
    before = copy.stat()
    second = store_file(docs, _write(tmp_path, "b.png", PNG))
    assert second.stored_path == first.stored_path
    assert second.file_name == "b.png"
    assert _files(docs) == [first.stored_path], "no second copy, no temporary file left"
    after = copy.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    other = store_file(docs, _write(tmp_path, "c.png", PNG + b"\0"))
    assert sorted(_files(docs)) == sorted([first.stored_path, other.stored_path])


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("x.pdf", EXE, "document.type"),
        ("x.pdf", PNG, "document.type"),
        ("x.pdf", b"", "document.empty"),
        ("x.pdf", PDF + b"\0" * 64, "document.too_large"),
    ],
)
def test_store_file_refuses_on_what_it_reads_and_leaves_nothing(tmp_path, name, content, code):
    docs = tmp_path / "documents"
    with pytest.raises(ValidationError) as refused:
        store_file(docs, _write(tmp_path, name, content), max_bytes=len(PDF) + 10)
    assert refused.value.code == code
    assert _files(docs) == []


def test_store_file_refuses_missing_paths_and_folders(tmp_path):
    docs = tmp_path / "documents"
    for path, code in (
        (tmp_path / "gone.pdf", "document.missing"),
        (tmp_path, "document.not_file"),
    ):
        with pytest.raises(ValidationError) as refused:
            store_file(docs, path)
        assert refused.value.code == code
    assert _files(docs) == []


# -- attach, list, remove ------------------------------------------------------------------


def test_attach_writes_the_row_its_audit_and_outbox_and_the_copy(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    app = save_draft(store, staff.clerk, hh.id)
    path = _write(tmp_path, "الهوية.pdf", PDF)
    doc = attach_document(
        store,
        staff.clerk,
        household_id=hh.id,
        doc_type=DocumentType.NATIONAL_ID,
        path=path,
        application_id=app.id,
        person_id=hh.head.person_id,
    )
    assert doc.doc_type == DocumentType.NATIONAL_ID
    assert (doc.household_id, doc.application_id, doc.person_id) == (
        hh.id,
        app.id,
        hh.head.person_id,
    )
    assert (doc.file_name, doc.mime_type, doc.size_bytes) == (
        "الهوية.pdf",
        "application/pdf",
        len(PDF),
    )
    assert doc.sha256 == hashlib.sha256(PDF).hexdigest()
    stored = document_file(store, doc)
    assert stored.is_absolute()
    assert stored.read_bytes() == PDF
    assert stored.is_relative_to(store.settings.documents_path.absolute())
    with store.read() as s:
        row = s.get(Document, doc.id)
        assert row is not None
        assert row.received_by == staff.clerk.id
        assert row.branch_id == hh.branch_id
        assert row.origin_node == store.node().node_id
        audit = s.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc())).first()
        assert audit is not None
        assert (audit.action, audit.entity, audit.entity_id) == (
            "document.attach",
            "document",
            doc.id,
        )
        assert audit.actor_id == staff.clerk.id
        assert audit.after is not None and audit.after["sha256"] == doc.sha256
        outbox = s.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq).desc())).first()
        assert outbox is not None
        assert (outbox.entity, outbox.entity_id, outbox.op) == ("document", doc.id, "insert")


def test_a_refused_file_writes_nothing(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    before = _counts(store)
    for path in (
        _write(tmp_path, "fake.pdf", EXE),
        _write(tmp_path, "empty.png", b""),
        tmp_path / "gone.pdf",
        tmp_path,
    ):
        with pytest.raises(ValidationError):
            attach_document(
                store,
                staff.clerk,
                household_id=hh.id,
                doc_type=DocumentType.OTHER,
                path=path,
            )
    assert _counts(store) == before
    assert _files(store.settings.documents_path) == []


def test_the_store_setting_limits_the_size(store, staff, tmp_path, monkeypatch):
    hh = _household(store, staff.clerk)
    monkeypatch.setattr(store, "settings", store.settings.model_copy(update={"max_document_mb": 1}))
    big = _write(tmp_path, "big.pdf", PDF + b"\0" * MIB)
    with pytest.raises(ValidationError) as refused:
        attach_document(
            store, staff.clerk, household_id=hh.id, doc_type=DocumentType.OTHER, path=big
        )
    assert refused.value.code == "document.too_large"
    assert refused.value.params["limit_mb"] == "1"
    assert list_documents(store, staff.clerk, household_id=hh.id) == []
    assert _files(store.settings.documents_path) == []


def test_the_same_scan_attached_twice_is_two_rows_and_one_copy(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    for name in ("card.jpg", "card-again.jpeg"):
        attach_document(
            store,
            staff.clerk,
            household_id=hh.id,
            doc_type=DocumentType.FAMILY_CARD,
            path=_write(tmp_path, name, JPEG),
        )
    docs = list_documents(store, staff.clerk, household_id=hh.id)
    assert [d.file_name for d in docs] == ["card.jpg", "card-again.jpeg"]
    assert docs[0].stored_path == docs[1].stored_path
    assert _files(store.settings.documents_path) == [docs[0].stored_path]


def test_another_branchs_clerk_is_refused_and_nothing_is_written(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    before = _counts(store)
    path = _write(tmp_path, "scan.pdf", PDF)
    with pytest.raises(PermissionDenied) as refused:
        attach_document(
            store, staff.other_clerk, household_id=hh.id, doc_type=DocumentType.OTHER, path=path
        )
    assert refused.value.code == "permission.branch"
    with pytest.raises(PermissionDenied) as role:
        attach_document(
            store, staff.field_officer, household_id=hh.id, doc_type=DocumentType.OTHER, path=path
        )
    assert role.value.code == "permission.denied"
    with pytest.raises(PermissionDenied):
        list_documents(store, staff.other_clerk, household_id=hh.id)
    assert _counts(store) == before
    assert _files(store.settings.documents_path) == []


def test_links_must_belong_to_the_household(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    other = _household(store, staff.clerk, "34567890")
    other_app = save_draft(store, staff.clerk, other.id)
    path = _write(tmp_path, "scan.pdf", PDF)
    cases = (
        ({"person_id": other.head.person_id}, "document.person"),
        ({"application_id": other_app.id}, "application.unknown"),
        ({"household_id": "no-such-household"}, "household.unknown"),
    )
    for links, code in cases:
        kwargs = {"household_id": hh.id, **links}
        with pytest.raises(ValidationError) as refused:
            attach_document(store, staff.clerk, doc_type=DocumentType.OTHER, path=path, **kwargs)
        assert refused.value.code == code
    assert _files(store.settings.documents_path) == []


def test_list_is_oldest_first_and_filters_by_application(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    app = save_draft(store, staff.clerk, hh.id)
    first = attach_document(
        store,
        staff.clerk,
        household_id=hh.id,
        doc_type=DocumentType.BANK_DETAILS,
        path=_write(tmp_path, "iban.png", PNG),
    )
    second = attach_document(
        store,
        staff.clerk,
        household_id=hh.id,
        doc_type=DocumentType.INCOME_PROOF,
        path=_write(tmp_path, "salary.pdf", PDF),
        application_id=app.id,
    )
    everything = list_documents(store, staff.clerk, household_id=hh.id)
    assert [d.id for d in everything] == [first.id, second.id]
    only_app = list_documents(store, staff.clerk, household_id=hh.id, application_id=app.id)
    assert [d.id for d in only_app] == [second.id]
    assert list_documents(store, staff.supervisor, household_id=hh.id) == everything


def test_remove_tombstones_the_row_and_keeps_the_copy(store, staff, tmp_path):
    hh = _household(store, staff.clerk)
    doc = attach_document(
        store,
        staff.clerk,
        household_id=hh.id,
        doc_type=DocumentType.OTHER,
        path=_write(tmp_path, "scan.pdf", PDF),
    )
    with pytest.raises(PermissionDenied):
        remove_document(store, staff.other_clerk, doc.id)
    remove_document(store, staff.clerk, doc.id)
    assert list_documents(store, staff.clerk, household_id=hh.id) == []
    with store.read() as s:
        row = s.get(Document, doc.id)
        assert row is not None and row.deleted_at is not None and row.row_version == 2
        audit = s.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc())).first()
        assert audit is not None and audit.action == "document.remove"
        outbox = s.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq).desc())).first()
        assert outbox is not None and (outbox.entity_id, outbox.op) == (doc.id, "delete")
    assert document_file(store, doc).read_bytes() == PDF
    with pytest.raises(ValidationError) as again:
        remove_document(store, staff.clerk, doc.id)
    assert again.value.code == "document.unknown"


@pytest.mark.parametrize("stored_path", ["../../etc/passwd", "/etc/passwd", ""])
def test_document_file_never_leaves_the_documents_folder(store, staff, tmp_path, stored_path):
    hh = _household(store, staff.clerk)
    doc = attach_document(
        store,
        staff.clerk,
        household_id=hh.id,
        doc_type=DocumentType.OTHER,
        path=_write(tmp_path, "scan.pdf", PDF),
    )
    with pytest.raises(ValidationError) as refused:
        document_file(store, replace(doc, stored_path=stored_path))
    assert refused.value.code == "document.stored_path"
