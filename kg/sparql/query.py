"""Run SPARQL 1.1 queries in Oxigraph and write their results as a table, CSV, TSV, JSON or Turtle.

SELECT results are written in the W3C SPARQL 1.1 result formats (JSON, CSV, TSV) or as a plain-text
table for people; ASK as true/false; CONSTRUCT and DESCRIBE as Turtle.

Not supported: SPARQL Update (the store is read-only: rebuild the graph to change it), federated
SERVICE calls (no network at run time).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import KGError, UnknownNameError

RESULT_FORMATS = ("table", "csv", "tsv", "json")
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}
XSD = STANDARD_PREFIXES["xsd"]
TABLE_CELL_WIDTH = 80

_UPDATE_RE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
_QUERY_FORM_RE = re.compile(
    r"^(\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*)([A-Za-z]+)", re.IGNORECASE)
_ERROR_AT_RE = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_PREFIX_DECL_RE = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_PNAME_RE = re.compile(r"([A-Za-z][\w.-]*)?:[\w-]*")


class SparqlSyntaxError(KGError):
    """A query that does not parse; the message gives the line and column."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, source: str | None = None):
        self.line, self.column, self.reason = line, column, message
        where = "line {}, column {}".format(line, column) if line else ""
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}SPARQL syntax error{' at ' + where if where else ''}: {message}")


class SparqlUpdateError(KGError):
    """An update sent to the read-only store."""

    def __init__(self):
        super().__init__("SPARQL updates are not supported: the store is read-only. "
                         "Change the corpus and run `kg build` to change the graph.")


