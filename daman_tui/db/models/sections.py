"""The per-person sections of the unified file: income, support, zakat, education,
workers, licences and permits, and assets.

Every repeatable entry (an income line, a licence, a vehicle) is its own row with its own
id, so two offline nodes adding lines at once both keep theirs when they sync. The yes/no
sections hold one row per person (``person_id`` unique).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from daman_tui.db.models.base import BranchScoped, enum_field, fk, money_field
from daman_tui.domain.enums import (
    AssetKind,
    IncomeType,
    LicenceType,
    Qualification,
    StudyStatus,
)

__all__ = [
    "Education",
    "IncomeLine",
    "Licence",
    "PermitAnswers",
    "RealEstate",
    "SupportLine",
    "TitleDeed",
    "Vehicle",
    "WorkersAnswer",
    "ZakatAnswer",
]


class IncomeLine(BranchScoped, table=True):
    """بيانات الدخل: one income of a person, by type, source and monthly amount."""

    __tablename__ = "income_line"

    person_id: str = fk("person.id")
    income_type: IncomeType = enum_field(IncomeType)
    source: str = Field(default="", max_length=120)
    monthly_halalas: int = money_field()


class SupportLine(BranchScoped, table=True):
    """برنامج الدعم، مصدر الدعم، المبلغ الشهري."""

    __tablename__ = "support_line"

    person_id: str = fk("person.id")
    program: str = Field(max_length=120)
    source: str = Field(default="", max_length=120)
    monthly_halalas: int = money_field()


class ZakatAnswer(BranchScoped, table=True):
    """زكاة التجارة: does the person pay commercial zakat, and how much a year."""

    __tablename__ = "zakat_answer"

    person_id: str = Field(foreign_key="person.id", unique=True, max_length=36)
    pays_commercial_zakat: bool = False
    yearly_halalas: int = money_field()


class Education(BranchScoped, table=True):
    """بيانات التعليم."""

    __tablename__ = "education"

    person_id: str = Field(foreign_key="person.id", unique=True, max_length=36)
    qualification: Qualification = enum_field(Qualification, Qualification.NONE)
    study_status: StudyStatus = enum_field(StudyStatus, StudyStatus.NOT_STUDYING)
    scholarship_abroad: bool = False  # مبتعث


class WorkersAnswer(BranchScoped, table=True):
    """بيانات العمالة: counts of domestic, professional and medical workers (0 where none)."""

    __tablename__ = "workers_answer"

    person_id: str = Field(foreign_key="person.id", unique=True, max_length=36)
    has_workers: bool = False
    domestic: int = Field(default=0, ge=0)
    professional: int = Field(default=0, ge=0)
    medical: int = Field(default=0, ge=0)


class Licence(BranchScoped, table=True):
    """A licence held: commercial, lawyer's permit or e-store, with number and expiry."""

    __tablename__ = "licence"

    person_id: str = fk("person.id")
    licence_type: LicenceType = enum_field(LicenceType)
    number: str = Field(max_length=40)
    expiry: date | None = None


class PermitAnswers(BranchScoped, table=True):
    """The yes/no permit questions of the licences step."""

    __tablename__ = "permit_answers"

    person_id: str = Field(foreign_key="person.id", unique=True, max_length=36)
    transport_permit: bool = False
    transport_permit_count: int = Field(default=0, ge=0)
    citc_permit: bool = False
    citc_monthly_halalas: int = money_field()
    lawyer_permit_active: bool = False
    freelance_permit: bool = False
    estore: bool = False


class RealEstate(BranchScoped, table=True):
    """عقارات: commercial property rented out, owned property let, land."""

    __tablename__ = "real_estate"

    person_id: str = fk("person.id")
    kind: AssetKind = enum_field(AssetKind)
    description: str = Field(default="", max_length=200)
    value_halalas: int = money_field()
    monthly_rent_halalas: int = money_field()


class TitleDeed(BranchScoped, table=True):
    """صكوك."""

    __tablename__ = "title_deed"

    person_id: str = fk("person.id")
    deed_number: str = Field(max_length=40)
    issued_on: date | None = None
    value_halalas: int = money_field()


class Vehicle(BranchScoped, table=True):
    """مركبات: serial number and year of manufacture for each."""

    __tablename__ = "vehicle"

    person_id: str = fk("person.id")
    serial_number: str = Field(max_length=20)
    manufacture_year: int = Field(ge=1950, le=2100)
    value_halalas: int = money_field()
