"""One atomic writer: a file appears whole under its name or not at all (a temporary file beside it, renamed).

Every file xlbudget writes goes through here: saved workbooks, exports, the convert manifest, the PDF.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable


def write_atomic(target: str | Path, write: Callable[[Path], None]) -> Path:
    """``write(tmp)`` into a temporary file beside ``target``, then rename it into place; returns ``target``.

    A failed ``write`` leaves no temporary file and an existing ``target`` as it was. The file gets the mode a
    plain write would give it (mkstemp makes it private).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~xlbudget-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """``text`` written atomically to ``target``."""
    return write_atomic(target, lambda tmp: tmp.write_text(text, encoding=encoding))
