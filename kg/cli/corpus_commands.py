"""Commands over the corpus stage: papers, ingest."""
from __future__ import annotations
