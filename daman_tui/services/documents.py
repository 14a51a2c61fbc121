"""Received documents: check a file, copy it into the store, record it, list and remove it.

Only PDF, JPEG and PNG are accepted, recognised by their content (the first bytes), and
the file's extension must agree with the content: a renamed program or a PNG called
``.pdf`` is refused before anything is written. Accepted files are copied
content-addressed into the documents folder (``<sha[:2]>/<sha><ext>``), so the same scan
received twice is stored once and a stored copy never changes under its row.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import BinaryIO, NoReturn

from sqlmodel import Session, col, select

from daman_tui.db.models import Application, Document, Household, HouseholdMember
from daman_tui.domain.enums import DocumentType
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.national_id import validate_national_id
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.services.store import Store
from daman_tui.services.views import DocumentView

__all__ = [
    "ACCEPTED",
    "ACCEPTED_EXTENSIONS",
    "MIB",
    "FileCheck",
    "FileType",
    "StoredFile",
    "attach_document",
    "check_file",
    "document_file",
    "document_view",
    "list_documents",
    "remove_document",
    "store_file",
]

MIB = 1024 * 1024
"""Bytes in one of the settings' megabytes (``max_document_mb``)."""

_CHUNK = MIB


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: how its content starts and the extensions it may carry."""

    label: str
    mime_type: str
    magic: bytes
    extensions: tuple[str, ...]  # the first is the one stored copies get


ACCEPTED: tuple[FileType, ...] = (
    FileType("PDF", "application/pdf", b"%PDF-", (".pdf",)),
    FileType("JPEG", "image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
    FileType("PNG", "image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
)
"""The document formats a branch accepts."""

ACCEPTED_EXTENSIONS: frozenset[str] = frozenset(e for kind in ACCEPTED for e in kind.extensions)
"""Lower-case extensions, with their dot, of the accepted formats."""

_MAGIC_BYTES = max(len(kind.magic) for kind in ACCEPTED)


@dataclass(frozen=True)
class FileCheck:
    """A file that passed :func:`check_file`."""

    name: str
    mime_type: str
    size_bytes: int


@dataclass(frozen=True)
class StoredFile:
    """A file copied into the documents folder by :func:`store_file`."""

    sha256: str
    size_bytes: int
    mime_type: str
    stored_path: str  # relative to the documents folder, with forward slashes
    file_name: str  # as the file was called where it came from


def _megabytes(size: int) -> str:
    return f"{size / MIB:.1f}".removesuffix(".0")


def _refuse(code: str, message_ar: str, message_en: str, **params: object) -> NoReturn:
    raise ValidationError(code, message_ar, message_en, **params)


def _missing(name: str) -> NoReturn:
    _refuse(
        "document.missing",
        f"لم يُعثر على الملف «{name}»؛ تأكد من المسار واسم الملف.",
        f"The file '{name}' was not found; check the path and the name.",
        name=name,
    )


def _not_file(name: str) -> NoReturn:
    _refuse(
        "document.not_file",
        f"«{name}» ليس ملفًا بل مجلد أو جهاز؛ اختر ملف المستند نفسه.",
        f"'{name}' is a folder or a device, not a file; choose the document's file itself.",
        name=name,
    )


def _unreadable(name: str) -> NoReturn:
    _refuse(
        "document.unreadable",
        f"تعذّرت قراءة الملف «{name}»؛ تحقق من صلاحية الوصول إليه أو انسخه إلى مجلد آخر.",
        f"The file '{name}' could not be read; check its permissions or copy it elsewhere.",
        name=name,
    )


def _empty(name: str) -> NoReturn:
    _refuse(
        "document.empty",
        f"الملف «{name}» فارغ؛ أعد مسح المستند ضوئيًا أو احفظه من جديد.",
        f"The file '{name}' is empty; scan or save the document again.",
        name=name,
    )


def _too_large(name: str, size: int, max_bytes: int) -> NoReturn:
    limit, actual = _megabytes(max_bytes), _megabytes(size)
    _refuse(
        "document.too_large",
        f"حجم الملف «{name}» {actual} ميجابايت، والحد الأقصى المسموح به {limit} ميجابايت؛ "
        "امسحه بدقة أقل أو قسّمه إلى أكثر من ملف.",
        f"The file '{name}' is {actual} MB; the largest accepted is {limit} MB. "
        "Scan it at a lower resolution or split it.",
        name=name,
        size_bytes=size,
        max_bytes=max_bytes,
        size_mb=actual,
        limit_mb=limit,
    )


def _file_type(name: str, head: bytes) -> FileType:
    """The accepted format of a file called ``name`` starting with ``head``, or a refusal."""
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED_EXTENSIONS:
        _refuse(
            "document.type",
            f"نوع الملف «{name}» غير مقبول؛ تُقبل ملفات PDF وصور JPEG وPNG فقط.",
            f"The file '{name}' is not an accepted type; only PDF, JPEG and PNG are accepted.",
            name=name,
            extension=extension,
            detected=None,
        )
    by_content = next((kind for kind in ACCEPTED if head.startswith(kind.magic)), None)
    if by_content is None:
        _refuse(
            "document.type",
            f"محتوى الملف «{name}» ليس PDF ولا صورة JPEG أو PNG مع أن امتداده {extension}؛ "
            "قد يكون ملفًا من نوع آخر غُيّر اسمه، فلا يُقبل.",
            f"The content of '{name}' is neither PDF nor a JPEG or PNG image although it is "
            f"named {extension}; it may be another kind of file renamed, and is refused.",
            name=name,
            extension=extension,
            detected=None,
        )
    if extension not in by_content.extensions:
        _refuse(
            "document.type",
            f"امتداد الملف «{name}» ({extension}) لا يطابق محتواه، فهو في الحقيقة "
            f"{by_content.label}؛ احفظه بالامتداد الصحيح ثم أرفقه.",
            f"The extension of '{name}' ({extension}) does not match its content, which is "
            f"{by_content.label}; save it with the right extension and attach it again.",
            name=name,
            extension=extension,
            detected=by_content.mime_type,
        )
    return by_content


def check_file(path: Path, max_bytes: int) -> FileCheck:
    """Whether ``path`` may be received as a document; refusals raise ValidationError.

    One ``stat`` and a read of the first few bytes: cheap enough to run as the clerk
    picks the file, before anything is copied.
    """
    name = path.name or str(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        _missing(name)
    except OSError:
        _unreadable(name)
    # Checked before opening: opening a FIFO or a device would block or read forever.
    if not stat.S_ISREG(info.st_mode):
        _not_file(name)
    if info.st_size == 0:
        _empty(name)
    if info.st_size > max_bytes:
        _too_large(name, info.st_size, max_bytes)
    try:
        with path.open("rb") as fh:
            head = fh.read(_MAGIC_BYTES)
    except OSError:
        _unreadable(name)
    kind = _file_type(name, head)
    return FileCheck(name=name, mime_type=kind.mime_type, size_bytes=info.st_size)


def store_file(documents_dir: Path, path: Path, *, max_bytes: int | None = None) -> StoredFile:
    """Copy ``path`` into ``documents_dir`` under its content hash; the copy is durable.

    The file is read once: hashed while it is written to a temporary file, which is
    synced and renamed into place. Its name is only known once the content has been
    read, so the temporary file lives in ``documents_dir`` itself: on the same file
    system as its final folder, which keeps the rename atomic. When an identical file is
    already stored the temporary copy is dropped and the stored one left untouched.

    The content is checked again as it is read (type, emptiness and, given ``max_bytes``,
    size), since the file may have changed since :func:`check_file`; a refusal leaves
    nothing behind.
    """
    name = path.name or str(path)
    documents_dir.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=documents_dir, prefix=".incoming-", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            sha, size, head = _copy_hashing(path, name, out, max_bytes)
            if size == 0:
                _empty(name)
            kind = _file_type(name, head)
            out.flush()
            os.fsync(out.fileno())
        relative = PurePosixPath(sha[:2], f"{sha}{kind.extensions[0]}")
        target = documents_dir.joinpath(*relative.parts)
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            temp.unlink()
        else:
            os.replace(temp, target)
            _fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    return StoredFile(
        sha256=sha,
        size_bytes=size,
        mime_type=kind.mime_type,
        stored_path=relative.as_posix(),
        file_name=name,
    )


def _copy_hashing(
    path: Path, name: str, out: BinaryIO, max_bytes: int | None
) -> tuple[str, int, bytes]:
    """Copy ``path`` to ``out``: its sha256 (hex), its size and its first bytes."""
    try:
        src = path.open("rb")
    except (FileNotFoundError, NotADirectoryError):
        _missing(name)
    except IsADirectoryError:
        _not_file(name)
    except OSError:
        _unreadable(name)
    digest = hashlib.sha256()
    size = 0
    head = b""
    with src:
        while True:
            try:
                chunk = src.read(_CHUNK)
            except OSError:
                _unreadable(name)
            if not chunk:
                break
            if len(head) < _MAGIC_BYTES:
                head += chunk[: _MAGIC_BYTES - len(head)]
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                _too_large(name, size, max_bytes)
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest(), size, head


def _fsync_dir(folder: Path) -> None:
    """Make a rename into ``folder`` durable, where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; NTFS journals the rename itself
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is synced
    finally:
        os.close(fd)


