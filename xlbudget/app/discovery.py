"""Finding the books a batch conversion is given: folders, globs and files, and every other path with why."""

from __future__ import annotations

import glob
import json
import os
import re
from pathlib import Path

from xlbudget.app.summary import NOT_A_BOOK, UNREADABLE
from xlbudget.core.findings import make_finding
from xlbudget.core.records import record

MANIFEST = ".xlbudget-convert.json"  # what convert keeps in its output folder: a folder holding it is one
OWN_FILES = (MANIFEST, "轉換摘要.xlsx", "轉換摘要.json")  # what convert writes there besides the books' outputs
OWN_LOWER = {n.lower() for n in OWN_FILES}
STALE_SUFFIX = ".過期"  # a failed book's earlier output, renamed: no tool takes it for a book, nor for this run's
BOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")  # what convert tries (.xls, .xlsb: how to convert it)
ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar")  # an agency's book sent zipped: named, never extracted
ZIPPED_BOOKS = (".xlsx", ".xlsm", ".ods")  # what an archive may hold that convert would convert


@record
class Passed:
    """A path given or found that is not converted: what it was and why (a row of the summary)."""

    source: str
    status: str  # NOT_A_BOOK (found in a folder) or UNREADABLE (named by the user, or not there)
    message: str
    reason: str = ""  # its rule id in core/findings


def _passed(source: str, status: str, rule: str, **fields) -> Passed:
    return Passed(source, status, make_finding(rule, None, **fields).message, rule)


# files the systems leave beside a folder's books (Windows marks them hidden, but a USB stick read elsewhere shows them)
SYSTEM_FILES = {"thumbs.db": "Windows 的縮圖快取檔", "ehthumbs.db": "Windows 的縮圖快取檔",
                "desktop.ini": "Windows 的資料夾設定檔"}
_HIDDEN_ATTRIBUTE = 2  # Windows' FILE_ATTRIBUTE_HIDDEN (os.stat's st_file_attributes)


def _zip(f: Path) -> bool:
    """Whether ``f`` begins as a zip does (a workbook), never as a resource fork (AppleDouble: 00 05 16 07)."""
    from xlbudget.adapters.xlsxfile import ZIP_MAGIC

    try:
        with open(f, "rb") as stream:
            return stream.read(len(ZIP_MAGIC)) == ZIP_MAGIC
    except OSError:
        return False


def _no_book(f: Path, rel: str) -> tuple[str, dict] | None:
    """Why a file found in a folder is no book whatever its suffix, as (rule, fields); None when it may be one.
    Excel's lock file (~$甲.xlsx), a macOS resource fork (._甲.xlsx: on a USB stick or a network share, beside
    every file a Mac copied there), Thumbs.db and desktop.ini, a hidden file or one in a hidden folder (.Trashes,
    __MACOSX, where an archive keeps the resource forks)."""
    from xlbudget.adapters.xlsxfile import locked_book

    name = f.name
    if locked_book(f) is not None:
        return "lock-file", {}
    if name.startswith("._") and not _zip(f):  # ._甲.xlsx that is a workbook is a book, whatever its name
        return "resource-fork", {}
    if name.lower() in SYSTEM_FILES:
        return "system-file", {"what": SYSTEM_FILES[name.lower()]}
    folders = rel.replace("\\", "/").split("/")[:-1]
    if name.startswith(".") or any(p.startswith(".") or p == "__MACOSX" for p in folders):
        return "hidden-file", {}
    try:
        if getattr(f.lstat(), "st_file_attributes", 0) & _HIDDEN_ATTRIBUTE:
            return "hidden-file", {}
    except OSError:
        pass
    return None


def _why_not_a_book(f: Path, rel: str, status: str) -> Passed:
    rule, fields = _no_book(f, rel) or _archive(f) or ("not-a-book", {"suffix": f.suffix or "（無）"})
    return _passed(str(f), status, rule, **fields)


