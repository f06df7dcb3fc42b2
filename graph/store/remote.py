"""Remote stores: the graph on a SPARQL 1.1 server, read and replaced over HTTP.

:class:`RemoteStore` speaks the SPARQL 1.1 Protocol (queries), SPARQL 1.1 Update and, when a
``gsp_url`` is configured, the Graph Store Protocol (faster loading). It works with any
conforming server; it is tested against Oxigraph's server and Virtuoso open source.

Generations, as in the embedded store. A replace never writes into the graphs readers see:

1. each graph is loaded, in batches, into a new *generation graph* named after it
   (``https://w3id.org/adcs-kg/graph/asserted/01795548000000000000-1234``);
2. one single-operation update then rewrites the pointer graph ``akg:current``, which holds
   ``<generation> dcterms:isVersionOf <akg:asserted>`` for each of the project's graphs;
3. generations older than the previous one are dropped (readers may still hold the previous).

Every query first reads the pointer, then names the current generation graphs as the query's
dataset (``default-graph-uri``, so the default graph is their union, and ``named-graph-uri``),
so a reader sees the old graph or the new one, never a mixture, and a failed load (its
generation is dropped) is never seen. This does not rely on a multi-operation update request
being one transaction: Oxigraph's are, Virtuoso's are not (each operation commits on its own,
and a failure part-way leaves the earlier ones applied), so ``DROP ; MOVE`` per graph would not
be atomic there. Sending the dataset with the protocol also keeps a server's own graphs
(Virtuoso's system graphs) out of the default graph, with no server option needed.

Parameters are bound by injecting a ``VALUES`` block, each term serialised by rdflib
(``term.n3()``), at the start of the query's outermost group, so filters of that group see
them; the text of a value is never pasted into the query. The query is parsed locally first, so
a syntax error is reported with its line and column whatever the server.

A query's dataset is always the one the protocol names, so ``FROM`` clauses in query text are
overridden; ``GRAPH`` clauses see the current generation graphs, not ``akg:asserted`` itself.

Quirks of Virtuoso 7.2 handled here: it refuses blank nodes in ``INSERT DATA`` (batches holding
them are sent as ``INSERT {...} WHERE {}``); its SPARQL compiler gives up at some 5,000 triples
in one request (batches are 1,000 triples by default); it answers ``ASK`` as a one-column table
(read back as a boolean); it cuts results at its ``ResultSetMaxRows`` (an error here, never a
silent truncation); and it writes booleans as 1/0.

Credentials come from the environment only: ``ADCS_KG_TOKEN`` (sent as a bearer token), or
``ADCS_KG_USER`` and ``ADCS_KG_PASSWORD`` (HTTP basic or digest, whichever the server asks for);
a store URL carrying a user or password is refused, so none reaches a command line or a message.
Reads and idempotent writes are retried a bounded number of times with backoff when the server
cannot be reached, times out or answers 502/503/504; the pointer switch is never retried.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Generator, Iterable, Iterator, Mapping
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import DCTERMS
from rdflib.query import Result, ResultException
from rdflib.term import Identifier, Node, Variable

from ..errors import StoreError
from ..namespaces import GRAPH, PREFIXES, PROJECT_GRAPHS, sparql_prefixes
from ..sparql import bind_values
from .base import ENV_UPDATE_URL, ProgressCallback, Staging, Store, StoreConfig, syntax_error

ENV_USER = "ADCS_KG_USER"
"""User name for HTTP basic or digest authentication."""
ENV_PASSWORD = "ADCS_KG_PASSWORD"
"""Password for HTTP basic or digest authentication."""
ENV_TOKEN = "ADCS_KG_TOKEN"
"""Bearer token, sent with every request."""

CURRENT_GRAPH = GRAPH.current
"""The pointer graph: which generation graph holds each of the project's graphs."""

SPARQL_RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
TURTLE = "text/turtle"
RETRY_STATUSES = frozenset({502, 503, 504})

