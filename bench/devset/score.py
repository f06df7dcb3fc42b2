"""Score the loaders of a checkout on the development set of real pages.

Runs every document loader (and the corpus linker) of the checkout given by ``--repo`` on each
page text, reads the facts back from the resulting RDF through the named queries of that
checkout (``queries/*.rq``) and, where the public queries carry no offsets, through small SPARQL
queries over ontology terms; compares them with ``bench/devset/gold.json`` and prints precision,
recall and F1 per category for one split (``dev``, ``held-out``, ``held-out-2`` or ``all``).
``--failures`` lists, per dev page, the facts missed and the facts found that the gold does not
hold.

    python bench/devset/score.py --texts bench/devset/texts --split dev --failures
    python bench/devset/score.py --repo ../other-checkout --split held-out

The page texts are not part of the repository (see bench/devset/README.md): ``--texts``, else
the ``ADCS_KG_DEVSET`` environment variable, else ``bench/devset/texts`` (git-ignored; a
symlink to where the texts are kept). Held-out pages (``held-out``, ``held-out-2``) are scored but
their failures are never listed. Run on demand; never part of the test suite.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.json"
DEFAULT_TEXTS = HERE / "texts"
SPLITS = ("dev", "held-out", "held-out-2", "all")

CATEGORIES = (
    "positions",
    "position terms",
    "speakers",
    "item dates",
    "organisations",
    "organisation kinds",
    "findings",
    "findings with right source",
    "reports",
    "policies",
    "recommendations",
    "recommendation addressees",
)

# --------------------------------------------------------------------------------------------
# Normalisation: what a reader ignores when comparing two mentions of one thing.

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‐": "-"})
_HONORIFICS = frozenset(
    "cllr councillor coun dr sir dame professor prof mr mrs ms miss lord lady baroness rt hon "  # noqa: SIM905
    "cbe obe mbe kc qc mp".split()
)
_ORG_SUFFIXES = (
    "metropolitan borough council",
    "royal borough council",
    "borough council",
    "county council",
    "city council",
    "district council",
    "council",
    "lbc",
    "rbc",
    "mbc",
    "ltd",
)
_BOROUGH_OF = "(?:london|royal) borough of"
_ORG_SUFFIX = "(?:" + "|".join(_ORG_SUFFIXES) + ")"
POST_SYNONYMS = {
    "dcs": "director of children's services",
    "chairman": "chair",
    "chairwoman": "chair",
    "chairperson": "chair",
    "chief exec": "chief executive",
    "ceo": "chief executive",
}


def normalise(text: str) -> str:
    """Case, width, curly quotes, dashes, "&" for "and", whitespace, a leading "the" and possessives ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().replace("&", " and ")
    text = re.sub(r"'s\b|s'(?=\s|$)", "", text)
    text = re.sub(r"[^\w%£$.\-/ ]+", " ", text)
    text = re.sub(r"(?<!\d)[.\-/]|[.\-/](?!\d)", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def person_key(name: str) -> tuple[str, str]:
    """(first name, surname) without honorifics, post-nominals or middle names."""
    joined = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    joined = re.sub(r"(?<=\w)['-](?=\w)", "", joined)  # O'Hara, Smith-Jones: one token each
    tokens = [t for t in re.sub(r"[^\w]+", " ", joined).split() if t not in _HONORIFICS]
    if not tokens:
        return ("", "")
    return (tokens[0], tokens[-1]) if len(tokens) > 1 else ("", tokens[0])


def same_person(a: str, b: str) -> bool:
    ka, kb = person_key(a), person_key(b)
    return bool(ka[1]) and ka == kb


def org_key(name: str) -> str:
    """An organisation's name without its council style ("Wexmoor LBC", "London Borough of Wexmoor": "wexmoor")."""
    key = re.sub(rf"^{_BOROUGH_OF} ", "", normalise(name))
    for suffix in _ORG_SUFFIXES:
        if key.endswith(" " + suffix):
            return key[: -len(suffix) - 1]
    return key


@dataclass
class Aliases:
    """The organisation names of one page that denote the same body (name, acronym, aliases)."""

    groups: list[set[str]] = field(default_factory=list)

    @classmethod
    def of(cls, organisations: Iterable[dict[str, Any]]) -> Aliases:
        groups = []
        for org in organisations:
            names = [org["name"], *([org["acronym"]] if org.get("acronym") else []), *org.get("aliases", [])]
            # both the name as written and without its council suffix: a post may name either
            groups.append({org_key(n) for n in names} | {normalise(n) for n in names})
        return cls(groups)

    def same(self, a: str, b: str) -> bool:
        ka, kb = org_key(a), org_key(b)
        if not ka or not kb:
            return False
        return ka == kb or any(ka in g and kb in g for g in self.groups)

    def names(self) -> list[str]:
        """Every name of the page's organisations, longest first."""
        return sorted({n for g in self.groups for n in g if n}, key=len, reverse=True)

    def strip(self, text: str) -> str:
        """``text`` without any name of the page's organisations in it (a post named with its body,
        "Director of Children's Services, Anyshire County Council"; "Chief Executive of The Key")."""
        key = f" {normalise(text)} "
        for name in self.names():
            key = re.sub(rf" (?:the )?(?:{_BOROUGH_OF} )?{re.escape(name)}(?: {_ORG_SUFFIX})? ", " ", key)
        return re.sub(r"\s+", " ", key).strip()


def post_key(post: str, aliases: Aliases) -> str:
    key = aliases.strip(post)
    key = re.sub(r"^(?:(?:of|at|for|in) )?(?:the )?| (?:of|at|for|in)(?: the)?$", "", key)
    return normalise(POST_SYNONYMS.get(key, key))


def title_key(title: str, aliases: Aliases) -> str:
    """A report or policy title without punctuation and without its owner's name in front."""
    key = normalise(title)
    for name in aliases.names():
        if key.startswith(name + " "):
            return key[len(name) + 1 :]
    return key


def same_title(a: str, b: str, aliases: Aliases) -> bool:
    return title_key(a, aliases) == title_key(b, aliases) or normalise(a) == normalise(b)


_TERM = re.compile(r"((?:19|20)\d\d)\s*[-/]\s*((?:19|20)?\d\d)\b|\b(\d\d)/(\d\d)\b|\b((?:19|20)\d\d)\b")


def term_years(term: str | None, start: str | None = None, end: str | None = None) -> tuple[int, int] | None:
    """A term as (first year, last year): "2015-16", "2015/16", "15/16", "2018", or start/end dates."""
    if term:
        m = _TERM.search(term)
        if m and m.group(1):
            first, second = int(m.group(1)), m.group(2)
            last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
            return (first, last)
        if m and m.group(3):
            return (2000 + int(m.group(3)), 2000 + int(m.group(4)))
        if m and m.group(5):
            year = int(m.group(5))
            return (year, year)
    if start or end:
        first = int((start or end or "")[:4])
        last = int((end or start or "")[:4])
        return (first, last)
    return None


def to_number(value: str | float | int) -> float | None:
    text = str(value).replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        return None


def same_value(a: str | float | int, b: str | float | int) -> bool:
    """Equal numbers (to 0.5%), or equal ranges written "min-max"."""
    ra, rb = str(a).split("-") if re.fullmatch(r"[\d.]+-[\d.]+", str(a)) else [str(a)], (
        str(b).split("-") if re.fullmatch(r"[\d.]+-[\d.]+", str(b)) else [str(b)]
    )
    if len(ra) != len(rb):
        return False
    for x, y in zip(ra, rb, strict=True):
        nx, ny = to_number(x), to_number(y)
        if nx is None or ny is None:
            return False
        if abs(nx - ny) > 0.005 * max(abs(nx), abs(ny), 1e-9):
            return False
    return True


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# --------------------------------------------------------------------------------------------
# Matching: one-to-one, greedy in gold order.


@dataclass
class Tally:
    """Gold facts found (``tp``) or missed (``fn``); found facts right (``right``) or spurious (``fp``).

    ``tp`` and ``right`` differ only where matching is by overlap (several found statements may
    cover one gold statement that the page writes over paragraphs, and the reverse).
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: int | None = None

    def add(self, other: Tally) -> None:
        self.right = self.correct + other.correct
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def correct(self) -> int:
        return self.tp if self.right is None else self.right

    def prf(self) -> tuple[float, float, float]:
        p = self.correct / (self.correct + self.fp) if self.correct + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Outcome:
    tally: Tally
    missed: list[Any]
    spurious: list[Any]
    pairs: list[tuple[Any, Any]]


def match(gold: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], bool]) -> Outcome:
    left = list(found)
    pairs, missed = [], []
    for g in gold:
        hit = next((f for f in left if same(g, f)), None)
        if hit is None:
            missed.append(g)
        else:
            left.remove(hit)
            pairs.append((g, hit))
    return Outcome(Tally(len(pairs), len(left), len(missed)), missed, left, pairs)


def cover(gold: Sequence[Any], found: Sequence[Any], same: Callable[[Any, Any], bool]) -> Outcome:
    """Many-to-many matching: a gold fact is found when some found fact is ``same`` as it, and a
    found fact is right when it is ``same`` as some gold fact (spans split or merged differently)."""
    missed = [g for g in gold if not any(same(g, f) for f in found)]
    spurious = [f for f in found if not any(same(g, f) for g in gold)]
    pairs = [(g, f) for g in gold for f in found if same(g, f)]
    return Outcome(Tally(len(gold) - len(missed), len(spurious), len(missed), len(found) - len(spurious)),
                   missed, spurious, pairs)


def judge(
    pairs: list[tuple[Any, Any]], gold: Sequence[Any], found: Sequence[Any], right: Callable[[Any, Any], bool]
) -> Tally:
    """A stricter category over the matched pairs: a pair counts only when ``right`` holds."""
    good_gold = {id(g) for g, f in pairs if right(g, f)}
    good_found = {id(f) for g, f in pairs if right(g, f)}
    return Tally(len(good_gold), len(found) - len(good_found), len(gold) - len(good_gold), len(good_found))


def dedupe(rows: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen: dict[Any, Any] = {}
    for row in rows:
        seen.setdefault(key(row), row)
    return list(seen.values())


def score_page(gold: dict[str, Any], found: dict[str, list[dict[str, Any]]]) -> dict[str, Outcome]:
    """Compare one page's gold facts with the facts the loaders found; one outcome per category."""
    aliases = Aliases.of(gold.get("organisations", []))
    out: dict[str, Outcome] = {}

    def same_position(g: dict[str, Any], f: dict[str, Any]) -> bool:
        return (
            same_person(g["person"], f["person"])
            and post_key(g["post"], aliases) == post_key(f["post"], aliases)
            and aliases.same(g["organisation"], f["organisation"])
        )

    positions = dedupe(found["positions"], lambda f: (person_key(f["person"]), normalise(f["post"]),
                                                       org_key(f["organisation"]), f.get("term"), f.get("start")))
    out["positions"] = match(gold.get("positions", []), positions, same_position)
    termed = [g for g in gold.get("positions", []) if term_years(g.get("term"), g.get("start"), g.get("end"))]
    # A holding stated at one item's date (start = end, no term written) claims no term.
    with_term = [
        f
        for f in positions
        if term_years(f.get("term"), f.get("start"), f.get("end"))
        and (f.get("term") or not f.get("start") or f.get("start") != f.get("end"))
    ]
    terms = match(
        termed,
        with_term,
        lambda g, f: same_position(g, f)
        and term_years(g.get("term"), g.get("start"), g.get("end"))
        == term_years(f.get("term"), f.get("start"), f.get("end")),
    )
    # A term the linker derived (inferred) is scored when the page states one, never spurious.
    derived = [f for f in terms.spurious if str(f.get("inferred")).lower() == "true"]
    terms.spurious = [f for f in terms.spurious if f not in derived]
    terms.tally.fp -= len(derived)
    out["position terms"] = terms
    out["speakers"] = cover(
        gold.get("speakers", []),
        found["speakers"],
        lambda g, f: same_person(g["person"], f["person"]) and overlaps((g["start"], g["end"]), (f["start"], f["end"])),
    )
    out["item dates"] = match(gold.get("item_dates", []), [f["date"] for f in found["items"]], lambda g, f: g == f)
    organisations = dedupe(found["organisations"], lambda f: org_key(f["name"]))
    out["organisations"] = match(
        gold.get("organisations", []),
        organisations,
        lambda g, f: any(aliases.same(n, f["name"]) or (f.get("acronym") and aliases.same(n, f["acronym"]))
                         for n in [g["name"], *([g["acronym"]] if g.get("acronym") else [])]),
    )
    orgs = out["organisations"]
    out["organisation kinds"] = Outcome(
        judge(orgs.pairs, gold.get("organisations", []), organisations,
              lambda g, f: normalise(g["kind"]) == normalise(f["kind"])),
        [g for g, f in orgs.pairs if normalise(g["kind"]) != normalise(f["kind"])] + orgs.missed,
        [f for g, f in orgs.pairs if normalise(g["kind"]) != normalise(f["kind"])] + orgs.spurious,
        [],
    )

    def same_finding(g: dict[str, Any], f: dict[str, Any]) -> bool:
        return (
            same_value(g["value"], f["value"])
            and normalise(g["unit"]) == normalise(f["unit"])
            and overlaps((g["start"], g["end"]), (f["start"], f["end"]))
        )

    def right_source(g: dict[str, Any], f: dict[str, Any]) -> bool:
        said = [s for s in (f.get("source"), f.get("speaker")) if s]
        return any(
            aliases.same(g["source"], s) or same_person(g["source"], s) or same_title(g["source"], s, aliases)
            for s in said
        )

    findings = dedupe(found["findings"], lambda f: (f["value"], f["unit"], f["start"], f["end"], f.get("measure")))
    out["findings"] = match(gold.get("findings", []), findings, same_finding)
    fnd = out["findings"]
    out["findings with right source"] = Outcome(
        judge(fnd.pairs, gold.get("findings", []), findings, right_source),
        [g for g, f in fnd.pairs if not right_source(g, f)] + fnd.missed,
        [f for g, f in fnd.pairs if not right_source(g, f)] + fnd.spurious,
        [],
    )
    reports = dedupe(found["reports"], lambda f: normalise(f["title"]))
    out["reports"] = match(
        gold.get("reports", []),
        reports,
        lambda g, f: any(same_title(t, f["title"], aliases) for t in [g["title"], *g.get("aliases", [])]),
    )
    policies = dedupe(found["policies"], lambda f: normalise(f["name"]))
    out["policies"] = match(
        gold.get("policies", []),
        policies,
        lambda g, f: any(same_title(t, f["name"], aliases) for t in [g["name"], *g.get("aliases", [])]),
    )
    out["recommendations"] = cover(
        gold.get("recommendations", []),
        found["recommendations"],
        lambda g, f: overlaps((g["start"], g["end"]), (f["start"], f["end"])),
    )
    rec = out["recommendations"]

    def right_addressee(g: dict[str, Any], f: dict[str, Any]) -> bool:
        if not g.get("addressee"):
            return not f.get("addressee")
        return bool(f.get("addressee")) and aliases.same(g["addressee"], f["addressee"])

    out["recommendation addressees"] = Outcome(
        judge(rec.pairs, gold.get("recommendations", []), found["recommendations"], right_addressee),
        [g for g, f in rec.pairs if not right_addressee(g, f)] + rec.missed,
        [f for g, f in rec.pairs if not right_addressee(g, f)] + rec.spurious,
        [],
    )
    return out


# --------------------------------------------------------------------------------------------
# Reading what the loaders of a checkout find in one text.

AK = "PREFIX ak: <https://w3id.org/adcs-kg/ontology#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
# What the named queries answer by default: facts read with a lower ak:confidence are left out
# (the named queries' min_confidence, whose default these queries share).
SURE = "OPTIONAL {{ ?{0} ak:confidence ?confidence }} FILTER (xsd:double(COALESCE(?confidence, 1)) >= {1})"
STATEMENTS = AK + """
SELECT ?person ?start ?end WHERE {
  ?statement a ak:Statement ; ak:speaker/ak:name ?person ; ak:span ?span .
  ?span ak:start ?start ; ak:end ?end .
  %s
}"""
ITEM_DATES = AK + """
SELECT ?date WHERE {
  ?item a ak:Item ; ak:date ?date .
  FILTER NOT EXISTS { ?item ak:dateInferred true }
  %s
}"""
RECOMMENDATIONS = AK + """
SELECT ?start ?end ?number ?addressee WHERE {
  ?recommendation a ak:Recommendation ; ak:span ?span .
  ?span ak:start ?start ; ak:end ?end .
  OPTIONAL { ?recommendation ak:number ?number }
  OPTIONAL { ?recommendation ak:addressee/ak:name ?addressee }
  %s
}"""


def _rows(graph: Any, sparql: str) -> list[dict[str, Any]]:
    result = graph.query(sparql)
    names = [str(v) for v in result.vars]
    rows = []
    for row in result:
        cells: dict[str, Any] = {}
        for name, value in zip(names, row, strict=True):
            if value is None:
                cells[name] = None
            else:
                python = value.toPython() if hasattr(value, "toPython") else value
                cells[name] = python if isinstance(python, int | float) else str(value)
        rows.append(cells)
    return rows


class Checkout:
    """The loaders and named queries of one checkout of the project."""

    def __init__(self, repo: Path) -> None:
        sys.path.insert(0, str(repo))
        self.loaders: ModuleType = importlib.import_module("loaders")
        self.queries = {p.stem: p.read_text(encoding="utf-8") for p in (repo / "queries").glob("*.rq")}
        # the named queries' default min_confidence (a checkout without confidence keeps every fact)
        extraction = importlib.import_module("loaders.extraction")
        self.min_confidence = float(getattr(extraction, "DEFAULT_MIN_CONFIDENCE", 0))

    def sure(self, query: str, fact: str) -> str:
        """``query`` keeping only the facts ``?fact`` that the named queries answer by default."""
        return query % SURE.format(fact, self.min_confidence)

    def read(self, path: Path) -> dict[str, list[dict[str, Any]]]:
        result = self.loaders.extract_document(path)
        graph = result.graph()
        self.loaders.link_corpus(graph)
        found = {
            "positions": _rows(graph, self.queries["positions"]),
            "speakers": _rows(graph, self.sure(STATEMENTS, "statement")),
            "items": _rows(graph, self.sure(ITEM_DATES, "item")),
            "organisations": _rows(graph, self.queries["organisations"]),
            "findings": _rows(graph, self.queries["findings"]),
            "reports": _rows(graph, self.queries["reports"]),
            "policies": _rows(graph, self.queries["policies"]),
            "recommendations": _rows(graph, self.sure(RECOMMENDATIONS, "recommendation")),
        }
        for row in found["items"]:
            row["date"] = str(row["date"])[:10]
        return found


# --------------------------------------------------------------------------------------------


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    pages: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["pages"]
    return pages


def texts_dir(option: str | None) -> Path:
    if option:
        return Path(option)
    env = os.environ.get("ADCS_KG_DEVSET")
    return Path(env) if env else DEFAULT_TEXTS


def describe(fact: Any) -> str:
    if isinstance(fact, dict):
        return ", ".join(f"{k}={v}" for k, v in fact.items() if v not in (None, "", [])) or "{}"
    return str(fact)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", default=".", help="checkout whose loaders and queries are scored (default: cwd)")
    parser.add_argument("--texts", help="directory of the page texts NNN.txt (default: $ADCS_KG_DEVSET, else "
                        "bench/devset/texts)")
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--failures", action="store_true", help="list missed and spurious facts per dev page")
    parser.add_argument("--gold", default=str(GOLD), help="annotation file (default: bench/devset/gold.json)")
    args = parser.parse_args(argv)
    if args.failures and args.split != "dev":
        parser.error("--failures lists dev pages only: held-out pages are scored, never inspected")

    texts = texts_dir(args.texts)
    pages = [p for p in load_gold(Path(args.gold)) if args.split == "all" or p["split"] == args.split]
    missing = [p["id"] for p in pages if not (texts / f"{p['id']}.txt").is_file()]
    if missing:
        print(f"error: {texts}: no text for pages {', '.join(missing)} (see bench/devset/README.md "
              "to gather them)", file=sys.stderr)
        return 2
    checkout = Checkout(Path(args.repo).resolve())
    totals = {c: Tally() for c in CATEGORIES}
    listing: list[str] = []
    for page in pages:
        found = checkout.read(texts / f"{page['id']}.txt")
        outcomes = score_page(page, found)
        for category, outcome in outcomes.items():
            totals[category].add(outcome.tally)
        if args.failures:
            lines = []
            for category, outcome in outcomes.items():
                lines += [f"    {category}: missed {describe(m)}" for m in outcome.missed]
                lines += [f"    {category}: spurious {describe(s)}" for s in outcome.spurious]
            if lines:
                listing += [f"page {page['id']} ({page['address']})", *lines]
    print(f"split {args.split}: {len(pages)} pages")
    print(f"{'category':28} {'P':>5} {'R':>5} {'F1':>5} {'gold':>5} {'found':>5}")
    for category in CATEGORIES:
        t = totals[category]
        p, r, f = t.prf()
        print(f"{category:28} {p:5.2f} {r:5.2f} {f:5.2f} {t.tp + t.fn:5d} {t.correct + t.fp:5d}")
    if listing:
        print("\nfailures (dev pages):")
        print("\n".join(listing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
