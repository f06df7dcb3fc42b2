"""Benchmark: the build at scale, the fast pipeline against the reference, side by side in one run
(``python -m bench``).

For each ``--scale N``: writes the scaled corpus of the genre (``genre_corpus.py``, N times the
bundled corpus: 5N documents whose people, councils, reports, figures and dates grow with N), then,
each in a fresh process whose peak memory (the resident set of the build and its extraction
workers together, sampled every 0.2 s) is its own:

1. the fast build (``--reasoning rl-fast``, the streaming pipeline);
2. adding one new document to the store it made (``adcs-kg add``);
3. the reference build (``--reasoning owl-rl``: rdflib, owlrl, pyshacl), unless it would take
   longer than ``--reference-limit`` seconds: then it is estimated, linearly, from the largest
   scale at which it was measured (a lower bound: neither owlrl nor pyshacl is faster than linear),
   and marked so. A reference build that runs past the limit is stopped and reported as such;
4. the quality-check queries alone, on the fast build's store (both pipelines run the same ones),
   so that the validation ratio can also be given for the shapes alone (pyshacl against the
   compiled shapes).

It prints a Markdown table and writes it, with the measurements as JSON, to ``--out``
(``bench-scale.md`` and ``bench-scale.json``). Every ratio is between two measurements of the same
run. Stage seconds of the fast build are the workers' seconds summed over documents plus the
corpus-wide steps (so they do not shrink with more cores); totals are wall-clock.

    python -m bench --scale 10 100 --reference-limit 3600

Run on demand, from the repository's root; never part of the test suite (a smoke test runs N=1).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import queue
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from functools import partial
from multiprocessing.queues import Queue
from pathlib import Path

import psutil

from bench.genre_corpus import documents, write_corpus
from graph.build import add, build
from graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from graph.reason import Reasoning
from graph.store import EmbeddedStore, StoreConfig
from graph.validate import run_quality_checks

STAGES = ("extract", "link", "reason", "validate", "store")


@dataclass
class Measure:
    """One build (or one addition) in its own process."""

    wall: float
    """Seconds, start to commit."""
    seconds: dict[str, float]
    """Per stage, as the build summary gives them."""
    peak_mib: float
    """Peak resident memory of the process and its workers together."""
    documents: int = 0
    asserted: int = 0
    inferred: int = 0
    violations: int = 0
    quality_checks: float = 0.0
    """Seconds the quality-check queries take alone on the store built."""


@dataclass
class Scale:
    """What one scale measured."""

    scale: int
    fast: Measure
    add_one: Measure
    reference: Measure | None
    reference_note: str = "measured"
    """``measured``, ``estimated from xM`` or ``stopped after S s``."""
    ratios: dict[str, float] = field(default_factory=dict)


class _Peak:
    """Samples the resident memory of this process and its children."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                total = sum(p.memory_info().rss for p in [me, *me.children(recursive=True)])
            except psutil.Error:
                continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def _build_once(corpus: Path, store: Path, reasoning: Reasoning, results: Queue[Measure]) -> None:
    peak = _Peak()
    started = time.perf_counter()
    summary = build(corpus, store=StoreConfig(store), reasoning=reasoning, allow_invalid=True)
    wall = time.perf_counter() - started
    peak_mib = peak.stop()
    checks = time.perf_counter()
    run_quality_checks(EmbeddedStore(StoreConfig(store)))
    results.put(
        Measure(
            wall=wall,
            seconds=summary.seconds,
            peak_mib=peak_mib,
            documents=summary.documents,
            asserted=summary.triples[ASSERTED_GRAPH],
            inferred=summary.triples[INFERRED_GRAPH],
            violations=len(summary.validation.results),
            quality_checks=time.perf_counter() - checks,
        )
    )


def _add_once(document: Path, store: Path, results: Queue[Measure]) -> None:
    peak = _Peak()
    started = time.perf_counter()
    summary = add([document], store=StoreConfig(store), allow_invalid=True)
    wall = time.perf_counter() - started
    results.put(Measure(wall=wall, seconds=summary.seconds, peak_mib=peak.stop(), documents=summary.documents))


def _in_a_process(target: object, *args: object, limit: float | None = None) -> Measure | None:
    """``target(*args, queue)`` in a fresh process; None if it ran past ``limit`` seconds (then it
    and its workers are stopped) or ended without a result."""
    context = multiprocessing.get_context("spawn")
    results: Queue[Measure] = context.Queue()
    process = context.Process(target=target, args=(*args, results))  # type: ignore[arg-type]
    process.start()
    started = time.perf_counter()
    try:
        while limit is None or time.perf_counter() - started < limit:
            try:
                return results.get(timeout=1)
            except queue.Empty:
                if not process.is_alive():
                    return None
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
        process.kill()
        return None
    finally:
        process.join()


def measure(scale: int, root: Path, *, reference_limit: float, measured: list[Scale]) -> Scale:
    corpus = root / f"corpus-x{scale}"
    write_corpus(corpus, scale)
    extra = root / f"extra-x{scale}"
    extra.mkdir()
    name, text = next(iter(documents(scale).items()))  # a document of the next copy: new people, new dates
    (extra / name).write_text(text, encoding="utf-8")
    print(f"x{scale}: fast build of {len(list(corpus.iterdir()))} documents", file=sys.stderr, flush=True)
    fast = _in_a_process(_build_once, corpus, root / f"fast-x{scale}", Reasoning.RL_FAST)
    assert fast is not None
    print(f"x{scale}: adding one document", file=sys.stderr, flush=True)
    added = _in_a_process(_add_once, extra / name, root / f"fast-x{scale}")
    assert added is not None
    reference, note = _reference(scale, corpus, root, reference_limit, measured)
    for path in (corpus, extra, root / f"fast-x{scale}", root / f"reference-x{scale}"):
        shutil.rmtree(path, ignore_errors=True)
    found = Scale(scale, fast, added, reference, note)
    found.ratios = _ratios(found)
    return found


