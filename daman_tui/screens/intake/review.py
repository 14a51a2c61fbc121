"""The review step: the whole file read back, the engine's preview, the declaration, submit."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label

from daman_tui.domain.eligibility import Decision
from daman_tui.domain.intake.fields import NO, YES, FieldSpec, SectionSpec
from daman_tui.domain.intake.form import HEAD, DraftForm, visible
from daman_tui.domain.money import format_money
from daman_tui.text.catalog import t
from daman_tui.text.display import rtext, rtext_wrapped
from daman_tui.widgets.choice_field import ChoiceField
from daman_tui.widgets.form_text import display_value

__all__ = ["ReviewPanel", "read_back"]

WRAP = 76
"""Cells a read-back line wraps at."""


def _section_lines(
    form: DraftForm, who: str, section: SectionSpec, lang: str, today: date
) -> list[str]:
    values = form.values(who, section.key)
    lines = [f"■ {t(f'section.{section.key}', lang)}"]
    specs: list[FieldSpec] = [s for s in section.fields if s.column and visible(s, values)]
    for spec in specs:
        lines.append(
            f"   {t(f'field.{spec.key}', lang)}: {display_value(spec, values, lang, today)}"
        )
    for group in section.groups:
        items = form.items(who, group.key)
        lines.append(f"   {t(f'group.{group.key}', lang)}: {len(items)}")
        for item in items:
            cells = (display_value(s, item, lang, today) for s in group.fields if s.column)
            lines.append("      • " + " — ".join(cells))
    return lines


def read_back(form: DraftForm, lang: str, today: date) -> list[str]:
    """The whole file as lines of logical text, by person and section."""
    lines = [t("review.head", lang)]
    for section in form.sections_of(HEAD):
        lines += _section_lines(form, HEAD, section, lang, today)
    lines.append(t("review.household", lang))
    for section in form.sections_of("household"):
        lines += _section_lines(form, "household", section, lang, today)
    for dep in form.dependents:
        who = dep["id"]
        parts = (form.get(who, "personal", k) for k in ("first_name", "family_name"))
        lines.append(t("review.dependent", lang, name=" ".join(p for p in parts if p)))
        for section in form.sections_of(who):
            lines += _section_lines(form, who, section, lang, today)
    return lines


def preview_lines(decision: Decision | None, lang: str) -> list[str]:
    """The engine's preview as the clerk reads it to the applicant."""
    if decision is None:
        return [t("review.preview_pending", lang)]
    lines = [
        t("review.eligible" if decision.eligible else "review.not_eligible", lang),
        t("review.threshold", lang, amount=format_money(decision.threshold_halalas, lang)),
        t("review.counted", lang, amount=format_money(decision.counted_income_halalas, lang)),
    ]
    if decision.eligible:
        lines.append(
            t("review.entitlement", lang, amount=format_money(decision.entitlement_halalas, lang))
        )
    else:
        lines.append(t("review.reasons", lang))
        lines += [f"   • {r.message_ar if lang == 'ar' else r.message_en}" for r in decision.failed]
    return lines


class ReviewPanel(VerticalScroll):
    """Step 10's body."""

    DEFAULT_CSS = """
    ReviewPanel { height: 1fr; padding: 0 1; }
    ReviewPanel > #review-declaration-field { width: 30; }
    ReviewPanel > #review-blocked { color: $error; }
    """

    class SubmitRequested(Message):
        """The clerk asked to submit, with the declaration answered as shown."""

        def __init__(self, panel: ReviewPanel, declaration: bool) -> None:
            super().__init__()
            self.panel = panel
            self.declaration = declaration

        @property
        def control(self) -> ReviewPanel:
            return self.panel

    def __init__(self, form: DraftForm, *, lang: str, today: date) -> None:
        super().__init__(id="review")
        self.form = form
        self.lang = lang
        self.today = today
        self.decision: Decision | None = None
        self.blocked: list[str] = []

    def compose(self) -> ComposeResult:
        yield Label(id="review-file")
        yield Label(id="review-preview-title", classes="section-title")
        yield Label(id="review-preview")
        yield Label(id="review-declaration-title", classes="section-title")
        yield Label(id="review-declaration")
        yield ChoiceField(id="review-declaration-field")
        yield Label(id="review-blocked")
        yield Button("", id="review-submit", variant="primary")

    def on_mount(self) -> None:
        self.relabel(self.lang)

    def focus_first(self) -> None:
        """The declaration: what is left to do on this step."""
        field = self.query_one("#review-declaration-field", ChoiceField)
        field.focus()
        # Focus alone does not scroll a panel whose height is known only after layout.
        self.call_after_refresh(field.scroll_visible, animate=False)

    def show_preview(self, decision: Decision | None) -> None:
        self.decision = decision
        text = "\n".join(preview_lines(decision, self.lang))
        self.query_one("#review-preview", Label).update(rtext_wrapped(text, self.lang, WRAP))
        field = self.query_one("#review-declaration-field", ChoiceField)
        if field.has_focus:
            # The preview changes the panel's height: keep the focused answer in view.
            self.call_after_refresh(field.scroll_visible, animate=False)

    def show_blocked(self, reasons: list[str]) -> None:
        self.blocked = reasons
        joined = t("list.clauses", self.lang).join(reasons)
        text = t("review.blocked", self.lang, reasons=joined) if reasons else ""
        self.query_one("#review-blocked", Label).update(rtext_wrapped(text, self.lang, WRAP))

    @property
    def declaration(self) -> bool:
        return self.query_one("#review-declaration-field", ChoiceField).value == YES

    def relabel(self, lang: str) -> None:
        self.lang = lang
        lines = read_back(self.form, lang, self.today)
        self.query_one("#review-file", Label).update(rtext_wrapped("\n".join(lines), lang, WRAP))
        self.query_one("#review-preview-title", Label).update(
            rtext(t("review.preview_title", lang), lang, "bold")
        )
        self.show_preview(self.decision)
        self.query_one("#review-declaration-title", Label).update(
            rtext(t("review.declaration_label", lang), lang, "bold")
        )
        self.query_one("#review-declaration", Label).update(
            rtext_wrapped(t("review.declaration", lang), lang, WRAP)
        )
        field = self.query_one("#review-declaration-field", ChoiceField)
        field.set_options([(YES, t("answer.yes", lang)), (NO, t("answer.no", lang))])
        self.query_one("#review-submit", Button).label = rtext(t("review.submit", lang), lang)
        self.show_blocked(self.blocked)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.SubmitRequested(self, self.declaration))
