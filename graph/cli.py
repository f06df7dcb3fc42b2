"""The ``adcs-kg`` command line.

Exit codes: 0 success; 1 the graph does not conform (build without ``--allow-invalid``,
``validate``); 2 the command could not run (bad input, bad query or parameter, store problem).
"""

from __future__ import annotations

import errno
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rdflib.plugins.sparql.parser import parseUpdate
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .build import BuildSummary
from .build import add as add_documents
from .build import build as run_build
from .errors import AdcsKgError, QuerySyntaxError, ShapeError
from .namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from .ontology import shapes_graph
from .query import NamedQuery, named_queries, named_query, run_named
from .reason import Reasoning
from .resources import DataDir, data_dir
from .results import Answer, Form, ResultFormat, answer_from_rdflib, rows, write_result
from .sparql import check_limits
from .store import (
    ENV_GSP_URL,
    ENV_STORE,
    ENV_UPDATE_URL,
    StoreConfig,
    default_store_path,
    open_store,
    require_update_url,
)
from .validate import ReportFormat
from .validate import validate as run_validate
from .viz.charts import chart_format, measure_chart, officers_chart
from .viz.network import (
    CLASS_STYLES,
    GraphFormat,
    analyse,
    annotated,
    clip,
    export,
    find_node,
    graph_format,
    load_network,
    reduce_network,
)
from .viz.page import FIXED_LAYOUT_CAP, LIVE_PHYSICS_CAP, network_page

BUNDLED_CORPUS = data_dir(DataDir.CORPUS)

app = typer.Typer(
    help="adcs-kg: a knowledge graph of English children's-services policy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

StoreOption = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar=ENV_STORE,
        help=f"Store: a directory, or a SPARQL 1.1 query endpoint URL (default: {default_store_path()}).",
        show_default=False,
    ),
]
UpdateUrlOption = Annotated[
    str | None,
    typer.Option("--update-url", envvar=ENV_UPDATE_URL, help="A remote store's SPARQL 1.1 update endpoint."),
]
GspUrlOption = Annotated[
    str | None,
    typer.Option("--gsp-url", envvar=ENV_GSP_URL, help="A remote store's Graph Store Protocol endpoint."),
]
AllowInvalidOption = Annotated[
    bool, typer.Option(help="Store the graph even if it does not conform to the shapes (says what it let through).")
]
JobsOption = Annotated[int | None, typer.Option(help="Documents extracted in parallel (default: one per core).")]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="List everything the loaders skipped.")]


def _store(location: str | None, update_url: str | None = None, gsp_url: str | None = None) -> StoreConfig:
    return StoreConfig(location or default_store_path(), update_url=update_url, gsp_url=gsp_url)


