"""The embedded Oxigraph store persisted beside a build: DIR/store, built from DIR/graph.json.

The store is derived data. It is (re)built in bulk from the exporters' RDF triples when it is
missing or does not match the graph.json it was built from, into a temporary directory that is
then renamed into place, so readers never see a half-built store. Queries open it read-only;
several processes (kg query, kg serve) can read it at once.

Not supported: updates through SPARQL (rebuild the graph instead), named graphs.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import GraphNotFoundError, KGError
from kg.paths import DEFAULT_GRAPH_DIR

try:  # POSIX: serialize concurrent builders of one store; elsewhere the rename still keeps it whole
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

LOGGER = logging.getLogger(__name__)

STORE_DIRNAME = "store"
GRAPH_FILENAME = "graph.json"
STAMP_FILENAME = "kg-store.json"  # inside the store directory, so it moves with it atomically
STORE_FORMAT = 1  # bump when the way triples are made changes, to force a rebuild

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class StoreError(KGError):
    """The store cannot be built or opened."""


def store_path(graph_dir: str | os.PathLike = DEFAULT_GRAPH_DIR) -> Path:
    """Where the store of the graph built in graph_dir lives."""
    return Path(graph_dir) / STORE_DIRNAME


def _source_stamp(graph_file: Path, base_iri: str | None) -> dict:
    stat = graph_file.stat()
    return {"format": STORE_FORMAT, "graph_mtime_ns": stat.st_mtime_ns, "graph_size": stat.st_size,
            "base_iri": base_iri}


def _read_stamp(store_dir: Path) -> dict | None:
    try:
        return json.loads((store_dir / STAMP_FILENAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_is_current(graph_dir: str | os.PathLike = DEFAULT_GRAPH_DIR, *, base_iri: str | None = None) -> bool:
    """True when DIR/store exists and was built from the present DIR/graph.json."""
    graph_dir = Path(graph_dir)
    graph_file = graph_dir / GRAPH_FILENAME
    if not graph_file.is_file():
        return store_path(graph_dir).is_dir() and _read_stamp(store_path(graph_dir)) is not None
    return _read_stamp(store_path(graph_dir)) == _source_stamp(graph_file, base_iri)


def to_oxigraph_triples(triples: Iterable) -> Iterator[ox.Triple]:
    """Convert rdflib (or already-pyoxigraph) triples to pyoxigraph Triples, lazily."""
    from rdflib import BNode, Literal, URIRef

    named: dict[str, ox.NamedNode] = {}  # predicates, classes and entities repeat a lot

    def iri(value: str) -> ox.NamedNode:
        node = named.get(value)
        if node is None:
            if len(named) > 200_000:
                named.clear()
            node = named[value] = ox.NamedNode(value)
        return node

    def term(t):
        if isinstance(t, URIRef):
            return iri(str(t))
        if isinstance(t, Literal):
            if t.language:
                return ox.Literal(str(t), language=t.language)
            if t.datatype is not None and str(t.datatype) != XSD_STRING:
                return ox.Literal(str(t), datatype=iri(str(t.datatype)))
            return ox.Literal(str(t))
        if isinstance(t, BNode):
            return ox.BlankNode(str(t))
        if isinstance(t, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            return t
        raise TypeError(f"not an RDF term: {t!r}")

    for triple in triples:
        if isinstance(triple, ox.Triple):
            yield triple
        elif isinstance(triple, ox.Quad):
            yield triple.triple
        else:
            s, p, o = triple
            yield ox.Triple(term(s), term(p), term(o))


def load_triples(triples: Iterable, directory: str | os.PathLike) -> int:
    """Bulk-load triples into a new on-disk store at directory; returns the number of triples."""
    count = 0

    def quads():
        nonlocal count
        for t in to_oxigraph_triples(triples):
            count += 1
            yield ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())

    store = ox.Store(str(directory))
    try:
        store.bulk_extend(quads())
        store.flush()
        store.optimize()
    finally:
        del store  # closes RocksDB before the directory is renamed
    return count


@contextlib.contextmanager
def _build_lock(graph_dir: Path):
    if fcntl is None:  # pragma: no cover
        yield
        return
    with open(graph_dir / ".store.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_store(triples: Iterable, graph_dir: str | os.PathLike, *, stamp: dict | None = None) -> int:
    """Build DIR/store from triples, replacing any previous store whole; returns the triple count."""
    graph_dir = Path(graph_dir)
    graph_dir.mkdir(parents=True, exist_ok=True)
    target = store_path(graph_dir)
    tmp = Path(tempfile.mkdtemp(prefix=".store-new-", dir=graph_dir))
    try:
        count = load_triples(triples, tmp)
        (tmp / STAMP_FILENAME).write_text(json.dumps(stamp or {}, sort_keys=True), encoding="utf-8")
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=".store-old-", dir=graph_dir))
            os.replace(target, old / STORE_DIRNAME)
        os.replace(tmp, target)
        if old is not None:  # open readers keep the files they hold; `kg serve` needs a restart
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return count


def ensure_store(graph_dir: str | os.PathLike = DEFAULT_GRAPH_DIR, *, base_iri: str | None = None) -> Path:
    """Return DIR/store, building it from DIR/graph.json first if it is missing or stale."""
    graph_dir = Path(graph_dir)
    graph_file = graph_dir / GRAPH_FILENAME
    if store_is_current(graph_dir, base_iri=base_iri):
        return store_path(graph_dir)
    if not graph_file.is_file():
        raise GraphNotFoundError(str(graph_dir))
    try:
        with _build_lock(graph_dir):
            if not store_is_current(graph_dir, base_iri=base_iri):  # else another process just built it
                _build_store(graph_dir, base_iri)
    except OSError as err:
        raise StoreError(f"Cannot build the SPARQL store in {graph_dir}: {err}. "
                         "Check that the directory is writable (or pass --graph DIR).") from err
    return store_path(graph_dir)


def _build_store(graph_dir: Path, base_iri: str | None) -> None:
    from kg.assembly import load_graph
    from kg.exporters.rdf import iter_triples

    stamp = _source_stamp(graph_dir / GRAPH_FILENAME, base_iri)
    graph = load_graph(graph_dir)
    kwargs = {"base_iri": base_iri} if base_iri else {}
    count = write_store(iter_triples(graph, **kwargs), graph_dir, stamp=stamp)
    LOGGER.info("Loaded %d triples into %s", count, store_path(graph_dir))


def open_store(graph_dir: str | os.PathLike = DEFAULT_GRAPH_DIR, *, base_iri: str | None = None) -> ox.Store:
    """Open the graph's store read-only, building it first when needed."""
    path = ensure_store(graph_dir, base_iri=base_iri)
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"Cannot open the SPARQL store {path}: {err}. Delete it to rebuild it.") from err
