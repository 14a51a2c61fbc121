"""A draft of the unified file: every value as typed, and what state each part is in.

The draft is a plain JSON document, saved as the clerk types (a killed terminal loses
nothing) and kept as typed, errors included: the screens show the error beside the value
rather than discarding the clerk's work. Typed values are only produced by
:func:`section_values` when the file is stored.

Shape::

    {"v": 1, "identity_check": "id_card",
     "head": {"sections": {"personal": {"first_name": "..."}, ...},
              "groups": {"income_lines": [{"id": "...", "income_type": "salary", ...}]}},
     "household": {"sections": {"address": {...}, "housing": {...}}},
     "dependents": [{"id": "...", "kind": "ward", "sections": {...}, "groups": {...}}]}

Entries and dependents carry ids made when they are added, which become their rows' ids:
editing a stored file later changes those rows instead of replacing them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from daman_tui.domain.enums import MemberKind
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.intake.fields import (
    Context,
    FieldKind,
    FieldSpec,
    GroupSpec,
    SectionSpec,
    parse_field,
)
from daman_tui.domain.intake.steps import (
    DEPENDENT_SECTIONS,
    STEPS,
    Scope,
    Step,
    link_section,
)
from daman_tui.domain.national_id import validate_national_id

__all__ = [
    "FORM_VERSION",
    "HEAD",
    "DraftForm",
    "Issue",
    "StepState",
    "completeness",
    "dependent_sections",
    "field_error",
    "new_form",
    "section_values",
    "visible",
]

FORM_VERSION = 1
HEAD = "head"
"""The person key of the applicant; a dependent's is its id."""


class StepState(StrEnum):
    """What the step rail shows for a step."""

    EMPTY = "empty"
    INCOMPLETE = "incomplete"
    ERRORS = "errors"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Issue:
    """A field that keeps its part of the file from being complete."""

    section: str
    key: str
    error: ValidationError
    group: str | None = None
    item_id: str | None = None

    @property
    def missing(self) -> bool:
        """An unanswered required question, as opposed to a wrong answer."""
        return self.error.code == "field.required"


def _person(national_id: str = "") -> dict[str, Any]:
    # A person at the counter is alive, and nearly always Saudi: both are prefilled and
    # can be changed.
    personal = {"nationality": "SAU", "life_status": "alive"}
    if national_id:
        personal["national_id"] = national_id
    return {"sections": {"personal": personal}, "groups": {}}


def new_form(national_id: str, identity_check: str | None = None) -> DraftForm:
    """A new draft with the applicant's national ID already filled in."""
    head = _person(national_id)
    return DraftForm(
        {
            "v": FORM_VERSION,
            "identity_check": identity_check,
            "head": head,
            "household": {"sections": {}, "groups": {}},
            "dependents": [],
        }
    )


