"""The application receipt: what it says in each language, and the file it writes."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daman_tui.domain.dates import to_hijri
from daman_tui.domain.enums import DocumentType
from daman_tui.domain.money import format_money
from daman_tui.domain.national_id import make_national_id, mask_national_id
from daman_tui.domain.receipt import ReceiptData, decision_due_on
from daman_tui.domain.sla import CALENDAR_DAYS
from daman_tui.services.receipt import (
    ReceiptPdfUnavailable,
    branch_tz,
    find_pdf_font,
    receipt_lines,
    receipt_text,
    receipt_text_bilingual,
    write_receipt,
)
from daman_tui.text.catalog import enum_label
from daman_tui.text.display import visual

RIYADH = ZoneInfo("Asia/Riyadh")
NAME = "عبدالله محمد علي السبيعي"
NID = make_national_id("citizen", "01234567")
DOCUMENTS = (
    (DocumentType.NATIONAL_ID, "هوية (الوجه الأمامي).pdf"),
    (DocumentType.FAMILY_CARD, "family card 2.jpg"),
    (DocumentType.INCOME_PROOF, "salary-2026-10.pdf"),
)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _data(submitted_at: datetime, **changes: object) -> ReceiptData:
    values: dict[str, object] = {
        "request_number": "RYD01-261121-K3F-00042",
        "file_number": "RYD01-F-K3F-00017",
        "submitted_at": submitted_at,
        "branch_name_ar": "فرع الرياض",
        "branch_name_en": "Riyadh branch",
        "clerk_name": "سارة أحمد",
        "applicant_name": NAME,
        "national_id": NID,
        "members": 4,
        "documents": DOCUMENTS,
        "decision_due": decision_due_on(submitted_at, RIYADH, CALENDAR_DAYS),
    }
    values.update(changes)
    return ReceiptData(**values)  # type: ignore[arg-type]


MORNING = datetime(2026, 11, 21, 6, 15, tzinfo=UTC)  # 09:15 in Riyadh
LATE = datetime(2026, 11, 21, 22, 30, tzinfo=UTC)  # 01:30 on the 22nd in Riyadh


def _gregorian(day: date, lang: str) -> str:
    if lang == "ar":
        return f"{day.year:04d}/{day.month:02d}/{day.day:02d}م".translate(ARABIC_INDIC)
    return day.isoformat()


def _hijri(day: date, lang: str) -> str:
    year, month, dom = to_hijri(day)
    if lang == "ar":
        return f"{year:04d}/{month:02d}/{dom:02d}هـ".translate(ARABIC_INDIC)
    return f"{year:04d}-{month:02d}-{dom:02d} AH"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_receipt_carries_every_fact(lang: str):
    data = _data(MORNING)
    text = receipt_text(data, lang, tz=RIYADH)
    assert data.request_number in text
    assert data.file_number in text
    submitted = date(2026, 11, 21)
    assert _gregorian(submitted, lang) in text
    assert _hijri(submitted, lang) in text
    assert data.decision_due == date(2026, 12, 11)
    assert _gregorian(data.decision_due, lang) in text
    assert _hijri(data.decision_due, lang) in text
    assert NAME in text
    assert mask_national_id(NID) in text
    assert NID not in text
    for kind, file_name in DOCUMENTS:
        assert f"{enum_label(kind, lang)}: \u2068{file_name}\u2069" in text
    assert "19911" in text
    assert "19912" not in text
    assert ("فرع الرياض" if lang == "ar" else "Riyadh branch") in text
    assert ("09:15" if lang == "en" else "٠٩:١٥") in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_the_arabic_receipt_speaks_the_programme_terms():
    text = receipt_text(_data(MORNING), "ar", tz=RIYADH)
    assert text.startswith("وزارة الموارد البشرية والتنمية الاجتماعية\n")
    for phrase in (
        "الضمان الاجتماعي المطور",
        "إيصال تقديم الطلب",
        "الرقم الموحد 19911",
        "خلال 20 يومًا",
        "زيارة لمسكنك",
        "رسالة نصية",
        "الاعتراض",
        "عدد أفراد الأسرة: 4",
    ):
        assert phrase in text, phrase


def test_a_late_evening_submission_prints_the_next_day_in_riyadh():
    for lang in ("ar", "en"):
        text = receipt_text(_data(LATE), lang, tz=RIYADH)
        assert _gregorian(date(2026, 11, 22), lang) in text
        assert _hijri(date(2026, 11, 22), lang) in text
        assert _gregorian(date(2026, 11, 21), lang) not in text
        assert ("01:30" if lang == "en" else "٠١:٣٠") in text
        assert _gregorian(date(2026, 12, 12), lang) in text  # due: 20 days from the 22nd


def test_the_default_zone_is_riyadh():
    assert branch_tz() == RIYADH
    assert receipt_lines(_data(LATE), "en") == receipt_lines(_data(LATE), "en", tz=RIYADH)


def test_values_of_the_other_direction_are_isolated_so_they_read_right():
    lines = receipt_lines(_data(MORNING), "ar", tz=RIYADH)
    id_line = next(line for line in lines if mask_national_id(NID) in line)
    assert f"\u2066{mask_national_id(NID)}\u2069" in id_line
    # Drawn by our own bidi pipeline, the masked ID keeps its order: first digit, dots,
    # last four; without the isolate the UBA would show the last four first.
    assert mask_national_id(NID) in visual(id_line)
    bare = id_line.replace("\u2066", "").replace("\u2069", "")
    assert mask_national_id(NID) not in visual(bare)


def test_the_preview_is_printed_as_an_expectation_only():
    amount = 165_000
    eligible = _data(MORNING, preview_eligible=True, preview_entitlement_halalas=amount)
    ar = receipt_text(eligible, "ar", tz=RIYADH)
    en = receipt_text(eligible, "en", tz=RIYADH)
    assert "ليست قرارًا" in ar and format_money(amount, "ar") in ar
    assert "not a decision" in en and format_money(amount, "en") in en

    without_amount = receipt_text(_data(MORNING, preview_eligible=True), "en", tz=RIYADH)
    assert "appear to be met." in without_amount and "SAR" not in without_amount

    not_eligible = receipt_text(_data(MORNING, preview_eligible=False), "en", tz=RIYADH)
    assert "may not be met" in not_eligible and "SAR" not in not_eligible

    none = receipt_text(_data(MORNING), "en", tz=RIYADH)
    assert "estimate" not in none


def test_no_documents_is_said_in_words():
    text = receipt_text(_data(MORNING, documents=()), "ar", tz=RIYADH)
    assert "لم تُستلم مستندات" in text


@pytest.mark.parametrize(
    ("days", "ar", "en"),
    [
        (1, "خلال يوم واحد", "within 1 day"),
        (2, "خلال يومين", "within 2 days"),
        (10, "خلال 10 أيام", "within 10 days"),
        (30, "خلال 30 يومًا", "within 30 days"),
    ],
)
def test_the_limit_is_counted_in_good_arabic(days: int, ar: str, en: str):
    data = _data(MORNING, decision_limit_days=days)
    assert ar in receipt_text(data, "ar", tz=RIYADH)
    assert en in receipt_text(data, "en", tz=RIYADH)


def test_the_bilingual_receipt_is_arabic_then_english():
    data = _data(MORNING)
    text = receipt_text_bilingual(data, tz=RIYADH)
    ar, en = receipt_text(data, "ar", tz=RIYADH), receipt_text(data, "en", tz=RIYADH)
    assert text == ar + "=" * 40 + "\n" + en


def test_the_written_file_is_logical_utf8_and_reads_back_identical(tmp_path: Path):
    data = _data(LATE)
    path = write_receipt(tmp_path / "receipt.txt", data, tz=RIYADH)
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    text = raw.decode("utf-8")
    assert text == receipt_text_bilingual(data, tz=RIYADH)
    assert NAME in text  # logical order: neither shaped nor reversed
    assert NAME[::-1] not in text
    assert visual(NAME) not in text
    assert NID not in text
    assert [p.name for p in tmp_path.iterdir()] == ["receipt.txt"]

    arabic_only = write_receipt(tmp_path / "ar.txt", data, lang="ar", tz=RIYADH)
    assert arabic_only.read_text(encoding="utf-8") == receipt_text(data, "ar", tz=RIYADH)


def test_an_unknown_format_is_refused_and_leaves_nothing(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown receipt format"):
        write_receipt(tmp_path / "r.doc", _data(MORNING), fmt="doc")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_without_the_pdf_stack_pdf_is_refused_and_text_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "fpdf" else real(name, *a),
    )
    with pytest.raises(ReceiptPdfUnavailable, match="fpdf2"):
        write_receipt(tmp_path / "r.pdf", _data(MORNING), fmt="pdf", font=tmp_path / "x.ttf")
    assert list(tmp_path.iterdir()) == []
    write_receipt(tmp_path / "r.txt", _data(MORNING))


def test_without_fontconfig_the_font_must_be_given(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ReceiptPdfUnavailable, match="fontconfig"):
        find_pdf_font()


def test_pdf_receipt(tmp_path: Path):
    # fpdf2 and uharfbuzz are dependencies, and scripts/test installs an Arabic font.
    font = find_pdf_font()
    data = _data(MORNING, preview_eligible=True, preview_entitlement_halalas=165_000)
    path = write_receipt(tmp_path / "receipt.pdf", data, fmt="pdf", font=font, tz=RIYADH)
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF-")
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "scripts/test installs poppler-utils"
    if pdftotext:
        text = subprocess.run(
            [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert data.request_number in text
        assert "19911" in text
        assert NID not in text
