"""xlbudget's patterns made from their stored compiled code (core.patterns, xlbudget/data/pattern-code.json) are
re.compile's, code and all; a store of another interpreter, or one that cannot be read or made, is compiled from
the source instead; and the store is what ``python -m xlbudget.app.patterncode`` writes now (issue 13)."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# first: module_patterns imports every module of xlbudget, the add-in too (xlwings), and xlwings must load as the
# other test modules load it (XLWINGS_ON_SERVER set), else test_identities, run after this module, cannot import it
import xlwings_json  # noqa: F401

from xlbudget.app.patterncode import STORED, module_patterns
from xlbudget.core import patterns

ROOT = Path(__file__).resolve().parents[1]
SAME_INTERPRETER = json.loads(STORED.read_text(encoding="utf-8"))["interpreter"] == patterns.interpreter()
only_here = pytest.mark.skipif(not SAME_INTERPRETER, reason="the store was written by another interpreter")


def _texts() -> tuple[set[str], set[bytes]]:
    """Real strings of the books: every line of the three examples' input sheets (CSV), the text of every cell of the
    bundled workbooks, and, for the byte patterns, their XML parts'
    starts."""
    texts: set[str] = set()
    for csv in sorted((ROOT / "xlbudget" / "data").glob("example*/*.csv")):
        texts.update(csv.read_text(encoding="utf-8").splitlines())
    parts: set[bytes] = set()
    for book in sorted((ROOT / "workbooks").glob("*.xlsx")):
        with zipfile.ZipFile(book) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    data = z.read(name)
                    parts.add(data[:6000])  # a part's start: its root, first rows and cells (the whole: 1 MB, 2 s more)
                    # each cell's text, inline or shared; a long one's start (a 總說明 paragraph: its first sentences)
                    texts.update(t[:300] for t in re.findall(r"<t[^>]*>([^<]*)</t>", data.decode("utf-8")))
    texts.update(["", "113年3月1日至2024年3月10日", "2024/2/30-2024/3/5", "1130101-1131231", "2億7,579萬5千元",
                  "較上年度增列128,993千元，約占3.5%", "壹仟貳佰參拾肆萬伍仟元", "=SUM(A1:A3)", "３ 人 × ２ 天"])
    return texts, parts


def test_every_stored_pattern_is_re_compile_s():
    """Made from the store, each pattern equals re.compile's (Pattern equality compares the flags and the code), with
    the same groups and group names, and finds the same in every real string of the books."""
    store = patterns._store()
    if not SAME_INTERPRETER:
        assert store == {}
        return
    assert len(store) == len(module_patterns()) >= 120
    texts, parts = _texts()
    assert len(texts) > 2000 and len(parts) > 50
    texts = sorted(texts)[::3]  # a third of them, every kind still there (one equal code is equal on all): 3 s less
    foreign = {(e[0].encode("latin-1") if e[1] else e[0], e[2]): e for e in patterns._FOREIGN}
    assert len(foreign) >= 30 and not set(foreign) & set(store)
    for source, flags in [*store, *foreign]:
        compiled = re.compile(source, flags)
        made = patterns._made(source, foreign[source, flags]) if (source, flags) in foreign else \
            patterns.compiled_pattern(source, flags)
        assert made is not compiled and made == compiled, source
        assert (made.flags, made.groups, made.groupindex) == (compiled.flags, compiled.groups, compiled.groupindex)
        for text in parts if isinstance(source, bytes) else texts:
            assert [(m.span(), m.groups()) for m in made.finditer(text)] == \
                [(m.span(), m.groups()) for m in compiled.finditer(text)], (source, text[:200])


@only_here
def test_a_lazy_pattern_is_made_from_the_store_without_compiling():
    """In a process whose re compiler refuses everything, the patterns of the date periods and the 總說明 amounts are
    still made and find what they found: from the stored code, never compiled. Red without a store (the compiler's
    refusal)."""
    out = _refusing("from xlbudget.core import dates\n"
                    "from xlbudget.derive import narrative\n"
                    "re._compiler.compile = refuse\n"
                    "print(dates.dates_left_as_typed('113/2/30至113/3/5，2024/3/1'))\n"
                    "print([m.group() for m in narrative.AMOUNT_PATTERN.finditer('歲出2億7,579萬5千元，增列128,993千元')])\n")
    assert out.splitlines() == ["['113/2/30至113/3/5']", "['2億7,579萬5千元', '128,993千元']"]


def _refusing(code: str) -> str:
    """What ``code`` prints, run in a fresh interpreter where ``refuse`` (to be put in place of re's compiler,
    ``real``) fails any pattern compiled; json imported first, its own patterns compiled (the store is read with it)."""
    done = subprocess.run([sys.executable, "-c", "import json, re, re._compiler\nreal = re._compiler.compile\n"
                           "def refuse(*args):\n    raise AssertionError(('compiled', args[0]))\n" + code],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@only_here
def test_preload_makes_the_patterns_xlsxwriter_and_argparse_compile():
    """After ``patterns.preload`` (the command line's first step), importing XlsxWriter and making and using convert's
    parser compile no pattern: each is in re's cache, made from the stored code, and is re.compile's. Red without
    the foreign patterns stored, or without preload (the compiler's refusal)."""
    out = _refusing("from xlbudget import defer\n"
                    "defer('inspect')\n"  # the command line's first step (xlbudget.cli), then preload
                    "from xlbudget.core import patterns\n"
                    "patterns.preload()\n"
                    "re._compiler.compile = refuse\n"
                    "import xlsxwriter.utility\n"
                    "from xlbudget import cli\n"
                    "with cli._argparse_untranslated():\n"
                    "    cli.parser('convert').parse_args(['convert', 'a', '-o', 'b', '--jobs', '2'])\n"
                    "re._compiler.compile = real\n"
                    "r = xlsxwriter.utility.RE_QUOTE_RULE1\n"
                    "print(r == real(r.pattern, r.flags & ~re.U), bool(r.search('工作表 1')), bool(r.search('Sheet1')))\n")
    assert out.split() == ["True", "True", "False"]


@only_here
def test_importing_the_command_line_compiles_no_pattern():
    """The command line's module puts the stored patterns in re's cache before it imports argparse, whose gettext
    compiles its plural-forms pattern as it is imported: importing it compiles nothing, every command's start 2.9 M
    instructions less. Red when argparse is imported first (the compiler's refusal, gettext's pattern)."""
    out = _refusing("re._compiler.compile = refuse\n"
                    "import xlbudget.cli, gettext\n"
                    "re._compiler.compile = real\n"
                    "p = gettext._token_pattern\n"
                    "print(p == real(p.pattern, p.flags & ~re.U), [m.lastgroup for m in p.finditer('n != 1')])\n")
    assert out.split(" ", 1) == ["True", "['NAME', 'WHITESPACES', 'OPERATOR', 'WHITESPACES', 'NUMBER']\n"]


def test_preload_keeps_what_re_has_and_puts_nothing_from_another_store(monkeypatch):
    """A pattern re has already compiled stays the one it has; a store of another interpreter (no entries) puts
    nothing in re's cache."""
    source = r"(?P<year>\d{2,3})年(\d{1,2})月"
    entry = patterns.stored_entry(source)
    kept = re.compile(source)
    for store, foreign in (([{}], [entry]), ([{}], [])):
        monkeypatch.setattr(patterns, "_STORE", store)
        monkeypatch.setattr(patterns, "_FOREIGN", foreign)
        monkeypatch.setattr(patterns, "_SEEDED", [])
        before = dict(re._cache)
        patterns.preload()
        assert re._cache == before and re.compile(source) is kept
    re.purge()
    monkeypatch.setattr(patterns, "_SEEDED", [])
    monkeypatch.setattr(patterns, "_FOREIGN", [entry])
    patterns.preload()
    assert (str, source, 0) in re._cache  # put there, not compiled
    made = re.compile(source)
    assert made == patterns._made(source, entry) and made is re.compile(source)
    assert made.search("民國113年3月").group("year") == "113"


@only_here
def test_every_record_init_is_made_from_the_store_without_compiling():
    """In a process where exec of a record's __init__ text fails, every record of convert's and build's paths is
    made all the same, from the stored code; an ExpenseItem made so takes its arguments and defaults as before.
    Red without the stored inits (the refusal)."""
    code = ("import builtins\n"
            "real = builtins.exec\n"
            "def refuse(text, *args):\n"
            "    if isinstance(text, str) and text.startswith('def __init__(self'):\n"
            "        raise AssertionError('compiled')\n"
            "    return real(text, *args)\n"
            "builtins.exec = refuse\n"
            "import xlbudget.app.convert, xlbudget.app.pipeline, xlbudget.app.splicebuild\n"
            "from xlbudget.core.patterns import INIT_TEXTS\n"
            "from xlbudget.core.model import CellRef\n"
            "c = CellRef('歲出明細', 'H3')\n"
            "print(len(INIT_TEXTS) >= 25, c, c.file, c == CellRef('歲出明細', 'H3', None))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "歲出明細!H3", "None", "True"]


def test_a_stored_init_is_the_function_exec_makes(monkeypatch):
    """A record's __init__ made from stored code is the one exec makes of its text: the same code, defaults (a
    default_factory's marker too), name and module, and it fills the record alike. Red when the defaults were
    not given to the function made from the code."""
    import dataclasses

    from xlbudget.core import records

    def made(stored: bool):
        monkeypatch.setattr(patterns, "_INITS", [{}])
        plain_init = records.filled_at_once(dataclasses.dataclass(type("K", (), {
            "__annotations__": {"a": "int", "b": "int", "c": "list"}, "b": 2,
            "c": dataclasses.field(default_factory=list)}), frozen=True, init=False)).__init__
        if not stored:
            return plain_init
        text = list(patterns.INIT_TEXTS)[-1]
        code = patterns._inits(patterns.stored_inits([text]))[text]  # as the store holds it
        monkeypatch.setattr(patterns, "_INITS", [{text: code}])
        cls = records.filled_at_once(dataclasses.dataclass(type("K", (), {
            "__annotations__": {"a": "int", "b": "int", "c": "list"}, "b": 2,
            "c": dataclasses.field(default_factory=list)}), frozen=True, init=False))
        assert cls.__init__.__code__ is code
        return cls.__init__

    exec_made, stored_made = made(False), made(True)
    assert stored_made.__code__ == exec_made.__code__ and stored_made.__code__ is not exec_made.__code__
    assert repr(stored_made.__defaults__) == repr(exec_made.__defaults__) == "(2, <factory>)"
    assert (stored_made.__name__, stored_made.__qualname__, stored_made.__module__, stored_made.__kwdefaults__) == \
        (exec_made.__name__, exec_made.__qualname__, exec_made.__module__, exec_made.__kwdefaults__)
    assert set(stored_made.__globals__) == set(exec_made.__globals__)


def test_a_store_of_another_interpreter_is_no_store(tmp_path):
    """A store written by another Python (here: another micro version), or that cannot be read, gives nothing: every
    pattern is compiled from its source. Red when the interpreter was not compared."""
    data = json.loads(STORED.read_text(encoding="utf-8"))
    if SAME_INTERPRETER:
        assert len(patterns.read_store(STORED)) == len(data["patterns"])
    for change in ({"version": [*sys.version_info[:2], sys.version_info[2] + 1, "final", 0]}, {"sre_magic": 0},
                   {"implementation": "pypy"}, {"byteorder": "big" if sys.byteorder == "little" else "little"}):
        other = tmp_path / "other.json"
        other.write_text(json.dumps(dict(data, interpreter=dict(data["interpreter"], **change))), encoding="utf-8")
        assert patterns.read_store(other) == {}, change
    for broken in ("", "{", "[]", '{"interpreter": 1}', json.dumps({"interpreter": patterns.interpreter()})):
        (tmp_path / "broken.json").write_text(broken, encoding="utf-8")
        assert patterns.read_store(tmp_path / "broken.json") == {}, broken
    assert patterns.read_store(tmp_path / "missing.json") == {}


@pytest.mark.parametrize("code", ["ffffffff", "00", "zz", ""])
def test_code_sre_refuses_is_compiled_from_the_source(monkeypatch, code):
    """A stored entry whose code _sre refuses (invalid SRE code, not hex) is compiled from the source: the same
    pattern as re.compile's, never an error. Red when compiled_pattern trusted the store without a fallback."""
    source = r"(?P<year>\d{2,3})年(\d{1,2})月"
    entry = patterns.stored_entry(source)
    entry[-1] = code
    monkeypatch.setattr(patterns, "_STORE", [{(source, 0): entry}])
    made = patterns.compiled_pattern(source)
    assert made == re.compile(source) and made.groupindex == {"year": 1}
    assert made.search("民國113年3月").groups() == ("113", "3")


def test_a_pattern_not_stored_is_compiled(monkeypatch):
    """A pattern whose source or flags are not exactly a stored one's (a pattern changed since the store was written)
    is compiled from its source."""
    source = r"預算數(\d+)"
    monkeypatch.setattr(patterns, "_STORE", [{(source, re.I): patterns.stored_entry(source, re.I)}])
    lazy = patterns.LazyPattern(source)
    assert lazy.search("預算數12").group(1) == "12" and lazy.flags == re.compile(source).flags == re.U
    assert patterns.compiled_pattern(source.encode(), 0) == re.compile(source.encode())


def test_the_store_is_what_patterncode_writes_now():
    """Every lazy pattern of xlbudget is stored, and nothing else, the patterns a convert of the bundled books has
    other modules compile, and every record's __init__ (in a fresh interpreter: this one made records of its own);
    with this interpreter, exactly as written now. Red after a pattern or a record's fields are changed without
    ``python -m xlbudget.app.patterncode``."""
    data = json.loads(STORED.read_text(encoding="utf-8"))
    stored = [(e[0].encode("latin-1") if e[1] else e[0], e[2]) for e in data["patterns"]]
    assert stored == module_patterns(), "run: python -m xlbudget.app.patterncode"
    written = subprocess.run([sys.executable, "-c", "import sys\nfrom xlbudget.app.patterncode import pattern_code_text\n"
                              "sys.stdout.buffer.write(pattern_code_text().encode('utf-8'))\n"],
                             capture_output=True, check=True, cwd=ROOT).stdout.decode("utf-8")
    fresh = json.loads(written)
    assert data["foreign"] == fresh["foreign"], "run: python -m xlbudget.app.patterncode"  # XlsxWriter upgraded, say
    assert sorted(patterns._inits(data["inits"])) == sorted(patterns._inits(fresh["inits"])), \
        "run: python -m xlbudget.app.patterncode"  # a record's fields changed
    if SAME_INTERPRETER:
        assert STORED.read_text(encoding="utf-8") == written, "run: python -m xlbudget.app.patterncode"
