"""Versioned rule sets: every value the eligibility engine uses, with an effective date.

The seeds fix the thresholds (1100 SAR for the head, 550 for each other member, seed 004)
and the 20-day decision limit; everything else (counted shares, the asset limit, the
objection window …) is our choice and must stay configurable (DOMAIN.md). Each version is
one TOML file ``assets/rules/<version>.toml`` whose comments say where every value comes
from. The set in force on a day is the newest whose ``effective_from`` is on or before it,
so a monthly cycle can be re-run under the rules of its own month, and a decision records
the version it used.

Loading checks everything (unknown or missing keys, ranges, unique versions and dates) and
keeps the file's text and SHA-256, so the store can record exactly what was loaded.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NoReturn

from daman_tui.domain.enums import IncomeType
from daman_tui.domain.errors import ValidationError
from daman_tui.domain.household import format_sar, parse_sar
from daman_tui.domain.sla import Calendar
from daman_tui.paths import asset_path

__all__ = [
    "BASIS_POINTS",
    "RuleSet",
    "load_rule_sets",
    "rule_set",
    "rule_set_for",
]

BASIS_POINTS = 10_000  # shares are kept in basis points: 100% = 10,000, integer arithmetic
ProviderSplit = Literal["equal", "full"]
DependentPolicy = Literal["exclude", "reject"]

_VERSION = re.compile(r"\d{4}\.\d{1,3}")
_PERCENT = re.compile(r"(\d{1,3})(?:\.(\d{1,2}))?")


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One version of the rules, as loaded and checked. Money in halalas."""

    version: str
    effective_from: date
    summary: str
    # Condition 2 (seed 004): the threshold is head + member × (members − 1).
    head_threshold_halalas: int
    member_threshold_halalas: int
    # The counted share of each income type, and of support lines and the CITC amount.
    income_share_bp: Mapping[IncomeType, int] = field(hash=False)
    support_share_bp: int
    citc_share_bp: int
    transport_permit_imputed_halalas: int  # a month's income imputed per transport permit
    # Condition 6: a provider's own income over his households ("equal") or in each ("full").
    provider_income_split: ProviderSplit
    # Condition 5: high-value assets.
    high_value_asset_limit_halalas: int
    vehicle_value_limit_halalas: int
    exempt_residence_deed: bool
    zakat_wealth_multiplier: int  # commercial zakat is 2.5%: wealth = yearly zakat × 40
    # Dependents failing a personal condition (nationality, residence, shelter, listed in
    # another household): left out of the member count ("exclude") or the rule fails.
    ineligible_dependent: DependentPolicy
    # Condition 3: who must have been asked.
    child_max_age: int
    training_min_age: int
    training_max_age: int
    # Procedure (seed 004 for the 20 days; the rest our choice).
    decision_limit_days: int
    sla_working_days: bool
    objection_window_days: int
    holidays: tuple[date, ...]
    # Where it came from: the file's text and its SHA-256.
    source_toml: str = field(repr=False, compare=False)
    sha256: str = ""

    @property
    def calendar(self) -> Calendar:
        """How this set counts the days of its limits (working days, its holidays)."""
        return Calendar(working_days=self.sla_working_days, holidays=frozenset(self.holidays))

    def income_share(self, kind: IncomeType) -> int:
        """The counted share of an income type, in basis points."""
        return self.income_share_bp[kind]

    def threshold_halalas(self, member_count: int) -> int:
        """The household's threshold for ``member_count`` counted members (head included)."""
        if member_count < 1:
            raise ValueError("a household has at least its head")
        return self.head_threshold_halalas + self.member_threshold_halalas * (member_count - 1)

    def to_json(self) -> dict[str, Any]:
        """The values as JSON (money in riyal strings, shares in percent strings)."""
        return {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "summary": self.summary,
            "sha256": self.sha256,
            "threshold": {
                "head_sar": format_sar(self.head_threshold_halalas),
                "member_sar": format_sar(self.member_threshold_halalas),
            },
            "income": {
                "share_percent": {
                    k.value: percent_text(v) for k, v in self.income_share_bp.items()
                },
                "support_share_percent": percent_text(self.support_share_bp),
                "citc_share_percent": percent_text(self.citc_share_bp),
                "transport_permit_imputed_sar": format_sar(self.transport_permit_imputed_halalas),
                "provider_income_split": self.provider_income_split,
            },
            "assets": {
                "high_value_limit_sar": format_sar(self.high_value_asset_limit_halalas),
                "vehicle_value_limit_sar": format_sar(self.vehicle_value_limit_halalas),
                "exempt_residence_deed": self.exempt_residence_deed,
                "zakat_wealth_multiplier": self.zakat_wealth_multiplier,
            },
            "members": {
                "ineligible_dependent": self.ineligible_dependent,
                "child_max_age": self.child_max_age,
                "training_min_age": self.training_min_age,
                "training_max_age": self.training_max_age,
            },
            "procedure": {
                "decision_limit_days": self.decision_limit_days,
                "sla_working_days": self.sla_working_days,
                "objection_window_days": self.objection_window_days,
                "holidays": [d.isoformat() for d in self.holidays],
            },
        }


