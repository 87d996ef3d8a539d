import hashlib
from pathlib import Path

import pytest

from xlbudget.app.example import example_workbook
from xlbudget.adapters.xlsxfile import save_atomic

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def example_book(tmp_path) -> Path:
    """The bundled example input book, saved to a temporary file."""
    return save_atomic(example_workbook(), tmp_path / "範例.xlsx")


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def said_wrong(finding) -> bool:
    """A finding that says a figure is wrong (錯誤, 警告, or a figure that cannot be read): not a 提示, and not
    a 總說明 amount no table holds (narrative-unverified, 無法驗證), which the example books' prose has many of."""
    from xlbudget.core.findings import Severity

    return finding.severity != Severity.INFO and finding.rule != "narrative-unverified"
