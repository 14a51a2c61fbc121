"""`daman intake …`: the intake wizard for scripts, one step per command.

A walk-in entered from a script goes ``start`` (or ``update``), ``fill`` with a JSON file
in the draft format (:mod:`daman_tui.domain.intake.form`), ``attach`` each document the
checklist asks for, ``preview`` and ``submit``. Every step goes through the same services
as the wizard, so the same checks apply and the TUI can resume a draft a script began.

Refusals print ``<code>: <message>`` on stderr in the root ``--lang`` and exit 1 with
nothing changed; the codes are the domain's, or ``input.*`` for what this module checks
itself (the file given to ``fill``, the ``--set`` syntax, option values). The one late
failure is a receipt that cannot be written after all: the application stays submitted,
and the message says so.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, NoReturn

import typer

from daman_tui.domain.errors import DomainError, ValidationError

if TYPE_CHECKING:
    from daman_tui.domain.eligibility import Decision
    from daman_tui.domain.enums import IdentityCheck
    from daman_tui.domain.intake.fields import SectionSpec
    from daman_tui.domain.intake.form import DraftForm, Issue
    from daman_tui.domain.permissions import Actor
    from daman_tui.services.intake import DocumentStatus, DraftRef
    from daman_tui.services.store import Store

__all__ = ["register"]

intake_app = typer.Typer(
    help="Walk-in applications from a script: what the intake wizard does (الملف الموحد).",
    no_args_is_help=True,
)

UserOption = Annotated[str | None, typer.Option("--user", help="Acting clerk or supervisor.")]
NumberArgument = Annotated[
    str, typer.Argument(help="The request number (رقم الطلب).", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine output: one JSON document.")]
IdentityOption = Annotated[
    str | None,
    typer.Option(
        "--identity",
        help="How the applicant's identity was checked: id_card, iqama_card, family_card "
        "or absher_app.",
        show_default=False,
    ),
]

_TOP_KEYS = frozenset({"v", "identity_check", "head", "household", "dependents", "visited"})


def _refuse(err: DomainError, lang: str) -> NoReturn:
    typer.secho(f"{err.code}: {err.message(lang)}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _input_error(code: str, message_ar: str, message_en: str) -> ValidationError:
    return ValidationError(f"input.{code}", message_ar, message_en)


def _lang(ctx: typer.Context) -> str:
    from daman_tui.cli import _settings

    return _settings(ctx).lang


@contextmanager
def _acting(ctx: typer.Context, as_user: str | None) -> Iterator[tuple[Store, Actor, str]]:
    """The store and the acting user; any refusal inside ends the command in ``--lang``."""
    # cli.py builds the app and its helpers; imported here, when the command runs.
    from daman_tui.cli import _actor, _open_store, _settings

    settings = _settings(ctx)
    lang = settings.lang
    if not as_user:
        _refuse(
            _input_error(
                "user",
                "هذا الأمر يعمل باسم مستخدم: أعطِ --user (وكلمة المرور في DAMAN_PASSWORD أو تُطلب).",
                "This command acts as a user: give --user (password from DAMAN_PASSWORD or a "
                "prompt).",
            ),
            lang,
        )
    with _open_store(settings) as store:
        actor = _actor(store, as_user)
        try:
            yield store, actor, lang
        except DomainError as err:
            _refuse(err, lang)


def _draft(store: Store, actor: Actor, request_number: str) -> DraftRef:
    from daman_tui.services import intake

    app = intake.application_by_number(store, actor, request_number)
    return intake.open_draft(store, actor, app.id)


def _identity(raw: str | None, lang: str) -> IdentityCheck | None:
    from daman_tui.domain.enums import IdentityCheck

    if raw is None:
        return None  # the service refuses with its own message
    try:
        return IdentityCheck(raw.strip().lower())
    except ValueError:
        choices = ", ".join(c.value for c in IdentityCheck)
        _refuse(
            _input_error(
                "identity",
                f"طريقة التحقق من الهوية «{raw}» غير معروفة؛ الخيارات: {choices}.",
                f"Unknown identity check '{raw}'; choose one of: {choices}.",
            ),
            lang,
        )


# ---- issues and documents as lines or JSON -----------------------------------------------
def _step_of(who: str, section: str) -> int:
    from daman_tui.domain.intake.form import HEAD
    from daman_tui.domain.intake.steps import STEPS, Scope, step_by_key

    if who == "household":
        return step_by_key("housing").number
    if who != HEAD:
        return step_by_key("dependents").number
    return next(
        step.number
        for step in STEPS
        if step.scope is Scope.HEAD and any(s.key == section for s in step.sections)
    )


def _issue_json(who: str, issue: Issue, lang: str) -> dict[str, Any]:
    return {
        "step": _step_of(who, issue.section),
        "who": who,
        "section": issue.section,
        "group": issue.group,
        "item": issue.item_id,
        "field": issue.key,
        "code": issue.error.code,
        "message": issue.error.message(lang),
    }


def _issues(form: DraftForm, lang: str) -> list[dict[str, Any]]:
    return [_issue_json(who, issue, lang) for who, issue in form.all_issues(date.today())]


def _echo_issues(issues: list[dict[str, Any]]) -> None:
    typer.echo(f"issues: {len(issues)}")
    for i in issues:
        where = i["section"]
        if i["group"]:
            where += f"/{i['group']}[{i['item']}]"
        typer.echo(f"  {i['step']}\t{i['who']}\t{where}.{i['field']}\t{i['code']}\t{i['message']}")


def _documents_json(status: DocumentStatus) -> dict[str, Any]:
    return {
        "needs": [
            {"type": n.doc_type.value, "for": n.national_id, "required": n.required}
            for n in status.needs
        ],
        "received": [
            {
                "type": d.doc_type.value,
                "for": d.subject_national_id,
                "file": d.file_name,
                "sha256": d.sha256,
            }
            for d in status.received
        ],
        "missing": [
            {"type": n.doc_type.value, "for": n.national_id, "required": n.required}
            for n in status.missing
        ],
    }


def _echo_missing(status: DocumentStatus) -> None:
    typer.echo(
        f"documents: {len(status.needs)} needed, {len(status.received)} received, "
        f"{len(status.missing)} missing"
    )
    for n in status.missing:
        whose = f" --for {n.national_id}" if n.national_id else ""
        optional = "" if n.required else "  (optional)"
        typer.echo(f"  missing: --type {n.doc_type.value}{whose}{optional}")


# ---- the draft file given to `fill` ------------------------------------------------------
def _shape(path: str, message_ar: str, message_en: str) -> ValidationError:
    return _input_error(
        "draft_format",
        f"الملف لا يطابق صيغة المسودة عند {path}: {message_ar}",
        f"The file does not match the draft format at {path}: {message_en}",
    )


def _check_id(path: str, value: Any, seen: set[str]) -> str:
    """A dependent's or an entry's id: it becomes a row id, so it must be a UUID and
    unique in the file; a missing one is made, as the wizard would when adding it."""
    from daman_tui.domain.ids import new_id

    if value is None:
        value = new_id()
    try:
        ok = isinstance(value, str) and str(uuid.UUID(value)) == value
    except ValueError:
        ok = False
    if not ok:
        raise _shape(
            path,
            "المعرّف يجب أن يكون UUID بأحرف صغيرة، أو يُحذف ليُنشأ تلقائيًا.",
            "an id must be a lower-case UUID, or be left out to have one made.",
        )
    if value in seen:
        raise _shape(path, f"المعرّف {value} مكرر.", f"the id {value} is used twice.")
    seen.add(value)
    return str(value)


def _check_values(path: str, values: Any, allowed: set[str]) -> None:
    if not isinstance(values, dict):
        raise _shape(path, "يجب أن يكون كائن JSON.", "must be a JSON object.")
    for key, raw in values.items():
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise _shape(
                f"{path}.{key}",
                f"حقل غير معروف؛ حقول هذا القسم: {known}.",
                f"not a field of this section; its fields are: {known}.",
            )
        if not isinstance(raw, str):
            raise _shape(
                f"{path}.{key}",
                'القيم نصوص كما تُكتب، مثل "1500" لا 1500.',
                'values are text as typed: write "1500", not 1500.',
            )


def _check_part(
    path: str, part: dict[str, Any], sections: tuple[SectionSpec, ...], seen: set[str]
) -> None:
    """The sections and groups of one person (or of the household) against the steps."""
    by_key = {s.key: s for s in sections}
    groups = {g.key: g for s in sections for g in s.groups}
    part.setdefault("sections", {})
    part.setdefault("groups", {})
    if not isinstance(part["sections"], dict):
        raise _shape(f"{path}.sections", "يجب أن يكون كائن JSON.", "must be a JSON object.")
    for key, values in part["sections"].items():
        if key not in by_key:
            known = ", ".join(by_key)
            raise _shape(
                f"{path}.sections.{key}",
                f"قسم غير معروف؛ الأقسام: {known}.",
                f"not a section here; the sections are: {known}.",
            )
        allowed = {f.key for f in by_key[key].fields}
        _check_values(f"{path}.sections.{key}", values, allowed)
    if not isinstance(part["groups"], dict):
        raise _shape(f"{path}.groups", "يجب أن يكون كائن JSON.", "must be a JSON object.")
    for key, items in part["groups"].items():
        if key not in groups:
            known = ", ".join(groups) or "—"
            raise _shape(
                f"{path}.groups.{key}",
                f"مجموعة غير معروفة؛ المجموعات: {known}.",
                f"not a group here; the groups are: {known}.",
            )
        if not isinstance(items, list):
            raise _shape(f"{path}.groups.{key}", "يجب أن تكون قائمة.", "must be a list.")
        allowed = {f.key for f in groups[key].fields}
        for n, item in enumerate(items):
            where = f"{path}.groups.{key}[{n}]"
            if not isinstance(item, dict):
                raise _shape(where, "يجب أن يكون كائن JSON.", "must be a JSON object.")
            item["id"] = _check_id(f"{where}.id", item.get("id"), seen)
            _check_values(where, {k: v for k, v in item.items() if k != "id"}, allowed)


def _check_top(data: Any, current: DraftForm) -> dict[str, Any]:
    """The document's top level; what it leaves out is taken from ``current``."""
    from daman_tui.domain.intake.form import FORM_VERSION
    from daman_tui.domain.intake.steps import STEPS

    if not isinstance(data, dict):
        raise _shape("/", "يجب أن يكون كائن JSON.", "the top level must be a JSON object.")
    if data.get("v") != FORM_VERSION:
        raise _shape("v", f"الإصدار يجب أن يكون {FORM_VERSION}.", f"v must be {FORM_VERSION}.")
    known = ", ".join(sorted(_TOP_KEYS))
    for key in data:
        if key not in _TOP_KEYS:
            raise _shape(
                key, f"مفتاح غير معروف؛ المفاتيح: {known}.", f"unknown key; known: {known}."
            )
    for key, kind in (("head", dict), ("household", dict), ("dependents", list)):
        data.setdefault(key, kind())
        if not isinstance(data[key], kind):
            raise _shape(
                key,
                "يجب أن يكون كائن JSON." if kind is dict else "يجب أن تكون قائمة.",
                "must be a JSON object." if kind is dict else "must be a list.",
            )
    steps = [s.key for s in STEPS]
    visited = data.setdefault("visited", current.data.get("visited", []))
    if not isinstance(visited, list) or any(v not in steps for v in visited):
        raise _shape(
            "visited",
            f"قائمة بمفاتيح الخطوات: {', '.join(steps)}.",
            f"a list of step keys: {', '.join(steps)}.",
        )
    given = data.get("identity_check")
    if given is not None and given != current.identity_check:
        raise _shape(
            "identity_check",
            f"سُجّل التحقق من الهوية عند البدء ({current.identity_check})، ولا يُغيَّر من ملف.",
            f"the identity check was recorded at the start ({current.identity_check}) and is "
            "not changed by a file.",
        )
    data["identity_check"] = current.identity_check
    return data


