"""The deck of pages: built once, shown by a toggle, built ahead in a pause."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Label

from daman_tui.widgets import deck as deck_module
from daman_tui.widgets.deck import Deck


class DeckApp(App[None]):
    def __init__(self, keys: list[str]) -> None:
        super().__init__()
        self.keys = keys
        self.builds: list[str] = []
        self.built: list[str] = []

    def compose(self) -> ComposeResult:
        yield Deck(ahead=self.ahead, id="deck")

    def page(self, key: str) -> Callable[[], Widget]:
        def build() -> Widget:
            self.builds.append(key)
            return Label(key, id=f"page-{key}")

        return build

    def ahead(self) -> list[tuple[str, Callable[[], Widget]]]:
        return [(key, self.page(key)) for key in self.keys]

    def on_deck_built(self, event: Deck.Built) -> None:
        self.built.append(event.key)


async def test_a_page_is_built_once_and_shown_alone() -> None:
    app = DeckApp([])
    async with app.run_test() as pilot:
        deck = app.query_one(Deck)
        first, fresh = await deck.show("a", app.page("a"))
        assert fresh and first.display
        second, fresh = await deck.show("b", app.page("b"))
        assert fresh and second.display and not first.display
        again, fresh = await deck.show("a", app.page("a"))
        assert again is first and not fresh
        assert first.display and not second.display
        assert deck.page is first and deck.current == "a"
        await pilot.pause()
        assert app.builds == ["a", "b"]
        assert app.built == ["a", "b"]
        assert "a" in deck and "c" not in deck


async def test_pages_are_built_ahead_only_after_a_pause() -> None:
    app = DeckApp(["a", "b", "c"])
    async with app.run_test() as pilot:
        deck = app.query_one(Deck)
        await deck.show("a", app.page("a"))
        for _ in range(4):  # busy: every edit puts building ahead off again
            await asyncio.sleep(deck_module.AHEAD_DELAY / 2)
            deck.postpone()
        assert app.builds == ["a"]
        await asyncio.sleep(deck_module.AHEAD_DELAY * 1.5)
        await pilot.pause()
        assert app.builds == ["a", "b"]  # one page per pause
        await asyncio.sleep(deck_module.AHEAD_DELAY * 1.5)
        await pilot.pause()
        assert app.builds == ["a", "b", "c"]
        assert [p.display for p in deck.pages()] == [True, False, False]
        page, fresh = await deck.show("c", app.page("c"))
        assert not fresh and page.display
        assert app.builds == ["a", "b", "c"]


async def test_a_page_shown_while_it_is_built_ahead_is_built_once() -> None:
    app = DeckApp(["a", "b"])
    async with app.run_test() as pilot:
        deck = app.query_one(Deck)
        await deck.show("a", app.page("a"))
        building = asyncio.create_task(deck._build_ahead())
        shown = asyncio.create_task(deck.show("b", app.page("b")))
        await asyncio.gather(building, shown)
        await pilot.pause()
        assert app.builds == ["a", "b"]
        assert deck.current == "b"
