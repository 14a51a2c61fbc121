"""Deterministic data for the UI tests and the snapshot apps.

Rows are made through the services, like a clerk would make them; only what the services
stamp from the clock or the node (``last_change_at``, the request number with its date and
node tag) is then pinned with a direct UPDATE, so screens and snapshots never show today.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from daman_tui.app import DamanApp, make_app
from daman_tui.db.models import Application, NodeState, Person
from daman_tui.domain.enums import IdentityCheck, Role
from daman_tui.domain.ids import uuid7_from
from daman_tui.domain.intake.form import HEAD, DraftForm
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.screens.intake import WizardScreen
from daman_tui.services import intake, queue_index
from daman_tui.services.auth import authenticate, create_user
from daman_tui.services.branches import create_branch
from daman_tui.services.cases import (
    PersonInput,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.intake import DraftRef
from daman_tui.services.store import Store
from daman_tui.settings import Settings
from tests.intake_family import HEAD_GROUPS, HEAD_ID, fill
from tests.intake_family import dependents as family_dependents

# Four-part names: first, father, grandfather, family. عبدالله tests the ALLAH ligature
# staying off; the lam-alef in الأحمد and the harakat in مُحَمَّد test shaping.
NAMES: tuple[tuple[str, str, str, str], ...] = (
    ("محمد", "عبدالله", "سعد", "القحطاني"),
    ("فاطمة", "علي", "حسن", "الشهري"),
    ("عبدالرحمن", "خالد", "فهد", "العتيبي"),
    ("نورة", "سليمان", "ناصر", "الدوسري"),
    ("مُحَمَّد", "إبراهيم", "صالح", "الأحمد"),
)

BASE_TIME = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
"""The first seeded case's last change (09:00 in Riyadh); each later one a minute on."""


def national_id(index: int) -> str:
    """The valid citizen ID of the ``index``-th seeded head of household."""
    return make_national_id("citizen", f"{20000000 + index:08d}")


def full_name(index: int) -> str:
    """The name the ``index``-th seeded head of household is shown with."""
    return " ".join(NAMES[index % len(NAMES)])


def request_number(index: int) -> str:
    """The pinned request number of the ``index``-th seeded case."""
    return f"RYD01-250301-TST-{index + 1:05d}"


def seed_cases(store: Store, actor: Actor, count: int) -> list[str]:
    """``count`` cases in ``actor``'s branch; every other one submitted. Returns their ids.

    The last one seeded is the newest, so it heads every case list.
    """
    ids: list[str] = []
    for index in range(count):
        first, father, grandfather, family = NAMES[index % len(NAMES)]
        household = create_household(
            store,
            actor,
            PersonInput(
                national_id=national_id(index),
                first_name=first,
                father_name=father,
                grandfather_name=grandfather,
                family_name=family,
            ),
        )
        application = save_draft(store, actor, household.id)
        if index % 2 == 1:
            submit_application(store, actor, application.id, declaration_accepted=True)
        ids.append(application.id)
    _pin(store, ids)
    return ids


def _pin(store: Store, ids: list[str]) -> None:
    table = Application.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        for index, application_id in enumerate(ids):
            conn.execute(
                sa.update(table)
                .where(table.c.id == application_id)
                .values(
                    last_change_at=BASE_TIME + timedelta(minutes=index),
                    request_number=request_number(index),
                )
            )
        # Raw SQL bypasses the unit of work, as a bulk load does: rebuild the queue.
        queue_index.rebuild(conn)


def rename_head(store: Store, index: int, first_name: str) -> None:
    """Give the ``index``-th head a first name the validators would refuse (e.g. markup)."""
    table = Person.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.national_id == national_id(index))
            .values(first_name=first_name)
        )
        # Raw SQL bypasses the unit of work, as a bulk load does: rebuild the queue.
        queue_index.rebuild(conn)


def signed_in_app(store: Store, actor: Actor, *, lang: str = "ar") -> DamanApp:
    """The app started signed in as ``actor`` (demo mode)."""
    return make_app(store, lang=lang, actor=actor)


# ---- the intake wizard -----------------------------------------------------------------
# What varies in a wizard picture and how it is fixed here: the day (``INTAKE_TODAY``,
# handed to the wizard: ages, the preview's rule set, the decision due date), the node
# tag in the request and file numbers (pinned before anything is numbered), the day in
# the request number (pinned after the start, like ``_pin``), the ids of dependents and
# entries (fixed), the scans' names (fixed), and the submission time (``SUBMITTED_AT``,
# through :func:`fix_submission_clock`).
#
# Building a store costs a second (migrations, password hashes): the snapshot tests build
# each kind once and give every test its own copy (:func:`copy_store`).

INTAKE_TODAY = date(2025, 3, 1)
"""The day of every intake snapshot."""

