"""kg serve: the Oxigraph server over the graph's store, exercised over a real socket."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib

pytest.importorskip("SPARQLWrapper")
from SPARQLWrapper import CSV, GET, JSON, POST, POSTDIRECTLY, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper  # noqa: E402
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed  # noqa: E402

from kg.sparql import server  # noqa: E402
from kg.sparql.store import store_path  # noqa: E402


def _server_installed() -> bool:
    try:
        return bool(server.find_server_executable())
    except server.ServerError:
        return False


pytestmark = pytest.mark.skipif(not _server_installed(), reason="the oxigraph server is not installed")

PREFIXES = "PREFIX kg: <https://kg.example.org/ontology#>\nPREFIX dcterms: <http://purl.org/dc/terms/>\n"
COUNT = PREFIXES + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Paper }"


@pytest.fixture(scope="module")
def endpoint(small_graph_dir):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = server.start_server(store_path(small_graph_dir), "127.0.0.1", port, timeout_s=10)
    try:
        yield server.query_url("127.0.0.1", port)
    finally:
        server.stop_server(process)
        assert process.poll() is not None


def _client(url, method=GET, fmt=JSON):
    client = SPARQLWrapper(url)
    client.setMethod(method)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_serve_select_json_get_and_post(endpoint, method, request_method):
    client = _client(endpoint, method)
    client.setRequestMethod(request_method)
    client.setQuery(COUNT)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["n"]["value"] == "3"


def test_serve_select_xml_csv_tsv_by_accept(endpoint):
    query = PREFIXES + "SELECT ?id WHERE { ?p a kg:Paper ; dcterms:identifier ?id } ORDER BY ?id"
    for fmt in (XML, CSV, TSV):
        client = _client(endpoint, GET, fmt)
        client.setQuery(query)
        response = client.query()
        content_type = response.info()["content-type"]
        body = response.response.read().decode("utf-8")
        assert {XML: "application/sparql-results+xml", CSV: "text/csv",
                TSV: "text/tab-separated-values"}[fmt] in content_type
        assert "2401.00001" in body and "2402.00003" in body


def test_serve_construct_as_turtle_and_ntriples(endpoint):
    query = PREFIXES + "CONSTRUCT { ?p kg:mentions ?e } WHERE { ?p kg:mentions ?e }"
    for accept, rdf_format in (("text/turtle", "turtle"), ("application/n-triples", "nt")):
        request = urllib.request.Request(endpoint + "?" + urllib.parse.urlencode({"query": query}),
                                         headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert accept in response.headers["Content-Type"]
            graph = rdflib.Graph().parse(data=response.read().decode("utf-8"), format=rdf_format)
        assert len(graph) == 5


def test_serve_construct_with_sparqlwrapper(endpoint):
    client = _client(endpoint, GET, TURTLE)
    client.setQuery("DESCRIBE <https://kg.example.org/id/entity/lora>")
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")
    assert (rdflib.URIRef("https://kg.example.org/id/entity/lora"), rdflib.RDFS.label, rdflib.Literal("LoRA")) in graph


def test_serve_cors_headers(endpoint):
    url = endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(url, headers={"Origin": "http://example.org"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "http://example.org")
    preflight = urllib.request.Request(endpoint, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(preflight, timeout=10) as response:
        assert response.status < 300
        assert response.headers["Access-Control-Allow-Origin"] in ("*", "http://example.org")


def test_serve_malformed_query_is_400_with_message(endpoint):
    client = _client(endpoint)
    client.setQuery("SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed) as info:
        client.query()
    assert "error at 1:" in str(info.value)


@pytest.mark.parametrize("path, content_type", [("/update", "application/sparql-update"),
                                                ("/query", "application/sparql-update")])
def test_serve_refuses_updates(endpoint, path, content_type):
    url = endpoint.rsplit("/", 1)[0] + path
    request = urllib.request.Request(url, data=b"INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
                                     headers={"Content-Type": content_type}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert 400 <= info.value.code < 500
    client = _client(endpoint)
    client.setQuery("ASK { <http://x/a> ?p ?o }")
    assert client.query().convert()["boolean"] is False


def test_server_command_has_timeout_and_cors(tmp_path):
    command = server.server_command(tmp_path, "127.0.0.1", 7000, timeout_s=5, executable="oxigraph")
    assert command[1] == "serve-read-only"
    assert command[command.index("--timeout-s") + 1] == "5"
    assert "--cors" in command and command[command.index("--bind") + 1] == "127.0.0.1:7000"


def test_find_server_executable_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(server.ServerError, match="pip install oxigraph"):
        server.find_server_executable()


def test_start_server_port_in_use(small_graph_dir):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(server.ServerError, match="in use"):
            server.start_server(store_path(small_graph_dir), "127.0.0.1", port, wait_s=10)


def test_cli_serve_prints_url_and_stops_with_the_server(small_graph_dir, free_port):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(small_graph_dir), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line == f"SPARQL endpoint: http://127.0.0.1:{port}/query"
        url = line.split(": ", 1)[1] + "?" + urllib.parse.urlencode({"query": COUNT})
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"}),
                                    timeout=10) as response:
            assert json.load(response)["results"]["bindings"][0]["n"]["value"] == "3"
        process.send_signal(signal.SIGTERM)
        code = process.wait(10)
        stderr = process.stderr.read()
        assert code == 0, stderr
        assert "Stopped the SPARQL server." in stderr
        with pytest.raises(urllib.error.URLError):  # the oxigraph child went with it
            urllib.request.urlopen(url, timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_shares_the_store_with_kg_query(endpoint, small_graph_dir):
    from kg.sparql import open_store, run_query

    local = open_store(small_graph_dir)  # a second read-only reader while the server holds the store
    client = _client(endpoint)
    client.setQuery(COUNT)
    served = client.query().convert()["results"]["bindings"][0]["n"]["value"]
    assert run_query(local, COUNT).records() == [{"n": int(served)}]
