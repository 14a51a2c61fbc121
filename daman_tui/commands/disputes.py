"""`daman objections …` and `daman complaints …`: the review panel for scripts.

Objections (الاعتراضات) to an eligibility decision and financial complaints (الشكاوى
المالية) about a payment: filed at the counter with a reason and PDF evidence, listed,
read, tried with corrections (``what-if``), decided with a written justification, and
triaged (assigned, prioritised, closed as duplicates, taken for review). Every command
acts as a user (``--user``, the password from DAMAN_PASSWORD or a prompt) through
``services/disputes.py`` and ``services/review.py``, so the permissions, the objection
window, the evidence checks and the rule that nobody decides an objection to their own
decision are theirs; nothing here checks them again.

A record is named by its id or by its reference, as the applicant quotes it: the case's
request number and a tail, ``RYD01-…-O1A2B3C`` for an objection, ``…-C…`` for a
complaint. Text is printed in ``--lang``, or else the configured language (the root
``--lang``, DAMAN_LANG, the config file); ``decide`` writes the applicant's notification
in it too. Exit status as ``daman cases``: 0 done; 1 refused by a service, or nothing
found that the user may open; 2 the command line itself is wrong, found before a
password is asked for. A refusal is on stderr as ``<code>: <English>`` with the Arabic
on the next line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer

from daman_tui.commands.cases import (
    CaseArgument,
    JsonOption,
    UserOption,
    _acting,
    _day,
    _json,
    _lang,
    _one_case,
    _usage,
    _user_id,
)
from daman_tui.domain.digits import to_ascii_digits
from daman_tui.domain.disputes import COMPLAINT_CATEGORIES, CORRECTABLE, OBJECTION_CATEGORIES
from daman_tui.domain.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from daman_tui.domain.disputes import Correction
    from daman_tui.domain.eligibility import Decision
    from daman_tui.domain.permissions import Actor
    from daman_tui.services.case_file import DecisionDetail
    from daman_tui.services.disputes import DecisionChoice, DisputeRef, DisputeRow
    from daman_tui.services.review import ComplaintReview, ObjectionReview, WhatIf
    from daman_tui.services.store import Store
    from daman_tui.services.views import DocumentView

__all__ = ["register"]

Kind = Literal["objection", "complaint"]

# ---- arguments and options ----------------------------------------------------------------
RecordArgument = Annotated[
    str,
    typer.Argument(
        metavar="REF_OR_ID",
        help="The reference (e.g. RYD01-…-O1A2B3C) or the record's id.",
        show_default=False,
    ),
]
RecordsArgument = Annotated[
    list[str],
    typer.Argument(metavar="REF_OR_ID…", help="References or ids.", show_default=False),
]
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Language of the output (and of a notification written): ar or en; "
        "default: the configured language.",
        show_default=False,
    ),
]
ReviewJsonOption = Annotated[
    bool, typer.Option("--json", help="The whole record as one JSON document.")
]
TodayOption = Annotated[str | None, typer.Option("--today", hidden=True)]
"""The branch's day (tests pass one, seeded decisions being old); default today."""
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", help="The applicant's reason, in words.", show_default=False),
]
AttachOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--attach", help="A PDF the applicant gives as evidence (repeat).", show_default=False
    ),
]
JustificationOption = Annotated[
    str | None,
    typer.Option(
        "--justification",
        help="Why (10 characters at least): the applicant reads it in the notification.",
        show_default=False,
    ),
]
CorrectOption = Annotated[
    list[str] | None,
    typer.Option(
        "--correct",
        metavar="TABLE:ROW_ID=AMOUNT_SAR",
        help="Change a row of the file: its amount in riyals, or `remove` (repeat). Tables: "
        f"{', '.join(CORRECTABLE)}; row ids as `show` lists them.",
        show_default=False,
    ),
]
CorrectionsOption = Annotated[
    Path | None,
    typer.Option(
        "--corrections",
        metavar="FILE.json",
        help="The corrections as JSON: a list of {table, row_id, value_halalas (null: remove)}.",
        show_default=False,
    ),
]