def _check_applicant(data: dict[str, Any], current: DraftForm) -> str:
    """The head's ID in ``data``, which must be the draft's: a file meant for someone
    else must not overwrite this applicant's draft."""
    from daman_tui.domain.intake.form import HEAD
    from daman_tui.domain.national_id import validate_national_id

    expected = validate_national_id(current.get(HEAD, "personal", "national_id"))
    personal = data["head"].get("sections", {})
    personal = personal.get("personal", {}) if isinstance(personal, dict) else {}
    raw = personal.get("national_id", "") if isinstance(personal, dict) else ""
    try:
        given = validate_national_id(raw) if isinstance(raw, str) else str(raw)
    except ValidationError:
        given = raw
    if not raw:
        raise _shape(
            "head.sections.personal.national_id",
            f"رقم هوية المتقدّم مطلوب، وهو في هذه المسودة {expected}.",
            f"the applicant's ID is required; this draft's is {expected}.",
        )
    if given != expected:
        raise _input_error(
            "draft_person",
            f"الملف لمتقدّم آخر (رقم الهوية {raw or '—'})، والمسودة للمتقدّم {expected}؛ "
            "لم يُغيَّر شيء.",
            f"The file is for another applicant (ID {raw or '—'}); this draft is for "
            f"{expected}. Nothing was changed.",
        )
    return expected


