"""The intake wizard's services: find the applicant, start or resume a draft, save it as
it is typed, preview the decision, and submit.

A draft's values live in its :class:`~daman_tui.db.models.IntakeDraft` (saved on every
change, no audit per keystroke); the application row (status draft) is created at the
start so that the draft shows in the case list. Submission checks the whole file, writes
it into the household's rows and submits the application in one transaction: the audit
and outbox entries of every row come with it, and the 20-day clock starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from daman_tui.db.models import (
    Application,
    Branch,
    Document,
    Household,
    HouseholdMember,
    IntakeDraft,
    Person,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import normalize_for_search
from daman_tui.domain.digits import strip_spaces, to_ascii_digits
from daman_tui.domain.documents import DocumentNeed, checklist, missing
from daman_tui.domain.eligibility import Decision, evaluate
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    IdentityCheck,
    IdKind,
    MemberKind,
)
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.intake.checklist import checklist_input
from daman_tui.domain.intake.fields import Context, parse_field
from daman_tui.domain.intake.form import HEAD, DraftForm, new_form, section_values
from daman_tui.domain.intake.steps import STEPS, step_by_key
from daman_tui.domain.national_id import id_kind, validate_national_id
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.domain.rules import rule_set_for
from daman_tui.domain.sla import add_days
from daman_tui.services.cases import (
    OPEN_STATUSES,
    application_view,
    full_name,
    household_view,
    open_application,
    open_household,
    require_declaration,
    submit_in,
)
from daman_tui.services.documents import document_view
from daman_tui.services.facts import PersonSections, household_facts, member_facts
from daman_tui.services.file_rows import apply_form, form_from_rows
from daman_tui.services.store import Store
from daman_tui.services.views import ApplicationView, DocumentView, HouseholdView

__all__ = [
    "DocumentStatus",
    "DraftRef",
    "DraftSummary",
    "Lookup",
    "Submitted",
    "application_by_number",
    "claimed_elsewhere",
    "document_status",
    "household_by_file_number",
    "lookup",
    "my_drafts",
    "open_draft",
    "preview",
    "save_form",
    "start_application",
    "start_update",
    "submit",
]

FIRST_STEP = STEPS[0].number
LAST_STEP = STEPS[-1].number


@dataclass(frozen=True)
class Lookup:
    """What the store knows of a national ID typed at the start of the wizard."""

    national_id: str
    name: str  # the person's four-part name, "" when unknown
    households: tuple[HouseholdView, ...]  # the families this person heads
    claimed_in: tuple[str, ...]  # file numbers where the person is someone's dependent

    @property
    def open_application(self) -> ApplicationView | None:
        """The open application of one of the person's households (drafts included)."""
        return next((h.open_application for h in self.households if h.open_application), None)


@dataclass(frozen=True)
class DraftRef:
    """An open draft, ready for the wizard."""

    application: ApplicationView
    household_id: str
    file_number: str
    form: DraftForm
    step: int
    focus: str


@dataclass(frozen=True)
class DraftSummary:
    """One of a clerk's unfinished drafts, for the offer to resume."""

    application_id: str
    request_number: str
    national_id: str
    name: str
    kind: ApplicationKind
    step: int
    saved_at: datetime


@dataclass(frozen=True)
class Submitted:
    """The outcome of a submission, with what the receipt prints."""

    application: ApplicationView
    file_number: str
    applicant_name: str
    national_id: str
    members: int
    decision_due: date
    branch_name_ar: str
    branch_name_en: str
    preview: Decision | None
    documents: tuple[DocumentView, ...] = ()


