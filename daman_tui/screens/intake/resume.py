"""The offer to resume: a clerk's unfinished drafts, shown after signing in."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from daman_tui.services.intake import DraftSummary
from daman_tui.text.catalog import t
from daman_tui.text.display import rtext, rtext_wrapped

__all__ = ["ResumeScreen"]


class ResumeScreen(ModalScreen[str | None]):
    """Pick a draft (its application id is returned) or Escape for later."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "later", "later")]

    def __init__(self, drafts: list[DraftSummary], lang: str) -> None:
        super().__init__(classes="rtl" if lang == "ar" else "ltr")
        self.drafts = drafts
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="resume-box"):
            yield Label(rtext(t("resume.title", lang), lang, "bold"), classes="title")
            yield Label(rtext_wrapped(t("resume.prompt", lang), lang, 70))
            yield OptionList(
                *(
                    Option(
                        rtext(
                            t(
                                "resume.row",
                                lang,
                                number=d.request_number,
                                name=d.name or d.national_id,
                                step=d.step,
                            ),
                            lang,
                        ),
                        id=d.application_id,
                    )
                    for d in self.drafts
                ),
                id="resume-list",
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_later(self) -> None:
        self.dismiss(None)