def percent_text(basis_points: int) -> str:
    """Basis points as a percent string without trailing zeros: 8000 → "80", 1250 → "12.5"."""
    whole, rest = divmod(basis_points, 100)
    return str(whole) if rest == 0 else f"{whole}.{rest:02d}".rstrip("0")


# ---- loading ---------------------------------------------------------------------------
_SCHEMA: dict[str, frozenset[str]] = {
    "": frozenset(
        {
            "version",
            "effective_from",
            "summary",
            "threshold",
            "income",
            "assets",
            "members",
            "procedure",
        }
    ),
    "threshold": frozenset({"head_sar", "member_sar"}),
    "income": frozenset(
        {
            "share_percent",
            "support_share_percent",
            "citc_share_percent",
            "transport_permit_imputed_sar",
            "provider_income_split",
        }
    ),
    "income.share_percent": frozenset(k.value for k in IncomeType),
    "assets": frozenset(
        {
            "high_value_limit_sar",
            "vehicle_value_limit_sar",
            "exempt_residence_deed",
            "zakat_wealth_multiplier",
        }
    ),
    "members": frozenset(
        {"ineligible_dependent", "child_max_age", "training_min_age", "training_max_age"}
    ),
    "procedure": frozenset(
        {"decision_limit_days", "sla_working_days", "objection_window_days", "holidays"}
    ),
}