# ---- words --------------------------------------------------------------------------------
_LABELS: dict[str, tuple[str, str]] = {
    "status": ("Status", "الحالة"),
    "category": ("Reason", "السبب"),
    "priority": ("Priority", "الأولوية"),
    "filed": ("Filed", "قُدّم في"),
    "by": ("by", "بواسطة"),
    "assignee": ("Assigned to", "المسند إليه"),
    "household": ("Household", "الأسرة"),
    "linked": ("Linked to", "مرتبط بـ"),
    "claim": ("Claim", "الادعاء"),
    "objected": ("Decision objected to", "القرار المعترض عليه"),
    "facts": ("Facts the decision used", "البيانات التي بُني عليها القرار"),
    "evidence": ("Evidence", "المرفقات"),
    "correctable": ("Rows a correction may change", "البنود القابلة للتصحيح"),
    "outcome": ("Outcome", "النتيجة"),
    "justification": ("Justification", "المسوغ"),
    "new_decision": ("New decision", "القرار الجديد"),
    "arrears": ("Arrears", "المستحقات السابقة"),
    "notification": ("Notification", "الإشعار"),
    "payment": ("Payment", "الدفعة"),
    "original": ("Original decision", "القرار الأصلي"),
    "with_corrections": ("With the corrections", "بعد التصحيح"),
    "corrections": ("Corrections", "التصحيحات"),
    "members": ("members", "عدد الأفراد"),
    "threshold": ("threshold", "الحد"),
    "counted": ("counted income", "الدخل المحتسب"),
    "rules": ("rules", "القواعد"),
    "eligible": ("eligible", "مستحق"),
    "not_eligible": ("not eligible", "غير مستحق"),
    "open": ("open", "مفتوحة"),
    "closed": ("closed", "منتهية"),
    "removed": ("removed", "يُحذف"),
    "paid": ("paid", "المدفوع"),
    "owed": ("owed", "المستحق"),
    "difference": ("difference", "الفرق"),
    "failed": ("failed", "لم يتحقق"),
    "none": ("none", "لا يوجد"),
    "nobody": ("nobody", "غير مسند"),
    "pending": ("not decided yet", "لم يُبت فيه بعد"),
    "held_reason": ("held because", "سبب الإيقاف"),
}


def _label(key: str, lang: str) -> str:
    en, ar = _LABELS[key]
    return ar if lang == "ar" else en


def _message(reason: Any, lang: str) -> str:
    """A reason's message (stored or just evaluated) in ``lang``."""
    return str(reason.message_ar if lang == "ar" else reason.message_en)


def _lang_of(ctx: typer.Context, raw: str | None) -> str:
    """``--lang`` when given, else the language the settings start the app in."""
    from daman_tui.cli import _settings

    return _lang(raw) if raw is not None else _settings(ctx).lang


def _money(halalas: int, lang: str) -> str:
    from daman_tui.domain.money import format_money

    return format_money(halalas, lang)


def _category(code: str, categories: Mapping[str, tuple[str, str]], lang: str) -> str:
    ar, en = categories.get(code, (code, code))
    return f"{code} ({ar if lang == 'ar' else en})"


def _indented(text: str, prefix: str = "  ") -> list[str]:
    return [f"{prefix}{line}" for line in text.splitlines()] or [prefix.rstrip()]


def _field(key: str, value: str, lang: str) -> str:
    return f"{_label(key, lang)}: {value}"


# ---- naming records -----------------------------------------------------------------------
_REFERENCE = re.compile(r"(?P<number>.+)-(?P<letter>[OC])[0-9A-F]{6}")
_LETTER: dict[str, str] = {"objection": "O", "complaint": "C"}
_NAMES: dict[str, tuple[str, str]] = {
    "objection": ("objection", "اعتراض"),
    "complaint": ("complaint", "شكوى"),
}


def _unknown(kind: Kind, text: str) -> ValidationError:
    en, ar = _NAMES[kind]
    # The same answer for "no such record" and "not yours to open".
    return ValidationError(
        f"{kind}.unknown",
        f"لا يوجد {ar} «{text}» يمكنك فتحه؛ أعطِ المرجع كما يذكره المستفيد أو المعرّف.",
        f"No {en} '{text}' that you may open; give its reference as the applicant quotes it, "
        "or its id.",
        reference=text,
    )


def _ref(store: Store, actor: Actor, kind: Kind, text: str) -> DisputeRef:
    """The record ``text`` names: a reference is looked up in the panel's list (among the
    records of its request number), anything else is taken as the id for the service."""
    from daman_tui.services.disputes import DisputeFilter, DisputeRef, dispute_queue

    typed = to_ascii_digits(text.strip())
    match = _REFERENCE.fullmatch(typed.upper())
    if match is None:
        return DisputeRef(kind, typed)
    if match["letter"] != _LETTER[kind]:
        raise _unknown(kind, text)
    rows = dispute_queue(
        store,
        actor,
        DisputeFilter(kinds=frozenset({kind}), state="all", search=match["number"]),
    )
    found = [r.ref for r in rows if r.reference == typed.upper()]
    if len(found) != 1:
        # Two records of one case sharing a tail would need the id: say it as unknown.
        raise _unknown(kind, text)
    return found[0]


def _refs(store: Store, actor: Actor, kind: Kind, texts: Sequence[str]) -> list[DisputeRef]:
    return [_ref(store, actor, kind, t) for t in texts]


# ---- corrections --------------------------------------------------------------------------
def _bad_correction(value: str, en: str, ar: str) -> NoReturn:
    _usage("input.correct", f"--correct '{value}': {en}", f"--correct «{value}»: {ar}")