def _check_dependents(dependents: list[Any], seen: set[str]) -> None:
    from daman_tui.domain.enums import MemberKind

    kinds = [k.value for k in MemberKind if k is not MemberKind.HEAD]
    for n, dep in enumerate(dependents):
        where = f"dependents[{n}]"
        if not isinstance(dep, dict):
            raise _shape(where, "يجب أن يكون كائن JSON.", "must be a JSON object.")
        dep["id"] = _check_id(f"{where}.id", dep.get("id"), seen)
        if dep.get("kind") not in kinds:
            raise _shape(
                f"{where}.kind",
                f"نوع التابع يجب أن يكون أحد: {', '.join(kinds)}.",
                f"a dependent's kind must be one of: {', '.join(kinds)}.",
            )
        for key in dep:
            if key not in ("id", "kind", "sections", "groups"):
                raise _shape(f"{where}.{key}", "مفتاح غير معروف.", "unknown key.")


def _form_from_json(data: Any, current: DraftForm) -> DraftForm:
    """``data`` as a draft that may replace ``current``; refused with the path of the
    first problem. The head's ID and the identity check were fixed at the start."""
    from daman_tui.domain.intake.form import HEAD, DraftForm

    data = _check_top(data, current)
    expected = _check_applicant(data, current)
    seen: set[str] = set()
    _check_dependents(data["dependents"], seen)
    form = DraftForm(data)
    parts = [(HEAD, "head"), ("household", "household")]
    parts += [(str(d["id"]), f"dependents[{n}]") for n, d in enumerate(form.dependents)]
    for who, path in parts:
        if who in (HEAD, "household"):
            for key in form.person(who):
                if key not in ("sections", "groups"):
                    raise _shape(f"{path}.{key}", "مفتاح غير معروف.", "unknown key.")
        _check_part(path, form.person(who), form.sections_of(who), seen)
    form.set(HEAD, "personal", "national_id", expected)
    return form


