"""`daman cases …`: the case queue and the case file for scripts.

``list`` is the queue (search, filters, sort, saved views, a count), ``show`` the case
file, ``act`` an action on a case, ``reasons`` the rules a rejection may cite, and
``views``/``save-view``/``delete-view`` the user's saved views. Every command acts as a
user (``--user``, the password from DAMAN_PASSWORD or a prompt) and goes through the
same services as the TUI, so the same permissions, state machine and four-eyes rule
apply; nothing here checks them again.

Exit status: 0 done; 1 refused — by a service (permission, status, stale case) or
because what was named is not in the store (case, user, saved view); 2 the command line
itself is wrong (an unknown status, sort column or action, a bad date, an option the
action does not take), found before anything is read. Either way stderr has
``<code>: <English>`` and the Arabic on the next line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from daman_tui.db.models.queue import QUEUE_SORTS
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.errors import ValidationError
from daman_tui.services.case_actions import ACTIONS
from daman_tui.services.queue import QUEUE_KINDS, SLA_STATES, QueueFilter, QueueQuery, QueueSort

if TYPE_CHECKING:
    from daman_tui.domain.permissions import Actor
    from daman_tui.services.case_actions import RejectionChoice
    from daman_tui.services.case_file import CaseFileView, CaseRef, ReasonView
    from daman_tui.services.queue import QueueItem
    from daman_tui.services.saved_filters import SavedView
    from daman_tui.services.store import Store
    from daman_tui.services.views import ApplicationView

__all__ = ["register"]

MAX_LIMIT = 10_000
"""Rows ``cases list`` prints at most: a script wanting more narrows the query."""

_STATUSES = tuple(s.value for s in ApplicationStatus)

# ---- options shared by `list` and `save-view` -------------------------------------------
UserOption = Annotated[str | None, typer.Option("--user", help="Acting user.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine output as JSON.")]
CaseArgument = Annotated[
    str,
    typer.Argument(
        metavar="REQUEST_OR_ID",
        help="The request number (رقم الطلب) or the head's full national ID.",
        show_default=False,
    ),
]
SearchOption = Annotated[
    str | None,
    typer.Option(
        "--search",
        help="ID prefix, request number or any part of the name (any Arabic spelling).",
        show_default=False,
    ),
]
StatusOption = Annotated[
    list[str] | None,
    typer.Option("--status", help=f"Only these statuses (repeat, or a,b): {', '.join(_STATUSES)}."),
]
SlaOption = Annotated[
    list[str] | None,
    typer.Option("--sla", help=f"Where the 20-day clock stands: {', '.join(SLA_STATES)}."),
]
KindOption = Annotated[
    list[str] | None, typer.Option("--kind", help=f"Kinds of work: {', '.join(QUEUE_KINDS)}.")
]
BranchOption = Annotated[
    list[str] | None, typer.Option("--branch", help="Branch codes (repeat, or a,b).")
]
MineOption = Annotated[bool, typer.Option("--mine", help="Only the cases assigned to me.")]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", help="Submitted on or after this day (Gregorian or Hijri).", show_default=False
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", help="Submitted on or before this day.", show_default=False),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help=f"Sort column: {', '.join(QUEUE_SORTS)} (ascending unless --desc).",
        show_default=False,
    ),
]
DirectionOption = Annotated[
    bool | None,
    typer.Option(
        "--desc/--asc", help="Sort direction (default: newest change first).", show_default=False
    ),
]


# ---- messages -----------------------------------------------------------------------------
def _usage(code: str, message_en: str, message_ar: str) -> NoReturn:
    """A wrong command line: said in both languages, exit 2, nothing read or written."""
    typer.secho(f"{code}: {message_en}\n{message_ar}", fg=typer.colors.RED, err=True)
    raise typer.Exit(2)


def _unknown_value(code: str, option: str, value: str, choices: Iterable[str]) -> NoReturn:
    listed = ", ".join(choices)
    _usage(
        code,
        f"{option}: unknown value '{value}'; choose from: {listed}.",
        f"{option}: القيمة «{value}» غير معروفة؛ الخيارات: {listed}.",
    )


def _lang(raw: str) -> str:
    lang = raw.strip().lower()
    if lang not in ("ar", "en"):
        _unknown_value("input.lang", "--lang", raw, ("ar", "en"))
    return lang


# ---- acting as a user ---------------------------------------------------------------------
@contextmanager
def _acting(ctx: typer.Context, as_user: str | None) -> Iterator[tuple[Store, Actor]]:
    """The store and the signed-in user; a service's refusal inside ends the command."""
    # cli.py builds the app and its helpers; imported here, when the command runs.
    from daman_tui.cli import _actor, _open_store, _settings

    if not as_user:
        _usage(
            "input.user",
            "This command acts as a user: give --user (password from DAMAN_PASSWORD or a prompt).",
            "هذا الأمر يعمل باسم مستخدم: أعطِ --user (وكلمة المرور في DAMAN_PASSWORD أو تُطلب).",
        )
    with _open_store(_settings(ctx)) as store:
        yield store, _actor(store, as_user)


