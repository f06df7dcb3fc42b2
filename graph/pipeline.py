"""What the build's pipelines share: progress, the summary, settings, stage clocks, worker processes."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from rdflib import URIRef

from loaders.extraction import Skip

from .errors import LoaderError, ShapeError
from .reason import Reasoning
from .validate import ReportFormat, ValidationReport

CORPUS_PATTERN = "*.txt"
"""Which files of a corpus directory are source documents."""


class Progress(Protocol):
    """Receives the build's progress; the CLI draws it as progress bars."""

    def stage(self, name: str, total: int | None) -> None: ...

    def advance(self, amount: int = 1) -> None: ...


class Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass(frozen=True)
class BuildSummary:
    documents: int
    items: int
    triples: dict[URIRef, int]
    """Triples per named graph (asserted, inferred, ontology)."""
    seconds: dict[str, float]
    """Wall-clock seconds per stage."""
    skipped: tuple[Skip, ...]
    validation: ValidationReport


def corpus_files(corpus: Path) -> list[Path]:
    """The source documents of a corpus directory, in name order."""
    if not corpus.is_dir():
        raise LoaderError(corpus, "corpus directory not found")
    files = sorted(p for p in corpus.glob(CORPUS_PATTERN) if p.is_file())
    if not files:
        raise LoaderError(corpus, f"no source documents ({CORPUS_PATTERN}) in the corpus directory")
    return files


def raise_load_errors(files: list[Path], errors: dict[Path, LoaderError]) -> None:
    if not errors:
        return
    ordered = [errors[p] for p in sorted(errors)]
    if len(ordered) == 1:
        raise ordered[0]
    listing = "\n".join(f"  {e}" for e in ordered)
    raise LoaderError(files[0].parent, f"{len(ordered)} documents could not be loaded:\n{listing}")


R = TypeVar("R")


def in_workers(
    work: Callable[[Path], R],
    files: list[Path],
    *,
    jobs: int,
    progress: Progress,
    prepare: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``work`` on each file, in ``jobs`` worker processes (or in this one), results as they come.

    At most two files per worker are in flight, so finished results do not pile up in memory.
    Every file is tried; those that cannot be loaded are reported together at the end.
    """
    errors: dict[Path, LoaderError] = {}
    if not files:
        return
    if jobs <= 1 or len(files) == 1:
        if prepare is not None:
            prepare()
        for path in files:
            try:
                yield work(path)
            except LoaderError as exc:
                errors[path] = exc
            progress.advance()
    else:
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context, initializer=prepare) as pool:
            waiting = iter(files)
            running: dict[Future[R], Path] = {}
            for path in waiting:
                running[pool.submit(work, path)] = path
                if len(running) >= 2 * jobs:
                    break
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    path = running.pop(future)
                    try:
                        yield future.result()
                    except LoaderError as exc:
                        errors[path] = exc
                    progress.advance()
                    following = next(waiting, None)
                    if following is not None:
                        running[pool.submit(work, following)] = following
    raise_load_errors(files, errors)


@dataclass(frozen=True)
class Settings:
    reasoning: Reasoning
    alignments: bool
    allow_invalid: bool
    jobs: int
    max_document_bytes: int
    progress: Progress


class Clock:
    """Seconds per stage, and the progress bars' stages."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.seconds: dict[str, float] = dict.fromkeys(("extract", "link", "reason", "validate", "store"), 0.0)

    @contextmanager
    def stage(self, name: str, total: int | None = None, *, shown: bool = True) -> Iterator[None]:
        if shown:
            self.progress.stage(name, total)
        started = time.perf_counter()
        yield
        self.seconds[name] += time.perf_counter() - started


def refuse_invalid(report: ValidationReport, settings: Settings) -> None:
    if not report.conforms and not settings.allow_invalid:
        raise ShapeError(
            f"the graph does not conform ({len(report.results)} violations); the store was not changed",
            report_text=report.render(ReportFormat.HUMAN),
        )
