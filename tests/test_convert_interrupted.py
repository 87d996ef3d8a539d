"""convert stopped by Ctrl-C or SIGTERM (field report L7): a zh-TW line saying what was done and how to resume,
exit 130, no traceback, no temporary file left; a re-run removes only temporary files of ours left by a kill."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

import xlbudget.app.convert as convert
from xlbudget.app.convert import SKIPPED, ConvertInterrupted, convert_paths
from xlbudget.cli import main

from test_convert import EXAMPLE, three_books  # noqa: F401 (a fixture)


def _temps(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~xlbudget-"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_batch_stops_cleanly_and_resumes(tmp_path, sig):
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for n in range(6):
        shutil.copy(EXAMPLE, folder / f"機關{n}.xlsx")
    proc = subprocess.Popen([sys.executable, "-m", "xlbudget", "convert", str(folder), "-o", str(out), "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    first = proc.stderr.readline()  # the progress line of the first book done: the others are under way
    assert first.startswith("[1/6]"), first
    os.killpg(proc.pid, sig)  # as a terminal's Ctrl-C (or a closing session) reaches every process of the group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "已中斷" in err
    assert _temps(out) == []
    done = json.loads((out / ".xlbudget-convert.json").read_text(encoding="utf-8"))
    assert done  # the books converted before the signal are remembered...
    code, results = convert_paths([str(folder)], str(out), jobs=1)
    assert code == 0
    assert sum(r.status == SKIPPED for r in results) == len(done)  # ...and a re-run skips them
    assert _temps(out) == []


def test_interrupt_in_one_process_says_what_was_done(three_books, tmp_path, monkeypatch, capsys):  # noqa: F811
    calls = []
    real = convert.convert_one

    def second_interrupted(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(convert, "convert_one", second_interrupted)
    out = tmp_path / "out"
    with pytest.raises(ConvertInterrupted):
        convert_paths([str(three_books)], str(out), jobs=1)
    assert len(json.loads((out / ".xlbudget-convert.json").read_text(encoding="utf-8"))) == 1
    calls.clear()
    assert main(["convert", str(three_books), "-o", str(tmp_path / "out2"), "--jobs", "1"]) == 130
    err = capsys.readouterr().err
    assert "已中斷" in err and "Traceback" not in err
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handlers are put back


def test_rerun_removes_only_our_stale_temporary_files(three_books, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    out.mkdir()
    ours = [".~xlbudget-ab12cd_3.xlsx", ".~xlbudget-zzzzzzzz.json"]
    officers = [".~xlbudget-notes.xlsx", ".~xlbudget-abcdefgh.docx", "~$甲.xlsx", "officer.xlsx",
                ".~xlbudget-abcdefghi.xlsx"]
    for name in ours + officers:
        (out / name).write_bytes(b"PK\x03\x04 half")
    (out / "sub").mkdir()
    (out / "sub" / ".~xlbudget-ab12cd_4.xlsx").write_bytes(b"x")  # not in OUTDIR itself
    convert_paths([str(three_books)], str(out), jobs=1)
    left = {p.name for p in out.iterdir()}
    assert not left & set(ours)
    assert set(officers) <= left and (out / "sub" / ".~xlbudget-ab12cd_4.xlsx").exists()
