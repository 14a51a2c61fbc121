"""Demo branches and one demo account per role, created on first use and reused after."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlmodel import select

from daman_tui.db.models import AppUser, Branch
from daman_tui.domain.enums import Role
from daman_tui.domain.errors import ValidationError
from daman_tui.paths import asset_path
from daman_tui.services.auth import create_user
from daman_tui.services.branches import create_branch
from daman_tui.services.store import Store

__all__ = ["DEMO_PASSWORD", "DemoCredential", "demo_branch_codes", "ensure_demo_staff"]

# Printed by `daman demo`; demo stores are for training and screenshots only.
DEMO_PASSWORD = "demo-1234"

# (username suffix, role, name): two supervisors so final approval can follow the
# four-eyes rule in demo data and at the demo counter alike.
_DEMO_STAFF: tuple[tuple[str, Role, str], ...] = (
    ("clerk", Role.CLERK, "نورة سعد العتيبي"),
    ("supervisor", Role.SUPERVISOR, "خالد عبدالله الشهري"),
    ("supervisor2", Role.SUPERVISOR, "منيرة فهد الدوسري"),
    ("field", Role.FIELD_OFFICER, "سلطان ناصر القحطاني"),
    ("admin", Role.ADMIN, "ريم محمد الغامدي"),
)


@dataclass(frozen=True)
class DemoCredential:
    username: str
    password: str
    role: Role
    user_id: str


@cache
def _branches() -> dict[str, dict[str, Any]]:
    with asset_path("demo", "branches.toml").open("rb") as fh:
        data: dict[str, dict[str, Any]] = tomllib.load(fh)["branches"]
    return data


def demo_branch_codes() -> tuple[str, ...]:
    """The codes of the demo branches."""
    return tuple(_branches())


def _username(suffix: str, branch_code: str) -> str:
    # The first demo branch gets the short names people type at a demo counter.
    if branch_code == demo_branch_codes()[0]:
        return suffix
    return f"{suffix}.{branch_code.lower()}"


def ensure_demo_staff(store: Store, branch_code: str) -> list[DemoCredential]:
    """The demo branch ``branch_code`` and its five demo accounts, created if missing."""
    with store.read() as session:
        branch = session.exec(select(Branch).where(Branch.code == branch_code)).first()
    if branch is None:
        spec = _branches().get(branch_code)
        if spec is None:
            raise ValidationError(
                "branch.unknown",
                "الفرع غير موجود، وليس من فروع العرض التجريبي.",
                f"No branch '{branch_code}', and it is not one of the demo branches "
                f"({', '.join(demo_branch_codes())}).",
                branch_code=branch_code,
            )
        create_branch(
            store,
            None,
            code=branch_code,
            name_ar=spec["name_ar"],
            name_en=spec["name_en"],
            region_code=spec["region"],
            city_ar=spec["city_ar"],
        )
    credentials = []
    for suffix, role, full_name in _DEMO_STAFF:
        username = _username(suffix, branch_code)
        with store.read() as session:
            existing = session.exec(select(AppUser).where(AppUser.username == username)).first()
        if existing is None:
            user_id = create_user(
                store,
                None,
                username=username,
                full_name=full_name,
                role=role,
                branch_code=branch_code,
                password=DEMO_PASSWORD,
                must_change_password=False,
            ).id
        else:
            user_id = existing.id
        credentials.append(DemoCredential(username, DEMO_PASSWORD, role, user_id))
    return credentials