def _earlier_output(f: Path, seen: dict) -> bool:
    """Whether ``f`` is what an earlier convert wrote in its output folder, told by the manifest it keeps there: an
    output it lists, 轉換摘要.xlsx/.json, a set-aside NAME.過期 or the manifest itself; never an agency's book to read.
    Any other file in that folder is read as before. ``seen``: each folder's names, its manifest read once."""
    folder = f.parent
    if folder not in seen:
        try:
            listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            listed = None
        seen[folder] = ({name.lower() for name in listed} | OWN_LOWER
                        if isinstance(listed, dict) else None)
    ours = seen[folder]
    return ours is not None and (f.name.lower() in ours or f.name.endswith(STALE_SUFFIX))


def _workbook_renamed(f: Path, names, suffix: str) -> tuple[str, dict] | None:
    """A zip that is a workbook under another name, by its directory ``names``: an Excel workbook (an .xlsm where it
    holds macros: named .xlsx, Excel refuses to open it), or an OpenDocument spreadsheet, told by its ``mimetype``
    part (xlsxfile.ods_content, which tells an .ods everywhere) — an .odt or .odp has one too, and is no book.
    None for any other zip."""
    if "xl/workbook.xml" in names:
        return "archive-is-workbook", {"suffix": suffix, "right": ".xlsm" if "xl/vbaProject.bin" in names else ".xlsx"}
    if "mimetype" in names and "content.xml" in names:
        from xlbudget.adapters.xlsxfile import ods_content

        if ods_content(f):
            return "archive-is-ods", {"suffix": suffix}
    return None


def _archive(f: Path) -> tuple[str, dict] | None:
    """What an archive holds, as (rule, fields), by its directory alone (safety.archive_names: nothing inflated,
    caps on the directory): the workbooks in it named (archive-with-books), none (archive-without-books), not known
    (archive-unlisted: a .7z or .rar, or a directory past the caps or unreadable), or a workbook renamed .zip
    (archive-is-workbook); None for a file that is no archive (field report 9 §5.5)."""
    from xlbudget.adapters.safety import archive_names

    suffix = f.suffix.lower()
    if suffix not in ARCHIVE_SUFFIXES:
        # an agency's workbook whose suffix was lost or garbled (an e-mail attachment saved as 「社會局」, a name ending
        # 「.xlsx 」 or 「.xlsx.」 that Windows would have trimmed) is a book not converted, as one renamed .zip is: never
        # 略過 as «不是活頁簿». Excel's own temporaries (8 hex digits, no suffix) and other suffixes (.tmp, .bak, .過期,
        # templates) stay what they were
        garbled = suffix.rstrip(" .") in BOOK_SUFFIXES and suffix.rstrip(" .") != suffix
        bare = not suffix and not re.fullmatch(r"[0-9A-Fa-f]{8}", f.name)
        if not _zip(f):
            return None
        renamed = _workbook_renamed(f, archive_names(f) or (), repr(f.suffix) if f.suffix else "（無）")
        if renamed is None or garbled or bare:
            return renamed
        # a workbook under a suffix of its own (Excel's temporary, 6A3F1B20 or ~WRL0001.tmp; a backup 甲局.xlsx.bak,
        # a template .xltx) is no agency's book, but is a workbook: never «不是 Excel 活頁簿»
        return "workbook-other-suffix", {"suffix": f.suffix or "（無）",
                                         "right": ".ods" if renamed[0] == "archive-is-ods" else renamed[1]["right"]}
    if suffix != ".zip":
        return "archive-unlisted", {"suffix": f.suffix, "why": "無法查看其內容"}
    names = archive_names(f)
    if names is None:
        return "archive-unlisted", {"suffix": f.suffix, "why": "內容過多或無法讀取，未查看"}
    renamed = _workbook_renamed(f, names, f.suffix)
    if renamed is not None:
        return renamed
    books = []
    for name in names:
        parts = name.replace("\\", "/").split("/")
        if (Path(parts[-1]).suffix.lower() in ZIPPED_BOOKS and not parts[-1].startswith(("~$", "._"))
                and not any(p.startswith(".") or p == "__MACOSX" for p in parts)):
            books.append(parts[-1])
    if not books:
        return "archive-without-books", {}
    shown = "、".join(books[:5]) + (f" 等 {len(books)} 本" if len(books) > 5 else "")
    return "archive-with-books", {"books": shown}


