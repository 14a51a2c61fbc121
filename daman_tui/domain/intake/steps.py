"""The steps of the unified file (الملف الموحد), in the order of DOMAIN.md, as data.

Each section names the table its answers are stored in (``table``); each field's key is
that table's column. The screens draw every step from this description and the services
store it with one generic routine, so adding a question is one line here, one label in
the catalogues and, if it is a new column, one migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from daman_tui.domain.enums import (
    AssetKind,
    Gender,
    HousingType,
    IdentityCheck,
    IncomeType,
    LicenceType,
    LifeStatus,
    MaritalStatus,
    MemberKind,
    Qualification,
    Relationship,
    StudyStatus,
)
from daman_tui.domain.intake.fields import FieldKind as K
from daman_tui.domain.intake.fields import FieldSpec as F
from daman_tui.domain.intake.fields import GroupSpec, SectionSpec

__all__ = [
    "DEPENDENT_SECTIONS",
    "HOUSEHOLD_SECTIONS",
    "SECTIONS",
    "STEPS",
    "WARD_DEED_TYPES",
    "Scope",
    "Step",
    "WardDeedType",
    "link_section",
    "step_by_key",
]


class WardDeedType(StrEnum):
    """نوع الصك of a ward: the court deed that makes the head responsible for them."""

    GUARDIANSHIP = "guardianship"  # صك ولاية
    CUSTODY = "custody"  # صك حضانة
    SPONSORSHIP = "sponsorship"  # صك إعالة


WARD_DEED_TYPES = tuple(WardDeedType)


class Scope(StrEnum):
    """Whose answers a step holds."""

    HEAD = "head"  # the applicant's own sections
    HOUSEHOLD = "household"  # the household's (the national address)
    DEPENDENTS = "dependents"
    DOCUMENTS = "documents"
    REVIEW = "review"


def _yn(key: str, *, required: bool = True, when: tuple[str, str] | None = None) -> F:
    return F(key, K.YESNO, required=required, when=when)


def _choice(key: str, choices: type[StrEnum], *, required: bool = True) -> F:
    return F(key, K.CHOICE, required=required, choices=choices)


PERSONAL = SectionSpec(
    "personal",
    fields=(
        F("national_id", K.NATIONAL_ID, max_length=10),
        F("birth_date", K.BIRTH_DATE),
        F("first_name", K.NAME, max_length=60),
        F("father_name", K.NAME, max_length=60),
        F("grandfather_name", K.NAME, max_length=60),
        F("family_name", K.NAME, max_length=60),
        _choice("gender", Gender),
        F("nationality", K.NATIONALITY),
        _choice("life_status", LifeStatus),
        _choice("marital_status", MaritalStatus),
        _yn("special_needs"),
    ),
)
HEAD_STATUS = SectionSpec("beneficiary", fields=(_yn("existing_beneficiary"),))
CONTACT = SectionSpec(
    "contact",
    fields=(
        F("mobile", K.MOBILE, max_length=16),
        F("email", K.EMAIL, required=False, max_length=254),
    ),
)
DEPENDENT_CONTACT = SectionSpec(
    "contact", fields=(F("mobile", K.MOBILE, required=False, max_length=16),)
)
BANK = SectionSpec(
    "bank",
    fields=(
        F("iban", K.IBAN, max_length=34),
        F("iban_confirm", K.IBAN_CONFIRM, max_length=34, column=False),
    ),
)
ADDRESS = SectionSpec(
    "address",
    fields=(
        F("region_code", K.REGION),
        F("city", K.CITY),
        F("district", K.TEXT, max_length=80),
        F("street", K.TEXT, required=False),
        F("building_number", K.BUILDING, max_length=4),
        F("postal_code", K.POSTAL, max_length=5),
        F("additional_number", K.ADDITIONAL, max_length=4),
        F("unit_number", K.DIGITS, required=False, max_length=8),
        F("po_box", K.DIGITS, required=False, max_length=12),
    ),
)
HOUSING = SectionSpec("housing", fields=(_choice("housing_type", HousingType),))
INCOME = SectionSpec(
    "income",
    groups=(
        GroupSpec(
            "income_lines",
            fields=(
                _choice("income_type", IncomeType),
                F("source", K.TEXT),
                F("monthly_halalas", K.MONEY),
            ),
            summary=("income_type", "source", "monthly_halalas"),
        ),
        GroupSpec(
            "support_lines",
            fields=(
                F("program", K.TEXT),
                F("source", K.TEXT, required=False),
                F("monthly_halalas", K.MONEY),
            ),
            summary=("program", "source", "monthly_halalas"),
        ),
    ),
)
ZAKAT = SectionSpec(
    "zakat",
    fields=(
        _yn("pays_commercial_zakat"),
        F("yearly_halalas", K.MONEY, when=("pays_commercial_zakat", "yes")),
    ),
)
EDUCATION = SectionSpec(
    "education",
    fields=(
        _choice("qualification", Qualification),
        _choice("study_status", StudyStatus),
        _yn("scholarship_abroad"),
    ),
)
# Condition 3 of seed 004, asked of each member; the engine decides whose answer counts.
COMMITMENTS = SectionSpec(
    "commitments",
    fields=(
        _yn("meets_health_education", required=False),
        _yn("joins_training", required=False),
    ),
)
WORKERS = SectionSpec(
    "workers",
    fields=(
        _yn("has_workers"),
        F("domestic", K.COUNT, when=("has_workers", "yes"), max_length=2),
        F("professional", K.COUNT, when=("has_workers", "yes"), max_length=2),
        F("medical", K.COUNT, when=("has_workers", "yes"), max_length=2),
    ),
)
LICENCES = SectionSpec(
    "licences",
    groups=(
        GroupSpec(
            "licences",
            fields=(
                _choice("licence_type", LicenceType),
                F("number", K.TEXT, max_length=40),
                F("expiry", K.DATE),
            ),
            summary=("licence_type", "number", "expiry"),
        ),
    ),
)
PERMITS = SectionSpec(
    "permits",
    fields=(
        _yn("transport_permit"),
        F("transport_permit_count", K.COUNT, when=("transport_permit", "yes"), max_length=2),
        _yn("citc_permit"),
        F("citc_monthly_halalas", K.MONEY, when=("citc_permit", "yes")),
        _yn("lawyer_permit_active"),
        _yn("freelance_permit"),
        _yn("estore"),
    ),
)
ASSETS = SectionSpec(
    "assets",
    groups=(
        GroupSpec(
            "real_estate",
            fields=(
                _choice("kind", AssetKind),
                F("description", K.TEXT, required=False, max_length=200),
                F("value_halalas", K.MONEY),
                F("monthly_rent_halalas", K.MONEY, required=False),
            ),
            summary=("kind", "description", "value_halalas"),
        ),
        GroupSpec(
            "deeds",
            fields=(
                F("deed_number", K.TEXT, max_length=40),
                F("issued_on", K.DATE, required=False),
                F("value_halalas", K.MONEY),
            ),
            summary=("deed_number", "issued_on", "value_halalas"),
        ),
        GroupSpec(
            "vehicles",
            fields=(
                F("serial_number", K.TEXT, max_length=20),
                F("manufacture_year", K.YEAR, max_length=4),
                F("value_halalas", K.MONEY),
            ),
            summary=("serial_number", "manufacture_year", "value_halalas"),
        ),
    ),
)

_LINKS: dict[MemberKind, SectionSpec] = {
    MemberKind.RELATIVE: SectionSpec("link", fields=(_choice("relationship", Relationship),)),
    MemberKind.WARD: SectionSpec(
        "link",
        fields=(
            _choice("ward_deed_type", WardDeedType),
            F("ward_deed_number", K.TEXT, max_length=40),
            F("ward_deed_expiry", K.DATE),
        ),
    ),
    MemberKind.HOUSING_PARTNER: SectionSpec("link", fields=(_yn("partner_related_on_lease"),)),
}


def link_section(kind: MemberKind) -> SectionSpec:
    """What ties a dependent of ``kind`` to the head (relationship, deed, lease)."""
    return _LINKS[kind]


@dataclass(frozen=True)
class Step:
    """One screen of the wizard."""

    number: int
    key: str
    scope: Scope
    sections: tuple[SectionSpec, ...] = ()


STEPS: tuple[Step, ...] = (
    Step(1, "personal", Scope.HEAD, (PERSONAL, HEAD_STATUS, CONTACT, BANK)),
    Step(2, "housing", Scope.HOUSEHOLD, (ADDRESS, HOUSING)),
    Step(3, "income", Scope.HEAD, (INCOME, ZAKAT)),
    Step(4, "education", Scope.HEAD, (EDUCATION, COMMITMENTS)),
    Step(5, "workers", Scope.HEAD, (WORKERS,)),
    Step(6, "licences", Scope.HEAD, (LICENCES, PERMITS)),
    Step(7, "assets", Scope.HEAD, (ASSETS,)),
    Step(8, "dependents", Scope.DEPENDENTS),
    Step(9, "documents", Scope.DOCUMENTS),
    Step(10, "review", Scope.REVIEW),
)
"""The ten steps of DOMAIN.md, "The unified file"."""

HOUSEHOLD_SECTIONS: tuple[SectionSpec, ...] = (ADDRESS, HOUSING)

DEPENDENT_SECTIONS: tuple[tuple[str, tuple[SectionSpec, ...]], ...] = (
    ("personal", (PERSONAL, DEPENDENT_CONTACT)),
    ("income", (INCOME, ZAKAT)),
    ("education", (EDUCATION, COMMITMENTS)),
    ("licences", (LICENCES, PERMITS)),
    ("assets", (ASSETS,)),
)
"""A dependent's own pages, after the link section that depends on their kind."""

SECTIONS: dict[str, SectionSpec] = {s.key: s for step in STEPS for s in step.sections} | {
    s.key: s for _, secs in DEPENDENT_SECTIONS for s in secs if s.key != "contact"
}
"""Every person or household section by key (the head's contact, not the dependent's)."""

IDENTITY_CHECKS = tuple(IdentityCheck)


def step_by_key(key: str) -> Step:
    """The step named ``key``."""
    return next(s for s in STEPS if s.key == key)