class _File:
    """Reads one rule-set file's values, turning every problem into a ValidationError."""

    def __init__(self, name: str, data: dict[str, Any]) -> None:
        self.name = name
        self.data = data
        for table, keys in _SCHEMA.items():
            section = self.table(table)
            for key in section:
                if key not in keys:
                    self.fail("rules.unknown_key", f"{table}.{key}".lstrip("."), "unknown key")
            for key in keys:
                if key not in section:
                    self.fail("rules.missing_key", f"{table}.{key}".lstrip("."), "missing key")

    def fail(self, code: str, key: str, problem: str) -> NoReturn:
        raise ValidationError(
            code,
            f"ملف القواعد {self.name}: القيمة {key} غير صحيحة ({problem}).",
            f"rule set {self.name}: {key}: {problem}",
            file=self.name,
            key=key,
        )

    def table(self, dotted: str) -> dict[str, Any]:
        node: Any = self.data
        for part in filter(None, dotted.split(".")):
            node = node.get(part) if isinstance(node, dict) else None
            if not isinstance(node, dict):
                self.fail("rules.missing_key", dotted, "missing table")
        result: dict[str, Any] = node
        return result

    def value(self, dotted: str) -> Any:
        table, _, key = dotted.rpartition(".")
        return self.table(table)[key]

    def text(self, dotted: str) -> str:
        value = self.value(dotted)
        if not isinstance(value, str) or not value.strip():
            self.fail("rules.bad_value", dotted, "expected a non-empty string")
        result: str = value
        return result

    def whole(self, dotted: str, low: int, high: int) -> int:
        value = self.value(dotted)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail("rules.bad_value", dotted, f"expected a whole number from {low} to {high}")
        result: int = value
        return result

    def flag(self, dotted: str) -> bool:
        value = self.value(dotted)
        if not isinstance(value, bool):
            self.fail("rules.bad_value", dotted, "expected true or false")
        result: bool = value
        return result

    def sar(self, dotted: str) -> int:
        try:
            return parse_sar(self.value(dotted))
        except ValueError as err:
            self.fail("rules.bad_value", dotted, f"expected {err}")

    def percent(self, dotted: str) -> int:
        value = self.value(dotted)
        text = str(value) if isinstance(value, int | float | str) else ""
        match = None if isinstance(value, bool) else _PERCENT.fullmatch(text.strip())
        if match is None:
            self.fail(
                "rules.bad_value", dotted, "expected a percent from 0 to 100, e.g. 80 or 12.5"
            )
        whole, fraction = match.groups()
        basis_points = int(whole) * 100 + int((fraction or "0").ljust(2, "0"))
        if basis_points > BASIS_POINTS:
            self.fail("rules.bad_value", dotted, "expected a percent from 0 to 100")
        return basis_points

    def choice(self, dotted: str, allowed: tuple[str, ...]) -> str:
        value = self.value(dotted)
        if value not in allowed:
            self.fail("rules.bad_value", dotted, f"expected one of {', '.join(allowed)}")
        result: str = value
        return result

    def day(self, dotted: str) -> date:
        value = self.value(dotted)
        # TOML has a date type: an unquoted 2025-01-01 arrives as a date, not a datetime.
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.fail("rules.bad_value", dotted, "expected a TOML date such as 2025-01-01")
        result: date = value
        return result

    def days(self, dotted: str) -> tuple[date, ...]:
        value = self.value(dotted)
        if not isinstance(value, list) or not all(
            isinstance(d, date) and not hasattr(d, "hour") for d in value
        ):
            self.fail("rules.bad_value", dotted, "expected a list of TOML dates")
        if len(set(value)) != len(value):
            self.fail("rules.bad_value", dotted, "a holiday is listed twice")
        return tuple(sorted(value))


