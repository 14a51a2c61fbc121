"""Synthetic but valid demo data: `daman seed` and `daman demo`."""

from daman_tui.services.seed.run import SeedReport, seed_cases
from daman_tui.services.seed.staff import DEMO_PASSWORD, DemoCredential, ensure_demo_staff

__all__ = ["DEMO_PASSWORD", "DemoCredential", "SeedReport", "ensure_demo_staff", "seed_cases"]
