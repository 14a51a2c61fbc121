"""The intake wizard driven by keys only: a walk-in family from ID card to receipt, and a
draft that survives the terminal being killed."""

from __future__ import annotations

from sqlmodel import select
from textual import events
from textual.pilot import Pilot

from daman_tui.app import DamanApp, make_app
from daman_tui.db.models import (
    Application,
    Document,
    Household,
    HouseholdMember,
    IncomeLine,
    IntakeDraft,
    Person,
    Vehicle,
)
from daman_tui.domain.enums import ApplicationStatus, MemberKind
from daman_tui.domain.intake.form import HEAD
from daman_tui.screens.home import HomeScreen
from daman_tui.screens.intake import ReceiptScreen, StartScreen, WizardScreen
from daman_tui.screens.intake.dependents import DependentScreen
from daman_tui.screens.intake.entry import EntryScreen
from daman_tui.services import intake
from daman_tui.services.cases import change_status
from daman_tui.widgets.choice_field import ChoiceField
from tests.intake_family import HEAD_ID, IBAN, dependents, submitted_family
from tests.ui.test_shell import SIZE, settle


async def typed(pilot: Pilot[None], text: str, *, then: str = "tab") -> None:
    """Type ``text`` into the focused field, then move on."""
    await pilot.press(*text)
    await pilot.press(then)


async def pasted(pilot: Pilot[None], text: str, *, then: str = "tab") -> None:
    """Paste ``text`` into the focused field (a terminal's bracketed paste), then move on:
    the long, repetitive values, where a key per character would only slow the test."""
    focused = pilot.app.focused
    assert focused is not None
    focused.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.press(then)


async def choose(pilot: Pilot[None], query: str) -> None:
    """Open the focused choice field, filter by ``query``, take the first match, move on."""
    assert isinstance(pilot.app.focused, ChoiceField), pilot.app.focused
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("tab")


def focused_id(app: DamanApp) -> str:
    return app.focused.id or "" if app.focused is not None else ""


async def look_up(pilot: Pilot[None], national_id: str) -> StartScreen:
    """From the home menu's first entry (a new application), the ID typed and looked up."""
    app = pilot.app
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, StartScreen)
    await typed(pilot, national_id, then="enter")
    await settle(pilot)
    assert isinstance(app.screen, StartScreen)
    return app.screen


async def start_application(pilot: Pilot[None], national_id: str) -> WizardScreen:
    app = pilot.app
    await look_up(pilot, national_id)
    assert focused_id(app) == "start-identity"
    await choose(pilot, "الهوية")  # identity seen on the ID card
    await pilot.press("shift+tab") if focused_id(app) != "start-go" else None
    assert focused_id(app) == "start-go"
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, WizardScreen)
    return app.screen


async def enter_personal(pilot: Pilot[None]) -> None:
    app = pilot.app
    assert focused_id(app) == "personal--birth_date"
    await typed(pilot, "1400-03-15")
    for name in ("محمد", "عبدالله", "سعد", "القحطاني"):
        await typed(pilot, name)
    await choose(pilot, "ذكر")
    await pilot.press("tab", "tab")  # nationality (Saudi) and life status are prefilled
    await choose(pilot, "متزوج")
    await choose(pilot, "لا")  # special needs
    await choose(pilot, "لا")  # already a beneficiary
    await typed(pilot, "0551234567")
    await pilot.press("tab")  # no e-mail
    await pasted(pilot, IBAN)
    await typed(pilot, IBAN)  # typed again, as the form asks


async def next_page(pilot: Pilot[None]) -> None:
    await pilot.press("f8")
    await settle(pilot)


async def next_step(pilot: Pilot[None]) -> None:
    await pilot.press("f8")
    await settle(pilot)


async def test_resume_after_the_terminal_is_killed(store, staff):
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        wizard = await start_application(pilot, HEAD_ID)
        await enter_personal(pilot)
        await next_step(pilot)
        assert wizard.step == 2
        await choose(pilot, "رياض")  # the city list now offers the region's cities
        await settle(pilot)
        application_id = wizard.ref.application.id
        # The terminal dies here: no clean exit, nothing flushed by hand.
    with store.read() as session:
        draft = session.get(IntakeDraft, application_id)
        assert draft is not None and draft.step == 2
        assert draft.form["household"]["sections"]["address"]["region_code"] == "RIY"
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Signing in offers the unfinished draft; Enter resumes it.
        await pilot.press("enter")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.step == 2
        assert wizard.form.get(HEAD, "personal", "first_name") == "محمد"
        assert wizard.form.get("household", "address", "region_code") == "RIY"
        assert focused_id(app) == "address--city"


async def answer(pilot: Pilot[None], yes: bool) -> None:
    """Answer the focused yes/no question with the arrow keys (yes, then no, from the right)."""
    await step_choice(pilot, 1 if yes else 2)


async def step_choice(pilot: Pilot[None], steps: int) -> None:
    """Step the focused choice field ``steps`` options along (left is next in Arabic)."""
    assert isinstance(pilot.app.focused, ChoiceField), pilot.app.focused
    await pilot.press(*(["left"] * steps))
    await pilot.press("tab")