def _correction_item(value: str) -> dict[str, Any]:
    """``TABLE:ROW_ID=AMOUNT_SAR`` (or ``=remove``) as the JSON corrections spell it."""
    from daman_tui.domain.household import parse_sar

    target, sep, amount = value.partition("=")
    table, colon, row_id = target.partition(":")
    if not (sep and colon and table.strip() and row_id.strip() and amount.strip()):
        _bad_correction(
            value,
            "write TABLE:ROW_ID=AMOUNT_SAR or TABLE:ROW_ID=remove.",
            "اكتب TABLE:ROW_ID=AMOUNT_SAR أو TABLE:ROW_ID=remove.",
        )
    halalas: int | None = None
    if amount.strip().lower() != "remove":
        try:
            halalas = parse_sar(amount)
        except ValueError as err:
            _bad_correction(
                value, f"the amount is {err}.", "المبلغ بالريال، مثل 2300.50، بلا إشارة أو فواصل."
            )
    return {"table": table.strip(), "row_id": row_id.strip(), "value_halalas": halalas}


def _corrections(given: Sequence[str] | None, file: Path | None) -> tuple[Correction, ...]:
    """The corrections of ``--correct`` or ``--corrections``, checked before anything is read."""
    from daman_tui.domain.disputes import parse_corrections

    if given and file is not None:
        _usage(
            "input.option",
            "Give the corrections by --correct or by --corrections, not both.",
            "أعطِ التصحيحات بـ --correct أو بـ --corrections، لا بكليهما.",
        )
    if file is not None:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            _usage(
                "input.corrections",
                f"--corrections {file}: cannot read it as JSON ({err}).",
                f"--corrections {file}: تعذرت قراءته ملف JSON ({err}).",
            )
    else:
        data = [_correction_item(v) for v in given or ()]
    try:
        return parse_corrections(data)
    except ValidationError as err:
        _usage(err.code, err.message_en, err.message_ar)


def _correction_text(c: Correction, lang: str) -> str:
    amount = _label("removed", lang) if c.value_halalas is None else _money(c.value_halalas, lang)
    return f"{c.table}:{c.row_id} = {amount}"


# ---- shared pieces ------------------------------------------------------------------------
def _missing(command: str, option: str, metavar: str) -> NoReturn:
    _usage(
        "input.missing",
        f"{command} needs {option} {metavar}.",
        f"الأمر {command} يحتاج {option} {metavar}.",
    )


def _one_of(command: str, first: bool, second: bool, names: tuple[str, str]) -> None:
    if first == second:
        a, b = names
        _usage(
            "input.outcome",
            f"{command} needs {a} or {b} (one of them).",
            f"الأمر {command} يحتاج {a} أو {b} (أحدهما فقط).",
        )


def _filing_options(
    command: str, category: str | None, reason: str | None, extra: Sequence[tuple[str, Any, str]]
) -> None:
    """What a filing cannot go without; the values are the service's to judge."""
    needs = [*extra, ("--category", category, "CODE"), ("--reason", reason, "TEXT")]
    for option, value, metavar in needs:
        if value is None:
            _missing(command, option, metavar)


def _filed(kind: Kind, reference: str | None, record_id: str, as_json: bool) -> None:
    if as_json:
        typer.echo(_json({"kind": kind, "id": record_id, "reference": reference}))
    else:
        typer.echo(f"{reference or '-'}\t{record_id}")


def _verdict(eligible: bool, lang: str) -> str:
    return _label("eligible" if eligible else "not_eligible", lang)


def _detail_lines(d: DecisionDetail, lang: str) -> list[str]:
    """A stored decision: day, rules, verdict and amount, the figures, every reason."""
    head = (
        f"{d.as_of.isoformat()} ({d.id}), {_label('rules', lang)} {d.rule_set_version}, "
        f"{_verdict(d.eligible, lang)}, {_money(d.entitlement_halalas, lang)}"
    )
    figures = (
        f"  {_label('members', lang)} {d.member_count}, "
        f"{_label('threshold', lang)} {_money(d.threshold_halalas, lang)}, "
        f"{_label('counted', lang)} {_money(d.counted_income_halalas, lang)}"
    )
    reasons = [
        f"  {'✓' if r.passed else '✗'} {r.rule_code}  {_message(r, lang)}" for r in d.reasons
    ]
    return [head, figures, *reasons]


def _evidence_lines(docs: Sequence[DocumentView], lang: str) -> list[str]:
    lines = [f"  {d.file_name}  {d.mime_type}  {d.size_bytes} B  sha256 {d.sha256}" for d in docs]
    return [f"{_label('evidence', lang)} ({len(docs)}):", *(lines or [f"  {_label('none', lang)}"])]


