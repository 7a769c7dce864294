"""Ready-made SPARQL queries: exports/queries/NAME.rq, each answering one researcher question.

A query file is plain SPARQL that runs as it is in any SPARQL tool. Its header comments say what
it answers and which parameters it takes:

    # Which papers apply a given method to a given model family?
    # @param method Method  the method: an entity id, label or IRI
    # @param family Model   the model family
    PREFIX ...
    SELECT ... WHERE { VALUES ?method { <default> } ... }

Each parameter has exactly one ``VALUES ?name { default }`` block in the body; binding a parameter
replaces that block's content with one RDF term, written by pyoxigraph (IRIs validated, literals
escaped), never by pasting the user's text into the query. String parameters used only as
function arguments (REGEX patterns) are written in place of the variable instead, so the engine
sees a constant. A VALUES block inside a sub-select binds only that sub-select: put it where the
value is used.

Parameter kinds: an entity type (Method, Model, Dataset, Hardware), "Entity" (any), "Paper"
(resolved by id, label or title in the store, or given as an IRI), "string", "integer".
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KGError, UnknownNameError
from kg.paths import QUERIES_DIR
from kg.records import ENTITY_TYPES

ENTITY_KINDS = ENTITY_TYPES + ("Entity",)
PARAM_KINDS = ENTITY_KINDS + ("Paper", "string", "integer")

_PARAM_RE = re.compile(r"^#\s*@param\s+(\w+)\s+(\w+)\s*(.*)$")


class QueryParameterError(KGError):
    """A --param that is unknown, malformed or names nothing in the graph."""


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    help: str
    default: str  # the term in the query file's VALUES block, as written there


@dataclass(frozen=True)
class ReadyQuery:
    name: str
    question: str
    text: str
    path: Path
    parameters: tuple[Parameter, ...] = ()


def _values_re(name: str) -> re.Pattern:
    return re.compile(r"(VALUES\s+\?" + re.escape(name) + r"\s*\{)([^{}]*)(\})", re.IGNORECASE)


def read_query_file(path: str | Path) -> ReadyQuery:
    """Parse one .rq file's header (question, @param lines) and check each parameter's VALUES block."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    question = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else ""
    params = []
    for line in lines:
        match = _PARAM_RE.match(line)
        if not match:
            continue
        name, kind, help_text = match.groups()
        if kind not in PARAM_KINDS:
            raise KGError(f"{path}: parameter '{name}' has unknown kind '{kind}'; use one of {', '.join(PARAM_KINDS)}.")
        blocks = _values_re(name).findall(text)
        if len(blocks) != 1:
            raise KGError(f"{path}: parameter '{name}' needs exactly one `VALUES ?{name} {{ ... }}` block, found {len(blocks)}.")
        params.append(Parameter(name, kind, help_text.strip(), " ".join(blocks[0][1].split())))
    return ReadyQuery(path.stem, question, text, path, tuple(params))


def find_queries(directory: str | Path = QUERIES_DIR) -> dict[str, ReadyQuery]:
    """The ready-made queries in directory, by name, sorted."""
    return {q.name: q for q in (read_query_file(p) for p in sorted(Path(directory).glob("*.rq")))}


def get_query(name: str, directory: str | Path = QUERIES_DIR) -> ReadyQuery:
    queries = find_queries(directory)
    if name not in queries:
        raise UnknownNameError("query", name, sorted(queries), "--name")
    return queries[name]