def _read_draft_file(file: Path) -> Any:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise _input_error(
            "unreadable",
            f"تعذّرت قراءة الملف «{file}»: {err}",
            f"Cannot read '{file}': {err}",
        ) from err
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise _input_error(
            "not_json",
            f"الملف «{file}» ليس JSON صالحًا (السطر {err.lineno}، العمود {err.colno}): {err.msg}",
            f"'{file}' is not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}",
        ) from err


def _apply_set(form: DraftForm, assignment: str) -> None:
    """One ``WHO.SECTION.KEY=VALUE`` into ``form``."""
    from daman_tui.domain.intake.form import HEAD
    from daman_tui.domain.national_id import validate_national_id

    target, sep, value = assignment.partition("=")
    parts = target.split(".")
    if not sep or len(parts) != 3 or not all(parts):
        raise _input_error(
            "set_syntax",
            f"«{assignment}»: الصيغة WHO.SECTION.KEY=VALUE، وWHO هو head أو household "
            "أو معرّف أحد التابعين.",
            f"'{assignment}': write WHO.SECTION.KEY=VALUE, WHO being head, household or a "
            "dependent's id.",
        )
    who, section, key = parts
    try:
        sections = {s.key: s for s in form.sections_of(who)}
    except KeyError:
        people = ", ".join(["head", "household", *(str(d["id"]) for d in form.dependents)])
        raise _input_error(
            "set_target",
            f"«{who}» ليس في المسودة؛ الموجود: {people}.",
            f"'{who}' is not in this draft; it has: {people}.",
        ) from None
    if section not in sections or key not in {f.key for f in sections[section].fields}:
        known = ", ".join(f"{s}.{f.key}" for s, spec in sections.items() for f in spec.fields)
        raise _input_error(
            "set_target",
            f"«{section}.{key}» ليس حقلًا لـ {who}؛ الحقول: {known}.",
            f"'{section}.{key}' is not a field of {who}; the fields are: {known}.",
        )
    if (who, section, key) == (HEAD, "personal", "national_id"):
        current = form.get(HEAD, "personal", "national_id")
        try:
            same = validate_national_id(value) == current
        except ValidationError:
            same = False
        if not same:
            raise _input_error(
                "draft_person",
                "رقم هوية المتقدّم ثُبّت عند بدء الطلب ولا يُغيَّر؛ ابدأ طلبًا جديدًا لغيره.",
                "The applicant's ID was fixed when the application was started; start a new "
                "application for someone else.",
            )
    form.set(who, section, key, value)


