"""The knowledge base: canonical entities read from ontology/kb/*.yaml, validated, cached.

The entity type comes from the file-name prefix (models*.yaml -> Model, methods*.yaml -> Method,
datasets*.yaml -> Dataset, hardware*.yaml -> Hardware). Loading validates every entry (slug ids,
unique ids, existing parents, no parent cycles) and raises KGError naming the file and entry.
A compiled form is pickled in the user cache directory, keyed by a hash of the YAML bytes and of
this module's version, so a warm load skips YAML parsing.

Not supported: Turtle knowledge bases, external ids other than `pwc`, per-entry type overrides.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kg.errors import KGError
from kg.linking.normalize import normalize_key
from kg.paths import KB_DIR
from kg.records import Entity

LOG = logging.getLogger(__name__)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]*$")
TYPE_BY_PREFIX = (("models", "Model"), ("methods", "Method"), ("datasets", "Dataset"), ("hardware", "Hardware"))
ENTRY_KEYS = {"id", "label", "aliases", "parent", "description", "pwc", "case_sensitive", "shared_alias", "generic"}
# Bump when the compiled layout changes, so stale caches are ignored.
CACHE_VERSION = "kb-5"


@dataclass
class KnowledgeBase:
    """Canonical entities with an alias index.

    entities: id -> Entity. aliases: normalized key -> ids (sorted) of entities with that form.
    case_sensitive: ids whose surface forms must match exactly (short acronyms that are words).
    generic: ids of broad classes ("diffusion model", "process reward model", "convolution"): real
    terms, matched so that they cover their words, but never reported as an entity of a paper
    (the guideline leaves out generic words; their specific children, e.g. DDPM, still count).
    surfaces: id -> every surface form (label + aliases) as written in the YAML.
    """

    entities: dict[str, Entity]
    aliases: dict[str, tuple[str, ...]]
    case_sensitive: frozenset[str] = frozenset()
    shared_alias: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    digest: str = ""
    files: tuple[str, ...] = ()
    children: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entities)

    def parent_chain(self, entity_id: str) -> tuple[str, ...]:
        """Ids from the entity's parent up to the root family (cycles are rejected at load)."""
        chain = []
        parent = self.entities[entity_id].parent
        while parent is not None:
            chain.append(parent)
            parent = self.entities[parent].parent
        return tuple(chain)

    def lookup(self, surface: str) -> tuple[str, ...]:
        """Ids of entities with this surface form after normalization."""
        return self.aliases.get(normalize_key(surface), ())


def entity_type_for(path: Path) -> str | None:
    """The entity type a KB file holds, from its name prefix; None for other files."""
    for prefix, etype in TYPE_BY_PREFIX:
        if path.name.startswith(prefix):
            return etype
    return None


def _kb_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if entity_type_for(p))


