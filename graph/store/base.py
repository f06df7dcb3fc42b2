"""What every store is: its configuration, the :class:`Store` interface and a staged replace.

The rest of adcs-kg reads and writes a store only through :class:`Store`:

- ``query`` runs a SPARQL query on the union of the named graphs, parameters bound as terms;
- ``update`` applies a SPARQL Update to the graph readers see (an update that names no graph
  writes into :data:`~graph.namespaces.UPDATES_GRAPH`);
- ``stage(graphs)`` writes a whole new graph beside the current one and returns a
  :class:`Staging`: it can be queried (the build runs its quality checks there), then
  ``commit()`` makes it the graph readers see in one atomic switch, or ``discard()`` drops it.
  Leaving a ``with`` block without a commit discards.
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from rdflib import Graph, URIRef
from rdflib.query import Result
from rdflib.term import Identifier

from ..errors import QuerySyntaxError, StoreError

ProgressCallback = Callable[[int, int], None]
"""Called with (done, total) as work advances."""

ENV_STORE = "ADCS_KG_STORE"
"""Environment variable naming the store (a path or a query-endpoint URL) when ``--store`` is not given."""
ENV_UPDATE_URL = "ADCS_KG_UPDATE_URL"
"""Environment variable naming a remote store's SPARQL 1.1 update endpoint."""
ENV_GSP_URL = "ADCS_KG_GSP_URL"
"""Environment variable naming a remote store's Graph Store Protocol endpoint."""


def default_store_path() -> Path:
    """``$XDG_DATA_HOME/adcs-kg/store``, else ``~/.local/share/adcs-kg/store``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "adcs-kg" / "store"


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives: a directory (embedded) or the URL of a SPARQL 1.1 query endpoint.

    A remote store also needs ``update_url`` to be written to; ``gsp_url`` (Graph Store
    Protocol) makes loading faster where the server has it. Credentials are never part of the
    configuration: they come from the environment only (see :mod:`graph.store.remote`).
    """

    location: str | Path
    update_url: str | None = None
    gsp_url: str | None = None

    def __post_init__(self) -> None:
        # An embedded store's directory is made absolute and free of symlinks once, here: the
        # generations found on disk and the one ``current`` points at are then the same paths
        # whatever the form the path was given in (relative, ``./``, through a symlink).
        if not self.is_remote:
            object.__setattr__(self, "location", Path(self.location).resolve())

    @property
    def is_remote(self) -> bool:
        return str(self.location).startswith(("http://", "https://"))

    @property
    def path(self) -> Path:
        """The directory of an embedded store."""
        if self.is_remote:
            raise StoreError(f"{self.location} is a remote store, not a directory")
        return Path(self.location)

    def __str__(self) -> str:
        return str(self.location)

    @classmethod
    def default(cls) -> StoreConfig:
        """From ``$ADCS_KG_STORE`` (and the update and GSP URLs' variables), else the default directory."""
        return cls(
            os.environ.get(ENV_STORE) or default_store_path(),
            update_url=os.environ.get(ENV_UPDATE_URL) or None,
            gsp_url=os.environ.get(ENV_GSP_URL) or None,
        )


