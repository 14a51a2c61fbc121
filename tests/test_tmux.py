"""The real app in a real terminal (tmux on a private socket): type Arabic, read the screen.

Pilot tests drive Textual headless; this one goes through a terminal emulator, so what
is checked is what a clerk would actually see.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from daman_tui.db.models import Application, Document, Household, HouseholdMember, Person
from daman_tui.domain.enums import ApplicationStatus, DocumentType, IdentityCheck, MemberKind
from daman_tui.domain.national_id import make_national_id
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from daman_tui.text.catalog import enum_label, t
from daman_tui.text.display import visual
from daman_tui.text.layout import layout_line
from tests.intake_family import IBAN

pytestmark = pytest.mark.tmux

TYPED = "محمد 123"


def _tmux(socket: str, *args: str) -> str:
    out = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True)
    return out.stdout


def _wait_for(socket: str, needle: str, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(socket, "capture-pane", "-p")
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


@pytest.fixture
def tmux_app(tmp_path: Path) -> Iterator[str]:
    assert shutil.which("tmux"), "tmux is installed by scripts/test"
    env = {**os.environ, "DAMAN_CONFIG": str(tmp_path / "config.toml"), "DAMAN_BIDI": "app"}
    db = tmp_path / "demo.db"
    subprocess.run(
        [sys.executable, "-m", "daman_tui", "--db", str(db), "demo", "--cases", "20", "--no-tui"],
        check=True, capture_output=True, env=env,
    )  # fmt: skip
    socket = f"daman-test-{os.getpid()}"
    command = f"{sys.executable} -m daman_tui --db {db} demo --login"
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
         "-e", f"DAMAN_CONFIG={env['DAMAN_CONFIG']}", "-e", "DAMAN_BIDI=app", command],
        check=True, env=env,
    )  # fmt: skip
    try:
        yield socket
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)


def test_arabic_typed_in_a_real_terminal_reads_right(tmux_app: str) -> None:
    socket = tmux_app
    _wait_for(socket, visual(t("login.title", "ar")))
    _tmux(socket, "send-keys", "-l", TYPED)
    # The user-name field is left-to-right: the Arabic run is shaped and reversed inside it.
    drawn = layout_line(TYPED, "L").visual
    screen = _wait_for(socket, drawn)
    assert "ﻣ" in drawn and "ﺪ" in drawn  # joined letters (presentation forms), not isolated
    assert TYPED not in screen  # the logical string is never what the terminal shows
    _tmux(socket, "send-keys", "Enter")
    _tmux(socket, "send-keys", "-l", "wrong-password")
    _tmux(socket, "send-keys", "Enter")
    screen = _wait_for(socket, visual("اسم المستخدم أو كلمة المرور غير صحيحة."))
    assert drawn in screen  # the typed name is kept after a refusal
    _tmux(socket, "send-keys", "C-q")


# ---- one walk-in application, from the home menu to the receipt -----------------------------

PICKER = "▊ " + "─" * 20
"""The rule under a choice picker's filter: on screen while a picker is open."""

SCAN = b"%PDF-1.4\n% counter scan\n%%EOF\n"


def _line(screen: str, index: int) -> str:
    """Line ``index`` of ``screen`` (1: the title under the header; -1: the footer)."""
    lines = screen.splitlines()
    return lines[index] if -len(lines) <= index < len(lines) else ""


