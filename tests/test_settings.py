"""Settings: defaults < config file < DAMAN_* environment < explicit options."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from daman_tui.settings import Settings, config_file_path, load_settings


def test_defaults_live_in_the_user_dirs(monkeypatch):
    monkeypatch.delenv("DAMAN_CONFIG", raising=False)
    s = Settings()
    assert s.db.name == "daman.db" and "daman" in str(s.db.parent)
    assert s.lang == "ar" and s.bidi == "auto"
    assert config_file_path().name == "config.toml"
    assert s.documents_path == s.db.parent / "documents"


def test_precedence(tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('lang = "en"\nidle_lock_minutes = 9\ndb = "/srv/file.db"\n', encoding="utf-8")
    monkeypatch.setenv("DAMAN_CONFIG", str(config))
    s = load_settings()
    assert (s.lang, s.idle_lock_minutes, s.db) == ("en", 9, Path("/srv/file.db"))
    monkeypatch.setenv("DAMAN_DB", "/srv/env.db")
    monkeypatch.setenv("DAMAN_IDLE_LOCK_MINUTES", "3")
    s = load_settings()
    assert (s.db, s.idle_lock_minutes, s.lang) == (Path("/srv/env.db"), 3, "en")
    s = load_settings(db=Path("/srv/option.db"), lang=None)
    assert s.db == Path("/srv/option.db") and s.lang == "en"


def test_bad_values_are_refused_with_the_setting_named(monkeypatch):
    monkeypatch.setenv("DAMAN_BIDI", "sideways")
    with pytest.raises(ValidationError) as err:
        Settings()
    assert "bidi" in str(err.value)
