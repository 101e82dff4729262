"""`finnews show`: see articles with their records highlighted, as HTML pages.

INPUT is a finished `finnews run` folder (articles.jsonl + records.jsonl, or their Parquet twins),
or article files and folders, which are then processed in-process. One article gives one page at
`--html FILE`. Several give an index at FILE and one page per article in the folder `<FILE stem>_files/`
next to it (`out.html` -> `out_files/<article id>.html`), linked both ways.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.article_page import Nav, render_article, render_index
from pipeline.html_page import write_page

if TYPE_CHECKING:
    from pipeline.extract import Extractor

Item = tuple[dict[str, Any], list[dict[str, Any]]]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 80
MANY_PAGES = 2000


def is_run_folder(path: Path) -> bool:
    """Tell whether `path` is a `finnews run` output folder."""
    return path.is_dir() and any((path / f"articles.{ext}").exists() for ext in ("jsonl", "parquet"))


def _read_rows(path: Path) -> list[dict[str, Any]]:
    """Return the rows of a JSONL or Parquet file; a truncated last line (interrupted run) is skipped."""
    if not path.exists():
        return []
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    rows = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:
                print(f"finnews show: skipped unreadable line {number} of {path}", file=sys.stderr)
    return rows


def load_run(folder: Path) -> list[Item]:
    """Return the articles of a `finnews run` folder, in file order, each with its records."""
    ext = "jsonl" if (folder / "articles.jsonl").exists() else "parquet"
    articles = _read_rows(folder / f"articles.{ext}")
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in _read_rows(folder / f"records.{ext}"):
        by_article[str(record.get("article_id"))].append(record)
    return [(article, by_article.get(str(article.get("article_id")), [])) for article in articles]


def process_inputs(
    inputs: Sequence[str],
    with_narratives: bool,
    text_field: str | None = None,
    extractor: Extractor | None = None,
) -> list[Item]:
    """Read article files and folders and run the pipeline on them in-process (`extractor` or a new one)."""
    from pipeline.extract import Extractor
    from pipeline.readers import read_inputs
    from pipeline.runner import batched

    extractor = extractor or Extractor(with_narratives=with_narratives)
    items: list[Item] = []
    for batch in batched(read_inputs(inputs, text_field), 16):
        for done in extractor.process(batch):
            items.append(
                (done.article.model_dump(mode="json"), [r.model_dump(mode="json") for r in done.records])
            )
    return items


def load_items(
    inputs: Sequence[str],
    with_narratives: bool = True,
    text_field: str | None = None,
    extractor: Extractor | None = None,
) -> list[Item]:
    """Return articles and records from run folders, or from article inputs processed now (not both)."""
    paths = [Path(item) for item in inputs]
    runs = [is_run_folder(p) for p in paths]
    if all(runs):
        return [item for path in paths for item in load_run(path)]
    if any(runs):
        raise ValueError("give either `finnews run` output folders or article files, not both")
    return process_inputs(inputs, with_narratives, text_field, extractor)


def select(items: Sequence[Item], ids: Iterable[str] = (), limit: int | None = None) -> list[Item]:
    """Keep the articles named in `ids` (all when empty), then the first `limit`."""
    wanted = list(ids)
    if wanted:
        by_id = {str(a.get("article_id")): (a, r) for a, r in items}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise ValueError(f"article id(s) not found in the input: {', '.join(missing)}")
        items = [by_id[i] for i in wanted]
    if limit is not None and limit < 1:
        raise ValueError(f"--limit must be at least 1, got {limit}")
    return list(items[:limit] if limit else items)


def page_name(article_id: str, taken: set[str]) -> str:
    """Return a file name for an article's page: its id when that is a safe, unused name, else id + hash."""
    name = _UNSAFE.sub("_", article_id).strip("._")[:MAX_NAME] or "article"
    if name != article_id or name.casefold() in taken:
        digest = hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        name = f"{name}-{digest}"
    taken.add(name.casefold())
    return f"{name}.html"


def write_show(items: Sequence[Item], out: Path, title: str = "finnews results") -> list[Path]:
    """Write the pages for `items`; return the paths written (the index or the single page first)."""
    if not items:
        raise ValueError("no articles to show: the input holds none")
    out = Path(out)
    if len(items) == 1:
        article, records = items[0]
        write_page(out, render_article(article, records))
        return [out]
    folder = out.parent / f"{out.stem}_files"
    taken: set[str] = set()
    names = [page_name(str(article.get("article_id")), taken) for article, _ in items]
    written = [out]
    for number, ((article, records), name) in enumerate(zip(items, names, strict=True)):
        nav = Nav(
            index=f"../{out.name}",
            prev=names[number - 1] if number > 0 else None,
            next=names[number + 1] if number + 1 < len(names) else None,
        )
        path = folder / name
        write_page(path, render_article(article, records, nav))
        written.append(path)
    links = [f"{folder.name}/{name}" for name in names]
    write_page(out, render_index([(a, r, link) for (a, r), link in zip(items, links, strict=True)], title))
    return written


def _cmd_show(args: argparse.Namespace) -> int:
    items = select(
        load_items(args.inputs, not args.no_narratives, args.text_column), args.article, args.limit
    )
    if len(items) > MANY_PAGES:
        print(f"finnews show: writing {len(items):,} pages; --limit or --article show fewer", file=sys.stderr)
    written = write_show(items, Path(args.html), title=args.title or f"finnews: {', '.join(args.inputs)}")
    extra = f" and {len(written) - 1} article pages in {written[1].parent}" if len(written) > 1 else ""
    print(f"wrote {written[0]}{extra}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `show` subcommand to the finnews command line."""
    p = subparsers.add_parser(
        "show",
        help="write HTML pages showing articles with their records highlighted",
        description=__doc__.splitlines()[0] + " " + " ".join(__doc__.split("\n\n")[1].split()),
    )
    p.add_argument("inputs", nargs="+", help="a `finnews run` output folder, or article files/folders")
    p.add_argument("--html", required=True, metavar="FILE", help="the page (or index page) to write")
    p.add_argument(
        "--article", action="append", default=[], metavar="ID", help="show only this article (repeatable)"
    )
    p.add_argument("--limit", type=int, default=None, help="show at most this many articles")
    p.add_argument("--title", default=None, help="title of the index page")
    p.add_argument(
        "--no-narratives", action="store_true", help="article inputs: skip the narrative classifier"
    )
    p.add_argument("--text-column", default=None, help="article inputs: text field of JSON/CSV/Parquet rows")
    p.set_defaults(handler=_cmd_show)
