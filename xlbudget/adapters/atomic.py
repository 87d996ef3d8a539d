"""One atomic writer: a file appears whole under its name or not at all (a temporary file beside it, renamed).

Every file xlbudget writes goes through here: saved workbooks, exports, the convert manifest, the PDF.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Callable


TEMP_PREFIX = ".~xlbudget-"
# exactly what mkstemp makes of TEMP_PREFIX: 8 of [a-z0-9_], then the target's suffix; never an officer's file
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}\.(xlsx|xlsm|json|csv)")


def remove_stale_temps(folder: str | Path) -> int:
    """Remove our temporary files left in ``folder`` by a run killed outright; returns how many.

    Only names write_atomic makes (.~xlbudget-XXXXXXXX.xlsx …), only plain files, only in ``folder`` itself.
    """
    removed = 0
    for f in Path(folder).iterdir():
        if _TEMP_NAME.fullmatch(f.name) and f.is_file() and not f.is_symlink():
            try:
                f.unlink()
                removed += 1
            except OSError:  # in use or not ours to remove: left as it is
                pass
    return removed


def write_atomic(target: str | Path, write: Callable[[Path], None]) -> Path:
    """``write(tmp)`` into a temporary file beside ``target``, then rename it into place; returns ``target``.

    A failed ``write`` leaves no temporary file and an existing ``target`` as it was. The file gets the mode a
    plain write would give it (mkstemp makes it private).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
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
