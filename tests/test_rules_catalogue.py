"""rules/ is a catalogue: small modules, one per family, every check registered, and no check anywhere else.

Read from the source with ast, like tests/test_layers.py, so a check defined but never run, or a 勾稽 written
back into derive/, is seen without running a book.
"""

import ast
import pathlib

from xlbudget.rules import checks

ROOT = pathlib.Path(__file__).resolve().parent.parent / "xlbudget"
MAX_LINES = 400
# the orchestrator's own entry points, and the check of tables the reader could not read (run by check_printed_sheets)
RUNNERS = {"check_book", "check_sheets", "check_printed_sheets", "check_printed", "check_people",
           "check_unreadable_tables", "check_inputs", "check_printed_narrative"}


def _public_checks(path: pathlib.Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("check_")]


def test_every_rules_module_is_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "rules").glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_no_check_outside_rules_in_the_pure_layers():
    """core, forms, readers and derive hold no check: a 勾稽 belongs beside the other rules of its table."""
    found = {f"{p.relative_to(ROOT)}:{name}" for layer in ("core", "forms", "readers", "derive")
             for p in (ROOT / layer).glob("*.py") for name in _public_checks(p)}
    assert found == set()


def test_every_check_of_the_catalogue_is_run():
    """Each check_* a family module defines is in BOOK_CHECKS, CONSISTENCY_CHECKS or PRINTED_CHECKS."""
    listed = {c.__name__ for c in checks.BOOK_CHECKS + checks.CONSISTENCY_CHECKS + checks.PRINTED_CHECKS}
    defined = {name for p in (ROOT / "rules").glob("*.py") for name in _public_checks(p)}
    assert defined - listed - RUNNERS == set()
