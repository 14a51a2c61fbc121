"""The unified file between its two forms: the wizard's draft and the store's rows.

:func:`apply_form` writes a checked draft into the household's rows through the unit of
work (each row audited and queued for sync); :func:`form_from_rows` reads the rows back
into a draft, for updating a stored file with the same screens. Entries keep their ids
both ways, so an update changes the rows it touches and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from daman_tui.db.models import (
    BankAccount,
    Contact,
    Education,
    Household,
    HouseholdMember,
    IncomeLine,
    Licence,
    NationalAddress,
    PermitAnswers,
    Person,
    RealEstate,
    SupportLine,
    Synced,
    TitleDeed,
    Vehicle,
    WorkersAnswer,
    ZakatAnswer,
)
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.dates import parse_date, to_hijri
from daman_tui.domain.enums import CalendarKind, IdKind, MemberKind
from daman_tui.domain.intake.fields import FieldSpec, SectionSpec, raw_value
from daman_tui.domain.intake.form import HEAD, DraftForm, new_form, section_values
from daman_tui.domain.national_id import id_kind
from daman_tui.services.uow import UnitOfWork

__all__ = ["GROUP_TABLES", "PERSON_TABLES", "apply_form", "form_from_rows"]

# The per-person sections kept in a table of their own, one row per person.
PERSON_TABLES: dict[str, type[Synced]] = {
    "contact": Contact,
    "bank": BankAccount,
    "zakat": ZakatAnswer,
    "education": Education,
    "workers": WorkersAnswer,
    "permits": PermitAnswers,
}
# Sections stored on the person row itself, and on the person's membership of the household.
_ON_PERSON = frozenset({"personal", "beneficiary"})
_ON_MEMBER = frozenset({"commitments", "link"})

GROUP_TABLES: dict[str, type[Synced]] = {
    "income_lines": IncomeLine,
    "support_lines": SupportLine,
    "licences": Licence,
    "real_estate": RealEstate,
    "deeds": TitleDeed,
    "vehicles": Vehicle,
}


def _live(session: Session, model: type[Synced], **where: str) -> list[Any]:
    query = select(model).where(col(model.deleted_at).is_(None))
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return list(session.exec(query.order_by(col(model.created_at), col(model.id))).all())


def _upsert(
    uow: UnitOfWork, row: Synced | None, model: type[Synced], values: dict[str, Any]
) -> Any:
    if row is None:
        return uow.add(model(**values))
    return uow.update(row, values)


def _person_values(
    form: DraftForm, who: str, sections: Iterable[SectionSpec], today: date
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for section in sections:
        values |= section_values(section.fields, form.values(who, section.key), today)
    raw_birth = form.get(who, "personal", "birth_date")
    values["birth_calendar"] = parse_date(raw_birth).calendar
    values["id_kind"] = IdKind(id_kind(values["national_id"]))
    names = (values[k] for k in ("first_name", "father_name", "grandfather_name", "family_name"))
    values["name_search"] = normalize_for_search(" ".join(n for n in names if n))
    return values


def apply_form(uow: UnitOfWork, household: Household, form: DraftForm, today: date) -> None:
    """Write ``form`` (checked: no issues) into ``household``'s rows."""
    session, branch = uow.session, household.branch_id
    sections = {s.key: s for s in form.sections_of("household")}
    address = section_values(sections["address"].fields, form.values("household", "address"), today)
    existing = _live(session, NationalAddress, household_id=household.id)
    _upsert(
        uow,
        existing[0] if existing else None,
        NationalAddress,
        {"branch_id": branch, "household_id": household.id, **address},
    )
    uow.update(
        household,
        section_values(sections["housing"].fields, form.values("household", "housing"), today),
    )
    members = {m.id: m for m in _live(session, HouseholdMember, household_id=household.id)}
    kept: set[str] = set()
    for who in form.people():
        person, member = _apply_person(uow, household, form, who, members, today)
        kept.add(member.id)
        _apply_sections(uow, branch, form, who, person, today)
    for member_id, member in members.items():
        if member_id not in kept and member.kind != MemberKind.HEAD:
            uow.tombstone(member, action="household_member.remove")


def _apply_person(
    uow: UnitOfWork,
    household: Household,
    form: DraftForm,
    who: str,
    members: dict[str, HouseholdMember],
    today: date,
) -> tuple[Person, HouseholdMember]:
    session, branch = uow.session, household.branch_id
    sections = form.sections_of(who)
    values = _person_values(form, who, (s for s in sections if s.key in _ON_PERSON), today)
    if who == HEAD:
        person = session.get(Person, household.head_person_id)
        if person is None:
            raise LookupError(f"household {household.id} has no head person")
        values.pop("national_id")  # fixed when the application was started
    else:
        person = session.exec(
            select(Person).where(Person.national_id == values["national_id"])
        ).first()
    if person is None:
        person = uow.add(Person(branch_id=branch, **values))
    else:
        uow.update(person, values)
    member_values: dict[str, Any] = {}
    for section in sections:
        if section.key in _ON_MEMBER:
            member_values |= section_values(section.fields, form.values(who, section.key), today)
    member: HouseholdMember | None
    if who == HEAD:
        member = next(m for m in members.values() if m.person_id == person.id)
    else:
        member = members.get(who) or next(
            (m for m in members.values() if m.person_id == person.id), None
        )
        member_values["kind"] = form.kind_of(who)
    if member is None:
        member = uow.add(
            HouseholdMember(
                id=who,
                branch_id=branch,
                household_id=household.id,
                person_id=person.id,
                **member_values,
            )
        )
    else:
        uow.update(member, {"person_id": person.id, **member_values})
    return person, member


