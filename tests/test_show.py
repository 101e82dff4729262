import html
import json
import re

import pytest

from pipeline.article_page import mark_label, record_marks, render_article, safe_url, type_fields
from pipeline.cli import main
from pipeline.highlight import Mark, assign_slots, mark_evidence, render_marked, segments
from pipeline.html_page import fmt_value, narrative_badges
from pipeline.show import is_run_folder, load_items, page_name, select, write_show

TRICKY = "Tencent <b>fell</b> 3% & \"AT&T\" rose 2% at HK$1<2 'quoted'\nNext line"


def visible_text(page_html: str) -> str:
    """The text a browser shows for the highlighted document (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", page_html))


def move(article_id, text, needle, n=0, **extra):
    start = text.index(needle)
    return {
        "article_id": article_id,
        "record_id": f"{article_id}:{n}",
        "type": "price_move",
        "text": needle,
        "start": start,
        "end": start + len(needle),
        "sentence": text.splitlines()[0],
        "narratives": [],
        "extractor": "fin_moves:verb_pct",
        "confidence": 0.9,
        "subject": "Tencent Holdings",
        "ticker": "0700.HK",
        "direction": "down",
        "pct": 3.0,
        "approx": "exact",
        **extra,
    }


def mention(article_id, text, needle, n):
    start = text.index(needle)
    return {
        "article_id": article_id,
        "record_id": f"{article_id}:{n}",
        "type": "mention",
        "text": needle,
        "start": start,
        "end": start + len(needle),
        "sentence": "",
        "narratives": [],
        "extractor": "fin_mentions:kb",
        "confidence": 1.0,
        "name": needle,
        "canonical": "Tencent Holdings",
        "ticker": "0700.HK",
        "entity_kind": "company",
    }


def article(article_id, text=TRICKY, narratives=(), **extra):
    return {
        "article_id": article_id,
        "source": None,
        "url": None,
        "title": None,
        "published": None,
        "text": text,
        "narratives": list(narratives),
        "n_records": 0,
        "errors": [],
        "pipeline_version": "finnews test",
        **extra,
    }


@pytest.fixture
def run_dir(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    arts = [
        article("a/1", narratives=[{"label": "policy_fear", "score": 0.8}]),
        article("a-2", title="Second <one>"),
    ]
    recs = [
        move("a/1", TRICKY, "Tencent <b>fell</b> 3%"),
        mention("a/1", TRICKY, "Tencent", 1),
        move("a-2", TRICKY, '"AT&T" rose 2%', direction="up", subject="AT&T", ticker="T"),
    ]
    (folder / "articles.jsonl").write_text("".join(json.dumps(a) + "\n" for a in arts), encoding="utf-8")
    (folder / "records.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "length,spans,expected",
    [
        (10, [], [(0, 10, [])]),
        (10, [("a", 2, 5)], [(0, 2, []), (2, 5, ["a"]), (5, 10, [])]),
        (6, [("a", 0, 6), ("b", 0, 2)], [(0, 2, ["a", "b"]), (2, 6, ["a"])]),
        (
            8,
            [("a", 1, 5), ("b", 3, 7)],
            [(0, 1, []), (1, 3, ["a"]), (3, 5, ["a", "b"]), (5, 7, ["b"]), (7, 8, [])],
        ),
    ],
)
def test_highlight_segments_cut_at_every_boundary(length, spans, expected):
    marks = [Mark(k, s, e, "price_move") for k, s, e in spans]
    got = [(s, e, sorted(m.key for m in ms)) for s, e, ms in segments(length, marks)]
    assert got == expected


@pytest.mark.parametrize(
    "spans,expected",
    [
        ([("a", 0, 5), ("b", 6, 9)], {"a": 0, "b": 0}),
        ([("a", 0, 5), ("b", 2, 9)], {"a": 0, "b": 1}),
        ([("inner", 2, 3), ("outer", 0, 9), ("next", 9, 12)], {"outer": 0, "inner": 1, "next": 0}),
        ([("a", 0, 9), ("b", 1, 3), ("c", 4, 6)], {"a": 0, "b": 1, "c": 1}),
    ],
)
def test_highlight_assign_slots_stacks_overlaps(spans, expected):
    assert assign_slots([Mark(k, s, e, "price_move") for k, s, e in spans]) == expected


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [("a", 0, 7)],
        [("a", 8, 20), ("b", 8, 15), ("c", 30, 40)],
        [("a", 0, len(TRICKY)), ("b", 5, 6)],
    ],
)
def test_highlight_render_keeps_the_text_and_escapes_it(spans):
    marks = [Mark(k, s, e, "price_move", "move", f'tip <{k}> & "q"') for k, s, e in spans]
    out = render_marked(TRICKY, marks)
    assert visible_text(out) == TRICKY
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert out.count('class="hl') == len([p for p in segments(len(TRICKY), marks) if p[2]])
    for key, _, _ in spans:
        assert out.count(f'id="m-{key}"') == 1


@pytest.mark.parametrize(
    "marks",
    [
        [Mark("x", 5, 3, "price_move")],
        [Mark("x", -1, 3, "price_move")],
        [Mark("x", 0, 10_000, "price_move")],
    ],
)
def test_highlight_render_ignores_marks_outside_the_text(marks):
    out = render_marked(TRICKY, marks)
    assert 'class="hl' not in out and visible_text(out) == TRICKY


@pytest.mark.parametrize(
    "sentence,evidence,marked",
    [
        ("Tencent fell 3% & more.", "fell 3% & more", "fell 3% &amp; more"),
        ("Shares FELL 3%.", "fell 3%", "FELL 3%"),
        ("", "fell <3%", "fell &lt;3%"),
    ],
)
def test_highlight_mark_evidence_inside_its_sentence(sentence, evidence, marked):
    out = mark_evidence(sentence, evidence, "price_move")
    assert re.search(r'<mark class="ev t-price_move">(.*?)</mark>', out).group(1) == marked


def test_highlight_mark_evidence_outside_sentence_shows_both():
    out = mark_evidence("Stocks rose.", "<gone>", "money_flow")
    assert "Stocks rose." in out and "&lt;gone&gt;</mark>" in out


@pytest.mark.parametrize(
    "article_id,expected",
    [
        ("seed-000", "seed-000.html"),
        ("a/b", None),
        ("../etc", None),
        ("", None),
        ("x" * 200, None),
    ],
)
def test_show_page_name_is_safe(article_id, expected):
    name = page_name(article_id, set())
    if expected:
        assert name == expected
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", name) and len(name) < 100


def test_show_page_name_unique_ignoring_case():
    taken: set[str] = set()
    names = [page_name(i, taken) for i in ("Ab", "ab", "a_b", "a/b")]
    assert len({n.casefold() for n in names}) == 4


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://example.com/?a=1&b=2", "https://example.com/?a=1&b=2"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
    ],
)
def test_show_safe_url_links_only_http(url, expected):
    assert safe_url(url) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (900000000.0, "900,000,000"),
        (3.51, "3.51"),
        (22579.05, "22,579.05"),
        (3.0, "3"),
        ("up", "up"),
        (True, "True"),
    ],
)
def test_show_fmt_value(value, expected):
    assert fmt_value(value) == expected


@pytest.mark.parametrize(
    "narratives,expected",
    [
        ([], ["no narratives"]),
        (None, ["no narratives"]),
        (
            [{"label": "ai_hype", "score": 0.91}, {"label": "<x>", "score": 0.5}],
            ["ai_hype 0.91", "&lt;x&gt; 0.50"],
        ),
    ],
)
def test_show_narrative_badges(narratives, expected):
    out = narrative_badges(narratives)
    shown = [
        re.sub(r"<[^>]*>", "", b) for b in re.findall(r'<span class="badge[^"]*"[^>]*>(.*?</span>)', out)
    ]
    assert [s.strip() for s in shown] == expected


@pytest.mark.parametrize(
    "record,expected",
    [
        ({"type": "price_move", "direction": "up"}, "move ▲"),
        ({"type": "index_level", "direction": None}, "level"),
        ({"type": "mention"}, ""),
        ({"type": "analyst_view", "direction": "up"}, "view"),
    ],
)
def test_show_mark_label(record, expected):
    assert mark_label(record) == expected


def test_show_type_fields_follow_the_schema():
    record = move("a", TRICKY, "Tencent")
    assert list(type_fields(record))[:4] == ["subject", "ticker", "direction", "pct"]
    assert "record_id" not in type_fields(record)


def test_show_record_with_wrong_offsets_is_noted_not_marked():
    bad = {**move("a", TRICKY, "Tencent"), "start": 1}
    marks, notes = record_marks(TRICKY, [bad])
    assert marks == [] and "do not match" in notes[0]
    page = render_article(article("a"), [bad])
    assert 'class="errors"' in page and 'class="hl' not in page


def test_show_article_page_escapes_everything(run_dir):
    [(art, recs), _] = load_items([str(run_dir)])
    page = render_article({**art, "url": 'https://x.org/"><script>', "source": "<i>src</i>"}, recs)
    assert "<script>alert" not in page and "<b>fell</b>" not in page and "<i>src" not in page
    doc = re.search(r'<div class="doc">(.*?)</div></section>', page, re.S).group(1)
    assert visible_text(doc) == TRICKY
    assert page.count('<tr class="rec') == 2
    assert "policy_fear" in page and "0700.HK" in page


def test_show_load_run_groups_records(run_dir):
    items = load_items([str(run_dir)])
    assert is_run_folder(run_dir)
    assert [(a["article_id"], len(r)) for a, r in items] == [("a/1", 2), ("a-2", 1)]


def test_show_load_run_skips_a_truncated_line(run_dir):
    with open(run_dir / "records.jsonl", "a", encoding="utf-8") as handle:
        handle.write('{"article_id": "a-2", "type": "pri')
    assert [len(r) for _, r in load_items([str(run_dir)])] == [2, 1]


def test_show_load_run_reads_parquet(run_dir):
    from pipeline.export import write_parquet

    write_parquet(run_dir)
    (run_dir / "articles.jsonl").unlink()
    (run_dir / "records.jsonl").unlink()
    items = load_items([str(run_dir)])
    assert [(a["article_id"], len(r)) for a, r in items] == [("a/1", 2), ("a-2", 1)]


@pytest.mark.parametrize(
    "ids,limit,expected",
    [((), None, ["a/1", "a-2"]), (("a-2",), None, ["a-2"]), ((), 1, ["a/1"])],
)
def test_show_select(run_dir, ids, limit, expected):
    items = select(load_items([str(run_dir)]), ids, limit)
    assert [a["article_id"] for a, _ in items] == expected


@pytest.mark.parametrize("ids,limit", [(("nope",), None), ((), 0)])
def test_show_select_refuses(run_dir, ids, limit):
    with pytest.raises(ValueError):
        select(load_items([str(run_dir)]), ids, limit)


def test_show_write_one_article_is_one_page(run_dir, tmp_path):
    items = select(load_items([str(run_dir)]), ["a-2"])
    written = write_show(items, tmp_path / "out" / "one.html")
    assert written == [tmp_path / "out" / "one.html"]
    assert not (tmp_path / "out" / "one_files").exists()
    assert "Second &lt;one&gt;" in written[0].read_text(encoding="utf-8")


def test_show_write_folder_links_index_and_pages(run_dir, tmp_path):
    out = tmp_path / "out.html"
    written = write_show(load_items([str(run_dir)]), out)
    assert written[0] == out and len(written) == 3
    index = out.read_text(encoding="utf-8")
    for page in written[1:]:
        assert page.parent == tmp_path / "out_files"
        assert f'href="out_files/{page.name}"' in index
        assert 'href="../out.html"' in page.read_text(encoding="utf-8")


def test_show_write_refuses_empty(tmp_path):
    with pytest.raises(ValueError):
        write_show([], tmp_path / "x.html")


def test_show_cli_writes_pages(run_dir, tmp_path, capsys):
    out = tmp_path / "cli.html"
    assert main(["show", str(run_dir), "--html", str(out)]) == 0
    assert out.exists() and len(list((tmp_path / "cli_files").glob("*.html"))) == 2
    assert "wrote" in capsys.readouterr().out


def test_show_cli_unknown_article_is_an_error(run_dir, tmp_path, capsys):
    assert main(["show", str(run_dir), "--html", str(tmp_path / "x.html"), "--article", "zzz"]) == 2
    assert "zzz" in capsys.readouterr().err


@pytest.mark.slow
def test_show_articles_processed_in_process(extractor, seeds_dir, tmp_path):
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    items = load_items([str(seed)], extractor=extractor)
    assert len(items) == 1 and items[0][0]["text"]
    page = write_show(items, tmp_path / "seed.html")[0].read_text(encoding="utf-8")
    assert page.count('<tr class="rec') == len(items[0][1])


def test_show_write_page_survives_lone_surrogates(tmp_path):
    from pipeline.html_page import write_page

    write_page(tmp_path / "p.html", "a\ud800b")
    assert (tmp_path / "p.html").read_bytes() == b"a?b"