def _digest(files: list[Path]) -> str:
    h = hashlib.sha256(CACHE_VERSION.encode())
    for p in files:
        h.update(p.name.encode() + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _cache_dir() -> Path:
    base = os.environ.get("KG_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


def _entry_error(path: Path, index: int, entry, message: str) -> KGError:
    name = entry.get("id") if isinstance(entry, dict) else None
    which = f"entry {index + 1}" + (f" (id {name!r})" if name else "")
    return KGError(f"{path}: {which}: {message}. Fix the knowledge-base file and run again.")


def _as_tuple(value, path, index, entry, key) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise _entry_error(path, index, entry, f"'{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def _read_file(path: Path, etype: str):
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as err:
        raise KGError(f"{path}: not valid YAML ({err}). Fix the knowledge-base file.") from err
    if data is None:
        return
    if not isinstance(data, list):
        raise KGError(f"{path}: expected a YAML list of entries, got {type(data).__name__}.")
    for index, entry in enumerate(data):
        if not isinstance(entry, dict):
            raise _entry_error(path, index, entry, "expected a mapping with id and label")
        unknown = set(entry) - ENTRY_KEYS
        if unknown:
            raise _entry_error(path, index, entry, f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
        eid = entry.get("id")
        if not isinstance(eid, str) or not SLUG_RE.match(eid):
            raise _entry_error(path, index, entry, f"id {eid!r} is not a lowercase slug [a-z0-9][a-z0-9._+-]*")
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _entry_error(path, index, entry, "missing label")
        aliases = _as_tuple(entry.get("aliases"), path, index, entry, "aliases")
        parent = entry.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise _entry_error(path, index, entry, "parent must be an id")
        external = (("pwc", str(entry["pwc"])),) if entry.get("pwc") else ()
        ent = Entity(id=eid, type=etype, label=label.strip(), aliases=aliases, parent=parent,
                     description=entry.get("description"), external_ids=external, known=True)
        yield index, entry, ent


def compile_kb(directory: Path) -> KnowledgeBase:
    """Parse and validate every KB file in directory (no cache)."""
    files = _kb_files(directory)
    entities: dict[str, Entity] = {}
    where: dict[str, tuple[Path, int, dict]] = {}
    case_sensitive, shared, generic = set(), set(), set()
    for path in files:
        for index, entry, ent in _read_file(path, entity_type_for(path)):
            if ent.id in entities:
                first = where[ent.id][0]
                raise _entry_error(path, index, entry, f"duplicate id (also in {first.name})")
            entities[ent.id] = ent
            where[ent.id] = (path, index, entry)
            if entry.get("case_sensitive"):
                case_sensitive.add(ent.id)
            if entry.get("shared_alias"):
                shared.add(ent.id)
            if entry.get("generic"):
                generic.add(ent.id)
    children: dict[str, list[str]] = {}
    for eid, ent in entities.items():
        if ent.parent is None:
            continue
        if ent.parent not in entities:
            path, index, entry = where[eid]
            raise _entry_error(path, index, entry, f"parent {ent.parent!r} is not an id in any KB file")
        children.setdefault(ent.parent, []).append(eid)
    for eid in entities:  # reject cycles so parent_chain always ends
        seen, cur = {eid}, entities[eid].parent
        while cur is not None:
            if cur in seen:
                path, index, entry = where[eid]
                raise _entry_error(path, index, entry, f"parent chain loops back to {cur!r}")
            seen.add(cur)
            cur = entities[cur].parent
    aliases: dict[str, set[str]] = {}
    for eid, ent in entities.items():
        for surface in (ent.label, *ent.aliases):
            key = normalize_key(surface)
            if key:
                aliases.setdefault(key, set()).add(eid)
    return KnowledgeBase(
        entities=entities,
        aliases={k: tuple(sorted(v)) for k, v in aliases.items()},
        case_sensitive=frozenset(case_sensitive),
        shared_alias=frozenset(shared),
        generic=frozenset(generic),
        files=tuple(p.name for p in files),
        children={k: tuple(sorted(v)) for k, v in children.items()},
    )


_MEMO: dict[tuple[str, str], KnowledgeBase] = {}


def load_kb(directory: Path | str = KB_DIR, *, use_cache: bool = True) -> KnowledgeBase:
    """Load the knowledge base in directory, from the compiled cache when the YAML is unchanged."""
    directory = Path(directory)
    if not directory.is_dir():
        raise KGError(f"Knowledge-base directory {directory} does not exist. Pass an existing directory.")
    files = _kb_files(directory)
    digest = _digest(files)
    memo_key = (str(directory.resolve()), digest)
    if use_cache and memo_key in _MEMO:
        return _MEMO[memo_key]
    cache_path = _cache_dir() / f"kb-{digest[:32]}.pickle"
    kb = None
    if use_cache and cache_path.is_file():
        try:
            with cache_path.open("rb") as fh:
                kb = pickle.load(fh)
        except Exception as err:  # a corrupt or foreign cache file is only a lost speed-up
            LOG.debug("ignoring KB cache %s: %s", cache_path, err)
            kb = None
    if kb is None:
        kb = compile_kb(directory)
        kb.digest = digest
        if use_cache:
            _write_cache(cache_path, kb)
    if use_cache:
        _MEMO[memo_key] = kb
    return kb


def _write_cache(cache_path: Path, kb: KnowledgeBase) -> None:
    try:
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(kb, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cache_path)
    except OSError as err:  # read-only home: run without a cache
        LOG.debug("cannot write KB cache %s: %s", cache_path, err)