def _apply_sections(
    uow: UnitOfWork, branch: str, form: DraftForm, who: str, person: Person, today: date
) -> None:
    session = uow.session
    for section in form.sections_of(who):
        model = PERSON_TABLES.get(section.key)
        if model is not None:
            values = section_values(section.fields, form.values(who, section.key), today)
            if model is BankAccount:
                values |= {"bank_code": values["iban"][4:6], "confirmed": True}
            rows = _live(session, model, person_id=person.id)
            _upsert(
                uow,
                rows[0] if rows else None,
                model,
                {"branch_id": branch, "person_id": person.id, **values},
            )
        for group in section.groups:
            _apply_group(
                uow,
                branch,
                person,
                GROUP_TABLES[group.key],
                group.fields,
                form.items(who, group.key),
                today,
            )


def _apply_group(
    uow: UnitOfWork,
    branch: str,
    person: Person,
    model: type[Synced],
    fields: tuple[FieldSpec, ...],
    items: list[dict[str, str]],
    today: date,
) -> None:
    rows = {r.id: r for r in _live(uow.session, model, person_id=person.id)}
    for item in items:
        values = section_values(fields, item, today)
        row = rows.pop(item["id"], None)
        if row is None:
            values |= {"id": item["id"], "branch_id": branch, "person_id": person.id}
            uow.add(model(**values))
        else:
            uow.update(row, values)
    for row in rows.values():
        uow.tombstone(row)


# ---- rows → draft -------------------------------------------------------------------------
def _raw(sections: Iterable[SectionSpec], row: SQLModel | None) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for section in sections:
        values = out.setdefault(section.key, {})
        for spec in section.fields:
            if row is not None and hasattr(row, spec.key):
                values[spec.key] = raw_value(spec, getattr(row, spec.key))
    return out


def form_from_rows(session: Session, household: Household, identity_check: str | None) -> DraftForm:
    """The stored file of ``household`` as a draft the wizard can edit."""
    head = session.get(Person, household.head_person_id)
    if head is None:
        raise LookupError(f"household {household.id} has no head person")
    form = new_form(head.national_id, identity_check)
    hh_sections = {s.key: s for s in form.sections_of("household")}
    address = _live(session, NationalAddress, household_id=household.id)
    form.values("household", "address").update(
        _raw([hh_sections["address"]], address[0] if address else None)["address"]
    )
    form.values("household", "housing").update(_raw([hh_sections["housing"]], household)["housing"])
    members = _live(session, HouseholdMember, household_id=household.id)
    for member in members:
        person = session.get(Person, member.person_id)
        if person is None:
            continue
        if member.kind == MemberKind.HEAD:
            who = HEAD
        else:
            who = member.id
            form.add_dependent(member.id, MemberKind(member.kind))
        _read_person(session, form, who, person, member)
    return form


def _read_person(
    session: Session, form: DraftForm, who: str, person: Person, member: HouseholdMember
) -> None:
    for section in form.sections_of(who):
        if section.key in _ON_PERSON:
            row: SQLModel | None = person
        elif section.key in _ON_MEMBER:
            row = member
        elif section.key in PERSON_TABLES:
            rows = _live(session, PERSON_TABLES[section.key], person_id=person.id)
            row = rows[0] if rows else None
        else:
            row = None
        values = form.values(who, section.key)
        if row is not None:
            values.update(_raw([section], row)[section.key])
        if section.key == "personal" and person.birth_date is not None:
            values["birth_date"] = _birth_as_given(person.birth_date, person.birth_calendar)
        if section.key == "bank" and values.get("iban"):
            values["iban_confirm"] = values["iban"]
        for group in section.groups:
            for entry in _live(session, GROUP_TABLES[group.key], person_id=person.id):
                item = {"id": entry.id}
                item.update(_raw([SectionSpec(group.key, group.fields)], entry)[group.key])
                form.put_item(who, group.key, item)


def _birth_as_given(day: date, calendar: str) -> str:
    """A date of birth in the calendar the applicant gave it in (a Hijri year reads as
    Hijri), so that storing the file again keeps the calendar too."""
    if calendar == CalendarKind.HIJRI:
        year, month, dom = to_hijri(day)
        return f"{year:04d}-{month:02d}-{dom:02d}"
    return day.isoformat()
