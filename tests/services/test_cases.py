"""The services skeleton: households, drafts, submission, the state machine, listing."""

from __future__ import annotations

import json

import pytest
from sqlmodel import col, select

from daman_tui.db.models import (
    Application,
    AuditEntry,
    HouseholdMember,
    OutboxEntry,
    Person,
    StatusChange,
)
from daman_tui.domain.audit import verify_chain
from daman_tui.domain.enums import ApplicationStatus as S
from daman_tui.domain.enums import IdentityCheck, MemberKind
from daman_tui.domain.errors import IllegalTransition, PermissionDenied, ValidationError
from daman_tui.domain.national_id import make_national_id
from daman_tui.services.cases import (
    PersonInput,
    change_status,
    create_household,
    find_household,
    list_cases,
    save_draft,
    status_counts,
    submit_application,
)
from daman_tui.services.uow import audit_content

NID = make_national_id("citizen", "23456789")


def _head(nid: str = NID) -> PersonInput:
    return PersonInput(
        national_id=nid,
        first_name="أحمد",
        father_name="محمد",
        grandfather_name="عبدالله",
        family_name="القحطاني",
    )


def test_create_household_writes_rows_audit_and_outbox_together(store, staff):
    hh = create_household(store, staff.clerk, _head())
    assert hh.head.national_id == NID
    assert hh.head.full_name == "أحمد محمد عبدالله القحطاني"
    assert [m.kind for m in hh.members] == [MemberKind.HEAD]
    with store.read() as s:
        person = s.exec(select(Person).where(Person.national_id == NID)).one()
        assert person.name_search == "احمد محمد عبدالله القحطاني"
        assert person.origin_node == store.node().node_id
        outbox = s.exec(select(OutboxEntry).order_by(col(OutboxEntry.seq))).all()
        assert [o.entity for o in outbox][-3:] == ["person", "household", "household_member"]
        seqs = [o.seq for o in outbox]
        assert seqs == list(range(1, len(seqs) + 1)), "outbox numbers are gap-free"
        actions = [a.action for a in s.exec(select(AuditEntry)).all()]
        assert "household.create" in actions


def test_arabic_indic_id_is_found(store, staff):
    create_household(store, staff.clerk, _head())
    arabic = NID.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    found = find_household(store, staff.clerk, arabic)
    assert [h.head.national_id for h in found] == [NID]


def test_invalid_input_is_refused_and_nothing_is_written(store, staff):
    with store.read() as s:
        before = len(s.exec(select(OutboxEntry)).all())
    with pytest.raises(ValidationError) as bad_id:
        create_household(store, staff.clerk, _head(NID[:-1] + str((int(NID[-1]) + 1) % 10)))
    assert bad_id.value.code == "national_id.check_digit"
    with pytest.raises(ValidationError) as bad_name:
        create_household(store, staff.clerk, PersonInput(national_id=NID, first_name="أحمد\u202e"))
    assert bad_name.value.code == "name.invisible"
    with store.read() as s:
        assert len(s.exec(select(OutboxEntry)).all()) == before


def test_provider_with_second_family_gets_second_household(store, staff):
    first = create_household(store, staff.clerk, _head())
    second = create_household(store, staff.clerk, _head())
    assert (first.family_no, second.family_no) == (1, 2)
    assert first.id != second.id and first.head.person_id == second.head.person_id
    assert len(find_household(store, staff.clerk, NID)) == 2


