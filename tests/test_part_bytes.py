"""safety.part_bytes reads a part in one read: the same bytes as zipfile's reader, and the same refusals."""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from xlbudget.adapters.safety import part_bytes

XML = ("<worksheet>" + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r}</v></c></row>' for r in range(1, 400))
       + "</worksheet>").encode()


def _zip(parts: dict[str, tuple[bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, (data, method) in parts.items():
            z.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return buf.getvalue()


def _flipped(raw: bytes, name: str, offset_in_data: int | None = None, header_offset: int | None = None) -> bytes:
    """``raw`` with one byte flipped: in ``name``'s compressed data (its middle, or ``offset_in_data``), or in its
    local header at ``header_offset``."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        info = z.getinfo(name)
    data = bytearray(raw)
    if header_offset is not None:
        data[info.header_offset + header_offset] ^= 0xFF
    else:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        data[start + (info.compress_size // 2 if offset_in_data is None else offset_in_data)] ^= 0xFF
    return bytes(data)


def _both(raw: bytes, name: str):
    """(what zipfile's reader gives or raises, what part_bytes gives or raises) for ``name``."""
    def outcome(read):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            try:
                return read(z, z.getinfo(name))
            except Exception as exc:  # noqa: BLE001 - the exception's type is what is compared
                return type(exc)
    return outcome(lambda z, i: z.read(i)), outcome(part_bytes)


def test_a_deflated_a_stored_and_an_empty_part_are_read_as_zipfile_reads_them():
    raw = _zip({"xl/worksheets/sheet1.xml": (XML, zipfile.ZIP_DEFLATED), "docProps/app.xml": (XML, zipfile.ZIP_STORED),
                "xl/empty.xml": (b"", zipfile.ZIP_DEFLATED), "xl/名稱.xml": (b"<x/>", zipfile.ZIP_DEFLATED)})
    for name in ("xl/worksheets/sheet1.xml", "docProps/app.xml", "xl/empty.xml", "xl/名稱.xml"):
        expected, got = _both(raw, name)
        assert isinstance(expected, bytes) and got == expected, name
    assert _both(raw, "xl/worksheets/sheet1.xml")[1] == XML


def _directory_crc_flipped(raw: bytes, name: str) -> bytes:
    """``raw`` with the CRC its central directory gives ``name`` changed: the part inflates whole, to other bytes
    than the ones the directory vouches for."""
    at = raw.index(b"PK\x01\x02")  # the first entry of the central directory
    while raw[at + 46:at + 46 + len(name)] != name.encode():
        at = raw.index(b"PK\x01\x02", at + 4)
    data = bytearray(raw)
    data[at + 16] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize("damage", ["data", "data-start", "signature", "name", "crc", "directory-crc"])
def test_a_damaged_part_raises_what_zipfile_raises(damage):
    raw = _zip({"xl/worksheets/sheet1.xml": (XML, zipfile.ZIP_DEFLATED), "xl/styles.xml": (b"<s/>", 8)})
    name = "xl/worksheets/sheet1.xml"
    if damage == "data":
        raw = _flipped(raw, name)
    elif damage == "data-start":
        raw = _flipped(raw, name, offset_in_data=0)
    elif damage == "signature":
        raw = _flipped(raw, name, header_offset=1)
    elif damage == "name":
        raw = _flipped(raw, name, header_offset=31)
    elif damage == "crc":  # the local header's CRC (zipfile checks the directory's): the part still reads
        raw = _flipped(raw, name, header_offset=14)
    else:
        raw = _directory_crc_flipped(raw, name)
    expected, got = _both(raw, name)
    assert got == expected
    if damage != "crc":
        assert expected in (zipfile.BadZipFile, zlib.error, EOFError)


def test_a_part_whose_second_half_is_lost_raises_what_zipfile_raises():
    """A half-synced copy: the part's last compressed bytes are zeros."""
    raw = _zip({"a.xml": (b"<a/>" * 10, zipfile.ZIP_DEFLATED), "xl/worksheets/sheet1.xml": (XML, zipfile.ZIP_DEFLATED)})
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    end = info.header_offset + 30 + len(info.filename) + info.compress_size
    raw = raw[:start] + b"\0" * (end - start) + raw[end:]
    expected, got = _both(raw, "xl/worksheets/sheet1.xml")
    assert got == expected and not isinstance(expected, bytes)