def discover_all(paths: list[str], exclude: Path | tuple[Path, ...] | None = None
                 ) -> tuple[list[tuple[Path, str]], list[Passed]]:
    """Every book under ``paths`` (file, name relative to where it was found), and every other path with why.

    Folders are searched recursively; globs match names relative to the part of
    the pattern before the first wildcard. Nothing is dropped without a word: a
    lock file, a non-workbook, a path that does not exist, a glob that matches
    nothing are each returned as ``Passed``. Files under ``exclude`` (the
    output folder, or several paths) are our own outputs and are not looked at.
    """
    found: list[tuple[Path, str]] = []
    passed: list[Passed] = []
    excluded = [e.resolve() for e in ((exclude,) if isinstance(exclude, Path) else exclude or ())]
    resolved: dict[Path, Path] = {}  # each file found, resolved once (ours, then a file found twice): 0.1 M
    # instructions a resolve (os.path.realpath, an lstat a folder of its path), three a book before

    def real(f: Path) -> Path:
        if f not in resolved:
            resolved[f] = f.resolve()
        return resolved[f]

    def ours(f: Path) -> bool:
        try:
            found_at = real(f)
        except (OSError, RuntimeError):  # a symlink loop
            return False
        return any(found_at == e or e in found_at.parents for e in excluded)

    def listed(f: Path) -> bool:
        """A file to take, or a link that goes nowhere or to a folder (a row saying so): not a folder, not ours."""
        return (f.is_file() or f.is_symlink()) and not ours(f)

    def take(f: Path, rel: str, named: bool) -> None:
        # a hidden book named on the command line is meant; a lock file or a resource fork never is a book
        why = _no_book(f, rel)
        book = f.suffix.lower() in BOOK_SUFFIXES and (why is None or named and why[0] == "hidden-file")
        if f.is_symlink() and not f.exists():  # a dangling link (or a loop): where it points is not there
            passed.append(_passed(str(f), UNREADABLE if book or named else NOT_A_BOOK, "broken-link",
                                  name=f.name, target=os.readlink(f)))
        elif f.is_dir():  # a link to a folder found in a folder: not followed (a loop, or books counted twice)
            passed.append(_passed(str(f), NOT_A_BOOK, "folder-link", name=f.name, target=os.readlink(f)))
        elif book:
            found.append((f, rel))
        else:  # named, it was asked for (無法讀取); but a resource fork, a system or hidden file is no one's book
            status = UNREADABLE if named and (why is None or why[0] == "lock-file") else NOT_A_BOOK
            passed.append(_why_not_a_book(f, rel, status))

    seen: dict[Path, set | None] = {}  # each folder: the names an earlier convert wrote there (None: not one)

    def take_found(files: list[Path], base: Path, given: Path | None = None) -> None:
        """Each of ``files``, named relative to ``base``; what an earlier convert wrote in an output folder found
        inside ``base`` not read, each such folder named once (略過; 無法讀取 when it is the folder ``given`` and
        nothing else was found). In ``base`` itself, the folder (or the glob's folder) the officer named, the earlier
        outputs are the books asked for (convert or compare of last run's output folder): read, only convert's
        轉換摘要, manifest and set-aside NAME.過期 named as not books."""
        earlier: dict[Path, int] = {}
        for f in files:
            if _earlier_output(f, seen) and (f.parent != base or f.name.lower() in OWN_LOWER
                                             or f.name.endswith(STALE_SUFFIX)):
                earlier[f.parent] = earlier.get(f.parent, 0) + 1
            else:
                take(f, f.relative_to(base).as_posix(), named=False)
        for folder, count in earlier.items():
            status = UNREADABLE if folder == given and count == len(files) else NOT_A_BOOK
            rule = "folder-earlier-output-read" if folder == base and count < len(files) else "folder-earlier-output"
            passed.append(_passed(str(folder), status, rule, name=str(folder), manifest=MANIFEST, count=count))

    def no_book(raw: str, files: list[Path], rule: str, mark: tuple[int, int]) -> None:
        """A folder (or glob) given whose files hold no book, each passed over as not one (a .csv, a .pdf, Excel's
        lock files): the path given is 無法讀取, so the run exits 2 as for an empty folder, not 0 with «共 0 本»
        as if it had converted what was asked (field report 20: a script took such a run for a done batch)."""
        if files and len(found) == mark[0] and not any(q.status == UNREADABLE for q in passed[mark[1]:]):
            passed.append(_passed(raw, UNREADABLE, rule, name=raw, count=len(files)))

    for raw in paths:
        mark = (len(found), len(passed))  # what this path adds: no_book looks at it
        p = Path(raw)
        if p.is_dir():
            files = [f for f in sorted(p.rglob("*")) if listed(f)]
            if not files:
                passed.append(_passed(raw, UNREADABLE, "folder-empty", name=raw))
            take_found(files, p, p)
            no_book(raw, files, "folder-no-book", mark)
        elif any(ch in raw for ch in "*?["):
            # names relative to the part of the pattern before its first wildcard: 局處/*/預算.xlsx → 甲局/預算.xlsx
            parts = Path(raw).parts
            fixed = next(i for i, part in enumerate(parts) if any(ch in part for ch in "*?["))
            base = Path(*parts[:fixed]) if fixed else Path(".")
            files = [Path(n) for n in sorted(glob.glob(raw, recursive=True)) if listed(Path(n))]
            if not files:
                passed.append(_passed(raw, UNREADABLE, "glob-empty", name=raw))
            take_found(files, base)
            no_book(raw, files, "glob-no-book", mark)
        elif p.is_symlink() and not p.exists():
            take(p, p.name, named=True)
        elif not p.exists():
            passed.append(_passed(raw, UNREADABLE, "path-missing", name=raw))
        else:
            take(p, p.name, named=True)
    # one file found twice (a link to it, or named twice) is converted once: as itself rather than as a link
    kept: dict[Path, tuple[Path, str]] = {}
    for f, rel in sorted(found, key=lambda fr: fr[0].is_symlink()):
        kept.setdefault(real(f), (f, rel))
    unique = []
    for f, rel in found:
        first = kept[real(f)]
        if first == (f, rel):
            unique.append((f, rel))
        elif first[0] != f:  # the same path named twice needs no row of its own
            passed.append(_passed(str(f), NOT_A_BOOK, "same-file", name=f.name, other=str(first[0])))
    return unique, passed