def _fail(exc: AdcsKgError | str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def main() -> None:
    """The ``adcs-kg`` entry point: even a failure no command foresaw is one line and exit 2, never a traceback."""
    try:
        app()
    except Exception as exc:  # a defect or an environment problem that no command caught
        err.print(f"[bold red]error:[/] {escape(f'{type(exc).__name__}: {exc}')}", highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


class _Bars:
    """Draws the build's stages as rich progress bars."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None
        self._total = 1

    def stage(self, name: str, total: int | None) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._total, total=self._total)
        self._task = self._progress.add_task(name, total=total)
        self._total = total or 1

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)


@app.command()
def build(
    corpus: Annotated[
        Path, typer.Option(help="Directory of source documents (*.txt).", file_okay=False)
    ] = BUNDLED_CORPUS,
    store: StoreOption = None,
    update_url: UpdateUrlOption = None,
    gsp_url: GspUrlOption = None,
    reasoning: Annotated[Reasoning, typer.Option(help="Reasoner for the inferred graph.")] = Reasoning.RL_FAST,
    alignments: Annotated[
        bool, typer.Option(help="Reason with the alignments to ORG, PROV-O, schema.org and the rest.")
    ] = True,
    allow_invalid: AllowInvalidOption = False,
    jobs: JobsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Load the corpus, reason, validate, and only then replace the graph in the store."""
    config = _store(store, update_url, gsp_url)
    with _reporting_build_errors():
        if config.is_remote:  # refused before the work of a build, not after it
            require_update_url(config)
            open_store(config).exists()  # the server answers, and no credentials are in its URLs
        with _progress_bars() as progress:
            summary = run_build(
                corpus,
                store=config,
                reasoning=reasoning,
                alignments=alignments,
                allow_invalid=allow_invalid,
                jobs=jobs,
                progress=_Bars(progress),
            )
    _print_summary(f"Built {config}", summary, verbose=verbose)


@app.command()
def add(
    files: Annotated[list[Path], typer.Argument(help="Source documents (*.txt) to add or replace.", dir_okay=False)],
    store: StoreOption = None,
    allow_invalid: AllowInvalidOption = False,
    jobs: JobsOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Add documents to the built graph (one of the same file name is replaced), redoing only what they touch."""
    config = _store(store)
    with _reporting_build_errors(), _progress_bars() as progress:
        summary = add_documents(
            files, store=config, allow_invalid=allow_invalid, jobs=jobs, progress=_Bars(progress)
        )
    _print_summary(f"Added {len(files)} document(s) to {config}", summary, verbose=verbose)


@contextmanager
def _reporting_build_errors() -> Iterator[None]:
    """A build's errors as the command line reports them: a graph breaking the shapes exits 1 with
    the report, anything else that went wrong exits 2 with its message."""
    try:
        yield
    except ShapeError as exc:
        err.print(exc.report_text, highlight=False, markup=False)
        _fail(exc, 1)
    except AdcsKgError as exc:
        _fail(exc)


def _progress_bars() -> Progress:
    return Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    )


def _print_summary(title: str, summary: BuildSummary, *, verbose: bool) -> None:
    table = Table(title=title, show_header=False)
    table.add_row("documents", str(summary.documents))
    table.add_row("items", str(summary.items))
    for name, label in ((ASSERTED_GRAPH, "asserted"), (INFERRED_GRAPH, "inferred"), (ONTOLOGY_GRAPH, "ontology")):
        table.add_row(f"triples {label}", f"{summary.triples[name]:,}")
    for stage, seconds in summary.seconds.items():
        table.add_row(f"seconds {stage}", f"{seconds:.2f}")
    table.add_row("skipped", str(len(summary.skipped)))
    out.print(table)
    shown = summary.skipped if verbose else summary.skipped[:10]
    for skip in shown:
        err.print(f"skipped: {skip}", highlight=False, markup=False)
    if len(shown) < len(summary.skipped):
        err.print(f"... and {len(summary.skipped) - len(shown)} more (--verbose lists them all)")
    if not summary.validation.conforms:
        err.print("[bold yellow]warning:[/] stored a graph that does NOT conform (--allow-invalid):")
        err.print(summary.validation.render(ReportFormat.HUMAN), highlight=False, markup=False)


@app.command()
def validate(
    store: StoreOption = None,
    gsp_url: GspUrlOption = None,
    report_format: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = ReportFormat.HUMAN,
) -> None:
    """Validate the stored graph against the SHACL shapes and quality checks (exit 0, 1 or 2)."""
    try:
        db = open_store(_store(store, gsp_url=gsp_url))
        graphs = {name: db.graph(name) for name in (ASSERTED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH)}
        data = graphs[ASSERTED_GRAPH] + graphs[INFERRED_GRAPH]
        report = run_validate(data, ontology=graphs[ONTOLOGY_GRAPH], shapes=shapes_graph(), store=db)
    except AdcsKgError as exc:
        _fail(exc)
    out.print(report.render(report_format), highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(0 if report.conforms else 1)


@app.command()
def stats(store: StoreOption = None) -> None:
    """Triples per named graph and instances per class."""
    try:
        db = open_store(_store(store))
        counts = db.triple_counts()
        classes = answer_from_rdflib(
            db.query(
                "SELECT ?class (COUNT(DISTINCT ?s) AS ?instances) WHERE { ?s a ?class } "
                "GROUP BY ?class ORDER BY DESC(?instances) ?class"
            )
        )
    except AdcsKgError as exc:
        _fail(exc)
    graphs = Table("named graph", "triples")
    for name, count in counts.items():
        graphs.add_row(str(name), f"{count:,}")
    out.print(graphs)
    out.print(_table(classes))


def _table(answer: Answer) -> Table:
    columns, table_rows = rows(answer)
    table = Table(*columns)
    for row in table_rows:
        table.add_row(*row)
    return table


GRAPH_RESULT_FORMATS = (ResultFormat.TABLE, ResultFormat.JSON)
"""The formats that apply to a CONSTRUCT or DESCRIBE result (a graph): Turtle and JSON-LD."""


def _print_result(answer: Answer, result_format: ResultFormat) -> None:
    if answer.form is Form.GRAPH and result_format not in GRAPH_RESULT_FORMATS:
        formats = ", ".join(f.value for f in GRAPH_RESULT_FORMATS)
        what = "a CONSTRUCT or DESCRIBE result (a graph)"
        _fail(f"--format {result_format.value} does not apply to {what}: use {formats}")
    if result_format is ResultFormat.TABLE and answer.form is Form.SELECT:
        out.print(_table(answer))
        out.print(f"{len(answer.rows)} row(s)")
    elif result_format is ResultFormat.TABLE and answer.form is Form.ASK:
        typer.echo("true" if answer.boolean else "false")
    else:
        fmt = ResultFormat.JSON if result_format is ResultFormat.TABLE else result_format
        typer.echo(write_result(answer, fmt), nl=False)


def _describe(query: NamedQuery) -> str:
    lines = [f"{query.name}: {query.summary}"]
    if query.description:
        lines.append(f"  {query.description}")
    for p in query.params:
        default = f" (default {p.default})" if p.default is not None else ""
        lines.append(f"  --param {p.name}=VALUE   {p.type.value}, e.g. {p.example!r}{default}  {p.meaning}".rstrip())
    if not query.params:
        lines.append("  (no parameters)")
    lines.append(f"  columns: {', '.join(query.columns)}")
    return "\n".join(lines)


@app.command(context_settings={"help_option_names": []})
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Named query (see --list).")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Parameter as key=value (repeatable).")
    ] = None,
    result_format: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = ResultFormat.TABLE,
    store: StoreOption = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    show_help: Annotated[bool, typer.Option("--help", "-h", help="Show this help, or the query's.")] = False,
) -> None:
    """Run a named query: adcs-kg query NAME --param key=value; --list shows them all."""
    try:
        if list_queries:
            for named in named_queries().values():
                typer.echo(_describe(named))
            return
        if show_help or name is None:
            typer.echo(_describe(named_query(name)) if name else ctx.get_help())
            return
        named = named_query(name)
        values: dict[str, str] = {}
        for item in param or []:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise typer.BadParameter(f"expected key=value, got {item!r}", param_hint="--param")
            values[key.strip()] = value
        result = run_named(open_store(_store(store)), named, values)
    except AdcsKgError as exc:
        _fail(exc)
    _print_result(result, result_format)


@app.command()
def sparql(
    query_or_file: Annotated[str, typer.Argument(help="A SPARQL 1.1 query, or the path of a file holding one.")],
    result_format: Annotated[ResultFormat, typer.Option("--format", help="Output format.")] = ResultFormat.TABLE,
    store: StoreOption = None,
) -> None:
    """Run any SPARQL 1.1 query; the project's prefixes are predeclared."""
    text = _query_text(query_or_file)
    try:
        check_limits(text)
        result = answer_from_rdflib(open_store(_store(store)).query(text))
    except QuerySyntaxError as exc:
        if _is_update(text):
            _fail(
                "this is a SPARQL Update, and the command line only queries the store: send updates to "
                "`adcs-kg serve` started with a token ($ADCS_KG_SERVER_TOKEN), or rebuild with `adcs-kg build`"
            )
        _fail(exc)
    except AdcsKgError as exc:
        _fail(exc)
    _print_result(result, result_format)


def _query_text(query_or_file: str) -> str:
    """The text of the file ``query_or_file`` names, else the query itself; a missing file is an error, not a query."""
    path = Path(query_or_file)
    looks_like_a_query = any(c.isspace() or c in "{}" for c in query_or_file)  # every query has one, a path rarely
    try:
        if looks_like_a_query and not (len(query_or_file) < 4096 and path.is_file()):
            return query_or_file
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        _fail(f"the query file {path} does not exist (give a query, or the path of a file holding one)")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read the query file {path}: {exc}")


def _is_update(text: str) -> bool:
    """Whether ``text`` parses as a SPARQL 1.1 Update (parsed only, never run)."""
    try:
        parseUpdate(text)
    except Exception:  # pyparsing's errors: not an update
        return False
    return True


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8000,
    store: StoreOption = None,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before it is stopped (503).")] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Rows or triples a result holds at most.")] = 10_000,
    max_body: Annotated[int, typer.Option(help="Bytes a request body may hold (413 beyond).")] = 1_000_000,
    workers: Annotated[
        int,
        typer.Option(help="Query worker processes (embedded store) or queries sent at once (remote), and a fast lane."),
    ] = 2,
    fast_lane: Annotated[
        float, typer.Option(help="Seconds a query may run on the fast-lane worker, used while the others are busy.")
    ] = 1.0,
    admission_wait: Annotated[
        float, typer.Option(help="Seconds a query waits for a free worker before it is refused (503).")
    ] = 1.0,
    cors_origin: Annotated[
        list[str] | None, typer.Option("--cors-origin", help="Origin allowed by CORS (repeatable; none by default).")
    ] = None,
    allow_service: Annotated[bool, typer.Option(help="Allow SERVICE (federated queries to other endpoints).")] = False,
    allow_load: Annotated[bool, typer.Option(help="Allow LOAD in updates (fetches URLs).")] = False,
) -> None:
    """Serve the SPARQL endpoint and web interface; updates need the token in $ADCS_KG_SERVER_TOKEN."""
    import os

    from .server import ENV_TOKEN, ServerConfig
    from .server import serve as run_serve

    _check_serve_options(host, port, timeout=timeout, workers=workers, max_rows=max_rows, max_body=max_body)
    config = _store(store)
    try:
        if store is None and not open_store(config).exists():
            err.print(f"the store {config} is empty: building it from the bundled corpus first")
            run_build(BUNDLED_CORPUS, store=config)
    except AdcsKgError as exc:
        _fail(exc)
    server = ServerConfig(
        config,
        token=os.environ.get(ENV_TOKEN) or None,
        allow_service=allow_service,
        allow_load=allow_load,
        timeout=timeout,
        max_rows=max_rows,
        max_body=max_body,
        workers=workers,
        fast_lane=fast_lane,
        admission_wait=admission_wait,
        cors_origins=tuple(cors_origin or ()),
    )
    mode = "read-write with the token" if server.token else "read-only"
    shown = store if store is not None else config  # the store as the user named it; the default in full
    out.print(f"adcs-kg serving {shown} at http://{host}:{port}/ ({mode}); SPARQL endpoint http://{host}:{port}/sparql")
    run_serve(server, host=host, port=port)