def _header_lines(
    review: ObjectionReview | ComplaintReview,
    status: str,
    categories: Mapping[str, tuple[str, str]],
    lang: str,
) -> list[str]:

    who = f"{review.head_name or '-'}, {review.national_id or '-'}"
    return [
        review.reference,
        _field("status", status, lang),
        _field("category", _category(review.category, categories, lang), lang),
        _field("priority", str(review.priority), lang),
        _field(
            "filed",
            f"{review.filed_on.isoformat()} {_label('by', lang)} {review.filed_by_name or '-'}",
            lang,
        ),
        _field("assignee", review.assignee_name or _label("nobody", lang), lang),
        _field("household", f"{who}, {review.request_number}", lang),
        f"{_label('claim', lang)}:",
        *_indented(review.reason_text),
    ]


# ---- list (both kinds) --------------------------------------------------------------------
def _row_line(row: DisputeRow) -> str:
    from daman_tui.domain.national_id import mask_national_id

    return "\t".join(
        [
            row.reference,
            row.status,
            row.cycle_month or row.subject,
            row.category,
            str(row.priority),
            row.filed_on.isoformat(),
            str(row.days_left),
            row.assignee_name or "-",
            mask_national_id(row.national_id) if row.national_id else "-",
            row.head_name or "-",
        ]
    )


def _list_command(kind: Kind) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        as_user: UserOption = None,
        every: Annotated[
            bool, typer.Option("--all", help="Open and decided alike (default: open only).")
        ] = False,
        decided: Annotated[bool, typer.Option("--decided", help="Only the decided.")] = False,
        mine: Annotated[bool, typer.Option("--mine", help="Only those assigned to me.")] = False,
        unassigned: Annotated[
            bool, typer.Option("--unassigned", help="Only those assigned to nobody.")
        ] = False,
        overdue: Annotated[
            bool, typer.Option("--overdue", help="Only those past their review's due day.")
        ] = False,
        search: Annotated[
            str | None,
            typer.Option(
                "--search",
                help="A request number or reference, the start of a national ID, or any "
                "part of the name.",
                show_default=False,
            ),
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per line, every field.")
        ] = False,
    ) -> None:
        from daman_tui.services.disputes import DisputeFilter, dispute_queue

        if every and decided:
            _usage(
                "input.option",
                "--all and --decided exclude each other.",
                "الخياران --all و --decided لا يجتمعان.",
            )
        flt = DisputeFilter(
            kinds=frozenset({kind}),
            state="all" if every else "decided" if decided else "open",
            mine=mine,
            unassigned=unassigned,
            overdue=overdue,
            search=search or "",
        )
        with _acting(ctx, as_user) as (store, actor):
            rows = dispute_queue(store, actor, flt)
        for row in rows:
            typer.echo(_json(asdict(row)) if as_json else _row_line(row))

    subject = "kind (eligibility or amount)" if kind == "objection" else "payment month"
    command.__doc__ = (
        f"The {kind}s of your branch, urgent first, then oldest (IDs masked).\n\n"
        f"Tab-separated columns: reference, status, {subject}, reason, priority, filed, "
        "days left for the review (negative: overdue), assigned to, masked national ID, name."
    )
    return command


# ---- objections ---------------------------------------------------------------------------
def _choice_line(c: DecisionChoice, lang: str) -> str:
    d = c.decision
    failed = ",".join(r.rule_code for r in d.failed) or "-"
    window = _label("open" if c.window_open else "closed", lang)
    return "\t".join(
        [
            d.id,
            d.as_of.isoformat(),
            d.cycle_month or "-",
            _verdict(d.eligible, lang),
            _money(d.entitlement_halalas, lang),
            c.kind.value,
            f"{c.window_first.isoformat()}..{c.window_last.isoformat()}",
            window,
            c.open_objection or "-",
            failed,
        ]
    )


def objections_choices(
    ctx: typer.Context,
    case: CaseArgument,
    as_user: UserOption = None,
    lang: LangOption = None,
    today: TodayOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line, every reason.")
    ] = False,
) -> None:
    """The household's decisions an objection may be filed against, newest first.

    Columns: decision id, as of, cycle month, verdict, amount, what an objection would
    be about (eligibility or amount), the objection window (first..last day), whether it
    is open, an objection to it still under review, the rules failed.
    """
    from daman_tui.services.disputes import objection_choices

    lang = _lang_of(ctx, lang)
    day = _day("--today", today) or date.today()
    with _acting(ctx, as_user) as (store, actor):
        ref = _one_case(store, actor, case)
        choices = objection_choices(store, actor, ref.application_id, today=day)
    for c in choices:
        typer.echo(_json(asdict(c)) if as_json else _choice_line(c, lang))


