"""One-triple SPARQL Update on the corpus store: in place (``Store.update``) beside a whole-store rewrite.

The rewrite path is how updates were applied before: the whole graph is read into memory, the
update runs there, and the result is written out as a new generation. Both run in this process
on the same freshly built store of the bundled corpus, one after the other, and the median of each is
printed with their ratio (the target: an update in place in under 50 ms).

    python bench/update_latency.py [--rounds 20] [--reasoning rl-fast]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.build import build
from graph.namespaces import UPDATES_GRAPH
from graph.reason import Reasoning
from graph.resources import DataDir, data_dir
from graph.results import PREFIX_IRIS
from graph.store import EmbeddedStore, StoreConfig


def rewrite_update(store: EmbeddedStore, update: str) -> None:
    """The former path: the whole graph into memory, the update there, then a new generation of all of it."""
    memory = ox.Store()
    generation = store.current_generation()
    assert generation is not None, "the store holds no graph"
    current = ox.Store.read_only(str(generation))
    memory.bulk_load(current.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    updates = ox.NamedNode(str(UPDATES_GRAPH))
    for quad in list(memory.quads_for_pattern(None, None, None, updates)):
        memory.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
    memory.remove_graph(updates)
    memory.update(update, prefixes=PREFIX_IRIS)
    graphs: dict[URIRef, Graph] = {}
    names = [(URIRef(g.value), g) for g in memory.named_graphs() if isinstance(g, ox.NamedNode)]
    for name, node in [*names, (UPDATES_GRAPH, ox.DefaultGraph())]:
        data = memory.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node)
        if data:
            graphs[name] = Graph().parse(data=data, format="nt")
    store.replace(graphs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="updates per path (default 20)")
    parser.add_argument("--reasoning", type=Reasoning, default=Reasoning.RL_FAST, choices=list(Reasoning))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        config = StoreConfig(Path(directory) / "store")
        summary = build(data_dir(DataDir.CORPUS), store=config, reasoning=args.reasoning)
        print(f"corpus store: {sum(summary.triples.values()):,} triples")
        store = EmbeddedStore(config)
        seconds: dict[str, list[float]] = {"in place": [], "rewrite": []}
        # one path after the other: a rewrite makes a new generation, which the next update in place
        # would open for writing first (once per generation, tens of milliseconds)
        for path, apply in (("in place", store.update), ("rewrite", lambda text: rewrite_update(store, text))):
            for round_ in range(args.rounds):
                update = f'INSERT DATA {{ <https://example.org/bench/{path[0]}{round_}> a "update" }}'
                started = time.perf_counter()
                apply(update)
                seconds[path].append(time.perf_counter() - started)
        count = store.query('SELECT (COUNT(*) AS ?n) WHERE { ?s a "update" }')
        applied = int(next(iter(count))[0])
        assert applied == 2 * args.rounds, f"{applied} of {2 * args.rounds} updates are in the store"
    median = {path: statistics.median(values) for path, values in seconds.items()}
    for path, value in median.items():
        print(f"{path:>9}: median {value * 1000:8.2f} ms over {args.rounds} one-triple updates")
    ratio = median["rewrite"] / median["in place"]
    verdict = "under" if median["in place"] < 0.05 else "OVER"
    print(f"rewrite / in place: {ratio:,.0f}x; in place is {verdict} the 50 ms target")


if __name__ == "__main__":
    main()