def _check_serve_options(host: str, port: int, *, timeout: float, workers: int, max_rows: int, max_body: int) -> None:
    """Refuse options the server cannot run with, and a port it cannot listen on, before it says it serves."""
    if not 1 <= port <= 65535:
        _fail(f"--port must be between 1 and 65535, not {port}")
    if not timeout > 0:
        _fail(f"--timeout must be more than 0 seconds, not {timeout:g}")
    for option, value in (("--workers", workers), ("--max-rows", max_rows), ("--max-body", max_body)):
        if value < 1:
            _fail(f"{option} must be at least 1, not {value}")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = addresses[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself binds
            probe.bind(address)
    except socket.gaierror as exc:
        _fail(f"cannot listen on {host}: {exc.strerror}")
    except OSError as exc:
        reason = "the port is already in use" if exc.errno == errno.EADDRINUSE else exc.strerror
        _fail(f"cannot listen on {host}:{port}: {reason}")


# -- adcs-kg viz ------------------------------------------------------------------------------

viz_app = typer.Typer(help="Network views, graph statistics and charts of the stored graph.", no_args_is_help=True)
app.add_typer(viz_app, name="viz")

LinkBaseOption = Annotated[
    str | None,
    typer.Option("--link-base", help="URL of an adcs-kg server (http://host:port) whose pages clicks open."),
]


def _written(path: Path, data: bytes | str) -> None:
    try:
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    typer.echo(f"wrote {path}")


class SizeBy(StrEnum):
    """What a network node's size shows."""

    DEGREE = "degree"
    BETWEENNESS = "betweenness"


@viz_app.command("network")
def viz_network(
    focus: Annotated[str | None, typer.Option(help="Centre on this node: its IRI or name.")] = None,
    hops: Annotated[int, typer.Option(min=0, help="With --focus: how many edges away to go.")] = 1,
    classes: Annotated[
        list[str] | None, typer.Option("--classes", help=f"Only these classes (repeatable): {', '.join(CLASS_STYLES)}.")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Output file: .html, .graphml or .gexf.")] = Path("network.html"),
    max_nodes: Annotated[
        int | None,
        typer.Option(min=1, help=f"Node cap (default {FIXED_LAYOUT_CAP}; {LIVE_PHYSICS_CAP} with --physics)."),
    ] = None,
    physics: Annotated[bool, typer.Option(help="Let the browser lay the graph out (briefly, then stop).")] = False,
    size: Annotated[SizeBy, typer.Option(help="What node size shows.")] = SizeBy.DEGREE,
    link_base: LinkBaseOption = None,
    store: StoreOption = None,
) -> None:
    """Draw the network of people, organisations, reports, policies and claims, or export it for Gephi."""
    try:
        written = graph_format(out)
        graph = load_network(open_store(_store(store)))
        focus_node = find_node(graph, focus) if focus else None
        cap = max_nodes or (LIVE_PHYSICS_CAP if physics else FIXED_LAYOUT_CAP)
        reduction = reduce_network(graph, max_nodes=cap, focus=focus_node, hops=hops, classes=classes or ())
        if written is GraphFormat.HTML:
            sizes = analyse(reduction.graph).betweenness if size is SizeBy.BETWEENNESS else None
            _written(out, network_page(reduction, sizes=sizes, physics=physics, link_base=link_base))
        else:
            export(annotated(reduction.graph, analyse(reduction.graph)), out)
            typer.echo(f"wrote {out}")
    except AdcsKgError as exc:
        _fail(exc)
    typer.echo(reduction.summary)


@viz_app.command("stats")
def viz_stats(
    top: Annotated[int, typer.Option(min=1, help="How many nodes to list per measure.")] = 10,
    store: StoreOption = None,
) -> None:
    """The nodes of highest degree and betweenness centrality, and the largest communities."""
    try:
        graph = load_network(open_store(_store(store)))
    except AdcsKgError as exc:
        _fail(exc)
    analytics = analyse(graph)
    typer.echo(
        f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges, "
        f"{len(set(analytics.community.values())):,} communities"
    )
    for title, values in (("degree centrality", analytics.degree), ("betweenness centrality", analytics.betweenness)):
        typer.echo(f"\ntop {top} by {title}:")
        for node in sorted(values, key=lambda n: (-values[n], n))[:top]:
            data = graph.nodes[node]
            typer.echo(
                f"  {values[node]:.4f}  {data['class']:<18} {clip(str(data['label']), 60)}  "
                f"(community {analytics.community.get(node, -1)})"
            )
    typer.echo(f"\nlargest {top} communities (Louvain), each with its nodes of highest degree:")
    members: dict[int, list[str]] = {}
    for node in sorted(graph, key=lambda n: (-graph.degree(n), n)):
        members.setdefault(analytics.community[node], []).append(node)
    for number in sorted(members)[:top]:
        names = ", ".join(clip(str(graph.nodes[n]["label"]), 40) for n in members[number][:3])
        typer.echo(f"  {number:>3}  {len(members[number]):>5} nodes  {names}")


@viz_app.command("officers")
def viz_officers(
    out: Annotated[Path, typer.Option("--out", help="Output file: .svg, .png or .html.")] = Path("officers.svg"),
    link_base: LinkBaseOption = None,
    store: StoreOption = None,
) -> None:
    """Timeline of ADCS officers (President, Vice President, Honorary Secretary, chairs) by year."""
    try:
        drawn = officers_chart(open_store(_store(store)), chart_format(out), link_base=link_base)
    except AdcsKgError as exc:
        _fail(exc)
    _written(out, drawn.data)
    typer.echo(drawn.summary)


@viz_app.command("measure")
def viz_measure(
    name: Annotated[str, typer.Argument(help="The measure's name, e.g. 'funding gap' or 'referral'.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .svg, .png or .html.")] = Path("measure.svg"),
    link_base: LinkBaseOption = None,
    store: StoreOption = None,
) -> None:
    """One measure across reports and periods, each point linked to its source document."""
    try:
        drawn = measure_chart(open_store(_store(store)), name, chart_format(out), link_base=link_base)
    except AdcsKgError as exc:
        _fail(exc)
    _written(out, drawn.data)
    typer.echo(drawn.summary)
