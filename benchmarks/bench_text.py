"""Text pipeline speed: our layout (shaping + full UBA + maps) beside the naive way.

    python -m benchmarks.bench_text [--names 5000] [--repeat 3]

Inputs: every non-empty line of the five seed articles (``tests/data/seeds``, long
paragraphs) and generated four-part names (short, as a table cell or input shows them).
For each, strings per second through:

- ``layout_line`` cold: every pipeline cache emptied first, so each string is shaped
  and resolved once (what a screen of new names costs);
- ``layout_line`` cached: the same strings again (what a repaint costs);
- ``layout_line(shape=False)`` cold: the bidi algorithm alone;
- naive: ``arabic_reshaper.reshape`` + ``bidi.get_display`` on every call, the way the
  app drew text before (no mirroring, no marks after their letter, no index maps).

The best of ``--repeat`` runs is kept.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

import arabic_reshaper
from bidi import get_display

from daman_tui.services.seed.generator import _names
from daman_tui.text import shaping
from daman_tui.text.bidi import embedding_levels
from daman_tui.text.layout import layout_line

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"


def seed_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line)
    return lines


def names(count: int, seed: int = 1) -> list[str]:
    """Distinct-ish four-part names, some with a haraka, as the case table shows them."""
    rng = random.Random(seed)
    pool = _names()
    out = []
    for _ in range(count):
        first = rng.choice(pool["male_first"] + pool["female_first"])
        parts = [first, rng.choice(pool["male_first"]), rng.choice(pool["male_first"])]
        name = " ".join([*parts, rng.choice(pool["family"])])
        if rng.random() < 0.2:
            name = name.replace("م", "مَّ", 1)
        out.append(name)
    return out


def _clear() -> None:
    layout_line.cache_clear()
    embedding_levels.cache_clear()
    shaping.cache_clear()


def _best(run: Callable[[], None], repeat: int, *, cold: bool) -> float:
    best = float("inf")
    for _ in range(repeat):
        if cold:
            _clear()
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def measure(texts: list[str], repeat: int) -> list[tuple[str, float]]:
    def ours() -> None:
        for text in texts:
            layout_line(text)

    def bidi_only() -> None:
        for text in texts:
            layout_line(text, shape=False)

    def naive() -> None:
        for text in texts:
            get_display(arabic_reshaper.reshape(text))

    results = [("layout_line, cold", _best(ours, repeat, cold=True))]
    _clear()
    ours()  # fill the caches once, then time the cached path
    results.append(("layout_line, cached", _best(ours, repeat, cold=False)))
    results.append(("layout_line(shape=False), cold", _best(bidi_only, repeat, cold=True)))
    results.append(("naive reshape + get_display", _best(naive, repeat, cold=False)))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--names", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    arabic_reshaper.reshape("تهيئة")  # the naive side's one-off setup, outside the timing
    corpora = {
        "seed lines": list(dict.fromkeys(seed_lines())),
        "names": list(dict.fromkeys(names(args.names))),
    }
    print(f"\nText pipeline, best of {args.repeat} runs\n")
    print(f"| {'input':<10} | {'pipeline':<32} | {'strings':>7} | {'chars':>7} "
          f"| {'seconds':>8} | {'strings/s':>10} |")  # fmt: skip
    print(f"|{'-' * 12}|{'-' * 34}|{'-' * 9}|{'-' * 9}|{'-' * 10}|{'-' * 12}|")
    for label, texts in corpora.items():
        chars = sum(map(len, texts))
        for pipeline, seconds in measure(texts, args.repeat):
            print(
                f"| {label:<10} | {pipeline:<32} | {len(texts):>7,} | {chars:>7,} "
                f"| {seconds:>8.4f} | {len(texts) / seconds:>10,.0f} |"
            )


if __name__ == "__main__":
    main()
