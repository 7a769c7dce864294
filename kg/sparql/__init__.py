"""sparql stage: SPARQL 1.1 over the built graph in an embedded Oxigraph store, ready-made
queries, and a read-only SPARQL Protocol endpoint (the Oxigraph server).

    store = open_store(".kg")                       # builds .kg/store from .kg/graph.json if needed
    result = run_query(store, "SELECT ...", prefixes=prefixes())
    print(format_result(result, "csv"))
"""
from kg.sparql.catalog import QUERIES_DIR, ReadyQuery, bind_parameters, find_queries, get_query, read_query_file
from kg.sparql.query import QueryResult, SparqlSyntaxError, SparqlUpdateError, format_result, run_query
from kg.sparql.server import find_server_executable, start_server, stop_server
from kg.sparql.store import ensure_store, open_store, store_is_current, store_path, write_store
from kg.sparql.vocab import prefixes

__all__ = [
    "QUERIES_DIR", "QueryResult", "ReadyQuery", "SparqlSyntaxError", "SparqlUpdateError",
    "bind_parameters", "ensure_store", "find_queries", "find_server_executable", "format_result",
    "get_query", "open_store", "prefixes", "read_query_file", "run_query", "start_server",
    "stop_server", "store_is_current", "store_path", "write_store",
]
