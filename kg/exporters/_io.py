"""Atomic output: write under a temporary name in the target directory, then rename into place.

An interrupted export (exception, Ctrl-C, full disk) leaves the previous file, or none, under
the final name; never a truncated one. The temporary name starts with a dot so that globs such
as ``exports/*.ttl`` skip it.
"""
from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def _temporary_sibling(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.{kind}-{os.getpid()}-{secrets.token_hex(4)}")


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb", **open_args: Any) -> Iterator[IO]:
    """Open a temporary sibling of `path` for writing; on success rename it to `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_sibling(path, "tmp")
    try:
        with open(tmp, "x" + mode.replace("w", ""), **open_args) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling directory to fill; on success it replaces `path`.

    Two renames (old out of the way, new in), so for an instant `path` may be missing, but it
    is never half-written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_sibling(path, "tmp")
    tmp.mkdir()
    try:
        yield tmp
        old = None
        if path.exists():
            old = _temporary_sibling(path, "old")
            os.replace(path, old)
        os.replace(tmp, path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_text_batched(pieces: Iterable[str], path: str | os.PathLike, batch: int = 4096) -> None:
    """Write many small strings atomically to `path` as UTF-8, joined `batch` at a time (few write calls)."""
    parts: list[str] = []
    with atomic_file(path, "wb") as handle:
        for piece in pieces:
            parts.append(piece)
            if len(parts) >= batch:
                handle.write("".join(parts).encode("utf-8"))
                parts.clear()
        handle.write("".join(parts).encode("utf-8"))