def _resume_step(form: DraftForm, documents: DocumentStatus) -> int:
    """Where the wizard should resume: the first step with an issue, else documents or
    the review."""
    from daman_tui.domain.intake.steps import step_by_key

    issues = form.all_issues(date.today())
    if issues:
        return min(_step_of(who, issue.section) for who, issue in issues)
    if documents.missing_required:
        return step_by_key("documents").number
    return step_by_key("review").number


# ---- the commands --------------------------------------------------------------------------
@intake_app.command("lookup")
def lookup_command(
    ctx: typer.Context,
    national_id: Annotated[str, typer.Argument(help="National ID or iqama number.")],
    as_user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """What the store knows of a person: name, families headed, open application, and
    the files listing them as a dependent."""
    from daman_tui.services import intake

    with _acting(ctx, as_user) as (store, actor, _):
        found = intake.lookup(store, actor, national_id)
    open_app = found.open_application
    data = {
        "national_id": found.national_id,
        "name": found.name,
        "households": [
            {
                "file_number": h.file_number,
                "family_no": h.family_no,
                "members": len(h.members),
                "open_application": h.open_application.request_number
                if h.open_application
                else None,
            }
            for h in found.households
        ],
        "open_application": {
            "request_number": open_app.request_number,
            "status": open_app.status.value,
            "kind": open_app.kind.value,
        }
        if open_app
        else None,
        "dependent_in": list(found.claimed_in),
    }
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"name: {found.name or '(not in the store)'}")
    for h in found.households:
        count = len(h.members)
        typer.echo(
            f"household: {h.file_number} (family {h.family_no}, {count} "
            f"member{'' if count == 1 else 's'})"
        )
    if open_app:
        typer.echo(f"open application: {open_app.request_number} {open_app.status.value}")
    for file_number in found.claimed_in:
        typer.echo(f"dependent in: {file_number}")


def _echo_started(ref: DraftRef) -> None:
    typer.echo(f"request_number: {ref.application.request_number}")
    typer.echo(f"application_id: {ref.application.id}")
    typer.echo(f"file_number: {ref.file_number}")


@intake_app.command("start")
def start_command(
    ctx: typer.Context,
    national_id: Annotated[str, typer.Argument(help="The applicant's national ID or iqama.")],
    identity: IdentityOption = None,
    new_family: Annotated[
        bool,
        typer.Option(
            "--new-family", help="The applicant heads a file already: open one for another family."
        ),
    ] = False,
    as_user: UserOption = None,
) -> None:
    """Start a new application (a draft) for a walk-in applicant."""
    from daman_tui.services import intake

    check = _identity(identity, _lang(ctx))
    with _acting(ctx, as_user) as (store, actor, _):
        ref = intake.start_application(store, actor, national_id, check, new_family=new_family)
    _echo_started(ref)


