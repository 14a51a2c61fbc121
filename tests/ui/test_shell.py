"""The shell driven by a Pilot: sign in, home, case list, paging, filter, language, palette."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Label

from daman_tui.app import DamanApp, make_app
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.national_id import mask_national_id
from daman_tui.screens.home import HomeScreen
from daman_tui.screens.login import LoginScreen
from daman_tui.screens.queue import QueueScreen
from daman_tui.text.catalog import t
from daman_tui.text.display import clip, visual
from daman_tui.widgets.bidi_input import BidiInput
from daman_tui.widgets.case_table import NAME_WIDTH, CaseTable
from daman_tui.widgets.queue_table import QueueTable
from tests.conftest import PASSWORD
from tests.ui.snapshot_apps import full_name, national_id, rename_head, seed_cases

SIZE = (120, 40)


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and its messages land."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def label_text(app: DamanApp, selector: str) -> str:
    """What a label on the current screen shows (its visual string)."""
    visual_ = app.screen.query_one(selector, Label).visual
    return str(visual_)


def cell_texts(table: CaseTable) -> list[list[str]]:
    """Every cell of ``table`` as plain strings, row by row."""
    rows = []
    for row_index in range(table.row_count):
        row = table.get_row_at(row_index)
        assert all(isinstance(cell, Text) for cell in row), "cells are Text, never markup"
        rows.append([cell.plain for cell in row])
    return rows


async def sign_in(pilot: Pilot[None], username: str, password: str) -> None:
    await pilot.press(*username)
    await pilot.press("enter")  # to the password field
    await pilot.press(*password)
    await pilot.press("enter")
    await settle(pilot)


async def test_wrong_password_shows_the_arabic_error_and_keeps_the_user_name(store, staff):
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.has_class("rtl")
        await sign_in(pilot, "clerk", "not-the-password")
        assert isinstance(app.screen, LoginScreen)
        error = label_text(app, "#login-error")
        assert error == visual("اسم المستخدم أو كلمة المرور غير صحيحة.")
        assert app.screen.query_one("#username", BidiInput).value == "clerk"
        assert app.screen.query_one("#password", BidiInput).value == ""
        assert app.actor is None


async def test_correct_login_lands_on_home_with_figures_and_case_rows(store, staff):
    seed_cases(store, staff.clerk, 3)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "clerk", PASSWORD)
        assert isinstance(app.screen, HomeScreen)
        assert app.actor == staff.clerk
        greeting = label_text(app, "#greeting")
        assert greeting == visual(t("home.greeting", "ar", name=staff.clerk.full_name))
        role_branch = label_text(app, "#role-branch")
        assert visual("موظف الفرع") in role_branch
        assert visual("فرع الرياض الأول") in role_branch
        figures = [label_text(app, f"#figure-{i}") for i in range(len(ApplicationStatus))]
        assert visual("مسودة: 2") in figures
        assert visual("تحت الإجراء: 1") in figures
        assert visual("مرفوض: 0") in figures
        table = app.screen.query_one("#recent", CaseTable)
        assert table.row_count == 3
        cells = cell_texts(table)
        # Newest first; Arabic puts the first column (request number) on the right.
        assert cells[0][-1] == "RYD01-250301-TST-00003"
        assert cells[0][-2] == visual(clip(full_name(2), NAME_WIDTH))
        assert cells[0][-3] == mask_national_id(national_id(2))
        assert visual("عبدالله") in cells[2][-2], "no ALLAH ligature: the name keeps its letters"


async def test_f2_switches_to_english_and_back(store, staff):
    seed_cases(store, staff.clerk, 2)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        assert label_text(app, "#login-title") == visual("تسجيل الدخول")
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en"
        assert label_text(app, "#login-title") == "Sign in"
        assert label_text(app, "#username-label") == "User name"
        assert not app.screen.has_class("rtl")
        assert app.title == "Developed Social Security"

        await sign_in(pilot, "clerk", "wrong-password")
        assert label_text(app, "#login-error") == "Wrong user name or password."

        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "ar"
        assert label_text(app, "#login-title") == visual("تسجيل الدخول")
        # The error on screen follows the language too.
        assert label_text(app, "#login-error") == visual("اسم المستخدم أو كلمة المرور غير صحيحة.")


async def test_f2_mirrors_the_case_table(store, staff):
    seed_cases(store, staff.clerk, 2)
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#recent", CaseTable)
        ar_columns = table.column_keys
        assert ar_columns[-1] == "request_number"
        await pilot.press("f2")
        await pilot.pause()
        en_columns = table.column_keys
        assert en_columns == ar_columns[::-1]
        assert cell_texts(table)[0][3] == "Under review"
        assert label_text(app, "#figures-title") == "Applications by status"
        footer_descriptions = {binding.description for _key, binding in app._bindings if binding.id}
        assert visual("العربية") in footer_descriptions


async def test_command_palette_opens_the_case_list(store, staff):
    seed_cases(store, staff.clerk, 2)
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"case list")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.query_one("#queue", QueueTable).row_count == 2


async def test_sign_out_returns_to_the_login_screen(store, staff):
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        await app.run_action("sign_out")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert len(app.screen_stack) == 2


async def test_a_markup_like_name_shows_literally(store, staff):
    seed_cases(store, staff.clerk, 1)
    rename_head(store, 0, "[bold]")
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        table = app.screen.query_one("#queue", QueueTable)
        name = cell_texts(table)[0][-2]
        assert name == visual(clip("[bold] عبدالله سعد القحطاني", NAME_WIDTH))
        assert "[bold]" in name
        assert not table.get_row_at(0)[-2].spans, "no markup was applied"


def test_make_app_refuses_an_unknown_language(store):
    with pytest.raises(ValueError, match="unknown interface language"):
        make_app(store, lang="fr")
