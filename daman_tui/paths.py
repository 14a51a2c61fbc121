"""Where the packaged assets live, in a source checkout and in an installed wheel alike."""

from __future__ import annotations

from functools import cache
from pathlib import Path

__all__ = ["asset_path", "assets_dir"]


@cache
def assets_dir() -> Path:
    """The `assets/` folder: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "assets", here.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("daman_tui assets folder not found; the installation is incomplete")


def asset_path(*parts: str) -> Path:
    """A file under `assets/`, e.g. ``asset_path("i18n", "ar.toml")``."""
    return assets_dir().joinpath(*parts)