def lookup(store: Store, actor: Actor, national_id: str) -> Lookup:
    """The person behind ``national_id``: the households they head, any open application,
    and households that list them as a dependent (no second file for the same family)."""
    require(actor, Permission.VIEW_CASES)
    nid = validate_national_id(national_id)
    with store.read() as session:
        person = session.exec(select(Person).where(Person.national_id == nid)).first()
        if person is None:
            return Lookup(nid, "", (), ())
        headed = session.exec(
            select(Household)
            .where(Household.head_person_id == person.id)
            .where(col(Household.deleted_at).is_(None))
            .order_by(col(Household.family_no))
        ).all()
        claimed = session.exec(
            select(Household.file_number)
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)  # type: ignore[arg-type]
            .where(HouseholdMember.person_id == person.id)
            .where(HouseholdMember.kind != MemberKind.HEAD.value)
            .where(col(HouseholdMember.deleted_at).is_(None))
        ).all()
        return Lookup(
            nid,
            full_name(person),
            tuple(household_view(session, h) for h in headed),
            tuple(claimed),
        )


def _typed_number(text: str) -> str:
    # Numbers are read out at the counter and retyped: Arabic-Indic digits, spaces and
    # lower case must still find the row.
    return strip_spaces(to_ascii_digits(text)).upper()


def _numbered(
    session: Session, model: Any, column: str, number: str, unknown: ValidationError
) -> Any:
    """The live row of ``model`` whose ``column`` is ``number``, else ``unknown``."""
    row = session.exec(
        select(model).where(getattr(model, column) == number).where(col(model.deleted_at).is_(None))
    ).first()
    if row is None:
        raise unknown
    return row


def application_by_number(store: Store, actor: Actor, request_number: str) -> ApplicationView:
    """The application numbered ``request_number`` (رقم الطلب), if the actor may see it."""
    require(actor, Permission.VIEW_CASES)
    number = _typed_number(request_number)
    unknown = ValidationError(
        "application.unknown",
        f"لا يوجد طلب برقم {number}.",
        f"No application numbered '{number}'.",
        request_number=number,
    )
    with store.read() as session:
        app = _numbered(session, Application, "request_number", number, unknown)
        require(actor, Permission.VIEW_CASES, app.branch_id)
        return application_view(app)


def household_by_file_number(store: Store, actor: Actor, file_number: str) -> HouseholdView:
    """The household whose file is numbered ``file_number`` (رقم الملف), if the actor may
    see it."""
    require(actor, Permission.VIEW_CASES)
    number = _typed_number(file_number)
    unknown = ValidationError(
        "household.unknown",
        f"لا يوجد ملف أسرة برقم {number}.",
        f"No household file numbered '{number}'.",
        file_number=number,
    )
    with store.read() as session:
        household = _numbered(session, Household, "file_number", number, unknown)
        require(actor, Permission.VIEW_CASES, household.branch_id)
        return household_view(session, household)


def start_application(
    store: Store,
    actor: Actor,
    national_id: str,
    identity_check: IdentityCheck | None,
    *,
    new_family: bool = False,
) -> DraftRef:
    """A new household and its draft, for an applicant whose identity was checked.

    Refused while the person already has an open application, and when they already head
    a household unless ``new_family`` (a provider's other family is its own household).
    """
    require(actor, Permission.EDIT_APPLICATION, actor.branch_id)
    nid = validate_national_id(national_id)
    if identity_check is None:
        raise ValidationError(
            "identity.unchecked",
            "سجّل كيف تحقّقت من هوية المتقدّم قبل البدء.",
            "Record how the applicant's identity was checked before starting.",
        )
    with store.write(actor) as uow:
        session = uow.session
        branch = session.get(Branch, actor.branch_id)
        if branch is None:
            raise ValidationError("branch.unknown", "الفرع غير موجود.", "Unknown branch.")
        person = session.exec(select(Person).where(Person.national_id == nid)).first()
        if person is None:
            person = uow.add(
                Person(
                    branch_id=branch.id,
                    national_id=nid,
                    id_kind=IdKind(id_kind(nid)),
                    first_name="",
                )
            )
        else:
            _refuse_second_file(session, person, new_family=new_family)
        household = open_household(uow, branch, person)
        app = open_application(uow, household, identity_check=identity_check)
        form = new_form(nid, identity_check.value)
        _write_draft(session, actor, app.id, form, FIRST_STEP, "")
        return DraftRef(application_view(app), household.id, household.file_number, form, 1, "")