def discover(paths: list[str]) -> list[tuple[Path, str]]:
    """(file, name relative to the path it was found under) of every book under ``paths``, recursively."""
    return discover_all(paths)[0]


_REFUSED = '<>:"|?*'  # characters Windows refuses in a file name


def _windows_safe(stem: str) -> str:
    """``stem`` with each character Windows refuses in a name (and each control character) made «_». A name Linux
    gave in bytes that are not UTF-8 (Big5, surrogate-escaped) is read byte by byte, a Big5 pair kept whole: 育 is
    A8 7C, and its 0x7C, read as «|», made «_» gave A8 5F, Big5 灶 (教育局.xlsx's output named 教灶局.xlsx)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in stem):
        return "".join("_" if ch in _REFUSED or ord(ch) < 32 else ch for ch in stem)
    return _bytewise(stem, lambda b: ord("_") if chr(b) in _REFUSED or b < 32 else b)


def _bytewise(name: str, single) -> str:
    """A name Linux gave in bytes that are not UTF-8 (surrogate-escaped) with each byte that stands alone made
    ``single(byte)``, a two-byte character (Big5, or part of a UTF-8 one) kept whole: its second byte may read as an
    ASCII «|» or «\\»."""
    raw, out, i = os.fsencode(name), bytearray(), 0
    while i < len(raw):
        if 0x81 <= raw[i] <= 0xFE and i + 1 < len(raw):
            out += raw[i:i + 2]
            i += 2
            continue
        out.append(single(raw[i]))
        i += 1
    return os.fsdecode(bytes(out))


def _separated(rel: str) -> str:
    """``rel`` with each «\\» a folder separator «/» (a name made on Windows), but the second byte of a Big5 character
    in a name Linux gave in bytes: 許 is B3 5C, and its 0x5C read as «\\» cut 許可證.xlsx in two (its lead byte left
    alone before «__»), as _windows_safe keeps 育's 0x7C."""
    if "\\" not in rel or not any("\udc80" <= ch <= "\udcff" for ch in rel):
        return rel.replace("\\", "/")
    return _bytewise(rel, lambda b: ord("/") if b == 0x5C else b)


