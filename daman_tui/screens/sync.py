"""The sync screen: the state of this terminal's sync, the server, the last round's report,
"sync now" with its progress, and the sign-in to sync.

Everything shown is the app's ``sync_status`` and ``sync_progress`` (daman_tui/app_sync.py);
the keys ask the :class:`~daman_tui.app_sync.SyncRunner`, which runs the loop in workers.
A failed round says why in the user's language; what was not sent stays pending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, ProgressBar

from daman_tui.app_sync import SyncProgress, SyncRunner, SyncStatus
from daman_tui.screens.dialogs.sync_sign_in import SyncSignInDialog
from daman_tui.sync.protocol import OutcomeKind
from daman_tui.text.catalog import error_text, t
from daman_tui.text.display import localize_bindings, rtext, rtext_wrapped, visual
from daman_tui.widgets.case_table import format_local_time
from daman_tui.widgets.footer import DamanFooter
from daman_tui.widgets.sync_indicator import DamanHeader, state_key

if TYPE_CHECKING:
    from daman_tui.sync.client import SyncReport

__all__ = ["SyncScreen", "report_lines"]

WRAP = 100
"""Cells a line of the report or of an error may take before it is wrapped."""


def report_lines(report: SyncReport | None, lang: str) -> list[str]:
    """The last round's report: what was pushed by outcome, rows pulled, how long."""
    if report is None:
        return [t("sync.report.none", lang)]
    outcomes = [
        t(f"sync.outcome.{kind.value}", lang, count=report.count(kind))
        for kind in OutcomeKind
        if report.count(kind)
    ]
    pushed = " · ".join(outcomes) if outcomes else t("sync.report.pushed_none", lang)
    lines = [
        t("sync.report.pushed", lang, outcomes=pushed),
        t("sync.report.pulled", lang, count=report.pulled),
        t("sync.report.seconds", lang, seconds=f"{report.seconds:.1f}"),
    ]
    if report.renewed_node:
        lines.append(t("sync.report.renewed", lang))
    return lines


