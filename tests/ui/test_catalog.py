"""The UI string catalogues: same keys in both languages, every label, no literals in screens."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from daman_tui.domain.enums import ApplicationKind, ApplicationStatus, Role
from daman_tui.text import catalog
from daman_tui.text.catalog import LANGS, enum_label, keys, t

SCREENS = Path(__file__).resolve().parents[2] / "daman_tui" / "screens"
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def test_arabic_and_english_have_exactly_the_same_keys():
    ar, en = keys("ar"), keys("en")
    assert sorted(ar - en) == [], "keys only in ar.toml"
    assert sorted(en - ar) == [], "keys only in en.toml"
    assert len(ar) > 40


@pytest.mark.parametrize("enum_cls", [ApplicationStatus, Role, ApplicationKind])
@pytest.mark.parametrize("lang", LANGS)
def test_every_enum_value_has_a_label(enum_cls: type[StrEnum], lang: str):
    for member in enum_cls:
        label = enum_label(member, lang)
        assert label
        assert label != member.value
        assert f"enum.{enum_cls.__name__}.{member.value}" in keys(lang)


def test_labels_use_the_programme_terms():
    assert enum_label(ApplicationStatus.DRAFT, "ar") == "مسودة"
    assert enum_label(ApplicationStatus.SUBMITTED, "ar") == "تحت الإجراء"
    assert enum_label(ApplicationStatus.DOCS_REQUESTED, "ar") == "بانتظار مستندات"
    assert enum_label(ApplicationStatus.PRELIMINARY_APPROVED, "ar") == "موافقة مبدئية"
    assert enum_label(ApplicationStatus.APPROVED, "ar") == "موافقة نهائية"
    assert enum_label(ApplicationStatus.REJECTED, "ar") == "مرفوض"
    assert enum_label(Role.CLERK, "ar") == "موظف الفرع"
    assert enum_label(Role.FIELD_OFFICER, "ar") == "باحث ميداني"
    assert enum_label(ApplicationKind.UPDATE, "ar") == "تحديث بيانات"
    assert t("app.title", "ar") == "الضمان الاجتماعي المطور"


def test_parameters_are_filled_in():
    assert t("home.greeting", "ar", name="سارة") == "مرحبًا، سارة"
    assert t("queue.count", "en", count=3) == "3 cases"


def test_a_missing_key_raises_under_tests_and_shows_the_key_otherwise(monkeypatch):
    with pytest.raises(KeyError):
        t("no.such.key", "ar")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")
    monkeypatch.delenv("DAMAN_I18N_STRICT", raising=False)
    assert t("no.such.key", "ar") == "no.such.key"
    assert t("queue.count", "en") == "{count} cases"  # a missing parameter: the template
    assert not catalog._strict()


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown interface language"):
        keys("fr")


def test_no_screen_holds_an_arabic_literal():
    files = sorted(SCREENS.rglob("*.py"))
    assert files, "the screens package was not found"
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ARABIC_LETTER.search(line)
    ]
    assert offenders == [], "UI strings belong in assets/i18n, not in screens"
