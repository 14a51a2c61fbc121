"""BidiInput driven by a Pilot: logical value, visual line, caret stops, keys, paste, mouse."""

from __future__ import annotations

import asyncio
import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.strip import Strip

from daman_tui.app import make_app
from daman_tui.screens.home import HomeScreen
from daman_tui.text.display import set_mode
from daman_tui.text.layout import layout_line
from daman_tui.widgets.bidi_input import BULLET, BidiInput
from tests.conftest import PASSWORD

SIZE = (60, 5)
TALL = (60, 10)  # room for two fields without a scrollbar
WIDTH = SIZE[0] - 4  # the tall border and one cell of padding on each side
MARKS = frozenset("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")


class OneField(App[None]):
    """A screen with one field (and a second one, for focus moves)."""

    def __init__(self, *, second: bool = False, **field: Any) -> None:
        super().__init__()
        self.field = field
        self.second = second
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield BidiInput(id="field", **self.field)
        if self.second:
            yield BidiInput(id="other")

    def on_bidi_input_changed(self, message: BidiInput.Changed) -> None:
        self.seen.append(message)

    def on_bidi_input_submitted(self, message: BidiInput.Submitted) -> None:
        self.seen.append(message)

    def on_bidi_input_rejected(self, message: BidiInput.Rejected) -> None:
        self.seen.append(message)


@pytest.fixture(autouse=True)
def _app_mode() -> Iterator[None]:
    set_mode("app")
    yield
    set_mode("app")


def field(app: App[None], selector: str = "#field") -> BidiInput:
    return app.query_one(selector, BidiInput)


def line_of(widget: BidiInput) -> Strip:
    """The field's content row as the compositor gets it."""
    return widget.render_line(0)


def caret_cells(strip: Strip) -> list[tuple[int, str]]:
    """(column, text) of every cell drawn in reverse video: the caret."""
    found: list[tuple[int, str]] = []
    column = 0
    for segment in strip:
        if segment.style is not None and segment.style.reverse:
            found.append((column, segment.text))
        column += cell_len(segment.text)
    return found


def right_aligned(visual: str) -> str:
    return " " * (WIDTH - cell_len(visual)) + visual