def parse_params(pairs) -> dict[str, str]:
    """--param key=value pairs -> dict; a pair without '=' is a user mistake."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryParameterError(f"Parameter '{pair}' is not key=value. Example: --param method=LoRA")
        out[key.strip()] = value.strip()
    return out


def bind_parameters(query: ReadyQuery, params: Mapping[str, str], store: ox.Store | None = None,
                    *, resolve=None, inline: bool = True) -> str:
    """The query text with each parameter's VALUES block set to one safely written term.

    resolve(kind, value, store) -> RDF term turns names into IRIs (default: resolve_term).
    Parameters not given keep the defaults written in the file. With inline, string parameters
    used only as function arguments (e.g. a REGEX pattern) are written in place as constants
    (given or default): Oxigraph compiles a constant pattern once, a variable one on every row.
    All places are found in the file's own text first and spliced in one pass, so a value can
    never be read as query text.
    """
    known = {p.name: p for p in query.parameters}
    for key in params:
        if key not in known:
            available = ", ".join(known) or "none"
            raise QueryParameterError(f"Query '{query.name}' has no parameter '{key}'. Parameters: {available}.")
    resolve = resolve or resolve_term
    text = query.text
    edits: list[tuple[int, int, str]] = []
    for param in query.parameters:
        block = _values_re(param.name).search(text)
        term = str(resolve(param.kind, params[param.name], store)) if param.name in params else block.group(2).strip()
        uses = _inlinable_uses(text, block, param.name) if inline and param.kind == "string" else None
        if uses is None:
            edits.append((block.start(2), block.end(2), f" {term} "))
        else:
            edits.append((*_block_span(text, block), ""))
            edits += [(use.start(), use.end(), term) for use in uses]
    out, pos = [], 0
    for start, end, replacement in sorted(edits):
        out += [text[pos:start], replacement]
        pos = end
    return "".join(out) + text[pos:]


def _block_span(text: str, block: re.Match) -> tuple[int, int]:
    """The VALUES block, or its whole line when it stands alone on one."""
    start, end = block.start(), block.end()
    line_start, line_end = text.rfind("\n", 0, start) + 1, text.find("\n", end)
    if line_end != -1 and not text[line_start:start].strip() and not text[end:line_end].strip():
        return line_start, line_end + 1
    return start, end


def _inlinable_uses(text: str, block: re.Match, name: str) -> list[re.Match] | None:
    """Where ?name is used outside its VALUES block, if every use is a function argument
    (after "(" or ","); None if it is used anywhere else (a projection, a pattern, GROUP BY)."""
    uses = [m for m in re.finditer(r"[?$]" + re.escape(name) + r"\b", text)
            if not block.start() <= m.start() < block.end()]
    if not uses or any(not re.search(r"[(,]\s*$", text[: m.start()]) for m in uses):
        return None
    return uses


def _iri_or_none(value: str) -> ox.NamedNode | None:
    candidate = value[1:-1] if value.startswith("<") and value.endswith(">") else value
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", candidate) or value.startswith("<"):
        try:
            return ox.NamedNode(candidate)
        except ValueError as err:
            raise QueryParameterError(f"'{value}' is not a valid IRI: {err}.") from err
    return None


# Looked up by exact identifier first, then case-insensitively by label or alias (a paper's
# rdfs:label is its title). Terms from the exporters' vocabulary (ontology/kg.ttl).
RESOLVE_BY_ID = "SELECT ?node ?v ?type WHERE { ?node dcterms:identifier ?v ; a ?type } ORDER BY ?node"
RESOLVE_BY_LABEL = """
SELECT ?node ?v ?type WHERE {
  ?node rdfs:label|skos:prefLabel|skos:altLabel ?label ; a ?type .
  FILTER(LCASE(STR(?label)) = LCASE(STR(?v)))
} ORDER BY ?node
"""

RESOLVE_BY_TITLE_PART = """
SELECT ?node ?title ?v ?type WHERE {
  ?node a ?type ; dcterms:title ?title .
  FILTER(CONTAINS(LCASE(?title), LCASE(STR(?v))))
} ORDER BY ?title ?node
"""


def resolve_term(kind: str, value: str, store: ox.Store | None):
    """An RDF term for a parameter value: IRIs as given, names looked up in the store, literals typed."""
    if kind == "string":
        return ox.Literal(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise QueryParameterError(f"'{value}' is not an integer.")
        return ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    iri = _iri_or_none(value)
    if iri is not None:
        return iri
    if store is None:
        raise QueryParameterError(f"Cannot look up '{value}' without a store; give an IRI.")
    from kg.sparql.vocab import KG_CLASSES, prefixes

    bindings = {ox.Variable("v"): ox.Literal(value)}
    if kind != "Entity":
        bindings[ox.Variable("type")] = KG_CLASSES[kind]
    for query in (RESOLVE_BY_ID, RESOLVE_BY_LABEL):
        nodes = [s["node"] for s in store.query(query, prefixes=prefixes(), substitutions=bindings)]
        if nodes:
            return nodes[0]
    if kind == "Paper":  # a unique part of a title is enough
        found = [(s["node"], s["title"].value) for s in store.query(
            RESOLVE_BY_TITLE_PART, prefixes=prefixes(), substitutions=bindings)]
        if len(found) == 1:
            return found[0][0]
        if found:
            shown = "; ".join(f"{t} ({n.value.rsplit('/', 1)[-1]})" for n, t in found[:3])
            raise QueryParameterError(f"'{value}' matches {len(found)} paper titles, e.g. {shown}. "
                                      "Give more of the title or the paper id.")
    what = "paper" if kind == "Paper" else ("entity" if kind == "Entity" else kind.lower())
    raise QueryParameterError(f"No {what} '{value}' in the graph. Give its id, label or full IRI.")
