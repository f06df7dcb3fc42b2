"""Tests of the findings loader: findings, measures, periods, sources, skips and the two queries."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import without_links
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.namespaces import AK, resource
from loaders import findings
from loaders.document import Document, read_document
from loaders.extraction import Extraction, ItemRecord, StatementRecord

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
QUERIES = ROOT / "queries"


def _extraction(text: str, name: str = "sample") -> Extraction:
    document = Document(id=name, path=Path(f"{name}.txt"), text=text, sha256=hashlib.sha256(text.encode()).hexdigest())
    return Extraction(document)


def _run(text: str) -> Extraction:
    ext = _extraction(text)
    findings.extract(ext)
    return ext


def _finding(ext: Extraction, expression: str) -> URIRef:
    start = ext.text.index(expression)
    node = resource("finding", ext.document.id, start, start + len(expression))
    assert (node, RDF.type, AK.Finding) in ext.graph, sorted(ext.graph.subjects(RDF.type, AK.Finding))
    return node


def _all(ext: Extraction) -> list[URIRef]:
    return sorted(ext.graph.subjects(RDF.type, AK.Finding), key=str)


def _measure(ext: Extraction, finding: URIRef) -> str:
    return str(ext.graph.value(ext.graph.value(finding, AK.measure), AK.name))


def _value(ext: Extraction, finding: URIRef, prop: URIRef = AK.value) -> Decimal:
    return Decimal(str(ext.graph.value(finding, prop)))


def _local(ext: Extraction, finding: URIRef, prop: URIRef) -> str | None:
    node = ext.graph.value(finding, prop)
    return None if node is None else str(node).split("#")[1]


# --------------------------------------------------------------------------- single patterns


def test_percentage_increase_in_a_measure() -> None:
    ext = _run("Key findings\n\n- 18% increase in initial contacts\n")
    found = _finding(ext, "18%")
    assert _value(ext, found) == Decimal(18)
    assert (_local(ext, found, AK.unit), _local(ext, found, AK.direction)) == ("Percent", "Increase")
    assert _measure(ext, found) == "initial contact"


def test_level_reached_after_a_change_is_a_count_of_the_same_measure() -> None:
    ext = _run("Between 2019/20 and 2022/23:\n• referrals increased by 12%, to an estimated 710,000\n")
    change, level = _finding(ext, "12%"), _finding(ext, "710,000")
    assert (_value(ext, level), _local(ext, level, AK.unit)) == (Decimal(710000), "Count")
    assert _measure(ext, level) == _measure(ext, change) == "referral"


def test_numbered_identifier_stays_in_the_measure() -> None:
    ext = _run("Section 17 assessments rose by 8% and section 47 enquiries increased by 11%.")
    assert _measure(ext, _finding(ext, "11%")) == "section 47 enquiry"
    assert _measure(ext, _finding(ext, "8%")) == "section 17 assessment"


def test_span_is_the_sentence_holding_the_number() -> None:
    ext = _run("Budgets were tight. Councils reported a 9% fall in referrals last year. Work goes on.")
    span = ext.graph.value(_finding(ext, "9%"), AK.span)
    assert str(ext.graph.value(span, AK.quote)) == "Councils reported a 9% fall in referrals last year."


def test_money_with_scale_and_target_date() -> None:
    ext = _run("Councils will face a £2.2 billion funding gap for children's services by 2026.")
    found = _finding(ext, "£2.2 billion")
    assert _value(ext, found) == Decimal(2200000000)
    assert _local(ext, found, AK.unit) == "GBP"
    assert _measure(ext, found) == "funding gap"
    assert str(ext.graph.value(found, AK.periodLabel)) == "by 2026"
    interval = ext.graph.value(found, AK.period)
    assert interval == resource("interval", ".._2026-12-31")
    assert ext.graph.value(interval, AK.endDate) == Literal("2026-12-31", datatype=XSD.date)
    assert ext.graph.value(interval, AK.startDate) is None


def test_same_measure_in_two_sentences_is_one_node() -> None:
    ext = _run("The funding gap is £1 billion. By 2030 the Funding Gap will be £3 billion.")
    measures = {ext.graph.value(f, AK.measure) for f in _all(ext)}
    assert measures == {resource("measure", "funding-gap")}
    assert len(list(ext.graph.objects(resource("measure", "funding-gap"), AK.mention))) == 2


def test_from_to_values_with_comparator() -> None:
    ext = _run("The number of children in care has increased from 61,000 to more than 80,000 since 2012.")
    found = _finding(ext, "61,000 to more than 80,000")
    assert (_value(ext, found, AK.fromValue), _value(ext, found, AK.toValue)) == (Decimal(61000), Decimal(80000))
    assert _value(ext, found) == Decimal(80000)
    assert _local(ext, found, AK.comparator) == "MoreThan"
    assert _local(ext, found, AK.direction) == "Increase"
    assert _measure(ext, found) == "children looked after"
    assert str(ext.graph.value(found, AK.periodLabel)) == "since 2012"


def test_range_has_min_and_max_and_no_value() -> None:
    ext = _run("We estimate services need between £1.1 billion and £1.6 billion a year.")
    found = _finding(ext, "£1.1 billion and £1.6 billion")
    assert (_value(ext, found, AK.minValue), _value(ext, found, AK.maxValue)) == (
        Decimal(1100000000),
        Decimal(1600000000),
    )
    assert ext.graph.value(found, AK.value) is None


def test_share_of_a_group_is_a_level() -> None:
    ext = _run("Nearly 80% of directors said recruitment was their biggest worry.")
    found = _finding(ext, "Nearly 80%")
    assert _local(ext, found, AK.direction) == "NoChange"
    assert _local(ext, found, AK.comparator) == "Approximately"
    assert _measure(ext, found) == "director"


def test_one_in_n_is_a_ratio() -> None:
    ext = _run("One in six children are now living in temporary housing.")
    found = _finding(ext, "One in six")
    assert (_value(ext, found), _local(ext, found, AK.unit)) == (Decimal("0.1667"), "Ratio")
    assert _measure(ext, found) == "children living in temporary housing"


def test_a_doubling_is_a_ratio_of_two() -> None:
    ext = _run("Since 2015 we have seen a doubling of exclusions from primary schools.")
    found = _finding(ext, "doubling")
    assert (_value(ext, found), _local(ext, found, AK.unit), _local(ext, found, AK.direction)) == (
        Decimal(2),
        "Ratio",
        "Increase",
    )
    assert _measure(ext, found) == "exclusion from primary school"
    assert str(ext.graph.value(found, AK.periodLabel)) == "Since 2015"


def test_percentage_points_decline() -> None:
    ext = _run("- 3.5 percentage point decline in assessments completed on time")
    found = _finding(ext, "3.5 percentage point")
    assert (_local(ext, found, AK.unit), _local(ext, found, AK.direction)) == ("PercentagePoint", "Decrease")
    assert _measure(ext, found) == "assessment completed on time"


def test_measure_names_leave_out_the_domain_of_every_figure() -> None:
    ext = _run("Referrals to children's social care rose 4%. There were 5% more referrals in Wales.")
    assert _measure(ext, _finding(ext, "4%")) == "referral"
    assert ext.graph.value(_finding(ext, "4%"), AK.measure) == resource("measure", "referral")


def test_change_stated_after_a_count_refers_to_its_measure() -> None:
    ext = _run("Some 410,000 referrals were made to councils in 2021/22, an increase of 7% since 2016.")
    assert _measure(ext, _finding(ext, "7%")) == _measure(ext, _finding(ext, "Some 410,000"))
    assert _measure(ext, _finding(ext, "7%")) == "referral made to council"


def test_subject_before_the_verb_is_the_measure() -> None:
    ext = _run("The number of exclusions of looked after children has fallen by 12 per cent.")
    found = _finding(ext, "12 per cent")
    assert _measure(ext, found) == "exclusion of looked after children"
    assert _local(ext, found, AK.direction) == "Decrease"


def test_each_period_belongs_to_the_number_it_follows() -> None:
    ext = _run(
        "As at 31 March 2021 some 2.1 million contacts were made in 2020/21, an increase of 5% since 2015 "
        "and some 80,000 children were in care."
    )
    labels = {
        e: str(ext.graph.value(_finding(ext, e), AK.periodLabel)) for e in ("some 2.1 million", "5%", "some 80,000")
    }
    assert labels == {"some 2.1 million": "in 2020/21", "5%": "since 2015", "some 80,000": "As at 31 March 2021"}


def test_financial_year_interval() -> None:
    ext = _run("Spending on placements rose 11% in 2018/19.")
    interval = ext.graph.value(_finding(ext, "11%"), AK.period)
    assert ext.graph.value(interval, AK.startDate) == Literal("2018-04-01", datatype=XSD.date)
    assert ext.graph.value(interval, AK.endDate) == Literal("2019-03-31", datatype=XSD.date)


def test_bullets_take_the_period_of_their_heading() -> None:
    ext = _run("Phase 3 - Between 2012/13 and 2014/15\n\n- 14% increase in referrals\n- 6% reduction in staff\n")
    for expression in ("14%", "6%"):
        assert str(ext.graph.value(_finding(ext, expression), AK.periodLabel)) == "Between 2012/13 and 2014/15"


def test_count_of_a_noun() -> None:
    ext = _run("Evidence came from 140 local authorities and 12 interviews.")
    assert _measure(ext, _finding(ext, "140")) == "local authority"
    assert _measure(ext, _finding(ext, "12")) == "interview"
    assert _local(ext, _finding(ext, "140"), AK.unit) == "Count"


def test_hours_are_a_unit_of_time() -> None:
    ext = _run("Each review takes 9 hours of a manager's time.")
    found = _finding(ext, "9 hours")
    assert (_local(ext, found, AK.unit), _measure(ext, found)) == ("Hour", "manager's time")


def test_dates_years_lists_phases_and_ages_are_not_findings() -> None:
    text = (
        "Phase 4 was published on 3 May 2019.\n"
        "1) Councils should act.\n"
        "Support for under 18s and two-year-olds matters, said the Chair at 10:30.\n"
    )
    assert _all(_run(text)) == []


def test_numbered_paragraphs_and_headings_are_not_findings() -> None:
    text = "1.1 ADCS welcomes the review.\n\n2.3 We agree with 64% of the proposals.\n\n4 Next steps\n"
    ext = _run(text)
    (only,) = _all(ext)
    assert only == _finding(ext, "64%")
    assert _measure(ext, only) == "proposal"


def test_a_further_number_counts_like_the_one_before() -> None:
    ext = _run("Some 30 councils already publish data, and a further 12 are planning to.")
    assert _measure(ext, _finding(ext, "12")) == "council"


def test_acronyms_keep_their_final_s() -> None:
    ext = _run("Spending by the NHS fell 3% while 40% of ADCS members agreed.")
    assert _measure(ext, _finding(ext, "40%")) == "ADCS member"


def test_number_without_unit_is_skipped_with_reason() -> None:
    ext = _run("Last year the figure was 431 in total.")
    assert _all(ext) == []
    assert [s.reason for s in ext.skipped] == ["number without a unit: '431'"]
    assert ext.skipped[0].offset == ext.text.index("431")


def test_odd_input_does_not_crash() -> None:
    text = '"Unclosed quote with 45% of\nstaff and £ and 3. and ½ and %% and 1,2,3 and 9999999999999999999 bn'
    ext = _run(text)
    for node in _all(ext):
        assert ext.graph.value(node, AK.unit) is not None


def test_small_spelled_counts_in_prose_are_not_findings() -> None:
    ext = _run("There are two reasons for this. We set out four priorities for the year.")
    assert _all(ext) == []
    assert not ext.skipped


def test_small_spelled_count_of_councils_is_a_finding() -> None:
    ext = _run("Nine councils did not respond to the survey.")
    assert _value(ext, _finding(ext, "Nine")) == Decimal(9)


def test_small_spelled_count_beside_other_numbers_is_a_finding() -> None:
    ext = _run("Evidence came from 98 councils, 14 interviews and three case studies.")
    assert _measure(ext, _finding(ext, "three")) == "case study"


def test_small_spelled_count_after_a_preposition_beside_figures_is_not_a_finding() -> None:
    ext = _run("Merging 140 youth services into three bands would need new powers.")
    assert [_value(ext, f) for f in _all(ext)] == [Decimal(140)]


@pytest.mark.parametrize(
    ("sentence", "expression", "measure"),
    [
        # statutory measures written many ways are one measure
        ("There were 6% more looked after children in March.", "6%", "children looked after"),
        ("Children and young people in care rose by 3%.", "3%", "children looked after"),
        ("A 9% rise in children who were subjects of a child protection plan at year end.", "9%",
         "children subject of child protection plan"),
        ("The number of children on child protection plans fell by 4%.", "4%",
         "children subject of child protection plan"),
        ("Councils recorded 15% more contacts to children's social care.", "15%", "initial contact"),
        ("S47 enquiries went up by 11%.", "11%", "section 47 enquiry"),
        ("Child protection enquiries undertaken by councils rose by 80 per cent.", "80 per cent",
         "section 47 enquiry"),
        # a subgroup of a statutory measure stays apart from it
        ("There was a 41% increase in babies under 1 subject of a child protection plan.", "41%",
         "baby under 1 subject of child protection plan"),
        # the phrase runs on through "to be" and a participle
        ("Councils saw a 14% increase in children waiting to be adopted.", "14%", "children waiting to be adopted"),
        # a period before the number ("for that year of 7%") is not its measure
        ("Councils reported a rise in their youth justice budgets for that year of 7% on 2019.", "7%",
         "youth justice budget"),
    ],
)  # fmt: skip
def test_measure_names(sentence: str, expression: str, measure: str) -> None:
    ext = _run(sentence)
    assert _measure(ext, _finding(ext, expression)) == measure


def test_ellipsis_joining_quoted_excerpts_ends_a_sentence() -> None:
    ext = _run("The deficit may hit £1.1bn by 2027…Since 2015, we have seen a tripling of tribunal appeals.")
    tripling = _finding(ext, "tripling")
    assert str(ext.graph.value(tripling, AK.periodLabel)) == "Since 2015"
    span = ext.graph.value(tripling, AK.span)
    assert str(ext.graph.value(span, AK.quote)).startswith("Since 2015")


def test_figure_coordinated_with_a_change_shares_its_direction() -> None:
    ext = _run("Growth would bring an extra 2,100 children in care and 1,400 child protection plans.")
    assert [_local(ext, _finding(ext, n), AK.direction) for n in ("2,100", "1,400")] == ["Increase", "Increase"]


def test_level_after_a_change_in_another_unit_keeps_no_direction() -> None:
    ext = _run("Contacts rose by 31% since 2012 and an estimated 64,000 children were in care.")
    assert _local(ext, _finding(ext, "64,000"), AK.direction) == "NoChange"


def test_level_up_from_an_earlier_figure_keeps_both_levels() -> None:
    ext = _run("There were 702,000 referrals in 2022/23, up from 655,000 in 2018/19.")
    found, earlier = _finding(ext, "702,000"), _finding(ext, "655,000")
    assert (_value(ext, found), _value(ext, found, AK.fromValue)) == (Decimal(702000), Decimal(655000))
    assert (_local(ext, found, AK.direction), _measure(ext, found)) == ("Increase", "referral")
    # the level it rose from is a finding of its own: the same measure, a level, its own period
    assert (_value(ext, earlier), _measure(ext, earlier), _local(ext, earlier, AK.kind)) == (
        Decimal(655000),
        "referral",
        "Level",
    )
    assert (_local(ext, earlier, AK.direction), str(ext.graph.value(earlier, AK.periodLabel))) == (
        "NoChange",
        "in 2018/19",
    )
    assert len(_all(ext)) == 2


def test_level_reached_after_a_verb_is_a_count_of_the_subject() -> None:
    ext = _run("Children in care increased to 83,840, up 2% on the previous year.")
    level = _finding(ext, "83,840")
    assert (_local(ext, level, AK.unit), _measure(ext, level)) == ("Count", "children looked after")
    change = _finding(ext, "2%")
    assert _measure(ext, change) == "children looked after"
    assert str(ext.graph.value(change, AK.periodLabel)) == "on the previous year"


def test_level_reached_at_a_record() -> None:
    ext = _run("The number of children in care rose to a record 84,100 this year.")
    assert _measure(ext, _finding(ext, "84,100")) == "children looked after"


def test_that_is_refers_to_the_last_finding() -> None:
    ext = _run("Spending on transport reached £1.2 billion. That is more than double the figure for 2015.")
    assert _measure(ext, _finding(ext, "more than double")) == "spending on transport"


def test_telephone_numbers_and_date_ranges_are_not_findings() -> None:
    ext = _run("The event runs on 5-7 June 2024. Call 0161 496 0000 to book.")
    assert _all(ext) == []
    assert not ext.skipped


def test_labelled_figures_count_what_the_label_names() -> None:
    ext = _run("Headline figures\n\nReferrals: 612,400 (up 3% on 2021/22)\nPages: 48\n")
    level = _finding(ext, "612,400")
    assert (_local(ext, level, AK.unit), _measure(ext, level)) == ("Count", "referral")
    assert _measure(ext, _finding(ext, "3%")) == "referral"
    assert len(_all(ext)) == 2


def test_twice_as_many_measures_what_follows() -> None:
    ext = _run("Twice as many families are now in bed and breakfast accommodation.")
    assert _measure(ext, _finding(ext, "Twice")) == "family in bed and breakfast accommodation"


def test_share_of_that_refers_to_the_last_finding() -> None:
    ext = _run("We will spend £9 billion on social care. Around a third of that goes on placements.")
    assert _measure(ext, _finding(ext, "Around a third")) == "social care"


# --------------------------------------------------------------------------- sources


def _with_statement(text: str, quoted: str) -> tuple[Extraction, URIRef, URIRef]:
    ext = _extraction(text)
    item = resource("item", "sample", 0)
    person = resource("person", "sam-patel")
    statement = resource("statement", "sample", text.index(quoted))
    ext.items.append(ItemRecord(item, 0, len(text), "A title", AK.Comment, None, 0))
    start = text.index(quoted)
    ext.statements.append(StatementRecord(statement, start, start + len(quoted), person, item, None))
    findings.extract(ext)
    return ext, person, statement


def test_source_is_the_speaker_inside_a_statement() -> None:
    quoted = "Demand has risen by 22% in two years."
    ext, person, statement = _with_statement(f'A title\n\nSam Patel said: "{quoted}"', quoted)
    found = _finding(ext, "22%")
    assert ext.graph.value(found, AK.source) == person
    assert ext.graph.value(found, AK.inStatement) == statement
    assert ext.graph.value(found, AK.inItem) == resource("item", "sample", 0)


def _entity(ext: Extraction, kind: URIRef, name: str, iri: URIRef) -> URIRef:
    ext.graph.add((iri, RDF.type, kind))
    start = ext.text.index(name)
    ext.mention(iri, start, start + len(name))
    return iri


def test_source_is_a_report_named_in_the_sentence() -> None:
    ext = _extraction("The Annual Survey found 35% of councils overspent. The LGA agreed.")
    report = _entity(ext, AK.Report, "Annual Survey", resource("report", "annual-survey"))
    _entity(ext, AK.Organisation, "LGA", resource("organisation", "lga"))
    findings.extract(ext)
    assert ext.graph.value(_finding(ext, "35%"), AK.source) == report


def _one_item(text: str, kind: URIRef) -> Extraction:
    """An extraction of ``text`` as one item of ``kind`` titled by its first line."""
    ext = _extraction(text)
    ext.items.append(ItemRecord(resource("item", "sample", 0), 0, len(text), text.split("\n")[0], kind, None, 0))
    return ext


def test_source_is_the_only_organisation_of_the_item() -> None:
    ext = _one_item("Pay award\n\nThe LGA says 60% of councils cannot recruit.", AK.NewsArticle)
    lga = _entity(ext, AK.Organisation, "LGA", resource("organisation", "lga"))
    findings.extract(ext)
    assert ext.graph.value(_finding(ext, "60%"), AK.source) == lga


def test_source_of_a_bulleted_figure_is_the_report_its_heading_names() -> None:
    text = "Key findings\n\nPhase 3 - 2009/10 to 2011/12\n\n- 14% more referrals\n\nPhase 4\n\n- 6% fewer referrals\n"
    ext = _extraction(text)
    third = _entity(ext, AK.Report, "Phase 3", resource("report", "phase-3"))
    fourth = _entity(ext, AK.Report, "Phase 4", resource("report", "phase-4"))
    findings.extract(ext)
    assert [ext.graph.value(_finding(ext, f), AK.source) for f in ("14%", "6%")] == [third, fourth]


def test_source_in_a_report_summary_is_the_report_it_names_first() -> None:
    text = "Our research\n\nThe Carers Study\n\nOf the carers asked, 62% were grandparents. See also the Older Study."
    ext = _one_item(text, AK.ReportSummary)
    study = _entity(ext, AK.Report, "Carers Study", resource("report", "carers-study"))
    _entity(ext, AK.Report, "Older Study", resource("report", "older-study"))
    findings.extract(ext)
    assert ext.graph.value(_finding(ext, "62%"), AK.source) == study


def test_first_person_figures_are_not_sourced_to_a_body_named_elsewhere() -> None:
    ext = _one_item("Director's blog\n\nOur family hubs reached 3,100 parents. We answered the Ofsted survey.", AK.Blog)
    _entity(ext, AK.Organisation, "Ofsted", resource("organisation", "ofsted"))
    findings.extract(ext)
    assert ext.graph.value(_finding(ext, "3,100"), AK.source) is None


def test_no_source_when_two_organisations_compete() -> None:
    ext = _extraction("The LGA and the NHS say 60% of councils cannot recruit.")
    _entity(ext, AK.Organisation, "LGA", resource("organisation", "lga"))
    _entity(ext, AK.Organisation, "NHS", resource("organisation", "nhs"))
    findings.extract(ext)
    assert ext.graph.value(_finding(ext, "60%"), AK.source) is None


# --------------------------------------------------------------------------- the corpus


def _corpus(prefix: str) -> Extraction:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    ext = Extraction(read_document(path))
    findings.extract(ext)
    return ext


def test_corpus_appg_story() -> None:
    ext = _corpus("003")
    gap = _finding(ext, "£1.9 billion")
    assert (_value(ext, gap), _measure(ext, gap)) == (Decimal(1900000000), "funding gap")
    change = _finding(ext, "26,400 to more than 50,000")
    assert (_value(ext, change, AK.fromValue), _local(ext, change, AK.direction)) == (Decimal(26400), "Increase")
    assert _value(ext, _finding(ext, "26,400")) == Decimal(26400)  # the level it rose from
    assert _local(ext, _finding(ext, "69 per cent"), AK.direction) == "Decrease"
    assert len(_all(ext)) == 7


def test_corpus_key_findings_of_the_commentary() -> None:
    ext = _corpus("002")
    contacts = _finding(ext, "25%")
    assert _measure(ext, contacts) == "initial contact"
    assert str(ext.graph.value(contacts, AK.periodLabel)) == "Between Oct-Dec 2007 and Oct-Dec 2009"
    decline = _finding(ext, "1.2 percentage point")
    assert _local(ext, decline, AK.direction) == "Decrease"
    assert not [s for s in ext.skipped if s.loader == findings.LOADER]


def test_corpus_response_names_the_investment() -> None:
    ext = _corpus("004")
    (only,) = _all(ext)
    assert (_value(ext, only), _measure(ext, only)) == (Decimal(2600000000), "investment")


# --------------------------------------------------------------------------- queries


def _query_graph() -> Graph:
    text = 'Report says 40% of councils overspent. Sam Patel said: "The funding gap will be £2 billion by 2025."'
    g = Graph()
    doc = resource("doc", "q")
    g.add((doc, AK.fileName, Literal("q.txt")))
    report = resource("report", "survey")
    g.add((report, RDF.type, AK.Report))
    g.add((report, AK.title, Literal("Annual Survey")))
    person = resource("person", "sam-patel")
    g.add((person, RDF.type, AK.Person))
    g.add((person, AK.name, Literal("Sam Patel")))
    statement = resource("statement", "q", 56)
    g.add((statement, AK.speaker, person))
    gap = resource("measure", "funding-gap")
    g.add((gap, RDF.type, AK.Measure))
    g.add((gap, AK.name, Literal("funding gap")))
    council = resource("measure", "council")
    g.add((council, RDF.type, AK.Measure))
    g.add((council, AK.name, Literal("council")))
    interval = resource("interval", ".._2025-12-31")
    g.add((interval, AK.endDate, Literal("2025-12-31", datatype=XSD.date)))
    rows = [
        ("f1", 0, 38, council, "40", None, AK.Percent, AK.NoChange, report, None, None, AK.Level),
        ("f2", 39, len(text), gap, "2000000000", "by 2025", AK.GBP, AK.Increase, person, statement, interval,
         AK.Change),
    ]
    for name, start, end, measure, value, label, unit, direction, source, said, period, kind in rows:
        node = URIRef(f"https://example.org/{name}")
        span = URIRef(f"https://example.org/{name}/span")
        g.add((node, RDF.type, AK.Finding))
        g.add((node, AK.span, span))
        g.add((span, AK.document, doc))
        g.add((span, AK.start, Literal(start, datatype=XSD.integer)))
        g.add((span, AK.end, Literal(end, datatype=XSD.integer)))
        g.add((node, AK.measure, measure))
        g.add((node, AK.value, Literal(value, datatype=XSD.decimal)))
        g.add((node, AK.unit, unit))
        g.add((node, AK.direction, direction))
        g.add((node, AK.kind, kind))
        g.add((node, AK.source, source))
        if label:
            g.add((node, AK.periodLabel, Literal(label)))
        if said:
            g.add((node, AK.inStatement, said))
        if period:
            g.add((node, AK.period, period))
    return g


def _rows(query: str, **bindings: Literal) -> list[tuple[str | None, ...]]:
    result = _query_graph().query((QUERIES / query).read_text(encoding="utf-8"), initBindings=bindings)
    return [tuple(None if cell is None else str(cell) for cell in row) for row in without_links(result, query[:-3])]


def test_findings_query_rows() -> None:
    assert _rows("findings.rq") == [
        ("Annual Survey", None, None, "council", "40", "Percent", "NoChange", None, "q.txt", "0", "38", "report",
         "Level"),
        (
            "Sam Patel",
            "Sam Patel",
            str(resource("statement", "q", 56)),
            "funding gap",
            "2000000000",
            "GBP",
            "Increase",
            "by 2025",
            "q.txt",
            "39",
            "100",
            "person",
            "Change",
        ),
    ]


def test_findings_query_shows_a_range_as_min_max() -> None:
    g = Graph()
    node, span, measure = (
        URIRef("https://example.org/r"),
        URIRef("https://example.org/r/span"),
        resource("measure", "gap"),
    )
    for triple in [
        (node, RDF.type, AK.Finding),
        (node, AK.measure, measure),
        (measure, AK.name, Literal("gap")),
        (node, AK.unit, AK.GBP),
        (node, AK.direction, AK.NoChange),
        (node, AK.minValue, Literal("4.1", datatype=XSD.decimal)),
        (node, AK.maxValue, Literal("4.5", datatype=XSD.decimal)),
        (node, AK.span, span),
        (span, AK.document, resource("doc", "r")),
        (resource("doc", "r"), AK.fileName, Literal("r.txt")),
        (span, AK.start, Literal(0, datatype=XSD.integer)),
        (span, AK.end, Literal(9, datatype=XSD.integer)),
    ]:
        g.add(triple)
    (row,) = g.query((QUERIES / "findings.rq").read_text(encoding="utf-8"))
    assert str(row[4]) == "4.1-4.5"  # type: ignore[index]


@pytest.mark.parametrize("name", ["Funding Gap", "funding gap", "FUNDING GAP"])
def test_measure_over_time_matches_the_name_ignoring_case(name: str) -> None:
    assert _rows("measure_over_time.rq", measure=Literal(name)) == [
        ("Sam Patel", "by 2025", "2000000000", "GBP", "Increase", "q.txt", "Change", name),
    ]


def test_measure_over_time_orders_oldest_first() -> None:
    text = "Referrals rose 5% in 2019. Referrals rose 8% in 2016. Referrals were 300 per week."
    ext = _run(text)
    rows = ext.graph.query(
        (QUERIES / "measure_over_time.rq").read_text(encoding="utf-8"), initBindings={"measure": Literal("Referral")}
    )
    assert [(str(r[1]), str(r[2])) for r in rows] == [  # type: ignore[index]
        ("in 2016", "8"),
        ("in 2019", "5"),
        ("None", "300"),
    ]


def test_query_headers() -> None:
    for name in ("findings.rq", "measure_over_time.rq"):
        head = (QUERIES / name).read_text(encoding="utf-8").splitlines()
        assert head[0].startswith("#+ summary: ")
        assert any(line.startswith("#+ params: ") for line in head)