def mark_name(char: str) -> str:
    return unicodedata.name(char).lower().replace(" ", "_").replace("-", "_")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type ``text`` as a terminal sends it (Pilot cannot synthesise combining marks)."""
    for char in text:
        key = mark_name(char) if unicodedata.combining(char) else char
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause()


def messages(app: OneField, kind: type[Message]) -> list[Any]:
    return [message for message in app.seen if isinstance(message, kind)]


async def test_typed_arabic_is_stored_logically_and_drawn_from_the_right():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"محمد 123")
        widget = field(app)
        assert widget.value == "محمد 123"
        assert widget.cursor_position == len("محمد 123")
        visual = layout_line("محمد 123", "R").visual
        assert line_of(widget).text == right_aligned(visual)
        changed = messages(app, BidiInput.Changed)
        assert changed[-1].value == "محمد 123"
        assert changed[-1].control is widget
        # Every message carried logical text: no presentation forms, prefixes in order.
        for message in changed:
            assert "محمد 123".startswith(message.value)


async def test_an_empty_rtl_field_shows_its_caret_at_the_right_edge():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE):
        assert caret_cells(line_of(field(app))) == [(WIDTH - 1, " ")]


async def test_an_empty_ltr_field_shows_its_caret_at_the_left_edge():
    app = OneField(direction="ltr")
    async with app.run_test(size=SIZE):
        assert caret_cells(line_of(field(app))) == [(0, " ")]


async def test_the_placeholder_is_dim_in_the_fields_direction_and_the_caret_leaves_on_blur():
    app = OneField(second=True, direction="rtl", placeholder="الاسم الأول")
    async with app.run_test(size=TALL) as pilot:
        widget = field(app)
        strip = line_of(widget)
        assert strip.text == right_aligned(layout_line("الاسم الأول", "R").visual)
        dim = widget.get_component_rich_style("bidi-input--placeholder")
        assert any(segment.style and segment.style.color == dim.color for segment in strip)
        assert caret_cells(strip)[0][0] == WIDTH - 1, "on the placeholder's first letter"
        await pilot.press("tab")
        assert app.focused is field(app, "#other")
        assert caret_cells(line_of(widget)) == [], "no caret in a field without focus"


async def test_an_arabic_placeholder_in_a_left_to_right_field_reads_right_to_left():
    """An ID field is left to right; its Arabic hint is still a right-to-left sentence:
    "Enter" at its end on the left, the words aligned right, the caret where typing
    starts (the left edge)."""
    hint = "اكتب رقم الهوية ثم اضغط Enter"
    app = OneField(direction="ltr", placeholder=hint)
    async with app.run_test(size=TALL):
        strip = line_of(field(app))
        assert strip.text == right_aligned(layout_line(hint, "R").visual)
        assert strip.text.rstrip().endswith(layout_line("اكتب", "R").visual)
        assert strip.text.strip().startswith("Enter")
        assert caret_cells(strip)[0][0] == 0


async def test_keys_typed_after_tab_follow_the_focus():
    app = OneField(second=True)
    async with app.run_test(size=TALL) as pilot:
        for char in "ab\tcd":
            app.post_message(events.Key("tab" if char == "\t" else char, char))
        await pilot.pause()
        await pilot.pause()
        assert (field(app).value, field(app, "#other").value) == ("ab", "cd")


async def test_home_and_end_in_rtl_go_to_the_logical_start_and_end():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"سلام")
        widget = field(app)
        await pilot.press("home")
        assert widget.cursor_position == 0
        # The caret covers the first letter, the rightmost cell.
        assert caret_cells(line_of(widget)) == [(WIDTH - 1, layout_line("سلام", "R").visual[-1])]
        await pilot.press("end")
        assert widget.cursor_position == 4
        # Past the last letter: the free cell left of the text.
        width = layout_line("سلام", "R").width
        assert caret_cells(line_of(widget)) == [(WIDTH - width - 1, " ")]


async def test_harakat_never_separate_from_their_letter_and_never_carry_the_caret():
    name = "مُحَمَّد"
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, name)
        widget = field(app)
        assert widget.value == name
        stops = layout_line(name, "R").caret_stops
        assert line_of(widget).text == right_aligned(layout_line(name, "R").visual)
        await pilot.press("home")
        seen = [widget.cursor_position]
        for _ in range(len(name) + 2):
            await pilot.press("left")
            seen.append(widget.cursor_position)
            cells = caret_cells(line_of(widget))
            assert len(cells) == 1
            assert cells[0][1][0] not in MARKS, "the caret is on a letter, not a mark"
        assert sorted(set(seen)) == list(stops) == [0, 2, 4, 7, 8]
        for position in seen:
            assert position == len(name) or name[position] not in MARKS
        # And back with Right, through the same stops in reverse.
        back = [widget.cursor_position]
        for _ in range(len(stops) - 1):
            await pilot.press("right")
            back.append(widget.cursor_position)
        assert back == sorted(set(seen), reverse=True)


async def test_the_caret_never_stops_inside_lam_alef():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"سلام")
        widget = field(app)
        await pilot.press("home")
        positions = []
        for key in ["left"] * 4 + ["right"] * 4:
            await pilot.press(key)
            positions.append(widget.cursor_position)
        assert positions == [1, 3, 4, 4, 3, 1, 0, 0]
        assert 2 not in positions
        # At 1 the caret covers the whole ligature cell.
        widget.cursor_position = 1
        await pilot.pause()
        assert caret_cells(line_of(widget))[0][1] == "\ufefc"
        # A position inside the ligature is moved to the next stop.
        widget.cursor_position = 2
        assert widget.cursor_position == 3


async def test_backspace_takes_one_character_and_delete_takes_a_letter_with_its_harakat():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        await type_text(pilot, "مُحَمَّد")
        await pilot.press("home", "delete")
        assert widget.value == "حَمَّد", "the mim went with its damma"
        await pilot.press("end", "backspace", "backspace")
        # Typed ح َ م َ ّ د: the dal goes, then the shadda (the last haraka typed) alone.
        assert widget.value == "ح\u064eم\u064e"
        await pilot.press("backspace")
        assert widget.value == "ح\u064eم", "one haraka at a time, as Arabic keyboards delete"
        assert widget.cursor_position == 3

        widget.value = "سلام"
        await pilot.press("end", "backspace", "backspace")
        assert widget.value == "سل", "the alef goes, the lam stays"
        assert widget.cursor_position == 2


async def test_deleting_between_lam_and_alef_moves_the_caret_past_the_new_ligature():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        widget.value = "لبا"
        widget.cursor_position = 2
        await pilot.press("backspace")
        assert widget.value == "لا"
        assert widget.cursor_position == 2
        assert widget.cursor_position in layout_line("لا", "R").caret_stops


async def test_shift_arrows_select_and_typing_replaces_the_selection():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"محمد علي")
        widget = field(app)
        await pilot.press("home", *["shift+left"] * 4)
        assert widget.selected_text == "محمد"
        strip = line_of(widget)
        selection = widget.get_component_rich_style("bidi-input--selection")
        highlighted = "".join(
            segment.text
            for segment in strip
            if segment.style and segment.style.bgcolor == selection.bgcolor
        )
        assert highlighted == layout_line("محمد", "R").visual
        await pilot.press(*"أحمد")
        assert widget.value == "أحمد علي"
        await pilot.press("ctrl+a", *"سعد")
        assert widget.value == "سعد"


async def test_a_paste_loses_its_bidi_controls_and_says_why():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        widget.post_message(events.Paste("محمد\u202e علي\nالقحطاني\u200f"))
        await pilot.pause()
        assert widget.value == "محمد علي القحطاني"
        rejected = messages(app, BidiInput.Rejected)
        assert len(rejected) == 1
        assert rejected[0].reason == "input.rejected_invisible"
        assert rejected[0].refused == "\u202e\u200f"
        assert "U+202E" in rejected[0].message("ar")
        assert rejected[0].message("en").startswith("Invisible control characters")


async def test_a_typed_bidi_control_is_refused():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        pilot.app.post_message(events.Key("right_to_left_override", "\u202e"))
        await pilot.pause()
        assert field(app).value == "a"
        assert [m.reason for m in messages(app, BidiInput.Rejected)] == ["input.rejected_invisible"]


async def test_a_numeric_field_takes_arabic_digits_as_ascii_and_refuses_letters():
    app = OneField(numeric=True)
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        await pilot.press(*"١٢٣٤", "۵")
        assert widget.value == "12345"
        await pilot.press("a", "م")
        assert widget.value == "12345"
        reasons = [m.reason for m in messages(app, BidiInput.Rejected)]
        assert reasons == ["input.rejected_digits"] * 2
        widget.post_message(events.Paste("٦٧ ٨"))
        await pilot.pause()
        assert widget.value == "12345678", "grouping spaces in a pasted number go"


async def test_max_length_and_restrict_refuse_with_a_reason():
    app = OneField(max_length=3, restrict=r"[A-Z]*")
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        await pilot.press(*"ABCD", "e")
        assert widget.value == "ABC"
        await pilot.press("backspace", "e")
        assert widget.value == "AB"
        reasons = [m.reason for m in messages(app, BidiInput.Rejected)]
        assert reasons == ["input.rejected_too_long"] * 2 + ["input.rejected_restricted"]


async def test_a_password_field_draws_bullets_only():
    app = OneField(password=True, direction="ltr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"سر123")
        widget = field(app)
        assert widget.value == "سر123"
        drawn = line_of(widget).text
        assert drawn.strip() == BULLET * 5
        assert drawn.startswith(BULLET)
        await pilot.press("ctrl+a", "ctrl+c")
        assert app.clipboard == "", "a password is never copied"


async def test_an_ltr_field_keeps_an_iban_left_to_right_and_left_aligned():
    iban = "SA03 8000 0000 6080 1016 7519"
    app = OneField(direction="ltr")
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, iban)
        widget = field(app)
        assert widget.value == iban
        assert line_of(widget).text == iban.ljust(WIDTH)
        await type_text(pilot, " محمد")
        assert line_of(widget).text.startswith(iban + " "), "Arabic inside stays on the right"
        assert widget.value == iban + " محمد"


async def test_auto_direction_follows_the_first_strong_character():
    app = OneField()
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        assert widget.is_rtl, "empty: the app language, Arabic when the app has none"
        await pilot.press(*"user")
        assert not widget.is_rtl
        assert line_of(widget).text.startswith("user")
        await pilot.press("ctrl+a", *"محمد")
        assert widget.is_rtl
        assert line_of(widget).text.rstrip() == right_aligned(layout_line("محمد", "R").visual)


async def test_a_click_puts_the_caret_on_the_letter_clicked():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"محمد علي")
        widget = field(app)
        layout = layout_line("محمد علي", "R")
        for logical in (0, 1, 5, 7):
            column = WIDTH - layout.width + layout.cell_x[layout.log_to_vis[logical]]
            await pilot.click("#field", offset=(2 + column, 1))
            assert widget.cursor_position == logical
            assert caret_cells(line_of(widget))[0][0] == column
        await pilot.click("#field", offset=(3, 1))  # left of the text: its end
        assert widget.cursor_position == len("محمد علي")


async def test_enter_submits_the_logical_value():
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"عبدالله", "enter")
        submitted = messages(app, BidiInput.Submitted)
        assert [m.value for m in submitted] == ["عبدالله"]
        assert submitted[0].control is field(app)


async def test_keys_typed_in_a_burst_keep_their_order_and_follow_the_focus():
    app = OneField(second=True, direction="ltr", advance_on_submit=True)
    async with app.run_test(size=TALL) as pilot:
        for key, char in [
            *((c, c) for c in "clerkx"),
            ("backspace", "\x7f"),
            ("enter", "\r"),
            *((c, c) for c in "secret"),
        ]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert field(app).value == "clerk"
        assert field(app, "#other").value == "secret"
        assert app.focused is field(app, "#other")


async def test_sign_in_typed_in_one_burst_puts_the_password_in_the_password_field(store, staff):
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        burst = [*"clerk", "\r", *PASSWORD, "\r"]
        for char in burst:
            app.post_message(events.Key("enter" if char == "\r" else char, char))
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.actor == staff.clerk


async def test_a_long_line_scrolls_to_keep_the_caret_in_view():
    text = "الضمان الاجتماعي المطور لخدمة المستفيدين في جميع المناطق"
    app = OneField(direction="rtl")
    async with app.run_test(size=(24, 5)) as pilot:
        widget = field(app)
        widget.value = text
        widget.cursor_position = len(text)
        await pilot.pause()
        width = 24 - 4
        assert caret_cells(line_of(widget)) == [(0, " ")], "the end: the left edge"
        await pilot.press("home")
        cells = caret_cells(line_of(widget))
        assert cells[0][0] == width - 1, "the start: the right edge"
        visual = layout_line(text, "R").visual
        assert line_of(widget).text == visual[-width:]


async def test_terminal_mode_draws_the_logical_text():
    set_mode("terminal")
    app = OneField(direction="ltr")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"محمد 12")
        assert line_of(field(app)).text == "محمد 12".ljust(WIDTH)
        await pilot.press("left")
        assert field(app).cursor_position == 6


# Random edit sequences against a model: a logical string and a caret on its stops.

_ALPHABET = ["م", "ح", "ل", "ا", "أ", " ", "a", "1", "(", "\u064f", "\u0651"]
_KEYS = ["left", "right", "home", "end", "backspace", "delete"]


def _snap(text: str, position: int) -> int:
    stops = layout_line(text, "R").caret_stops
    return next(stop for stop in stops if stop >= min(position, len(text)))


async def _drive(steps: list[str]) -> None:
    app = OneField(direction="rtl")
    async with app.run_test(size=SIZE) as pilot:
        widget = field(app)
        text, caret = "", 0
        for step in steps:
            before = layout_line(text, "R")
            if step in _KEYS:
                await pilot.press(step)
            else:
                await type_text(pilot, step)
            if step == "home":
                caret = 0
            elif step == "end":
                caret = len(text)
            elif step == "backspace" and caret:
                text = text[: caret - 1] + text[caret:]
                caret = _snap(text, caret - 1)
            elif step == "delete" and caret < len(text):
                after = caret + 1
                while after < len(text) and unicodedata.combining(text[after]):
                    after += 1
                text = text[:caret] + text[after:]
                caret = _snap(text, caret)
            elif step in ("left", "right"):
                assert widget.value == text
                moved = widget.cursor_position
                assert moved in before.caret_stops
                caret = moved
            elif step not in _KEYS:
                text = text[:caret] + step + text[caret:]
                caret = _snap(text, caret + 1)
            assert widget.value == text
            assert widget.cursor_position == caret
            assert caret in layout_line(text, "R").caret_stops
            assert len(caret_cells(line_of(widget))) == 1, "one caret, always drawn"


@settings(max_examples=12, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET + _KEYS), max_size=14))
def test_random_edits_keep_value_and_caret_consistent(steps: list[str]) -> None:
    asyncio.run(_drive(steps))


@settings(max_examples=8, deadline=None)
@given(st.text(alphabet="".join(_ALPHABET[:-2]) + "b)", min_size=1, max_size=10))
def test_left_and_right_reach_every_stop_and_undo_each_other(text: str) -> None:
    async def drive() -> None:
        app = OneField(direction="rtl", value=text)
        async with app.run_test(size=SIZE):
            widget = field(app)
            widget.action_end()  # the value starts selected (select on focus)
            seen = {widget.cursor_position}
            # The actions themselves: the keys that reach them are tested above.
            moves = (widget.action_cursor_left, widget.action_cursor_right)
            for key, back in (moves, moves[::-1]):
                for _ in range(len(text) + 1):
                    here = widget.cursor_position
                    key()
                    if widget.cursor_position == here:
                        continue
                    seen.add(widget.cursor_position)
                    back()
                    assert widget.cursor_position == here
                    key()
            assert seen == set(layout_line(text, "R").caret_stops)

    asyncio.run(drive())