class DraftForm:
    """The draft as the wizard edits it; ``data`` is what is saved."""

    def __init__(self, data: dict[str, Any]) -> None:
        if data.get("v") != FORM_VERSION:
            raise ValueError(f"unsupported draft version {data.get('v')!r}")
        self.data = data

    def copy(self) -> DraftForm:
        """An independent copy (a what-if, or a snapshot handed to a worker)."""
        return DraftForm(copy.deepcopy(self.data))

    # ---- people -------------------------------------------------------------------
    def person(self, who: str) -> dict[str, Any]:
        """The sections and groups of ``who`` (HEAD, "household" or a dependent's id)."""
        if who == HEAD:
            return self.data["head"]  # type: ignore[no-any-return]
        if who == "household":
            return self.data["household"]  # type: ignore[no-any-return]
        for dep in self.data["dependents"]:
            if dep["id"] == who:
                return dep  # type: ignore[no-any-return]
        raise KeyError(who)

    @property
    def dependents(self) -> list[dict[str, Any]]:
        """The dependents in the order they were added."""
        return self.data["dependents"]  # type: ignore[no-any-return]

    def add_dependent(self, dependent_id: str, kind: MemberKind) -> dict[str, Any]:
        """A new, empty dependent of ``kind`` (never the head)."""
        if kind is MemberKind.HEAD:
            raise ValueError("a dependent cannot be the head")
        dep = {"id": dependent_id, "kind": kind.value, **_person()}
        self.data["dependents"].append(dep)
        return dep

    def remove_dependent(self, dependent_id: str) -> None:
        self.data["dependents"] = [d for d in self.dependents if d["id"] != dependent_id]

    def kind_of(self, who: str) -> MemberKind:
        """The member kind of ``who``."""
        return MemberKind.HEAD if who == HEAD else MemberKind(self.person(who)["kind"])

    # ---- values -------------------------------------------------------------------
    def values(self, who: str, section: str) -> dict[str, str]:
        """The raw values of one section of ``who`` (a live dict: edits go into the draft)."""
        sections: dict[str, dict[str, str]] = self.person(who)["sections"]
        return sections.setdefault(section, {})

    def get(self, who: str, section: str, key: str) -> str:
        return self.values(who, section).get(key, "")

    def set(self, who: str, section: str, key: str, raw: str) -> bool:
        """Store a typed value; False when it did not change (nothing to save)."""
        values = self.values(who, section)
        if values.get(key, "") == raw:
            return False
        values[key] = raw
        return True

    @property
    def visited(self) -> frozenset[str]:
        """The steps the clerk has already left once (their gaps are then marked)."""
        return frozenset(self.data.get("visited", ()))

    def mark_visited(self, step_key: str) -> None:
        if step_key not in self.visited:
            self.data.setdefault("visited", []).append(step_key)

    @property
    def identity_check(self) -> str | None:
        value = self.data.get("identity_check")
        return str(value) if value else None

    @identity_check.setter
    def identity_check(self, value: str | None) -> None:
        self.data["identity_check"] = value

    # ---- repeatable groups --------------------------------------------------------
    def items(self, who: str, group: str) -> list[dict[str, str]]:
        """The entries of a repeatable group (a live list)."""
        groups: dict[str, list[dict[str, str]]] = self.person(who)["groups"]
        return groups.setdefault(group, [])

    def put_item(self, who: str, group: str, item: dict[str, str]) -> None:
        """Add an entry, or replace the entry with the same id."""
        entries = self.items(who, group)
        for index, existing in enumerate(entries):
            if existing["id"] == item["id"]:
                entries[index] = dict(item)
                return
        entries.append(dict(item))

    def remove_item(self, who: str, group: str, item_id: str) -> None:
        entries = self.items(who, group)
        entries[:] = [e for e in entries if e["id"] != item_id]

    # ---- checking -----------------------------------------------------------------
    def people(self) -> Iterator[str]:
        """HEAD, then each dependent's id."""
        yield HEAD
        for dep in self.dependents:
            yield str(dep["id"])

    def sections_of(self, who: str) -> tuple[SectionSpec, ...]:
        """Every section asked of ``who``."""
        if who == HEAD:
            return tuple(s for step in STEPS if step.scope is Scope.HEAD for s in step.sections)
        if who == "household":
            return tuple(
                s for step in STEPS if step.scope is Scope.HOUSEHOLD for s in step.sections
            )
        return dependent_sections(self.kind_of(who))

    def issues(self, who: str, sections: Iterable[SectionSpec], today: date) -> list[Issue]:
        """The unanswered and wrong fields of ``sections`` of ``who``."""
        out: list[Issue] = []
        for section in sections:
            values = self.values(who, section.key)
            for spec in section.fields:
                error = field_error(spec, values, today)
                if error is None and spec.kind is FieldKind.NATIONAL_ID:
                    error = self._duplicate_id(who, values.get(spec.key, ""))
                if error is not None:
                    out.append(Issue(section.key, spec.key, error))
            for group in section.groups:
                out.extend(self._group_issues(who, section, group, today))
        return out

    def _group_issues(
        self, who: str, section: SectionSpec, group: GroupSpec, today: date
    ) -> Iterator[Issue]:
        for item in self.items(who, group.key):
            for spec in group.fields:
                error = field_error(spec, item, today)
                if error is not None:
                    yield Issue(section.key, spec.key, error, group.key, item["id"])

    def _duplicate_id(self, who: str, raw: str) -> ValidationError | None:
        try:
            nid = validate_national_id(raw)
        except ValidationError:
            return None
        for other in self.people():
            if other == who:
                continue
            try:
                if validate_national_id(self.get(other, "personal", "national_id")) == nid:
                    return ValidationError(
                        "member.duplicate",
                        "رقم الهوية هذا مسجّل لفرد آخر في الطلب نفسه.",
                        "This ID number is already given for another person in this file.",
                        national_id=nid,
                    )
            except ValidationError:
                continue
        return None

    def has_content(self, who: str, sections: Iterable[SectionSpec]) -> bool:
        """Whether anything at all was entered in ``sections`` of ``who``."""
        for section in sections:
            if any(v.strip() for v in self.values(who, section.key).values()):
                return True
            if any(self.items(who, g.key) for g in section.groups):
                return True
        return False

    def step_state(self, step: Step, today: date) -> StepState:
        """The state of a step of questions (the dependents step counts its dependents)."""
        if step.scope is Scope.DEPENDENTS:
            if not self.dependents:
                return StepState.EMPTY
            states = [self.member_state(d["id"], today) for d in self.dependents]
            return _combine(states)
        who = "household" if step.scope is Scope.HOUSEHOLD else HEAD
        if not self.has_content(who, step.sections):
            return StepState.EMPTY
        return _state(self.issues(who, step.sections, today))

    def member_state(self, who: str, today: date) -> StepState:
        """The state of one person's whole file."""
        sections = self.sections_of(who)
        if not self.has_content(who, sections):
            return StepState.EMPTY
        return _state(self.issues(who, sections, today))

    def all_issues(self, today: date) -> list[tuple[str, Issue]]:
        """Every issue of the file, with whose it is: what blocks submission."""
        out = [
            ("household", i) for i in self.issues("household", self.sections_of("household"), today)
        ]
        for who in self.people():
            out.extend((who, i) for i in self.issues(who, self.sections_of(who), today))
        return out


