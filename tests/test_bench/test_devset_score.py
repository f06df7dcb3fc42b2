"""The development-set scorer's matching, on an invented page and an invented annotation."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import Graph


def _scorer() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "devset" / "score.py"
    spec = importlib.util.spec_from_file_location("devset_score", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


score = _scorer()

TEXT = (
    "Commenting on the Brookvale survey, Cllr Ria O’Donnell-Hart, Chair of the Wexmoor Council’s "
    "children’s committee, said: “Demand rose by 14% in a year. We urge the Treasury to act.”\n\n"
    "Tam Ferris, Wexmoor’s director of children’s services, said: “We are ready.”"
)


def _span(fragment: str) -> tuple[int, int]:
    start = TEXT.index(fragment)
    return start, start + len(fragment)


def _gold() -> dict[str, Any]:
    quote1, quote2 = _span("“Demand rose by 14% in a year. We urge the Treasury to act.”"), _span("“We are ready.”")
    figure = _span("14%")
    call = _span("We urge the Treasury to act.")
    return {
        "id": "900",
        "split": "dev",
        "organisations": [
            {"name": "Wexmoor Council", "kind": "LocalAuthority", "aliases": ["Wexmoor"]},
            {"name": "HM Treasury", "kind": "GovernmentDepartment", "aliases": ["Treasury"]},
        ],
        "positions": [
            {"person": "Ria O’Donnell-Hart", "post": "Chair", "organisation": "Wexmoor Council", "term": "2030/31"},
            {"person": "Tam Ferris", "post": "Director of Children's Services", "organisation": "Wexmoor Council"},
        ],
        "speakers": [
            {"person": "Ria O’Donnell-Hart", "start": quote1[0], "end": quote1[1]},
            {"person": "Tam Ferris", "start": quote2[0], "end": quote2[1]},
        ],
        "item_dates": ["2030-05-04"],
        "findings": [
            {"value": 14, "unit": "Percent", "measure": "demand", "source": "The Brookvale Survey",
             "start": figure[0], "end": figure[1]}
        ],
        "reports": [{"title": "The Brookvale Survey"}],
        "policies": [{"name": "Spending Review 2030", "aliases": ["SR30"]}],
        "recommendations": [{"addressee": "HM Treasury", "start": call[0], "end": call[1]}],
    }


def _found(**changes: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    quote1 = _span("“Demand rose by 14% in a year. We urge the Treasury to act.”")
    sentence = _span("Demand rose by 14% in a year.")
    found: dict[str, list[dict[str, Any]]] = {
        "positions": [
            {"person": "Councillor Ria O'Donnell-Hart", "post": "chair", "organisation": "Wexmoor",
             "term": "2030-31", "inferred": "false"},
            {"person": "Tam  Ferris", "post": "DCS", "organisation": "Wexmoor council", "inferred": "false"},
        ],
        # the loader splits the first quotation in two: both halves are right, the gold is found once
        "speakers": [
            {"person": "Ria O’Donnell-Hart", "start": quote1[0], "end": quote1[0] + 30},
            {"person": "Ria O’Donnell-Hart", "start": quote1[0] + 31, "end": quote1[1]},
        ],
        "items": [{"date": "2030-05-04"}],
        "organisations": [
            {"name": "WEXMOOR COUNCIL", "kind": "LocalAuthority"},
            {"name": "Treasury", "kind": "OtherOrganisation"},
        ],
        "findings": [
            {"value": "14.0", "unit": "Percent", "source": "Brookvale survey", "start": sentence[0],
             "end": sentence[1]}
        ],
        "reports": [{"title": "the Brookvale Survey"}],
        "policies": [{"name": "spending review 2030"}],
        "recommendations": [],
    }
    found.update(changes)
    return found


def _prf(outcomes: dict[str, Any], category: str) -> tuple[float, float, float]:
    result: tuple[float, float, float] = outcomes[category].tally.prf()
    return result


def test_a_reader_tolerant_match_scores_every_category_it_should() -> None:
    outcomes = score.score_page(_gold(), _found())
    for category in ("positions", "position terms", "item dates", "organisations", "findings",
                     "findings with right source", "reports", "policies"):
        assert _prf(outcomes, category) == (1.0, 1.0, 1.0), category
    # two split halves of one quotation are both right; the second speaker is missed
    assert _prf(outcomes, "speakers")[:2] == (1.0, 0.5)
    # an organisation of the wrong kind is found, but not with its kind
    assert _prf(outcomes, "organisation kinds")[:2] == (0.5, 0.5)
    assert _prf(outcomes, "recommendations")[1] == 0.0


def test_wrong_facts_are_missed_and_spurious() -> None:
    sentence = _span("Demand rose by 14% in a year.")
    later = _span("“We are ready.”")
    found = _found(
        positions=[{"person": "Ria Hart", "post": "Chair", "organisation": "Wexmoor Council", "inferred": "false"}],
        speakers=[{"person": "Tam Ferris", "start": 0, "end": 10}],
        findings=[
            {"value": "14", "unit": "Count", "source": "", "start": sentence[0], "end": sentence[1]},
            {"value": "14", "unit": "Percent", "source": "", "start": later[0], "end": later[1]},
        ],
        items=[{"date": "2030-05-05"}],
    )
    outcomes = score.score_page(_gold(), found)
    for category in ("positions", "speakers", "item dates", "findings"):
        tally = outcomes[category].tally
        assert (tally.correct, tally.fp) == (0, len(found[category if category != "item dates" else "items"])), category
        assert tally.fn == len(outcomes[category].missed) > 0, category


def test_a_derived_term_is_scored_but_never_spurious() -> None:
    derived = {"person": "Tam Ferris", "post": "DCS", "organisation": "Wexmoor", "term": "2029/30", "inferred": "true"}
    outcomes = score.score_page(_gold(), _found(positions=[derived]))
    assert outcomes["position terms"].tally.fp == 0
    stated = dict(derived, inferred="false")
    assert score.score_page(_gold(), _found(positions=[stated]))["position terms"].tally.fp == 1


def test_a_finding_from_the_speaker_has_the_right_source_only_when_the_gold_says_so() -> None:
    gold = _gold()
    sentence = _span("Demand rose by 14% in a year.")
    spoken = {"value": "14", "unit": "Percent", "source": None, "speaker": "Ria O’Donnell-Hart",
              "start": sentence[0], "end": sentence[1]}
    assert _prf(score.score_page(gold, _found(findings=[spoken])), "findings with right source")[1] == 0.0
    gold["findings"][0]["source"] = "Cllr Ria O'Donnell-Hart"
    assert _prf(score.score_page(gold, _found(findings=[spoken])), "findings with right source")[1] == 1.0


@pytest.mark.parametrize(
    ("term", "years"),
    [("2015-16", (2015, 2016)), ("2015/16", (2015, 2016)), ("15/16", (2015, 2016)), ("for 2031/32", (2031, 2032)),
     ("1999-2000", (1999, 2000)), (None, None)],
)
def test_terms_in_every_written_form_become_years(term: str | None, years: tuple[int, int] | None) -> None:
    assert score.term_years(term) == years


def test_names_match_by_first_name_and_surname() -> None:
    assert score.same_person("Dr Jo Anne Quill CBE", "jo quill")
    assert not score.same_person("Jo Quill", "Sam Quill")
    assert not score.same_person("Quill", "Jo Quill")


@pytest.mark.parametrize(
    ("post", "organisation", "same"),
    [
        ("Chair of the Brookvale Board", "Brookvale Board", True),
        ("Brookvale Board Chairman", "Brookvale Board", True),
        ("Vice Chair of the Brookvale Board", "Brookvale Board", False),
        ("DCS", "Wexmoor Council", True),
        ("Director of Children's Services, Wexmoor County Council", "Wexmoor Council", True),
        ("Director of Children's Services at Wexmoor", "Wexmoor Council", True),
        ("Deputy Director of Children's Services, Wexmoor Council", "Wexmoor Council", False),
        ("Chair of The Brookvale Board", "Brookvale Board", True),
        ("Chair, the Brookvale Board", "Brookvale Board", True),
        ("Director of Children's Services, London Borough of Wexmoor", "Wexmoor Council", True),
    ],
)
def test_a_post_is_compared_without_its_organisation(post: str, organisation: str, same: bool) -> None:
    aliases = score.Aliases.of([{"name": "The Brookvale Board"}, {"name": "Wexmoor Council"}])
    gold = "Chair" if organisation == "Brookvale Board" else "Director of Children's Services"
    assert (score.post_key(post, aliases) == score.post_key(gold, aliases)) is same


def test_a_reader_ignores_ampersands_quotes_and_a_leading_the() -> None:
    assert score.normalise("The Brookvale & Wexmoor Board") == score.normalise("brookvale and wexmoor board")
    assert score.normalise("Wexmoor’s “Family Hubs” plan") == score.normalise('Wexmoor\'s "family hubs" plan')


def test_a_holding_at_one_date_claims_no_term() -> None:
    at_a_date = {"person": "Tam Ferris", "post": "DCS", "organisation": "Wexmoor", "start": "2030-05-04",
                 "end": "2030-05-04", "inferred": "false"}
    outcomes = score.score_page(_gold(), _found(positions=[at_a_date]))
    assert outcomes["positions"].tally.correct == 1
    assert outcomes["position terms"].tally.fp == 0
    over_a_year = dict(at_a_date, end="2031-03-31")
    assert score.score_page(_gold(), _found(positions=[over_a_year]))["position terms"].tally.fp == 1


def test_the_scorer_reads_what_the_named_queries_answer_by_default() -> None:
    """A statement read below the default min_confidence is not scored, as the public queries leave it out."""
    repo = Path(__file__).resolve().parents[1]
    checkout = score.Checkout(repo)
    assert checkout.min_confidence == 0.5
    graph = Graph().parse(data="""
        @prefix ak: <https://w3id.org/adcs-kg/ontology#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:s1> a ak:Statement ; ak:speaker <urn:p1> ; ak:span <urn:sp1> ; ak:confidence 0.9 .
        <urn:s2> a ak:Statement ; ak:speaker <urn:p2> ; ak:span <urn:sp2> ; ak:confidence 0.3 .
        <urn:s3> a ak:Statement ; ak:speaker <urn:p1> ; ak:span <urn:sp2> .
        <urn:p1> ak:name "Tam Ferris" . <urn:p2> ak:name "Ria Hart" .
        <urn:sp1> ak:start 0 ; ak:end 10 . <urn:sp2> ak:start 20 ; ak:end 30 .
    """, format="turtle")
    rows = score._rows(graph, checkout.sure(score.STATEMENTS, "statement"))
    assert sorted((r["person"], r["start"]) for r in rows) == [("Tam Ferris", 0), ("Tam Ferris", 20)]


def test_a_council_is_the_same_in_any_style() -> None:
    aliases = score.Aliases.of([{"name": "Wexmoor LBC", "aliases": ["Wexmoor"]}])
    assert aliases.same("London Borough of Wexmoor", "Wexmoor LBC")
    assert aliases.same("Royal Borough of Wexmoor", "wexmoor")
    assert not aliases.same("London Borough of Brookvale", "Wexmoor LBC")


@pytest.mark.parametrize("split", ["held-out", "held-out-2"])
def test_held_out_pages_are_never_listed(split: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as refused:
        score.main(["--split", split, "--failures"])
    assert refused.value.code == 2
    assert "never inspected" in capsys.readouterr().err


def test_a_split_scores_only_its_own_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages = [dict(_gold(), id="900", split="dev"), dict(_gold(), id="901", split="held-out-2"),
             dict(_gold(), id="902", split="held-out-2")]
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"pages": pages}), encoding="utf-8")
    for page in pages[1:]:
        (tmp_path / f"{page['id']}.txt").write_text(TEXT, encoding="utf-8")
    repo = Path(__file__).resolve().parents[2]
    argv = ["--repo", str(repo), "--gold", str(gold), "--texts", str(tmp_path)]
    assert score.main([*argv, "--split", "held-out-2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("split held-out-2: 2 pages")
    # the dev page has no text here: scoring it, or every split, asks for it
    assert score.main([*argv, "--split", "all"]) == 2
    assert "no text for pages 900" in capsys.readouterr().err
