"""The words of the review panel and the review screens, built from the services' read
models: labels of categories and priorities, a decision's lines (the stored one and a
what-if's alike), the facts a decision used, the outcome once decided.

Logical text only; the screens draw it through the display pipeline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from daman_tui.domain.disputes import (
    COMPLAINT_CATEGORIES,
    CORRECTABLE,
    OBJECTION_CATEGORIES,
    Correction,
)
from daman_tui.domain.enums import (
    AssetKind,
    Gender,
    IncomeType,
    MaritalStatus,
    Relationship,
)
from daman_tui.domain.household import parse_sar
from daman_tui.domain.money import format_money
from daman_tui.domain.sla import DUE_SOON_DAYS
from daman_tui.services.disputes import DisputeRow
from daman_tui.services.review import CorrectableRow, ObjectionReview, WhatIf
from daman_tui.text.catalog import enum_label, t

__all__ = [
    "category_label",
    "correctable_cells",
    "days_left_cell",
    "decision_lines",
    "facts_lines",
    "outcome_lines",
    "priority_label",
    "subject_label",
    "what_if_lines",
]

OVERDUE = "bold red"
DUE_SOON = "dark_orange"


class _Reason(Protocol):
    @property
    def passed(self) -> bool: ...
    @property
    def message_ar(self) -> str: ...
    @property
    def message_en(self) -> str: ...


class _Decision(Protocol):
    """A stored decision (``DecisionDetail``) or the engine's own (``Decision``)."""

    @property
    def eligible(self) -> bool: ...
    @property
    def entitlement_halalas(self) -> int: ...
    @property
    def member_count(self) -> int: ...
    @property
    def threshold_halalas(self) -> int: ...
    @property
    def counted_income_halalas(self) -> int: ...
    @property
    def rule_set_version(self) -> str: ...
    @property
    def as_of(self) -> date: ...
    @property
    def reasons(self) -> Sequence[_Reason]: ...


# ---- labels ------------------------------------------------------------------------------
def category_label(kind: str, code: str, lang: str) -> str:
    """The reason category as the applicant chose it (its code if it is not a known one)."""
    categories = OBJECTION_CATEGORIES if kind == "objection" else COMPLAINT_CATEGORIES
    labels = categories.get(code)
    if labels is None:
        return code
    return labels[0] if lang == "ar" else labels[1]


def priority_label(priority: int, lang: str) -> str:
    return t(f"review.priority.p{priority}", lang)


def subject_label(row: DisputeRow, lang: str) -> str:
    """What a record of the panel is about: an objection to a result or to an amount, or
    a complaint under its category."""
    if row.ref.kind == "complaint":
        return t(
            "review.subject.complaint",
            lang,
            category=category_label("complaint", row.category, lang),
        )
    return t(f"review.subject.{row.subject}", lang)


def days_left_cell(
    days_left: int, is_open: bool, status: str, lang: str, *, compact: bool = False
) -> tuple[str, str | None]:
    """The days left to decide and its style (red overdue, amber due soon); a decided
    record shows its status instead. ``compact``: an overdue record as a negative number."""
    if not is_open:
        return status, None
    if days_left < 0:
        text = str(days_left) if compact else t("queue.overdue_by", lang, days=-days_left)
        return text, OVERDUE
    return str(days_left), DUE_SOON if days_left <= DUE_SOON_DAYS else None


def _label(enum: type[StrEnum], value: Any, lang: str) -> str:
    try:
        return enum_label(enum(value), lang)
    except ValueError:
        return str(value)


def _message(reason: _Reason, lang: str) -> str:
    return reason.message_ar if lang == "ar" else reason.message_en


# ---- decisions ---------------------------------------------------------------------------
def decision_lines(d: _Decision, lang: str, *, failed_only: bool = False) -> list[str]:
    """The verdict and amount, the figures, the rule set, then each reason ✓/✗ (only the
    failed ones with ``failed_only``)."""
    verdict = t("case.eligible" if d.eligible else "case.not_eligible", lang)
    lines = [
        f"{verdict} — {format_money(d.entitlement_halalas, lang)}",
        t(
            "case.decision_facts",
            lang,
            members=d.member_count,
            income=format_money(d.counted_income_halalas, lang),
            threshold=format_money(d.threshold_halalas, lang),
        ),
        t("case.decision_meta", lang, version=d.rule_set_version, on=d.as_of.isoformat()),
        "",
    ]
    for r in d.reasons:
        if not (failed_only and r.passed):
            lines.append(f"{'✓' if r.passed else '✗'} {_message(r, lang)}")
    return lines


def what_if_lines(
    original: _Decision, outcome: WhatIf | None, error: str, pending: bool, lang: str
) -> list[str]:
    """The what-if beside the original: what the corrections make of the household."""
    before = t(
        "review.what_if.before",
        lang,
        verdict=t("case.eligible" if original.eligible else "case.not_eligible", lang),
        amount=format_money(original.entitlement_halalas, lang),
    )
    if error:
        return [before, "", error]
    if outcome is None:
        return [before, "", t("review.what_if.running" if pending else "review.what_if.hint", lang)]
    d = outcome.decision
    lines = [
        before,
        t("review.what_if.after", lang, count=len(outcome.corrections)),
        *decision_lines(d, lang, failed_only=True),
    ]
    if not d.failed:
        lines.append(t("review.what_if.all_passed", lang))
    lines.append(
        t(
            "review.what_if.arrears",
            lang,
            amount=format_money(outcome.arrears.total_halalas, lang),
            months=len(outcome.arrears.lines),
        )
    )
    return lines