@intake_app.command("update")
def update_command(
    ctx: typer.Context,
    file_number: Annotated[str, typer.Argument(help="The household's file number (رقم الملف).")],
    identity: IdentityOption = None,
    as_user: UserOption = None,
) -> None:
    """Start an update (تحديث البيانات) of a stored household file, filled from its rows."""
    from daman_tui.services import intake

    check = _identity(identity, _lang(ctx))
    with _acting(ctx, as_user) as (store, actor, _):
        household = intake.household_by_file_number(store, actor, file_number)
        ref = intake.start_update(store, actor, household.id, check)
    _echo_started(ref)


@intake_app.command("show")
def show_command(
    ctx: typer.Context,
    request_number: NumberArgument,
    as_user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """A draft's values (the draft JSON), its issues and its documents."""
    from daman_tui.services import intake

    with _acting(ctx, as_user) as (store, actor, lang):
        ref = _draft(store, actor, request_number)
        # Checking fills in every section as empty: print the draft as it was saved.
        saved = copy.deepcopy(ref.form.data)
        documents = intake.document_status(store, actor, ref.application.id, ref.form)
        issues = _issues(ref.form, lang)
    app = ref.application
    if as_json:
        out = {
            "request_number": app.request_number,
            "application_id": app.id,
            "file_number": ref.file_number,
            "kind": app.kind.value,
            "status": app.status.value,
            "step": ref.step,
            "form": saved,
            "issues": issues,
            "documents": _documents_json(documents),
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{app.request_number}  {app.kind.value}  {app.status.value}  file {ref.file_number}  "
        f"step {ref.step}"
    )
    typer.echo(json.dumps(saved, ensure_ascii=False, indent=2))
    _echo_issues(issues)
    _echo_missing(documents)


@intake_app.command("fill")
def fill_command(
    ctx: typer.Context,
    request_number: NumberArgument,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="Replace the draft's values with this JSON (the draft format; see `show`).",
            show_default=False,
        ),
    ] = None,
    assignments: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="WHO.SECTION.KEY=VALUE, WHO being head, household or a dependent's id "
            "(repeatable; applied after --file).",
            show_default=False,
        ),
    ] = None,
    as_user: UserOption = None,
) -> None:
    """Replace or set a draft's values and save it; print the issues left."""
    from daman_tui.services import intake

    if file is None and not assignments:
        _refuse(
            _input_error(
                "fill_nothing",
                "أعطِ --file بملف المسودة أو --set بقيمة واحدة على الأقل.",
                "Give --file with a draft file, or at least one --set.",
            ),
            _lang(ctx),
        )
    with _acting(ctx, as_user) as (store, actor, lang):
        ref = _draft(store, actor, request_number)
        form = ref.form.copy()
        if file is not None:
            form = _form_from_json(_read_draft_file(file), ref.form)
        for assignment in assignments or ():
            _apply_set(form, assignment)
        documents = intake.document_status(store, actor, ref.application.id, form)
        intake.save_form(store, actor, ref.application.id, form, _resume_step(form, documents))
        issues = _issues(form, lang)
    typer.echo(f"saved {ref.application.request_number}")
    _echo_issues(issues)


