"""A footer of key hints that reads right to left in Arabic."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

__all__ = ["DamanFooter", "RtlFooterKey"]


class RtlFooterKey(FooterKey):
    """A key hint drawn description first, key last: the key sits on the right, where an
    Arabic reader starts."""

    def render(self) -> Text:
        text = super().render()
        if not self.description:
            return text
        # super() assembles [padded key][padded description]: put the words first and the
        # key last, one space between, whatever padding the (compact or not) style gives.
        pad = self.get_component_styles("footer-key--key").padding
        key_end = pad.left + len(self.key_display) + pad.right
        key, words = text[:key_end], text[key_end:]
        plain = words.plain
        start = len(plain) - len(plain.lstrip())
        swapped = Text(" ", end="")
        swapped.append_text(words[start : len(plain.rstrip())])
        if pad.left == 0:
            swapped.append(" ")
        swapped.append_text(key)
        swapped.stylize_before(self.rich_style)
        return swapped


class DamanFooter(Footer):
    """Textual's footer, mirrored when the app is in Arabic.

    In Arabic the hints line up from the right edge in reading order (the first binding
    rightmost) with each key to the right of its words, and the command-palette hint
    moves to the left end. The app's ``lang`` decides; screens recompose the footer when
    it changes.
    """

    DEFAULT_CSS = """
    DamanFooter.-rtl {
        align-horizontal: right;
        FooterKey.-command-palette {
            dock: left;
            border-left: none;
            border-right: vkey $foreground 20%;
        }
    }
    """

    _shown: tuple[Any, ...] | None = None
    """What the footer last showed: the keys, their words and state, and the language."""

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # Every focus change and refresh_bindings() signals here, and Textual answers by
        # mounting a new row of keys (tens of milliseconds); most signals change nothing.
        if self.is_attached and screen is self.screen and self._shown == self._signature():
            self._bindings_ready = True
            return
        super().bindings_changed(screen)

    def _signature(self) -> tuple[Any, ...]:
        return (
            getattr(self.app, "lang", "en"),
            *(
                (binding.key, binding.description, binding.action, enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == self.app.COMMAND_PALETTE_BINDING
            ),
        )

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._signature()
        items = list(super().compose())
        rtl = getattr(self.app, "lang", "en") == "ar"
        self.set_class(rtl, "-rtl")
        if not rtl:
            yield from items
            return
        keys = [item for item in items if isinstance(item, FooterKey)]
        if len(keys) != len(items):  # grouped bindings: keep Textual's own layout
            yield from items
            return
        palette = [k for k in keys if k.has_class("-command-palette")]
        plain = [k for k in keys if not k.has_class("-command-palette")]
        for key in [*reversed(plain), *palette]:
            yield RtlFooterKey(
                key.key,
                key.key_display,
                key.description,
                key.action,
                disabled=key.has_class("-disabled"),
                tooltip=str(key.tooltip or ""),
                classes=" ".join(c for c in key.classes if c != "-disabled"),
            )
