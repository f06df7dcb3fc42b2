"""Charts of the graph (matplotlib: SVG, PNG, or SVG in a small HTML page), for ``adcs-kg viz`` and the endpoint.

The timeline of ADCS officers (named query ``officers``), on an axis of association years (the
loaders' rule, :func:`loaders.holdings.office_year`), and one measure across reports
(``measure_over_time``). In SVG each bar or point links to the document it came from.
:func:`officers_chart` and :func:`measure_chart` draw them from a store, for the commands and for
the endpoint's pages.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from difflib import SequenceMatcher
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from loaders.document import document_id
from loaders.holdings import office_year, year_interval

from ..errors import QueryParameterError
from ..namespaces import resource
from ..query import named_query, run_named
from ..results import Answer, rows
from ..store import Store
from .network import clip


class ChartFormat(StrEnum):
    SVG = "svg"
    PNG = "png"
    HTML = "html"


def chart_format(path: Path) -> ChartFormat:
    """The chart format a file name asks for."""
    suffix = path.suffix.lower().lstrip(".")
    try:
        return ChartFormat(suffix)
    except ValueError as exc:
        raise QueryParameterError(f"cannot draw a chart as {path.name}: use .svg, .png or .html") from exc


def document_link(file_name: str, link_base: str | None) -> str:
    """Where a mark drawn from ``file_name`` links: its page on the server, else its IRI."""
    iri = str(resource("doc", document_id(Path(file_name))))
    return iri if link_base is None else f"{link_base.rstrip('/')}/resource?{urlencode({'iri': iri})}"


@dataclass(frozen=True)
class Term:
    """One officer holding placed on the timeline."""

    person: str
    post: str
    start: date
    end: date
    inferred: bool
    document: str


def officer_terms(result: Answer) -> tuple[list[Term], list[str]]:
    """The dated holdings of an ``officers`` result, and a note for each undated one left out.

    A holding known only by its start (or end) is drawn as one day.
    """
    columns, table = rows(result)
    terms: list[Term] = []
    undated: list[str] = []
    for values in table:
        row = dict(zip(columns, values, strict=True))
        if not row["start"] and not row["end"]:
            undated.append(f"{row['person']} ({row['post']}, no dates)")
            continue
        start = date.fromisoformat(row["start"] or row["end"])
        end = date.fromisoformat(row["end"] or row["start"])
        terms.append(Term(row["person"], row["post"], start, end, row["inferred"] == "true", row["document"]))
    return terms, undated


def _figure(rows_: int) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(11, max(2.5, 0.5 * rows_ + 1.5)), layout="constrained")


MIN_BAR = timedelta(days=5)
"""The shortest bar drawn: a holding stated on one day is still visible."""


def within_longer(term: Term, terms: Sequence[Term]) -> bool:
    """Whether another holding of the same person and post covers ``term`` and is longer."""
    return any(
        other.person == term.person and other.post == term.post and other.start <= term.start
        and term.end <= other.end and (other.start, other.end) != (term.start, term.end)
        for other in terms
    )


STATED, INFERRED, EDGE, ON_A_DAY = "#4e79a7", "#a0cbe8", "#4e79a7", "#1f3b5c"
"""Timeline colours: stated and inferred holdings, inferred bars' edges, holdings stated within a longer one."""


def year_axis(axes: Any, first: date, last: date) -> None:
    """An x axis of ADCS years from the one holding ``first`` to the one holding ``last``: a grid
    line on each 1 April and the year ("2020/21") written in the middle of it."""
    years = range(office_year(first), office_year(last) + 1)
    starts = [year_interval(year)[0] for year in [*years, years[-1] + 1]]
    axes.set_xlim(starts[0], starts[-1])
    axes.set_xticks(starts, [])
    axes.set_xticks([date(year, 10, 1) for year in years], [f"{year}/{(year + 1) % 100:02d}" for year in years],
                    minor=True)
    axes.tick_params(axis="x", which="minor", length=0, labelsize=9)
    axes.grid(axis="x", which="major", color="#cccccc", zorder=0)


