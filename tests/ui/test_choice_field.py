"""ChoiceField and its picker driven by a Pilot: keys, filtering, messages, what is drawn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import OptionList

from daman_tui.text.display import set_mode, visual
from daman_tui.widgets import BidiInput, ChoiceField, ChoicePicker
from daman_tui.widgets.choice_field import MARKER
from daman_tui.widgets.choice_picker import filter_options

SIZE = (60, 24)
WIDTH = SIZE[0] - 4  # the tall border and one cell of padding on each side

CITIES = [("AHB", "أبها"), ("RUH", "الرياض"), ("JED", "جدة"), ("DMM", "الدمام")]
GENDERS_EN = [("m", "Male"), ("f", "Female")]


class Form(App[None]):
    """A choice field between two text fields, in an app with a ``lang`` like DamanApp's."""

    lang: reactive[str] = reactive("ar")

    def __init__(self, lang: str = "ar", **field: Any) -> None:
        super().__init__()
        self.set_reactive(Form.lang, lang)
        self.field = field
        self.changes: list[ChoiceField.Changed] = []

    def compose(self) -> ComposeResult:
        yield ChoiceField(id="choice", **self.field)
        yield BidiInput(id="after")

    def on_mount(self) -> None:
        self.query_one(ChoiceField).focus()

    def on_choice_field_changed(self, message: ChoiceField.Changed) -> None:
        self.changes.append(message)


@pytest.fixture(autouse=True)
def _app_mode() -> Iterator[None]:
    set_mode("app")
    yield
    set_mode("app")


def choice(app: App[None]) -> ChoiceField:
    return app.query_one("#choice", ChoiceField)


def drawn(widget: ChoiceField) -> str:
    return widget.render_line(0).text


def picker_labels(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(option.prompt) for option in options.options]


def test_filtering_folds_spelling_variants_and_puts_word_starts_first():
    def labels(query: str) -> list[str]:
        return [CITIES[i][1] for i in filter_options(CITIES, query)]

    assert labels("") == [label for _value, label in CITIES]
    assert labels("ابها") == ["أبها"]  # alef with hamza typed plain
    assert labels("أبهَا") == ["أبها"]  # harakat ignored
    assert labels("جده") == ["جدة"]  # ta marbuta typed as ha
    assert labels("ر") == ["الرياض"]  # the word after its article
    assert labels("د") == ["الدمام", "جدة"]  # a word start before a letter inside
    assert labels("ruh") == ["الرياض"]  # the value matches too
    assert labels("zz") == []


async def test_enter_opens_the_picker_and_arrows_and_enter_pick():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        await pilot.press("enter")
        assert isinstance(app.screen, ChoicePicker)
        assert picker_labels(app) == [visual(label) for _value, label in CITIES]
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert (widget.value, widget.label) == ("JED", "جدة")
        assert app.focused is widget, "the focus comes back to the field"


async def test_space_and_f4_open_the_picker_on_the_current_value():
    app = Form(options=CITIES, value="DMM")
    async with app.run_test(size=SIZE) as pilot:
        for key in ("space", "f4"):
            await pilot.press(key)
            assert isinstance(app.screen, ChoicePicker)
            assert app.screen.query_one(OptionList).highlighted == 3
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ChoicePicker)


async def test_typing_a_letter_opens_the_filter_with_it_and_alef_forms_match():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ا")
        assert isinstance(app.screen, ChoicePicker)
        assert app.screen.query_one("#choice-filter", BidiInput).value == "ا"
        await pilot.press(*"بها")
        assert app.screen.query_one("#choice-filter", BidiInput).value == "ابها"
        assert picker_labels(app) == [visual("أبها")]
        await pilot.press("enter")
        await pilot.pause()
        assert choice(app).value == "AHB"


async def test_keys_typed_in_a_burst_all_reach_the_picker_in_order():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        for char in "رياض\r":
            app.post_message(events.Key("enter" if char == "\r" else char, char))
        for _ in range(4):
            await pilot.pause()
        assert choice(app).value == "RUH"
        assert not isinstance(app.screen, ChoicePicker)


