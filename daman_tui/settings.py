"""The one settings model, read in one place.

Sources, strongest first: explicit arguments (the CLI's ``--db`` and the like), ``DAMAN_*``
environment variables, the config file, the defaults below. The config file is TOML at
``$DAMAN_CONFIG`` or, by default, ``config.toml`` in the user config directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_config_dir, user_data_dir
from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

__all__ = ["Settings", "config_file_path", "default_data_dir", "load_settings", "save_setting"]

APP_NAME = "daman"


def default_data_dir() -> Path:
    """Where the store and its documents live unless told otherwise."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_file_path() -> Path:
    """The config file: ``$DAMAN_CONFIG`` or ``config.toml`` in the user config dir."""
    override = os.environ.get("DAMAN_CONFIG")
    if override:
        return Path(override)
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


class Settings(BaseSettings):
    """Everything an operator can set. Each field is also ``DAMAN_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="DAMAN_", extra="ignore")

    db: Path = Field(
        default_factory=lambda: default_data_dir() / "daman.db",
        description="The local SQLite store.",
    )
    documents_dir: Path | None = Field(
        default=None,
        description="Where received documents are copied; default: 'documents' beside the store.",
    )
    lang: Literal["ar", "en"] = Field(default="ar", description="Interface language at start.")
    bidi: Literal["auto", "app", "terminal", "off"] = Field(
        default="auto", description="Who shapes and reorders Arabic: us, the terminal, or nobody."
    )
    idle_lock_minutes: int = Field(
        default=5, ge=1, description="Lock a shared counter terminal after this idle time."
    )
    max_failed_logins: int = Field(default=5, ge=1, description="Failures before a lockout.")
    lockout_minutes: int = Field(default=15, ge=1, description="How long a lockout lasts.")
    max_document_mb: int = Field(default=10, ge=1, description="Largest accepted document.")
    central_url: str | None = Field(default=None, description="The sync service's URL.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file_path())
        return (init_settings, env_settings, toml)

    @property
    def documents_path(self) -> Path:
        """The documents folder, resolved."""
        return self.documents_dir or self.db.parent / "documents"


def load_settings(**overrides: object) -> Settings:
    """Settings with ``overrides`` (only those not None) winning over every other source."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]


def save_setting(key: str, value: str | int | bool) -> Path:
    """Write ``key = value`` into the config file, keeping everything else in it.

    The value is checked against the model first, so a bad choice is never saved.
    """
    import tomllib

    import tomli_w

    if key not in Settings.model_fields:
        raise KeyError(f"no setting named {key!r}")
    path = config_file_path()
    current: dict[str, object] = {}
    if path.exists():
        with path.open("rb") as fh:
            current = tomllib.load(fh)
    current[key] = value
    Settings.model_validate({k: v for k, v in current.items() if k in Settings.model_fields})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(current), encoding="utf-8")
    return path
