"""The case file: one household on one screen, and the actions its reader may take.

A header (name, ID, status, days left, entitlement) over a list of sections — the whole
unified file, the latest decision with every reason, the timeline, documents, home
visits, objections, payments, complaints — chosen with the digit keys or the list.
The footer shows only the actions this user may take on this case now (services/
case_actions.py decides; the services refuse the rest on their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from daman_tui.domain.enums import ApplicationStatus, Role
from daman_tui.domain.errors import DomainError
from daman_tui.domain.money import format_money
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.screens.dialogs.case_action import ActionForm, ActionInput, CaseActionDialog
from daman_tui.screens.dialogs.filing import FilingCase, FilingDialog
from daman_tui.screens.dispute_review import ComplaintReviewScreen, ObjectionReviewScreen
from daman_tui.screens.intake.review import read_back
from daman_tui.screens.viewer import open_document
from daman_tui.services import case_actions
from daman_tui.services.auth import branch_staff
from daman_tui.services.case_file import CaseFileView, TimelineEntry, case_file
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, keys, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped, visual
from daman_tui.widgets.case_table import format_local_time
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.line_table import LineTable
from daman_tui.widgets.review_text import decision_lines
from daman_tui.widgets.sync_indicator import DamanHeader
from daman_tui.widgets.text_table import fill_table

if TYPE_CHECKING:
    from daman_tui.app import DamanApp

__all__ = ["SECTIONS", "CaseFileScreen", "CasePanel", "open_case"]

SECTIONS = (
    "file",
    "decision",
    "timeline",
    "documents",
    "visits",
    "objections",
    "payments",
    "complaints",
)
"""The sections in reading order; digit N shows the N-th."""

WRAP = 90

REST_AFTER = 0.1
"""Seconds after the header is shown before the rest of the case is read (a frame)."""

# Action → key. Mnemonic in English; every one is in the footer when it may be taken.
ACTION_KEYS = {
    "assign": "a",
    "schedule_visit": "v",
    "request_documents": "r",
    "documents_received": "e",
    "preliminary_approve": "p",
    "final_approve": "y",
    "reject": "x",
    "reopen": "o",
    "suspend": "s",
    "resume": "u",
}

_DESK = (Role.CLERK, Role.SUPERVISOR)


def _audit(entry: TimelineEntry, lang: str) -> str:
    """An audited change as words (the entity and the verb from the catalogue)."""
    known = keys(lang)
    verb = entry.action.rsplit(".", 1)[-1]
    entity = (
        t(f"case.entity.{entry.entity}", lang)
        if f"case.entity.{entry.entity}" in known
        else entry.entity
    )
    verb = t(f"case.verb.{verb}", lang) if f"case.verb.{verb}" in known else verb
    return t("case.audit_entry", lang, entity=entity, verb=verb)


def open_case(app: DamanApp, store: Store, actor: Actor, application_id: str) -> None:
    """Open ``application_id``: a draft goes back to the wizard, anything else to its file."""
    from daman_tui.services.cases import get_application

    try:
        status = get_application(store, actor, application_id).status
    except DomainError as exc:
        app.notify(visual(exc.message(app.lang)), severity="error", markup=False)
        return
    if status is ApplicationStatus.DRAFT:
        app.open_draft(application_id)
        return
    from daman_tui.screens.queue import QueueScreen

    # From the queue, the file opens in the queue's own panel: a display toggle, not a
    # new screen (building and restyling a screen costs more than reading a case).
    if isinstance(app.screen, QueueScreen):
        app.screen.show_case(application_id)
    else:
        app.push_screen(CaseFileScreen(store, actor, application_id))


class CasePanel(Vertical):
    """Everything about one case, and its actions; Escape posts :class:`Closed`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"act('{action}')", action, id=f"daman.action_{action}")
            for action, key in ACTION_KEYS.items()
        ),
        Binding("j", "file_objection", "objection", id="daman.filing.key_objection"),
        Binding("c", "file_complaint", "complaint", id="daman.filing.key_complaint"),
        Binding("escape", "back", "back", id="daman.back"),
        *(Binding(str(n), f"section({n - 1})", show=False) for n in range(1, 9)),
    ]

    class Closed(Message):
        """Escape: the reader is done with the case."""

    class Ready(Message):
        """The first read of a case is drawn: the panel can be revealed in one frame."""

    class Loaded(Message):
        """A read of the case: ``complete`` False for the first, brief one."""

        def __init__(self, view: CaseFileView, complete: bool) -> None:
            super().__init__()
            self.view = view
            self.complete = complete

    def __init__(
        self, store: Store, actor: Actor, application_id: str | None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._store = store
        self._actor = actor
        self.application_id = application_id
        self._lang = "ar"
        self.view: CaseFileView | None = None
        self.actions: tuple[str, ...] = ()
        self.loaded = False
        """True once the file is read and on screen (the benchmark waits for it)."""
        self._drawn: set[str] = set()
        """The sections drawn from the current view: a section is drawn when shown."""
        self.today: date | None = None
        """The day an objection's window is judged on; None: the real day (tests pin it)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="case-summary"):
            yield Label(id="case-title")
            yield Label(id="case-state")
        with Horizontal(id="case-body"):
            yield OptionList(*(Option("", id=s) for s in SECTIONS), id="case-sections")
            with ContentSwitcher(id="case-pages", initial="page-file"):
                with VerticalScroll(id="page-file"):
                    yield Label(id="file-text")
                with VerticalScroll(id="page-decision"):
                    yield Label(id="decision-text")
                for section in SECTIONS[2:]:
                    yield LineTable(id=f"page-{section}")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)
        if self.application_id is not None:
            self._load()

    def show_case(self, application_id: str) -> None:
        """Show another case on this screen (it is kept between cases)."""
        self.application_id = application_id
        self.view = None
        self.actions = ()
        self.loaded = False
        self._drawn.clear()
        self.query_one("#case-sections", OptionList).highlighted = 0
        self.query_one("#case-title", Label).update(
            rtext(t("case.loading", self._lang), self._lang)
        )
        self.query_one("#case-state", Label).update("")
        self.screen.refresh_bindings()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        assert self.application_id is not None
        # What the header, the actions and the decision need first (a few queries); the
        # unified file, the lists and the audit trail after the first frame.
        view = case_file(self._store, self._actor, self.application_id, brief=True)
        self.post_message(self.Loaded(view, complete=False))

    @work(thread=True, exclusive=True, group="case-rest", exit_on_error=False)
    def _load_rest(self, application_id: str) -> None:
        view = case_file(self._store, self._actor, application_id)
        if application_id == self.application_id:
            self.post_message(self.Loaded(view, complete=True))

    def on_case_panel_loaded(self, message: Loaded) -> None:
        message.stop()
        view, old = message.view, self.view
        if message.view.summary.application_id != self.application_id:
            return
        if not message.complete and old is not None and old.form is not None:
            # The same case read again after an action: keep its lists until the rest comes.
            view = replace(
                view,
                form=old.form,
                documents=old.documents,
                visits=old.visits,
                objections=old.objections,
                payments=old.payments,
                complaints=old.complaints,
            )
        self.view = view
        self.actions = case_actions.available_actions(self._actor, view)
        self._drawn.clear()
        self._render_summary()
        self._render_section(self._current_section())
        self.screen.refresh_bindings()
        if not self.loaded:
            self.post_message(self.Ready())
        self.loaded = True
        if not message.complete:
            # Once this is on screen: read beside the frame, the rest would hold it back.
            case_id = view.summary.application_id
            self.set_timer(REST_AFTER, lambda: self._load_rest(case_id))

    @on(Worker.StateChanged)
    def _failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        text = (
            error.message(self._lang)
            if isinstance(error, DomainError)
            else t("error.unexpected", self._lang)
        )
        self.notify(visual(text), severity="error", markup=False)
        self.loaded = True
        if self.view is None:
            self.post_message(self.Closed())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the actions this user may take now are in the footer, or run."""
        if action == "act":
            return bool(parameters) and parameters[0] in self.actions
        if action == "file_objection":
            return self._may_file() and self.view is not None and self.view.decision is not None
        if action == "file_complaint":
            return (
                self._may_file()
                and self._current_section() == "payments"
                and self.view is not None
                and bool(self.view.payments)
            )
        return True

    # ---- sections ------------------------------------------------------------------
    def action_section(self, index: int) -> None:
        """Show the ``index``-th section."""
        self.query_one("#case-sections", OptionList).highlighted = index

    def _current_section(self) -> str:
        current = self.query_one("#case-pages", ContentSwitcher).current or "page-file"
        return current.removeprefix("page-")

    @on(OptionList.OptionHighlighted, "#case-sections")
    def _section_shown(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        section = str(event.option_id)
        self.query_one("#case-pages", ContentSwitcher).current = f"page-{section}"
        if self.view is not None:
            self._render_section(section)
        self.screen.refresh_bindings()  # a payment's complaint key is offered on its page

    @on(OptionList.OptionSelected, "#case-sections")
    def _section_entered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        page = self.query_one(f"#page-{event.option_id}")
        page.focus()

    @on(LineTable.RowSelected, "#page-documents")
    def _open_document(self, event: LineTable.RowSelected) -> None:
        """Enter on a document: open its stored copy with the system's viewer."""
        event.stop()
        if self.view is None:
            return
        doc = next(d for d in self.view.documents if d.id == event.row_key)
        open_document(self, self._store, doc, self._lang)

    @on(LineTable.RowSelected, "#page-objections")
    def _open_objection(self, event: LineTable.RowSelected) -> None:
        """Enter on an objection: its review (the outcome, arrears and notification once
        decided; read only for a reader who does not decide objections)."""
        event.stop()
        self.app.push_screen(
            ObjectionReviewScreen(self._store, self._actor, str(event.row_key), today=self.today),
            lambda _done: self._reload(),
        )

    @on(LineTable.RowSelected, "#page-complaints")
    def _open_complaint(self, event: LineTable.RowSelected) -> None:
        event.stop()
        self.app.push_screen(
            ComplaintReviewScreen(self._store, self._actor, str(event.row_key), today=self.today),
            lambda _done: self._reload(),
        )

    def _reload(self) -> None:
        self.loaded = False
        self._load()

    @on(LineTable.RowSelected, "#page-payments")
    def _payment_entered(self, event: LineTable.RowSelected) -> None:
        """Enter on a payment: a financial complaint about it, for those who may file."""
        event.stop()
        if self.check_action("file_complaint", ()):
            self.action_file_complaint()

    def action_back(self) -> None:
        self.post_message(self.Closed())

    # ---- objections and complaints -----------------------------------------------------
    def _may_file(self) -> bool:
        """Whether this user may file on this case's behalf (a clerk or a supervisor of
        its branch; never on a draft)."""
        if self.view is None:
            return False
        summary = self.view.summary
        return summary.status is not ApplicationStatus.DRAFT and can(
            self._actor, Permission.FILE_OBJECTION, summary.branch_id
        )

    def _filing_case(self) -> FilingCase:
        assert self.view is not None
        s = self.view.summary
        return FilingCase(s.application_id, s.request_number, s.head_name)

    def action_file_objection(self) -> None:
        """An objection to one of the household's decisions, in the filing dialog."""
        if not self.check_action("file_objection", ()):
            return
        dialog = FilingDialog(
            self._store, self._actor, self._filing_case(), self._lang, today=self.today
        )
        self.app.push_screen(dialog, self._filed("objection"))

    def action_file_complaint(self) -> None:
        """A financial complaint about the payment highlighted in the payments section."""
        if not self.check_action("file_complaint", ()) or self.view is None:
            return
        table = self.query_one("#page-payments", LineTable)
        if table.row_count == 0:
            self.app.bell()
            return
        key = table.row_keys[table.cursor_row]
        payment = next(p for p in self.view.payments if p.id == key)
        if payment.open_complaint:
            self.notify(visual(t("filing.complaint_open", self._lang)), markup=False)
            return
        dialog = FilingDialog(
            self._store, self._actor, self._filing_case(), self._lang, payment=payment
        )
        self.app.push_screen(dialog, self._filed("complaint"))

    def _filed(self, kind: str) -> Callable[[str | None], None]:
        def done(reference: str | None) -> None:
            if reference is None:
                return
            text = t(f"filing.filed_{kind}", self._lang, reference=reference)
            self.notify(visual(text), markup=False)
            # Read the case again, on the section that lists what was filed.
            section = "objections" if kind == "objection" else "complaints"
            self.action_section(SECTIONS.index(section))
            self.loaded = False
            self._load()

        return done

    # ---- actions -------------------------------------------------------------------
    def action_act(self, action: str) -> None:
        """Ask for what ``action`` needs, then carry it out."""
        if self.view is None or action not in self.actions:
            return
        form = self._form(action)
        self.app.push_screen(
            CaseActionDialog(form, self._lang, self._carrier(action)), self._acted(action)
        )

    def _form(self, action: str) -> ActionForm:
        assert self.view is not None
        summary = self.view.summary
        lang = self._lang
        if action == "assign":
            people = branch_staff(self._store, self._actor, summary.branch_id, _DESK)
            return ActionForm(
                action,
                people=[(u.id, f"{u.full_name} — {enum_label(u.role, lang)}") for u in people],
                current_person=summary.assignee_id,
            )
        if action == "schedule_visit":
            officers = branch_staff(
                self._store, self._actor, summary.branch_id, [Role.FIELD_OFFICER]
            )
            return ActionForm(
                action,
                people=[(u.id, u.full_name) for u in officers],
                needs_day=True,
                default_day=date.today() + timedelta(days=1),
            )
        if action == "reject":
            assert self.application_id is not None
            choices = case_actions.rejection_reasons(self._store, self._actor, self.application_id)
            rules = [(c.rule_code, c.message_ar if lang == "ar" else c.message_en) for c in choices]
            return ActionForm(action, rules=rules, text="optional")
        if action in ("preliminary_approve", "final_approve"):
            return ActionForm(action, text="optional")
        if action == "documents_received":
            return ActionForm(action)
        return ActionForm(action, text="required")

    def _carrier(self, action: str) -> Callable[[ActionInput], object]:
        assert self.view is not None
        assert self.application_id is not None
        store, actor, app_id = self._store, self._actor, self.application_id
        version = self.view.summary.row_version

        def carry(given: ActionInput) -> object:
            request = case_actions.ActionRequest(
                person_id=given.person_id or "",
                day=given.day,
                rule_codes=given.rule_codes,
                reason=given.text,
            )
            return case_actions.take_action(
                store, actor, app_id, action, request, expected_version=version
            )

        return carry

    def _acted(self, action: str) -> Callable[[bool | None], None]:
        def done(carried_out: bool | None) -> None:
            if carried_out:
                self.notify(visual(t(f"action.done.{action}", self._lang)), markup=False)
                self.loaded = False
                self._load()

        return done

    # ---- drawing -------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        localize_bindings(self, lang)
        sections = self.query_one("#case-sections", OptionList)
        for index, section in enumerate(SECTIONS):
            label = f"{index + 1}  {t(f'case.section.{section}', lang)}"
            sections.replace_option_prompt_at_index(index, rtext(label, lang))
        if self.view is not None:
            self._render_all()

    def _render_all(self) -> None:
        """Draw the header and the section shown; the others when they are shown."""
        self._drawn.clear()
        self._render_summary()
        self._render_section(self._current_section())

    def _render_section(self, section: str) -> None:
        if self.view is None or section in self._drawn:
            return
        lang = self._lang
        if section == "file":
            form = self.view.form
            if form is None:
                text = t("case.loading_file", lang)  # drawn again when the file comes
            else:
                self._drawn.add(section)
                text = "\n".join(read_back(form, lang, date.today()))
            self.query_one("#file-text", Label).update(rtext_wrapped(text, lang, WRAP))
            return
        self._drawn.add(section)
        if section == "decision":
            self.query_one("#decision-text", Label).update(
                rtext_wrapped("\n".join(self._decision_lines()), lang, WRAP)
            )
            return
        headers, rows = self._table(section)
        fill_table(self.query_one(f"#page-{section}", LineTable), headers, rows, lang)

    def _render_summary(self) -> None:
        assert self.view is not None
        s = self.view.summary
        lang = self._lang
        title = " · ".join(
            (
                s.head_name,
                s.national_id,
                s.request_number,
                t("case.file_no", lang, no=s.file_number),
            )
        )
        self.query_one("#case-title", Label).update(rtext(title, lang, "bold"))
        parts = [enum_label(s.status, lang)]
        style = None
        if s.clock == "paused":
            parts.append(t("queue.clock_paused", lang))
        elif s.days_left is not None and s.clock in ("ok", "due_soon", "overdue"):
            if s.days_left < 0:
                parts.append(t("case.overdue", lang, days=-s.days_left))
                style = "bold red"
            else:
                parts.append(t("case.days_left", lang, days=s.days_left))
                style = "dark_orange" if s.clock == "due_soon" else None
        parts.append(t("case.assignee", lang, name=s.assignee_name or "—"))
        if s.entitlement is not None:
            amount = format_money(s.entitlement.entitlement_halalas, lang)
            key = "case.entitled" if s.entitlement.eligible else "case.not_entitled"
            parts.append(t(key, lang, amount=amount))
        self.query_one("#case-state", Label).update(rtext(" · ".join(parts), lang, style))

    def _decision_lines(self) -> list[str]:
        assert self.view is not None
        d = self.view.decision
        if d is None:
            return [t("case.no_decision", self._lang)]
        return decision_lines(d, self._lang)

    def _table(self, section: str) -> tuple[list[tuple[str, str]], list[tuple[str, list[str]]]]:
        assert self.view is not None
        v, lang = self.view, self._lang

        def head(*keys: str) -> list[tuple[str, str]]:
            return [(k, t(f"case.column.{k}", lang)) for k in keys]

        def when(moment: Any) -> str:
            return format_local_time(moment) if moment else "—"

        timeline = [
            (
                f"{n}",
                [
                    when(e.at),
                    e.actor_name or "—",
                    t(f"case.event.{e.action}", lang) if e.kind == "status" else _audit(e, lang),
                    e.reason,
                ],
            )
            for n, e in enumerate(v.timeline)
        ]
        documents = [
            (
                d.id,
                [
                    enum_label(d.doc_type, lang),
                    d.file_name,
                    f"{d.size_bytes:,}",
                    when(d.received_at),
                ],
            )
            for d in v.documents
        ]
        visits = [
            (
                x.id,
                [
                    x.scheduled_for.isoformat(),
                    enum_label(x.status, lang),
                    x.officer_name or "—",
                    x.recommendation,
                ],
            )
            for x in v.visits
        ]
        objections = [
            (
                o.id,
                [
                    when(o.filed_at),
                    enum_label(o.kind, lang),
                    enum_label(o.status, lang),
                    o.reason_text,
                ],
            )
            for o in v.objections
        ]
        payments = [
            (
                p.id,
                [
                    p.cycle_month,
                    format_money(p.amount_halalas, lang),
                    enum_label(p.status, lang),
                    " · ".join(
                        note
                        for note in (
                            p.held_reason,
                            t("filing.payment_disputed", lang) if p.open_complaint else "",
                        )
                        if note
                    ),
                ],
            )
            for p in v.payments
        ]
        complaints = [
            (
                c.id,
                [when(c.filed_at), c.cycle_month or "—", enum_label(c.status, lang), c.reason_text],
            )
            for c in v.complaints
        ]
        tables = {
            "timeline": (head("when", "who", "what", "reason"), timeline),
            "documents": (head("doc_type", "file_name", "size", "received"), documents),
            "visits": (head("day", "status", "officer", "recommendation"), visits),
            "objections": (head("filed", "kind", "status", "reason"), objections),
            "payments": (head("cycle", "amount", "status", "note"), payments),
            "complaints": (head("filed", "cycle", "status", "reason"), complaints),
        }
        return tables[section]


class CaseFileScreen(Screen[None]):
    """A case opened from anywhere but the queue (the palette on the home screen)."""

    AUTO_FOCUS = "#case-sections"

    def __init__(self, store: Store, actor: Actor, application_id: str) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._application_id = application_id

    @property
    def panel(self) -> CasePanel:
        return self.query_one(CasePanel)

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        yield CasePanel(self._store, self._actor, self._application_id)
        yield DamanFooter()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._set_lang)

    def _set_lang(self, lang: str) -> None:
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("case.title", lang)

    def on_case_panel_closed(self, message: CasePanel.Closed) -> None:
        message.stop()
        self.app.pop_screen()
