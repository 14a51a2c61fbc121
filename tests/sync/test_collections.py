"""Child collections: each child its own row; the same natural key twice is a duplicate."""

from __future__ import annotations

from sqlmodel import select

from daman_tui.db.models import Contact, IncomeLine, Person, SyncConflict
from daman_tui.domain.enums import IdKind, IncomeType, OutboxState
from daman_tui.domain.national_id import make_national_id
from daman_tui.services.auth import authenticate
from daman_tui.services.store import Store
from daman_tui.sync.protocol import OutcomeKind
from tests.conftest import PASSWORD
from tests.sync.helpers import central_row, first_id, outbox


def _add_income(store: Store, username: str, person_id: str, source: str) -> str:
    actor = authenticate(store, username, PASSWORD)
    with store.write(actor) as uow:
        line = uow.add(
            IncomeLine(
                branch_id=actor.branch_id,
                person_id=person_id,
                income_type=IncomeType.SALARY,
                source=source,
                monthly_halalas=300_000,
            )
        )
        return line.id


def test_concurrent_adds_to_one_collection_both_survive(node_factory, central):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    person_id = first_id(a, Person)
    line_a = _add_income(a, "clerk", person_id, "شركة أ")
    line_b = _add_income(b, "supervisor", person_id, "شركة ب")
    client_a.sync()
    client_b.sync()
    client_a.sync()
    for node in (a, b):
        with node.read() as s:
            ids = set(s.exec(select(IncomeLine.id).where(IncomeLine.person_id == person_id)).all())
        assert {line_a, line_b} <= ids
    assert central_row(central.admin, "income_line", line_b)["source"] == "شركة ب"


def _new_person(store: Store, username: str, national_id: str) -> tuple[str, str]:
    actor = authenticate(store, username, PASSWORD)
    with store.write(actor) as uow:
        person = uow.add(
            Person(
                branch_id=actor.branch_id,
                national_id=national_id,
                id_kind=IdKind.CITIZEN,
                first_name="سارة",
            )
        )
        contact = uow.add(Contact(branch_id=actor.branch_id, person_id=person.id, email="s@x.sa"))
        return person.id, contact.id


def test_the_same_national_id_entered_on_two_nodes_is_a_duplicate_conflict(node_factory, central):
    a, client_a = node_factory("clerk")
    b, client_b = node_factory("supervisor")
    client_a.sync()
    client_b.sync()
    national_id = make_national_id("citizen", "90000001")
    first, _ = _new_person(a, "clerk", national_id)
    second, second_contact = _new_person(b, "supervisor", national_id)
    client_a.sync()
    report = client_b.sync()
    assert report.count(OutcomeKind.CONFLICT) == 1  # the person
    assert report.count(OutcomeKind.REJECTED) == 1  # its contact: no such person centrally
    with b.read() as s:
        conflict = s.exec(select(SyncConflict)).one()
        mine = s.get(Person, second)
        contact = s.get(Contact, second_contact)
        kept = s.get(Person, first)
    assert conflict.kind == "duplicate" and conflict.mine["national_id"] == national_id
    # What central refused is withdrawn here (kept in the conflict); central's person shows.
    assert mine is None and contact is None
    assert kept is not None and kept.national_id == national_id
    states = {e.entity: e.state for e in outbox(b) if e.op == "insert"}
    assert states == {"person": OutboxState.CONFLICT, "contact": OutboxState.REJECTED}