def objections_file(
    ctx: typer.Context,
    case: CaseArgument,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision",
            help="The decision objected to (its id, from `objections choices`).",
            show_default=False,
        ),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help=f"Why the applicant objects: {', '.join(OBJECTION_CATEGORIES)}.",
            show_default=False,
        ),
    ] = None,
    reason: ReasonOption = None,
    attach: AttachOption = None,
    as_user: UserOption = None,
    today: TodayOption = None,
    as_json: JsonOption = False,
) -> None:
    """File (and confirm) an objection for the applicant; prints its reference and id.

    Refused outside the decision's objection window (its dates in the message), while
    another objection to the decision is under review, and without a PDF.
    """
    from daman_tui.services.disputes import file_objection, reference

    _filing_options("objections file", category, reason, [("--decision", decision, "ID")])
    day = _day("--today", today) or date.today()
    with _acting(ctx, as_user) as (store, actor):
        ref = _one_case(store, actor, case)
        objection_id = file_objection(
            store,
            actor,
            ref.application_id,
            str(decision).strip(),
            category=str(category),
            reason_text=str(reason),
            attachments=attach or (),
            today=day,
        )
    _filed(
        "objection", reference("objection", ref.request_number, objection_id), objection_id, as_json
    )


def _correctable_lines(review: ObjectionReview, lang: str) -> list[str]:
    from daman_tui.domain.national_id import mask_national_id

    lines = []
    for r in review.correctable:
        amount = "-" if r.value_halalas is None else _money(r.value_halalas, lang)
        what = " ".join(part for part in (r.kind, r.detail) if part) or "-"
        lines.append(
            f"  {r.table}:{r.row_id}  {r.person_name} ({mask_national_id(r.national_id)})"
            f"  {what}  {amount}"
        )
    heading = f"{_label('correctable', lang)} ({len(lines)}):"
    return [heading, *(lines or [f"  {_label('none', lang)}"])]


def _outcome_lines(review: ObjectionReview, lang: str) -> list[str]:
    if review.outcome is None:
        if review.is_open:
            return [_field("outcome", _label("pending", lang), lang)]
        return [_field("outcome", review.status.value, lang)]
    lines = [
        _field("outcome", review.outcome.value, lang),
        f"{_label('justification', lang)}:",
        *_indented(review.justification),
    ]
    if review.new_decision is not None:
        lines += [
            f"{_label('new_decision', lang)}: " + _detail_lines(review.new_decision, lang)[0],
            *_detail_lines(review.new_decision, lang)[1:],
        ]
    lines.append(_field("arrears", _money(review.arrears_halalas, lang), lang))
    if review.notification_text:
        lines += [f"{_label('notification', lang)}:", *_indented(review.notification_text)]
    return lines


def _objection_text(review: ObjectionReview, lang: str) -> str:
    status = f"{review.status.value} ({review.kind.value})"
    header = _header_lines(review, status, OBJECTION_CATEGORIES, lang)
    if review.linked_reference:
        header.append(_field("linked", review.linked_reference, lang))
    version = review.decision.rule_set_version
    facts = json.dumps(review.facts, ensure_ascii=False, indent=2)
    detail = _detail_lines(review.decision, lang)
    blocks = [
        header,
        [f"{_label('objected', lang)}: {detail[0]}", *detail[1:]],
        [f"{_label('facts', lang)} ({_label('rules', lang)} {version}):", *_indented(facts)],
        _evidence_lines(review.evidence, lang),
        _correctable_lines(review, lang),
        _outcome_lines(review, lang),
    ]
    return "\n\n".join("\n".join(block) for block in blocks)


def _decision_lines(d: Decision, lang: str) -> list[str]:
    """An evaluation not stored: verdict and amount, the figures, the rules failed."""
    failed = [f"  ✗ {r.code}  {r.message_ar if lang == 'ar' else r.message_en}" for r in d.failed]
    return [
        f"{d.as_of.isoformat()}, {_label('rules', lang)} {d.rule_set_version}, "
        f"{_verdict(d.eligible, lang)}, {_money(d.entitlement_halalas, lang)}",
        f"  {_label('members', lang)} {d.member_count}, "
        f"{_label('threshold', lang)} {_money(d.threshold_halalas, lang)}, "
        f"{_label('counted', lang)} {_money(d.counted_income_halalas, lang)}",
        *(failed or [f"  {_label('failed', lang)}: {_label('none', lang)}"]),
    ]