def outcome_lines(review: ObjectionReview, lang: str) -> list[str]:
    """A decided objection: the outcome, the justification, the new decision, the
    arrears and the notification the applicant receives."""
    lines = [
        t("review.outcome.status", lang, status=enum_label(review.status, lang)),
        t("review.outcome.justification", lang, text=review.justification or "—"),
    ]
    if review.new_decision is not None:
        d = review.new_decision
        verdict = t("case.eligible" if d.eligible else "case.not_eligible", lang)
        lines.append(
            t(
                "review.outcome.new_decision",
                lang,
                verdict=verdict,
                amount=format_money(d.entitlement_halalas, lang),
            )
        )
        lines.append(
            t("review.outcome.arrears", lang, amount=format_money(review.arrears_halalas, lang))
        )
    if review.linked_reference:
        lines.append(t("review.outcome.linked", lang, reference=review.linked_reference))
    if review.notification_text:
        lines += ["", t("review.outcome.notification", lang), review.notification_text]
    return lines


# ---- the facts a decision used -------------------------------------------------------------
_FLAGS = (
    "special_needs",
    "studying",
    "scholarship_abroad",
    "is_orphan",
    "in_shelter",
    "has_movement_card",
    "listed_in_other_household",
)


def _money(value: Any, lang: str) -> str:
    try:
        return format_money(parse_sar(value), lang)
    except ValueError:
        return str(value)


def _member_lines(member: Mapping[str, Any], head: bool, lang: str) -> list[str]:
    who = (
        t("review.facts.head", lang)
        if head
        else t(
            "review.facts.dependent",
            lang,
            relationship=_label(Relationship, member.get("relationship", "other"), lang)
            if member.get("relationship")
            else t(f"review.facts.kind_{member.get('kind', 'relative')}", lang),
        )
    )
    lines = [
        t(
            "review.facts.person",
            lang,
            who=who,
            national_id=member.get("national_id", "—"),
            gender=_label(Gender, member.get("gender", ""), lang),
            birth=member.get("birth_date", "—"),
            nationality=member.get("nationality", "—"),
        )
    ]
    if member.get("marital_status"):
        lines[0] += " — " + _label(MaritalStatus, member["marital_status"], lang)
    flags = [t(f"review.facts.flag_{f}", lang) for f in _FLAGS if member.get(f)]
    if member.get("resides_in_kingdom") is False:
        flags.append(t("review.facts.flag_abroad", lang))
    if flags:
        lines.append("  " + t("list.separator", lang).join(flags))
    for line in member.get("incomes", ()):
        lines.append(
            "  "
            + t(
                "review.facts.income",
                lang,
                type=_label(IncomeType, line.get("type", ""), lang),
                source=line.get("source", ""),
                amount=_money(line.get("monthly_sar", "0"), lang),
            )
        )
    for line in member.get("supports", ()):
        lines.append(
            "  "
            + t(
                "review.facts.support",
                lang,
                program=line.get("program", ""),
                source=line.get("source", ""),
                amount=_money(line.get("monthly_sar", "0"), lang),
            )
        )
    for item in member.get("real_estate", ()):
        kind = _label(AssetKind, item.get("kind", ""), lang)
        amount = _money(item.get("value_sar", "0"), lang)
        lines.append("  " + t("review.facts.real_estate", lang, kind=kind, amount=amount))
    for item in member.get("deeds", ()):
        key = "review.facts.deed_home" if item.get("residence") else "review.facts.deed"
        lines.append("  " + t(key, lang, amount=_money(item.get("value_sar", "0"), lang)))
    for item in member.get("vehicles", ()):
        amount = _money(item.get("value_sar", "0"), lang)
        lines.append(
            "  " + t("review.facts.vehicle", lang, year=item.get("year", "—"), amount=amount)
        )
    return lines


def facts_lines(facts: Mapping[str, Any], lang: str) -> list[str]:
    """The household as the decision saw it: each member with their incomes, supports
    and assets (the JSON a decision records, in words)."""
    if not facts.get("head"):
        return [t("review.facts.none", lang)]
    lines = [t("review.facts.title", lang)]
    if facts.get("family_no", 1) != 1 or facts.get("provider_other_households", 0):
        lines.append(
            t(
                "review.facts.family",
                lang,
                no=facts.get("family_no", 1),
                others=facts.get("provider_other_households", 0),
            )
        )
    if facts.get("in_shelter"):
        lines.append(t("review.facts.flag_in_shelter", lang))
    lines += _member_lines(facts["head"], True, lang)
    for member in facts.get("dependents", ()):
        lines += _member_lines(member, False, lang)
    return lines


# ---- the what-if's rows ----------------------------------------------------------------------
def _what(row: CorrectableRow, lang: str) -> str:
    labels = CORRECTABLE.get(row.table, (row.table, row.table))
    what = labels[0] if lang == "ar" else labels[1]
    if row.table == "income_line" and row.kind:
        what = _label(IncomeType, row.kind, lang)
    elif row.table == "real_estate" and row.kind:
        what = _label(AssetKind, row.kind, lang)
    return f"{what} {row.detail}".strip() if row.detail else what


def _riyals(halalas: int) -> str:
    """An amount in riyals, grouped, without the currency (the column says it)."""
    riyals, rest = divmod(halalas, 100)
    return f"{riyals:,}.{rest:02d}"


def correctable_cells(row: CorrectableRow, corrected: Correction | None, lang: str) -> list[str]:
    """Whose, what, the amount now, and the correction made to it in the what-if."""
    now = "—" if row.value_halalas is None else _riyals(row.value_halalas)
    change = ""
    if corrected is not None:
        value = corrected.value_halalas
        change = t("review.correction.removed", lang) if value is None else _riyals(value)
    return [row.person_name, _what(row, lang), now, change]