def _one_case(store: Store, actor: Actor, text: str) -> CaseRef:
    """The single case ``text`` names; refused when it names none or several."""
    refs = _cases_named(store, actor, text)
    if len(refs) > 1:
        numbers = ", ".join(r.request_number for r in refs)
        raise ValidationError(
            "case.ambiguous",
            f"«{text}» يدل على {len(refs)} طلبات ({numbers})؛ أعطِ رقم الطلب.",
            f"'{text}' names {len(refs)} cases ({numbers}); give the request number.",
        )
    return refs[0]


def _cases_named(store: Store, actor: Actor, text: str) -> list[CaseRef]:
    from daman_tui.services.case_file import find_case

    refs = find_case(store, actor, text)
    if not refs:
        # The same answer for "no such case" and "not yours to open": no probing by script.
        raise ValidationError(
            "case.unknown",
            f"لا يوجد طلب «{text}» يمكنك فتحه؛ أعطِ رقم الطلب أو رقم هوية رب الأسرة كاملًا.",
            f"No case '{text}' that you may open; give a request number or the head's "
            "full national ID.",
        )
    return refs


# ---- the queue's options ------------------------------------------------------------------
def _codes(raw: Sequence[str] | None) -> list[str]:
    """Repeated values and comma lists alike, as the queue spells them."""
    out: list[str] = []
    for value in raw or ():
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def _choices(
    raw: Sequence[str] | None, option: str, code: str, allowed: Sequence[str]
) -> frozenset[str] | None:
    """The values given for ``option`` (None when it was not given), each one known."""
    if not raw:
        return None
    values = set()
    for value in _codes(raw):
        key = value.lower().replace("-", "_")
        if key not in allowed:
            _unknown_value(code, option, value, allowed)
        values.add(key)
    return frozenset(values)


def _day(option: str, raw: str | None) -> date | None:
    from daman_tui.domain.dates import parse_date

    if raw is None:
        return None
    try:
        return parse_date(raw).gregorian
    except ValidationError as err:
        _usage(
            err.code, f"{option} '{raw}': {err.message_en}", f"{option} «{raw}»: {err.message_ar}"
        )


@dataclass(frozen=True)
class Narrowing:
    """What the queue options asked for; None (or False) leaves the base query's part."""

    search: str | None = None
    statuses: frozenset[str] | None = None
    sla: frozenset[str] | None = None
    kinds: frozenset[str] | None = None
    branches: frozenset[str] | None = None
    mine: bool = False
    submitted_from: date | None = None
    submitted_to: date | None = None
    sort: str | None = None
    descending: bool | None = None


