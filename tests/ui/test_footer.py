"""The footer's key hints read right to left in Arabic and left to right in English."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from daman_tui.app import make_app
from daman_tui.screens.queue import QueueScreen
from daman_tui.widgets.footer import DamanFooter, RtlFooterKey
from tests.ui.test_shell import SIZE, settle


def _keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(DamanFooter).query(FooterKey))


async def test_footer_mirrors_with_the_language(store, staff):
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        arabic = _keys(app)
        assert arabic and all(isinstance(k, RtlFooterKey) for k in arabic)
        plain = [k.key for k in arabic if not k.has_class("-command-palette")]
        # Reading order is right to left: the first binding (the table's Enter, then the
        # screen's /) is the last child.
        assert plain[-1] == "enter" and plain.index("slash") > plain.index("f")
        assert app.screen.query_one(DamanFooter).has_class("-rtl")
        rightmost = [k for k in arabic if not k.has_class("-command-palette")][-1]
        assert rightmost.render().plain.rstrip().endswith("⏎")  # key right of its words

        await pilot.press("f2")
        await settle(pilot)
        english = _keys(app)
        assert english and not any(isinstance(k, RtlFooterKey) for k in english)
        keys = [k.key for k in english if not k.has_class("-command-palette")]
        assert keys.index("slash") < keys.index("f")
        assert english[0].render().plain.lstrip().startswith("⏎")


async def test_footer_is_rebuilt_only_when_its_keys_change(store, staff):
    """Focus moves and refresh_bindings() signal the footer; only a change rebuilds it."""
    app = make_app(store, actor=staff.clerk)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.run_action("open_cases")
        await settle(pilot)
        footer = app.screen.query_one(DamanFooter)
        before = _keys(app)
        for _ in range(3):
            app.screen.refresh_bindings()
            await settle(pilot)
        assert _keys(app) == before, "the same keys were mounted again"

        await pilot.press("slash")  # the search box: the table's Enter leaves the footer
        await settle(pilot)
        after = [k.key for k in _keys(app)]
        assert "enter" not in after and after != [k.key for k in before]
        assert footer.has_class("-rtl")