Triple = tuple[Node, Node, Node]


class _ChallengeAuth(httpx.Auth):
    """HTTP basic or digest authentication, whichever the server's 401 challenge names."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._schemes: dict[str, httpx.Auth] = {
            "basic": httpx.BasicAuth(user, password),
            "digest": httpx.DigestAuth(user, password),
        }
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme is None:
            response = yield request
            challenge = response.headers.get("WWW-Authenticate", "").split(maxsplit=1)
            if response.status_code != 401 or not challenge or challenge[0].lower() not in self._schemes:
                return
            self._scheme = challenge[0].lower()
        yield from self._schemes[self._scheme].auth_flow(request)


def _auth_from_environment() -> tuple[httpx.Auth | None, dict[str, str]]:
    """The authentication and extra headers the environment asks for (never the command line)."""
    token = os.environ.get(ENV_TOKEN)
    if token:
        return None, {"Authorization": f"Bearer {token}"}
    user = os.environ.get(ENV_USER)
    if user:
        return _ChallengeAuth(user, os.environ.get(ENV_PASSWORD, "")), {}
    return None, {}


def _refuse_credentials_in_urls(config: StoreConfig) -> None:
    """A URL with a user or password in it would put credentials on the command line: refused."""
    for url in filter(None, (str(config.location), config.update_url, config.gsp_url)):
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise StoreError(f"{url} is not a valid URL: {exc}") from exc
        if parts.username or parts.password:
            shown = parts.copy_with(username=None, password=None)
            raise StoreError(
                f"the store URL {shown} carries credentials: give them in {ENV_USER} and {ENV_PASSWORD} "
                f"(or {ENV_TOKEN}), never in a URL or on the command line"
            )


def require_update_url(config: StoreConfig) -> str:
    """The update endpoint of a remote store; :class:`StoreError` if it has none (it cannot be built into)."""
    if not config.update_url:
        raise StoreError(
            f"the remote store {config} has no update URL, so it cannot be built into "
            f"(give --update-url or set {ENV_UPDATE_URL})"
        )
    return config.update_url


# -- loading in batches -------------------------------------------------------------------


def batches(graph: Graph, size: int) -> Iterator[tuple[list[Triple], bool]]:
    """The triples of ``graph`` in batches of about ``size``, with whether each holds blank nodes.

    Triples sharing a blank node go in one batch: a blank node label means a new node in every
    request, so splitting them would split the node.
    """
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[Triple] = []
    linked: list[Triple] = []
    for triple in graph:
        nodes = [term for term in triple if isinstance(term, BNode)]
        if not nodes:
            plain.append(triple)
            continue
        linked.append(triple)
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
    for start in range(0, len(plain), size):
        yield plain[start : start + size], False
    components: dict[BNode, list[Triple]] = {}
    for triple in linked:
        first = next(term for term in triple if isinstance(term, BNode))
        components.setdefault(root(first), []).append(triple)
    batch: list[Triple] = []
    for component in components.values():
        batch.extend(component)
        if len(batch) >= size:
            yield batch, True
            batch = []
    if batch:
        yield batch, True


def _ntriples(triples: Iterable[Triple]) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)


def _token(generation: URIRef) -> str:
    """The creation stamp of a generation graph (its last path segment; sorts by age)."""
    return str(generation).rsplit("/", 1)[1]


def _first_lines(text: str, count: int = 3) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    shown = " | ".join(lines[:count])
    return shown[:500] or "(empty body)"


class _RemoteGeneration(Staging):
    """New generation graphs loaded on the server, not yet pointed at."""

    def __init__(self, owner: RemoteStore, generation: dict[URIRef, URIRef], previous: dict[URIRef, URIRef]) -> None:
        self._owner = owner
        self.generation = generation
        self._previous = previous
        self._done = False

    @property
    def done(self) -> bool:
        return self._done

    def query(self, sparql: str) -> Result:
        if self._done:
            raise StoreError("the staged generation was already committed or discarded")
        return self._owner.query_graphs(sparql, self.generation.values())

    def commit(self) -> None:
        if self._done:
            raise StoreError("the staged generation was already committed or discarded")
        self._done = True
        self._owner._switch(self.generation, first=not self._previous)
        self._owner._drop_stale(keep=set(self.generation.values()) | set(self._previous.values()))

    def discard(self) -> None:
        self._done = True
        self._owner._drop_quietly(self.generation.values())


class RemoteStore(Store):
    """The project's graphs on a SPARQL 1.1 server, replaced one whole generation at a time."""

    def __init__(
        self,
        config: StoreConfig,
        *,
        batch_size: int = 1000,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not config.is_remote:
            raise StoreError(f"{config} is not an http(s) URL")
        _refuse_credentials_in_urls(config)
        self.config = config
        self.url = str(config.location)
        self.batch_size = batch_size
        self.retries = retries
        self.backoff = backoff
        auth, headers = _auth_from_environment()
        self._client = httpx.Client(
            auth=auth, headers=headers, timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
        )

    def close(self) -> None:
        """Close the HTTP connections (also done when the store is garbage-collected)."""
        self._client.close()

    def __del__(self) -> None:
        if hasattr(self, "_client"):
            self._client.close()

    # -- HTTP ------------------------------------------------------------------------------

    def _request(self, method: str, url: str, *, idempotent: bool, **kwargs: Any) -> httpx.Response:
        """One request; retried with backoff when idempotent and the failure may pass."""
        attempts = 1 + (self.retries if idempotent else 0)
        error = StoreError(f"{method} {url} was not sent")
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._client.request(method, url, **kwargs)
            except httpx.TransportError as exc:
                what = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not be reached"
                error = StoreError(f"{method} {url} {what}: {exc.__class__.__name__}: {exc}")
                error.__cause__ = exc
                continue
            if response.is_success or (response.status_code == 404 and method == "GET"):
                return response
            error = StoreError(f"{method} {url} failed: HTTP {response.status_code}: {_first_lines(response.text)}")
            if response.status_code not in RETRY_STATUSES:
                break
        raise error

    def _select(self, sparql: str, *, dataset: Iterable[URIRef] | None = None) -> Result:
        """A SELECT or ASK query, its results parsed from SPARQL JSON."""
        response = self._post_query(sparql, SPARQL_RESULTS_JSON, dataset)
        try:
            result = Result.parse(io.BytesIO(response.content), format="json")
        except (ValueError, KeyError, TypeError, ParserError, ResultException) as exc:
            raise StoreError(
                f"{self.url} did not answer with SPARQL JSON results: {_first_lines(response.text)}"
            ) from exc
        return result

    def _construct(self, sparql: str, *, dataset: Iterable[URIRef]) -> Graph:
        return self._triples(self._post_query(sparql, N_TRIPLES, dataset), self.url)

    def _post_query(self, sparql: str, accept: str, dataset: Iterable[URIRef] | None) -> httpx.Response:
        data: dict[str, str | list[str]] = {"query": sparql}
        if dataset is not None:
            graphs = [str(g) for g in dataset]
            data["default-graph-uri"] = graphs
            data["named-graph-uri"] = graphs
        response = self._request("POST", self.url, idempotent=True, data=data, headers={"Accept": accept})
        if response.headers.get("X-SPARQL-MaxRows"):
            raise StoreError(
                f"{self.url} cut the result at {response.headers['X-SPARQL-MaxRows']} rows "
                "(raise Virtuoso's [SPARQL] ResultSetMaxRows)"
            )
        return response

    @staticmethod
    def _triples(response: httpx.Response, url: str) -> Graph:
        try:
            return Graph().parse(data=response.text, format="nt")
        except (ValueError, ParserError) as exc:
            raise StoreError(f"{url} did not answer with N-Triples: {_first_lines(response.text)}") from exc

    def _update(self, text: str, *, idempotent: bool) -> None:
        self._request("POST", require_update_url(self.config), idempotent=idempotent, data={"update": text})

    # -- reading ---------------------------------------------------------------------------

    def _generations(self) -> dict[URIRef, URIRef]:
        """Project graph -> the generation graph that holds it now (empty if none was built)."""
        result = self._select(
            f"SELECT ?graph ?version WHERE {{ GRAPH <{CURRENT_GRAPH}> {{ ?version <{DCTERMS.isVersionOf}> ?graph }} }}"
        )
        return {URIRef(str(row[Variable("graph")])): URIRef(str(row[Variable("version")])) for row in result.bindings}

    def _current(self) -> dict[URIRef, URIRef]:
        current = self._generations()
        if not current:
            raise StoreError(f"no graph has been built in {self.url} yet: run `adcs-kg build` first")
        return current

    def exists(self) -> bool:
        return bool(self._generations())

    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query on the union of the project's graphs; parameters are bound, not pasted.

        The prefixes of :data:`~graph.namespaces.PREFIXES` are predeclared.
        """
        return self.query_graphs(sparql, self._current().values(), bindings=bindings)

    def query_graphs(
        self, sparql: str, dataset: Iterable[URIRef], *, bindings: Mapping[str, Identifier] | None = None
    ) -> Result:
        """Run a SPARQL query on the union of the generation graphs ``dataset``."""
        prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
        try:
            parsed = ox.Store().query(sparql, prefixes=prefixes)
        except SyntaxError as exc:
            raise syntax_error(exc) from exc
        text = sparql_prefixes() + bind_values(sparql, bindings or {})
        dataset = list(dataset)
        if isinstance(parsed, ox.QueryTriples):
            result = Result("CONSTRUCT")
            result.graph = self._construct(text, dataset=dataset)
            return result
        result = self._select(text, dataset=dataset)
        if isinstance(parsed, ox.QueryBoolean) and result.type == "SELECT":
            # Virtuoso answers ASK as a one-column table (__ASK_RETVAL): one row of 1 when true, none when false
            answer = Result("ASK")
            answer.askAnswer = any(str(value) in {"1", "true"} for row in result.bindings for value in row.values())
            return answer
        return result

    def graph(self, name: URIRef) -> Graph:
        """A copy of one of the project's graphs (empty if it is not in the store)."""
        version = self._current().get(name)
        if version is None:
            return Graph()
        if self.config.gsp_url:
            response = self._request(
                "GET", self.config.gsp_url, idempotent=True, params={"graph": str(version)},
                headers={"Accept": N_TRIPLES},
            )
            return Graph() if response.status_code == 404 else self._triples(response, self.config.gsp_url)
        text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{version}> {{ ?s ?p ?o }} }}"
        return self._construct(text, dataset=[version])

    def triple_counts(self) -> dict[URIRef, int]:
        """Triples per project graph (graphs with none are left out, as in the embedded store)."""
        current = self._current()
        names = {version: name for name, version in current.items()}
        result = self._select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", dataset=current.values()
        )
        counts = {names[URIRef(str(row[Variable("g")]))]: int(row[Variable("n")]) for row in result.bindings}
        return dict(sorted(counts.items()))

    # -- writing ---------------------------------------------------------------------------

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Refused: the server's graphs are generations that an update naming the project's graphs would miss."""
        raise StoreError(
            f"updates are not applied through {self.url}: rebuild with `adcs-kg build`, "
            "or send them to the SPARQL server's own update endpoint"
        )

    def stage(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> Staging:
        """Load ``graphs`` into new generation graphs; nothing readers see changes until commit."""
        unknown = sorted(set(graphs) - set(PROJECT_GRAPHS))
        if unknown:
            raise StoreError(f"a remote store holds only the project's graphs, not {', '.join(unknown)}")
        require_update_url(self.config)
        previous = self._generations()
        token = f"{time.time_ns():020d}-{os.getpid()}"
        generation = {name: URIRef(f"{name}/{token}") for name in graphs}
        try:
            self._load(graphs, generation, on_progress)
        except StoreError:
            self._drop_quietly(generation.values())
            raise
        return _RemoteGeneration(self, generation, previous)

    def _load(
        self, graphs: Mapping[URIRef, Graph], generation: Mapping[URIRef, URIRef], on_progress: ProgressCallback | None
    ) -> None:
        total = sum(len(g) for g in graphs.values())
        done = 0
        for name, graph in graphs.items():
            self._update(f"DROP SILENT GRAPH <{generation[name]}>", idempotent=True)
            for triples, blank in batches(graph, self.batch_size):
                # a batch with blank nodes is not idempotent: sent twice, it would add its nodes twice
                self._write_batch(generation[name], triples, idempotent=not blank)
                done += len(triples)
                if on_progress:
                    on_progress(done, total)

    def _write_batch(self, target: URIRef, triples: list[Triple], *, idempotent: bool) -> None:
        body = _ntriples(triples)
        if self.config.gsp_url:
            self._request(
                "POST", self.config.gsp_url, idempotent=idempotent, params={"graph": str(target)},
                content=body.encode("utf-8"), headers={"Content-Type": TURTLE},
            )
        elif idempotent:
            self._update(f"INSERT DATA {{ GRAPH <{target}> {{\n{body}}} }}", idempotent=True)
        else:
            # a batch with blank nodes: Virtuoso refuses them in INSERT DATA, not in an INSERT template
            self._update(f"INSERT {{ GRAPH <{target}> {{\n{body}}} }} WHERE {{}}", idempotent=False)

    def _switch(self, generation: Mapping[URIRef, URIRef], *, first: bool) -> None:
        """Point the project's graphs at ``generation`` in one single-operation update.

        The first build inserts the pointers; later ones replace them with one DELETE/INSERT
        (whose WHERE must match: Virtuoso inserts nothing when the pattern it deletes is unbound).
        """
        pointer = f"?version <{DCTERMS.isVersionOf}> ?graph"
        pointers = " ".join(f"<{version}> <{DCTERMS.isVersionOf}> <{name}> ." for name, version in generation.items())
        if first:
            self._update(f"INSERT DATA {{ GRAPH <{CURRENT_GRAPH}> {{ {pointers} }} }}", idempotent=False)
            return
        self._update(
            f"DELETE {{ GRAPH <{CURRENT_GRAPH}> {{ {pointer} }} }}\n"
            f"INSERT {{ GRAPH <{CURRENT_GRAPH}> {{ {pointers} }} }}\n"
            f"WHERE {{ GRAPH <{CURRENT_GRAPH}> {{ {pointer} }} }}",
            idempotent=False,
        )

    def generation_graphs(self) -> list[URIRef]:
        """Every generation graph on the server (current, previous, and any left by failed builds)."""
        patterns = " || ".join(f'STRSTARTS(STR(?g), "{name}/")' for name in PROJECT_GRAPHS)
        result = self._select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER({patterns}) }}")
        return sorted(URIRef(str(row[Variable("g")])) for row in result.bindings)

    def _drop_stale(self, *, keep: set[URIRef]) -> None:
        """Drop generations older than every kept one (a build started later may still be loading)."""
        oldest_kept = min(_token(g) for g in keep)
        self._drop_quietly(g for g in self.generation_graphs() if _token(g) < oldest_kept)

    def _drop_quietly(self, graphs: Iterable[URIRef]) -> None:
        """Best-effort cleanup of graphs no reader can see; a failure here changes nothing visible."""
        for graph in graphs:
            try:
                self._update(f"DROP SILENT GRAPH <{graph}>", idempotent=True)
            except StoreError:
                continue