class SyncScreen(Screen[None]):
    """This terminal's sync: F5 syncs now, I signs in to sync, C opens the conflicts."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "sync_now", "sync now", id="daman.sync.key.now"),
        Binding("i", "sign_in", "sign in", id="daman.sync.key.sign_in"),
        Binding("c", "conflicts", "conflicts", id="daman.sync.key.conflicts"),
        Binding("escape", "back", "back", id="daman.back"),
    ]

    def __init__(self, runner: SyncRunner) -> None:
        super().__init__()
        self._runner = runner
        self._lang = "ar"
        self._status: SyncStatus | None = None
        self._progress: SyncProgress | None = None

    def compose(self) -> ComposeResult:
        yield DamanHeader()
        with Vertical(id="sync-view"):
            yield Label(id="sync-title", classes="title")
            yield Label(id="sync-state")
            yield Label(id="sync-server")
            yield Label(id="sync-user")
            yield Label(id="sync-pending")
            yield Label(id="sync-conflicts")
            yield Label(id="sync-last")
            yield Label(id="sync-report-title", classes="section-title")
            yield Label(id="sync-report")
            yield Label(id="sync-stage", classes="section-title")
            yield ProgressBar(total=None, show_eta=False, id="sync-progress")
            yield Label(id="sync-error")
        yield DamanFooter()

    def on_mount(self) -> None:
        self.query_one("#sync-progress").display = False
        self.query_one("#sync-conflicts").display = self._runner.resolves_conflicts
        self.watch(self.app, "lang", self._set_lang)
        self.watch(self.app, "sync_status", self._status_changed)
        self.watch(self.app, "sync_progress", self._progress_changed)
        self._runner.refresh()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Signing in needs a server; the conflicts are for those who resolve them."""
        if action == "sign_in":
            return self._runner.server is not None
        if action == "conflicts":
            return self._runner.resolves_conflicts
        return True

    # ---- what the runner publishes -------------------------------------------------------
    def _status_changed(self, status: SyncStatus | None) -> None:
        self._status = status
        self._render_status()

    def _progress_changed(self, progress: SyncProgress | None) -> None:
        bar = self.query_one("#sync-progress", ProgressBar)
        if progress is not None:
            bar.display = True
            if progress.stage == "start":
                bar.update(total=None, progress=0)
            else:
                bar.update(total=max(progress.total, 1), progress=progress.done)
        elif self._progress is not None:
            # Done: full (the last stream may have had nothing to send), or gone after a
            # failure (what was sent stays sent; the rest waits for the next round).
            bar.update(total=1, progress=1)
            bar.display = self._succeeded()
        self._progress = progress
        self._render_stage()
        self._render_status()

    def _succeeded(self) -> bool:
        return self._status is not None and self._status.failure is None

    # ---- keys ------------------------------------------------------------------------
    def action_sync_now(self) -> None:
        """Sync now (after the round under way, if one is)."""
        self._runner.sync_now()

    def action_sign_in(self) -> None:
        """Ask the user's password and sign in to the sync service with it."""
        runner = self._runner
        runner.pause()
        who = f"{runner.actor.full_name} ({runner.actor.username})"

        def done(signed_in: object) -> None:
            runner.resume()
            runner.refresh()
            if signed_in:
                self.notify(visual(t("sync.sign_in.done", self._lang)), markup=False)

        self.app.push_screen(SyncSignInDialog(self._lang, who, runner.sign_in), done)

    async def action_conflicts(self) -> None:
        """The open conflicts (supervisors)."""
        await self.app.run_action("app.open_conflicts")

    def action_back(self) -> None:
        self.app.pop_screen()

    # ---- words -----------------------------------------------------------------------
    def _set_lang(self, lang: str) -> None:
        self._lang = lang
        self.set_class(lang == "ar", "rtl")
        self.set_class(lang != "ar", "ltr")
        self.sub_title = t("sync.title", lang)
        localize_bindings(self, lang)
        self._label("#sync-title", t("sync.heading", lang))
        self._label("#sync-report-title", t("sync.report.title", lang))
        self._render_status()
        self._render_stage()

    def _label(self, selector: str, text: str) -> None:
        self.query_one(selector, Label).update(rtext(text, self._lang))

    def _render_status(self) -> None:
        lang, status, runner = self._lang, self._status, self._runner
        server = runner.server or t("sync.screen.no_server", lang)
        self._label("#sync-server", t("sync.screen.server", lang, server=server))
        if status is None:
            self._label("#sync-state", t("sync.screen.state", lang, state="…"))
            return
        state = status.state
        word = t(f"sync.state.{state_key(status, self._progress is not None)}", lang)
        self._label("#sync-state", t("sync.screen.state", lang, state=word))
        signed = "signed_in" if state.signed_in else "signed_out"
        self._label(
            "#sync-user",
            t(f"sync.screen.user_{signed}", lang, name=runner.actor.full_name),
        )
        self._label("#sync-pending", t("sync.screen.pending", lang, count=state.pending))
        self._label("#sync-conflicts", t("sync.screen.conflicts", lang, count=state.conflicts))
        last = (
            format_local_time(state.last_sync) if state.last_sync else t("sync.screen.never", lang)
        )
        self._label("#sync-last", t("sync.screen.last_sync", lang, time=last))
        self.query_one("#sync-report", Label).update(
            rtext_wrapped("\n".join(report_lines(state.last_report, lang)), lang, WRAP)
        )
        failure = error_text(status.failure, lang) if status.failure is not None else ""
        self.query_one("#sync-error", Label).update(rtext_wrapped(failure, lang, WRAP))

    def _render_stage(self) -> None:
        progress, lang = self._progress, self._lang
        if progress is None:
            text = ""
        elif progress.stage == "start":
            text = t("sync.progress.start", lang)
        elif progress.stage == "push":
            text = t("sync.progress.push", lang, done=progress.done, total=progress.total)
        else:
            text = t("sync.progress.pull", lang, stream=progress.stage)
        self._label("#sync-stage", text)