@intake_app.command("attach")
def attach_command(
    ctx: typer.Context,
    request_number: NumberArgument,
    path: Annotated[Path, typer.Argument(help="The scan: PDF, JPEG or PNG.", show_default=False)],
    doc_type: Annotated[
        str | None,
        typer.Option(
            "--type", help="The document type (see `show` for what is missing).", show_default=False
        ),
    ] = None,
    subject: Annotated[
        str | None,
        typer.Option(
            "--for", help="The ID number of the person the document is about.", show_default=False
        ),
    ] = None,
    as_user: UserOption = None,
) -> None:
    """Attach a document to a draft (checked by its content, hashed and copied)."""
    from daman_tui.domain.enums import DocumentType
    from daman_tui.domain.intake.checklist import person_national_id
    from daman_tui.domain.national_id import validate_national_id
    from daman_tui.services import intake
    from daman_tui.services.documents import attach_document

    choices = ", ".join(k.value for k in DocumentType)
    if doc_type is None:
        _refuse(
            _input_error(
                "doc_type",
                f"أعطِ نوع المستند بـ --type، وهو أحد: {choices}.",
                f"Give the document's type with --type, one of: {choices}.",
            ),
            _lang(ctx),
        )
    try:
        kind = DocumentType(doc_type.strip().lower())
    except ValueError:
        _refuse(
            _input_error(
                "doc_type",
                f"نوع المستند «{doc_type}» غير معروف؛ الأنواع: {choices}.",
                f"Unknown document type '{doc_type}'; the types are: {choices}.",
            ),
            _lang(ctx),
        )
    with _acting(ctx, as_user) as (store, actor, _):
        ref = _draft(store, actor, request_number)
        if subject is not None:
            subject = validate_national_id(subject)
            people = [person_national_id(ref.form, who) for who in ref.form.people()]
            if subject not in people:
                raise _input_error(
                    "subject",
                    f"رقم الهوية {subject} ليس لأحد أفراد هذه المسودة.",
                    f"The ID {subject} is not one of the people in this draft.",
                )
        before = intake.document_status(store, actor, ref.application.id, ref.form)
        doc = attach_document(
            store,
            actor,
            household_id=ref.household_id,
            application_id=ref.application.id,
            doc_type=kind,
            subject_national_id=subject,
            path=path,
        )
        after = intake.document_status(store, actor, ref.application.id, ref.form)
    whose = f" for {doc.subject_national_id}" if doc.subject_national_id else ""
    typer.echo(f"attached {doc.doc_type.value}{whose}: {doc.file_name} sha256:{doc.sha256}")
    if len(after.missing) == len(before.missing):
        # Kept, yet a script should know the checklist is no nearer to done.
        typer.echo("note: this document meets none of the missing needs")
    _echo_missing(after)


def _echo_decision(decision: Decision, lang: str) -> None:
    from daman_tui.domain.money import format_money

    typer.echo(f"eligible: {'yes' if decision.eligible else 'no'}")
    typer.echo(f"rules: {decision.rule_set_version}  members: {decision.member_count}")
    typer.echo(f"threshold: {format_money(decision.threshold_halalas, lang)}")
    typer.echo(f"counted income: {format_money(decision.counted_income_halalas, lang)}")
    typer.echo(f"entitlement: {format_money(decision.entitlement_halalas, lang)}")
    for reason in decision.failed:
        typer.echo(
            f"  failed: {reason.code}: {reason.message_ar if lang == 'ar' else reason.message_en}"
        )


@intake_app.command("preview")
def preview_command(
    ctx: typer.Context,
    request_number: NumberArgument,
    as_user: UserOption = None,
    as_json: JsonOption = False,
) -> None:
    """What the eligibility engine would decide on the draft today (exit 1 while the file
    has issues, which are printed instead)."""
    from daman_tui.services import intake

    with _acting(ctx, as_user) as (store, actor, lang):
        ref = _draft(store, actor, request_number)
        decision = intake.preview(store, actor, ref.household_id, ref.form, date.today())
        issues = _issues(ref.form, lang) if decision is None else []
    if decision is None:
        _echo_issues(issues)
        _refuse(
            _input_error(
                "incomplete",
                f"لا معاينة قبل اكتمال الملف: {len(issues)} حقل يحتاج إلى استكمال أو تصحيح.",
                f"No preview until the file is complete: {len(issues)} field(s) need an "
                "answer or a correction.",
            ),
            lang,
        )
    if as_json:
        typer.echo(json.dumps(decision.to_json(), ensure_ascii=False, indent=2))
    else:
        _echo_decision(decision, lang)