async def test_a_long_list_opens_scrolled_to_the_current_value():
    many = [(f"c{i}", f"مدينة {i}") for i in range(40)]
    app = Form(options=many, value="c30")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.highlighted == 30
        assert options.size.height == 10, "at most ten rows, then it scrolls"
        top = options.scroll_offset.y
        assert top <= 30 < top + options.size.height


async def test_no_match_shows_a_message_and_enter_picks_nothing():
    app = Form(options=CITIES, value="JED")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"xyz", "enter")
        assert isinstance(app.screen, ChoicePicker)
        assert picker_labels(app) == [visual("لا توجد نتائج مطابقة")]
        await pilot.press("escape")
        await pilot.pause()
        assert choice(app).value == "JED"


async def test_escape_keeps_the_old_value_and_posts_nothing():
    app = Form(options=CITIES, value="RUH")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "down", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert choice(app).value == "RUH"
        assert app.changes == []


async def test_arrows_step_the_way_they_point_mirrored_in_arabic():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        await pilot.press("left")
        assert widget.value == "AHB", "in Arabic, left is the next option: the first"
        await pilot.press("left", "left")
        assert widget.value == "JED"
        await pilot.press("right")
        assert widget.value == "RUH"
        await pilot.press("left", "left", "left", "left")
        assert widget.value == "DMM", "the last option stays the last"
        assert not isinstance(app.screen, ChoicePicker)

        app.lang = "en"
        await pilot.press("right")
        assert widget.value == "DMM"
        await pilot.press("left")
        assert widget.value == "JED", "in English, left is the previous option"


async def test_delete_and_backspace_clear():
    app = Form(options=CITIES, value="JED", placeholder="المدينة")
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        await pilot.press("delete")
        assert (widget.value, widget.label) == ("", "")
        widget.value = "AHB"
        await pilot.press("backspace")
        assert widget.value == ""
        assert drawn(widget).endswith(visual("المدينة"))


async def test_changed_is_posted_for_the_user_and_the_program():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        await pilot.press("left", "enter", "down", "enter")
        await pilot.pause()
        widget.value = "DMM"
        widget.set_options(CITIES[:2])  # DMM is no longer offered
        widget.set_options(CITIES, value="JED")
        await pilot.press("delete")
        await pilot.pause()
        assert [m.value for m in app.changes] == ["AHB", "RUH", "DMM", "", "JED", ""]
        assert all(m.control is widget for m in app.changes)


async def test_set_options_keeps_a_value_still_offered_and_refuses_an_unknown_one():
    app = Form(options=CITIES, value="RUH")
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        widget.set_options([("RUH", "Riyadh"), ("JED", "Jeddah")])
        await pilot.pause()
        assert (widget.value, widget.label) == ("RUH", "Riyadh")
        assert app.changes == [], "the value did not change"
        with pytest.raises(ValueError, match="not one of"):
            widget.value = "TIF"
        with pytest.raises(ValueError, match="unique"):
            ChoiceField([("a", "A"), ("a", "B")])


async def test_arabic_draws_the_visual_label_on_the_right_and_the_marker_on_the_left():
    app = Form(options=CITIES, value="RUH")
    async with app.run_test(size=SIZE):
        line = drawn(choice(app))
        shown = visual("الرياض")
        assert shown != "الرياض", "shaped and reordered, not the stored text"
        assert line == MARKER + " " * (WIDTH - 1 - cell_len(shown)) + shown


async def test_english_draws_the_label_on_the_left_and_the_marker_on_the_right():
    app = Form(lang="en", options=GENDERS_EN, value="f")
    async with app.run_test(size=SIZE):
        assert drawn(choice(app)) == "Female".ljust(WIDTH - 1) + MARKER


async def test_the_placeholder_is_dim_and_the_field_redraws_when_the_language_changes():
    app = Form(options=CITIES, placeholder="اختر المدينة")
    async with app.run_test(size=SIZE) as pilot:
        widget = choice(app)
        strip = widget.render_line(0)
        assert strip.text.endswith(visual("اختر المدينة"))
        dim = widget.get_component_rich_style("choice-field--placeholder")
        assert any(s.style and s.style.color == dim.color and s.text.strip() for s in strip)
        app.lang = "en"
        await pilot.pause()
        assert drawn(widget).startswith(visual("اختر المدينة"))
        assert drawn(widget).endswith(MARKER)


