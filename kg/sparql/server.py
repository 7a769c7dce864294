"""A read-only SPARQL 1.1 Protocol endpoint: the Oxigraph server launched over the graph's store.

`oxigraph serve-read-only` (from the `oxigraph` package) is a complete, well-tested SPARQL 1.1
Protocol server: GET and POST queries, results by Accept header (JSON, XML, CSV, TSV; Turtle and
N-Triples for graphs), CORS, a per-query time limit, a query page for browsers. It opens the store
read-only, so it shares it with `kg query` and other readers.

The per-query time limit is passed as `--timeout-s`; Oxigraph 0.5.13 does not enforce it on every
query (a large cross product ran on past it here), so treat it as best effort.

Not supported: updates and the Graph Store protocol's writes (refused by the read-only server);
following a rebuild: the store is rebuilt into a new directory and the old one removed, so after
`kg build` restart `kg serve` (a server left running serves the old graph at best).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from kg.errors import KGError

SERVER_EXECUTABLE = "oxigraph"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30


class ServerError(KGError):
    """The SPARQL server cannot be found or started."""


def find_server_executable() -> Path:
    """The `oxigraph` server binary: next to this Python (the venv's bin/), else on PATH."""
    name = SERVER_EXECUTABLE + (".exe" if os.name == "nt" else "")
    for directory in dict.fromkeys((Path(sys.executable).parent, Path(sys.executable).resolve().parent)):
        candidate = directory / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(SERVER_EXECUTABLE)
    if found:
        return Path(found)
    raise ServerError("The Oxigraph server (`oxigraph`) is not installed. "
                      "Install it with `pip install oxigraph` in kg's environment, then retry.")


def query_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/query"


def server_command(store: str | os.PathLike, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                   *, timeout_s: int | None = DEFAULT_TIMEOUT_S, executable: str | os.PathLike | None = None) -> list[str]:
    """The command line that serves store read-only with CORS and a per-query time limit."""
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    command = [str(executable or find_server_executable()), "serve-read-only",
               "--location", str(store), "--bind", f"{bind_host}:{port}", "--cors"]
    if timeout_s:
        command += ["--timeout-s", str(int(timeout_s))]
    return command


def start_server(store: str | os.PathLike, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                 timeout_s: int | None = DEFAULT_TIMEOUT_S, wait_s: float = 15.0, log=None) -> subprocess.Popen:
    """Start the server and return once it answers queries; stop it with stop_server(process).

    log, if given, receives each line the server writes to stderr after it started.
    """
    if not Path(store, "CURRENT").is_file():
        raise ServerError(f"No SPARQL store in {store}. Run `kg query --list` or `kg build` first.")
    command = server_command(store, host, port, timeout_s=timeout_s)
    env = {**os.environ, "RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}  # one-line errors
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env, preexec_fn=_die_with_parent)
    try:
        wait_until_ready(process, query_url(host, port), wait_s)
    except BaseException:
        stop_server(process)
        raise
    # Keep draining stderr so a chatty server never blocks on a full pipe.
    threading.Thread(target=_drain, args=(process.stderr, log), daemon=True).start()
    return process


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM if the process that started it dies, so none is left behind."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _drain(stream, log) -> None:
    try:
        for raw in iter(stream.readline, b""):
            if log is not None:
                log(raw.decode("utf-8", "replace").rstrip("\n"))
    except (OSError, ValueError):  # closed by stop_server
        pass


def wait_until_ready(process: subprocess.Popen, url: str, wait_s: float) -> None:
    probe = url + "?query=" + urllib.request.quote("ASK {}")
    deadline = time.monotonic() + wait_s
    while True:
        if process.poll() is not None:
            detail = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            errors = [line.strip() for line in detail.splitlines() if line.startswith("Error")]
            reason = errors[0].removeprefix("Error:").strip() if errors else f"exit code {process.returncode}"
            hint = " Try another --port." if "in use" in detail.lower() else ""
            raise ServerError(f"The SPARQL server stopped at start: {reason}.{hint}")
        try:
            with urllib.request.urlopen(probe, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"The SPARQL server did not answer at {url} within {wait_s:.0f} s.")
        time.sleep(0.05)


def stop_server(process: subprocess.Popen, grace_s: float = 5.0) -> None:
    """Stop the server process (terminate, then kill if it lingers) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()
