"""A scaled corpus of the genre, for benchmarks: N times the bundled corpus in size.

Each copy ``k`` of the corpus is five documents shaped like the bundled ones: a news archive of
about a hundred items (press comments with attributions in the President's, Vice President's and
committee chairs' names, responses to government, conference speeches), a dated release of a
research phase with its key findings, a commentary with numbered recommendations under
addressee headings, a trade-press story about an inquiry report with a council leader's comment,
and a President's response to a national review. People, councils, reports, figures and dates are
drawn from combinatorial pools seeded by ``k``, so they grow with N instead of repeating: copy
``k`` is the archive of its own association (the first copy the ADCS), with its own officers, each
holding a post for one association year.

    python bench/genre_corpus.py --scale 10 --out /tmp/corpus-x10

The text is invented; nothing in it is quoted from a real page.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Abigail Adrian Aisha Alan Alison Amir Andrea Angus Anita Ben Bethan Bridget Callum Carla Carmen Ciaran "
    "Claire Colin Dara Declan Delia Derek Eamon Edith Elena Emeka Esther Fergus Fiona Gareth Gemma Glen Grace "
    "Hamid Harriet Helen Ian Imogen Isaac Jasmine Jonah Judith Kamal Karen Keith Lara Leon Lorna Malcolm Maria "
    "Martin Meera Miles Nadia Neil Nia Oliver Olwen Owen Paula Priya Quentin Ravi Rhona Robin Rosa Rupert Sahar "
    "Seamus Shona Simon Tamsin Theo Una Vikram Wendy Yusuf Zara"
)
SURNAMES = _words(
    "Abbot Ainsley Appleby Ashdown Bannerman Barlow Beckett Blackwood Bramall Brightwell Calloway Carrick Chadwick "
    "Colley Corrigan Crane Dalby Denholm Driscoll Dunmore Eastwood Ellery Fairbairn Fenwick Fletcher Garside "
    "Gillespie Greaves Hadley Halloran Harwood Heseltine Holroyd Ingham Jessop Kendrick Kilbride Lambert Latimer "
    "Lockwood Maddox Marchbank McAllister Merriman Moorcroft Nettleton Norwood Oakley Ormerod Pankhurst Pendleton "
    "Quarrie Radcliffe Ramsbottom Redfern Rowntree Sandford Seddon Shackleton Sowerby Stanway Tennant Thackeray "
    "Threlfall Underwood Varley Wainwright Whitcombe Wilberforce Winstanley Yardley"
)
PLACE_STARTS = _words(
    "Ash Bar Brack Bram Cal Carn Chil Dal Dun Elm Fal Fen Gar Hal Hart Hol Kel Kin Lang Lin Mal Mar Nor Oak Pen "
    "Ral Rod Sal Stan Thorn Ux Wal Wen Whit Wick Wold Yar"
)
PLACE_ENDS = _words(
    "borough bridge bury combe dale field ford ham hurst ley mere minster stead stoke thorpe ton wick worth"
)
COUNCIL_STYLES = ("{place} County Council", "{place} City Council", "{place} Borough Council", "{place} Council")
MONTHS = _words("January February March April May June July August September October November December")
WEEKDAYS = _words("Mon Tue Wed Thu Fri Sat Sun")

POSTS = ("President", "Vice President", "Honorary Secretary")
COMMITTEES = (
    "Workforce Development",
    "Health, Care and Additional Needs",
    "Educational Achievement",
    "Families, Communities and Young People",
    "Resources and Sustainability",
    "Standards, Performance and Inspection",
)
TOPICS = (
    ("the spending review", "funding for children’s services"),
    ("the schools white paper", "inclusion in mainstream schools"),
    ("the latest children looked after statistics", "the number of children in care"),
    ("the national review of child protection", "multi-agency safeguarding"),
    ("the consultation on the children’s homes market", "placement sufficiency"),
    ("the SEND and alternative provision plan", "high needs funding"),
    ("the announcement on family hubs", "early help"),
    ("the unaccompanied children transfer scheme", "children seeking asylum"),
    ("the social work workforce statistics", "agency social work"),
    ("the youth justice figures", "children in custody"),
)
MEASURES = (
    ("initial contacts", 1_800_000, 2_600_000),
    ("referrals", 550_000, 700_000),
    ("children looked after", 65_000, 85_000),
    ("child protection plans", 45_000, 60_000),
    ("section 47 enquiries", 150_000, 220_000),
    ("initial child protection conferences", 65_000, 80_000),
    ("care leavers", 30_000, 45_000),
    ("early help assessments", 200_000, 330_000),
)
CONTEXT = (
    "Demand for help has risen in every region, and the cost of a placement has risen faster still.",
    "Directors want to invest in prevention, but statutory duties come first when budgets are this tight.",
    "Workforce pressures remain acute: vacancies are high and the use of agency staff continues to grow.",
    "Partners in health, policing and education face the same pressures, which adds to the strain.",
    "The evidence from local areas is consistent, and it has been for several years now.",
    "Families tell us that help comes too late, when problems have already become entrenched.",
    "A multi-year settlement would let councils plan, recruit and commission with confidence.",
    "We will continue to work with the department and with our partners on the detail of implementation.",
)
ENDS = "ENDS\n\n\nTags assigned to this article:\nThere are no tags assigned to this article!\n\nRelated Articles\n\n"


@dataclass(frozen=True)
class Association:
    name: str
    acronym: str
    first_year: int
    """The association year (April to March) the copy's archive starts in."""


