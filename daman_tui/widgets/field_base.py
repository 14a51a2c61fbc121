"""What the one-line form fields share: their frame, and keys handled in their own queue.

Textual runs a focused widget's bindings only once a key has bubbled up to the app, so in
a burst of keys (a fast typist, a barcode reader, a paste through ``tmux send-keys``)
printable keys overtook Backspace, Enter or Tab. A :class:`FieldBase` runs its own
bindings in its own message queue, in the order the keys were typed. And keys that arrive
after Enter or Tab moved the focus away are passed on to the widget that now has it, so
typing ahead lands where it should.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widget import Widget

__all__ = ["FieldBase", "focus_bindings"]


def focus_bindings(prefix: str) -> list[Binding]:
    """Tab and Shift+Tab for a field's ``BINDINGS``, with ids ``{prefix}.next``/``.previous``.

    Bound on the field rather than left to the app, so keys typed after Tab follow the
    focus. The ids stay per field so a keymap can remap one kind of field and not another.
    """
    return [
        Binding("tab", "app.focus_next", "Next field", show=False, id=f"{prefix}.next"),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous field",
            show=False,
            id=f"{prefix}.previous",
        ),
    ]


class FieldBase(Widget):
    """A one-line field in a tall border that handles its keys itself.

    A subclass lists :func:`focus_bindings` in its ``BINDINGS``, says which characters it
    takes (:meth:`_takes_text`) and what a typed one does (:meth:`_type`); it may pass
    keys on elsewhere first (:meth:`_pass_on`).
    """

    # Screen-level text selection would copy the visual (reordered) text.
    ALLOW_SELECT: ClassVar[bool] = False

    # The fields stand in one column of a form, so they must line up to the cell.
    DEFAULT_CSS = """
    FieldBase {
        background: $surface;
        color: $foreground;
        padding: 0 1;
        border: tall $border-blurred;
        width: 100%;
        height: 3;

        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
        }
        &:ansi {
            background: ansi_default;
            color: ansi_default;
        }
    }
    """

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    # Event handlers.

    def _on_mount(self, event: events.Mount) -> None:
        # A field's direction follows the app's language, when the app has one.
        self.watch(self.app, "lang", self._app_lang_changed, init=False)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Characters the field takes (so screen bindings on letters stay quiet)."""
        return character is not None and self._takes_text(character)

    async def _on_key(self, event: events.Key) -> None:
        if self._pass_on(event) or await self._run_binding(event.key):
            self._take(event)
        elif event.character is not None and self._takes_text(event.character):
            self._take(event)
            self._type(event.character)

    # Hooks for subclasses.

    _type: Callable[[str], None]
    """What the field does with a character it takes: each field defines it (BidiInput
    inserts it at the caret, ChoiceField opens its list filtered by it)."""

    def _takes_text(self, character: str) -> bool:
        """Whether a key's character is for the field: printable ones, by default."""
        return character.isprintable()

    def _pass_on(self, event: events.Key) -> bool:
        """Hand a key typed for another widget on to it; whether it was one.

        An earlier key in this queue (Enter, Tab) may have moved the focus: then this key
        was typed for the widget that has it now.
        """
        if self.app.focused is self:
            return False
        target = self.app.focused or self.app.screen
        target.post_message(events.Key(event.key, event.character))
        return True

    # Helpers.

    async def _run_binding(self, key: str) -> bool:
        """Run this field's own binding for ``key`` (after the app's keymap), if it has one."""
        bindings = self._bindings.copy()
        keymap = self.app._keymap
        if keymap:
            bindings.apply_keymap(keymap)
        for binding in bindings.key_to_bindings.get(key, ()):
            if await self.app.run_action(binding.action, self):
                return True
        return False

    @staticmethod
    def _take(event: events.Key) -> None:
        event.stop()
        event.prevent_default()

    def _app_lang(self) -> str:
        """The app's language; Arabic before the field is attached or if the app has none."""
        if not self.is_attached:
            return "ar"
        lang = getattr(self.app, "lang", "ar")
        return lang if isinstance(lang, str) else "ar"

    def _app_lang_changed(self) -> None:
        self.refresh()
