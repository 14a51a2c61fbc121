"""Some sections of one person's file, one under the other: a wizard step's body, or a
dependent's whole file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label

from daman_tui.domain.intake.fields import SectionSpec
from daman_tui.domain.intake.form import DraftForm
from daman_tui.text.catalog import t
from daman_tui.text.display import rtext
from daman_tui.widgets.group_panel import GroupPanel
from daman_tui.widgets.section_form import SectionForm

__all__ = ["SectionsView"]


class SectionsView(VerticalScroll):
    """The sections of ``who`` in ``form``: a title, the questions, then the groups."""

    DEFAULT_CSS = """
    SectionsView { height: 1fr; padding: 0 1; }
    SectionsView > .section-title { margin-top: 1; }
    """

    def __init__(
        self,
        form: DraftForm,
        who: str,
        sections: Sequence[SectionSpec],
        *,
        lang: str,
        today: date,
        prefix: str = "",
        fixed: Iterable[str] = (),
        reveal: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id, classes="sections-view")
        self.form = form
        self.who = who
        self.sections = tuple(sections)
        self.lang = lang
        self.today = today
        self.prefix = prefix
        self.fixed = tuple(fixed)
        self.reveal = reveal

    def compose(self) -> ComposeResult:
        for section in self.sections:
            # The title is given at compose, not looked up on mount: a step removed while
            # it mounts (a quick step change) has no children left to look up.
            yield Label(
                self._title(section, self.lang),
                id=f"{self.prefix}title--{section.key}",
                classes="section-title",
            )
            if section.fields:
                yield SectionForm(
                    section,
                    self.form.values(self.who, section.key),
                    lang=self.lang,
                    today=self.today,
                    prefix=self.prefix,
                    fixed=self.fixed,
                    reveal=self.reveal,
                )
            for group in section.groups:
                yield GroupPanel(
                    group,
                    self.form.items(self.who, group.key),
                    lang=self.lang,
                    today=self.today,
                    prefix=self.prefix,
                )

    @staticmethod
    def _title(section: SectionSpec, lang: str) -> Text:
        return rtext(t(f"section.{section.key}", lang), lang, "bold")

    def _titles(self, lang: str) -> None:
        for section in self.sections:
            for label in self.query(f"#{self.prefix}title--{section.key}").results(Label):
                label.update(self._title(section, lang))

    def relabel(self, lang: str) -> None:
        """Everything in ``lang``."""
        self.lang = lang
        self._titles(lang)
        for form in self.query(SectionForm):
            form.relabel(lang)
        for panel in self.query(GroupPanel):
            panel.relabel(lang)

    def reveal_all(self) -> None:
        for form in self.query(SectionForm):
            form.reveal()

    def focus_first(self, focus: str = "") -> None:
        """Focus ``focus`` ("section.key") if given and shown, else the first open question."""
        forms = list(self.query(SectionForm))
        panels = list(self.query(GroupPanel))
        if self.sections and not self.sections[0].fields and panels and not focus:
            # A step that opens with a list (income lines, licences, assets): its first
            # table, where A adds an entry.
            panels[0].focus_table()
            return
        if focus and "." in focus:
            section, key = focus.split(".", 1)
            for form in forms:
                if form.section.key == section and form.focus_key(key):
                    return
        for form in forms:
            open_key = form.first_open_key()
            if open_key is not None and form.focus_key(open_key):
                return
        if forms:
            for spec in forms[0].section.fields:
                if forms[0].focus_key(spec.key):
                    return
        if panels:
            panels[0].focus_table()
