"""What an add-in file holds, read back from its VBA project: the project code page (which build:
936 = zh, 1252 = en) and the xlwings version its xlwings module was taken from.

``jixiao addin install --xlam FILE`` uses it to refuse an add-in built with another xlwings than
the installed one — its VBA declares ``xlwings64-<version>.dll``, which only that xlwings ships.
MS-OVBA 2.4.1.3.1 (decompression) and 2.3.4.2 (dir stream records) are implemented here.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from workbook_templates.errors import ReadError

XLWINGS_VERSION = re.compile(r'XLWINGS_VERSION As String = "([^"]+)"')


def ovba_decompress(data: bytes) -> bytes:
    """The bytes of a CompressedContainer (MS-OVBA 2.4.1.3.1)."""
    if not data or data[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size, compressed = (header & 0x0FFF) + 3, header & 0x8000
        end = min(pos + size, len(data))
        pos += 2
        start = len(out)
        if not compressed:
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bit_count = max((len(out) - start - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bit_count)) + 3
                offset = (token >> (16 - bit_count)) + 1
                for _ in range(length):
                    out.append(out[-offset])
        pos = end
    return bytes(out)


def dir_records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    """(id, data) of every record of a decompressed dir stream (MS-OVBA 2.3.4.2)."""
    out, pos = [], 0
    while pos + 6 <= len(dir_stream):
        rid, size = struct.unpack_from("<HI", dir_stream, pos)
        pos += 6
        if rid == 0x0009:       # PROJECTVERSION: Reserved(4) is the size field, then 6 bytes
            size = 6
        out.append((rid, dir_stream[pos:pos + size]))
        pos += size
        if rid == 0x0010:       # end of dir stream
            break
    return out


@dataclass(frozen=True)
class XlamInfo:
    codepage: int
    modules: dict[str, str]          # module name → source text
    xlwings_version: str | None

    @property
    def locale(self) -> str:
        return "zh" if self.codepage == 936 else "en"


def read_info(path: str | Path) -> XlamInfo:
    """Code page, module sources and xlwings version of an .xlam/.xlsm (ReadError in Chinese)."""
    import olefile

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            vba = zf.read("xl/vbaProject.bin")
        ole = olefile.OleFileIO(io.BytesIO(vba))
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        raise ReadError(f"不是有效的 Excel 加载项（{type(exc).__name__}）", file=str(path)) from None
    try:
        records = dir_records(ovba_decompress(ole.openstream("VBA/dir").read()))
        codepage = next(struct.unpack("<H", d)[0] for rid, d in records if rid == 0x0003)
        codec = f"cp{codepage}"
        modules: dict[str, str] = {}
        stream = None
        for rid, d in records:
            if rid == 0x001A:
                stream = d.decode(codec)
            elif rid == 0x0031 and stream is not None:
                offset = struct.unpack("<I", d)[0]
                raw = ole.openstream(f"VBA/{stream}").read()
                modules[stream] = ovba_decompress(raw[offset:]).decode(codec, errors="replace")
                stream = None
    except (OSError, ValueError, StopIteration, IndexError, struct.error) as exc:
        raise ReadError(f"无法读取加载项中的 VBA 工程（{type(exc).__name__}）", file=str(path)) from None
    finally:
        ole.close()
    m = XLWINGS_VERSION.search(modules.get("xlwings", ""))
    return XlamInfo(codepage, modules, m.group(1) if m else None)