def officers_figure(terms: Sequence[Term], *, link_base: str | None = None, note: str = "") -> Any:
    """A timeline of officer holdings by ADCS year: one row per post, a bar per holding labelled with
    the holder; stated holdings solid, inferred ones pale, hatched and dashed; a holding stated within
    a longer one of the same person (a date inside the year) is a dark unlabelled tick. Each bar
    links to its document."""
    from matplotlib.patches import Patch

    posts = sorted({t.post for t in terms})
    figure = _figure(len(posts))
    axes = figure.add_subplot()
    for term in terms:
        row = posts.index(term.post)
        width = max(term.end + timedelta(days=1) - term.start, MIN_BAR)
        url = document_link(term.document, link_base) if term.document else None
        if within_longer(term, terms):
            bars = axes.barh(row, width, left=term.start, height=0.6, color=ON_A_DAY, zorder=3)
        else:
            bars = axes.barh(
                row, width, left=term.start, height=0.6, color=INFERRED if term.inferred else STATED,
                hatch="//" if term.inferred else None, edgecolor=EDGE if term.inferred else "white",
                linestyle="--" if term.inferred else "-", linewidth=1 if term.inferred else 2, zorder=2,
            )
            name = axes.annotate(term.person, (term.start + width / 2, row), ha="center", va="center", fontsize=8,
                                 backgroundcolor="#ffffffc0", zorder=4)
            for drawn in (name, name.get_bbox_patch()):  # the name and its box lie over the bar: link them too
                drawn.set_url(url)
        bars[0].set_url(url)
    axes.set_yticks(range(len(posts)), posts, fontsize=8)
    if terms:
        year_axis(axes, min(t.start for t in terms), max(t.end for t in terms))
    axes.invert_yaxis()
    axes.set_title("ADCS officers by year (1 April to 31 March)" + (f"\n{note}" if note else ""), fontsize=10)
    axes.legend(handles=[Patch(facecolor=STATED, label="stated"),
                         Patch(facecolor=INFERRED, hatch="//", edgecolor=EDGE, linestyle="--", label="inferred"),
                         Patch(facecolor=ON_A_DAY, label="stated on a date within")],
                loc="upper center", bbox_to_anchor=(0.5, -0.06), ncols=3, fontsize=8, frameon=False)
    return figure


@dataclass(frozen=True)
class Reading:
    """One finding on a measure: where, when and how much."""

    source: str
    period: str
    low: float
    high: float
    unit: str
    direction: str
    document: str
    kind: str = "Level"
    """What the finding states of the measure: a Level, a Change or a Rate (``ak:MeasureKind``)."""


_VALUE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)(?:\s*-\s*(-?\d+(?:\.\d+)?))?\s*$")


def measure_readings(result: Answer) -> list[Reading]:
    """The findings of a ``measure_over_time`` result ("min-max" values become ranges)."""
    columns, table = rows(result)
    readings = []
    for values in table:
        row = dict(zip(columns, values, strict=True))
        match = _VALUE.match(row["value"])
        if match is None:
            continue
        low, high = float(match[1]), float(match[2] or match[1])
        readings.append(Reading(row["source"] or "unknown source", row["period"] or "undated",
                                low, high, row["unit"], row["direction"], row["document"],
                                row.get("measure_kind") or "Level"))
    return readings


def findings_per_measure(result: Answer) -> Counter[str]:
    """How many findings each measure name has, in a ``findings`` result."""
    columns, table = rows(result)
    at = columns.index("measure")
    return Counter(row[at] for row in table)


def _stems(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in re.findall(r"\w+", text.casefold())}


def close_measures(name: str, counts: Mapping[str, int], *, limit: int = 5) -> list[str]:
    """Measure names like ``name``: those having all its words (plurals aside), or spelt nearly alike.

    Closest first, then those with more findings; at most ``limit``.
    """
    wanted, words = name.casefold().strip(), _stems(name)

    def likeness(candidate: str) -> tuple[bool, float, int]:
        spelt = SequenceMatcher(None, wanted, candidate.casefold()).ratio()
        return (bool(words) and words <= _stems(candidate), spelt, counts[candidate])

    scored = {candidate: likeness(candidate) for candidate in counts}
    close = [c for c, (has_words, spelt, _) in scored.items() if has_words or spelt >= 0.6]
    return sorted(close, key=lambda c: (not scored[c][0], -scored[c][1], -scored[c][2], c))[:limit]


def no_such_measure(name: str, counts: Mapping[str, int]) -> QueryParameterError:
    """The error for a measure name without findings, naming close measures and their findings."""
    close = close_measures(name, counts)
    hint = "; ".join(f"{c!r} ({counts[c]} finding{'s' * (counts[c] != 1)})" for c in close)
    return QueryParameterError(
        f"no findings on a measure named {name!r}" + (f". Close names: {hint}" if hint else "")
        + ". `adcs-kg query findings` lists every measure."
    )


DIRECTION_MARKERS = {"Increase": "^", "Decrease": "v"}
"""Point markers by the finding's direction (a circle otherwise)."""
UNIT_FORMATS = {"GBP": "£{}", "Percent": "{}%", "PercentagePoint": "{} pp"}
"""How a value of a unit is written (the bare number for the others; the panel says the unit)."""