async def test_a_long_label_is_clipped_at_its_logical_end():
    long = "منطقة " * 20
    app = Form(options=[("x", long)], value="x")
    async with app.run_test(size=SIZE):
        line = drawn(choice(app))
        assert cell_len(line) == WIDTH
        assert line.endswith(visual("منطقة")), "the label's start stays visible"


async def test_tab_moves_on_and_keys_typed_after_it_follow_the_focus():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        for key, char in [("tab", "\t"), ("a", "a"), ("b", "b")]:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert app.focused is app.query_one("#after", BidiInput)
        assert app.query_one("#after", BidiInput).value == "ab"


async def test_a_click_opens_the_picker_under_the_field_on_its_right_edge():
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#choice")
        assert isinstance(app.screen, ChoicePicker)
        box = app.screen.query_one("#choice-box").region
        field = choice(app).region
        assert box.y == field.bottom
        assert box.right == field.right
        await pilot.click(offset=(1, SIZE[1] - 1))  # outside the box: cancel
        await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert choice(app).value == ""


async def test_a_click_on_an_option_picks_it():
    app = Form(lang="en", options=GENDERS_EN)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        box = app.screen.query_one("#choice-box").region
        # Under the top border, the filter and its rule: the second option's row.
        await pilot.click(offset=(box.x + 3, box.y + 1 + 2 + 1))
        await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert choice(app).value == "f"


class Row(App[None]):
    """A choice field on the left half of a row, placed at ``top``."""

    CSS = "Horizontal { height: 3; } Horizontal > * { width: 1fr; }"
    lang: reactive[str] = reactive("ar")

    def __init__(self, lang: str, top: int) -> None:
        super().__init__()
        self.set_reactive(Row.lang, lang)
        self.top = top

    def compose(self) -> ComposeResult:
        with Horizontal() as row:
            row.styles.margin = (self.top, 0, 0, 0)
            yield ChoiceField(CITIES, id="choice")
            yield BidiInput()


@pytest.mark.parametrize("lang", ["ar", "en"])
async def test_the_picker_opens_above_a_field_near_the_bottom(lang: str):
    app = Row(lang, top=SIZE[1] - 3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click("#choice")
        field = choice(app).region
        box = app.screen.query_one("#choice-box").region
        assert box.bottom == field.y
        assert box.height == 2 + 2 + len(CITIES), "border, filter and rule, one row an option"
        # On the field's reading edge: the right one in Arabic, the left one in English.
        assert (box.right == field.right) if lang == "ar" else (box.x == field.x)


async def test_a_field_without_options_does_not_open():
    app = Form()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "x")
        assert not isinstance(app.screen, ChoicePicker)


async def test_keys_typed_after_the_pick_go_to_the_form_not_the_closing_list():
    """Enter opens the list, Enter picks, and the Tab and letters typed before the list
    has gone move on and land in the next field, in order (a clerk types ahead)."""
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        keys = [("enter", "\r"), ("enter", "\r"), ("tab", "\t"), ("s", "s"), ("a", "a"), ("d", "d")]
        for key, char in keys:
            app.post_message(events.Key(key, char))
        for _ in range(6):
            await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert choice(app).value == "AHB"
        assert app.focused is app.query_one("#after", BidiInput)
        assert app.query_one("#after", BidiInput).value == "sad"


async def test_enter_right_after_the_letters_picks_what_they_match():
    """Letters and Enter in one burst into an open list: the pick is the letters' match,
    though their Changed messages are still queued when Enter arrives."""
    app = Form(options=CITIES)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, ChoicePicker)
        for char in "جدة\r":
            app.post_message(events.Key("enter" if char == "\r" else char, char))
        for _ in range(4):
            await pilot.pause()
        assert not isinstance(app.screen, ChoicePicker)
        assert choice(app).value == "JED"