class Pools:
    """The invented people, councils and reports of one copy, drawn without repeats inside it."""

    def __init__(self, copy: int) -> None:
        self.copy = copy
        self.random = random.Random(copy)
        self._used_people: set[str] = set()

    def person(self) -> str:
        while True:
            first = self.random.choice(FIRST_NAMES)
            # The copy's index spreads surnames over copies: the same pair recurs only across many copies.
            last = SURNAMES[(self.random.randrange(len(SURNAMES)) + self.copy * 7) % len(SURNAMES)]
            name = f"{first} {last}"
            if self.copy >= 1 and self.random.random() < 0.5:
                name = f"{first} {last}-{self.random.choice(SURNAMES)}"
            if name not in self._used_people:
                self._used_people.add(name)
                return name

    def place(self) -> str:
        start = PLACE_STARTS[(self.random.randrange(len(PLACE_STARTS)) + self.copy) % len(PLACE_STARTS)]
        place = start + self.random.choice(PLACE_ENDS)
        if self.copy and self.random.random() < 0.4:
            place = f"{self.random.choice(('North', 'South', 'East', 'West', 'Upper', 'Lower'))} {place}"
        return place

    def council(self) -> str:
        return self.random.choice(COUNCIL_STYLES).format(place=self.place())

    def figure(self, low: int, high: int) -> int:
        value = self.random.randint(low, high)
        return round(value, -2) if value > 10_000 else value

    def percent(self) -> int:
        return self.random.randint(2, 48)


def association(copy: int) -> Association:
    if copy == 0:
        return Association("Association of Directors of Children’s Services", "ADCS", 2019)
    pools = random.Random(10_000 + copy)
    region = f"{pools.choice(PLACE_STARTS)}{pools.choice(PLACE_ENDS)}"
    return Association(
        f"{region} Association of Children’s Services Directors", f"{region[:3].upper()}ACSD", 2007 + copy % 17
    )


def _long_date(year: int, month: int, day: int) -> str:
    return f"{day} {MONTHS[month - 1]} {year}"


def _event_line(random_: random.Random, year: int) -> str:
    month, day = random_.randint(1, 12), random_.randint(1, 28)
    stamp = f"{random_.choice(WEEKDAYS)}, {day:02d} {MONTHS[month - 1][:3]} {year % 100:02d} 10:00"
    return f"Next Upcoming Event\n\n{stamp}\n\n"


