"""JSON Lines and JSON readers: arXiv snapshot, HF daily papers API, minimal records, kg's own output."""
import orjson
import pytest

from kg.corpus import paper_to_record, read_papers, sniff_format, title_id
from kg.records import Link, Paper, Source


@pytest.fixture(scope="module")
def tulu(sample_papers):
    return next(p for p in sample_papers if p.title.startswith("TÜLU 3"))


def _arxiv_record(paper: Paper) -> dict:
    # The arXiv metadata snapshot schema, with its LaTeX escapes and hard-wrapped title.
    return {
        "id": "2411.15124",
        "submitter": "Nathan Lambert",
        "authors": "Nathan Lambert, Jacob Morrison, Valentina Pyatkin and Shengyi Huang",
        "title": 'T\\"ULU 3: Pushing Frontiers in Open Language Model\n  Post-Training',
        "comments": None,
        "journal-ref": None,
        "doi": None,
        "categories": "cs.CL cs.LG",
        "license": "http://creativecommons.org/licenses/by/4.0/",
        "abstract": "  " + paper.abstract.replace("TÜLU", 'T\\"ULU') + "\n",
        "versions": [{"version": "v1", "created": "Fri, 22 Nov 2024 18:44:04 GMT"},
                     {"version": "v2", "created": "Wed, 29 Jan 2025 10:00:00 GMT"}],
        "update_date": "2025-01-30",
        "authors_parsed": [["Lambert", "Nathan", ""], ["Morrison", "Jacob", ""],
                           ["Pyatkin", "Valentina", ""], ["Huang", "Shengyi", ""]],
    }


def _hf_api_record(paper: Paper) -> dict:
    # One element of the Hugging Face daily papers API response.
    return {
        "paper": {
            "id": "2411.15124",
            "authors": [{"_id": "1", "name": "Nathan Lambert", "hidden": False},
                        {"_id": "2", "name": "Jacob Morrison", "hidden": False}],
            "publishedAt": "2024-11-22T18:44:04.000Z",
            "title": paper.title,
            "summary": paper.abstract,
            "upvotes": 61,
            "githubRepo": "https://github.com/allenai/open-instruct",
        },
        "publishedAt": "2024-11-25T02:10:00.000Z",
        "title": paper.title,
        "numComments": 2,
    }


def _write_jsonl(path, records):
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def test_read_jsonl_arxiv_snapshot_schema(tmp_path, tulu, problems):
    path = _write_jsonl(tmp_path / "arxiv.jsonl", [_arxiv_record(tulu)])
    [paper] = read_papers(path, on_problem=problems.append)
    assert problems == []
    assert paper.id == "2411.15124"
    assert paper.title == "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"
    assert paper.abstract == tulu.abstract
    assert paper.authors == ("Nathan Lambert", "Jacob Morrison", "Valentina Pyatkin", "Shengyi Huang")
    assert paper.categories == ("cs.CL", "cs.LG")
    assert paper.date == "2024-11-22"  # first version, not the update date
    assert paper.sources == (Source(path.as_posix(), 1),)


def test_read_jsonl_arxiv_authors_string_without_parsed(tmp_path, tulu):
    record = _arxiv_record(tulu)
    del record["authors_parsed"], record["versions"]
    [paper] = read_papers(_write_jsonl(tmp_path / "a.jsonl", [record]))
    assert paper.authors == ("Nathan Lambert", "Jacob Morrison", "Valentina Pyatkin", "Shengyi Huang")
    assert paper.date == "2025-01-30"


def test_read_json_hf_api_array(tmp_path, tulu, problems):
    path = tmp_path / "daily.json"
    path.write_bytes(orjson.dumps([_hf_api_record(tulu)], option=orjson.OPT_INDENT_2))
    assert sniff_format(path.read_bytes()) == "json"
    [paper] = read_papers(path, on_problem=problems.append)
    assert problems == []
    assert (paper.id, paper.title, paper.abstract) == ("2411.15124", tulu.title, tulu.abstract)
    assert paper.authors == ("Nathan Lambert", "Jacob Morrison")
    assert (paper.date, paper.upvotes) == ("2024-11-22", 61)
    assert paper.links == (Link("https://github.com/allenai/open-instruct", "code"),)
    assert paper.sources == (Source(path.as_posix(), 2),)


def test_read_jsonl_hf_api_flat_paper(tmp_path, tulu):
    flat = _hf_api_record(tulu)["paper"]
    [paper] = read_papers(_write_jsonl(tmp_path / "p.jsonl", [flat]))
    assert (paper.id, paper.abstract, paper.upvotes) == ("2411.15124", tulu.abstract, 61)


def test_read_jsonl_minimal_records(tmp_path, sample_papers, problems):
    records = [{"title": p.title, "abstract": p.abstract} for p in sample_papers[:3]]
    records.append({"id": "custom-7", "title": sample_papers[3].title, "abstract": sample_papers[3].abstract})
    papers = list(read_papers(_write_jsonl(tmp_path / "m.jsonl", records), on_problem=problems.append))
    assert problems == []
    assert [p.id for p in papers] == [title_id(p.title) for p in sample_papers[:3]] + ["custom-7"]
    assert [p.title for p in papers] == [p.title for p in sample_papers[:4]]
    assert [p.sources[0].line for p in papers] == [1, 2, 3, 4]


def test_read_json_pretty_printed_objects_and_lines(tmp_path, sample_papers, problems):
    path = tmp_path / "pretty.json"
    path.write_bytes(b"\n".join(orjson.dumps({"title": p.title, "abstract": p.abstract}, option=orjson.OPT_INDENT_2)
                                for p in sample_papers[:3]))
    assert sniff_format(path.read_bytes()) == "json"
    papers = list(read_papers(path, on_problem=problems.append))
    assert problems == []
    assert [p.sources[0].line for p in papers] == [1, 5, 9]


def test_read_json_truncated_array_keeps_complete_records(tmp_path, sample_papers, problems):
    data = orjson.dumps([{"title": p.title, "abstract": p.abstract} for p in sample_papers[:3]],
                        option=orjson.OPT_INDENT_2)
    path = tmp_path / "cut.json"
    path.write_bytes(data[: len(data) - 200])
    papers = list(read_papers(path, on_problem=problems.append))
    assert [p.title for p in papers] == [p.title for p in sample_papers[:2]]
    assert [(e.path, e.line, e.reason) for e in problems] == [(path.as_posix(), 10, "truncated JSON record, skipped")]


def test_read_jsonl_strings_with_brackets_do_not_confuse_json_scanner(tmp_path, problems):
    record = {"title": "A [Bracketed] {Title}", "abstract": 'Quotes \\" and ] } [ { inside strings. ' * 5}
    path = tmp_path / "b.json"
    path.write_bytes(orjson.dumps([record, record | {"title": "Second"}], option=orjson.OPT_INDENT_2))
    assert [p.title for p in read_papers(path, on_problem=problems.append)] == ["A [Bracketed] {Title}", "Second"]
    assert problems == []


def test_ingest_format_reads_back_losslessly(tmp_path, sample_papers):
    path = _write_jsonl(tmp_path / "papers.jsonl", [paper_to_record(p) for p in sample_papers])
    assert list(read_papers(path)) == sample_papers


def test_paper_to_record_has_documented_fields(tulu):
    record = paper_to_record(tulu)
    assert list(record)[:8] == ["id", "title", "abstract", "date", "upvotes", "authors", "links", "sources"]
    assert record["sources"][0] == {"path": "kg/data/hf-daily-papers/001_e2fec9b6cb1eb41b.txt", "line": 363}
