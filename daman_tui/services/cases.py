"""Households and applications: find or start a file, save a draft, submit, move status, list.

Every function takes the acting user first, checks permission, validates with the domain,
and writes through one unit of work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from daman_tui.db.models import (
    Application,
    AppUser,
    Branch,
    Household,
    HouseholdMember,
    Person,
    StatusChange,
)
from daman_tui.db.types import utcnow
from daman_tui.domain.arabic import (
    normalize_for_search,
    validate_free_text,
    validate_name_part,
)
from daman_tui.domain.enums import (
    ApplicationKind,
    ApplicationStatus,
    CalendarKind,
    Gender,
    IdentityCheck,
    IdKind,
    MaritalStatus,
    MemberKind,
)
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.national_id import id_kind, validate_national_id
from daman_tui.domain.permissions import Actor, Permission, can, require
from daman_tui.domain.request_numbers import format_request_number
from daman_tui.domain.status import check_transition
from daman_tui.services.store import Store
from daman_tui.services.uow import UnitOfWork
from daman_tui.services.views import ApplicationView, CaseRow, HouseholdView, MemberView

__all__ = [
    "OPEN_STATUSES",
    "PersonInput",
    "application_view",
    "change_status",
    "create_household",
    "find_household",
    "full_name",
    "get_application",
    "household_view",
    "list_cases",
    "open_application",
    "open_household",
    "require_declaration",
    "save_draft",
    "status_counts",
    "store_case_count",
    "submit_application",
    "submit_in",
    "transition",
]

# An application in one of these blocks a second one for the same household.
OPEN_STATUSES = frozenset(
    {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.DOCS_REQUESTED,
        ApplicationStatus.VISIT_SCHEDULED,
        ApplicationStatus.VISIT_DONE,
        ApplicationStatus.PRELIMINARY_APPROVED,
    }
)


@dataclass(frozen=True)
class PersonInput:
    """البيانات الشخصية as typed at the counter; validated by :func:`create_household`."""

    national_id: str
    first_name: str
    father_name: str = ""
    grandfather_name: str = ""
    family_name: str = ""
    birth_date: date | None = None
    birth_calendar: CalendarKind = CalendarKind.GREGORIAN
    gender: Gender | None = None
    nationality: str = "SAU"
    marital_status: MaritalStatus | None = None


def full_name(p: Person) -> str:
    """The four-part name in order, skipping empty parts."""
    return " ".join(
        x for x in (p.first_name, p.father_name, p.grandfather_name, p.family_name) if x
    )


def _person_fields(data: PersonInput) -> dict[str, object]:
    nid = validate_national_id(data.national_id)
    names = {
        "first_name": validate_name_part(data.first_name),
        "father_name": validate_name_part(data.father_name, required=False),
        "grandfather_name": validate_name_part(data.grandfather_name, required=False),
        "family_name": validate_name_part(data.family_name, required=False),
    }
    joined = " ".join(v for v in names.values() if v)
    return {
        "national_id": nid,
        "id_kind": IdKind(id_kind(nid)),
        **names,
        "name_search": normalize_for_search(joined),
        "birth_date": data.birth_date,
        "birth_calendar": data.birth_calendar,
        "gender": data.gender,
        "nationality": data.nationality.upper()[:3],
        "marital_status": data.marital_status,
    }


def _branch(session: Session, branch_id: str) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None:
        raise ValidationError("branch.unknown", "الفرع غير موجود.", "Unknown branch.")
    return branch


def _member_view(person: Person, kind: MemberKind) -> MemberView:
    return MemberView(
        person_id=person.id,
        national_id=person.national_id,
        full_name=full_name(person),
        kind=kind,
        gender=person.gender,
        birth_date=person.birth_date,
    )


def application_view(app: Application) -> ApplicationView:
    return ApplicationView(
        id=app.id,
        request_number=app.request_number,
        household_id=app.household_id,
        kind=ApplicationKind(app.kind),
        status=ApplicationStatus(app.status),
        current_step=app.current_step,
        submitted_at=app.submitted_at,
        last_change_at=app.last_change_at,
        row_version=app.row_version,
    )


def household_view(session: Session, household: Household) -> HouseholdView:
    """The read model of ``household`` with its members and its open application."""
    rows = session.exec(
        select(HouseholdMember, Person)
        .join(Person, Person.id == HouseholdMember.person_id)  # type: ignore[arg-type]
        .where(HouseholdMember.household_id == household.id)
        .where(col(HouseholdMember.deleted_at).is_(None))
        .order_by(col(HouseholdMember.created_at))
    ).all()
    members = tuple(_member_view(p, MemberKind(m.kind)) for m, p in rows)
    head = next(m for m in members if m.person_id == household.head_person_id)
    open_app = session.exec(
        select(Application)
        .where(Application.household_id == household.id)
        .where(col(Application.status).in_([s.value for s in OPEN_STATUSES]))
        .where(col(Application.deleted_at).is_(None))
        .order_by(col(Application.created_at).desc())
    ).first()
    return HouseholdView(
        id=household.id,
        file_number=household.file_number,
        branch_id=household.branch_id,
        family_no=household.family_no,
        head=head,
        members=members,
        open_application=application_view(open_app) if open_app else None,
    )


def find_household(store: Store, actor: Actor, national_id: str) -> list[HouseholdView]:
    """The households this person heads or belongs to (a provider may head two families)."""
    require(actor, Permission.VIEW_CASES)
    nid = validate_national_id(national_id)
    with store.read() as session:
        person = session.exec(select(Person).where(Person.national_id == nid)).first()
        if person is None:
            return []
        households = session.exec(
            select(Household)
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)  # type: ignore[arg-type]
            .where(HouseholdMember.person_id == person.id)
            .where(col(HouseholdMember.deleted_at).is_(None))
            .order_by(col(Household.family_no))
        ).all()
        return [
            household_view(session, h)
            for h in households
            if can(actor, Permission.VIEW_CASES, h.branch_id)
        ]


def create_household(store: Store, actor: Actor, head: PersonInput) -> HouseholdView:
    """A new household in the actor's branch headed by ``head`` (a new or known person).

    A known person who already heads a household gets the next ``family_no``: a provider
    with another family opens another household, with its own pension.
    """
    require(actor, Permission.EDIT_APPLICATION, actor.branch_id)
    fields = _person_fields(head)
    with store.write(actor) as uow:
        session = uow.session
        branch = _branch(session, actor.branch_id)
        person = session.exec(
            select(Person).where(Person.national_id == fields["national_id"])
        ).first()
        if person is None:
            person = uow.add(Person(branch_id=branch.id, **fields))  # type: ignore[arg-type]
        household = open_household(uow, branch, person)
        return household_view(session, household)


def open_household(uow: UnitOfWork, branch: Branch, person: Person) -> Household:
    """A new household in ``branch`` headed by ``person`` (its next family number)."""
    family_no = 1 + (
        uow.session.exec(
            select(sa.func.max(Household.family_no)).where(Household.head_person_id == person.id)
        ).one()
        or 0
    )
    household = uow.add(
        Household(
            branch_id=branch.id,
            file_number=_file_number(uow, branch),
            head_person_id=person.id,
            family_no=family_no,
        )
    )
    uow.add(
        HouseholdMember(
            branch_id=branch.id,
            household_id=household.id,
            person_id=person.id,
            kind=MemberKind.HEAD,
        )
    )
    return household


def _file_number(uow: UnitOfWork, branch: Branch) -> str:
    seq = uow.next_request_seq()
    return f"{branch.code}-F-{uow.node.node_tag}-{seq:05d}"


def save_draft(
    store: Store,
    actor: Actor,
    household_id: str,
    *,
    current_step: int = 1,
    identity_check: IdentityCheck | None = None,
    kind: ApplicationKind = ApplicationKind.NEW,
) -> ApplicationView:
    """Create the household's draft, or move the open draft to ``current_step``.

    Refuses a second application while one is open: one household, one file.
    """
    with store.write(actor) as uow:
        session = uow.session
        household = session.get(Household, household_id)
        if household is None or household.deleted_at is not None:
            raise ValidationError("household.unknown", "الأسرة غير موجودة.", "Unknown household.")
        require(actor, Permission.EDIT_APPLICATION, household.branch_id)
        open_app = session.exec(
            select(Application)
            .where(Application.household_id == household_id)
            .where(col(Application.status).in_([s.value for s in OPEN_STATUSES]))
            .where(col(Application.deleted_at).is_(None))
        ).first()
        if open_app is not None and open_app.status != ApplicationStatus.DRAFT:
            raise ValidationError(
                "application.open",
                f"لدى الأسرة طلب قائم برقم {open_app.request_number}.",
                f"The household has an open application, {open_app.request_number}.",
                request_number=open_app.request_number,
            )
        if open_app is None:
            app = open_application(
                uow,
                household,
                kind=kind,
                identity_check=identity_check,
                current_step=current_step,
            )
            return application_view(app)
        now = utcnow()
        changes: dict[str, object] = {"current_step": current_step, "last_change_at": now}
        if identity_check is not None:
            changes |= {"identity_check": identity_check, "identity_verified_by": actor.id}
        return application_view(uow.update(open_app, changes, action="application.draft"))


def open_application(
    uow: UnitOfWork,
    household: Household,
    *,
    kind: ApplicationKind = ApplicationKind.NEW,
    identity_check: IdentityCheck | None = None,
    current_step: int = 1,
) -> Application:
    """A new draft application on ``household``, with its first status-history entry.

    The caller has checked that the household has no other open application.
    """
    actor = uow.actor
    if actor is None:
        raise ValueError("an application is opened by a person")
    now = utcnow()
    branch = _branch(uow.session, household.branch_id)
    number = format_request_number(
        branch.code, now.date(), uow.node.node_tag, uow.next_request_seq()
    )
    app = uow.add(
        Application(
            branch_id=household.branch_id,
            request_number=number,
            household_id=household.id,
            kind=kind,
            created_by=actor.id,
            current_step=current_step,
            identity_check=identity_check,
            identity_verified_by=actor.id if identity_check else None,
            last_change_at=now,
        ),
        action="application.draft",
    )
    uow.add(
        StatusChange(
            branch_id=app.branch_id,
            application_id=app.id,
            from_status=None,
            to_status=ApplicationStatus.DRAFT,
            actor_id=actor.id,
            at=now,
        )
    )
    return app


def _load_application(session: Session, application_id: str) -> Application:
    app = session.get(Application, application_id)
    if app is None or app.deleted_at is not None:
        raise ValidationError("application.unknown", "الطلب غير موجود.", "Unknown application.")
    return app


def transition(
    uow: UnitOfWork,
    actor: Actor,
    app: Application,
    target: ApplicationStatus,
    *,
    reason: str,
    extra: dict[str, object] | None = None,
) -> Application:
    preliminary_by = None
    if target == ApplicationStatus.APPROVED:
        preliminary_by = uow.session.exec(
            select(StatusChange.actor_id)
            .where(StatusChange.application_id == app.id)
            .where(StatusChange.to_status == ApplicationStatus.PRELIMINARY_APPROVED)
            .order_by(col(StatusChange.at).desc())
        ).first()
    reason = validate_free_text(reason, max_len=2000)
    source = ApplicationStatus(app.status)
    transition = check_transition(
        source,
        target,
        actor.role,
        actor_id=actor.id,
        preliminary_approver_id=preliminary_by,
        reason=reason,
    )
    now = utcnow()
    changes: dict[str, object] = {"status": target, "last_change_at": now, **(extra or {})}
    if target in (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED):
        changes["decided_at"] = now
    uow.update(app, changes, action=f"application.{transition.action}")
    uow.add(
        StatusChange(
            branch_id=app.branch_id,
            application_id=app.id,
            from_status=source,
            to_status=target,
            actor_id=actor.id,
            at=now,
            reason=reason,
        )
    )
    return app


def submit_application(
    store: Store, actor: Actor, application_id: str, *, declaration_accepted: bool
) -> ApplicationView:
    """Submit a draft (تقديم): the declaration must be accepted; the 20-day clock starts."""
    with store.write(actor) as uow:
        app = _load_application(uow.session, application_id)
        require(actor, Permission.SUBMIT_APPLICATION, app.branch_id)
        require_declaration(declaration_accepted)
        submit_in(uow, actor, app)
        return application_view(app)


def require_declaration(accepted: bool) -> None:
    """Refuse a submission whose declaration (الإقرار والتعهد) was not accepted."""
    if not accepted:
        raise ValidationError(
            "application.declaration",
            "يجب الموافقة على الإقرار والتعهد قبل التقديم.",
            "The declaration must be accepted before submitting.",
        )


def submit_in(uow: UnitOfWork, actor: Actor, app: Application, **extra: object) -> Application:
    """Move a draft to submitted inside ``uow``: the declaration's time and the 20-day
    clock's start are now (the caller has checked the declaration)."""
    now = utcnow()
    return transition(
        uow,
        actor,
        app,
        ApplicationStatus.SUBMITTED,
        reason="",
        extra={"submitted_at": now, "declaration_accepted_at": now, **extra},
    )


