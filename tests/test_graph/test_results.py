"""Results written by pyoxigraph's writers: cut at the row limit in every format, the columns kept, nothing lost."""

from __future__ import annotations

import csv
import functools
import io

import pyoxigraph as ox
import pytest

from graph.results import (
    GRAPH_FORMATS,
    OX_FORMATS,
    OX_RESULTS,
    RESULT_FORMATS,
    MediaFormat,
    answer_from_ox,
    serialize_results,
    write_ox,
)

EX = "http://example.org/"
ROWS = 30


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Thirty subjects, each with a label holding a tab, a newline and quotes, a language or a datatype."""
    db = ox.Store()
    for i in range(ROWS):
        label = ox.Literal(f'line {i}\twith "quotes"\nand more', language="en") if i % 2 else ox.Literal(str(i))
        db.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02d}"), ox.NamedNode(f"{EX}label"), label, ox.NamedNode(f"{EX}g")))
        db.add(ox.Quad(ox.BlankNode(f"b{i}"), ox.NamedNode(f"{EX}of"), ox.NamedNode(f"{EX}s{i:02d}")))
    return db


def run(db: ox.Store, query: str) -> functools.partial[object]:
    return functools.partial(db.query, query, use_default_graph_as_union=True)


def rows_of(db: ox.Store, query: str) -> list[ox.QuerySolution]:
    results = db.query(query, use_default_graph_as_union=True)
    assert isinstance(results, ox.QuerySolutions)
    return list(results)


def solutions(body: bytes, media_type: str) -> list[dict[str, str]]:
    parsed = ox.parse_query_results(body, format=OX_RESULTS[media_type])
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [{n: str(row[n]) for n in names if row[n] is not None} for row in parsed]


LABELS = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"


@pytest.mark.parametrize("media", RESULT_FORMATS, ids=lambda m: m.label)
@pytest.mark.parametrize(("max_rows", "cut"), [(10, True), (ROWS - 1, True), (ROWS, False), (1000, False)])
def test_solutions_are_cut_at_the_row_limit_in_every_format(
    store: ox.Store, media: MediaFormat, max_rows: int, cut: bool
) -> None:
    expected = [{"s": str(row["s"]), "label": str(row["label"])} for row in rows_of(store, LABELS)]
    written = write_ox(run(store, LABELS), media, max_rows=max_rows)
    assert written.truncated is cut
    if media.media_type == "text/csv":  # pyoxigraph reads no CSV back: count its records
        assert len(list(csv.reader(io.StringIO(written.body.decode())))) == 1 + min(max_rows, ROWS)
        return
    assert solutions(written.body, media.media_type) == expected[:max_rows]


def test_rows_with_nothing_bound_are_counted_too(store: ox.Store) -> None:
    """The shortest rows a writer can write: an output cut by size alone would let through too many."""
    empty_rows = f"SELECT ?nothing WHERE {{ ?s <{EX}label> ?label }}"
    for media in RESULT_FORMATS:
        written = write_ox(run(store, empty_rows), media, max_rows=10)
        assert written.truncated, media.label
        if media.media_type != "text/csv":
            assert len(solutions(written.body, media.media_type)) == 10, media.label


def test_a_limit_within_the_row_limit_is_written_whole(store: ox.Store) -> None:
    limited = LABELS + " LIMIT 5"
    for media in RESULT_FORMATS[:2]:
        written = write_ox(run(store, limited), media, max_rows=5, bounded=True)
        assert not written.truncated
        assert len(solutions(written.body, media.media_type)) == 5


def test_columns_are_kept_in_the_order_asked_and_values_survive_the_rewriting(store: ox.Store) -> None:
    query = f"SELECT ?s ?label ?b WHERE {{ ?s <{EX}label> ?label . ?b <{EX}of> ?s }} ORDER BY ?s"
    json = RESULT_FORMATS[0]
    written = write_ox(run(store, query), json, max_rows=1000, columns=("label", "s"))
    parsed = ox.parse_query_results(written.body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    assert [v.value for v in parsed.variables] == ["label", "s"]
    rows = list(parsed)
    assert [row["s"] for row in rows] == [row["s"] for row in rows_of(store, LABELS)]
    odd = rows[1]["label"]
    assert isinstance(odd, ox.Literal)
    assert odd.value == 'line 1\twith "quotes"\nand more' and odd.language == "en"


def test_blank_nodes_stay_blank_nodes_through_the_rewriting(store: ox.Store) -> None:
    query = f"SELECT ?b ?s WHERE {{ ?b <{EX}of> ?s }}"
    written = write_ox(run(store, query), RESULT_FORMATS[0], max_rows=5, columns=("b",))
    parsed = ox.parse_query_results(written.body, format=ox.QueryResultsFormat.JSON)
    assert isinstance(parsed, ox.QuerySolutions)
    assert all(isinstance(row["b"], ox.BlankNode) for row in parsed)
    assert written.truncated


@pytest.mark.parametrize("media", GRAPH_FORMATS, ids=lambda m: m.label)
def test_triples_are_cut_at_the_row_limit_in_every_graph_format(store: ox.Store, media: MediaFormat) -> None:
    construct = f"CONSTRUCT {{ ?s <{EX}label> ?label }} WHERE {{ ?s <{EX}label> ?label }}"
    cut = write_ox(run(store, construct), media, max_rows=7)
    whole = write_ox(run(store, construct), media, max_rows=1000)
    rdf = OX_FORMATS[media.media_type]
    assert cut.truncated and not whole.truncated
    assert len(list(ox.parse(cut.body, format=rdf))) == 7
    assert len(list(ox.parse(whole.body, format=rdf))) == ROWS


def test_an_answer_is_written_as_pyoxigraph_writes_the_same_results(store: ox.Store) -> None:
    answer = answer_from_ox(store.query(LABELS, use_default_graph_as_union=True), 1000)
    for media in RESULT_FORMATS:
        direct = write_ox(run(store, LABELS), media, max_rows=1000)
        assert serialize_results(answer, media) == direct.body, media.label


def test_ask_is_written_in_every_results_format(store: ox.Store) -> None:
    for media in RESULT_FORMATS:
        asked = write_ox(run(store, f"ASK {{ ?s <{EX}label> ?o }}"), media, max_rows=1)
        if media.media_type == "text/csv":  # pyoxigraph reads no CSV back
            assert asked.body == b"true\n"
            continue
        parsed = ox.parse_query_results(asked.body, format=OX_RESULTS[media.media_type])
        assert isinstance(parsed, ox.QueryBoolean) and bool(parsed), media.label


def test_values_that_look_like_the_marks_between_rows_cut_nothing() -> None:
    """A value holding what a writer puts between rows (JSON's "},{", CSV's line end) may make the rows
    look more than they are: the answer is then written again, whole, and still not called cut."""
    db = ox.Store()
    for i in range(5):
        value = ox.Literal(f'{i} }},{{"x": 1}} \r\n<result> line')
        db.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}label"), value, ox.DefaultGraph()))
    query = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"
    for media in RESULT_FORMATS:
        written = write_ox(run(db, query), media, max_rows=5)
        assert not written.truncated, media.label
        if media.media_type != "text/csv":
            assert [row["label"] for row in solutions(written.body, media.media_type)] == [
                str(ox.Literal(f'{i} }},{{"x": 1}} \r\n<result> line')) for i in range(5)
            ], media.label