def _narrowing(
    *,
    search: str | None,
    status: Sequence[str] | None,
    sla: Sequence[str] | None,
    kind: Sequence[str] | None,
    branch: Sequence[str] | None,
    mine: bool,
    date_from: str | None,
    date_to: str | None,
    sort: str | None,
    descending: bool | None,
) -> Narrowing:
    """The queue options checked, before the store is opened or a password asked for."""
    if sort is not None and sort not in QUEUE_SORTS:
        _unknown_value("input.sort", "--sort", sort, QUEUE_SORTS)
    start, end = _day("--from", date_from), _day("--to", date_to)
    if start and end and start > end:
        _usage(
            "input.date_range",
            f"--from {start.isoformat()} is after --to {end.isoformat()}.",
            f"تاريخ --from {start.isoformat()} بعد تاريخ --to {end.isoformat()}.",
        )
    branches = _codes(branch)
    return Narrowing(
        search=search,
        statuses=_choices(status, "--status", "input.status", _STATUSES),
        sla=_choices(sla, "--sla", "input.sla", SLA_STATES),
        kinds=_choices(kind, "--kind", "input.kind", QUEUE_KINDS),
        branches=frozenset(b.upper() for b in branches) if branches else None,
        mine=mine,
        submitted_from=start,
        submitted_to=end,
        sort=sort,
        descending=descending,
    )


def _check_branches(store: Store, codes: frozenset[str] | None) -> None:
    from daman_tui.services.branches import list_branches

    known = [b.code for b in list_branches(store)]
    for code in sorted(codes or ()):
        if code not in known:
            _unknown_value("input.branch", "--branch", code, known)


def _query(base: QueueQuery, n: Narrowing) -> QueueQuery:
    """``base`` (a saved view, or everything) with each part the options gave replaced."""
    given = {
        "statuses": n.statuses,
        "sla": n.sla,
        "kinds": n.kinds,
        "branches": n.branches,
        "submitted_from": n.submitted_from,
        "submitted_to": n.submitted_to,
    }
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if n.mine:
        changes["mine"] = True
    column = n.sort or base.sort.column
    if n.descending is not None:
        descending = n.descending
    else:
        # A column picked without a direction sorts ascending, as in the queue screen.
        descending = False if n.sort else base.sort.descending
    return QueueQuery(
        filter=replace(base.filter, **changes),
        search=base.search if n.search is None else n.search,
        sort=QueueSort(column, descending),
    )


def _saved_view(store: Store, actor: Actor, name: str) -> SavedView:
    from daman_tui.services.saved_filters import list_saved

    views = list_saved(store, actor)
    found = next((v for v in views if v.name == name), None)
    if found is None:
        names = ", ".join(v.name for v in views) or "—"
        raise ValidationError(
            "saved_filter.unknown",
            f"ليس لديك عرض محفوظ باسم «{name}»؛ عروضك: {names}.",
            f"You have no saved view '{name}'; yours are: {names}.",
        )
    return found


# ---- JSON ---------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    """A value as JSON holds it: days and moments in ISO, enumerations by value."""
    from daman_tui.domain.intake.form import DraftForm

    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, DraftForm):
        return value.data
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _json(data: Any, *, indent: int | None = None) -> str:
    return json.dumps(data, ensure_ascii=False, default=_plain, indent=indent)


def _item_json(item: QueueItem, today: date) -> dict[str, Any]:
    data = {f.name: getattr(item, f.name) for f in fields(item)}
    data["days_left"] = item.days_left(today)
    return data


# ---- cases list ---------------------------------------------------------------------------
def _item_line(item: QueueItem) -> str:
    from daman_tui.domain.national_id import mask_national_id

    return "\t".join(
        [
            item.request_number,
            item.status.value,
            mask_national_id(item.national_id),
            item.name,
            item.last_change_at.isoformat(timespec="minutes"),
        ]
    )


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        _usage(
            "input.limit",
            f"--limit must be from 1 to {MAX_LIMIT}, not {limit}; narrow the query, or use "
            "--count to know how many match.",
            f"قيمة --limit من 1 إلى {MAX_LIMIT}، لا {limit}؛ ضيّق البحث، أو استعمل --count "
            "لمعرفة عدد النتائج.",
        )


