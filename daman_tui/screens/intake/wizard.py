"""The intake wizard: ten steps of the unified file, a rail to jump between them, and a
draft saved with every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Label
from textual.worker import Worker, WorkerState, get_current_worker

from daman_tui.domain.eligibility import Decision
from daman_tui.domain.enums import DocumentType, MemberKind
from daman_tui.domain.errors import DomainError
from daman_tui.domain.ids import new_id
from daman_tui.domain.intake.checklist import person_national_id
from daman_tui.domain.intake.form import HEAD, DraftForm, StepState
from daman_tui.domain.intake.steps import STEPS, Scope, Step
from daman_tui.domain.permissions import Actor
from daman_tui.screens.dialogs.file_picker import FilePickerScreen
from daman_tui.screens.intake.dependents import DependentScreen, DependentsPanel, dependent_name
from daman_tui.screens.intake.documents import DocumentsPanel
from daman_tui.screens.intake.entry import EntryScreen
from daman_tui.screens.intake.receipt import ReceiptScreen
from daman_tui.screens.intake.review import ReviewPanel
from daman_tui.screens.intake.saver import DraftSaver
from daman_tui.services import intake
from daman_tui.services.documents import attach_document, remove_document
from daman_tui.services.intake import DocumentStatus, DraftRef, Submitted
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped
from daman_tui.widgets.choice_picker import ChoicePicker
from daman_tui.widgets.deck import Deck
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.group_panel import GroupPanel
from daman_tui.widgets.section_form import SectionForm
from daman_tui.widgets.sections_view import SectionsView
from daman_tui.widgets.step_rail import StepRail
from daman_tui.widgets.sync_indicator import DamanHeader

__all__ = ["WizardScreen"]

STATES_DELAY = 0.15
"""Seconds of quiet typing before the rail's states are checked again."""

TITLE_WIDTH = 80
"""Cells the step's title line wraps at."""

_RAIL_STEPS = tuple((s.number, f"step.{s.key}") for s in STEPS)