def _household(session: Session, household_id: str) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.deleted_at is not None:
        raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
    return household


def _check_links(
    session: Session, household_id: str, application_id: str | None, person_id: str | None
) -> None:
    """The application and the person a document is given for belong to its household."""
    if application_id is not None:
        app = session.get(Application, application_id)
        if app is None or app.deleted_at is not None or app.household_id != household_id:
            raise ValidationError(
                "application.unknown",
                "الطلب غير موجود في ملف هذه الأسرة.",
                "No such application on this household's file.",
                application_id=application_id,
            )
    if person_id is not None:
        member = session.exec(
            select(HouseholdMember.id)
            .where(HouseholdMember.household_id == household_id)
            .where(HouseholdMember.person_id == person_id)
            .where(col(HouseholdMember.deleted_at).is_(None))
        ).first()
        if member is None:
            raise ValidationError(
                "document.person",
                "هذا الشخص ليس من أفراد الأسرة؛ أرفق المستند لأحد أفرادها أو للأسرة كلها.",
                "This person is not a member of the household; attach the document to a "
                "member or to the whole household.",
                person_id=person_id,
            )


def document_view(doc: Document) -> DocumentView:
    return DocumentView(
        id=doc.id,
        household_id=doc.household_id,
        application_id=doc.application_id,
        person_id=doc.person_id,
        doc_type=DocumentType(doc.doc_type),
        file_name=doc.file_name,
        mime_type=doc.mime_type,
        size_bytes=doc.size_bytes,
        sha256=doc.sha256,
        stored_path=doc.stored_path,
        received_at=doc.received_at,
        subject_national_id=doc.subject_national_id,
    )