class _Terminal:
    """The app in a tmux pane: keys in, the screen out, waits on what the screen shows."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def keys(self, *keys: str) -> None:
        _tmux(self.socket, "send-keys", *keys)

    def type(self, text: str) -> None:
        """Type ``text`` key by key (one key event per character)."""
        _tmux(self.socket, "send-keys", "-l", text)

    def paste(self, text: str) -> None:
        """Paste ``text`` as a terminal does (bracketed paste)."""
        _tmux(self.socket, "set-buffer", "-b", "daman-test", text)
        _tmux(self.socket, "paste-buffer", "-p", "-d", "-b", "daman-test")

    def screen(self) -> str:
        return _tmux(self.socket, "capture-pane", "-p")

    def until(self, ok: Callable[[str], bool], what: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        polls = 0
        while time.monotonic() < deadline:
            screen = self.screen()
            if ok(screen):
                return screen
            polls += 1
            if polls % 20 == 0 and self.exited():
                break
            time.sleep(0.05)
        if self.exited():
            # The app is gone: all it printed, its traceback with it.
            screen = _tmux(self.socket, "capture-pane", "-p", "-S", "-")
            raise AssertionError(f"the app exited while waiting for {what}:\n{screen}")
        raise AssertionError(f"never on screen: {what}; the screen was:\n{screen}")

    def exited(self) -> bool:
        """Whether the app's process has ended (the pane stays, to be read)."""
        return _tmux(self.socket, "display-message", "-p", "#{pane_dead}").strip() == "1"

    def shows(self, logical: str, timeout: float = 20.0) -> str:
        """Wait for ``logical`` text, drawn as the app draws it (shaped, reordered)."""
        drawn = visual(logical)
        return self.until(lambda s: drawn in s, repr(logical), timeout)

    # -- the wizard's widgets, as a clerk reads them ------------------------------------------

    def choose(self, query: str, label: str) -> None:
        """Enter opens the focused choice field's list; ``query`` filters it; Enter takes the
        first match, and the field shows ``label``."""
        self.keys("Enter")
        self.until(lambda s: PICKER in s, f"the list to choose {label!r}")
        self.type(query)
        self.keys("Enter")
        drawn = visual(label)
        self.until(lambda s: PICKER not in s and drawn in s, f"{label!r} chosen")

    def field_shows(self, key: str, label: str) -> str:
        """Wait until the field of question ``key`` (its label above it) shows ``label``."""
        question, drawn = visual(t(f"field.{key}", "ar")), visual(label)

        def ok(screen: str) -> bool:
            lines = screen.splitlines()
            for index, line in enumerate(lines):
                if question in line:
                    box = [x for x in lines[index + 1 : index + 4] if "▊ " in x and "▔" not in x]
                    return bool(box) and drawn in box[0]
            return False

        return self.until(ok, f"{key} answered {label!r}")

    def off_the_list(self) -> None:
        """Wait until the focus has left a list (its A-for-add key gone from the footer)."""
        self.until(lambda s: "a" not in _line(s, -1).split(), "the focus off the list")

    def step(self, number: int) -> None:
        """F8, and wait for step ``number``."""
        self.keys("F8")
        self.shows(f"الخطوة {number} من 10")

    def step_complete(self) -> None:
        """Wait until the step's title says it is complete: every key typed for it is in."""
        drawn = visual(f"({t('intake.state.complete', 'ar')})")
        self.until(lambda s: drawn in _line(s, 1), "the step complete")

    def page(self, number: int) -> None:
        """F8 on a dependent's file, and wait for page ``number`` of 5."""
        self.keys("F8")
        self.until(lambda s: f"{number}/5" in _line(s, 1), f"page {number}/5")


def _free_national_ids(db: Path, count: int) -> list[str]:
    """National IDs that nobody in the store has (the demo data draws its own at random)."""
    store = Store.open(Settings(db=db), migrate=False)
    try:
        with store.read() as session:
            taken = set(session.exec(select(Person.national_id)).all())
    finally:
        store.close()
    candidates = (make_national_id("citizen", f"{90_000_000 + n:08d}") for n in range(1000))
    free = [nid for nid in candidates if nid not in taken][:count]
    assert len(free) == count
    return free


