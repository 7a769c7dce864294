"""kg: turn machine-learning paper abstracts into a knowledge graph."""
from kg.records import Entity, Link, LinkedEntity, Mention, Paper, PaperEntities, Source

__all__ = ["Entity", "Link", "LinkedEntity", "Mention", "Paper", "PaperEntities", "Source"]