def _receipt_target(
    path: Path, fmt: str | None, request_number: str
) -> tuple[Path, Literal["txt", "pdf"]]:
    """Where the receipt goes and in which format, checked before submitting: once the
    application is submitted it cannot be submitted again to retry a receipt."""
    from daman_tui.services.receipt import find_pdf_font

    if fmt is None:
        fmt = "pdf" if path.suffix.lower() == ".pdf" else "txt"
    chosen: Literal["txt", "pdf"]
    if fmt.strip().lower() == "txt":
        chosen = "txt"
    elif fmt.strip().lower() == "pdf":
        chosen = "pdf"
    else:
        raise _input_error(
            "receipt_format",
            f"صيغة الإيصال «{fmt}» غير معروفة؛ txt أو pdf.",
            f"Unknown receipt format '{fmt}'; txt or pdf.",
        )
    if path.is_dir():
        path = path / f"{request_number}.{chosen}"
    folder = path.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise _input_error(
            "receipt_path",
            f"لا يمكن كتابة الإيصال في «{folder}»: المجلد غير موجود أو للقراءة فقط.",
            f"Cannot write the receipt into '{folder}': no such folder, or read-only.",
        )
    if chosen == "pdf":
        import importlib.util

        from daman_tui.services.receipt import ReceiptPdfUnavailable

        try:
            find_pdf_font()
            for module in ("fpdf", "uharfbuzz"):
                if importlib.util.find_spec(module) is None:
                    raise ReceiptPdfUnavailable(f"the {module} package is not installed")
        except ReceiptPdfUnavailable as err:
            raise _input_error(
                "receipt_pdf",
                f"لا يمكن إنشاء إيصال PDF على هذا الجهاز ({err})؛ استعمل --receipt-format txt.",
                f"A PDF receipt cannot be made on this machine ({err}); use --receipt-format txt.",
            ) from err
    return path, chosen


@intake_app.command("submit")
def submit_command(
    ctx: typer.Context,
    request_number: NumberArgument,
    accept_declaration: Annotated[
        bool,
        typer.Option(
            "--accept-declaration",
            help="The applicant accepted the declaration (الإقرار والتعهد); required.",
        ),
    ] = False,
    receipt: Annotated[
        Path | None,
        typer.Option(
            "--receipt", help="Write the receipt here (a file, or a folder).", show_default=False
        ),
    ] = None,
    receipt_format: Annotated[
        str | None,
        typer.Option(
            "--receipt-format",
            help="txt or pdf (default: from the --receipt file's extension, else txt).",
            show_default=False,
        ),
    ] = None,
    as_user: UserOption = None,
) -> None:
    """Submit a complete draft (تقديم): the 20-day clock starts; optionally write the receipt."""
    from daman_tui.services import intake
    from daman_tui.services.receipt import ReceiptPdfUnavailable, receipt_for, write_receipt

    if receipt_format is not None and receipt is None:
        _refuse(
            _input_error(
                "receipt_path",
                "--receipt-format يحتاج إلى --receipt بمسار الإيصال.",
                "--receipt-format needs --receipt PATH.",
            ),
            _lang(ctx),
        )
    with _acting(ctx, as_user) as (store, actor, lang):
        app = intake.application_by_number(store, actor, request_number)
        target = _receipt_target(receipt, receipt_format, app.request_number) if receipt else None
        ref = intake.open_draft(store, actor, app.id)
        done = intake.submit(
            store,
            actor,
            app.id,
            ref.form,
            declaration_accepted=accept_declaration,
            today=date.today(),
        )
    typer.echo(f"submitted: {done.application.request_number}")
    typer.echo(f"file_number: {done.file_number}")
    typer.echo(f"decision_due: {done.decision_due.isoformat()}")
    if target is None:
        return
    path, fmt = target
    try:
        write_receipt(path, receipt_for(done, actor.full_name), fmt=fmt)
    except (OSError, ReceiptPdfUnavailable) as err:
        _refuse(
            _input_error(
                "receipt_failed",
                f"قُدّم الطلب، لكن تعذّرت كتابة الإيصال في «{path}»: {err}",
                f"The application was submitted, but the receipt could not be written to "
                f"'{path}': {err}",
            ),
            lang,
        )
    typer.echo(f"receipt: {path}")


@intake_app.command("drafts")
def drafts_command(ctx: typer.Context, as_user: UserOption = None) -> None:
    """The acting user's unfinished drafts, latest first (IDs masked)."""
    from daman_tui.domain.national_id import mask_national_id
    from daman_tui.services import intake

    with _acting(ctx, as_user) as (store, actor, _):
        drafts = intake.my_drafts(store, actor)
    for d in drafts:
        typer.echo(
            "\t".join(
                [
                    d.request_number,
                    d.kind.value,
                    f"step {d.step}",
                    d.saved_at.isoformat(timespec="minutes"),
                    mask_national_id(d.national_id),
                    d.name,
                ]
            )
        )


def register(app: typer.Typer) -> None:
    """Add the ``intake`` group to the ``daman`` app."""
    app.add_typer(intake_app, name="intake")
