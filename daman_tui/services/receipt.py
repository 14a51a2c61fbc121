"""The application receipt (إيصال تقديم الطلب) as text, and as a file for the printer.

The lines are logical-order Unicode, never shaped or reordered: a file holds what was
meant, and every viewer, printer driver or PDF shaper does its own bidi. What this
module adds for them are isolates around values whose direction differs from the
sentence around them (an ID or a Latin file name in an Arabic line): without them the
Unicode Bidirectional Algorithm is *right* to show ``1•••••1234`` as ``1234•••••1`` in
an Arabic line, and the clerk reading back "first digit, last four" would read the
wrong ones. Isolates are what the UBA provides for this; our own pipeline
(:mod:`daman_tui.text.bidi`) and fpdf2 both honour them.

PDF output needs fpdf2 with uharfbuzz (Arabic shaping) and an Arabic-capable font; both
are optional: without them ``fmt="pdf"`` raises :class:`ReceiptPdfUnavailable` and text
still works.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Sequence
from datetime import tzinfo
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from daman_tui.domain.dates import format_gregorian, format_hijri
from daman_tui.domain.money import format_money
from daman_tui.domain.national_id import mask_national_id
from daman_tui.domain.receipt import ReceiptData
from daman_tui.services.intake import Submitted
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, t

__all__ = [
    "BRANCH_TIME_ZONE",
    "PDF_FONT_FAMILIES",
    "UNIFIED_NUMBER",
    "ReceiptPdfUnavailable",
    "branch_tz",
    "find_pdf_font",
    "receipt_for",
    "receipt_lines",
    "receipt_text",
    "receipt_text_bilingual",
    "save_receipt",
    "write_receipt",
]

BRANCH_TIME_ZONE = "Asia/Riyadh"
"""Every branch is in the Kingdom, which has one time zone and no daylight saving."""

UNIFIED_NUMBER = "19911"
"""The programme's contact centre (seed 003); 19912 is Citizen Account, another programme."""

PDF_FONT_FAMILIES: tuple[str, ...] = (
    "Amiri",
    "Noto Naskh Arabic",
    "Noto Sans Arabic",
    "DejaVu Sans",
)
"""Fonts tried for a PDF, best first; all are freely licensed (OFL or the DejaVu licence).

Amiri and the Noto faces are designed for Arabic; DejaVu Sans only covers it, but it is
on almost every Linux machine, so a PDF can still be printed where nothing better is.
"""

_LRI, _FSI, _PDI = "\u2066", "\u2068", "\u2069"
_TO_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_RULE = "-" * 40
_LANG_RULE = "=" * 40


class ReceiptPdfUnavailable(RuntimeError):
    """A PDF cannot be made on this machine (library or font missing); text still can."""


@cache
def branch_tz() -> tzinfo:
    """The branches' time zone, read once (the tz database lookup touches the disk)."""
    return ZoneInfo(BRANCH_TIME_ZONE)


def _ltr(value: str) -> str:
    # Numbers with separators or mask dots are left-to-right whatever surrounds them.
    return f"{_LRI}{value}{_PDI}"


def _isolated(value: str) -> str:
    # Names and file names take their direction from their own first letter, and do not
    # pull the punctuation of the sentence into it.
    return f"{_FSI}{value}{_PDI}"


def _day_count(days: int, lang: str) -> str:
    # Arabic counts nouns in four forms: يوم واحد، يومان، ٣-١٠ أيام، ١١ فأكثر يومًا.
    if days == 1:
        form = "one"
    elif days == 2:
        form = "two"
    elif 3 <= days <= 10:
        form = "few"
    else:
        form = "many"
    return t(f"receipt.days_{form}", lang, count=days)


