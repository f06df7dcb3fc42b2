"""Tests of loaders.recommendations: lists, headings, inline and prose forms, addressees, the query."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from test_loader_reports import _extraction as extraction_with_reports

from graph.namespaces import AK, resource
from graph.query import named_query
from loaders import items, organisations, recommendations, reports
from loaders.document import read_document
from loaders.extraction import Extraction, ItemRecord

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"

Row = tuple[str | None, str | None, str | None, str]
"""(number, addressee name, source name or title, text) of a recommendation."""


def _extraction(tmp_path: Path, text: str, item_list: list[ItemRecord] | None = None) -> Extraction:
    ext = extraction_with_reports(tmp_path, text, item_list)
    recommendations.extract(ext)
    return ext


def _name(g: Graph, node: object) -> str | None:
    if node is None:
        return None
    return str(g.value(node, AK.name) or g.value(node, AK.title))  # type: ignore[arg-type]


def _rows(ext: Extraction) -> list[Row]:
    g = ext.graph
    found = []
    for rec in g.subjects(RDF.type, AK.Recommendation):
        span = g.value(rec, AK.span)
        number = g.value(rec, AK.number)
        found.append(
            (
                int(str(g.value(span, AK.start))),
                str(number) if number is not None else None,
                _name(g, g.value(rec, AK.addressee)),
                _name(g, g.value(rec, AK.source)),
                str(g.value(span, AK.quote)),
            )
        )
    return [row[1:] for row in sorted(found)]


def test_numbered_list_under_addressee_headings(tmp_path: Path) -> None:
    text = (
        "Summary of recommendations\n\nFor Central Government\n\n"
        "- 1) Funding for family help must rise in real terms.\n"
        "- 2) The Treasury should fund councils properly. This could be:\n"
        " - (a) a grant for prevention; or\n"
        " - (b) a levy on providers.\n\n"
        "For the Sector\n\n"
        "3) Councils should share their data\nand their methods.\n\n"
        "Introduction\n\n1. Background\n"
    )
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        ("1", "government", None, "Funding for family help must rise in real terms."),
        (
            "2",
            "HM Treasury",
            None,
            "The Treasury should fund councils properly. This could be:\n"
            " - (a) a grant for prevention; or\n - (b) a levy on providers.",
        ),
        ("2(a)", "HM Treasury", None, "a grant for prevention; or"),
        ("2(b)", "HM Treasury", None, "a levy on providers."),
        ("3", "local authorities", None, "Councils should share their data\nand their methods."),
    ]
    g = ext.graph
    parent = resource("recommendation", ext.document.id, text.index("The Treasury"))
    subs = {str(g.value(s, AK.number)) for s in g.objects(parent, AK.subItem)}
    assert subs == {"2(a)", "2(b)"}
    sector = resource("group", "government")
    assert (sector, RDF.type, AK.Group) in g
    assert [ext.text[m.start : m.end] for m in ext.mentions if m.node == sector] == ["Central Government"]


def test_introduced_list_with_organisation_subjects_and_source(tmp_path: Path) -> None:
    text = (
        "The LGA has made the following recommendations:\n\n"
        "  1. The DfE should publish a workforce strategy.\n"
        "  2. The Government should fund early help.\n"
        "  3. Local authorities should pool their budgets.\n"
    )
    ext = _extraction(tmp_path, text)
    lga = "Local Government Association"
    assert _rows(ext) == [
        ("1", "Department for Education", lga, "The DfE should publish a workforce strategy."),
        ("2", "government", lga, "The Government should fund early help."),
        ("3", "local authorities", lga, "Local authorities should pool their budgets."),
    ]


def test_numbering_restarts_under_each_addressee_heading(tmp_path: Path) -> None:
    text = (
        "Recommendations\n\nFor the Department for Education\n\n"
        "1. Publish a workforce strategy.\n\n2. Fund early help.\n\n"
        "For local authorities\n\n1. Pool budgets with health partners.\n\n"
        "For Ofsted\n\n1. Inspect family help.\n"
    )
    ext = _extraction(tmp_path, text)
    dfe = "Department for Education"
    assert _rows(ext) == [
        ("1", dfe, None, "Publish a workforce strategy."),
        ("2", dfe, None, "Fund early help."),
        ("1", "local authorities", None, "Pool budgets with health partners."),
        ("1", "Ofsted", None, "Inspect family help."),
    ]


def test_list_introduced_by_its_addressee_and_a_modal(tmp_path: Path) -> None:
    text = (
        "Among its recommendations, the panel says the Department for Education should:\n\n"
        "1. publish a funding strategy within a year;\n"
        "2. cap the profits of care providers.\n\n"
        "It also believes local authorities must:\n\n"
        "1. share data on placements.\n"
    )
    ext = _extraction(tmp_path, text)
    dfe = "Department for Education"
    assert _rows(ext) == [
        ("1", dfe, None, "publish a funding strategy within a year;"),
        ("2", dfe, None, "cap the profits of care providers."),
        ("1", "local authorities", None, "share data on placements."),
    ]


def test_inline_recommendation_paragraphs(tmp_path: Path) -> None:
    text = (
        "Findings on workforce.\n\nRecommendation 3: Ofsted should inspect early help.\n\n"
        "More text.\n\nRecommendation: Research bodies should study kinship care:\n"
        "- its costs\n- its outcomes\n\nEnd."
    )
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        ("3", "Ofsted", None, "Ofsted should inspect early help."),
        (None, "research bodies", None, "Research bodies should study kinship care:\n- its costs\n- its outcomes"),
    ]


def test_inline_repetition_takes_the_listed_addressee(tmp_path: Path) -> None:
    text = (
        "Our recommendations\n\nFor the Sector\n\n"
        "1) The role of the virtual school head should be widened to all children.\n\n"
        "Body text.\n\nRecommendation: The role of the virtual school head should be widened.\n"
    )
    ext = _extraction(tmp_path, text)
    assert [row[1] for row in _rows(ext)] == ["the sector", "the sector"]


def test_inline_paragraph_framed_by_a_heading_review_takes_its_addressee(tmp_path: Path) -> None:
    text = (
        "Summary of recommendations\n\nFor Dame Lorna Hale's Inquiry\n\n"
        "1) Kinship carers should be given paid leave.\n\nFor the Sector\n\n"
        "2) Councils should publish a kinship offer.\n\nBody text.\n\n"
        "Recommendation: As part of the Hale inquiry, pay for kinship carers should be examined.\n"
    )
    ext = _extraction(tmp_path, text)
    assert [row[1] for row in _rows(ext)] == [
        "Dame Lorna Hale's Inquiry",
        "local authorities",
        "Dame Lorna Hale's Inquiry",
    ]


def test_recommendation_without_an_addressee_is_kept_and_flagged(tmp_path: Path) -> None:
    text = "The report recommends:\n\n1. Funding should be protected.\n2. Councils should be required to plan.\n"
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        ("1", None, None, "Funding should be protected."),
        ("2", "local authorities", None, "Councils should be required to plan."),
    ]
    flagged = {
        str(ext.graph.value(ext.graph.value(r, AK.span), AK.quote))
        for r in ext.graph.subjects(AK.addresseeUnstated, Literal(True))
    }
    assert flagged == {"Funding should be protected."}


def test_recommendation_reported_in_prose_comes_from_the_report(tmp_path: Path) -> None:
    text = (
        "ADCS response: Hartley Report\n\nThe report makes several recommendations for change, "
        "including that councils should create regional adoption hubs in every area. We agree."
    )
    item = ItemRecord(resource("item", "doc", 0), 0, len(text), "ADCS response: Hartley Report", AK.Response, None, 0)
    ext = _extraction(tmp_path, text, [item])
    assert _rows(ext) == [
        (None, "local authorities", "Hartley Report", "councils should create regional adoption hubs in every area")
    ]
    rec = next(ext.graph.subjects(RDF.type, AK.Recommendation))
    assert ext.graph.value(rec, AK.inItem) == item.iri


def test_prose_recommendation_without_a_report_comes_from_the_body_in_the_title(tmp_path: Path) -> None:
    text = (
        "ADCS response: Ofsted’s thematic...\n\nThe report makes a number of recommendations, including "
        "that the DfE should keep a national register of children missing education."
    )
    item = ItemRecord(
        resource("item", "doc", 0), 0, len(text), "ADCS response: Ofsted’s thematic...", AK.Response, None, 0
    )
    ext = _extraction(tmp_path, text, [item])
    assert _rows(ext) == [
        (
            None,
            "Department for Education",
            "Ofsted",
            "the DfE should keep a national register of children missing education",
        )
    ]


def test_organisation_recommends_that(tmp_path: Path) -> None:
    text = "In its evidence the LGA recommends that councils should receive multi-year settlements. We agree."
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        (None, "local authorities", "Local Government Association", "councils should receive multi-year settlements")
    ]


def test_committee_recommends_that_comes_from_its_report(tmp_path: Path) -> None:
    text = (
        "ADCS response: Fostering Futures report\n\nThe Committee recommends that the DfE should fund "
        "foster care recruitment. We agree."
    )
    item = ItemRecord(resource("item", "doc", 0), 0, len(text), "ADCS response", AK.Response, None, 0)
    ext = _extraction(tmp_path, text, [item])
    assert _rows(ext) == [
        (None, "Department for Education", "Fostering Futures", "the DfE should fund foster care recruitment")
    ]


def test_government_heading_is_the_group_government(tmp_path: Path) -> None:
    text = "Recommendations for Government\n\n1. Introduce a national kinship allowance.\n"
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [("1", "government", None, "Introduce a national kinship allowance.")]


def test_a_generic_addressee_is_one_group_however_it_is_written(tmp_path: Path) -> None:
    text = (
        "Recommendations:\n\n1. The Government should fund family help.\n2. Central government must pay for it.\n"
        "3. HM Government should publish a plan.\n4. Councils should pool budgets.\n"
        "5. All local authorities must share data.\n"
    )
    ext = _extraction(tmp_path, text)
    assert [row[1] for row in _rows(ext)] == ["government"] * 3 + ["local authorities"] * 2
    addressees = set(ext.graph.objects(None, AK.addressee))
    assert addressees == {resource("group", "government"), resource("group", "local-authorities")}


def test_a_modal_inside_a_clause_of_an_item_names_no_addressee(tmp_path: Path) -> None:
    text = (
        "The report sets out these recommendations:\n\n"
        "- A single record for every child, to be held under the Records Bill currently before Parliament, "
        "so that families have what they may need to find help.\n"
    )
    ext = _extraction(tmp_path, text)
    assert [row[1] for row in _rows(ext)] == [None]


def test_numbering_gap_is_noted(tmp_path: Path) -> None:
    text = "Recommendations:\n\n1. Schools should report absence.\n2. Councils should act.\n4. Ofsted should check.\n"
    ext = _extraction(tmp_path, text)
    assert [row[0] for row in _rows(ext)] == ["1", "2", "4"]
    assert "numbered recommendations skip 3" in [s.reason for s in ext.skipped]


def test_bulleted_list_after_an_introducing_sentence(tmp_path: Path) -> None:
    text = (
        "The panel recommends the following:\n\n"
        "• Ofsted should inspect more often.\n• Schools must report absence.\n\nEnd."
    )
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        (None, "Ofsted", None, "Ofsted should inspect more often."),
        (None, "schools", None, "Schools must report absence."),
    ]


def test_lettered_list_after_an_introducing_sentence(tmp_path: Path) -> None:
    text = "We recommend that:\na) the DfE should fund advocacy\nb) Ofsted should inspect it\n\nEnd."
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == [
        ("a", "Department for Education", None, "the DfE should fund advocacy"),
        ("b", "Ofsted", None, "Ofsted should inspect it"),
    ]


def test_addressee_heading_without_recommendations_context_is_not_a_list(tmp_path: Path) -> None:
    text = "For more information\n\n1. Visit the website.\n2. Call the helpline.\n"
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == []


def test_numbered_sections_outside_a_recommendations_context_are_not_recommendations(tmp_path: Path) -> None:
    text = "1. Impact\n\nDemand rose.\n\n2. Reasons\n\nCouncils should plan.\n"
    ext = _extraction(tmp_path, text)
    assert _rows(ext) == []


def test_several_organisations_as_subject_keep_the_first(tmp_path: Path) -> None:
    text = "Recommendations:\n\n1. The DfE and Ofsted should review thresholds.\n"
    ext = _extraction(tmp_path, text)
    assert _rows(ext)[0][1] == "Department for Education"
    assert any("several organisations" in s.reason for s in ext.skipped)


def _corpus(name: str) -> Extraction:
    ext = Extraction(read_document(next(CORPUS.glob(f"{name}_*.txt"))))
    for loader in (items, organisations, reports, recommendations):
        loader.extract(ext)
    return ext


def test_corpus_appg_list() -> None:
    rows = _rows(_corpus("003"))
    assert [row[0] for row in rows] == [str(n) for n in range(1, 13)]
    assert [row[0] for row in rows if row[1] is None] == ["9"]  # 9 states no addressee: kept, flagged
    assert {row[2] for row in rows} == {"All-Party Parliamentary Group for Children"}
    assert rows[3][1] == "Department for Education"
    assert rows[1][1] == "government"
    assert rows[0][3].startswith("The Department for Education and the Department for Communities")


def test_corpus_commentary_summary_and_inline() -> None:
    rows = _rows(_corpus("002"))
    plowden = "local authorities should not bear the cost of care proceedings from April 2011"
    numbered = [row for row in rows if row[0] is not None]
    assert [row[0] for row in numbered][:4] == ["1", "2", "2(a)", "2(b)"]
    assert [row[0] for row in numbered if row[0] and row[0].isdigit()][-1] == "16"
    assert {row[2] for row in numbered} == {"Association of Directors of Children's Services"}
    assert (None, "local authorities", "Plowden report", plowden) in rows
    by_number = {row[0]: row for row in numbered}
    assert by_number["11"][1] == "local authorities"
    assert by_number["15"][1] == "researchers"
    assert by_number["5"][3].endswith("in the subsequent points based system.")
    assert len(rows) - len(numbered) >= 10


def test_recommendations_query_on_a_hand_written_graph() -> None:
    g = Graph()
    doc = URIRef("https://example.org/doc")
    g.add((doc, AK.fileName, Literal("a.txt")))
    adcs, council = URIRef("https://example.org/adcs"), URIRef("https://example.org/la")
    g.add((adcs, AK.name, Literal("ADCS")))
    g.add((council, AK.name, Literal("local authorities")))
    for n, (start, quote, number) in enumerate(((40, "Second.", None), (10, "First.", "1"))):
        rec, span = URIRef(f"https://example.org/rec{n}"), URIRef(f"https://example.org/span{n}")
        g.add((rec, RDF.type, AK.Recommendation))
        g.add((rec, AK.span, span))
        if number:
            g.add((rec, AK.addressee, council))
        else:
            g.add((rec, AK.addresseeUnstated, Literal(True)))
        g.add((span, AK.quote, Literal(quote)))
        g.add((span, AK.start, Literal(start, datatype=XSD.integer)))
        g.add((span, AK.document, doc))
        if number:
            g.add((rec, AK.number, Literal(number)))
            g.add((rec, AK.source, adcs))
    query = (ROOT / "queries" / "recommendations.rq").read_text(encoding="utf-8")
    columns = named_query("recommendations").columns  # the rows as the CLI and the API give them
    rows = [tuple(None if row[c] is None else str(row[c]) for c in columns) for row in g.query(query)]  # type: ignore[index]
    assert rows == [
        ("ADCS", "1", "local authorities", "First.", "a.txt", "false"),
        (None, None, None, "Second.", "a.txt", "true"),
    ]
