"""Logical wrapping, styles on logical ranges, and free-text hygiene."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.style import Style

from daman_tui.domain.arabic import validate_free_text
from daman_tui.domain.errors import ValidationError
from daman_tui.text.display import styled, visual, wrap
from daman_tui.text.layout import layout_line

SENTENCE = "الضمان الاجتماعي المطور يصرف المعاش في اليوم الأول من كل شهر ميلادي"


def test_wrap_keeps_logical_order_and_width():
    lines = wrap(SENTENCE, 20)
    assert " ".join(lines) == SENTENCE  # the first words stay on the first line
    assert lines[0].startswith("الضمان")
    assert all(cell_len(line) <= 20 for line in lines)
    assert wrap("", 10) == [""]
    long_word = "ا" * 25
    assert all(cell_len(x) <= 10 for x in wrap(long_word, 10))
    assert "".join(wrap(long_word, 10)) == long_word


def test_styles_land_on_the_logical_characters():
    name = "عبدالله (SBIS) 2024"
    bold = Style(bold=True)
    start = name.index("SBIS")
    text = styled(name, "ar", [(start, start + 4, bold)])
    line = layout_line(name, "R")
    assert text.plain == visual(name)
    styled_cells = {
        i
        for i in range(len(text.plain))
        if any(s.start <= i < s.end and s.style == bold for s in text.spans)
    }
    assert styled_cells == {line.log_to_vis[i] for i in range(start, start + 4)}
    assert "".join(text.plain[i] for i in sorted(styled_cells)) == "SBIS"


def test_free_text_refuses_invisible_controls_but_keeps_lines():
    assert validate_free_text("  سبب الرفض:\nالدخل مرتفع  ") == "سبب الرفض:\nالدخل مرتفع"
    for bad in ("\u202e", "\u200f", "\u2066", "\x07"):
        with pytest.raises(ValidationError) as err:
            validate_free_text(f"نص{bad}")
        assert err.value.code == "text.invisible"
    with pytest.raises(ValidationError):
        validate_free_text("", required=True)
    with pytest.raises(ValidationError):
        validate_free_text("x" * 11, max_len=10)
