"""Benchmark: how the build scales with the size of the corpus.

Builds the scaled corpus of the genre (``genre_corpus.py``) at 1x (the baseline, measured in the
same run) and then at each requested multiple, whose people, councils, reports, figures and dates
grow with the multiple instead of repeating, each in a fresh process, and prints per build:
documents, triples, wall seconds per stage, and peak resident memory of the build process, with
ratios to the baseline. (The extraction workers hold one document at a time, so their memory does
not grow with the corpus.)

    python bench/build_scale.py --multiples 10 100 --reasoning rl-fast

Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.queues import Queue
from pathlib import Path

from genre_corpus import write_corpus

from graph.build import build
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from graph.reason import Reasoning
from graph.store import StoreConfig

STAGES = ("extract", "link", "reason", "validate", "store")


@dataclass(frozen=True)
class Measure:
    documents: int
    asserted: int
    inferred: int
    seconds: dict[str, float]
    """Per stage, and ``total`` for the whole build call."""
    peak_mib: float
    """Peak resident memory of the build process."""


def make_corpus(root: Path, copies: int) -> Path:
    corpus = root / f"corpus-x{copies}"
    write_corpus(corpus, copies)
    return corpus


class StageLog:
    """Says on stderr when each stage starts, so a build stopped part-way shows how far it got."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.perf_counter()

    def stage(self, name: str, total: int | None) -> None:
        print(f"  {self.label}: {name} from {time.perf_counter() - self.started:.0f} s", file=sys.stderr, flush=True)

    def advance(self, amount: int = 1) -> None:
        pass


def _build_once(corpus: Path, store: Path, reasoning: Reasoning, results: Queue[Measure]) -> None:
    """Runs in a fresh process, so its peak memory is this build's alone."""
    started = time.perf_counter()
    summary = build(
        corpus, store=StoreConfig(store), reasoning=reasoning, allow_invalid=True, progress=StageLog(corpus.name)
    )
    seconds = {**summary.seconds, "total": time.perf_counter() - started}
    results.put(
        Measure(
            documents=summary.documents,
            asserted=summary.triples[ASSERTED_GRAPH],
            inferred=summary.triples[INFERRED_GRAPH],
            seconds=seconds,
            peak_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )
    )


def measure(corpus: Path, store: Path, reasoning: Reasoning) -> Measure:
    context = multiprocessing.get_context("spawn")
    results: Queue[Measure] = context.Queue()
    process = context.Process(target=_build_once, args=(corpus, store, reasoning, results))
    process.start()
    found = results.get()
    process.join()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--multiples", type=int, nargs="+", default=[10])
    parser.add_argument("--reasoning", type=Reasoning, default=Reasoning.RL_FAST, choices=list(Reasoning))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"reasoning: {args.reasoning}; seconds and peak MiB, each with its ratio to x1", flush=True)
        columns = ["docs", "asserted", "inferred", *STAGES, "total", "peak MiB"]
        print(f"{'corpus':>6} " + " ".join(f"{c:>16}" for c in columns), flush=True)
        baseline: Measure | None = None
        for copies in [1, *args.multiples]:
            corpus = make_corpus(root, copies)
            found = measure(corpus, root / f"store-x{copies}", args.reasoning)
            baseline = baseline or found
            cells = [f"{found.documents:,}", f"{found.asserted:,}", f"{found.inferred:,}"]
            for stage in (*STAGES, "total"):
                seconds = found.seconds.get(stage, 0.0)
                cells.append(f"{seconds:.1f} ({seconds / max(baseline.seconds.get(stage, 0.0), 1e-3):.0f}x)")
            cells.append(f"{found.peak_mib:.0f} ({found.peak_mib / baseline.peak_mib:.1f}x)")
            print(f"{'x' + str(copies):>6} " + " ".join(f"{c:>16}" for c in cells), flush=True)
            shutil.rmtree(corpus)
            shutil.rmtree(root / f"store-x{copies}")


if __name__ == "__main__":
    main()
