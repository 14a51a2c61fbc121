"""The test pattern `daman doctor` shows, so a technician can see which bidi mode reads right."""

from __future__ import annotations

from daman_tui.text.display import visual

__all__ = ["TEST_PATTERN", "pattern_lines"]

# One line per trap of ARABIC.md: digits inside Arabic, an IBAN, a date in both calendars,
# brackets around Latin, harakat, lam-alef, and a name that must not become a ligature.
TEST_PATTERN: tuple[str, ...] = (
    "الضمان الاجتماعي المطور (SBIS) منذ 2024",
    "رقم الآيبان: SA03 8000 0000 6080 1016 7519",
    "تاريخ الطلب 2026-11-21 الموافق ١٤٤٨/٠٥/٢٠هـ",
    "مُحَمَّد بن عبدالله — لا إله إلا الله",
    "الحد: 1100 ريال + 550 ريال لكل فرد [المادة 3]",
)


def pattern_lines(mode: str) -> list[str]:
    """The pattern as it is sent to the terminal in ``mode`` (visual for app, else logical)."""
    return [visual(line, mode) for line in TEST_PATTERN]
