"""The domain core imports neither openpyxl nor xlwings (STYLE.md: dependencies point one way)."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "xlbudget"
# Every module of the layers that never touch a file or a workbook object (tests/test_layers.py has the rule).
CORE = sorted(".".join(p.relative_to(ROOT.parent).with_suffix("").parts)
              for layer in ("core", "forms", "readers", "derive", "rules") for p in (ROOT / layer).glob("*.py"))


def test_core_imports_no_workbook_library():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = [m for m in ('openpyxl', 'xlwings', 'python_calamine', 'pandas') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_numpy_or_pandas_on_any_path():
    """openpyxl imports numpy whenever it is installed (~100 ms of every start-up, and a large download in
    xlwings Lite), so nothing xlbudget declares or imports may bring numpy or pandas in (issue 12)."""
    import ast
    import pathlib
    import re
    import tomllib

    root = pathlib.Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = list(project["dependencies"]) + [d for ds in project.get("optional-dependencies", {}).values() for d in ds]
    names = {re.split(r"[<>=!~;\[ ]", d, maxsplit=1)[0].strip().lower() for d in declared}
    assert not names & {"numpy", "pandas"}, names
    imported = set()
    for path in (root / "xlbudget").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {(str(path), a.name.split(".")[0]) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add((str(path), node.module.split(".")[0]))
    assert not [(f, m) for f, m in imported if m in ("numpy", "pandas")]


def test_addin_start_up_imports_no_pdf_reader():
    """xlwings Lite's requirements.txt (README) lists no pypdf: the add-in must start without it."""
    code = ("import sys\nimport xlbudget.addin\n"
            "print(','.join(m for m in ('pypdf', 'xlbudget.app.publish', 'numpy', 'pandas') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""