def change_status(
    store: Store, actor: Actor, application_id: str, target: ApplicationStatus, reason: str = ""
) -> ApplicationView:
    """Move an application through the state machine; illegal moves are refused, not ignored."""
    with store.write(actor) as uow:
        app = _load_application(uow.session, application_id)
        require(actor, Permission.CHANGE_STATUS, app.branch_id)
        if app.status == ApplicationStatus.DRAFT:
            raise ValidationError(
                "application.not_submitted",
                "الطلب ما زال مسودة؛ قدّمه أولًا.",
                "The application is still a draft; submit it first.",
            )
        transition(uow, actor, app, target, reason=reason)
        return application_view(app)


def get_application(store: Store, actor: Actor, application_id: str) -> ApplicationView:
    """One application, if the actor may see it."""
    with store.read() as session:
        app = _load_application(session, application_id)
        require(actor, Permission.VIEW_CASES, app.branch_id)
        return application_view(app)


def list_cases(
    store: Store,
    actor: Actor,
    *,
    status: ApplicationStatus | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[CaseRow]:
    """A page of cases, newest change first, keyset-paged by ``(last_change_at, id)``.

    Never OFFSET: the page after row N costs the same at any depth. Outside the actor's
    branch only with the all-branches permission.
    """
    require(actor, Permission.VIEW_CASES)
    a, h, p, b = (
        Application.__table__,  # type: ignore[attr-defined]
        Household.__table__,  # type: ignore[attr-defined]
        Person.__table__,  # type: ignore[attr-defined]
        Branch.__table__,  # type: ignore[attr-defined]
    )
    u = AppUser.__table__.alias("assignee")  # type: ignore[attr-defined]
    query = (
        sa.select(
            a.c.id,
            a.c.request_number,
            p.c.first_name,
            p.c.father_name,
            p.c.grandfather_name,
            p.c.family_name,
            p.c.national_id,
            a.c.status,
            a.c.kind,
            b.c.code,
            u.c.full_name,
            a.c.submitted_at,
            a.c.last_change_at,
        )
        .select_from(
            a.join(h, h.c.id == a.c.household_id)
            .join(p, p.c.id == h.c.head_person_id)
            .join(b, b.c.id == a.c.branch_id)
            .outerjoin(u, u.c.id == a.c.assigned_to)
        )
        .where(a.c.deleted_at.is_(None))
        .order_by(a.c.last_change_at.desc(), a.c.id.desc())
        .limit(limit)
    )
    if not can(actor, Permission.ALL_BRANCHES):
        query = query.where(a.c.branch_id == actor.branch_id)
    if status is not None:
        query = query.where(a.c.status == status.value)
    if after is not None:
        query = query.where(sa.tuple_(a.c.last_change_at, a.c.id) < sa.tuple_(*after))
    with store.read() as session:
        rows = session.connection().execute(query).all()
    return [
        CaseRow(
            application_id=r[0],
            request_number=r[1],
            head_name=" ".join(x for x in r[2:6] if x),
            national_id=r[6],
            status=ApplicationStatus(r[7]),
            kind=ApplicationKind(r[8]),
            branch_code=r[9],
            assignee=r[10],
            submitted_at=r[11],
            last_change_at=r[12],
        )
        for r in rows
    ]


def store_case_count(store: Store) -> int:
    """How many applications the store holds in all (bootstrap: is this store empty?)."""
    with store.read() as session:
        return session.exec(select(sa.func.count()).select_from(Application)).one()


def status_counts(store: Store, actor: Actor) -> dict[ApplicationStatus, int]:
    """How many cases of the actor's branch are in each status (the home screen's figures)."""
    require(actor, Permission.VIEW_CASES)
    query = (
        select(Application.status, sa.func.count())
        .where(col(Application.deleted_at).is_(None))
        .group_by(Application.status)
    )
    if not can(actor, Permission.ALL_BRANCHES):
        query = query.where(Application.branch_id == actor.branch_id)
    with store.read() as session:
        counts = {ApplicationStatus(s): n for s, n in session.exec(query).all()}
    return {s: counts.get(s, 0) for s in ApplicationStatus}
