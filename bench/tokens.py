"""Token-view benchmark: render a 10,000-token run with probability colouring.

    python bench/tokens.py [--tokens 10000]

Prints: aligning tokens with the text, run statistics, colouring in each mode (the
highlighter pass plus the layout of the visible part, as the window does it), and the
hover lookup. Figures only; the target is "well under a second" for 10,000 tokens.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.core.logprobs import TokenLogprob
from app.core.token_stats import run_stats
from app.core.token_units import align
from app.ui.analysis.token_view import ProbabilityMode, TokenTextView

WORDS = [" the", " model", " token", ",", " 你好", "世界", " probability", ".\n", " 🙂", " run"]


def make_tokens(count: int) -> tuple[str, list[TokenLogprob]]:
    rng = random.Random(7)
    tokens = []
    for _ in range(count):
        word = rng.choice(WORDS)
        lp = math.log(rng.uniform(0.01, 1.0))
        top = tuple((w, lp - 0.3 * k) for k, w in enumerate(rng.sample(WORDS, 5)))
        tokens.append(TokenLogprob(word, lp, top))
    return "".join(t.token for t in tokens), tokens


def timed(label: str, func: object) -> object:
    start = time.perf_counter()
    value = func()  # type: ignore[operator]
    print(f"  {label:<44} {(time.perf_counter() - start) * 1000:8.1f} ms")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=10_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    text, tokens = make_tokens(args.tokens)
    print(f"{args.tokens:,} tokens, {len(text):,} characters, {text.count(chr(10)):,} lines")
    timed("align tokens with the text", lambda: align(text, tokens))
    timed("run statistics", lambda: run_stats(tokens))
    view = TokenTextView()
    view.resize(900, 700)
    view.show()
    timed("set the text", lambda: view.setPlainText(text))
    start = time.perf_counter()
    view.set_tokens(tokens)
    view.set_mode(ProbabilityMode.FULL)
    app.processEvents()
    total = time.perf_counter() - start
    print(f"  {'tokens + Full spectrum colouring + paint':<44} {total * 1000:8.1f} ms")
    for mode in (ProbabilityMode.MOST_LIKELY, ProbabilityMode.LEAST_LIKELY, ProbabilityMode.OFF):
        timed(
            f"switch to {mode.name.lower()}", lambda m=mode: (view.set_mode(m), app.processEvents())
        )
    point = view.unit_point(len(view.units) // 2)
    start = time.perf_counter()
    for _ in range(1000):
        view.unit_at(point)
    print(f"  {'hover lookup (per call)':<44} {(time.perf_counter() - start):8.3f} ms")
    print(f"units: {len(view.units):,}; target: well under 1000 ms for the colouring row")


if __name__ == "__main__":
    main()