def test_a_walk_in_application_typed_in_a_real_terminal(tmp_path: Path) -> None:
    """Home menu → national ID → every step of the unified file, a ward with their deed,
    the documents from a scan on disk, the declaration, F10, and the receipt read back."""
    assert shutil.which("tmux"), "tmux is installed by scripts/test"
    db = tmp_path / "demo.db"
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(SCAN)
    config = tmp_path / "config.toml"  # not there: no developer's settings leak in
    env = {**os.environ, "DAMAN_CONFIG": str(config), "DAMAN_BIDI": "app"}
    socket = f"daman-intake-{os.getpid()}-{time.monotonic_ns()}"
    command = shlex.join(
        [sys.executable, "-m", "daman_tui", "--db", str(db), "demo", "--cases", "50"]
    )
    subprocess.run(
        ["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
         "-e", f"DAMAN_CONFIG={config}", "-e", "DAMAN_BIDI=app", "-e", f"HOME={tmp_path}",
         command, ";", "set-option", "-g", "remain-on-exit", "on"],
        check=True, env=env,
    )  # fmt: skip
    term = _Terminal(socket)
    try:
        # The demo store is built, the clerk signed in: the home menu.
        term.shows(t("home.menu.new_application", "ar"), timeout=90)
        head_id, ward_id = _free_national_ids(db, 2)

        # Start: the national ID, typed; nobody known; how the identity was checked.
        term.keys("Enter")
        term.shows(t("intake.id_label", "ar"))
        term.type(head_id)
        term.keys("Enter")
        term.shows(t("intake.new_person", "ar"))
        term.choose("الهوية", enum_label(IdentityCheck.ID_CARD, "ar"))
        term.keys("Enter")  # the start button has the focus once the check is chosen
        term.shows("الخطوة 1 من 10")

        # 1: personal data. The birth date (Hijri) and the Arabic name typed key by key.
        term.type("1400-03-15")
        term.keys("Tab")
        for name in ("محمد", "عبدالله", "سعد", "القحطاني"):
            term.type(name)
            term.keys("Tab")
        for name in ("محمد", "عبدالله", "سعد", "القحطاني"):
            screen = term.shows(name)  # drawn joined and right to left: never as typed
            assert name not in screen
        term.keys("Left", "Tab", "Tab", "Tab")  # male (the first option); Saudi, alive as given
        term.choose("متزوج", "متزوج")
        # Yes/no questions answered "no" with one Right: in Arabic the list runs right to
        # left, so Right from nothing takes the last option, without passing "yes" (which
        # would show the questions that only "yes" asks, for a moment).
        term.keys("Tab", "Right", "Tab")  # no special needs
        term.keys("Right", "Tab")  # not a beneficiary already
        term.type("0551234567")
        term.keys("Tab", "Tab")  # no e-mail
        term.type(IBAN)
        term.keys("Tab")
        term.type(IBAN)  # typed again, as the form asks
        term.step_complete()
        term.step(2)

        # 2: the national address and housing.
        term.choose("رياض", "الرياض")
        term.keys("Tab")
        term.choose("الرياض", "الرياض")
        term.keys("Tab")
        for value in ("النسيم", "شارع الأمير سعود", "1234", "12345", "5678"):
            term.type(value)
            term.keys("Tab")
        term.keys("Tab", "Tab")  # no unit number, no PO box
        term.choose("إيجار", "إيجار")
        term.step_complete()
        term.step(3)

        # 3: one income line (A on the list, Ctrl+S keeps it); no commercial zakat.
        term.keys("a")
        term.shows(t("group.entry_title", "ar", group=t("group.income_lines", "ar")))
        term.choose("الراتب", "الراتب")
        term.keys("Tab")
        term.type("شركة النخيل")
        term.keys("Tab")
        term.type("1500")
        term.until(lambda s: "1,500.00" in s, "the amount read back")
        term.keys("C-s")
        term.until(
            lambda s: visual(t("group.entry_keys", "ar")) not in s and visual("شركة النخيل") in s,
            "the income line in the list",
        )
        term.keys("Tab", "Tab")
        term.off_the_list()
        term.keys("Right")
        term.step_complete()
        term.step(4)

        # 4: education: secondary, not studying, no scholarship; joins training.
        term.choose("ثانوي", "ثانوي")
        term.keys("Tab", "Left", "Tab", "Right", "Tab", "Tab", "Left")
        term.step_complete()
        term.step(5)

        # 5: no workers. 6: no licences, every permit no. 7: no assets.
        term.keys("Right")
        term.step_complete()
        term.step(6)
        term.keys("Tab")
        term.off_the_list()
        term.keys(*["Right", "Tab"] * 4, "Right")
        term.step_complete()
        term.step(7)
        term.step(8)

        # 8: a ward (their deed makes them a dependent), their file page by page.
        term.keys("a")
        term.until(lambda s: PICKER in s, "the kinds of dependent")
        term.type("موصى")
        term.keys("Enter")
        term.until(lambda s: "1/5" in _line(s, 1), "the ward's file")
        term.keys("Left", "Tab")  # guardianship deed
        for value in ("4400123", "2030-01-01", ward_id, "2012-01-20"):
            term.type(value)
            term.keys("Tab")
        for name in ("ريم", "محمد", "عبدالله", "القحطاني"):
            term.type(name)
            term.keys("Tab")
        term.keys("Right", "Tab", "Tab", "Tab", "Left", "Tab", "Right")
        term.field_shows("special_needs", "لا")  # female (the last), single, no special needs
        term.page(2)
        term.keys("Tab", "Tab")  # no income, no support
        term.off_the_list()
        term.keys("Right")
        term.field_shows("pays_commercial_zakat", "لا")
        term.page(3)
        term.keys("Left", "Tab", "Left", "Tab", "Right", "Tab", "Left")
        term.field_shows("meets_health_education", "نعم")  # no schooling yet, no scholarship
        term.page(4)
        term.keys("Tab")
        term.off_the_list()
        term.keys(*["Right", "Tab"] * 4, "Right")
        term.field_shows("estore", "لا")
        term.page(5)
        term.keys("Escape")
        ward_name = visual("ريم محمد القحطاني")
        term.until(lambda s: ward_name in s and "100%" in s, "the ward complete in the list")
        term.step_complete()
        term.step(9)

        # 9: every document asked for, from the scan on disk: its path typed into the file
        # picker once, then pasted.
        missing = 5  # the head's ID, family card, income proof, bank details, the ward's deed
        term.shows(t("documents.missing_count", "ar", count=missing))
        term.shows(enum_label(DocumentType.WARD_DEED, "ar"))
        picker_title = visual(t("picker.title", "ar"))
        while missing:
            term.keys("Enter")
            term.until(lambda s: picker_title in s, "the file picker")
            if missing == 5:
                term.type(str(scan))
            else:
                term.paste(str(scan))
            term.keys("Enter")
            missing -= 1
            summary = visual(
                t("documents.missing_count", "ar", count=missing)
                if missing
                else t("documents.all_received", "ar")
            )
            term.until(
                lambda s, summary=summary: picker_title not in s and summary in s,
                f"{missing} missing",
            )
            if missing:
                term.keys("Down")  # the next row of the checklist
        term.step(10)

        # 10: the declaration accepted, F10.
        yes = visual(t("answer.yes", "ar"))
        declaration = visual(t("review.declaration_label", "ar"))
        # The declaration's field has the focus on arrival, but the file read back above it
        # is not always scrolled to it: Tab to the submit button and back brings it in view.
        term.keys("Tab", "BTab")
        term.until(lambda s: declaration in s and "▊ ▾" in s, "the declaration's field")
        term.keys("Left")
        term.until(lambda s: any("▊ ▾" in x and yes in x for x in s.splitlines()), "yes")
        term.keys("F10")
        receipt = term.until(
            lambda s: visual(t("receipt_screen.title", "ar")) in s and "19911" in s, "the receipt"
        )
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False)

    store = Store.open(Settings(db=db), migrate=False)
    try:
        with store.read() as session:
            head = session.exec(select(Person).where(Person.national_id == head_id)).one()
            household = session.exec(
                select(Household).where(Household.head_person_id == head.id)
            ).one()
            application = session.exec(
                select(Application).where(Application.household_id == household.id)
            ).one()
            members = session.exec(
                select(HouseholdMember).where(HouseholdMember.household_id == household.id)
            ).all()
            documents = session.exec(
                select(Document).where(Document.application_id == application.id)
            ).all()
    finally:
        store.close()
    assert application.status == ApplicationStatus.SUBMITTED and application.submitted_at
    names = (head.first_name, head.father_name, head.grandfather_name, head.family_name)
    assert names == ("محمد", "عبدالله", "سعد", "القحطاني")
    assert head.birth_calendar == "hijri"
    ward = next(m for m in members if m.kind == MemberKind.WARD)
    assert ward.ward_deed_number == "4400123"
    assert len(documents) == 5
    # The receipt on screen: the request number, the unified number, the applicant.
    assert application.request_number in receipt
    assert "19911" in receipt
    assert visual("محمد عبدالله سعد القحطاني") in receipt