def _parse(name: str, raw: bytes) -> RuleSet:
    """One rule set from the bytes of its file ``name`` (``<version>.toml``)."""
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValidationError(
            "rules.invalid_toml",
            f"ملف القواعد {name} ليس TOML صالحاً: {err}",
            f"rule set {name} is not valid TOML: {err}",
            file=name,
        ) from err
    f = _File(name, data)
    version = f.text("version")
    if not _VERSION.fullmatch(version):
        f.fail("rules.bad_value", "version", "expected YEAR.N, e.g. 2025.1")
    if name != f"{version}.toml":
        f.fail("rules.file_name", "version", f"the file of version {version} is {version}.toml")
    split = f.choice("income.provider_income_split", ("equal", "full"))
    policy = f.choice("members.ineligible_dependent", ("exclude", "reject"))
    training_min = f.whole("members.training_min_age", 10, 100)
    training_max = f.whole("members.training_max_age", training_min, 120)
    return RuleSet(
        version=version,
        effective_from=f.day("effective_from"),
        summary=f.text("summary").strip(),
        head_threshold_halalas=f.sar("threshold.head_sar"),
        member_threshold_halalas=f.sar("threshold.member_sar"),
        income_share_bp=MappingProxyType(
            {kind: f.percent(f"income.share_percent.{kind.value}") for kind in IncomeType}
        ),
        support_share_bp=f.percent("income.support_share_percent"),
        citc_share_bp=f.percent("income.citc_share_percent"),
        transport_permit_imputed_halalas=f.sar("income.transport_permit_imputed_sar"),
        provider_income_split="equal" if split == "equal" else "full",
        high_value_asset_limit_halalas=f.sar("assets.high_value_limit_sar"),
        vehicle_value_limit_halalas=f.sar("assets.vehicle_value_limit_sar"),
        exempt_residence_deed=f.flag("assets.exempt_residence_deed"),
        zakat_wealth_multiplier=f.whole("assets.zakat_wealth_multiplier", 0, 1000),
        ineligible_dependent="exclude" if policy == "exclude" else "reject",
        child_max_age=f.whole("members.child_max_age", 0, 25),
        training_min_age=training_min,
        training_max_age=training_max,
        decision_limit_days=f.whole("procedure.decision_limit_days", 1, 365),
        sla_working_days=f.flag("procedure.sla_working_days"),
        objection_window_days=f.whole("procedure.objection_window_days", 1, 3650),
        holidays=f.days("procedure.holidays"),
        source_toml=text,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def load_rule_sets(folder: Path | None = None) -> tuple[RuleSet, ...]:
    """Every rule set in ``folder`` (default ``assets/rules``), oldest first, checked.

    The default folder is read once per process; pass a folder to read it afresh.
    Raises :class:`ValidationError` for a bad file, two files with one version or one
    effective date, or an empty folder (``rules.empty``).
    """
    if folder is None:
        return _default_rule_sets()
    return _load(folder)


@cache
def _default_rule_sets() -> tuple[RuleSet, ...]:
    return _load(asset_path("rules"))


def _load(folder: Path) -> tuple[RuleSet, ...]:
    sets = sorted(
        (_parse(path.name, path.read_bytes()) for path in sorted(folder.glob("*.toml"))),
        key=lambda r: r.effective_from,
    )
    if not sets:
        raise ValidationError(
            "rules.empty",
            "لا توجد ملفات قواعد الاستحقاق.",
            f"no rule-set files in {folder.name}/",
        )
    for earlier, later in pairwise(sets):
        if earlier.effective_from == later.effective_from:
            raise ValidationError(
                "rules.duplicate_effective",
                f"الإصداران {earlier.version} و{later.version} يسريان من التاريخ نفسه.",
                f"rule sets {earlier.version} and {later.version} take effect on the same day",
            )
    if len({r.version for r in sets}) != len(sets):  # pragma: no cover - file names differ
        raise ValidationError("rules.duplicate_version", "إصدار مكرر.", "a version is repeated")
    return tuple(sets)


def rule_set_for(as_of: date, rule_sets: Sequence[RuleSet] | None = None) -> RuleSet:
    """The set in force on ``as_of``: the newest effective on or before it.

    Raises ``rules.none_in_force`` for a day before the first set took effect.
    """
    sets = load_rule_sets() if rule_sets is None else rule_sets
    chosen: RuleSet | None = None
    for candidate in sets:  # oldest first: the last one not after as_of wins
        if candidate.effective_from <= as_of:
            chosen = candidate
    if chosen is None:
        first = min(sets, key=lambda r: r.effective_from) if sets else None
        since = first.effective_from.isoformat() if first else "—"
        raise ValidationError(
            "rules.none_in_force",
            f"لا توجد قواعد استحقاق سارية في {as_of.isoformat()}؛ أقدم إصدار يسري من {since}.",
            f"no rule set is in force on {as_of.isoformat()}; the first takes effect on {since}",
            as_of=as_of.isoformat(),
        )
    return chosen


def rule_set(version: str, rule_sets: Sequence[RuleSet] | None = None) -> RuleSet:
    """The set named ``version``; ``rules.unknown_version`` if there is none."""
    sets = load_rule_sets() if rule_sets is None else rule_sets
    for candidate in sets:
        if candidate.version == version:
            return candidate
    known = ", ".join(r.version for r in sets)
    raise ValidationError(
        "rules.unknown_version",
        f"لا يوجد إصدار قواعد باسم {version}؛ الإصدارات: {known}.",
        f"no rule set {version!r}; known: {known}",
        version=version,
    )
