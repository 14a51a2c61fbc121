"""Our command palette: Arabic typed in a BidiInput, matched after normalisation."""

from __future__ import annotations

from daman_tui.app import make_app
from daman_tui.screens.home import HomeScreen
from daman_tui.screens.login import LoginScreen
from daman_tui.screens.palette import PaletteCommand, PaletteScreen, rank_commands
from daman_tui.screens.queue import QueueScreen
from daman_tui.widgets.bidi_input import BidiInput
from tests.ui.test_shell import SIZE, settle


def _noop() -> None:
    return None


COMMANDS = [
    PaletteCommand(k, _noop)
    for k in ("command.home", "command.cases", "command.sign_out", "command.toggle_lang")
]


def test_ranking_matches_both_languages_and_spelling_variants():
    keys = lambda q: [c.key for c in rank_commands(COMMANDS, q, "ar")]  # noqa: E731
    assert keys("") == [c.key for c in COMMANDS]
    assert keys("قائمه")[0] == "command.cases"  # ة typed as ه
    assert keys("الحالات")[0] == "command.cases"
    assert keys("case")[0] == "command.cases"  # English words in the Arabic interface
    assert keys("sign")[0] == "command.sign_out"
    assert keys("zzzz") == []


async def test_palette_runs_a_command_typed_in_arabic(store, staff):
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, PaletteScreen)
        field = app.screen.query_one(BidiInput)
        await pilot.press(*"الحالات")
        await pilot.pause()
        assert field.value == "الحالات"  # logical, as typed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)


async def test_palette_escape_closes_and_arrows_choose(store, staff):
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        # home, cases, sign out, language, quit: two down is "sign out"
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen) and app.actor is None


async def test_signed_out_palette_offers_only_language_and_quit(store):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [c.key for c in app.palette_commands()] == ["command.toggle_lang", "command.quit"]