def _state(issues: list[Issue]) -> StepState:
    if any(not i.missing for i in issues):
        return StepState.ERRORS
    return StepState.INCOMPLETE if issues else StepState.COMPLETE


def _combine(states: list[StepState]) -> StepState:
    if StepState.ERRORS in states:
        return StepState.ERRORS
    if all(s is StepState.COMPLETE for s in states):
        return StepState.COMPLETE
    return StepState.INCOMPLETE


def dependent_sections(kind: MemberKind) -> tuple[SectionSpec, ...]:
    """Every section asked of a dependent of ``kind``: the link, then their own pages."""
    return (link_section(kind), *(s for _, secs in DEPENDENT_SECTIONS for s in secs))


def visible(spec: FieldSpec, values: dict[str, str]) -> bool:
    """Whether ``spec`` is asked, given the other answers of its section."""
    return spec.when is None or values.get(spec.when[0], "") == spec.when[1]


def field_error(spec: FieldSpec, values: dict[str, str], today: date) -> ValidationError | None:
    """Why the value of ``spec`` in ``values`` is not acceptable; None when it is (or is
    not asked)."""
    if not visible(spec, values):
        return None
    try:
        parse_field(spec, values.get(spec.key, ""), Context(today, values))
    except ValidationError as err:
        return err
    return None


def completeness(form: DraftForm, who: str, today: date) -> int:
    """How much of ``who``'s file is answered, 0–100: required questions (including those
    of each entry of a group) answered acceptably over all required questions asked."""
    total = done = 0
    for section in form.sections_of(who):
        values = form.values(who, section.key)
        for spec in section.fields:
            if spec.required and visible(spec, values):
                total += 1
                done += field_error(spec, values, today) is None
        for group in section.groups:
            for item in form.items(who, group.key):
                for spec in group.fields:
                    if spec.required and visible(spec, item):
                        total += 1
                        done += field_error(spec, item, today) is None
    return 100 if total == 0 else done * 100 // total


_EMPTY: dict[FieldKind, Any] = {
    FieldKind.MONEY: 0,
    FieldKind.COUNT: 0,
    FieldKind.TEXT: "",
    FieldKind.NAME: "",
    FieldKind.DIGITS: "",
}


def section_values(
    specs: Iterable[FieldSpec], values: dict[str, str], today: date
) -> dict[str, Any]:
    """The stored values of a section (or of one group entry), by column.

    A question not asked (hidden by its condition) or left empty takes its column's
    empty value: a count of workers is 0 once "has workers" is no. Raises the first
    ``ValidationError``: call it only on a part that has no issues.
    """
    out: dict[str, Any] = {}
    for spec in specs:
        if not spec.column:
            continue
        if visible(spec, values):
            parsed = parse_field(spec, values.get(spec.key, ""), Context(today, values))
        else:
            parsed = None
        out[spec.key] = _EMPTY.get(spec.kind) if parsed is None else parsed
    return out
