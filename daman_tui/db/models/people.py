"""Households, the people in them, and the parts of the unified file that are about them.

A person is one human (unique by national ID); a household member row places a person in
a household as its head or as one of the three kinds of dependent. A provider with two
families heads two households (``family_no`` 1 and 2): each is its own household with its
own pension, and the person row is shared.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field

from daman_tui.db.models.base import (
    BranchScoped,
    enum_field,
    fk,
    optional_enum_field,
)
from daman_tui.domain.enums import (
    CalendarKind,
    Gender,
    HousingType,
    IdKind,
    LifeStatus,
    MaritalStatus,
    MemberKind,
    Relationship,
)

__all__ = ["BankAccount", "Contact", "Household", "HouseholdMember", "NationalAddress", "Person"]


class Person(BranchScoped, table=True):
    """البيانات الشخصية of the applicant or of a dependent."""

    __tablename__ = "person"

    national_id: str = Field(unique=True, max_length=10)
    id_kind: IdKind = enum_field(IdKind)
    first_name: str = Field(max_length=60)
    father_name: str = Field(default="", max_length=60)
    grandfather_name: str = Field(default="", max_length=60)
    family_name: str = Field(default="", max_length=60)
    # The four parts joined and normalised for search (alef forms, ى/ي, ة/ه, harakat):
    # searching the stored logical text, never the shaped display text.
    name_search: str = Field(default="", max_length=260, index=True)
    birth_date: date | None = None
    birth_calendar: CalendarKind = enum_field(CalendarKind, CalendarKind.GREGORIAN)
    gender: Gender | None = optional_enum_field(Gender)
    nationality: str = Field(default="SAU", max_length=3)
    life_status: LifeStatus = enum_field(LifeStatus, LifeStatus.ALIVE)
    marital_status: MaritalStatus | None = optional_enum_field(MaritalStatus)
    special_needs: bool = False
    existing_beneficiary: bool = False
    resides_in_kingdom: bool = True
    has_movement_card: bool = False  # بطاقة تنقل: one of the nationality exceptions


class Household(BranchScoped, table=True):
    """A household (أسرة) that receives one pension: the unit of eligibility."""

    __tablename__ = "household"
    __table_args__ = (sa.UniqueConstraint("head_person_id", "family_no"),)

    file_number: str = Field(unique=True, max_length=32)
    head_person_id: str = fk("person.id")
    family_no: int = Field(default=1, ge=1)
    housing_type: HousingType | None = optional_enum_field(HousingType)
    in_shelter: bool = False  # living in a state-run shelter or care home


class HouseholdMember(BranchScoped, table=True):
    """A person's place in a household, with what depends on the dependent's kind."""

    __tablename__ = "household_member"
    __table_args__ = (sa.UniqueConstraint("household_id", "person_id"),)

    household_id: str = fk("household.id")
    person_id: str = fk("person.id")
    kind: MemberKind = enum_field(MemberKind)
    relationship: Relationship | None = optional_enum_field(Relationship)
    # A ward (موصى عليه): the deed that makes the head responsible for them.
    ward_deed_type: str | None = Field(default=None, max_length=40)
    ward_deed_number: str | None = Field(default=None, max_length=40)
    ward_deed_expiry: date | None = None
    # A housing partner: related to the head and a lawful tenant on the lease?
    partner_related_on_lease: bool | None = None
    # Condition 3 of eligibility, asked per member; None until asked.
    meets_health_education: bool | None = None
    joins_training: bool | None = None
    completeness: int = Field(default=0, ge=0, le=100)


class Contact(BranchScoped, table=True):
    """بيانات التواصل of a person: optional for dependents."""

    __tablename__ = "contact"

    person_id: str = fk("person.id")
    mobile: str | None = Field(default=None, max_length=10)
    mobile_alt: str | None = Field(default=None, max_length=10)
    home_phone: str | None = Field(default=None, max_length=16)
    email: str | None = Field(default=None, max_length=254)


class NationalAddress(BranchScoped, table=True):
    """العنوان الوطني of a household."""

    __tablename__ = "national_address"

    household_id: str = fk("household.id")
    post_type: str = Field(default="national_address", max_length=24)
    region_code: str = Field(max_length=8)
    city: str = Field(max_length=80)
    district: str = Field(default="", max_length=80)
    street: str = Field(default="", max_length=120)
    building_number: str = Field(default="", max_length=4)
    postal_code: str = Field(default="", max_length=5)
    additional_number: str = Field(default="", max_length=4)
    unit_number: str = Field(default="", max_length=8)
    po_box: str = Field(default="", max_length=12)


class BankAccount(BranchScoped, table=True):
    """The account the pension is paid into (IBAN typed twice at entry)."""

    __tablename__ = "bank_account"

    person_id: str = fk("person.id")
    bank_code: str = Field(max_length=2)
    iban: str = Field(max_length=24)
    # True once the IBAN was typed twice and both matched (رقم الحساب البنكي + تأكيد).
    confirmed: bool = False