class WizardScreen(Screen[None]):
    """One application's draft, step by step; leaving it keeps the draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "move(1)", "next step", id="daman.next_step"),
        Binding("f7", "move(-1)", "previous step", id="daman.prev_step"),
        Binding("f6", "focus_rail", "steps", id="daman.rail"),
        Binding("f10", "submit", "submit", id="daman.submit"),
        Binding("escape", "leave", "back", id="daman.back"),
    ]

    class Loaded(Message):
        """The document status and the preview, read by a worker."""

        def __init__(
            self,
            documents: DocumentStatus | None,
            decision: Decision | None,
            claimed: dict[str, str],
        ) -> None:
            super().__init__()
            self.documents = documents
            self.decision = decision
            self.claimed = claimed

    class Done(Message):
        """The application was submitted."""

        def __init__(self, submitted: Submitted) -> None:
            super().__init__()
            self.submitted = submitted

    class Refused(Message):
        """A service refused: shown under the step, nothing typed is lost."""

        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, store: Store, actor: Actor, ref: DraftRef, *, today: date | None = None
    ) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self.ref = ref
        self.form: DraftForm = ref.form
        self.today = today or date.today()
        self.step = ref.step
        self._focus = ref.focus
        self._lang = "ar"
        self._documents: DocumentStatus | None = None
        self._decision: Decision | None = None
        self._claimed: dict[str, str] = {}
        self._states: list[StepState] = []
        self._loaded_pending = False
        self._rail_shown: tuple[object, ...] = ()
        self._title_text = ""
        self.saver = DraftSaver(self, self._save, self._save_failed)
        self._states_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Horizontal(id="wizard-main"):
            yield StepRail(id="rail")
            with Vertical(id="wizard-body"):
                yield Label(id="step-title", classes="title")
                yield Deck(ahead=self._steps_ahead, id="step-content")
                yield Label(id="wizard-status")
        yield DamanFooter()

    async def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        await self._show(self.step, focus=self._focus)
        self._load()

    # ---- steps --------------------------------------------------------------------
    async def _show(self, number: int, *, focus: str = "") -> None:
        if number != self.step:
            # Leaving a step: coming back to it, its unanswered questions are marked.
            self.form.mark_visited(STEPS[self.step - 1].key)
        step = STEPS[number - 1]
        self.step = number
        body, fresh = await self._deck.show(step.key, partial(self._body, step))
        if not fresh:
            self._renew(body, step)
        self._rail()
        self._title()
        self._focus_body(body, focus)
        self._status("")
        self.saver.request(self.form, self.step, self._focus)

    @property
    def _deck(self) -> Deck:
        return self.query_one("#step-content", Deck)

    def _renew(self, body: Widget, step: Step) -> None:
        """A page built earlier, shown again: bring it up to date with the draft."""
        if isinstance(body, SectionsView):
            if step.key in self.form.visited:
                body.reveal_all()
        elif isinstance(body, DependentsPanel):
            body.claimed = self._claimed
            body.relabel(self._lang)
        elif isinstance(body, DocumentsPanel):
            body.names = self._names()
            body.status = self._documents
            body.relabel(self._lang)
        elif isinstance(body, ReviewPanel):
            body.decision = self._decision
            body.relabel(self._lang)

    def _steps_ahead(self) -> list[tuple[str, Callable[[], Widget]]]:
        """The steps to build while the clerk pauses: the next ones first, then back."""
        order = sorted(STEPS, key=lambda s: (s.number < self.step, abs(s.number - self.step)))
        return [(step.key, partial(self._body, step)) for step in order]

    @on(Deck.Built)
    def _built(self, event: Deck.Built) -> None:
        event.stop()
        if self._loaded_pending:
            self._loaded_pending = False
            self._apply_loaded()

    def _body(self, step: Step) -> Widget:
        lang, today = self._lang, self.today
        if step.scope is Scope.DEPENDENTS:
            panel = DependentsPanel(self.form, lang=lang, today=today)
            panel.claimed = self._claimed
            return panel
        if step.scope is Scope.DOCUMENTS:
            docs = DocumentsPanel(lang=lang, names=self._names())
            docs.status = self._documents
            return docs
        if step.scope is Scope.REVIEW:
            review = ReviewPanel(self.form, lang=lang, today=today)
            review.decision = self._decision
            return review
        who = "household" if step.scope is Scope.HOUSEHOLD else HEAD
        return SectionsView(
            self.form,
            who,
            step.sections,
            lang=lang,
            today=today,
            fixed=("national_id",) if step.key == "personal" else (),
            reveal=step.key in self.form.visited,
            id=f"step-{step.key}",
        )

    def _focus_body(self, body: Widget, focus: str) -> None:
        if isinstance(body, SectionsView):
            body.focus_first(focus)
        elif isinstance(body, DependentsPanel | DocumentsPanel | ReviewPanel):
            body.focus_first()
        if isinstance(body, ReviewPanel):
            self._blockers()

    def _names(self) -> dict[str, str]:
        return {
            person_national_id(self.form, who): dependent_name(self.form, who, self._lang)
            if who != HEAD
            else " ".join(self.form.get(HEAD, "personal", k) for k in ("first_name", "family_name"))
            for who in self.form.people()
        }

    def states(self) -> list[StepState]:
        """Every step's state, as the rail shows it."""
        out = []
        for step in STEPS:
            if step.scope is Scope.DOCUMENTS:
                docs = self._documents
                if docs is None:
                    out.append(StepState.EMPTY)
                else:
                    out.append(
                        StepState.INCOMPLETE if docs.missing_required else StepState.COMPLETE
                    )
            elif step.scope is Scope.REVIEW:
                out.append(StepState.INCOMPLETE if self._blocking(out) else StepState.COMPLETE)
            else:
                out.append(self.form.step_state(step, self.today))
        return out

    def _blocking(self, states: list[StepState]) -> list[str]:
        """Why the application cannot be submitted yet (empty: it can)."""
        reasons = []
        pending = [
            t(f"step.{step.key}", self._lang)
            for step, state in zip(STEPS, states, strict=False)
            if step.scope in (Scope.HEAD, Scope.HOUSEHOLD)
            and state is not StepState.COMPLETE
            # An empty list (no assets, no licences) blocks nothing; a question does.
            and self.form.issues(
                "household" if step.scope is Scope.HOUSEHOLD else HEAD, step.sections, self.today
            )
        ]
        deps = STEPS[7]
        if (
            self.form.dependents
            and self.form.step_state(deps, self.today) is not StepState.COMPLETE
        ):
            pending.append(t(f"step.{deps.key}", self._lang))
        if pending:
            reasons.append(
                t(
                    "review.steps_incomplete",
                    self._lang,
                    steps=t("list.separator", self._lang).join(pending),
                )
            )
        if self._documents is None or self._documents.missing_required:
            count = self._documents.missing_required if self._documents else "…"
            reasons.append(t("review.documents_missing", self._lang, count=count))
        return reasons

    def _blockers(self) -> None:
        panels = list(self.query(ReviewPanel))
        if panels:
            panels[0].show_blocked(self._blocking(self.states()))

    def _rail(self) -> None:
        states = self.states()
        shown = (tuple(states), self.step, self._lang)
        # Redrawing the rail costs a relayout: only when a state, the step or the
        # language changed.
        if shown != self._rail_shown:
            self._rail_shown = shown
            self.query_one(StepRail).show(_RAIL_STEPS, states, self.step, self._lang)
        self._states = states

    def _title(self) -> None:
        step = STEPS[self.step - 1]
        title_key = (
            "intake.update_title" if self.ref.application.kind == "update" else "intake.title"
        )
        text = t(
            "intake.step_of",
            self._lang,
            n=step.number,
            total=len(STEPS),
            title=t(f"step.{step.key}", self._lang),
        )
        request = t("intake.request", self._lang, number=self.ref.application.request_number)
        state = self._states[self.step - 1] if self._states else StepState.EMPTY
        title = (
            f"{text} ({t(f'intake.state.{state.value}', self._lang)})"
            f" — {t(title_key, self._lang)} — {request}"
        )
        if title != self._title_text:
            self._title_text = title
            self.query_one("#step-title", Label).update(
                rtext_wrapped(title, self._lang, TITLE_WIDTH, "bold")
            )

    def _status(self, text: str, *, error: bool = False) -> None:
        label = self.query_one("#wizard-status", Label)
        label.set_class(error, "error")
        label.update(rtext(text, self._lang))

    # ---- edits and saving ---------------------------------------------------------------
    @on(SectionForm.Edited)
    def _edited(self, event: SectionForm.Edited) -> None:
        event.stop()
        self.changed()

    def changed(self, _who: str = "") -> None:
        """Something in the draft changed: save it now; refresh the rail once typing pauses
        (checking every step costs a few milliseconds: not on every keystroke)."""
        self.saver.request(self.form, self.step, self._focus)
        self._deck.postpone()
        if self._states_timer is not None:
            self._states_timer.stop()
        self._states_timer = self.set_timer(STATES_DELAY, self._refresh_states)

    def _refresh_states(self) -> None:
        self._states_timer = None
        self._rail()
        self._title()

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        widget_id = event.widget.id or ""
        if "--" in widget_id and not widget_id.startswith(("entry-", "dep-")):
            section, key = widget_id.split("--", 1)
            if self._focus != f"{section}.{key}":
                self._focus = f"{section}.{key}"
                # Where the caret is belongs to the draft: a resumed draft starts there.
                self.saver.request(self.form, self.step, self._focus)

    def _save(self, form: DraftForm, step: int, focus: str) -> None:
        intake.save_form(self._store, self._actor, self.ref.application.id, form, step, focus)

    def _save_failed(self, error: Exception) -> None:
        message = error.message(self._lang) if isinstance(error, DomainError) else ""
        self._status(f"{t('intake.save_failed', self._lang)} {message}".strip(), error=True)

    # ---- groups and dependents -----------------------------------------------------------
    @on(GroupPanel.Requested)
    def _group(self, event: GroupPanel.Requested) -> None:
        event.stop()
        self.edit_entry(event.panel, event.action, event.item_id)

    def edit_entry(self, panel: GroupPanel, action: str, item_id: str | None) -> None:
        """Add, edit or delete an entry of ``panel``'s group (the head's or a dependent's)."""
        if action == "delete" and item_id is not None:
            panel.items[:] = [i for i in panel.items if i["id"] != item_id]
            self._entry_done(panel)
            return
        item = next((i for i in panel.items if i["id"] == item_id), None) or {"id": new_id()}

        def keep(result: dict[str, str] | None) -> None:
            if result is None:
                return
            for index, existing in enumerate(panel.items):
                if existing["id"] == result["id"]:
                    panel.items[index] = result
                    break
            else:
                panel.items.append(result)
            self._entry_done(panel)

        self.app.push_screen(
            EntryScreen(panel.group, item, lang=self._lang, today=self.today), keep
        )

    def _entry_done(self, panel: GroupPanel) -> None:
        panel.relabel(self._lang)
        panel.focus_table()
        screen = panel.screen
        if isinstance(screen, DependentScreen):
            screen.entry_changed()
        self.changed()

    @on(DependentsPanel.Requested)
    def _dependent(self, event: DependentsPanel.Requested) -> None:
        event.stop()
        if event.action == "add":
            kinds = [
                (k.value, enum_label(k, self._lang)) for k in MemberKind if k is not MemberKind.HEAD
            ]
            self.app.push_screen(ChoicePicker(kinds, lang=self._lang), self._add_dependent)
        elif event.action == "edit" and event.dependent_id is not None:
            self._open_dependent(event.dependent_id)
        elif event.dependent_id is not None:
            self.form.remove_dependent(event.dependent_id)
            self.changed()
            self._refresh_step()

    def _add_dependent(self, kind: str | None) -> None:
        if not kind:
            return
        dep = self.form.add_dependent(new_id(), MemberKind(kind))
        self.changed()
        self._open_dependent(dep["id"])

    def _open_dependent(self, who: str) -> None:
        screen = DependentScreen(
            self.form,
            who,
            lang=self._lang,
            today=self.today,
            changed=self.changed,
            edit_entry=self.edit_entry,
        )
        self.app.push_screen(screen, lambda _r: self._dependent_closed())

    def _dependent_closed(self) -> None:
        self._refresh_step()
        self._load()

    def _refresh_step(self) -> None:
        for panel in self.query(DependentsPanel):
            panel.relabel(self._lang)
        self._rail()

    # ---- documents ---------------------------------------------------------------------
    @on(DocumentsPanel.AttachRequested)
    def _pick_file(self, event: DocumentsPanel.AttachRequested) -> None:
        event.stop()
        doc_type, national_id = event.doc_type, event.national_id

        def picked(path: Path | None) -> None:
            if path is not None:
                self._status(t("documents.attaching", self._lang))
                self._attach_file(doc_type, national_id, path, self.form.copy())

        self.app.push_screen(FilePickerScreen(Path.home()), picked)

    @work(thread=True, exclusive=True, group="documents", exit_on_error=False)
    def _attach_file(
        self, doc_type: DocumentType, national_id: str | None, path: Path, form: DraftForm
    ) -> None:
        try:
            attach_document(
                self._store,
                self._actor,
                household_id=self.ref.household_id,
                application_id=self.ref.application.id,
                doc_type=doc_type,
                subject_national_id=national_id,
                path=path,
            )
        except DomainError as err:
            self.post_message(self.Refused(err))
            return
        self.app.call_from_thread(self._status, t("documents.attached", self._lang, file=path.name))
        self._read(form)

    @on(DocumentsPanel.RemoveRequested)
    def _remove(self, event: DocumentsPanel.RemoveRequested) -> None:
        event.stop()
        self._remove_document(event.document_id, self.form.copy())

    @work(thread=True, exclusive=True, group="documents", exit_on_error=False)
    def _remove_document(self, document_id: str, form: DraftForm) -> None:
        try:
            remove_document(self._store, self._actor, document_id)
        except DomainError as err:
            self.post_message(self.Refused(err))
            return
        self.app.call_from_thread(self._status, t("documents.removed", self._lang))
        self._read(form)

    # ---- reading: documents, preview ----------------------------------------------------
    def _load(self) -> None:
        self._read_worker(self.form.copy())

    @work(thread=True, exclusive=True, group="read", exit_on_error=False)
    def _read_worker(self, form: DraftForm) -> None:
        self._read(form)

    def _read(self, form: DraftForm) -> None:
        app_id = self.ref.application.id
        documents = intake.document_status(self._store, self._actor, app_id, form)
        decision = intake.preview(self._store, self._actor, self.ref.household_id, form, self.today)
        ids = [person_national_id(form, d["id"]) for d in form.dependents]
        claimed = intake.claimed_elsewhere(self._store, self._actor, self.ref.household_id, ids)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(documents, decision, claimed))

    def on_wizard_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        self._documents = message.documents
        self._decision = message.decision
        self._claimed = message.claimed
        if self._deck.building:
            # A page is half mounted: these values are applied once it is in.
            self._loaded_pending = True
            return
        self._apply_loaded()

    def _apply_loaded(self) -> None:
        for docs in self.query(DocumentsPanel):
            docs.names = self._names()
            if self._documents is not None:
                docs.show(self._documents)
        for review in self.query(ReviewPanel):
            review.show_preview(self._decision)
        for panel in self.query(DependentsPanel):
            panel.claimed = self._claimed
            panel.relabel(self._lang)
        self._rail()
        self._title()
        self._blockers()

    def on_wizard_screen_refused(self, message: Refused) -> None:
        message.stop()
        self._status(message.error.message(self._lang), error=True)

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            text = (
                error.message(self._lang)
                if isinstance(error, DomainError)
                else t("error.unexpected", self._lang)
            )
            self._status(text, error=True)

    # ---- submit ------------------------------------------------------------------------------
    @on(ReviewPanel.SubmitRequested)
    def _submit_requested(self, event: ReviewPanel.SubmitRequested) -> None:
        event.stop()
        self._start_submit(event.declaration)

    async def action_submit(self) -> None:
        body = self._deck.page
        if not isinstance(body, ReviewPanel):
            # F10 from another step: the review first, where the declaration is.
            await self._show(len(STEPS))
            return
        self._start_submit(body.declaration)

    def _start_submit(self, declaration: bool) -> None:
        self._status(t("review.submitting", self._lang))
        self._submit(self.form.copy(), declaration)

    @work(thread=True, exclusive=True, group="submit", exit_on_error=False)
    def _submit(self, form: DraftForm, declaration: bool) -> None:
        try:
            done = intake.submit(
                self._store,
                self._actor,
                self.ref.application.id,
                form,
                declaration_accepted=declaration,
                today=self.today,
            )
        except DomainError as err:
            self.post_message(self.Refused(err))
            return
        self.post_message(self.Done(done))

    def on_wizard_screen_done(self, message: Done) -> None:
        message.stop()
        # Not awaited: this screen's own handler cannot wait for its own removal.
        self.app.switch_screen(ReceiptScreen(self._store, self._actor, message.submitted))

    # ---- keys ------------------------------------------------------------------------------
    async def action_move(self, delta: int) -> None:
        target = self.step + delta
        if 1 <= target <= len(STEPS):
            await self._show(target)
            self._load()
        else:
            self.app.bell()

    def action_focus_rail(self) -> None:
        self.query_one(StepRail).focus()

    @on(StepRail.Chosen)
    async def _jump(self, event: StepRail.Chosen) -> None:
        event.stop()
        await self._show(event.number)
        self._load()

    def action_leave(self) -> None:
        self.saver.request(self.form, self.step, self._focus)
        self.dismiss(None)

    # ---- language ----------------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self._title_text = ""
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        localize_bindings(self, lang)
        for view in self.query(SectionsView):
            view.relabel(lang)
        for panel in self.query(DependentsPanel):
            panel.relabel(lang)
        for docs in self.query(DocumentsPanel):
            docs.relabel(lang)
        for review in self.query(ReviewPanel):
            review.relabel(lang)
        self._rail()
        self._title()
        self.sub_title = self._actor.full_name