def _what_if_text(review: ObjectionReview, result: WhatIf, lang: str) -> str:
    original = _detail_lines(review.decision, lang)
    new = _decision_lines(result.decision, lang)
    months = [
        f"  {line.month}  {_label('paid', lang)} {_money(line.paid_halalas, lang)}  "
        f"{_label('owed', lang)} {_money(line.owed_halalas, lang)}  "
        f"{_label('difference', lang)} {_money(line.difference_halalas, lang)}"
        for line in result.arrears.lines
    ]
    fixes = [f"  {_correction_text(c, lang)}" for c in result.corrections]
    blocks = [
        [review.reference],
        [f"{_label('original', lang)}: {original[0]}", original[1]],
        [f"{_label('with_corrections', lang)}: {new[0]}", *new[1:]],
        [_field("arrears", _money(result.arrears.total_halalas, lang), lang), *months],
        [
            f"{_label('corrections', lang)} ({len(fixes)}):",
            *(fixes or [f"  {_label('none', lang)}"]),
        ],
    ]
    return "\n\n".join("\n".join(block) for block in blocks)


def _what_if_json(review: ObjectionReview, result: WhatIf) -> dict[str, Any]:
    d = result.decision
    return {
        "reference": review.reference,
        "id": review.ref.id,
        "original": asdict(review.decision),
        "decision": {
            **d.to_json(),
            "entitlement_halalas": d.entitlement_halalas,
            "threshold_halalas": d.threshold_halalas,
            "counted_income_halalas": d.counted_income_halalas,
            "failed": [r.code for r in d.failed],
        },
        "arrears": {
            "total_halalas": result.arrears.total_halalas,
            "lines": [
                {**asdict(line), "difference_halalas": line.difference_halalas}
                for line in result.arrears.lines
            ],
        },
        "corrections": [c.to_json() for c in result.corrections],
    }


def objections_what_if(
    ctx: typer.Context,
    objection: RecordArgument,
    correct: CorrectOption = None,
    corrections: CorrectionsOption = None,
    as_user: UserOption = None,
    lang: LangOption = None,
    today: TodayOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="The original, the new decision and the arrears.")
    ] = False,
) -> None:
    """The household evaluated with corrections beside the decision; nothing is stored.

    Prints the new decision (eligible, amount, the rules failed) and the arrears an
    uphold would bring, month by month. Without corrections: the file as it stands.
    """
    from daman_tui.services.review import objection_review, what_if

    fixes = _corrections(correct, corrections)
    lang = _lang_of(ctx, lang)
    day = _day("--today", today) or date.today()
    with _acting(ctx, as_user) as (store, actor):
        ref = _ref(store, actor, "objection", objection)
        review = objection_review(store, actor, ref.id)
        result = what_if(store, actor, ref.id, fixes, today=day)
    if as_json:
        typer.echo(_json(_what_if_json(review, result), indent=2))
    else:
        typer.echo(_what_if_text(review, result, lang))


def objections_decide(
    ctx: typer.Context,
    objection: RecordArgument,
    uphold: Annotated[
        bool, typer.Option("--uphold", help="Re-evaluate (with the corrections) and record.")
    ] = False,
    dismiss: Annotated[bool, typer.Option("--dismiss", help="The decision stands.")] = False,
    justification: JustificationOption = None,
    correct: CorrectOption = None,
    corrections: CorrectionsOption = None,
    as_user: UserOption = None,
    lang: LangOption = None,
    today: TodayOption = None,
    as_json: ReviewJsonOption = False,
) -> None:
    """Uphold or dismiss an objection with a written justification; prints the outcome.

    The applicant's notification is printed too, written in the output's language.
    Upholding applies the corrections for good, records the new decision, the arrears,
    and approves a rejected case the household is now eligible in. Only a supervisor of
    the branch decides, and never on an objection to a decision they made.
    """
    from daman_tui.services.review import decide_objection

    _one_of("objections decide", uphold, dismiss, ("--uphold", "--dismiss"))
    if justification is None:
        _missing("objections decide", "--justification", "TEXT")
    fixes = _corrections(correct, corrections)
    language = _lang_of(ctx, lang)
    day = _day("--today", today) or date.today()
    with _acting(ctx, as_user) as (store, actor):
        ref = _ref(store, actor, "objection", objection)
        review = decide_objection(
            store,
            actor,
            ref.id,
            uphold=uphold,
            justification=str(justification),
            corrections=fixes,
            today=day,
            lang=language,
        )
    _echo_review(
        review, as_json, lambda: "\n".join([review.reference, *_outcome_lines(review, language)])
    )