class Archive:
    """A news archive: items newest first, with the officers of three association years."""

    def __init__(self, pools: Pools, body: Association) -> None:
        self.pools = pools
        self.body = body
        self.years = [body.first_year + offset for offset in range(3)]
        # One more year of officers than of items: the last year's speech names its incoming President.
        self.officers = {(year, post): pools.person() for year in [*self.years, self.years[-1] + 1] for post in POSTS}
        self.chairs = {(year, committee): pools.person() for year in self.years for committee in COMMITTEES}
        self.councils = {name: pools.council() for name in self.officers.values()}

    def item_date(self, year: int, index: int) -> tuple[int, int, int]:
        """The ``index``-th item of an association year (April to March), oldest first, 11 days apart."""
        day = date(year, 4, 1) + timedelta(days=index * 11)
        return (day.year, day.month, day.day)

    def context(self, sentences: int) -> str:
        return " ".join(self.pools.random.choice(CONTEXT) for _ in range(sentences))

    def comment(self, year: int, index: int) -> str:
        random_ = self.pools.random
        event, subject = random_.choice(TOPICS)
        post = random_.choice(POSTS)
        name = self.officers[(year, post)]
        measure, low, high = random_.choice(MEASURES)
        value, change = self.pools.figure(low, high), self.pools.percent()
        y, m, d = self.item_date(year, index)
        attribution = random_.choice(
            (
                f"Commenting on {event}, {name}, {self.body.acronym} {post}, said:",
                f"{self.body.acronym} {post} {name} said:",
                f"{name}, {post} of the {self.body.name} and Director of Children’s Services at "
                f"{self.councils[name]}, said:",
            )
        )
        return (
            f"Comment: {event}\n\n{_long_date(y, m, d)}\n\n{attribution}\n\n"
            f"“{subject.capitalize()} cannot be left to chance. There were {value:,} {measure} in the year to "
            f"31 March {y}, up {change}% on the year before, and local authorities are meeting that demand with "
            f"less. We urge the government to act before the system becomes wholly reactive.”\n\n"
            f"“{self.context(8)}”\n\n“{self.context(8)}”\n\n"
            f"“Councils are doing all they can, but {subject} needs a long-term settlement,” "
            f"{name.split()[-1]} added.\n\n" + ENDS
        )

    def chair_comment(self, year: int, index: int) -> str:
        random_ = self.pools.random
        committee = random_.choice(COMMITTEES)
        name = self.chairs[(year, committee)]
        event, subject = random_.choice(TOPICS)
        y, m, d = self.item_date(year, index)
        return (
            f"{self.body.acronym} response: {event}\n\n{_long_date(y, m, d)}\n\n"
            f"{name}, Chair of the {self.body.acronym} {committee} Policy Committee, said:\n\n"
            f"“We welcome the attention given to {subject}. Our members will study the detail, but without "
            f"sustainable funding the ambition will not be met. {self.context(4)}”\n\n“{self.context(5)}”\n\n" + ENDS
        )

    def speech(self, year: int, index: int) -> str:
        name = self.officers[(year, "President")]
        y, m, d = self.item_date(year, index)
        return (
            f"{self.body.acronym} President Conference Speech {y}\n\n"
            f"{self.body.acronym} President, {name}, made the keynote speech to the {self.body.acronym} Annual "
            f"Conference {y} on {_long_date(y, m, d)}\n\n"
            f"On funding\n\n“Year on year we are stripping services back. Our incoming President, "
            f"{self.officers[(year + 1, 'President')]}, "
            f"will carry this work forward.”\n\nOn the workforce\n\n“{self.context(8)}”\n\n"
            f"On partnership\n\n“{self.context(8)}”\n\n" + ENDS
        )

    def text(self) -> str:
        items: list[str] = []
        for year in self.years:
            for index in range(33):
                kind = index % 11
                if kind == 10:
                    items.append(self.speech(year, index))
                elif kind % 3 == 2:
                    items.append(self.chair_comment(year, index))
                else:
                    items.append(self.comment(year, index))
        items.reverse()
        return _event_line(self.pools.random, self.years[-1] + 1) + "".join(items)


def research_release(pools: Pools, body: Association, archive: Archive) -> str:
    phase = 3 + pools.copy % 9
    year = body.first_year + 1
    president = archive.officers[(year, "President")]
    since = f"{year - 2}/{year - 1 - 2000:02d}"
    findings = "\n".join(
        f"• {pools.figure(low, high):,} {measure}, an increase of {pools.percent()}% since {since}"
        for measure, low, high in pools.random.sample(MEASURES, 5)
    )
    return (
        f"{_event_line(pools.random, year)}Safeguarding pressures phase {phase}\n\n"
        f"{_long_date(year, 11, 14)}\n\n"
        f"The {body.name} ({body.acronym}) today publishes phase {phase} of its Safeguarding Pressures research, "
        f"which covers the years {year - 2}/{year - 1 - 2000:02d} to {year}/{year + 1 - 2000:02d}. Key findings "
        f"include:\n\n{findings}\n\n"
        f"{president}, {body.acronym} President, said: “These figures show demand that keeps rising while "
        f"budgets do not.”\n\n" + ENDS
    )


