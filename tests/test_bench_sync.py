"""The sync benchmark runs end to end at a tiny size and prints its figures.

No timing is judged here (figures drift with the machine); the benchmark itself fails
when a push is not applied or a pull does not bring the rows expected, and so does this.
"""

from __future__ import annotations

import re

import pytest

from benchmarks import bench_sync

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _row(out: str, start: str) -> list[str]:
    lines = [line for line in out.splitlines() if line.startswith(start)]
    assert lines, f"no table row starting {start!r} in:\n{out}"
    return [cell.strip() for cell in lines[0].strip("|").split("|")]


@pytest.mark.slow
def test_quick_mode_prints_a_table_of_figures(capsys: pytest.CaptureFixture[str]) -> None:
    sizes = ["--sizes", "200", "--naive-cap", "200", "--naive-seconds", "600"]
    sizes += ["--first-sync-cases", "40"]
    load = ["--nodes", "3", "--node-cases", "10", "--rounds", "2", "--changes", "5"]
    bench_sync.main(["--quick", *sizes, *load])
    out = capsys.readouterr().out
    for kind in ("push", "pull"):
        cells = _row(out, f"| {kind} 200 |")
        ours, naive = cells[1], cells[2]
        assert NUMBER.fullmatch(ours) and NUMBER.fullmatch(naive), cells
        assert cells[5].startswith("200, "), cells  # every naive row timed, one a request
    first = _row(out, "| RYD01")
    assert int(first[2].replace(",", "")) > 0  # rows pulled by the first sync
    assert _row(out, "| nodes (branches), rounds done |")[1].startswith("3 (1), 6 of 6")
    pushed, pulled = _row(out, "| rows pushed / pulled |")[1].split(" / ")
    assert pushed == "30" and int(pulled.replace(",", "")) >= 30
    assert NUMBER.match(_row(out, "| any request p50 / p95 |")[1])