def _reference(
    scale: int, corpus: Path, root: Path, limit: float, measured: list[Scale]
) -> tuple[Measure | None, str]:
    basis = next((s for s in reversed(measured) if s.reference is not None and s.reference_note == "measured"), None)
    if basis is not None and basis.reference is not None:
        factor = scale / basis.scale
        if basis.reference.wall * factor > limit:
            estimate = basis.reference
            return (
                Measure(
                    wall=estimate.wall * factor,
                    seconds={k: v * factor for k, v in estimate.seconds.items()},
                    peak_mib=estimate.peak_mib * factor,
                    quality_checks=estimate.quality_checks * factor,
                ),
                f"estimated from x{basis.scale}",
            )
    if limit <= 0:
        return None, "not run"
    print(f"x{scale}: reference build (at most {limit:.0f} s)", file=sys.stderr, flush=True)
    found = _in_a_process(_build_once, corpus, root / f"reference-x{scale}", Reasoning.OWL_RL, limit=limit)
    return found, "measured" if found is not None else f"stopped after {limit:.0f} s"


def _ratios(s: Scale) -> dict[str, float]:
    fast = s.fast
    ratios = {
        "corpus-wide share": (fast.seconds["reason"] + fast.seconds["validate"] + fast.seconds["store"])
        / fast.seconds["extract"],
        "add one / full build": s.add_one.wall / fast.wall,
    }
    if s.reference is not None:
        ref = s.reference
        ratios["end to end"] = ref.wall / fast.wall
        ratios["reasoning"] = ref.seconds["reason"] / fast.seconds["reason"]
        ratios["validation"] = ref.seconds["validate"] / fast.seconds["validate"]
        shapes_fast = fast.seconds["validate"] - fast.quality_checks
        if shapes_fast > 0:
            ratios["shapes alone"] = (ref.seconds["validate"] - ref.quality_checks) / shapes_fast
    return ratios


def _ratio(ratios: dict[str, float], key: str, prefix: str = "") -> str:
    return f"{prefix}{ratios[key]:.1f}x" if key in ratios else "-"


def markdown(scales: list[Scale]) -> str:
    lines = [
        "| corpus | documents | triples (asserted + inferred) | fast build | docs/s | triples/s | fast peak | "
        "reference build | reference peak | end to end | reasoning | validation | shapes alone | "
        "reason + validate + store / extract | add one document |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scales:
        triples = s.fast.asserted + s.fast.inferred
        ref = s.reference
        mark = "" if s.reference_note == "measured" else f" ({s.reference_note})"
        r = s.ratios
        approx = "≥" if s.reference_note.startswith("estimated") else ""
        ratio = partial(_ratio, r)
        lines.append(
            f"| x{s.scale} | {s.fast.documents:,} | {s.fast.asserted:,} + {s.fast.inferred:,} | {s.fast.wall:.1f} s | "
            f"{s.fast.documents / s.fast.wall:.2f} | {triples / s.fast.wall:,.0f} | {s.fast.peak_mib:,.0f} MiB | "
            f"{f'{ref.wall:.1f} s{mark}' if ref else s.reference_note} | "
            f"{f'{ref.peak_mib:,.0f} MiB' if ref and not approx else '-'} | {ratio('end to end', approx)} | "
            f"{ratio('reasoning', approx)} | {ratio('validation', approx)} | {ratio('shapes alone', approx)} | "
            f"{r['corpus-wide share']:.2f} | {s.add_one.wall:.1f} s ({100 * r['add one / full build']:.1f}%) |"
        )
    lines.append("")
    lines.append("Seconds per stage (fast: summed over documents; reference: wall):")
    lines.append("")
    lines.append("| corpus | pipeline | " + " | ".join(STAGES) + " | quality checks alone |")
    lines.append("| --- | --- | " + " | ".join("---:" for _ in STAGES) + " | ---: |")
    for s in scales:
        for label, m in (("fast", s.fast), ("reference", s.reference)):
            if m is not None:
                cells = " | ".join(f"{m.seconds.get(stage, 0.0):.1f}" for stage in STAGES)
                lines.append(f"| x{s.scale} | {label} | {cells} | {m.quality_checks:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="+", default=[10], help="corpus sizes, in copies of the corpus")
    parser.add_argument(
        "--reference-limit", type=float, default=3600.0, help="seconds a reference build may take (0: none is run)"
    )
    parser.add_argument("--out", type=Path, default=Path("bench") / "results", help="where to write the results")
    args = parser.parse_args()
    scales: list[Scale] = []
    with tempfile.TemporaryDirectory(prefix="adcs-kg-bench-") as tmp:
        for scale in sorted(args.scale):
            scales.append(measure(scale, Path(tmp), reference_limit=args.reference_limit, measured=scales))
    table = markdown(scales)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench-scale.md").write_text(table, encoding="utf-8")
    (args.out / "bench-scale.json").write_text(json.dumps([asdict(s) for s in scales], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