# ---- complaints ---------------------------------------------------------------------------
def complaints_file(
    ctx: typer.Context,
    payment: Annotated[
        str,
        typer.Argument(
            metavar="PAYMENT_ID",
            help="The payment complained about (its id, from `payments list`).",
            show_default=False,
        ),
    ],
    category: Annotated[
        str | None,
        typer.Option(
            "--category",
            help=f"What is wrong: {', '.join(COMPLAINT_CATEGORIES)}.",
            show_default=False,
        ),
    ] = None,
    reason: ReasonOption = None,
    attach: AttachOption = None,
    as_user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """File (and confirm) a complaint about one payment; prints its reference and id."""
    from daman_tui.services.disputes import DisputeFilter, dispute_queue, file_complaint

    _filing_options("complaints file", category, reason, ())
    with _acting(ctx, as_user) as (store, actor):
        complaint_id = file_complaint(
            store,
            actor,
            payment.strip(),
            category=str(category),
            reason_text=str(reason),
            attachments=attach or (),
        )
        # A new complaint is open and unassigned: the reference is read from that list.
        fresh = DisputeFilter(kinds=frozenset({"complaint"}), unassigned=True)
        found = [
            r.reference for r in dispute_queue(store, actor, fresh) if r.ref.id == complaint_id
        ]
    _filed("complaint", found[0] if found else None, complaint_id, as_json)


def _complaint_text(review: ComplaintReview, lang: str) -> str:
    header = _header_lines(review, review.status.value, COMPLAINT_CATEGORIES, lang)
    payment = [
        f"{_label('payment', lang)}: {review.payment_id}  {review.cycle_month}  "
        f"{review.pay_date.isoformat()}  {_money(review.amount_halalas, lang)}  "
        f"{review.payment_status.value}"
    ]
    if review.held_reason:
        payment.append(
            f"  {_label('held_reason', lang)}: {' / '.join(review.held_reason.splitlines())}"
        )
    if review.is_open:
        outcome = [_field("outcome", _label("pending", lang), lang)]
    else:
        outcome = [
            _field("outcome", review.status.value, lang),
            f"{_label('justification', lang)}:",
            *_indented(review.justification),
        ]
        if review.resolution_text:
            outcome += [f"{_label('notification', lang)}:", *_indented(review.resolution_text)]
    blocks = [header, payment, _evidence_lines(review.evidence, lang), outcome]
    return "\n\n".join("\n".join(block) for block in blocks)


def complaints_decide(
    ctx: typer.Context,
    complaint: RecordArgument,
    resolve: Annotated[bool, typer.Option("--resolve", help="The complaint is right.")] = False,
    dismiss: Annotated[bool, typer.Option("--dismiss", help="Closed without action.")] = False,
    reissue: Annotated[
        bool,
        typer.Option("--reissue", help="With --resolve: a held or returned payment is due again."),
    ] = False,
    justification: JustificationOption = None,
    as_user: UserOption = None,
    lang: LangOption = None,
    as_json: ReviewJsonOption = False,
) -> None:
    """Resolve or dismiss a complaint with a written justification; prints the outcome.

    Then the payment's status and the household's notification, written in the output's
    language.
    """
    from daman_tui.services.review import decide_complaint

    _one_of("complaints decide", resolve, dismiss, ("--resolve", "--dismiss"))
    if justification is None:
        _missing("complaints decide", "--justification", "TEXT")
    language = _lang_of(ctx, lang)
    with _acting(ctx, as_user) as (store, actor):
        ref = _ref(store, actor, "complaint", complaint)
        review = decide_complaint(
            store,
            actor,
            ref.id,
            resolve=resolve,
            justification=str(justification),
            reissue=reissue,
            lang=language,
        )
    lines = [
        review.reference,
        _field("outcome", review.status.value, language),
        _field("payment", f"{review.payment_id} {review.payment_status.value}", language),
        f"{_label('notification', language)}:",
        *_indented(review.resolution_text),
    ]
    _echo_review(review, as_json, lambda: "\n".join(lines))


# ---- show (both kinds) --------------------------------------------------------------------
def _echo_review(
    review: ObjectionReview | ComplaintReview, as_json: bool, text: Callable[[], str]
) -> None:
    if as_json:
        typer.echo(_json({**asdict(review), "is_open": review.is_open}, indent=2))
    else:
        typer.echo(text())


def _review(store: Store, actor: Actor, ref: DisputeRef) -> ObjectionReview | ComplaintReview:
    from daman_tui.services.review import complaint_review, objection_review

    read = objection_review if ref.kind == "objection" else complaint_review
    return read(store, actor, ref.id)


def _review_text(review: ObjectionReview | ComplaintReview, lang: str) -> str:
    from daman_tui.services.review import ObjectionReview

    if isinstance(review, ObjectionReview):
        return _objection_text(review, lang)
    return _complaint_text(review, lang)


def _show_command(kind: Kind, doc: str) -> Callable[..., None]:
    def command(
        ctx: typer.Context,
        record: RecordArgument,
        as_user: UserOption = None,
        lang: LangOption = None,
        as_json: ReviewJsonOption = False,
    ) -> None:
        language = _lang_of(ctx, lang)
        with _acting(ctx, as_user) as (store, actor):
            review = _review(store, actor, _ref(store, actor, kind, record))
        _echo_review(review, as_json, lambda: _review_text(review, language))

    command.__doc__ = doc
    return command


_SHOW_OBJECTION = """An objection as the reviewer reads it.

The claim and its evidence (with each file's sha256), the decision objected to with
every reason and the facts it used (with its rules' version), the rows a correction may
change (TABLE:ROW_ID, as `what-if` and `decide` take them) with their amounts, and once
decided: the outcome, the justification, the new decision, the arrears and the
applicant's notification.
"""
_SHOW_COMPLAINT = """A financial complaint as the reviewer reads it.

The claim, the payment (month, pay day, amount, status, why held), the evidence with
each file's sha256, and once decided the outcome, the justification and the household's
notification.
"""


# ---- triage (both kinds) ------------------------------------------------------------------
def _triage_commands(kind: Kind) -> dict[str, Callable[..., None]]:
    """``assign``, ``priority``, ``duplicate`` and ``take`` for one kind of record."""

    def assign(
        ctx: typer.Context,
        records: RecordsArgument,
        to: Annotated[
            str | None,
            typer.Option("--to", help="The supervisor (user name).", show_default=False),
        ] = None,
        as_user: UserOption = None,
    ) -> None:
        from daman_tui.services.disputes import assign_disputes

        if not to:
            _missing(f"{kind}s assign", "--to", "USERNAME")
        with _acting(ctx, as_user) as (store, actor):
            done = assign_disputes(
                store, actor, _refs(store, actor, kind, records), _user_id(store, str(to))
            )
        typer.echo(f"assigned {done} {kind}(s) to {to}")

    def priority(
        ctx: typer.Context,
        records: RecordsArgument,
        level: Annotated[
            int | None,
            typer.Option("--level", help="0 normal, 1 high, 2 urgent.", show_default=False),
        ] = None,
        as_user: UserOption = None,
    ) -> None:
        from daman_tui.services.disputes import prioritise_disputes

        if level is None:
            _missing(f"{kind}s priority", "--level", "0|1|2")
        with _acting(ctx, as_user) as (store, actor):
            done = prioritise_disputes(store, actor, _refs(store, actor, kind, records), int(level))
        typer.echo(f"priority {level} for {done} {kind}(s)")

    def duplicate(
        ctx: typer.Context,
        records: RecordsArgument,
        of: Annotated[
            str | None,
            typer.Option(
                "--of", help="The record they repeat (reference or id).", show_default=False
            ),
        ] = None,
        as_user: UserOption = None,
    ) -> None:
        from daman_tui.services.disputes import close_as_duplicates

        if not of:
            _missing(f"{kind}s duplicate", "--of", "REF_OR_ID")
        with _acting(ctx, as_user) as (store, actor):
            original = _ref(store, actor, kind, str(of))
            done = close_as_duplicates(store, actor, _refs(store, actor, kind, records), original)
        typer.echo(f"closed {done} {kind}(s) as duplicates of {of}")

    def take(ctx: typer.Context, record: RecordArgument, as_user: UserOption = None) -> None:
        from daman_tui.services.disputes import take_for_review

        with _acting(ctx, as_user) as (store, actor):
            take_for_review(store, actor, _ref(store, actor, kind, record))
        typer.echo(f"{record}: under review")

    assign.__doc__ = f"Assign {kind}s to a supervisor of their branch."
    priority.__doc__ = f"Set the priority of {kind}s: 0 normal, 1 high, 2 urgent."
    duplicate.__doc__ = (
        f"Close {kind}s as duplicates of another of the same household, linked to it."
    )
    take.__doc__ = f"Open a filed {kind} for review: under review, and yours if no one's."
    return {"assign": assign, "priority": priority, "duplicate": duplicate, "take": take}


def register(app: typer.Typer) -> None:
    """Add the ``objections`` and ``complaints`` groups to the ``daman`` app."""
    objections = typer.Typer(
        help="Objections (الاعتراضات) to eligibility decisions.", no_args_is_help=True
    )
    complaints = typer.Typer(
        help="Financial complaints (الشكاوى المالية) about payments.", no_args_is_help=True
    )
    objections.command("list")(_list_command("objection"))
    objections.command("choices")(objections_choices)
    objections.command("file")(objections_file)
    objections.command("show")(_show_command("objection", _SHOW_OBJECTION))
    objections.command("what-if")(objections_what_if)
    objections.command("decide")(objections_decide)
    complaints.command("list")(_list_command("complaint"))
    complaints.command("file")(complaints_file)
    complaints.command("show")(_show_command("complaint", _SHOW_COMPLAINT))
    complaints.command("decide")(complaints_decide)
    groups: tuple[tuple[typer.Typer, Kind], ...] = (
        (objections, "objection"),
        (complaints, "complaint"),
    )
    for group, kind in groups:
        for name, command in _triage_commands(kind).items():
            group.command(name)(command)
    app.add_typer(objections, name="objections")
    app.add_typer(complaints, name="complaints")