def _refuse_second_file(session: Session, person: Person, *, new_family: bool) -> None:
    rows = session.exec(
        select(Household, Application)
        .join(Application, Application.household_id == Household.id)  # type: ignore[arg-type]
        .where(Household.head_person_id == person.id)
        .where(col(Application.status).in_([s.value for s in OPEN_STATUSES]))
        .where(col(Application.deleted_at).is_(None))
    ).first()
    if rows is not None:
        number = rows[1].request_number
        raise ValidationError(
            "application.open",
            f"لدى المتقدّم طلب قائم برقم {number}؛ افتحه بدلًا من بدء طلب جديد.",
            f"The applicant has an open application, {number}; open it instead of starting"
            " a new one.",
            request_number=number,
        )
    heads = session.exec(
        select(Household.file_number)
        .where(Household.head_person_id == person.id)
        .where(col(Household.deleted_at).is_(None))
    ).first()
    if heads is not None and not new_family:
        raise ValidationError(
            "household.exists",
            f"للمتقدّم ملف أسرة برقم {heads}؛ حدّث الملف، أو افتح ملفًا لأسرة أخرى يعولها.",
            f"The applicant already has a family file, {heads}; update it, or open a file"
            " for another family they provide for.",
            file_number=heads,
        )


def start_update(
    store: Store, actor: Actor, household_id: str, identity_check: IdentityCheck | None
) -> DraftRef:
    """A draft that updates ``household``'s stored file (تحديث البيانات), filled from its rows."""
    if identity_check is None:
        raise ValidationError(
            "identity.unchecked",
            "سجّل كيف تحقّقت من هوية المتقدّم قبل البدء.",
            "Record how the applicant's identity was checked before starting.",
        )
    with store.write(actor) as uow:
        session = uow.session
        household = session.get(Household, household_id)
        if household is None or household.deleted_at is not None:
            raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
        require(actor, Permission.EDIT_APPLICATION, household.branch_id)
        head = session.get(Person, household.head_person_id)
        if head is not None:
            _refuse_second_file(session, head, new_family=True)
        app = open_application(
            uow, household, kind=ApplicationKind.UPDATE, identity_check=identity_check
        )
        form = form_from_rows(session, household, identity_check.value)
        _write_draft(session, actor, app.id, form, FIRST_STEP, "")
        return DraftRef(application_view(app), household.id, household.file_number, form, 1, "")


def _write_draft(
    session: Session, actor: Actor, application_id: str, form: DraftForm, step: int, focus: str
) -> None:
    draft = session.get(IntakeDraft, application_id) or IntakeDraft(
        application_id=application_id, saved_by=actor.id
    )
    draft.form = form.data
    draft.step = step
    draft.focus = focus[:120]
    draft.saved_by = actor.id
    draft.saved_at = utcnow()
    # The JSON column is replaced, never mutated in place: SQLAlchemy would not see it.
    sa.orm.attributes.flag_modified(draft, "form")
    session.add(draft)


def _draft_application(session: Session, actor: Actor, application_id: str) -> Application:
    app = session.get(Application, application_id)
    if app is None or app.deleted_at is not None:
        raise ValidationError("application.unknown", "الطلب غير موجود.", "Unknown application.")
    require(actor, Permission.EDIT_APPLICATION, app.branch_id)
    if app.status != ApplicationStatus.DRAFT:
        raise ValidationError(
            "application.not_draft",
            f"الطلب {app.request_number} قُدِّم ولم يعد مسودة.",
            f"Application {app.request_number} was submitted and is no longer a draft.",
            request_number=app.request_number,
        )
    return app