_POSITION = re.compile(r"^error at (\d+):(\d+)(?:-\d+:\d+)?: ")
_EXPECTED = re.compile(r"^expected (?:one of )?(.*)$", re.DOTALL)
_GRAMMAR_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]|[^,\s][^,]*""")
"""One item of the parser's list of what it expected: a quoted token, a character class or a rule's name."""
_TOKEN_WORDS = {
    '"$"': "a variable",
    '"?"': "a variable",
    '"\'"': "a string",
    "\"'''\"": "a string",
    '"\\""': "a string",
    '"\\"\\"\\""': "a string",
    '"<"': "an IRI",
    '":"': "a prefixed name",
    '"_:"': "a blank node",
    '"["': "a blank node",
    '"<<"': "a triple term",
    '"<<("': "a triple term",
    '"true"': "a boolean",
    '"false"': "a boolean",
    '"+"': "a number",
    '"-"': "a number",
    '"\\\\"': "an escape sequence",
    '"\\\\u"': "an escape sequence",
    '"\\\\U"': "an escape sequence",
    "[_]": "",  # any character: says nothing
}
"""What the grammar's tokens, as the parser lists them, stand for in a reader's words."""
_MOST_WORDS = 12


def _in_words(listed: str) -> str:
    """The parser's list of expected grammar tokens as a short phrase (``a variable, an IRI or "}"``)."""
    tokens = [t.strip() for t in _GRAMMAR_TOKEN.findall(listed)]
    in_string = any(_TOKEN_WORDS.get(t) == "an escape sequence" for t in tokens)
    words: list[str] = []
    if "Prefix not found" in tokens:
        return "a declared prefix"
    for token in tokens:
        word = _TOKEN_WORDS.get(token, token)
        if token.startswith("[") and word:  # a character class: digits, the letters of a name, or the rest of it
            word = "a number" if "'0'..=" in token else "a prefixed name" if "'A'" in token else "the rest of the name"
        elif in_string and word == "a string":
            word = "the closing quote"
        if word and word not in words:
            words.append(word)
    if '"."' in words and "a number" in words:
        words.remove('"."')  # the decimal point of a number such as .5
    if len(words) > _MOST_WORDS:
        words = [*words[: _MOST_WORDS - 1], "another term"]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def syntax_error(exc: SyntaxError, *, source: str = "query", lines_before: int = 0) -> QuerySyntaxError:
    """Translate pyoxigraph's parse error ("error at LINE:COLUMN: message") with its position.

    ``lines_before`` is how many lines were put before the text the user wrote, so that the
    position is the one in their text. The list of grammar tokens the parser expected (character
    classes and all) is said in words.
    """
    message = str(exc.msg or exc)
    match = _POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message, source=source)
    line = max(1, int(match[1]) - lines_before)
    reason = message[match.end() :]
    expected = _EXPECTED.match(reason)
    if expected and _in_words(expected[1]):
        reason = "expected " + _in_words(expected[1])
    return QuerySyntaxError(reason, line=line, column=int(match[2]), source=source)


class Staging(ABC):
    """A whole new graph written beside the current one, not yet seen by readers."""

    def __enter__(self) -> Staging:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if not self.done:
            self.discard()

    @property
    @abstractmethod
    def done(self) -> bool:
        """Whether the staging was committed or discarded."""

    @abstractmethod
    def query(self, sparql: str) -> Result:
        """Run a SPARQL query on the staged graph (the union of its named graphs)."""

    @abstractmethod
    def commit(self) -> None:
        """Make the staged graph the one readers see, atomically."""

    @abstractmethod
    def discard(self) -> None:
        """Drop the staged graph; the current one is untouched."""


class Store(ABC):
    """What every store offers; the rest of adcs-kg uses only this."""

    config: StoreConfig

    @abstractmethod
    def exists(self) -> bool:
        """Whether a graph has been built in the store."""

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, Identifier] | None = None) -> Result:
        """Run a SPARQL query on the union of the named graphs, parameters bound as terms."""

    @abstractmethod
    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL Update to the graph readers see; one that names no graph writes to the updates graph."""

    @abstractmethod
    def graph(self, name: URIRef) -> Graph:
        """A copy of one named graph."""

    @abstractmethod
    def triple_counts(self) -> dict[URIRef, int]:
        """Triples per named graph."""

    @abstractmethod
    def stage(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> Staging:
        """Write ``graphs`` (name -> triples) as a whole new graph beside the current one."""

    def replace(self, graphs: Mapping[URIRef, Graph], *, on_progress: ProgressCallback | None = None) -> None:
        """Replace the whole graph with ``graphs``, atomically for readers: stage, then commit."""
        with self.stage(graphs, on_progress=on_progress) as staged:
            staged.commit()