def commentary(pools: Pools, body: Association) -> str:
    year = body.first_year - 1
    report = f"Pressures on {pools.place()}’s Families"
    sections = []
    for addressee in ("central government", "local authorities and their partners", "researchers"):
        numbered = "\n\n".join(
            f"{number}. {subject.capitalize()} should be reviewed, with {pools.percent()}% of any new funding "
            f"directed to prevention, and a report made to Parliament within {pools.random.randint(2, 5)} years."
            for number, (_, subject) in enumerate(pools.random.sample(TOPICS, 4), start=1)
        )
        sections.append(f"Recommendations to {addressee}\n\n{numbered}")
    analysis = "\n\n".join(
        f"Between {year - 3} and {year}, {measure} rose from {pools.figure(low, high):,} to "
        f"{pools.figure(low, high):,}, and {pools.percent()}% of authorities reported an increase in demand. "
        + "Local areas described the same pattern of rising need and reducing resources. "
        * 40
        for measure, low, high in MEASURES
    )
    return (
        f"\n\nRecommendations for policy-makers:\nan {body.acronym} commentary on {report}\n\n"
        f"Foreword\n\nThis commentary sets out what the {body.name} asks of those who make policy, "
        f"drawing on the {report} report ({year}).\n\nAnalysis\n\n{analysis}\n\n" + "\n\n".join(sections) + "\n"
    )


def press_story(pools: Pools, body: Association) -> str:
    year = body.first_year - 2
    inquiry = f"No Easy Answers for {pools.place()}"
    leader = pools.person()
    council = pools.council()
    numbered = "\n".join(
        f"{number}. The government should {action}."
        for number, action in enumerate(
            (
                "publish a cross-departmental strategy for children",
                "fund early help on a multi-year basis",
                "review the thresholds for statutory intervention",
                "support the recruitment of foster carers",
            ),
            start=1,
        )
    )
    return (
        f"Legal news | Family law | Local government\n\n"
        f"Inquiry finds children’s services struggling to keep pace\n\n{_long_date(year, 3, 9)}\n\n"
        f"An inquiry by the All Party Parliamentary Group on {pools.place()} Children has published its report, "
        f"{inquiry}, which found that nearly {pools.random.randint(60, 95)}% of senior managers find it "
        f"increasingly difficult to meet need. Its recommendations include:\n\n{numbered}\n\n"
        f"{leader}, leader of {council}, said: “Councils cannot keep doing more with less.”\n\n"
        f"{body.acronym} said it welcomed the report.\n\n"
        f"Subscribe to our newsletter\n\nShare this article\n"
    )


def review_response(pools: Pools, body: Association, archive: Archive) -> str:
    year = archive.years[-1]
    president = archive.officers[(year, "President")]
    return (
        f"{_event_line(pools.random, year + 1)}{body.acronym} President’s response to the national review\n\n"
        f"{_long_date(year, 5, 26)}\n\n"
        f"Responding to the national review into the deaths of two children, {president}, President of the "
        f"{body.name}, said:\n\n"
        f"“Our thoughts are with everyone who knew them. The review makes {pools.random.randint(4, 12)} "
        f"recommendations and we will consider each of them carefully, but we have been clear that "
        f"{pools.figure(40_000, 90_000):,} more social workers will be needed by {year + 5}.”\n\n"
        f"“Safeguarding is everyone’s business,” {president.split()[-1]} said.\n\n" + ENDS
    )


def documents(copy: int) -> dict[str, str]:
    """The five documents of copy ``copy``, by file name."""
    pools = Pools(copy)
    body = association(copy)
    archive = Archive(pools, body)
    return {
        f"{copy:05d}_0_research.txt": research_release(pools, body, archive),
        f"{copy:05d}_1_archive.txt": archive.text(),
        f"{copy:05d}_2_commentary.txt": commentary(pools, body),
        f"{copy:05d}_3_press.txt": press_story(pools, body),
        f"{copy:05d}_4_response.txt": review_response(pools, body, archive),
    }


def write_corpus(out: Path, scale: int) -> list[Path]:
    """Writes ``scale`` copies into ``out`` (created if needed) and returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for copy in range(scale):
        for name, text in documents(copy).items():
            path = out / name
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="how many copies of the corpus (1, 10, 100, 1000)")
    parser.add_argument("--out", type=Path, required=True, help="the directory to write the documents into")
    args = parser.parse_args()
    written = write_corpus(args.out, args.scale)
    size = sum(path.stat().st_size for path in written)
    print(f"{len(written):,} documents, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