def cases_list(
    ctx: typer.Context,
    as_user: UserOption = None,
    search: SearchOption = None,
    status: StatusOption = None,
    sla: SlaOption = None,
    kind: KindOption = None,
    branch: BranchOption = None,
    mine: MineOption = False,
    date_from: FromOption = None,
    date_to: ToOption = None,
    sort: SortOption = None,
    descending: DirectionOption = None,
    view: Annotated[
        str | None,
        typer.Option(
            "--view",
            help="Start from this saved view (options given replace its parts).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help=f"Rows to print, 1 to {MAX_LIMIT}.")] = 50,
    count: Annotated[
        bool, typer.Option("--count", help="Print only how many cases match.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="One JSON object per line, every field of the row.")
    ] = False,
) -> None:
    """The case queue as the user may see it: tab-separated lines (IDs masked), newest first.

    Columns: request number, status, masked national ID, name, last change (UTC).
    """
    from daman_tui.services.queue import queue_count, queue_page

    _check_limit(limit)
    narrowing = _narrowing(
        search=search,
        status=status,
        sla=sla,
        kind=kind,
        branch=branch,
        mine=mine,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        descending=descending,
    )
    today = date.today()
    with _acting(ctx, as_user) as (store, actor):
        _check_branches(store, narrowing.branches)
        base = _saved_view(store, actor, view).query if view is not None else QueueQuery()
        query = _query(base, narrowing)
        if count:
            typer.echo(queue_count(store, actor, query, today=today))
            return
        items = queue_page(store, actor, query, limit=limit, today=today)
    for item in items:
        typer.echo(_json(_item_json(item, today)) if as_json else _item_line(item))


# ---- cases show ---------------------------------------------------------------------------
_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Name", "الاسم"),
    "national_id": ("National ID", "رقم الهوية"),
    "file": ("File", "رقم الملف"),
    "branch": ("Branch", "الفرع"),
    "status": ("Status", "الحالة"),
    "assignee": ("Assigned to", "المسند إليه"),
    "submitted": ("Submitted", "قُدّم في"),
    "clock": ("Days left", "المهلة"),
    "entitlement": ("Entitlement", "الاستحقاق"),
    "decision": ("Latest decision", "آخر قرار"),
    "timeline": ("Timeline", "السجل"),
    "documents": ("Documents", "المستندات"),
    "visits": ("Home visits", "الزيارات المنزلية"),
    "objections": ("Objections", "الاعتراضات"),
    "payments": ("Payments", "المدفوعات"),
    "complaints": ("Financial complaints", "الشكاوى المالية"),
    "actions": ("Actions", "الإجراءات"),
    "none": ("none", "لا يوجد"),
    "nobody": ("nobody", "غير مسند"),
    "eligible": ("eligible", "مستحق"),
    "not_eligible": ("not eligible", "غير مستحق"),
    "newest_first": ("newest first", "الأحدث أولًا"),
    "of": ("of", "من"),
    "rules": ("rules", "القواعد"),
}


def _label(key: str, lang: str) -> str:
    en, ar = _LABELS[key]
    return ar if lang == "ar" else en


def _message(reason: ReasonView | RejectionChoice, lang: str) -> str:
    return reason.message_ar if lang == "ar" else reason.message_en


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="minutes") if moment else "-"


def _clock_text(view: CaseFileView, lang: str) -> str:
    s = view.summary
    if s.clock is None:
        return "لم يُقدَّم بعد" if lang == "ar" else "not submitted, no clock"
    if s.clock == "stopped":
        return "تم البت" if lang == "ar" else "decided, clock stopped"
    due = s.due_on.isoformat() if s.due_on else "-"
    days = s.days_left or 0
    if lang == "ar":
        state = "متوقفة مؤقتًا، " if s.clock == "paused" else ""
        return f"{state}{days} يومًا (حتى {due})" if days >= 0 else f"متأخر {-days} يومًا ({due})"
    paused = "paused, " if s.clock == "paused" else ""
    if days < 0:
        return f"overdue by {-days} days (due {due})"
    return f"{paused}{days} days (due {due})"


def _entitlement_text(view: CaseFileView, lang: str) -> str:
    from daman_tui.domain.household import format_sar

    e = view.summary.entitlement
    if e is None:
        return _label("none", lang)
    verdict = _label("eligible" if e.eligible else "not_eligible", lang)
    rules = f"{_label('rules', lang)} {e.rule_set_version}"
    return f"SAR {format_sar(e.entitlement_halalas)} ({verdict}, {rules})"


def _summary_lines(view: CaseFileView, lang: str) -> list[str]:
    s = view.summary
    rows = [
        ("name", s.head_name),
        ("national_id", s.national_id),
        ("file", s.file_number),
        ("branch", s.branch_code),
        ("status", f"{s.status.value} ({s.kind.value})"),
        ("assignee", s.assignee_name or _label("nobody", lang)),
        ("submitted", _when(s.submitted_at)),
        ("clock", _clock_text(view, lang)),
        ("entitlement", _entitlement_text(view, lang)),
    ]
    width = max(len(_label(key, lang)) for key, _ in rows) + 2
    return [s.request_number, *(f"{_label(k, lang) + ':':<{width}}{v}" for k, v in rows)]


def _decision_lines(view: CaseFileView, lang: str) -> list[str]:
    from daman_tui.domain.household import format_sar

    d = view.decision
    if d is None:
        return [f"{_label('decision', lang)}: {_label('none', lang)}"]
    verdict = _label("eligible" if d.eligible else "not_eligible", lang)
    head = (
        f"{_label('decision', lang)}: {d.decided_at:%Y-%m-%d}, "
        f"{_label('rules', lang)} {d.rule_set_version}, "
        f"{verdict}, SAR {format_sar(d.entitlement_halalas)}"
    )
    reasons = [
        f"  {'✓' if r.passed else '✗'} {r.rule_code}  {_message(r, lang)}" for r in d.reasons
    ]
    return [head, *reasons]


def _one_line(text: str) -> str:
    # A rejection's reason is several lines; a timeline entry stays on one.
    return " / ".join(part.strip() for part in text.splitlines() if part.strip())


def _timeline_lines(view: CaseFileView, lang: str, limit: int) -> list[str]:
    entries = view.timeline[:limit]
    shown = f"{len(entries)} {_label('of', lang)} {len(view.timeline)}"
    lines = [f"{_label('timeline', lang)} ({_label('newest_first', lang)}, {shown}):"]
    for e in entries:
        who = e.actor_name or "-"
        if e.kind == "status":
            source = e.from_status.value if e.from_status else "-"
            to = e.to_status.value if e.to_status else "-"
            what = f"{e.action}  {source} -> {to}"
        else:
            what = f"{e.action}  ({e.entity})"
        reason = f"  {_one_line(e.reason)}" if e.reason else ""
        lines.append(f"  {_when(e.at)}  {what}  {who}{reason}")
    return lines


def _section(key: str, rows: Sequence[str], lang: str) -> list[str]:
    body = [f"  {r}" for r in rows] or [f"  {_label('none', lang)}"]
    return [f"{_label(key, lang)} ({len(rows)}):", *body]


def _parts_lines(view: CaseFileView, lang: str) -> list[str]:
    from daman_tui.domain.household import format_sar

    documents = [
        f"{d.received_at:%Y-%m-%d}  {d.doc_type.value}  {d.file_name}" for d in view.documents
    ]
    visits = [
        f"{v.scheduled_for.isoformat()}  {v.status.value}  {v.officer_name or '-'}"
        + (f"  {_one_line(v.recommendation)}" if v.recommendation else "")
        for v in view.visits
    ]
    objections = [
        f"{o.filed_at:%Y-%m-%d}  {o.kind.value}  {o.status.value}"
        f"  {o.outcome.value if o.outcome else '-'}  {o.reason_category}"
        for o in view.objections
    ]
    payments = [
        f"{p.cycle_month}  SAR {format_sar(p.amount_halalas)}  {p.status.value}"
        + (f"  {_one_line(p.held_reason)}" if p.held_reason else "")
        for p in view.payments
    ]
    complaints = [
        f"{c.filed_at:%Y-%m-%d}  {c.cycle_month or '-'}  {c.status.value}  {c.reason_category}"
        for c in view.complaints
    ]
    return [
        *_section("documents", documents, lang),
        *_section("visits", visits, lang),
        *_section("objections", objections, lang),
        *_section("payments", payments, lang),
        *_section("complaints", complaints, lang),
    ]


def _case_text(view: CaseFileView, actions: Sequence[str], lang: str, timeline: int) -> str:
    names = ", ".join(actions) or _label("none", lang)
    blocks = [
        _summary_lines(view, lang),
        _decision_lines(view, lang),
        _timeline_lines(view, lang, timeline),
        _parts_lines(view, lang),
        [f"{_label('actions', lang)}: {names}"],
    ]
    return "\n\n".join("\n".join(block) for block in blocks)


def _matches_text(refs: Sequence[CaseRef]) -> str:
    return "\n".join(
        "\t".join(
            [r.request_number, r.status.value, r.kind.value, r.branch_code, _when(r.created_at)]
        )
        for r in refs
    )


def cases_show(
    ctx: typer.Context,
    case: CaseArgument,
    as_user: UserOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the reasons: en or ar.")] = "en",
    timeline: Annotated[
        int, typer.Option("--timeline", help="Timeline entries to print, newest first.")
    ] = 20,
    as_json: Annotated[
        bool, typer.Option("--json", help="The whole case file as one JSON document.")
    ] = False,
) -> None:
    """The case file, and the actions you may take on it now.

    Summary, the latest decision with every reason, the timeline, documents, visits,
    objections, payments and complaints.

    A national ID heading more than one case lists them instead (one per line: request
    number, status, kind, branch, opened); show one by its request number.
    """
    from daman_tui.services.case_actions import available_actions
    from daman_tui.services.case_file import case_file

    lang = _lang(lang)
    if timeline < 0:
        _usage(
            "input.timeline",
            f"--timeline is a number of entries, 0 or more, not {timeline}.",
            f"قيمة --timeline عدد الإدخالات، صفر أو أكثر، لا {timeline}.",
        )
    with _acting(ctx, as_user) as (store, actor):
        refs = _cases_named(store, actor, case)
        if len(refs) > 1:
            _print_matches(case, refs, as_json)
            return
        view = case_file(store, actor, refs[0].application_id, with_form=as_json)
        actions = available_actions(actor, view)
    if as_json:
        typer.echo(_json({**asdict(view), "actions": list(actions)}, indent=2))
    else:
        typer.echo(_case_text(view, actions, lang, timeline))


def _print_matches(text: str, refs: Sequence[CaseRef], as_json: bool) -> None:
    if as_json:
        typer.echo(_json({"matches": [asdict(r) for r in refs]}, indent=2))
        return
    typer.secho(
        f"{len(refs)} cases for '{text}'; show one by its request number.\n"
        f"{len(refs)} طلبات لـ «{text}»؛ اعرض أحدها برقم الطلب.",
        err=True,
    )
    typer.echo(_matches_text(refs))


# ---- cases act and cases reasons ----------------------------------------------------------
_TAKES: dict[str, frozenset[str]] = {
    "assign": frozenset({"--to"}),
    "schedule_visit": frozenset({"--officer", "--day"}),
    "reject": frozenset({"--rule", "--reason"}),
    "documents_received": frozenset(),
}
"""The options each action takes; an action not named here takes ``--reason`` only."""

_NEEDS: dict[str, tuple[tuple[str, str], ...]] = {
    "assign": (("--to", "USERNAME"),),
    "schedule_visit": (("--officer", "USERNAME"), ("--day", "DATE")),
}
"""What an action cannot go without (a reason's need is the state machine's to say)."""


@dataclass(frozen=True)
class ActInput:
    """``cases act``'s options, checked against the action."""

    action: str
    reason: str
    to: str | None
    officer: str | None
    day: date | None
    rules: tuple[str, ...]


def _action(raw: str) -> str:
    action = raw.strip().lower().replace("-", "_")
    if action not in ACTIONS:
        _unknown_value("input.action", "ACTION", raw, ACTIONS)
    return action


def _check_act_options(action: str, given: Mapping[str, object]) -> None:
    takes = _TAKES.get(action, frozenset({"--reason"}))
    for option, value in given.items():
        if value not in (None, ()) and option not in takes:
            _usage(
                "input.option",
                f"{option} is not used by {action}.",
                f"الخيار {option} لا يُستعمل مع الإجراء {action}.",
            )
    for option, metavar in _NEEDS.get(action, ()):
        if given[option] in (None, ""):
            _usage(
                "input.missing",
                f"{action} needs {option} {metavar}.",
                f"الإجراء {action} يحتاج {option} {metavar}.",
            )


def _user_id(store: Store, username: str) -> str:
    """The account ``username`` names; whether it may take the case is the service's to say."""
    from daman_tui.services.auth import list_users

    found = next((u for u in list_users(store) if u.username == username), None)
    if found is None:
        raise ValidationError(
            "user.unknown", f"لا يوجد مستخدم باسم «{username}».", f"No user '{username}'."
        )
    return found.id


def _carry(store: Store, actor: Actor, app_id: str, version: int, a: ActInput) -> ApplicationView:
    """Carry out ``a`` on the case as it was just read (``version``)."""
    from daman_tui.services.case_actions import ActionRequest, take_action

    person = a.to if a.action == "assign" else a.officer
    request = ActionRequest(
        person_id=_user_id(store, person) if person else "",
        day=a.day,
        rule_codes=a.rules,
        reason=a.reason,
    )
    return take_action(store, actor, app_id, a.action, request, expected_version=version)


def cases_act(
    ctx: typer.Context,
    case: CaseArgument,
    action: Annotated[
        str,
        typer.Argument(metavar="ACTION", help=f"One of: {', '.join(ACTIONS)}.", show_default=False),
    ],
    as_user: UserOption = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="The reason (required by reject without --rule, "
            "request_documents, reopen, suspend, resume).",
            show_default=False,
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", help="assign: the clerk or supervisor (user name).", show_default=False
        ),
    ] = None,
    officer: Annotated[
        str | None,
        typer.Option(
            "--officer", help="schedule_visit: the field officer (user name).", show_default=False
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--day", help="schedule_visit: the visit day (Gregorian or Hijri).", show_default=False
        ),
    ] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rule", help="reject: a failed rule's code (repeat); see `cases reasons`."),
    ] = None,
) -> None:
    """Take one action on a case and print its new status.

    The case is read just before, and the action refused if it changed in between.
    """
    name = _action(action)
    rule_codes = tuple(_codes(rules))
    given = {
        "--reason": reason,
        "--to": to,
        "--officer": officer,
        "--day": day,
        "--rule": rule_codes,
    }
    _check_act_options(name, given)
    act = ActInput(name, reason or "", to, officer, _day("--day", day), rule_codes)
    with _acting(ctx, as_user) as (store, actor):
        from daman_tui.services.case_file import case_file

        ref = _one_case(store, actor, case)
        before = case_file(store, actor, ref.application_id, with_form=False).summary
        after = _carry(store, actor, ref.application_id, before.row_version, act)
    typer.echo(_acted(after.request_number, act, before.status, after.status))


