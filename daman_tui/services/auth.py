"""Signing in and staff accounts: argon2 hashes, lockout after repeated failures, all audited."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import col, select

from daman_tui.db.models import AppUser, Branch
from daman_tui.db.types import utcnow
from daman_tui.domain.enums import Role
from daman_tui.domain.errors import DomainError, ValidationError
from daman_tui.domain.permissions import Actor, Permission, require
from daman_tui.services.store import Store
from daman_tui.services.views import UserView

__all__ = [
    "AuthError",
    "authenticate",
    "branch_staff",
    "create_user",
    "list_users",
    "verify_password",
]

MIN_PASSWORD_LEN = 8


class AuthError(DomainError):
    """A sign-in refused. The message never says which of name or password was wrong."""


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _actor(user: AppUser) -> Actor:
    return Actor(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        branch_id=user.branch_id,
    )


def authenticate(store: Store, username: str, password: str) -> Actor:
    """The actor for these credentials, or :class:`AuthError`. Every attempt is audited."""
    settings = store.settings
    with store.write(None) as uow:
        user = uow.session.exec(
            select(AppUser).where(AppUser.username == username.strip().lower())
        ).first()
        now = utcnow()
        if user is None or user.deleted_at is not None:
            uow.audit("auth.failed", "app_user", "-", None, {"username": username[:64]})
            failure: AuthError | None = _bad_credentials()
        elif user.disabled_at is not None:
            uow.audit("auth.disabled", "app_user", user.id, None, None)
            failure = AuthError("auth.disabled", "هذا الحساب موقوف.", "This account is disabled.")
        elif user.locked_until is not None and user.locked_until > now:
            uow.audit("auth.locked", "app_user", user.id, None, None)
            minutes = int((user.locked_until - now).total_seconds() // 60) + 1
            failure = AuthError(
                "auth.locked",
                f"الحساب مقفل بعد محاولات فاشلة متكررة. حاول بعد {minutes} دقيقة.",
                f"The account is locked after repeated failures. Try again in {minutes} min.",
                minutes=minutes,
            )
        elif not verify_password(user.password_hash, password):
            attempts = user.failed_attempts + 1
            changes: dict[str, object] = {"failed_attempts": attempts}
            if attempts >= settings.max_failed_logins:
                changes = {
                    "failed_attempts": 0,
                    "locked_until": now + timedelta(minutes=settings.lockout_minutes),
                }
            uow.update(user, changes, action="auth.failed")
            failure = _bad_credentials()
        else:
            uow.update(
                user,
                {"failed_attempts": 0, "locked_until": None, "last_login_at": now},
                action="auth.login",
            )
            failure = None
        actor = _actor(user) if user is not None and failure is None else None
    # Raised after the transaction commits, so the failure and the lockout are recorded.
    if failure is not None:
        raise failure
    assert actor is not None
    return actor


def _bad_credentials() -> AuthError:
    return AuthError(
        "auth.invalid",
        "اسم المستخدم أو كلمة المرور غير صحيحة.",
        "Wrong user name or password.",
    )


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (a malformed hash matches nothing)."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` after checking its length."""
    if len(password) < MIN_PASSWORD_LEN:
        raise ValidationError(
            "password.short",
            f"كلمة المرور يجب ألا تقل عن {MIN_PASSWORD_LEN} أحرف.",
            f"The password must be at least {MIN_PASSWORD_LEN} characters.",
        )
    return _hasher().hash(password)


def create_user(
    store: Store,
    actor: Actor | None,
    *,
    username: str,
    full_name: str,
    role: Role,
    branch_code: str,
    password: str,
    must_change_password: bool = True,
) -> UserView:
    """A new staff account. ``actor`` None is the bootstrap path (`daman init`, demo)."""
    if actor is not None:
        require(actor, Permission.MANAGE_USERS)
    name = username.strip().lower()
    if not name or not name.replace(".", "").replace("_", "").isalnum() or not name.isascii():
        raise ValidationError(
            "user.username",
            "اسم المستخدم يقبل الحروف اللاتينية والأرقام والنقطة والشرطة السفلية.",
            "A user name may contain Latin letters, digits, '.' and '_'.",
        )
    password_hash = hash_password(password)
    with store.write(actor) as uow:
        branch = uow.session.exec(select(Branch).where(Branch.code == branch_code)).first()
        if branch is None:
            raise ValidationError(
                "branch.unknown",
                "الفرع غير موجود.",
                f"No branch '{branch_code}'.",
                branch_code=branch_code,
            )
        if uow.session.exec(select(AppUser).where(AppUser.username == name)).first():
            raise ValidationError(
                "user.exists", "اسم المستخدم مستخدم من قبل.", f"The user '{name}' exists already."
            )
        user = uow.add(
            AppUser(
                username=name,
                full_name=full_name.strip(),
                role=role,
                branch_id=branch.id,
                password_hash=password_hash,
                must_change_password=must_change_password,
            )
        )
        return _user_view(user, branch)


def list_users(store: Store) -> list[UserView]:
    """Every account, by branch and name."""
    with store.read() as session:
        rows = session.exec(
            select(AppUser, Branch)
            .join(Branch, Branch.id == AppUser.branch_id)  # type: ignore[arg-type]
            .order_by(Branch.code, AppUser.username)
        ).all()
        return [_user_view(u, b) for u, b in rows]


def branch_staff(
    store: Store, actor: Actor, branch_id: str, roles: Collection[Role]
) -> list[UserView]:
    """The active users of ``branch_id`` in ``roles``, by name: whom a case can be given to."""
    require(actor, Permission.VIEW_CASES, branch_id)
    with store.read() as session:
        rows = session.exec(
            select(AppUser, Branch)
            .join(Branch, Branch.id == AppUser.branch_id)  # type: ignore[arg-type]
            .where(AppUser.branch_id == branch_id)
            .where(col(AppUser.role).in_([r.value for r in roles]))
            .where(col(AppUser.disabled_at).is_(None))
            .order_by(col(AppUser.full_name))
        ).all()
        return [_user_view(u, b) for u, b in rows]


def _user_view(user: AppUser, branch: Branch) -> UserView:
    return UserView(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        branch_id=branch.id,
        branch_code=branch.code,
        disabled=user.disabled_at is not None,
    )
