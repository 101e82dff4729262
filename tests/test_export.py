import json

import pytest

from pipeline.export import ARTICLES_FILE, RECORDS_FILE, recover


def _line(obj):
    return json.dumps(obj) + "\n"


def test_export_recover_drops_half_written_lines_and_orphan_records(tmp_path):
    articles = _line({"article_id": "a", "n_records": 2}) + _line({"article_id": "b", "n_records": 1})
    records = "".join(_line({"record_id": f"r{i}"}) for i in range(5)) + '{"record_id": "half'
    (tmp_path / ARTICLES_FILE).write_text(articles + '{"article_id": "c", "n_rec')
    (tmp_path / RECORDS_FILE).write_text(records)
    assert recover(tmp_path) == 2
    assert (tmp_path / ARTICLES_FILE).read_text() == articles
    kept = (tmp_path / RECORDS_FILE).read_text().splitlines()
    assert [json.loads(line)["record_id"] for line in kept] == ["r0", "r1", "r2"]


def test_export_recover_on_empty_folder_starts_at_zero(tmp_path):
    assert recover(tmp_path) == 0


def test_export_recover_refuses_inconsistent_journals(tmp_path):
    (tmp_path / ARTICLES_FILE).write_text(_line({"article_id": "a", "n_records": 3}))
    (tmp_path / RECORDS_FILE).write_text(_line({"record_id": "r0"}))
    with pytest.raises(ValueError, match="fewer records"):
        recover(tmp_path)