async def add_entry(pilot: Pilot[None], *fields: str) -> None:
    """On a list: A, then fill the entry's fields (``@query`` picks a choice), Ctrl+S."""
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, EntryScreen)
    for value in fields:
        if value.startswith("@"):
            await choose(pilot, value[1:])
        else:
            await typed(pilot, value)
    await pilot.press("ctrl+s")
    await pilot.pause()


async def enter_dependent(pilot: Pilot[None], kind_query: str, dep, link: list[str]) -> None:
    """Add a dependent through the kind picker and fill their pages. Their choices are
    made with the arrow keys (the picker is exercised on the head's steps): the position
    of the option, 1 for the first, is given as ``#n``."""
    await pilot.press("a")
    await pilot.pause()
    await pilot.press(*kind_query, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DependentScreen)
    for value in link:
        if value.startswith("#"):
            await step_choice(pilot, int(value[1:]))
        else:
            await pasted(pilot, value)
    personal = dep.sections["personal"]
    await pasted(pilot, dep.national_id)
    await pasted(pilot, personal["birth_date"])
    for key in ("first_name", "father_name", "grandfather_name", "family_name"):
        await pasted(pilot, personal[key])
    await step_choice(pilot, 1 if personal["gender"] == "male" else 2)
    await pilot.press("tab", "tab")  # nationality and life status prefilled
    await step_choice(pilot, 2 if personal["marital_status"] == "married" else 1)
    await answer(pilot, False)  # special needs
    await next_page(pilot)  # no mobile; to the income page, its first list
    await pilot.press("tab", "tab")  # no income or support lines
    await answer(pilot, False)  # commercial zakat
    await next_page(pilot)
    education = dep.sections["education"]
    studying = education["study_status"] == "studying"
    await step_choice(pilot, 2 if studying else 1)  # primary / none
    await step_choice(pilot, 2 if studying else 1)  # studying / not studying
    await answer(pilot, False)  # scholarship
    commitments = dep.sections["commitments"]
    for key in ("meets_health_education", "joins_training"):
        if commitments.get(key) == "yes":
            await answer(pilot, True)
        else:
            await pilot.press("tab")
    await next_page(pilot)
    await pilot.press("tab")  # no licences
    for _ in range(5):  # transport, CITC, lawyer, freelance, e-store: all no
        await answer(pilot, False)
    await next_page(pilot)  # assets: none
    assert pilot.app.screen.page == len(pilot.app.screen.pages) - 1
    await pilot.press("escape")
    await settle(pilot)
    assert isinstance(pilot.app.screen, WizardScreen)


async def test_a_walk_in_family_of_five_by_keys_only(store, staff, tmp_path, monkeypatch):
    # The file picker opens in the home folder: the scans lie there.
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n% counter scan\n%%EOF\n")
    deps = dependents()
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        wizard = await start_application(pilot, HEAD_ID)
        await enter_personal(pilot)
        await next_step(pilot)
        # 2: the national address.
        await choose(pilot, "رياض")
        await choose(pilot, "الرياض")
        await typed(pilot, "النسيم")
        for value in ("شارع الأمير سعود", "1234", "12345", "5678"):
            await pasted(pilot, value)
        await pilot.press("tab", "tab")  # no unit number, no PO box
        await choose(pilot, "إيجار")
        await next_step(pilot)
        # 3: income: two lines, no support, no commercial zakat.
        await add_entry(pilot, "@الراتب", "شركة النخيل", "1500")
        await add_entry(pilot, "@الحرة", "توصيل", "300.50")
        await pilot.press("tab", "tab")
        await choose(pilot, "لا")
        await next_step(pilot)
        # 4: education.
        await choose(pilot, "ثانوي")
        await step_choice(pilot, 1)
        await choose(pilot, "لا")
        await pilot.press("tab")
        await choose(pilot, "نعم")
        await next_step(pilot)
        # 5: workers.
        await choose(pilot, "لا")
        await next_step(pilot)
        # 6: licences: none; every permit question answered no.
        await pilot.press("tab")
        for _ in range(5):
            await choose(pilot, "لا")
        await next_step(pilot)
        # 7: assets: one vehicle.
        await pilot.press("tab", "tab")
        await add_entry(pilot, "123456789", "2012", "18000")
        await next_step(pilot)
        # 8: the dependents, of all three kinds.
        wife, son, ward, partner = deps
        await enter_dependent(pilot, "قريب", wife, ["#1"])  # spouse
        await enter_dependent(pilot, "قريب", son, ["#2"])  # son
        await enter_dependent(pilot, "موصى", ward, ["#1", "4400123", "2030-01-01"])
        await enter_dependent(pilot, "شريك", partner, ["#1"])  # related, on the lease
        assert len(wizard.form.dependents) == 4
        assert wizard.states()[7].value == "complete", wizard.form.all_issues(wizard.today)
        await next_step(pilot)
        # 9: one scan for every document the checklist asks for.
        needs = len(wizard._documents.needs) if wizard._documents else 0
        assert needs >= 6
        for _ in range(needs):
            await pilot.press("enter")
            await pilot.pause()
            await pasted(pilot, "scan.pdf", then="enter")
            await settle(pilot)
            await pilot.press("down")
        assert wizard._documents is not None and wizard._documents.missing_required == 0
        await next_step(pilot)
        # 10: review, the preview, the declaration, submit.
        assert wizard._decision is not None
        await choose(pilot, "نعم")
        await pilot.press("f10")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        receipt = app.screen
        await pilot.press("p")
        await settle(pilot)
        assert receipt.saved is not None and receipt.saved.exists()
        text = receipt.saved.read_text(encoding="utf-8")
        assert wizard.ref.application.request_number in text and "19911" in text
        application_id = wizard.ref.application.id
    with store.read() as s:
        app_row = s.get(Application, application_id)
        assert app_row.status == ApplicationStatus.SUBMITTED and app_row.submitted_at
        household = s.get(Household, app_row.household_id)
        head = s.get(Person, household.head_person_id)
        assert (head.first_name, head.family_name, head.birth_calendar) == (
            "محمد",
            "القحطاني",
            "hijri",
        )
        incomes = s.exec(select(IncomeLine).where(IncomeLine.person_id == head.id)).all()
        assert sorted((i.income_type, i.monthly_halalas) for i in incomes) == [
            ("freelance", 30050),
            ("salary", 150000),
        ]
        assert s.exec(select(Vehicle)).one().manufacture_year == 2012
        members = s.exec(
            select(HouseholdMember).where(HouseholdMember.household_id == household.id)
        ).all()
        by_id = {s.get(Person, m.person_id).national_id: m for m in members}
        assert set(by_id) == {HEAD_ID, *(d.national_id for d in deps)}
        assert by_id[wife.national_id].relationship == "spouse"
        assert by_id[son.national_id].kind == MemberKind.RELATIVE
        assert by_id[ward.national_id].ward_deed_number == "4400123"
        assert by_id[partner.national_id].partner_related_on_lease is True
        son_person = s.get(Person, by_id[son.national_id].person_id)
        assert son_person.first_name == "سعد" and son_person.gender == "male"
        documents = s.exec(select(Document).where(Document.application_id == application_id)).all()
        assert len(documents) == needs
        assert s.get(IntakeDraft, application_id) is None
    assert intake.my_drafts(store, staff.clerk) == []


