"""Benchmark: how the build scales with the size of the corpus.

Builds the bundled corpus copied 1x (the baseline, measured in the same run) and then each
requested multiple (copies get distinct file names, so distinct documents), each in a fresh
process, and prints wall time, peak memory and triples with their ratios to the baseline.

    python bench/build_scale.py --multiples 10 100 --reasoning rl-fast

Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from graph.resources import DataDir, data_dir
from graph.store import EmbeddedStore, StoreConfig


def make_corpus(root: Path, copies: int) -> Path:
    corpus = root / f"corpus-x{copies}"
    corpus.mkdir()
    for source in sorted(data_dir(DataDir.CORPUS).glob("*.txt")):
        for copy in range(copies):
            shutil.copy(source, corpus / f"{source.stem}-c{copy:04d}.txt")
    return corpus


def measure(corpus: Path, store: Path, reasoning: str) -> tuple[float, float, int, int]:
    """(seconds, peak MiB, asserted triples, inferred triples) of one build in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    command = [sys.executable, "-m", "graph", "build", "--corpus", str(corpus), "--store", str(store),
               "--reasoning", reasoning]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    counts = EmbeddedStore(StoreConfig(store)).triple_counts()
    return seconds, peak, counts.get(ASSERTED_GRAPH, 0), counts.get(INFERRED_GRAPH, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--multiples", type=int, nargs="+", default=[10])
    parser.add_argument("--reasoning", default="rl-fast", choices=["owl-rl", "rl-fast", "none"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        print(f"reasoning: {args.reasoning}")
        print(f"{'corpus':>8} {'docs':>6} {'seconds':>9} {'x base':>7} {'peak MiB':>9} {'x base':>7} "
              f"{'asserted':>10} {'inferred':>10}")
        baseline: tuple[float, float] | None = None
        for copies in [1, *args.multiples]:
            corpus = make_corpus(root, copies)
            seconds, peak, asserted, inferred = measure(corpus, root / f"store-x{copies}", args.reasoning)
            baseline = baseline or (seconds, peak)
            documents = len(list(corpus.glob("*.txt")))
            print(f"{'x' + str(copies):>8} {documents:>6} {seconds:>9.1f} {seconds / baseline[0]:>7.1f} "
                  f"{peak:>9.0f} {peak / baseline[1]:>7.1f} {asserted:>10,} {inferred:>10,}")


if __name__ == "__main__":
    main()