def open_draft(store: Store, actor: Actor, application_id: str) -> DraftRef:
    """A saved draft exactly as it was left: its values, step and field."""
    with store.read() as session:
        app = _draft_application(session, actor, application_id)
        household = session.get(Household, app.household_id)
        draft = session.get(IntakeDraft, application_id)
        if household is None:
            raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
        if draft is None:
            # A draft started on another terminal: its working copy stayed there. Open
            # the stored file instead, so nothing is typed twice that is already stored.
            identity = app.identity_check.value if app.identity_check else None
            form = form_from_rows(session, household, identity)
            return DraftRef(application_view(app), household.id, household.file_number, form, 1, "")
        return DraftRef(
            application_view(app),
            household.id,
            household.file_number,
            DraftForm(dict(draft.form)),
            draft.step,
            draft.focus,
        )


def save_form(
    store: Store, actor: Actor, application_id: str, form: DraftForm, step: int, focus: str = ""
) -> None:
    """Save the draft as it stands (called on every change).

    Moving to another step also records the step on the application and, once the
    applicant's name is acceptable, puts it on the person so the case list shows it.
    """
    if not FIRST_STEP <= step <= LAST_STEP:
        raise ValueError(f"step {step} is not a step of the wizard")
    with store.write(actor) as uow:
        session = uow.session
        app = _draft_application(session, actor, application_id)
        draft = session.get(IntakeDraft, application_id)
        if draft is None or draft.step != step:
            uow.update(
                app, {"current_step": step, "last_change_at": utcnow()}, action="application.draft"
            )
            _name_head(uow, app, form)
        _write_draft(session, actor, application_id, form, step, focus)


def _name_head(uow: Any, app: Application, form: DraftForm) -> None:
    household = uow.session.get(Household, app.household_id)
    person = uow.session.get(Person, household.head_person_id) if household else None
    if person is None:
        return
    today = date.today()
    personal = step_by_key("personal").sections[0]
    names = {
        spec.key: form.get(HEAD, "personal", spec.key)
        for spec in personal.fields
        if spec.key.endswith("_name")
    }
    try:
        parsed = {
            key: parse_field(spec, names[key], Context(today))
            for spec in personal.fields
            if (key := spec.key) in names
        }
    except ValidationError:
        return
    joined = " ".join(str(v) for v in parsed.values() if v)
    uow.update(person, {**parsed, "name_search": normalize_for_search(joined)})


def my_drafts(store: Store, actor: Actor) -> list[DraftSummary]:
    """The actor's drafts saved on this terminal, latest first: what can be resumed."""
    require(actor, Permission.EDIT_APPLICATION, actor.branch_id)
    with store.read() as session:
        rows = session.exec(
            select(IntakeDraft, Application, Person)
            .join(Application, Application.id == IntakeDraft.application_id)  # type: ignore[arg-type]
            .join(Household, Household.id == Application.household_id)  # type: ignore[arg-type]
            .join(Person, Person.id == Household.head_person_id)  # type: ignore[arg-type]
            .where(IntakeDraft.saved_by == actor.id)
            .where(Application.status == ApplicationStatus.DRAFT.value)
            .where(col(Application.deleted_at).is_(None))
            .order_by(col(IntakeDraft.saved_at).desc())
        ).all()
        return [
            DraftSummary(
                application_id=app.id,
                request_number=app.request_number,
                national_id=person.national_id,
                name=_draft_name(draft.form) or full_name(person),
                kind=ApplicationKind(app.kind),
                step=draft.step,
                saved_at=draft.saved_at,
            )
            for draft, app, person in rows
        ]


def _draft_name(data: dict[str, Any]) -> str:
    personal = data.get("head", {}).get("sections", {}).get("personal", {})
    parts = (
        personal.get(k, "")
        for k in ("first_name", "father_name", "grandfather_name", "family_name")
    )
    return " ".join(p.strip() for p in parts if p.strip())


