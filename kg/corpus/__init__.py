"""corpus stage: read paper dumps (HF Daily Papers pages, JSON Lines, JSON) into de-duplicated Papers.

Entry point: read_papers(paths=None, *, input_format=None, on_problem=None) -> Iterator[Paper].
"""
from kg.corpus.jsonl import paper_to_record
from kg.corpus.merge import merge_papers
from kg.corpus.normalize import clean_text, find_links, parse_arxiv_id, parse_date, title_id, title_key
from kg.corpus.reader import ReadStats, read_papers
from kg.corpus.registry import available_readers, get_reader, register_reader, sniff_format

__all__ = [
    "ReadStats", "available_readers", "clean_text", "find_links", "get_reader", "merge_papers", "paper_to_record",
    "parse_arxiv_id", "parse_date", "read_papers", "register_reader", "sniff_format", "title_id",
    "title_key",
]
