"""Deterministic data for the UI tests and the snapshot apps.

Rows are made through the services, like a clerk would make them; only what the services
stamp from the clock or the node (``last_change_at``, the request number with its date and
node tag) is then pinned with a direct UPDATE, so screens and snapshots never show today.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from daman_tui.app import DamanApp, make_app
from daman_tui.db.models import Application, Person
from daman_tui.domain.national_id import make_national_id
from daman_tui.domain.permissions import Actor
from daman_tui.services.cases import (
    PersonInput,
    create_household,
    save_draft,
    submit_application,
)
from daman_tui.services.store import Store

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


def rename_head(store: Store, index: int, first_name: str) -> None:
    """Give the ``index``-th head a first name the validators would refuse (e.g. markup)."""
    table = Person.__table__  # type: ignore[attr-defined]
    with store.engine.begin() as conn:
        conn.execute(
            sa.update(table)
            .where(table.c.national_id == national_id(index))
            .values(first_name=first_name)
        )


def signed_in_app(store: Store, actor: Actor, *, lang: str = "ar") -> DamanApp:
    """The app started signed in as ``actor`` (demo mode)."""
    return make_app(store, lang=lang, actor=actor)