async def test_a_field_is_checked_when_left_and_a_wrong_value_is_kept(store, staff):
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        wizard = await start_application(pilot, HEAD_ID)
        app.set_focus(wizard.query_one("#bank--iban"))
        await pilot.pause()
        wrong = IBAN[:-1] + ("0" if IBAN[-1] != "0" else "1")
        await typed(pilot, wrong)  # leaving the field checks it
        await settle(pilot)
        iban_row = wizard.query_one("#bank--iban").parent
        message = iban_row.query_one(".field-message").visual
        assert "-error" in iban_row.query_one(".field-message").classes
        assert str(message).strip(), "the refusal is shown under the field"
        # Nothing typed is lost: the wrong value is in the draft, saved as typed.
        assert wizard.form.get(HEAD, "bank", "iban") == wrong
        await pilot.pause(0.3)
        assert wizard.states()[0].value == "errors"
        await app.workers.wait_for_complete()
    with store.read() as session:
        draft = session.get(IntakeDraft, wizard.ref.application.id)
        assert draft.form["head"]["sections"]["bank"]["iban"] == wrong


async def test_an_existing_file_is_updated_through_the_same_steps(store, staff, tmp_path):
    ref = submitted_family(store, staff.clerk, tmp_path)
    change_status(
        store, staff.supervisor, ref.application.id, ApplicationStatus.REJECTED, "دخل أعلى من الحد"
    )
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        start = await look_up(pilot, HEAD_ID)
        assert start.action.value == "update"
        await choose(pilot, "الهوية")
        await pilot.press("shift+tab")  # choosing moved to "update"; Tab went past it
        assert focused_id(app) == "start-go"
        await pilot.press("enter")
        await settle(pilot)
        wizard = app.screen
        assert isinstance(wizard, WizardScreen)
        assert wizard.ref.application.kind == "update"
        # The stored file came back into the same steps, complete.
        assert wizard.form.get(HEAD, "personal", "first_name") == "محمد"
        assert len(wizard.form.dependents) == 4
        assert [s.value for s in wizard.states()[:8]] == ["complete"] * 8


async def test_keys_typed_ahead_at_the_start_land_where_the_screen_sends_them(store, staff):
    """A clerk who knows the form types ahead: the list opened, its filter, Enter to pick,
    Enter again for the start button, all in one burst before the screen has caught up.
    The pick moves the focus to the button, and the last Enter presses it."""
    app = make_app(store, lang="ar", actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await look_up(pilot, HEAD_ID)
        assert focused_id(app) == "start-identity"
        burst = [("enter", "\r"), *[(c, c) for c in "الهوية"], ("enter", "\r"), ("enter", "\r")]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert isinstance(app.screen, WizardScreen)
        assert app.screen.form.identity_check == "id_card"