def format_value(value: float, unit: str) -> str:
    """A value as a reader writes it: three significant figures, thousands as k, m, bn ("£3.1bn")."""
    number = f"{value:.3g}"
    for size, suffix in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            number = f"{value / size:.3g}{suffix}"
            break
    return UNIT_FORMATS.get(unit, "{}").format(number)


def measure_figure(measure: str, readings: Sequence[Reading], *, link_base: str | None = None) -> Any:
    """Each reading as a point (a range as a vertical bar) by period, labelled with its value, one
    panel per unit and measure kind (a change is never drawn on the axis of a level), one colour per
    source, readings of one period side by side; each point links to its document."""
    from matplotlib.ticker import FuncFormatter

    panels = sorted({(r.unit, r.kind) for r in readings}, key=lambda p: (p[1] != "Level", p))
    figure = _figure(4 * len(panels))
    sources = sorted({r.source for r in readings})
    colours = {s: f"C{i % 10}" for i, s in enumerate(sources)}
    for index, (unit, kind) in enumerate(panels, start=1):
        axes = figure.add_subplot(len(panels), 1, index)
        chosen = [r for r in readings if (r.unit, r.kind) == (unit, kind)]
        periods = list(dict.fromkeys(r.period for r in chosen))
        placed: dict[str, int] = {}
        for reading in chosen:
            beside = placed[reading.period] = placed.get(reading.period, -1) + 1
            together = sum(r.period == reading.period for r in chosen)
            x = periods.index(reading.period) + 0.12 * (beside - (together - 1) / 2)
            axes.vlines(x, reading.low, reading.high, color=colours[reading.source], linewidth=3)
            marker = DIRECTION_MARKERS.get(reading.direction, "o")
            mark = axes.scatter([x], [reading.high], color=colours[reading.source], zorder=3,
                                label=reading.source, marker=marker)
            mark.set_urls([document_link(reading.document, link_base)])
            written = format_value(reading.high, unit)
            if reading.low != reading.high:
                written = f"{format_value(reading.low, unit)} to {written}"
            axes.annotate(written, (x, reading.high), xytext=(6, 2), textcoords="offset points", fontsize=7)
        axes.set_xticks(range(len(periods)), periods, fontsize=8, rotation=30)
        axes.set_xlim(-0.5, len(periods) - 0.5)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _, unit=unit: format_value(y, unit)))
        if chosen and min(r.low for r in chosen) >= 0:
            axes.set_ylim(bottom=0, top=max(r.high for r in chosen) * 1.15 or 1)
        axes.set_ylabel(unit if kind == "Level" else f"{unit} ({kind.lower()})", fontsize=9)
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles, strict=True))
        if unique:
            axes.legend(unique.values(), unique.keys(), fontsize=7, loc="best")
    figure.suptitle(f"{measure} across reports and periods" + ("" if readings else " (no findings)")
                    + "\n▲ increase   ▼ decrease   ● level or not stated", fontsize=10)
    return figure


def render_chart(figure: Any, chart: ChartFormat, title: str) -> bytes:
    """The figure as SVG or PNG bytes, or as its SVG in a small self-contained HTML page."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png" if chart is ChartFormat.PNG else "svg", dpi=120)
    if chart is not ChartFormat.HTML:
        return buffer.getvalue()
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "<style>body{margin:0;font:14px system-ui,sans-serif}svg{max-width:100%;height:auto}</style>"
            f"</head><body>{svg}</body></html>\n")
    return page.encode("utf-8")


@dataclass(frozen=True)
class Chart:
    """A chart drawn from the store, and one line saying what it shows and what it left out."""

    data: bytes
    summary: str


def officers_chart(store: Store, chart: ChartFormat, *, link_base: str | None = None) -> Chart:
    """The timeline of ADCS officers (named query ``officers``); undated holdings are listed in the title."""
    terms, undated = officer_terms(run_named(store, named_query("officers"), {}))
    note = f"Left out {len(undated)} undated holding(s): {'; '.join(undated)}" if undated else ""
    figure = officers_figure(terms, link_base=link_base, note=clip(note, 150))
    return Chart(render_chart(figure, chart, "ADCS officers"), f"{len(terms)} holding(s) drawn. {note}".rstrip())


def measure_chart(store: Store, name: str, chart: ChartFormat, *, link_base: str | None = None) -> Chart:
    """The findings on the measure ``name`` (named query ``measure_over_time``).

    :class:`QueryParameterError` naming close measures when it has none.
    """
    readings = measure_readings(run_named(store, named_query("measure_over_time"), {"measure": name}))
    if not readings:
        raise no_such_measure(name, findings_per_measure(run_named(store, named_query("findings"), {})))
    figure = measure_figure(name, readings, link_base=link_base)
    return Chart(render_chart(figure, chart, name), f"{len(readings)} finding(s) drawn.")
