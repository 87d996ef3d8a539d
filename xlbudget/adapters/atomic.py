"""One atomic writer: a file appears whole under its name or not at all (a temporary file beside it, renamed).

Every file xlbudget writes goes through here: saved workbooks, exports, the convert manifest, the PDF.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Callable

from xlbudget.core.patterns import lazy


TEMP_PREFIX = ".~xlbudget-"
# exactly what mkstemp makes of TEMP_PREFIX: 8 of [a-z0-9_], then the target's suffix; never an officer's file
_TEMP_NAME = lazy(re.escape(TEMP_PREFIX) + r"[a-z0-9_]{8}\.(xlsx|xlsm|json|csv)")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path once resolved, or, both existing, one file under two
    names (another case of its name on a case-insensitive disk, as macOS's; a hard link; a share reached by two
    paths), which ``resolve()`` alone does not see. The one test of every door that must not write over its
    input."""
    a, b = Path(a), Path(b)
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing (or unreadable): not one existing file
        return False


NAME_MOST_BYTES = 255  # a file name's limit: Linux and macOS count UTF-8 bytes (NTFS's 255 UTF-16 units is never less)
SHORTENED_MARK = "…"  # where fit_name cut a name


def name_bytes(name: str) -> int:
    """How many bytes the file system counts in ``name`` (a Big5 name Linux gave in bytes counts as those bytes)."""
    return len(os.fsencode(name))


def fit_name(stem: str, tail: str = "", room: int = 0) -> str:
    """``stem + tail``, a file name to make, cut in the middle («…») when it would pass NAME_MOST_BYTES less ``room``
    (what a later rename adds, as «.過期»): ``tail`` (the suffix, a «-2», a backup's date) is kept whole, as are the
    stem's beginning and, in two thirds of what is left, its end (a flattened sub-folder's book keeps its own name).
    A name that fits is returned as it is; a cut one is the same for the same stem on every run."""
    most = NAME_MOST_BYTES - room - name_bytes(tail)
    if name_bytes(stem) <= most:
        return stem + tail
    most -= name_bytes(SHORTENED_MARK)
    end_bytes, end = most * 2 // 3, len(stem)
    while end > 0 and name_bytes(stem[end - 1:]) <= end_bytes:
        end -= 1
    start, used = 0, name_bytes(stem[end:])
    while start < end and used + name_bytes(stem[:start + 1]) <= most:
        start += 1
    return stem[:start] + SHORTENED_MARK + stem[end:] + tail


def remove_stale_temps(folder: str | Path) -> int:
    """Remove our temporary files left in ``folder`` by a run killed outright; returns how many.

    Only names write_atomic makes (.~xlbudget-XXXXXXXX.xlsx …), only plain files, only in ``folder`` itself, and
    never one a run still writes (``_in_use``): a build and a check --mark in one folder at once keep theirs.
    """
    removed = 0
    for f in Path(folder).iterdir():
        if _TEMP_NAME.fullmatch(f.name) and f.is_file() and not f.is_symlink() and not _in_use(f):
            try:
                f.unlink()
                removed += 1
            except OSError:  # in use or not ours to remove: left as it is
                pass
    return removed


def stale_temps_line(removed: int, folder: str | Path) -> str:
    """The one line saying ``removed`` temporary files of killed runs were removed from ``folder`` ('' for none):
    what build, check --mark, next-year, new and convert print (field report 11 §3.2)."""
    return f"已移除上次中斷留下的暫存檔 {removed} 個（{folder}）" if removed else ""


# where a temporary file cannot be locked (Windows: no flock), one this old is taken as left by a killed run; a
# file being written there cannot be removed anyway (open without share-delete)
STALE_SECONDS = 3600


def _hold(fd: int) -> bool:
    """Lock our temporary file's descriptor ``fd`` (flock) while it is written, so remove_stale_temps of another run
    (or of this one) passes it over; True when it is held, to be closed once the file is renamed. Where there is no
    flock (Windows), ``fd`` is closed at once (an open file cannot be renamed there) and False returned."""
    try:
        import fcntl
    except ImportError:
        os.close(fd)
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # a file system without locks (some network shares): written as before, unlocked
        pass
    return True


def _in_use(path: Path) -> bool:
    """Whether a run still writes the temporary file ``path``: its lock held (``_hold``); where there is no flock,
    younger than STALE_SECONDS. A file that cannot be opened or locked is taken as in use."""
    try:
        import fcntl
    except ImportError:
        try:
            return time.time() - path.stat().st_mtime < STALE_SECONDS
        except OSError:
            return True
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