def claimed_elsewhere(
    store: Store, actor: Actor, household_id: str, national_ids: list[str]
) -> dict[str, str]:
    """Which of ``national_ids`` are already members of another household: ID → its file
    number. Such a dependent is flagged, not refused: the eligibility rules decide."""
    require(actor, Permission.VIEW_CASES)
    valid = []
    for nid in national_ids:
        try:
            valid.append(validate_national_id(nid))
        except ValidationError:
            continue
    if not valid:
        return {}
    with store.read() as session:
        rows = session.exec(
            select(Person.national_id, Household.file_number)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)  # type: ignore[arg-type]
            .join(Household, Household.id == HouseholdMember.household_id)  # type: ignore[arg-type]
            .where(col(Person.national_id).in_(valid))
            .where(HouseholdMember.household_id != household_id)
            .where(col(HouseholdMember.deleted_at).is_(None))
        ).all()
    return dict(rows)


def _facts(session: Session, household_id: str, form: DraftForm, today: date) -> Any:
    household = session.get(Household, household_id)
    if household is None:
        raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
    ids = []
    for who in form.people():
        ids.append(validate_national_id(form.get(who, "personal", "national_id")))
    elsewhere = set(
        session.exec(
            select(Person.national_id)
            .join(HouseholdMember, HouseholdMember.person_id == Person.id)  # type: ignore[arg-type]
            .where(col(Person.national_id).in_(ids))
            .where(HouseholdMember.household_id != household_id)
            .where(col(HouseholdMember.deleted_at).is_(None))
        ).all()
    )
    headed = session.exec(
        select(sa.func.count())
        .select_from(Household)
        .where(Household.head_person_id == household.head_person_id)
        .where(col(Household.deleted_at).is_(None))
    ).one()
    housing = section_values(
        step_by_key("housing").sections[1].fields, form.values("household", "housing"), today
    )
    shelter = bool(household.in_shelter)
    members = []
    for who in form.people():
        row, sections = _member_rows(form, who, today)
        fact = member_facts(
            row, sections, in_shelter=shelter, listed_elsewhere=row.national_id in elsewhere
        )
        members.append((row, fact))
    hh = SimpleNamespace(
        id=household.id,
        head_person_id=HEAD,
        family_no=household.family_no,
        housing_type=housing["housing_type"],
        in_shelter=shelter,
    )
    return household_facts(hh, members, headed)


def _member_rows(form: DraftForm, who: str, today: date) -> tuple[Any, PersonSections]:
    """A member of the draft as the facts builder reads rows."""
    values: dict[str, Any] = {}
    by_section: dict[str, Any] = {}
    groups: dict[str, list[Any]] = {}
    for section in form.sections_of(who):
        parsed = section_values(section.fields, form.values(who, section.key), today)
        values |= parsed
        by_section[section.key] = [SimpleNamespace(**parsed)]
        for group in section.groups:
            groups[group.key] = [
                SimpleNamespace(**section_values(group.fields, item, today))
                for item in form.items(who, group.key)
            ]
    kind = form.kind_of(who)
    row = SimpleNamespace(
        person_id=who,
        national_id=values["national_id"],
        kind=kind.value,
        relationship=values.get("relationship"),
        gender=values["gender"],
        birth_date=values["birth_date"],
        nationality=values["nationality"],
        marital_status=values.get("marital_status"),
        resides_in_kingdom=True,
        has_movement_card=False,
        special_needs=values.get("special_needs", False),
        meets_health_education=values.get("meets_health_education"),
        joins_training=values.get("joins_training"),
    )
    sections = PersonSections(
        incomes=groups.get("income_lines", ()),
        supports=groups.get("support_lines", ()),
        zakat=by_section.get("zakat", ()),
        permits=by_section.get("permits", ()),
        workers=by_section.get("workers", ()),
        education=by_section.get("education", ()),
        estates=groups.get("real_estate", ()),
        deeds=groups.get("deeds", ()),
        vehicles=groups.get("vehicles", ()),
    )
    return row, sections


def preview(
    store: Store, actor: Actor, household_id: str, form: DraftForm, today: date
) -> Decision | None:
    """What the engine would decide on the draft today; None while the file has issues."""
    require(actor, Permission.VIEW_CASES)
    if form.all_issues(today):
        return None
    with store.read() as session:
        facts = _facts(session, household_id, form, today)
    if facts is None:
        return None
    return evaluate(facts, rule_set_for(today), today)


