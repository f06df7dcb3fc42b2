"""Parse limits (graph.sparql): deep or long SPARQL texts are refused before any engine parses them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.errors import QueryLimitError, QuerySyntaxError
from graph.query import named_queries
from graph.sparql import DEFAULT_LIMITS, ParseLimits, check_limits


def nested_groups(depth: int) -> str:
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def nested_parentheses(depth: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "?o" + ")" * depth + ") }"


def nested_update(depth: int) -> str:
    return "INSERT { ?s ?p ?o } WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth


def nested_path(depth: int) -> str:
    return "SELECT * WHERE { ?s " + "(" * depth + "<https://example.org/p>" + ")" * depth + " ?o }"


def inverse_run(length: int) -> str:
    return "SELECT * WHERE { ?s " + "^" * length + "<https://example.org/p> ?o }"


def negation_run(length: int) -> str:
    return "SELECT * WHERE { FILTER(" + "!" * length + "true) }"


def sum_chain(terms: int) -> str:
    return "SELECT * WHERE { FILTER(" + "+".join(["1"] * terms) + " > 0) }"


def union_chain(branches: int) -> str:
    return "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * branches) + " }"


def path_sequence(steps: int) -> str:
    return "SELECT * WHERE { ?s " + "/".join(["<https://example.org/p>"] * steps) + " ?o }"


def refused(text: str, **kwargs: object) -> QueryLimitError:
    with pytest.raises(QueryLimitError) as caught:
        check_limits(text, **kwargs)  # type: ignore[arg-type]
    return caught.value


# The texts that ended a query worker or the whole server before these limits.
CRASHES = {
    "3,000 nested groups": (nested_groups(3_000), "query"),
    "5,000 nested parentheses": (nested_parentheses(5_000), "query"),
    "an update 5,000 groups deep": (nested_update(5_000), "update"),
    "5,000 nested path parentheses": (nested_path(5_000), "query"),
    "20,000 negations": (negation_run(20_000), "query"),
    "a sum of 10,000 terms": (sum_chain(10_000), "query"),
}


@pytest.mark.parametrize("name", CRASHES)
def test_the_texts_that_crashed_the_engine_are_refused_with_the_limit_named(name: str) -> None:
    text, source = CRASHES[name]
    error = refused(text, source=source)
    assert isinstance(error, QuerySyntaxError)  # answered 400 like any text the server cannot run
    assert str(error).startswith(source)
    assert any(f"{n:,}" in error.message for n in (DEFAULT_LIMITS.depth, DEFAULT_LIMITS.operators))


def test_depth_counts_groups_parentheses_and_brackets_together() -> None:
    limits = ParseLimits(depth=4)
    check_limits("SELECT * { { ?s ?p [ ?q ( 1 ) ] } }", limits=limits)  # depth 4
    error = refused("SELECT * { { ?s ?p [ ?q ( ( 1 ) ) ] } }", limits=limits)
    assert error.message == "nested deeper than the limit of 4 levels"
    assert (error.line, error.column) == (1, 27)  # the fifth opening


def test_depth_is_measured_not_summed_over_siblings() -> None:
    siblings = "SELECT * WHERE { " + " ".join("{ ?s ?p ?o }" for _ in range(500)) + " }"
    check_limits(siblings)


def test_position_of_a_refusal_is_its_line_and_column() -> None:
    text = "SELECT *\nWHERE {\n  {{{ ?s ?p ?o }}}\n}"
    error = refused(text, limits=ParseLimits(depth=3))
    assert (error.line, error.column) == (3, 5)


def test_runs_of_prefix_operators_count_as_nesting() -> None:
    limits = ParseLimits(depth=8)
    check_limits(inverse_run(7), limits=limits)
    assert refused(inverse_run(9), limits=limits).column is not None
    check_limits(negation_run(6), limits=limits)  # inside a group and a parenthesis: two levels more
    refused(negation_run(7), limits=limits)


def test_runs_end_at_the_next_term_and_not_equal_is_no_prefix_operator() -> None:
    typed = " ".join(f'"{i}"^^xsd:integer' for i in range(50))  # each ^^ a run of two, ended by its datatype
    check_limits(
        f"SELECT * WHERE {{ VALUES ?v {{ {typed} }} FILTER(?v != 3 && ?v != 4) }}", limits=ParseLimits(depth=4)
    )


def test_brackets_and_keywords_inside_strings_comments_and_names_do_not_count() -> None:
    deep = "{" * 500 + "(" * 500
    text = f"""
    # {deep} UNION UNION
    SELECT * WHERE {{
      ?s <https://example.org/p> "{deep}", '{deep}', \"\"\"{deep}
      UNION\"\"\", '''{deep}''' ; ex:local\\(\\( ?o .
    }}"""
    check_limits(text, limits=ParseLimits(depth=2, operators=0))


def test_escaped_quotes_do_not_end_strings() -> None:
    check_limits(r'SELECT * WHERE { ?s ?p "a \" {{{{ " }', limits=ParseLimits(depth=1))


def test_an_unterminated_string_hides_nothing_after_it_on_its_line() -> None:
    # the engine refuses the unterminated string; the next line is read normally
    text = 'SELECT * WHERE { ?s ?p "open {{{{{{\n' + "{" * 10
    refused(text, limits=ParseLimits(depth=5))


def test_brackets_inside_an_iri_count_where_a_less_than_could_read_them() -> None:
    hidden = "SELECT * WHERE { FILTER(?a<" + "(" * 20 + "?b" + ")" * 20 + ">0) }"
    refused(hidden, limits=ParseLimits(depth=10))


def test_chained_operators_are_counted_over_the_whole_text() -> None:
    limits = ParseLimits(operators=10)
    check_limits(union_chain(11), limits=limits)  # ten UNIONs
    error = refused(union_chain(12), limits=limits)
    assert error.message == "more chained operators than the limit of 10"
    refused(path_sequence(12), limits=limits)
    refused(sum_chain(12), limits=limits)


def test_signs_of_numbers_in_data_are_not_operators() -> None:
    triples = " ".join(f"<https://example.org/s{i}> <https://example.org/p> -{i} ." for i in range(100))
    check_limits(f"INSERT DATA {{ {triples} }}", limits=ParseLimits(operators=0))


def test_length_is_limited() -> None:
    text = "ASK {}" + " " * 94
    check_limits(text, limits=ParseLimits(length=100))
    error = refused(text + " ", limits=ParseLimits(length=100))
    assert error.message == "longer than the limit of 100 characters (101)"


def test_every_named_query_is_within_the_limits() -> None:
    for query in named_queries().values():
        check_limits(query.text)


def test_an_adversarial_text_is_read_in_linear_time() -> None:
    # unterminated long strings, escapes and quotes: each is read once, not rescanned per quote
    check_limits("'''\\'" * 20_000)
    check_limits('"""\\' * 25_000)
    check_limits("'\\" * 33_000)
    check_limits('"' * 99_000)
    check_limits('"\\' * 33_000)
    check_limits("'\\\"" * 33_000)


_SURVIVES = """
import sys
import threading
import pyoxigraph as ox

def run(text):
    store = ox.Store()
    try:
        if text.startswith("INSERT"):
            store.update(text)
        else:
            result = store.query(text)
            if not isinstance(result, bool):
                list(result)
    except SyntaxError:
        pass

text = sys.stdin.read()
run(text)  # as a worker runs a query: in its main thread
thread = threading.Thread(target=run, args=(text,))  # as the server applies an update: in a thread
thread.start()
thread.join()
print("survived")
"""


@pytest.mark.parametrize(
    "text",
    [
        nested_groups(DEFAULT_LIMITS.depth - 1),
        nested_parentheses(DEFAULT_LIMITS.depth - 3),
        nested_update(DEFAULT_LIMITS.depth - 1),
        negation_run(DEFAULT_LIMITS.depth - 3),
        sum_chain(DEFAULT_LIMITS.operators),
        union_chain(DEFAULT_LIMITS.operators),
    ],
    ids=["groups", "parentheses", "update", "negations", "sum", "union"],
)
def test_the_engine_survives_the_largest_texts_the_limits_allow(text: str) -> None:
    check_limits(text)
    done = subprocess.run(
        [sys.executable, "-c", _SURVIVES], input=text, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "survived"
