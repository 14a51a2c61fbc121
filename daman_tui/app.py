"""The Textual application: screens, app-wide keys, the language toggle, the command palette.

Built only by :func:`make_app`, the one construction path for the CLI, the tests and the
snapshot apps.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.reactive import reactive
from textual.worker import Worker, WorkerState

from daman_tui.app_sync import (
    SYNC_EVERY,
    SyncLooked,
    SyncProgress,
    SyncProgressed,
    SyncRunner,
    SyncStatus,
)
from daman_tui.domain.errors import DomainError
from daman_tui.domain.permissions import Actor, Permission, can
from daman_tui.heap import QuietCollector
from daman_tui.paths import asset_path
from daman_tui.screens.home import HomeScreen
from daman_tui.screens.intake import ResumeScreen, StartScreen, WizardScreen
from daman_tui.screens.login import LoginScreen
from daman_tui.screens.palette import PaletteCommand, PaletteScreen
from daman_tui.screens.queue import QueueScreen
from daman_tui.services import intake
from daman_tui.services.store import Store
from daman_tui.text.catalog import LANGS, enum_label, other_lang, t
from daman_tui.text.display import (
    current_mode,
    localize_bindings,
    set_mode,
    visual,
    warm_up,
)
from daman_tui.text.terminal import resolve_mode

__all__ = ["DamanApp", "make_app"]

# Textual's default screen plus the first screen we push: sign-in or home.
_BASE_DEPTH = 2
COLLECT_EVERY = 0.5
"""Seconds between looks for a pause to collect garbage in (daman_tui/heap.py)."""


class DamanApp(App[None]):
    """Branch-office terminal of the Developed Social Security programme."""

    CSS_PATH = asset_path("styles", "app.tcss")
    # What the screen shows is visual text (shaped, reordered): selecting it with the
    # mouse and copying would put visual text on the clipboard. Inputs copy logical text.
    ALLOW_SELECT: ClassVar[bool] = False
    # Our own palette (screens/palette.py) types Arabic in a BidiInput; Textual's does not.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "toggle_lang", "language", id="daman.toggle_lang", priority=True),
        Binding("ctrl+p", "open_palette", "commands", id="daman.palette", priority=True),
    ]

    lang: reactive[str] = reactive("ar", init=False)
    """The interface language, "ar" or "en"; every screen watches it."""
    sync_status: reactive[SyncStatus | None] = reactive(None, init=False)
    """The sync loop as last looked at (None: signed out, or not read yet); the header's
    indicator and the sync screens watch it."""
    sync_progress: reactive[SyncProgress | None] = reactive(None, init=False)
    """How far the round under way has gone (None: no round under way)."""

    def __init__(
        self,
        store: Store,
        *,
        lang: str,
        actor: Actor | None,
        sync_every: float | None = SYNC_EVERY,
    ) -> None:
        super().__init__()
        self.store = store
        self.actor = actor
        self.set_reactive(DamanApp.lang, lang)
        self._collector = QuietCollector()
        self._sync_every = sync_every
        self.sync_runner: SyncRunner | None = None
        """The signed-in user's sync (None while signed out)."""

    def on_mount(self) -> None:
        warm_up()
        self._apply_lang(self.lang)
        # Above Textual's blank default screen, which stays at the bottom of the stack:
        # only pushed screens can be switched, so sign-in and sign-out swap this one.
        if self.actor is not None:
            self.push_screen(HomeScreen(self.store, self.actor))
            self._start_sync(self.actor)
            self._offer_drafts(self.actor)
        else:
            self.push_screen(LoginScreen(self.store))
        # Once the first screen is up: what start-up built is frozen with it.
        self.call_after_refresh(self._collector.start)
        self.set_interval(COLLECT_EVERY, self._collector.tick)

    def on_unmount(self) -> None:
        self._collector.stop()
        if self.sync_runner is not None:
            self.sync_runner.stop()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent):
            self._collector.touched()
        await super().on_event(event)

    def watch_lang(self, lang: str) -> None:
        self._apply_lang(lang)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header line, drawn through the display pipeline; mirrored in Arabic."""
        mode = current_mode()
        parts = [Content(visual(title, mode))]
        if sub_title:
            parts.append(Content(visual(sub_title, mode)).stylize("dim"))
        if self.lang == "ar":
            parts.reverse()
        return Content(" — ").join(parts) if len(parts) > 1 else parts[0]

    async def on_login_screen_signed_in(self, message: LoginScreen.SignedIn) -> None:
        self.actor = message.actor
        await self.switch_screen(HomeScreen(self.store, message.actor))
        self._start_sync(message.actor)
        self._offer_drafts(message.actor)

    # ---- sync (app_sync.py drives the loop; these publish what it found) -------------
    def _start_sync(self, actor: Actor) -> None:
        self._stop_sync()
        self.sync_runner = SyncRunner(
            self, self.store, actor, self.store.settings.central_url, every=self._sync_every
        )
        self.sync_runner.start()

    def _stop_sync(self) -> None:
        if self.sync_runner is not None:
            self.sync_runner.stop()
            self.sync_runner = None
        self.sync_status = None
        self.sync_progress = None

    def on_sync_looked(self, message: SyncLooked) -> None:
        # A runner stopped meanwhile (its user signed out) only closes its loop here.
        status = message.runner.looked(message)
        if message.runner is not self.sync_runner:
            return
        if status is not None:
            self.sync_status = status
        if message.ran:
            self.sync_progress = None

    def on_sync_progressed(self, message: SyncProgressed) -> None:
        if message.runner is self.sync_runner:
            self.sync_progress = message.progress

    @on(Worker.StateChanged)
    def _sync_failed(self, event: Worker.StateChanged) -> None:
        runner = self.sync_runner
        if event.state == WorkerState.ERROR and runner is not None and runner.owns(event.worker):
            status = runner.failed(event.worker)
            if status is not None:
                self.sync_status = status
            self.sync_progress = None

    def _may_enter(self, actor: Actor | None) -> bool:
        return actor is not None and can(actor, Permission.EDIT_APPLICATION, actor.branch_id)

    def _may_review(self, actor: Actor | None) -> bool:
        return actor is not None and can(actor, Permission.DECIDE_OBJECTION, actor.branch_id)

    def _may_resolve(self, actor: Actor | None) -> bool:
        return actor is not None and can(actor, Permission.RESOLVE_CONFLICTS, actor.branch_id)

    @work(thread=True, exclusive=True, group="drafts", exit_on_error=False)
    def _offer_drafts(self, actor: Actor, *, always: bool = False) -> None:
        """After signing in, offer to resume the clerk's unfinished drafts (a terminal
        closed mid-application comes back to the same step)."""
        if not self._may_enter(actor):
            return
        drafts = intake.my_drafts(self.store, actor)
        if drafts or always:
            self.call_from_thread(
                self.push_screen, ResumeScreen(drafts, self.lang), self._resume_chosen
            )

    def _resume_chosen(self, application_id: str | None) -> None:
        if application_id is not None:
            self.open_draft(application_id)

    @work(thread=True, exclusive=True, group="drafts", exit_on_error=False)
    def open_draft(self, application_id: str) -> None:
        """Open a saved draft in the wizard, at the step and field it was left on."""
        actor = self.actor
        if actor is None:
            return
        try:
            ref = intake.open_draft(self.store, actor, application_id)
        except DomainError as err:
            self.call_from_thread(
                self.notify, visual(err.message(self.lang)), severity="error", markup=False
            )
            return
        self.call_from_thread(self.push_screen, WizardScreen(self.store, actor, ref))

    def palette_commands(self) -> list[PaletteCommand]:
        """What the palette offers the current user."""
        commands: list[PaletteCommand] = []
        if self.actor is not None:
            commands += [
                PaletteCommand("command.home", self.action_go_home),
                PaletteCommand("command.cases", self.action_open_cases),
                PaletteCommand("command.sign_out", self.action_sign_out),
            ]
        if self._may_enter(self.actor):
            commands += [
                PaletteCommand("command.new_application", self.action_new_application),
                PaletteCommand("command.drafts", self.action_open_drafts),
            ]
        if self._may_review(self.actor):
            commands.append(PaletteCommand("review.panel.command", self.action_open_disputes))
        if self.actor is not None:
            commands.append(PaletteCommand("sync.command", self.action_open_sync))
        if self._may_resolve(self.actor):
            commands.append(PaletteCommand("sync.conflicts.command", self.action_open_conflicts))
        commands += [
            PaletteCommand("command.toggle_lang", self.action_toggle_lang),
            PaletteCommand("command.quit", self.action_quit),
        ]
        return commands

    async def action_open_palette(self) -> None:
        """Open the command palette (once: Ctrl+P inside it does nothing more)."""
        if not isinstance(self.screen, PaletteScreen):
            await self.push_screen(
                PaletteScreen(self.palette_commands(), self.lang, finder=self.cases_named)
            )

    def cases_named(self, text: str) -> list[PaletteCommand]:
        """Palette entries opening the cases ``text`` names (a request number or an ID)."""
        actor = self.actor
        if actor is None:
            return []
        from daman_tui.services.case_file import find_case

        def opener(application_id: str) -> PaletteCommand:
            ref = next(r for r in refs if r.application_id == application_id)
            label = t(
                "palette.open_case",
                self.lang,
                number=ref.request_number,
                name=ref.head_name,
                status=enum_label(ref.status, self.lang),
            )
            return PaletteCommand(
                "palette.open_case", lambda: self.action_open_case(application_id), label=label
            )

        refs = find_case(self.store, actor, text)
        return [opener(r.application_id) for r in refs]

    def action_toggle_lang(self) -> None:
        """Switch the interface between Arabic and English."""
        self.lang = other_lang(self.lang)

    async def action_go_home(self) -> None:
        """Back to the home screen, closing whatever is above it."""
        if self.actor is None:
            self.bell()
            return
        while len(self.screen_stack) > _BASE_DEPTH and not isinstance(self.screen, HomeScreen):
            await self.pop_screen()

    async def action_open_cases(self) -> None:
        """Open the case list (or stay on it)."""
        if self.actor is None:
            self.bell()
            return
        if not isinstance(self.screen, QueueScreen):
            await self.push_screen(QueueScreen(self.store, self.actor))

    async def action_open_disputes(self) -> None:
        """Open the review panel of objections and complaints (supervisors only)."""
        if self.actor is None or not self._may_review(self.actor):
            self.bell()
            self.notify(
                visual(t("review.panel.refused", self.lang)), severity="error", markup=False
            )
            return
        from daman_tui.screens.disputes import DisputesScreen

        if not isinstance(self.screen, DisputesScreen):
            await self.push_screen(DisputesScreen(self.store, self.actor))

    async def action_open_sync(self) -> None:
        """Open the sync screen (or stay on it)."""
        from daman_tui.screens.sync import SyncScreen

        if self.actor is None or self.sync_runner is None:
            self.bell()
            return
        if not isinstance(self.screen, SyncScreen):
            await self.push_screen(SyncScreen(self.sync_runner))

    async def action_open_conflicts(self) -> None:
        """Open the sync conflicts (supervisors only)."""
        from daman_tui.screens.conflicts import ConflictsScreen

        if self.actor is None or not self._may_resolve(self.actor):
            self.bell()
            self.notify(
                visual(t("sync.conflicts.refused", self.lang)), severity="error", markup=False
            )
            return
        if not isinstance(self.screen, ConflictsScreen):
            await self.push_screen(ConflictsScreen(self.store, self.actor))

    def action_open_case(self, application_id: str) -> None:
        """Open a case: a draft in the wizard, anything else in its case file."""
        if self.actor is None:
            self.bell()
            return
        from daman_tui.screens.case_file import open_case

        open_case(self, self.store, self.actor, application_id)

    def action_open_draft(self, application_id: str) -> None:
        """Open the draft ``application_id`` in the wizard."""
        self.open_draft(application_id)

    async def action_new_application(self) -> None:
        """Start the intake wizard: find the applicant by national ID."""
        if not self._may_enter(self.actor) or self.actor is None:
            self.bell()
            return
        await self.push_screen(StartScreen(self.store, self.actor))

    def action_open_drafts(self) -> None:
        """The unfinished drafts of the signed-in clerk."""
        if not self._may_enter(self.actor) or self.actor is None:
            self.bell()
            return
        self._offer_drafts(self.actor, always=True)

    async def action_sign_out(self) -> None:
        """Forget the user and return to the sign-in screen."""
        self.actor = None
        self._stop_sync()
        while len(self.screen_stack) > _BASE_DEPTH:
            await self.pop_screen()
        await self.switch_screen(LoginScreen(self.store))

    def _apply_lang(self, lang: str) -> None:
        self.title = t("app.title", lang)
        localize_bindings(self, lang)


def make_app(
    store: Store,
    *,
    lang: str | None = None,
    actor: Actor | None = None,
    sync_every: float | None = SYNC_EVERY,
) -> DamanApp:
    """The application on ``store``: signed in as ``actor`` if given (demo), else at sign-in.

    ``lang`` overrides the store's settings; the bidi mode and the sync service
    (``central_url``) come from the settings. ``sync_every`` is the seconds between the
    sync timer's looks; None runs no timer (rounds only on demand: tests, snapshots).
    """
    chosen = lang or store.settings.lang
    if chosen not in LANGS:
        raise ValueError(f"unknown interface language {chosen!r}; expected one of {LANGS}")
    set_mode(resolve_mode(store.settings.bidi))
    return DamanApp(store, lang=chosen, actor=actor, sync_every=sync_every)
