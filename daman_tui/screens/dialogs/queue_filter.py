"""The queue's filters: statuses, the 20-day clock, kinds, branches, mine, a date range.

Lists are ticked with Space; the dates take either calendar, as every date field does.
Enter on a date or Ctrl+S applies; Escape leaves the filters as they were. A date that
cannot be read is said under its field and nothing is applied — nothing ticked is lost.
"""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Label, SelectionList

from daman_tui.domain.dates import parse_date
from daman_tui.domain.enums import ApplicationStatus
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.screens.dialogs.filter_base import FilterDialog
from daman_tui.services.branches import list_branches
from daman_tui.services.queue import QUEUE_KINDS, SLA_STATES, QueueFilter
from daman_tui.services.store import Store
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import localize_bindings, rtext
from daman_tui.widgets.bidi_input import BidiInput

__all__ = ["QueueFilterDialog"]


class QueueFilterDialog(FilterDialog[QueueFilter]):
    """Returns the new filter, or None when cancelled."""

    DEFAULT_CSS = """
    QueueFilterDialog { align: center middle; background: $background 60%; }
    QueueFilterDialog > Vertical {
        width: 90; height: auto; max-height: 38; background: $surface;
        border: tall $primary; padding: 0 1;
    }
    QueueFilterDialog VerticalScroll { height: auto; max-height: 30; }
    QueueFilterDialog SelectionList { height: auto; max-height: 11; border: none; }
    QueueFilterDialog .filter-row { height: auto; }
    QueueFilterDialog .filter-row > * { width: 1fr; }
    QueueFilterDialog BidiInput { width: 1fr; }
    QueueFilterDialog .error { color: $error; height: auto; }
    QueueFilterDialog #filter-buttons { height: 3; align: center middle; }
    """

    def __init__(self, store: Store, actor: Actor, current: QueueFilter, lang: str) -> None:
        super().__init__()
        self._store = store
        self._actor = actor
        self._current = current
        self._lang = lang

    def _options(self, values: list[tuple[str, str]], chosen: frozenset[str]) -> SelectionList[str]:
        return SelectionList[str](
            *((rtext(label, self._lang), value, value in chosen) for value, label in values)
        )

    def compose(self) -> ComposeResult:
        lang = self._lang
        f = self._current
        statuses = [(s.value, enum_label(s, lang)) for s in ApplicationStatus]
        clocks = [(s, t(f"queue.sla.{s}", lang)) for s in SLA_STATES]
        kinds = [(k, t(f"queue.kind.{k}", lang)) for k in QUEUE_KINDS]
        with Vertical():
            yield Label(rtext(t("queue.filters_title", lang), lang, "bold"))
            with VerticalScroll():
                with Horizontal(classes="filter-row"):
                    with Vertical():
                        yield Label(rtext(t("queue.filter.status", lang), lang, "bold"))
                        status = self._options(statuses, f.statuses)
                        status.id = "filter-status"
                        yield status
                    with Vertical():
                        yield Label(rtext(t("queue.filter.sla", lang), lang, "bold"))
                        sla = self._options(clocks, f.sla)
                        sla.id = "filter-sla"
                        yield sla
                        yield Label(rtext(t("queue.filter.kind", lang), lang, "bold"))
                        kind = self._options(kinds, f.kinds)
                        kind.id = "filter-kind"
                        yield kind
                if can(self._actor, Permission.ALL_BRANCHES):
                    branches = [
                        (b.code, f"{b.code} {b.name_ar if lang == 'ar' else b.name_en}")
                        for b in list_branches(self._store)
                    ]
                    yield Label(rtext(t("queue.filter.branch", lang), lang, "bold"))
                    branch = self._options(branches, f.branches)
                    branch.id = "filter-branch"
                    yield branch
                yield Checkbox(rtext(t("queue.filter.mine", lang), lang), f.mine, id="filter-mine")
                with Horizontal(classes="filter-row"):
                    with Vertical():
                        yield Label(rtext(t("queue.filter.from", lang), lang, "bold"))
                        yield BidiInput(
                            f.submitted_from.isoformat() if f.submitted_from else "",
                            id="filter-from",
                            direction="ltr",
                            placeholder=t("queue.filter.date_hint", lang),
                        )
                        yield Label(id="filter-from-error", classes="error")
                    with Vertical():
                        yield Label(rtext(t("queue.filter.to", lang), lang, "bold"))
                        yield BidiInput(
                            f.submitted_to.isoformat() if f.submitted_to else "",
                            id="filter-to",
                            direction="ltr",
                            placeholder=t("queue.filter.date_hint", lang),
                        )
                        yield Label(id="filter-to-error", classes="error")
            yield from self.buttons(lang)

    def on_mount(self) -> None:
        localize_bindings(self, self._lang)
        self.query_one("#filter-status").focus()

    def _chosen(self, list_id: str) -> frozenset[str]:
        found = self.query(f"#{list_id}")
        if not found:
            return frozenset()
        widget = found.first(SelectionList)
        return frozenset(str(v) for v in widget.selected)

    def _day(self, field_id: str) -> tuple[date | None, bool]:
        value = self.query_one(f"#{field_id}", BidiInput).value
        error = self.query_one(f"#{field_id}-error", Label)
        if not value.strip():
            error.update("")
            return None, True
        try:
            day = parse_date(value).gregorian
        except ValidationError as exc:
            error.update(rtext(exc.message(self._lang), self._lang))
            return None, False
        error.update("")
        return day, True

    def build(self) -> QueueFilter | None:
        """The filter as ticked and typed, or None (with the reasons shown) if a date
        cannot be read or the range runs backwards."""
        start, ok_start = self._day("filter-from")
        end, ok_end = self._day("filter-to")
        if not (ok_start and ok_end):
            return None
        if start and end and end < start:
            self.query_one("#filter-to-error", Label).update(
                rtext(t("queue.filter.backwards", self._lang), self._lang)
            )
            return None
        return QueueFilter(
            statuses=self._chosen("filter-status"),
            sla=self._chosen("filter-sla"),
            kinds=self._chosen("filter-kind"),
            branches=self._chosen("filter-branch"),
            mine=self.query_one("#filter-mine", Checkbox).value,
            submitted_from=start,
            submitted_to=end,
        )

    def cleared(self) -> QueueFilter:
        return QueueFilter()

    @on(BidiInput.Submitted)
    def _date_entered(self, event: BidiInput.Submitted) -> None:
        event.stop()
        self.action_apply()