def output_names(books: list[tuple[Path, str]], suffix_for, room: int = 0, taken=(), kept=()) -> list[str]:
    """Collision-free output file names: folders flattened with '__', no '..' or separators left, none of ``taken``
    (the batch's own files: a book saved as 轉換摘要.xlsx is 轉換摘要-2.xlsx, never replaced by the summary); a name
    that would pass the file system's limit less ``room`` bytes (a sub-folder's name and a long file name together)
    cut in its middle (atomic.fit_name), never a write that fails.

    ``kept``: for each book, the name its output had in the last run into this folder (or None): a book keeps it
    where it is still one of the names it would be given (its own, or its own with -2, -3 …), before any other
    book is named. Names follow the order books are found in, so a book new this run (甲乙/丙.xlsx) sorted before
    last run's 甲乙__丙.xlsx took its output's name, and that book's output moved to 甲乙__丙-2.xlsx: the file an
    officer knew as one agency's became another's, unsaid (field report 20)."""
    from xlbudget.adapters.atomic import fit_name

    used: set[str] = {name.lower() for name in taken}
    stems = []
    for f, rel in books:
        parts = [p for p in _separated(rel).split("/") if p not in ("", ".", "..")]
        stem = "__".join(parts)[: -len(f.suffix)] if parts else f.stem
        stems.append(_windows_safe(stem) or "book")
    names: list[str | None] = [None] * len(books)
    for i, ((f, _), stem, last) in enumerate(zip(books, stems, kept)):
        if last and last.lower() not in used and _one_of_its_names(last, stem, suffix_for(f), room):
            names[i] = last
            used.add(last.lower())
    for i, ((f, _), stem) in enumerate(zip(books, stems)):
        if names[i] is not None:
            continue
        name = fit_name(stem, suffix_for(f), room)
        n = 2
        while name.lower() in used:
            name = fit_name(stem, f"-{n}{suffix_for(f)}", room)
            n += 1
        used.add(name.lower())
        names[i] = name
    return names


def _one_of_its_names(name: str, stem: str, suffix: str, room: int) -> bool:
    """Whether ``name`` is a name output_names could give a book of ``stem``: its own, or its own with -N."""
    from xlbudget.adapters.atomic import fit_name

    if name == fit_name(stem, suffix, room):
        return True
    _, _, tail = name[: -len(suffix)].rpartition("-") if name.endswith(suffix) else ("", "", "")
    return tail.isdigit() and tail.isascii() and int(tail) >= 2 and name == fit_name(stem, f"-{int(tail)}{suffix}", room)