def _acted(
    request_number: str, act: ActInput, before: ApplicationStatus, after: ApplicationStatus
) -> str:
    """What was done, for the log: the action, and the status it left the case in."""
    whom = f" to {act.to}" if act.action == "assign" else ""
    moved = after.value if before is after else f"{before.value} -> {after.value}"
    return f"{request_number}: {act.action}{whom} ({moved})"


def cases_reasons(
    ctx: typer.Context,
    case: CaseArgument,
    as_user: UserOption = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the messages: en or ar.")] = "en",
) -> None:
    """The rules a rejection may cite (the latest decision's failed rules): code, message."""
    from daman_tui.services.case_actions import rejection_reasons

    lang = _lang(lang)
    with _acting(ctx, as_user) as (store, actor):
        ref = _one_case(store, actor, case)
        choices = rejection_reasons(store, actor, ref.application_id)
    if not choices:
        typer.secho(
            "The latest decision failed no rule (or there is none): a rejection needs --reason.\n"
            "لم يخفق آخر قرار في أي قاعدة (أو لا قرار): الرفض يحتاج --reason.",
            err=True,
        )
    for c in choices:
        typer.echo(f"{c.rule_code}\t{_message(c, lang)}")


# ---- saved views --------------------------------------------------------------------------
def _describe(query: QueueQuery) -> str:
    """A saved view in one line: what it searches, narrows to and sorts by."""
    f: QueueFilter = query.filter
    parts = [f"search={query.search!r}"] if query.search else []
    for key, value in f.to_json().items():
        if value not in (None, [], False):
            shown = ",".join(value) if isinstance(value, list) else str(value).lower()
            parts.append(f"{key}={shown}")
    direction = "desc" if query.sort.descending else "asc"
    parts.append(f"sort={query.sort.column} {direction}")
    return "  ".join(parts)