def test_draft_submit_and_full_status_path(store, staff):
    hh = create_household(store, staff.clerk, _head())
    draft = save_draft(store, staff.clerk, hh.id, identity_check=IdentityCheck.ID_CARD)
    assert draft.status == S.DRAFT and draft.request_number.startswith("RYD01-")
    again = save_draft(store, staff.clerk, hh.id, current_step=4)
    assert again.id == draft.id and again.current_step == 4

    with pytest.raises(ValidationError, match="declaration"):
        submit_application(store, staff.clerk, draft.id, declaration_accepted=False)
    sub = submit_application(store, staff.clerk, draft.id, declaration_accepted=True)
    assert sub.status == S.SUBMITTED and sub.submitted_at is not None

    with pytest.raises(ValidationError) as second:
        save_draft(store, staff.clerk, hh.id)
    assert second.value.code == "application.open"

    with pytest.raises(IllegalTransition) as wrong_role:
        change_status(store, staff.clerk, draft.id, S.VISIT_SCHEDULED)
    assert wrong_role.value.code == "status.role"
    with pytest.raises(IllegalTransition) as skip:
        change_status(store, staff.supervisor, draft.id, S.APPROVED)
    assert skip.value.code == "status.illegal"

    change_status(store, staff.supervisor, draft.id, S.VISIT_SCHEDULED)
    change_status(store, staff.field_officer, draft.id, S.VISIT_DONE)
    change_status(store, staff.supervisor, draft.id, S.PRELIMINARY_APPROVED)
    with pytest.raises(IllegalTransition) as four_eyes:
        change_status(store, staff.supervisor, draft.id, S.APPROVED)
    assert four_eyes.value.code == "status.four_eyes"
    final = change_status(store, staff.supervisor2, draft.id, S.APPROVED)
    assert final.status == S.APPROVED

    with store.read() as s:
        history = s.exec(
            select(StatusChange)
            .where(StatusChange.application_id == draft.id)
            .order_by(col(StatusChange.at))
        ).all()
        assert [h.to_status for h in history] == [
            S.DRAFT,
            S.SUBMITTED,
            S.VISIT_SCHEDULED,
            S.VISIT_DONE,
            S.PRELIMINARY_APPROVED,
            S.APPROVED,
        ]
        app = s.get(Application, draft.id)
        assert app is not None and app.row_version == 7 and app.decided_at is not None


def test_reject_needs_a_reason(store, staff):
    hh = create_household(store, staff.clerk, _head())
    app = save_draft(store, staff.clerk, hh.id)
    submit_application(store, staff.clerk, app.id, declaration_accepted=True)
    with pytest.raises(IllegalTransition) as no_reason:
        change_status(store, staff.supervisor, app.id, S.REJECTED, "  ")
    assert no_reason.value.code == "status.reason_required"
    assert (
        change_status(store, staff.supervisor, app.id, S.REJECTED, "دخل مرتفع").status == S.REJECTED
    )


def test_other_branch_is_refused(store, staff):
    hh = create_household(store, staff.clerk, _head())
    app = save_draft(store, staff.clerk, hh.id)
    with pytest.raises(PermissionDenied) as denied:
        submit_application(store, staff.other_clerk, app.id, declaration_accepted=True)
    assert denied.value.code == "permission.branch"
    assert find_household(store, staff.other_clerk, NID) == []
    assert list_cases(store, staff.other_clerk) == []


def test_list_cases_is_keyset_paged_and_counts(store, staff):
    ids = []
    for i in range(7):
        hh = create_household(store, staff.clerk, _head(make_national_id("citizen", f"{i:08d}")))
        ids.append(save_draft(store, staff.clerk, hh.id).id)
    page1 = list_cases(store, staff.clerk, limit=4)
    page2 = list_cases(
        store, staff.clerk, limit=4, after=(page1[-1].last_change_at, page1[-1].application_id)
    )
    got = [r.application_id for r in page1 + page2]
    assert got == list(reversed(ids))
    assert status_counts(store, staff.clerk)[S.DRAFT] == 7
    assert list_cases(store, staff.clerk, status=S.SUBMITTED) == []


def test_audit_chain_verifies_and_catches_an_edit(store, staff):
    hh = create_household(store, staff.clerk, _head())
    save_draft(store, staff.clerk, hh.id)

    def chain():
        with store.read() as s:
            rows = s.exec(select(AuditEntry).order_by(col(AuditEntry.seq))).all()
            return [(e.seq, e.id, e.prev_hash, e.hash, audit_content(e)) for e in rows]

    assert verify_chain(chain()) == []
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "UPDATE audit_entry SET after = ? WHERE seq = 3", (json.dumps({"x": 1}),)
        )
    breaks = verify_chain(chain())
    assert [(b.seq, b.problem) for b in breaks] == [(3, "hash")]


def test_dependent_rows_are_kept_per_household(store, staff):
    hh = create_household(store, staff.clerk, _head())
    with store.read() as s:
        members = s.exec(select(HouseholdMember).where(HouseholdMember.household_id == hh.id)).all()
    assert len(members) == 1 and members[0].kind == MemberKind.HEAD


def test_a_reason_with_a_bidi_override_is_refused_and_nothing_changes(store, staff):
    hh = create_household(store, staff.clerk, _head())
    app = save_draft(store, staff.clerk, hh.id)
    submit_application(store, staff.clerk, app.id, declaration_accepted=True)
    with pytest.raises(ValidationError) as spoof:
        change_status(store, staff.supervisor, app.id, S.REJECTED, "دخل \u202eمرتفع")
    assert spoof.value.code == "text.invisible" and spoof.value.params["codepoint"] == "U+202E"
    assert list_cases(store, staff.clerk)[0].status == S.SUBMITTED
