"""Pages built once and shown one at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

__all__ = ["AHEAD_DELAY", "Deck", "PageSource"]

AHEAD_DELAY = 0.5
"""Seconds without an edit or a page turn before the next page is built ahead of time
(building one blocks the screen for a few tens of milliseconds: not while typing)."""

PageSource = Callable[[], Iterable[tuple[str, Callable[[], Widget]]]]
"""The pages worth building ahead, nearest first: (key, how to build it)."""


class Deck(Vertical):
    """A stack of pages, each built once and kept; one is shown at a time.

    Building a wizard step's widgets and drawing them fresh costs 150–250 ms in a real
    terminal on a counter PC; showing a page already built is a display toggle and one
    frame (about 40 ms). Pages are built on first show, or ahead of time while the user
    pauses (``ahead``).
    """

    DEFAULT_CSS = """
    Deck { height: 1fr; }
    """

    class Built(Message):
        """A page was mounted (shown or built ahead)."""

        def __init__(self, deck: Deck, key: str) -> None:
            super().__init__()
            self.deck = deck
            self.key = key

        @property
        def control(self) -> Deck:
            return self.deck

    def __init__(self, *, ahead: PageSource | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pages: dict[str, Widget] = {}
        self._ahead = ahead
        self._timer: Timer | None = None
        self._all_built = False
        self.current: str | None = None
        # A key's action (run by the app) and a page built ahead (a timer of this
        # widget) can interleave at an await: one page change at a time, or a page half
        # mounted would be shown, or built twice.
        self._lock = asyncio.Lock()

    def __contains__(self, key: object) -> bool:
        return key in self._pages

    @property
    def building(self) -> bool:
        """A page is being mounted: it is not among :meth:`pages` yet."""
        return self._lock.locked()

    @property
    def page(self) -> Widget | None:
        """The page on show."""
        return self._pages.get(self.current) if self.current is not None else None

    def pages(self) -> list[Widget]:
        """Every page mounted, shown or not."""
        return list(self._pages.values())

    async def show(self, key: str, build: Callable[[], Widget]) -> tuple[Widget, bool]:
        """Show page ``key``, building it with ``build`` if it is not there yet; returns
        the page and whether it was built now."""
        async with self._lock:
            page = self._pages.get(key)
            fresh = page is None
            if page is None:
                page = await self._add(key, build)
            with self.app.batch_update():
                for other_key, other in self._pages.items():
                    other.display = other_key == key
            self.current = key
        self.postpone()
        return page, fresh

    def postpone(self) -> None:
        """The user is busy (typing, turning pages): build ahead only after a pause."""
        if self._ahead is None or self._all_built:
            return
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AHEAD_DELAY, self._build_ahead)

    async def _build_ahead(self) -> None:
        self._timer = None
        assert self._ahead is not None
        for key, build in self._ahead():
            if key in self._pages:
                continue
            async with self._lock:
                if key not in self._pages:
                    await self._add(key, build)
            self.postpone()  # one page per pause
            return
        self._all_built = True

    async def _add(self, key: str, build: Callable[[], Widget]) -> Widget:
        page = build()
        page.display = False
        await self.mount(page)
        self._pages[key] = page
        self.post_message(self.Built(self, key))
        return page
