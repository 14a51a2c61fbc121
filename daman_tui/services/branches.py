"""Branch offices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from daman_tui.db.models import Branch
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.domain.regions import region
from daman_tui.services.store import Store

__all__ = ["BranchView", "create_branch", "list_branches"]


@dataclass(frozen=True)
class BranchView:
    id: str
    code: str
    name_ar: str
    name_en: str
    region_code: str
    city_ar: str


def _view(b: Branch) -> BranchView:
    return BranchView(b.id, b.code, b.name_ar, b.name_en, b.region_code, b.city_ar)


def create_branch(
    store: Store,
    actor: Actor | None,
    *,
    code: str,
    name_ar: str,
    name_en: str,
    region_code: str,
    city_ar: str,
) -> BranchView:
    """A new branch office. ``actor`` None is the bootstrap path (`daman init`, demo)."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    try:
        region(region_code)
    except KeyError:
        raise ValidationError(
            "branch.region", "المنطقة غير معروفة.", f"Unknown region '{region_code}'."
        ) from None
    code = code.strip().upper()
    with store.write(actor) as uow:
        if uow.session.exec(select(Branch).where(Branch.code == code)).first():
            raise ValidationError(
                "branch.exists", "رمز الفرع مستخدم من قبل.", f"The branch '{code}' exists already."
            )
        branch = uow.add(
            Branch(
                code=code,
                name_ar=name_ar,
                name_en=name_en,
                region_code=region_code,
                city_ar=city_ar,
            )
        )
        return _view(branch)


def list_branches(store: Store) -> list[BranchView]:
    """Every branch, by code."""
    with store.read() as session:
        return [_view(b) for b in session.exec(select(Branch).order_by(Branch.code)).all()]