def receipt_lines(data: ReceiptData, lang: str, *, tz: tzinfo | None = None) -> list[str]:
    """The receipt in ``lang`` ("ar" or "en"), one logical-order line per item.

    Times and days are those of ``tz`` (default: :func:`branch_tz`). Empty strings are
    blank lines between sections.
    """
    zone = tz if tz is not None else branch_tz()
    local = data.submitted_local(zone)
    day = local.date()
    clock = f"{local:%H:%M}"
    if lang == "ar":
        clock = clock.translate(_TO_ARABIC_INDIC)
    branch = data.branch_name_ar if lang == "ar" else data.branch_name_en

    lines = [
        t("receipt.ministry", lang),
        t("receipt.programme", lang),
        t("receipt.title", lang),
        _RULE,
        t("receipt.branch", lang, branch=_isolated(branch)),
        t("receipt.request_number", lang, number=_ltr(data.request_number)),
        t("receipt.file_number", lang, number=_ltr(data.file_number)),
        t(
            "receipt.submitted",
            lang,
            gregorian=format_gregorian(day, lang),
            hijri=format_hijri(day, lang),
            time=clock,
        ),
        t("receipt.clerk", lang, name=_isolated(data.clerk_name)),
        "",
        t("receipt.applicant", lang, name=_isolated(data.applicant_name)),
        t("receipt.national_id", lang, id=_ltr(mask_national_id(data.national_id))),
        t("receipt.members", lang, count=data.members),
        "",
    ]

    if data.documents:
        lines.append(t("receipt.documents", lang, count=len(data.documents)))
        lines.extend(
            t("receipt.document", lang, type=enum_label(kind, lang), file=_isolated(name))
            for kind, name in data.documents
        )
    else:
        lines.append(t("receipt.no_documents", lang))

    if data.preview_eligible is not None:
        lines += ["", t("receipt.preview_heading", lang)]
        amount = data.preview_entitlement_halalas
        if not data.preview_eligible:
            lines.append(t("receipt.preview_not_eligible", lang))
        elif amount is None:
            lines.append(t("receipt.preview_eligible", lang))
        else:
            lines.append(
                t("receipt.preview_eligible_amount", lang, amount=format_money(amount, lang))
            )
        lines.append(t("receipt.preview_note", lang))

    due = data.decision_due
    lines += [
        "",
        t("receipt.next_heading", lang),
        t(
            "receipt.next_review",
            lang,
            days=_day_count(data.decision_limit_days, lang),
            gregorian=format_gregorian(due, lang),
            hijri=format_hijri(due, lang),
        ),
        t("receipt.next_pause", lang),
        t("receipt.next_visit", lang),
        t("receipt.next_sms", lang),
        t("receipt.next_objection", lang),
        _RULE,
        t("receipt.contact", lang, number=UNIFIED_NUMBER),
        t("receipt.keep", lang),
    ]
    return lines


def receipt_text(data: ReceiptData, lang: str, *, tz: tzinfo | None = None) -> str:
    """:func:`receipt_lines` as one text with a trailing newline."""
    return "\n".join(receipt_lines(data, lang, tz=tz)) + "\n"


def receipt_text_bilingual(data: ReceiptData, *, tz: tzinfo | None = None) -> str:
    """The Arabic receipt, a separator line, then the English one."""
    return receipt_text(data, "ar", tz=tz) + _LANG_RULE + "\n" + receipt_text(data, "en", tz=tz)


ReceiptLang = Literal["ar", "en", "both"]


