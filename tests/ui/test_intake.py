"""The intake wizard driven by keys only: a walk-in family from ID card to receipt, and a
draft that survives the terminal being killed."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
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
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.choice_field import ChoiceField
from tests.intake_family import HEAD_ID, IBAN, dependents
from tests.ui.test_shell import SIZE, settle


async def typed(pilot: Pilot[None], text: str, *, then: str = "tab") -> None:
    """Type ``text`` into the focused field, then move on."""
    await pilot.press(*text)
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


async def start_application(pilot: Pilot[None], national_id: str) -> WizardScreen:
    app = pilot.app
    assert isinstance(app.screen, HomeScreen)
    await pilot.press("enter")  # the first menu entry: a new application
    await settle(pilot)
    assert isinstance(app.screen, StartScreen)
    await typed(pilot, national_id, then="enter")
    await settle(pilot)
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
    await typed(pilot, IBAN)
    await typed(pilot, IBAN)


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