def submit(
    store: Store,
    actor: Actor,
    application_id: str,
    form: DraftForm,
    *,
    declaration_accepted: bool,
    today: date,
) -> Submitted:
    """Store the whole file and submit the application (تقديم).

    Refused, with nothing written, while any field has an issue, while required documents
    are missing, or without the declaration (الإقرار والتعهد).
    """
    issues = form.all_issues(today)
    if issues:
        raise ValidationError(
            "application.incomplete",
            f"الملف غير مكتمل: {len(issues)} حقل يحتاج إلى استكمال أو تصحيح.",
            f"The file is not complete: {len(issues)} field(s) need an answer or a correction.",
            count=len(issues),
        )
    require_declaration(declaration_accepted)
    rules = rule_set_for(today)
    with store.write(actor) as uow:
        session = uow.session
        app = _draft_application(session, actor, application_id)
        require(actor, Permission.SUBMIT_APPLICATION, app.branch_id)
        household = session.get(Household, app.household_id)
        branch = session.get(Branch, app.branch_id)
        if household is None or branch is None:
            raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
        documents = _document_status(session, app.id, form)
        if documents.missing_required:
            count = documents.missing_required
            raise ValidationError(
                "application.documents_missing",
                f"ينقص {count} من المستندات المطلوبة؛ أرفقها قبل التقديم.",
                f"{count} required document(s) missing; attach them before submitting.",
                count=count,
            )
        facts = _facts(session, household.id, form, today)
        decision = evaluate(facts, rules, today) if facts is not None else None
        apply_form(uow, household, form, today)
        submit_in(uow, actor, app, current_step=LAST_STEP)
        draft = session.get(IntakeDraft, application_id)
        if draft is not None:
            session.delete(draft)
        head = session.get(Person, household.head_person_id)
        return Submitted(
            application=application_view(app),
            file_number=household.file_number,
            applicant_name=full_name(head) if head else "",
            national_id=head.national_id if head else "",
            members=1 + len(form.dependents),
            decision_due=add_days(today, rules.decision_limit_days, rules.calendar),
            branch_name_ar=branch.name_ar,
            branch_name_en=branch.name_en,
            preview=decision,
            documents=documents.received,
        )


@dataclass(frozen=True)
class DocumentStatus:
    """The draft's document checklist against what was received."""

    needs: tuple[DocumentNeed, ...]
    received: tuple[DocumentView, ...]
    missing: tuple[DocumentNeed, ...]

    @property
    def missing_required(self) -> int:
        return sum(1 for need in self.missing if need.required)

    def received_for(self, need: DocumentNeed) -> DocumentView | None:
        """The received document that meets ``need``, if any."""
        for doc in self.received:
            if doc.doc_type is need.doc_type and (
                need.national_id is None or doc.subject_national_id == need.national_id
            ):
                return doc
        return None


def _received(session: Session, application_id: str) -> list[DocumentView]:
    docs = session.exec(
        select(Document)
        .where(Document.application_id == application_id)
        .where(col(Document.deleted_at).is_(None))
        .order_by(col(Document.received_at), col(Document.id))
    ).all()
    return [document_view(d) for d in docs]


def document_status(
    store: Store, actor: Actor, application_id: str, form: DraftForm
) -> DocumentStatus:
    """Which documents the draft needs, which were received, and which are missing."""
    with store.read() as session:
        app = _draft_application(session, actor, application_id)
        return _document_status(session, app.id, form)


def _document_status(session: Session, application_id: str, form: DraftForm) -> DocumentStatus:
    needs = checklist(checklist_input(form))
    received = _received(session, application_id)
    gaps = missing(needs, ((d.doc_type, d.subject_national_id) for d in received))
    return DocumentStatus(needs, tuple(received), gaps)