# the file Excel (on Windows and macOS) and LibreOffice keep beside a book while it is open, and who keeps it
LOCK_FILES = (("~${}", "Excel"), (".~lock.{}#", "LibreOffice"))
ZIP_MAGIC = b"PK\x03\x04"  # how a zip begins: an .xlsx, .xlsm or .ods
# Excel's lock file is 165 bytes (the user's name, twice), LibreOffice's one line: a workbook is never so small
LOCK_MOST_BYTES = 4096


def is_lock_file(path: str | Path) -> bool:
    """Whether ``path``, named as a lock file is (~$預算.xlsx, .~lock.預算.xlsx#), holds what one holds: a few bytes,
    not a zip. A workbook someone named ~$x.xlsx (a valid zip) is a book, never refused nor passed over as a lock
    file, nor taking x.xlsx for open. One that cannot be read is taken by its name, as before."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(ZIP_MAGIC))
            return head != ZIP_MAGIC and os.fstat(f.fileno()).st_size <= LOCK_MOST_BYTES
    except OSError:
        return True


def lock_file(target: str | Path) -> tuple[Path, str] | None:
    """The lock file beside ``target`` saying it is open (``~$預算.xlsx``, ``.~lock.預算.xlsx#``) and the program
    that keeps it; None when there is none. Windows refuses to replace a book Excel has open (``output-locked``);
    macOS and Linux replace it, and the officer's next save in Excel or LibreOffice writes over ours."""
    target = Path(target)
    for pattern, program in LOCK_FILES:
        lock = target.with_name(pattern.format(target.name))
        try:
            found = lock.is_file()
        except OSError:  # a name past the file system's 255 bytes (a long book's own backup, ~$ before it): none
            continue     # can exist, and is_file raises for it (ENAMETOOLONG) where it answers False for ENOENT
        if found and is_lock_file(lock):
            return lock, program
    return None


def _lock_owner(lock: Path) -> str:
    """Who has the book open, as LibreOffice's lock file says (「名稱,帳號,主機,時間,…;」); '' when it does not."""
    try:
        fields = lock.read_bytes()[:1024].decode("utf-8").split(",")
    except (OSError, UnicodeDecodeError):
        return ""
    return next((f.strip() for f in fields[:2] if f.strip()), "") if len(fields) >= 4 else ""


def output_exists(target: str | Path, force: bool, source: str | Path | None = None) -> bool:
    """Whether ``target``, an output about to be written, exists and is to be kept (``output-exists``): the one rule
    of every door that writes a file (cli.new_output, app.pipeline.next_year_file). An existing file is replaced
    only with ``force`` (--force), or when it is ``source``, the book read (build's and check --mark's in-place
    write, which keeps a backup copy first)."""
    target = Path(target)
    return not force and target.exists() and not (source is not None and same_file(target, source))


def unwritable(target: str | Path) -> str | None:
    """Why ``target`` may not be written, as a rule id: it is open in Excel or LibreOffice (``output-open``: a lock
    file beside it), the file is read-only (``output-read-only``: its 唯讀 attribute, mode, or immutable flag), or
    its folder is (``folder-read-only``); None when all may be."""
    target = Path(target)
    if target.exists() and lock_file(target):
        return "output-open"
    if target.exists() and not os.access(target, os.W_OK):
        return "output-read-only"
    if target.parent.exists() and not os.access(target.parent, os.W_OK):
        return "folder-read-only"
    return None


def refuse_unwritable(target: str | Path, rule: str | None = None, **fields) -> None:
    """Raise OutputRefused (an InputError: «未寫出輸出檔（NAME）», not «輸入資料有誤») naming ``target`` itself (never
    our temporary file) when it may not be written. ``fields``: more a caller's own ``rule`` says."""
    from xlbudget.core.errors import OutputRefused
    from xlbudget.core.findings import make_finding

    target = Path(target)
    rule = rule or unwritable(target)
    if rule:
        lock, program = lock_file(target) or (Path(), "")
        owner = _lock_owner(lock) if program == "LibreOffice" else ""
        raise OutputRefused(make_finding(rule, None, name=target.name, folder=str(target.parent), lock=lock.name,
                                      program=program, owner=f"，由 {owner} 開啟" if owner else "", **fields),
                             target.name)


class AsRead:
    """A book as a command read it: its path and its state then (file_stamp), for the write
    that follows to refuse when another run (a second xlbudget, Excel saving) has written it since (``book-changed``:
    field report 11 §1.1, check --mark's marks of the old book spliced into the one build had just written)."""

    __slots__ = ("path", "state")

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.state = file_stamp(self.path)

    def changed(self) -> bool:
        """Whether the book is no longer the file read: replaced, rewritten, or removed."""
        return file_stamp(self.path) != self.state

    def refuse_changed(self) -> None:
        """Raise OutputRefused (``book-changed``, naming the book) when it has changed since it was read."""
        if self.changed():
            from xlbudget.core.errors import OutputRefused, shown_text
            from xlbudget.core.findings import make_finding

            name = shown_text(self.path.name)
            raise OutputRefused(make_finding("book-changed", None, name=name), name)


def file_stamp(path: str | Path) -> tuple | None:
    """What tells one version of a file from another (device, inode, size, modification time): a rename (every
    atomic save) changes its inode, a write in place its size or modification time. None for a file that is not
    there. The one stamp of a file: a book as a command read it (AsRead), convert's outputs as it wrote them."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def write_atomic(target: str | Path, write: Callable[[Path], None], mode: int | None = None, *,
                 as_read: AsRead | None = None) -> Path:
    """``write(tmp)`` into a temporary file beside ``target``, then rename it into place; returns ``target``.

    A failed ``write`` leaves no temporary file and an existing ``target`` as it was. A ``target`` that is a
    symbolic link is written where it points (the link stays a link: a book shared from another folder is the
    one rewritten, not cut off by a private copy in the link's place). The file keeps the permission bits the
    file it replaces had (a book closed to others stays closed, a group's book stays the group's), else gets
    ``mode``, else the mode a plain write would give it (mkstemp makes it private).
    ``as_read``: the book the content was made from, as it was read; when it has changed since, nothing is renamed
    into place (``book-changed``).
    """
    requested = target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    refuse_unwritable(target)  # a read-only file is not replaced behind the officer's back (a rename could)
    try:
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=target.suffix, dir=target.parent)
    except PermissionError:
        refuse_unwritable(target, unwritable(target) or "folder-read-only")
        raise
    except OSError as exc:
        if exc.errno == errno.EROFS:  # a read-only file system (a CD, a mounted share)
            refuse_unwritable(target, "folder-read-only")
        _refuse_no_room(target, exc)
        raise
    held = _hold(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, kept_mode(target, mode))
        if as_read is not None:  # the last moment before the rename: another run's write is never overwritten
            as_read.refuse_changed()
        os.replace(tmp, target)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, PermissionError):  # named as the target, not our temporary file: read-only, or open
            refuse_unwritable(target, unwritable(target) or "output-locked")
        _refuse_no_room(target, exc)
        raise
    finally:
        if held:
            os.close(fd)
    return requested


def kept_mode(target: str | Path, mode: int | None = None) -> int:
    """The permission bits a file written as ``target`` gets: those of the file there now, else ``mode``, else
    what a plain write gives (0666 less the umask)."""
    try:
        return os.stat(target).st_mode & 0o777
    except OSError:  # not there (yet): a new file
        if mode is not None:
            return mode & 0o777
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


# a full disk (a USB stick, a network share, a quota) or a file-size limit, as OSError gives it and as lxml's
# serialiser (openpyxl's sheets) names it: the officer's to free, not xlbudget's failure (field report 11 §3.1)
_NO_ROOM = {errno.ENOSPC: "disk-full", errno.EFBIG: "file-too-large"} \
    | ({errno.EDQUOT: "disk-full"} if hasattr(errno, "EDQUOT") else {})
_NO_ROOM_SAID = {f"IO_{errno.errorcode[code]}": rule for code, rule in _NO_ROOM.items()}


def _refuse_no_room(target: Path, exc: BaseException) -> None:
    """Raise OutputRefused (disk-full, file-too-large: exit 2, naming ``target`` and its folder, never our temporary
    file) when ``exc`` says there was no room to write; return otherwise."""
    if isinstance(exc, OSError):
        rule = _NO_ROOM.get(exc.errno)
    else:  # lxml.etree.SerialisationError («IO_ENOSPC»), told by name: lxml is not imported for this
        rule = _NO_ROOM_SAID.get(str(exc)) if type(exc).__name__ == "SerialisationError" else None
    if rule is not None:
        refuse_unwritable(target, rule)


def write_text_atomic(target: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """``text`` written atomically to ``target``; a file name in it that is not UTF-8 (Big5 bytes on Linux) shown with
    replacement characters (errors.shown_text), never a failed write (field report 5 §4.1)."""
    from xlbudget.core.errors import shown_text

    return write_atomic(target, lambda tmp: tmp.write_text(shown_text(text), encoding=encoding))
