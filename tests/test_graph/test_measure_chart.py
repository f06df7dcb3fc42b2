"""The measure chart never draws a change on the axis of a level."""

from __future__ import annotations

from matplotlib.collections import PathCollection
from rdflib import Literal

from graph.results import Answer, Form, rdflib_cell
from graph.viz.charts import measure_figure, measure_readings

COLUMNS = ["source", "period", "value", "unit", "direction", "document", "measure_kind"]


def _result(*rows: list[str]) -> Answer:
    return Answer(Form.SELECT, tuple(COLUMNS), tuple(tuple(rdflib_cell(Literal(v)) for v in row) for row in rows))


def test_levels_and_changes_of_one_unit_are_drawn_on_separate_axes() -> None:
    readings = measure_readings(
        _result(
            ["Survey", "2030", "41", "Percent", "NoChange", "a.txt", "Level"],
            ["Survey", "2031", "12", "Percent", "Increase", "a.txt", "Change"],
            ["Review", "2031", "44", "Percent", "NoChange", "b.txt", "Level"],
        )
    )
    assert [r.kind for r in readings] == ["Level", "Change", "Level"]
    figure = measure_figure("re-referral", readings)
    axes = figure.get_axes()
    assert [a.get_ylabel() for a in axes] == ["Percent", "Percent (change)"]
    level_marks = sum(len(c.get_offsets()) for c in axes[0].collections if isinstance(c, PathCollection))
    change_marks = sum(len(c.get_offsets()) for c in axes[1].collections if isinstance(c, PathCollection))
    assert (level_marks, change_marks) == (2, 1)