def write_receipt(
    path: Path,
    data: ReceiptData,
    *,
    fmt: Literal["txt", "pdf"] = "txt",
    lang: ReceiptLang = "both",
    tz: tzinfo | None = None,
    font: Path | None = None,
) -> Path:
    """Write the receipt to ``path`` and return it.

    ``txt``: UTF-8 without a BOM, "\\n" line ends on every OS, logical order. ``pdf``:
    one page per language, Arabic shaped and laid out right to left; ``font`` overrides
    :func:`find_pdf_font`. ``lang`` "both" is Arabic then English (the default: an
    applicant may hand it to someone who reads only one of them).

    The file appears whole or not at all (written beside ``path``, then renamed), so a
    print spooler watching the folder never picks up half a receipt.
    """
    langs: tuple[str, ...] = ("ar", "en") if lang == "both" else (lang,)
    zone = tz if tz is not None else branch_tz()
    partial = path.with_name(f".{path.name}.partial")
    try:
        if fmt == "txt":
            if lang == "both":
                text = receipt_text_bilingual(data, tz=zone)
            else:
                text = receipt_text(data, lang, tz=zone)
            partial.write_text(text, encoding="utf-8", newline="\n")
        elif fmt == "pdf":
            pages = [(code, receipt_lines(data, code, tz=zone)) for code in langs]
            _write_pdf(partial, pages, font if font is not None else find_pdf_font())
        else:
            raise ValueError(f"unknown receipt format {fmt!r}; expected 'txt' or 'pdf'")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def find_pdf_font() -> Path:
    """The first of :data:`PDF_FONT_FAMILIES` that fontconfig knows as Arabic-capable.

    Raises :class:`ReceiptPdfUnavailable` without fontconfig or without any of them.
    """
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise ReceiptPdfUnavailable(
            "fontconfig (fc-list) is not installed: pass an Arabic font file explicitly"
        )
    # ":lang=ar" keeps only fonts fontconfig has checked to cover the Arabic alphabet.
    listing = subprocess.run(
        [fc_list, "--format", "%{family[0]}\t%{style[0]}\t%{file}\n", ":lang=ar"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    regular: dict[str, Path] = {}
    for row in listing.splitlines():
        parts = row.split("\t")
        if len(parts) != 3:
            continue
        family, style, file = parts
        if style in ("Regular", "Book") and file.lower().endswith((".ttf", ".otf")):
            regular.setdefault(family, Path(file))
    for family in PDF_FONT_FAMILIES:
        if family in regular:
            return regular[family]
    raise ReceiptPdfUnavailable(
        "no Arabic font found for the PDF receipt; install one of: " + ", ".join(PDF_FONT_FAMILIES)
    )


def _write_pdf(path: Path, pages: Sequence[tuple[str, list[str]]], font: Path) -> None:
    if importlib.util.find_spec("fpdf") is None or importlib.util.find_spec("uharfbuzz") is None:
        raise ReceiptPdfUnavailable(
            "PDF receipts need the fpdf2 and uharfbuzz packages; the text receipt works without"
        )
    # Imported by name: the PDF stack is optional, and this keeps type checking of the
    # rest of the module independent of whether it is installed.
    fpdf = importlib.import_module("fpdf")
    pdf = fpdf.FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("receipt", "", str(font))
    for lang, lines in pages:
        rtl = lang == "ar"
        pdf.add_page()
        # Shaping by HarfBuzz, and fpdf2's own bidi per line; the paragraph direction is
        # given rather than guessed, because a line may open with a Latin value.
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
        for number, line in enumerate(lines):
            title = number < 3
            pdf.set_font("receipt", size=15 if title else 11)
            if not line:
                pdf.ln(4)
                continue
            pdf.multi_cell(
                0,
                8 if title else 6.5,
                line,
                align="C" if title else ("R" if rtl else "L"),
                new_x="LMARGIN",
                new_y="NEXT",
            )
    pdf.output(str(path))


def receipt_for(submitted: Submitted, clerk_name: str) -> ReceiptData:
    """What the receipt of a submission prints."""
    app = submitted.application
    if app.submitted_at is None:
        raise ValueError("a receipt is for a submitted application")
    preview = submitted.preview
    return ReceiptData(
        request_number=app.request_number,
        file_number=submitted.file_number,
        submitted_at=app.submitted_at,
        branch_name_ar=submitted.branch_name_ar,
        branch_name_en=submitted.branch_name_en,
        clerk_name=clerk_name,
        applicant_name=submitted.applicant_name,
        national_id=submitted.national_id,
        members=submitted.members,
        documents=tuple((d.doc_type, d.file_name) for d in submitted.documents),
        decision_due=submitted.decision_due,
        preview_eligible=preview.eligible if preview is not None else None,
        preview_entitlement_halalas=preview.entitlement_halalas
        if preview is not None and preview.eligible
        else None,
    )


def save_receipt(store: Store, data: ReceiptData, *, fmt: Literal["txt", "pdf"] = "txt") -> Path:
    """Write the receipt into the store's receipts folder (beside its documents)."""
    folder = store.settings.documents_path.parent / "receipts"
    folder.mkdir(parents=True, exist_ok=True)
    return write_receipt(folder / f"{data.request_number}.{fmt}", data, fmt=fmt)