NODE_TAG = "TST"
"""The test store's node tag, in every request and file number it hands out."""

SUBMITTED_AT = datetime(2025, 3, 1, 7, 30, tzinfo=UTC)
"""When the receipt's application was submitted (10:30 in Riyadh)."""

STORE_FILE = "daman.db"


def _settings(folder: Path) -> Settings:
    # The app draws visual text whatever terminal runs the tests ("auto" would pick the
    # terminal's own bidi under Konsole or mlterm, and every picture would change).
    return Settings(db=folder / STORE_FILE, bidi="app")


_FIXED_MS = int(BASE_TIME.timestamp() * 1000)
_CLERK_PASSWORD = "Passw0rd!snap"


def fixed_id(n: int) -> str:
    """The ``n``-th fixed UUIDv7 (dependents and entries of the snapshot family)."""
    return uuid7_from(_FIXED_MS, n, n)


def pin_node_tag(store: Store) -> None:
    """Give the store's node the tag ``NODE_TAG`` (it is derived from a random node id)."""
    table = NodeState.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(sa.update(table).where(table.c.key == "local").values(node_tag=NODE_TAG))


def clerk_store(folder: Path) -> tuple[Store, Actor]:
    """A new store in ``folder``: the RYD01 branch and its clerk (named as in the shared
    ``staff`` fixture), the node tag pinned. Returns the store and the signed-in clerk."""
    store = Store.open(_settings(folder))
    create_branch(
        store,
        None,
        code="RYD01",
        name_ar="فرع الرياض الأول",
        name_en="Riyadh 1",
        region_code="RIY",
        city_ar="الرياض",
    )
    create_user(
        store,
        None,
        username="clerk",
        full_name="موظف clerk",
        role=Role.CLERK,
        branch_code="RYD01",
        password=_CLERK_PASSWORD,
        must_change_password=False,
    )
    pin_node_tag(store)
    return store, authenticate(store, "clerk", _CLERK_PASSWORD)


def copy_store(template: Path, folder: Path) -> Store:
    """A copy of the closed store in ``template`` (its file and its documents) in ``folder``."""
    shutil.copytree(template, folder)
    return Store.open(_settings(folder), migrate=False)


def fill_family(form: DraftForm) -> None:
    """The family of ``tests.intake_family`` with fixed ids for its dependents and entries."""
    deps = family_dependents()
    for n, dep in enumerate(deps, start=1):
        dep.id = fixed_id(100 + n)
    fill(form, deps)
    for g, group in enumerate(HEAD_GROUPS, start=1):
        for n, item in enumerate(form.items(HEAD, group), start=1):
            item["id"] = fixed_id(200 + 10 * g + n)


def intake_draft(store: Store, actor: Actor, *, family: bool = True) -> DraftRef:
    """A walk-in application for ``HEAD_ID`` (identity from the ID card), its request
    number pinned to ``INTAKE_TODAY``; with ``family``, the whole family typed in.

    The returned draft is the saved one (as :func:`intake.open_draft` reads it)."""
    pin_node_tag(store)
    ref = intake.start_application(store, actor, HEAD_ID, IdentityCheck.ID_CARD)
    number = ref.application.request_number.split("-")
    number[1] = f"{INTAKE_TODAY:%y%m%d}"
    table = Application.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.id == ref.application.id)
            .values(request_number="-".join(number), last_change_at=BASE_TIME)
        )
    if family:
        fill_family(ref.form)
        intake.save_form(store, actor, ref.application.id, ref.form, 1)
    return intake.open_draft(store, actor, ref.application.id)


def family_with_a_file(store: Store, actor: Actor) -> str:
    """``HEAD_ID`` heading a household with no open application (a file to update).
    Returns its file number."""
    pin_node_tag(store)
    household = create_household(
        store,
        actor,
        PersonInput(
            national_id=HEAD_ID,
            first_name="محمد",
            father_name="عبدالله",
            grandfather_name="سعد",
            family_name="القحطاني",
        ),
    )
    return household.file_number


def wizard_screen(
    store: Store, actor: Actor, ref: DraftRef, *, step: int = 1, focus: str = ""
) -> WizardScreen:
    """The wizard on ``ref`` at ``step`` (the caret on ``focus``, "section.key"), on
    ``INTAKE_TODAY``."""
    return WizardScreen(store, actor, replace(ref, step=step, focus=focus), today=INTAKE_TODAY)


def fix_submission_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Submission stamps ``submitted_at`` from the services' clock: make it ``SUBMITTED_AT``."""
    from daman_tui.services import cases

    # The submission's time is taken where the status moves (services/cases.py).
    monkeypatch.setattr(cases, "utcnow", lambda: SUBMITTED_AT)
    monkeypatch.setattr(intake, "utcnow", lambda: SUBMITTED_AT)