def cases_views(
    ctx: typer.Context, as_user: UserOption = None, as_json: JsonOption = False
) -> None:
    """Your saved views: name, then what each narrows the queue to (JSON: one per line)."""
    from daman_tui.services.saved_filters import list_saved

    with _acting(ctx, as_user) as (store, actor):
        views = list_saved(store, actor)
    for v in views:
        if as_json:
            typer.echo(_json({"name": v.name, "query": v.query.to_json()}))
        else:
            typer.echo(f"{v.name}\t{_describe(v.query)}")


def cases_save_view(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The view's name (replaces one of the same name).")],
    as_user: UserOption = None,
    search: SearchOption = None,
    status: StatusOption = None,
    sla: SlaOption = None,
    kind: KindOption = None,
    branch: BranchOption = None,
    mine: MineOption = False,
    date_from: FromOption = None,
    date_to: ToOption = None,
    sort: SortOption = None,
    descending: DirectionOption = None,
) -> None:
    """Save the queue options as a named view (for `cases list --view` and the TUI)."""
    from daman_tui.services.saved_filters import save_query

    if not name.strip():
        _usage(
            "input.view_name",
            "NAME is empty: give the view a name.",
            "الاسم فارغ: أعطِ العرض اسمًا.",
        )
    narrowing = _narrowing(
        search=search,
        status=status,
        sla=sla,
        kind=kind,
        branch=branch,
        mine=mine,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        descending=descending,
    )
    with _acting(ctx, as_user) as (store, actor):
        _check_branches(store, narrowing.branches)
        saved = save_query(store, actor, name, _query(QueueQuery(), narrowing))
    typer.echo(f"saved view '{saved.name}': {_describe(saved.query)}")


def cases_delete_view(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The saved view's name.")],
    as_user: UserOption = None,
) -> None:
    """Delete one of your saved views."""
    from daman_tui.services.saved_filters import delete_saved

    with _acting(ctx, as_user) as (store, actor):
        delete_saved(store, actor, _saved_view(store, actor, name).id)
    typer.echo(f"deleted view '{name}'")


def register(cases_app: typer.Typer) -> None:
    """Add the queue's and the case file's commands to the ``cases`` group."""
    cases_app.command("list")(cases_list)
    cases_app.command("show")(cases_show)
    cases_app.command("act")(cases_act)
    cases_app.command("reasons")(cases_reasons)
    cases_app.command("views")(cases_views)
    cases_app.command("save-view")(cases_save_view)
    cases_app.command("delete-view")(cases_delete_view)