@dataclass(frozen=True)
class QueryResult:
    """A materialized query result.

    kind is "select", "ask" or "graph"; rows hold pyoxigraph terms (None where unbound),
    boolean the ASK answer, triples the CONSTRUCT/DESCRIBE graph.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    boolean: bool | None = None
    triples: tuple = ()
    prefixes: tuple[tuple[str, str], ...] = ()

    def records(self) -> list[dict]:
        """SELECT rows as dicts of plain Python values (str, int, float, bool), for scripts and tests."""
        return [{v: term_value(t) for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


def term_value(term):
    """A plain Python value for an RDF term: numbers and booleans typed, anything else its string."""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else ""
        try:
            if datatype in (XSD + "integer", XSD + "int", XSD + "long", XSD + "nonNegativeInteger", XSD + "positiveInteger"):
                return int(term.value)
            if datatype in (XSD + "decimal", XSD + "double", XSD + "float"):
                return float(term.value)
            if datatype == XSD + "boolean":
                return term.value in ("true", "1")
        except ValueError:
            pass
        return term.value
    return term.value


def _declared_prefixes(query: str) -> set[str]:
    return {m.group(1) or "" for m in _PREFIX_DECL_RE.finditer(query)}


def _short_expected(reason: str) -> str:
    """Oxigraph lists every acceptable token, character classes included; keep the readable ones."""
    match = re.match(r"expected one of (.*)", reason, re.DOTALL)
    if not match:
        return reason
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[.*?\]|[A-Za-z][A-Za-z0-9_ ]*[A-Za-z0-9]', match.group(1))
    words = [item for item in items if not item.startswith("[")]
    if not words:
        return "unexpected character"
    return "expected one of " + ", ".join(words[:8]) + (", ..." if len(words) > 8 else "")


def _undeclared_prefix(query: str, line: int, column: int, known: set[str]) -> str | None:
    lines = query.splitlines()
    candidates = []
    for number, text in enumerate(lines, 1):
        for match in _PNAME_RE.finditer(_strip_comments(text)):
            name = match.group(1) or ""
            if name not in known and not text[: match.start()].rstrip().upper().endswith("PREFIX"):
                candidates.append((number != line or match.start() >= column, number, name))
    candidates.sort(key=lambda c: (c[0], -c[1] if not c[0] else c[1]))
    return candidates[0][2] if candidates else None


def _syntax_error(query: str, err: SyntaxError, source: str | None, prefixes: Mapping[str, str]) -> SparqlSyntaxError:
    text = str(err.args[0] if err.args else err).strip()
    match = _ERROR_AT_RE.match(text)
    if not match:
        return SparqlSyntaxError(" ".join(text.split()) or "invalid query", source=source)
    line, column, reason = int(match.group(1)), int(match.group(2)), " ".join(match.group(3).split())
    lines = query.splitlines()
    last = max((i for i, t in enumerate(lines, 1) if t.strip()), default=1)
    stripped = _strip_comments(query)  # same lines and columns: comments only lose line tails
    form = _QUERY_FORM_RE.match(stripped)
    if form and form.group(2).upper() not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        before = stripped[: form.start(2)]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        reason = f"a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE, not '{form.group(2)}'"
    elif line > last:
        # The parser ran off the end: point at the end of the text, not at trailing blank lines.
        line, column = last, (len(lines[last - 1].rstrip()) + 1 if lines else 1)
        reason = "the query ends too early (" + _short_expected(reason) + ")"
    elif "Prefix not found" in reason:
        name = _undeclared_prefix(query, line, column, _declared_prefixes(query) | set(prefixes))
        reason = f"undefined prefix '{name}:' (declare it with PREFIX)" if name is not None else "undefined prefix"
    else:
        reason = _short_expected(reason)
    if lines and line <= len(lines):
        column = min(column, len(lines[line - 1].rstrip()) + 1)
    return SparqlSyntaxError(reason, line, column, source)


def run_query(
    store: ox.Store,
    query: str,
    *,
    prefixes: Mapping[str, str] | None = None,
    source: str | None = None,
) -> QueryResult:
    """Run a SPARQL 1.1 SELECT, ASK, CONSTRUCT or DESCRIBE query and materialize its result.

    prefixes (default: kg's, see kg.sparql.vocab.prefixes) are declared for the query unless it
    declares them itself; source names the query (a file) in error messages.
    Raises SparqlSyntaxError or SparqlUpdateError (both KGError).
    """
    if prefixes is None:
        from kg.sparql.vocab import prefixes as kg_prefixes

        prefixes = kg_prefixes()
    all_prefixes = {**STANDARD_PREFIXES, **prefixes}
    if _UPDATE_RE.match(_strip_comments(query)):
        raise SparqlUpdateError()
    try:
        result = store.query(query, prefixes=all_prefixes)
    except SyntaxError as err:
        raise _syntax_error(query, err, source, all_prefixes) from err
    used = tuple(sorted(all_prefixes.items()))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        rows = tuple(tuple(solution[v] for v in variables) for solution in result)
        return QueryResult("select", variables, rows, prefixes=used)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result), prefixes=used)
    triples = tuple(sorted(result, key=lambda t: (str(t.subject), str(t.predicate), str(t.object))))
    return QueryResult("graph", triples=triples, prefixes=used)


def _strip_comments(query: str) -> str:
    # Only '#' outside IRIs and strings starts a comment; good enough to find the first keyword.
    out = []
    for line in query.splitlines():
        quoted, cut = None, len(line)
        for i, ch in enumerate(line):
            if quoted:
                if ch == quoted:
                    quoted = None
            elif ch in "\"'":
                quoted = ch
            elif ch == "<":
                quoted = ">"
            elif ch == "#":
                cut = i
                break
        out.append(line[:cut])
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# Result writers (pure functions of a QueryResult)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Write a result: SELECT/ASK as table, csv, tsv or json; CONSTRUCT/DESCRIBE always as Turtle."""
    if result.kind == "graph":
        return write_turtle(result)
    if fmt not in RESULT_FORMATS:
        raise UnknownNameError("result format", fmt, RESULT_FORMATS, "--format")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    return {"table": write_table, "csv": write_csv, "tsv": write_tsv, "json": write_json}[fmt](result)


def write_turtle(result: QueryResult) -> str:
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=dict(result.prefixes))
    return data.decode("utf-8")


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def write_json(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results JSON Format."""
    bindings = [{v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _csv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def write_csv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results CSV Format (plain values, CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_csv_value(t) for t in row])
    return buffer.getvalue()


def _tsv_value(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype is not None and term.datatype.value == XSD + "integer":
        return term.value  # the TSV format allows bare numbers, as Turtle does
    return str(term)  # N-Triples syntax: tabs and newlines come out escaped


def write_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 Query Results TSV Format (RDF terms in Turtle/N-Triples syntax)."""
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def compact_iri(iri: str, prefixes) -> str:
    """prefix:local for the longest matching namespace, else <iri>."""
    best = None
    for name, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns) and (best is None or len(ns) > len(best[1])):
            local = iri[len(ns):]
            if re.fullmatch(r"[\w.-]+", local) and not local.endswith("."):
                best = (name, ns)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else f"<{iri}>"


def _cell(term, prefixes) -> str:
    if term is None:
        text = ""
    elif isinstance(term, ox.NamedNode):
        text = compact_iri(term.value, prefixes)
    elif isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    else:
        text = term.value
    text = " ".join(text.split())
    return text if len(text) <= TABLE_CELL_WIDTH else text[: TABLE_CELL_WIDTH - 1] + "…"


def write_table(result: QueryResult) -> str:
    """An aligned plain-text table for people: IRIs compacted with the prefixes, long cells cut."""
    header = list(result.variables)
    body = [[_cell(t, result.prefixes) for t in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in body]
    return "\n".join(out) + "\n"
