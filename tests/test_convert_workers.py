"""convert --jobs: the workers are forked from the parent after it has warmed up (convert._warm), so each
starts with the imports and the stored looks and reads neither again (issue 13). Spawned workers (or Python
3.14's default forkserver) would start empty: +0.25 s of CPU a worker on 24 seed-sized books."""

import os
import shutil
import sys
from pathlib import Path

import pytest

from xlbudget.adapters import xlsxbook
from xlbudget.app import convert

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "範例-高雄市政府資訊中心113年度.xlsx"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_start_with_what_the_parent_warmed(tmp_path, monkeypatch):
    seen = tmp_path / "seen"
    seen.mkdir()
    start = convert._worker_start

    def noting(fmt, mark):  # runs in each worker as it starts, before its own warm-up
        (seen / str(os.getpid())).write_text(str(bool(xlsxbook._LOOKS)))
        start(fmt, mark)

    monkeypatch.setattr(convert, "_worker_start", noting)
    monkeypatch.setattr(xlsxbook, "_LOOKS", {})  # not yet read in this process: only the parent's warm-up reads it
    books = tmp_path / "books"
    books.mkdir()
    for name in ("甲.xlsx", "乙.xlsx"):
        shutil.copy(EXAMPLE, books / name)
    code, results = convert.convert_paths([str(books)], str(tmp_path / "out"), jobs=2)
    assert [r.status for r in results] == ["完成", "完成"]
    assert sorted(p.read_text() for p in seen.iterdir()) == ["True", "True"]
