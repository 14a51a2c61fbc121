"""The intake services: start, save as typed, resume, preview, submit, update a file."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    AuditEntry,
    BankAccount,
    Household,
    HouseholdMember,
    IncomeLine,
    IntakeDraft,
    NationalAddress,
    OutboxEntry,
    PermitAnswers,
    Person,
    StatusChange,
    Vehicle,
)
from daman_tui.domain.enums import ApplicationKind, ApplicationStatus, IdentityCheck, MemberKind
from daman_tui.domain.errors import PermissionDenied, ValidationError
from daman_tui.domain.intake.form import HEAD
from daman_tui.services import intake
from daman_tui.services.cases import change_status, list_cases
from tests.intake_family import HEAD_ID, IBAN, attach_all, fill, submitted_family

TODAY = date.today()


def _start(store, staff):
    return intake.start_application(store, staff.clerk, HEAD_ID, IdentityCheck.ID_CARD)


def test_start_creates_a_draft_with_the_id_prefilled(store, staff):
    ref = _start(store, staff)
    assert ref.application.status is ApplicationStatus.DRAFT
    assert ref.form.get(HEAD, "personal", "national_id") == HEAD_ID
    with store.read() as s:
        app = s.get(Application, ref.application.id)
        assert app.identity_check == IdentityCheck.ID_CARD
        assert app.identity_verified_by == staff.clerk.id
        assert s.get(IntakeDraft, app.id) is not None
    # The draft is in the case list.
    rows = list_cases(store, staff.clerk)
    assert [r.request_number for r in rows] == [ref.application.request_number]


def test_start_needs_the_identity_check(store, staff):
    with pytest.raises(ValidationError) as err:
        intake.start_application(store, staff.clerk, HEAD_ID, None)
    assert err.value.code == "identity.unchecked"


def test_no_second_file_while_one_is_open(store, staff):
    ref = _start(store, staff)
    found = intake.lookup(store, staff.clerk, HEAD_ID)
    assert found.open_application is not None
    assert found.open_application.id == ref.application.id
    with pytest.raises(ValidationError) as err:
        _start(store, staff)
    assert err.value.code == "application.open"
    assert ref.application.request_number in err.value.message_ar


def test_unknown_id_looks_up_empty_and_bad_id_is_refused(store, staff):
    found = intake.lookup(store, staff.clerk, HEAD_ID)
    assert found.households == () and found.claimed_in == ()
    with pytest.raises(ValidationError):
        intake.lookup(store, staff.clerk, "1234567890")


def test_another_branch_cannot_edit_the_draft(store, staff):
    ref = _start(store, staff)
    with pytest.raises(PermissionDenied):
        intake.save_form(store, staff.other_clerk, ref.application.id, ref.form, 2)


def test_save_and_resume_exactly_where_left(store, staff):
    ref = _start(store, staff)
    ref.form.set(HEAD, "personal", "first_name", "محم")  # half typed
    ref.form.set(HEAD, "bank", "iban", "SA12")  # wrong, and kept as typed
    intake.save_form(store, staff.clerk, ref.application.id, ref.form, 1, "bank.iban")
    back = intake.open_draft(store, staff.clerk, ref.application.id)
    assert back.form.data == ref.form.data
    assert (back.step, back.focus) == (1, "bank.iban")
    drafts = intake.my_drafts(store, staff.clerk)
    assert [d.application_id for d in drafts] == [ref.application.id]
    assert drafts[0].name == "محم"
    assert intake.my_drafts(store, staff.supervisor) == []


def test_moving_on_records_the_step_and_names_the_case(store, staff):
    ref = _start(store, staff)
    fill(ref.form)
    intake.save_form(store, staff.clerk, ref.application.id, ref.form, 2)
    with store.read() as s:
        app = s.get(Application, ref.application.id)
        assert app.current_step == 2
        household = s.get(Household, ref.household_id)
        head = s.get(Person, household.head_person_id)
        assert head.first_name == "محمد" and head.family_name == "القحطاني"
    row = list_cases(store, staff.clerk)[0]
    assert row.head_name == "محمد عبدالله سعد القحطاني"


def test_saving_keystrokes_writes_no_audit(store, staff):
    ref = _start(store, staff)
    with store.read() as s:
        before = len(s.exec(select(AuditEntry)).all())
    for text in ("م", "مح", "محم", "محمد"):
        ref.form.set(HEAD, "personal", "first_name", text)
        intake.save_form(store, staff.clerk, ref.application.id, ref.form, 1)
    with store.read() as s:
        assert len(s.exec(select(AuditEntry)).all()) == before


def test_preview_is_none_until_complete_then_the_engine_decides(store, staff):
    ref = _start(store, staff)
    assert intake.preview(store, staff.clerk, ref.household_id, ref.form, TODAY) is None
    fill(ref.form)
    decision = intake.preview(store, staff.clerk, ref.household_id, ref.form, TODAY)
    assert decision is not None
    assert decision.member_count >= 1
    assert decision.threshold_halalas > 0
    # 1500 salary + 300.50 freelance are both counted in some share.
    assert decision.counted_income_halalas > 0


def test_submit_refuses_an_incomplete_file_and_writes_nothing(store, staff):
    ref = _start(store, staff)
    with pytest.raises(ValidationError) as err:
        intake.submit(
            store, staff.clerk, ref.application.id, ref.form, declaration_accepted=True, today=TODAY
        )
    assert err.value.code == "application.incomplete"
    with store.read() as s:
        assert s.get(Application, ref.application.id).status == ApplicationStatus.DRAFT


def test_submit_refuses_missing_documents_and_missing_declaration(store, staff, tmp_path):
    ref = _start(store, staff)
    fill(ref.form)
    status = intake.document_status(store, staff.clerk, ref.application.id, ref.form)
    with pytest.raises(ValidationError) as err:
        intake.submit(
            store, staff.clerk, ref.application.id, ref.form, declaration_accepted=True, today=TODAY
        )
    assert err.value.code == "application.documents_missing"
    assert err.value.params["count"] == status.missing_required
    attach_all(store, staff.clerk, ref, tmp_path)
    with pytest.raises(ValidationError) as err:
        intake.submit(
            store,
            staff.clerk,
            ref.application.id,
            ref.form,
            declaration_accepted=False,
            today=TODAY,
        )
    assert err.value.code == "application.declaration"


def test_submit_stores_every_row_audits_and_queues_it(store, staff, tmp_path):
    ref = _start(store, staff)
    deps = fill(ref.form)
    attach_all(store, staff.clerk, ref, tmp_path)
    done = intake.submit(
        store, staff.clerk, ref.application.id, ref.form, declaration_accepted=True, today=TODAY
    )
    assert done.application.status is ApplicationStatus.SUBMITTED
    assert done.members == 5
    assert done.applicant_name == "محمد عبدالله سعد القحطاني"
    assert done.decision_due > TODAY
    assert {d.doc_type for d in done.documents} >= {"national_id", "family_card", "ward_deed"}
    with store.read() as s:
        app = s.get(Application, ref.application.id)
        assert app.submitted_at is not None and app.declaration_accepted_at is not None
        assert s.get(IntakeDraft, app.id) is None
        household = s.get(Household, ref.household_id)
        assert household.housing_type == "rented"
        address = s.exec(select(NationalAddress)).one()
        assert (address.region_code, address.city, address.postal_code) == (
            "RIY",
            "الرياض",
            "12345",
        )
        head = s.get(Person, household.head_person_id)
        assert head.birth_calendar == "hijri" and head.birth_date.year == 1980
        assert head.name_search
        bank = s.exec(select(BankAccount).where(BankAccount.person_id == head.id)).one()
        assert (bank.iban, bank.bank_code, bank.confirmed) == (IBAN, "80", True)
        incomes = s.exec(select(IncomeLine).where(IncomeLine.person_id == head.id)).all()
        assert sorted(i.monthly_halalas for i in incomes) == [30050, 150000]
        vehicle = s.exec(select(Vehicle)).one()
        assert (vehicle.manufacture_year, vehicle.value_halalas) == (2012, 1800000)
        members = s.exec(
            select(HouseholdMember).where(HouseholdMember.household_id == household.id)
        ).all()
        kinds = sorted(m.kind for m in members)
        assert kinds == sorted(["head", "relative", "relative", "ward", "housing_partner"])
        ward = next(m for m in members if m.kind == MemberKind.WARD)
        assert ward.ward_deed_number == "4400123" and ward.ward_deed_expiry == date(2030, 1, 1)
        partner = next(m for m in members if m.kind == MemberKind.HOUSING_PARTNER)
        assert partner.partner_related_on_lease is True
        ids = {s.get(Person, m.person_id).national_id for m in members}
        assert ids == {HEAD_ID, *(d.national_id for d in deps)}
        assert len(s.exec(select(PermitAnswers)).all()) == 5
        history = s.exec(select(StatusChange).where(StatusChange.application_id == app.id)).all()
        assert [h.to_status for h in history] == ["draft", "submitted"]
        actions = {a.action for a in s.exec(select(AuditEntry)).all()}
        assert "application.submit" in actions or any("submit" in a for a in actions)
        outbox = s.exec(select(OutboxEntry).where(OutboxEntry.entity == "income_line")).all()
        assert len(outbox) == 2
        seqs = [o.seq for o in s.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()]
        assert seqs == list(range(1, len(seqs) + 1))


def test_update_flow_reads_the_file_back_and_changes_only_what_changed(store, staff, tmp_path):
    ref = submitted_family(store, staff.clerk, tmp_path)
    walk = (
        (staff.supervisor, ApplicationStatus.VISIT_SCHEDULED),
        (staff.field_officer, ApplicationStatus.VISIT_DONE),
        (staff.supervisor, ApplicationStatus.PRELIMINARY_APPROVED),
        (staff.supervisor2, ApplicationStatus.APPROVED),
    )
    for actor, target in walk:
        change_status(store, actor, ref.application.id, target)
    found = intake.lookup(store, staff.clerk, HEAD_ID)
    assert found.open_application is None and len(found.households) == 1
    upd = intake.start_update(store, staff.clerk, ref.household_id, IdentityCheck.ID_CARD)
    assert upd.application.kind is ApplicationKind.UPDATE
    # Every value came back as the wizard shows it, and the file is complete as stored.
    assert upd.form.all_issues(TODAY) == []
    assert upd.form.get(HEAD, "personal", "first_name") == "محمد"
    assert upd.form.get("household", "address", "city") == "الرياض"
    assert len(upd.form.dependents) == 4
    lines = upd.form.items(HEAD, "income_lines")
    salary = next(i for i in lines if i["income_type"] == "salary")
    salary["monthly_halalas"] = "2000"
    upd.form.remove_item(HEAD, "vehicles", upd.form.items(HEAD, "vehicles")[0]["id"])
    upd.form.set("household", "address", "district", "الملز")
    attach_all(store, staff.clerk, upd, tmp_path)
    with store.read() as s:
        audit_before = len(s.exec(select(AuditEntry)).all())
    intake.submit(
        store, staff.clerk, upd.application.id, upd.form, declaration_accepted=True, today=TODAY
    )
    with store.read() as s:
        incomes = s.exec(select(IncomeLine).where(col(IncomeLine.deleted_at).is_(None))).all()
        assert sorted(i.monthly_halalas for i in incomes) == [30050, 200000]
        assert s.exec(select(Vehicle)).one().deleted_at is not None
        assert s.exec(select(NationalAddress)).one().district == "الملز"
        changed = s.exec(select(AuditEntry)).all()[audit_before:]
        entities = sorted({a.entity for a in changed})
        # Only what changed is written: no person, contact or permit rows were touched.
        assert entities == [
            "application",
            "income_line",
            "national_address",
            "status_change",
            "vehicle",
        ]