def attach_document(
    store: Store,
    actor: Actor,
    *,
    household_id: str,
    doc_type: DocumentType,
    path: Path,
    application_id: str | None = None,
    person_id: str | None = None,
    subject_national_id: str | None = None,
) -> DocumentView:
    """Receive the file at ``path`` as a ``doc_type`` document of the household.

    ``subject_national_id`` names whom the document is about when that person has no row
    yet (a dependent in a draft); it is checked like any ID number.

    Checked (permission, links, the file) before anything is written; the file is copied
    before the transaction opens, so no write lock is held while a large scan is copied.
    A refused file leaves neither a row nor a copy.
    """
    if subject_national_id is not None:
        subject_national_id = validate_national_id(subject_national_id)
    with store.read() as session:
        household = _household(session, household_id)
        require(actor, Permission.EDIT_APPLICATION, household.branch_id)
        _check_links(session, household_id, application_id, person_id)
    max_bytes = store.settings.max_document_mb * MIB
    check_file(path, max_bytes)
    stored = store_file(store.settings.documents_path, path, max_bytes=max_bytes)
    with store.write(actor) as uow:
        # Again inside the transaction: the household may have changed while copying.
        household = _household(uow.session, household_id)
        _check_links(uow.session, household_id, application_id, person_id)
        doc = uow.add(
            Document(
                branch_id=household.branch_id,
                household_id=household_id,
                application_id=application_id,
                person_id=person_id,
                subject_national_id=subject_national_id,
                doc_type=doc_type,
                file_name=stored.file_name,
                mime_type=stored.mime_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                stored_path=stored.stored_path,
                received_by=actor.id,
            ),
            action="document.attach",
        )
        return document_view(doc)


def list_documents(
    store: Store, actor: Actor, *, household_id: str, application_id: str | None = None
) -> list[DocumentView]:
    """The household's documents (only ``application_id``'s when given), oldest first."""
    with store.read() as session:
        household = _household(session, household_id)
        require(actor, Permission.VIEW_CASES, household.branch_id)
        query = (
            select(Document)
            .where(Document.household_id == household_id)
            .where(col(Document.deleted_at).is_(None))
            .order_by(col(Document.received_at), col(Document.id))
        )
        if application_id is not None:
            query = query.where(Document.application_id == application_id)
        return [document_view(doc) for doc in session.exec(query).all()]


def remove_document(store: Store, actor: Actor, document_id: str) -> None:
    """Withdraw a document: its row is tombstoned, its stored copy kept.

    The copy stays because rows are never hard-deleted (the audit trail and sync still
    name it) and because the same content may back another document.
    """
    with store.write(actor) as uow:
        doc = uow.session.get(Document, document_id)
        if doc is None or doc.deleted_at is not None:
            raise ValidationError(
                "document.unknown",
                "المستند غير موجود.",
                "Unknown document.",
                document_id=document_id,
            )
        require(actor, Permission.EDIT_APPLICATION, doc.branch_id)
        uow.tombstone(doc, action="document.remove")


def document_file(store: Store, doc: DocumentView) -> Path:
    """The absolute path of ``doc``'s stored copy.

    A stored path that would leave the documents folder is refused: rows also arrive by
    sync, and a path is never trusted to open a file elsewhere on the machine.
    """
    relative = PurePosixPath(doc.stored_path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ValidationError(
            "document.stored_path",
            "مسار نسخة المستند المحفوظة غير صالح.",
            "The stored copy's path is not valid.",
            stored_path=doc.stored_path,
        )
    return store.settings.documents_path.absolute().joinpath(*relative.parts)
