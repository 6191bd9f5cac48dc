"""Look at a file before any parser touches it (hostile or broken workbooks → a clear Chinese ReadError).

Checked, in order: the file exists and is not empty; it is a zip (.xlsx/.xlsm/.ods) or an OLE
container (.xls, or an encrypted OOXML file); a PDF or other file renamed .xlsx is refused; a
truncated/corrupt zip is refused; a zip without a workbook part is refused; password protection
(OLE with EncryptionInfo — msoffcrypto-tool tells) is refused; zip bombs are refused by declared
uncompressed size and compression ratio, and every part is inflated once through Python's zipfile
(which stops at the declared size and checks the CRC, so a part lying about its size is refused);
any XML part with a DOCTYPE/ENTITY declaration (entity bombs, XXE) is refused; very large sheets
are flagged ``big`` so loaders stream them and stop after a row cap. Macros are never executed:
openpyxl is used with keep_vba=False and nothing evaluates VBA.
"""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReadError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

XML_SCAN_BYTES = 64 * 1024                   # prolog bytes scanned for DOCTYPE/ENTITY


@dataclass(frozen=True)
class Limits:
    """Refusal thresholds. A unit's 自评表 is a few hundred KB; these leave wide room."""

    max_total: int = 512 * 1024 * 1024      # all parts together, declared uncompressed bytes
    max_part: int = 256 * 1024 * 1024       # one part, declared uncompressed bytes
    max_ratio: int = 200                    # declared uncompressed ÷ compressed, for parts ≥ ratio_min
    ratio_min: int = 1024 * 1024
    max_parts: int = 10000
    big_sheet: int = 8 * 1024 * 1024        # a sheet part this large is streamed with a row cap


DEFAULT_LIMITS = Limits()
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass
class FileInfo:
    """What preflight learnt: the container kind and whether a sheet is big."""

    path: Path
    kind: str                    # "xlsx" | "xlsm" | "xls" | "ods"
    big: bool = False
    sheet_sizes: dict[str, int] = field(default_factory=dict)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} KB"


def _fail(msg: str, path: str | os.PathLike) -> ReadError:
    return ReadError(msg, file=str(path))


def preflight(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS) -> FileInfo:
    """Check ``path`` is a workbook we can open safely; raise ReadError (Chinese) when not."""
    p = Path(path)
    if not p.exists():
        raise _fail("文件不存在", path)
    if p.is_dir():
        raise _fail("这是一个文件夹，不是工作簿文件", path)
    if not p.is_file():   # FIFO, device, socket: opening could block forever
        raise _fail("不是普通文件（可能是管道或设备），不是工作簿文件", path)
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise _fail(f"无法打开文件（{exc.strerror or exc}）", path) from None
    if size == 0:
        raise _fail("文件为空（0 字节），不是有效的工作簿", path)
    if head.startswith(ZIP_MAGIC):
        return _check_zip(p, limits)
    if head.startswith(OLE_MAGIC):
        return _check_ole(p)
    if head.startswith(b"%PDF"):
        raise _fail("这是 PDF 文件，不是 Excel 工作簿（扩展名可能被改过）；请提供 .xlsx 或 .xls 文件", path)
    low = head.lower()
    if low.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        raise _fail("这是网页/XML 文本，不是 Excel 工作簿；请在 Excel 中另存为 .xlsx 后再试", path)
    raise _fail("不是 Excel 工作簿：既不是 .xlsx（zip 格式）也不是 .xls（OLE 格式）", path)


def _check_zip(p: Path, lim: Limits) -> FileInfo:
    try:
        zf = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        raise _fail("文件已损坏或不完整（zip 结构无法读取，可能是下载或拷贝中断）", p) from None
    except OSError as exc:
        raise _fail(f"无法读取文件（{exc}）", p) from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if len(infos) > lim.max_parts:
            raise _fail(f"文件包含的部件过多（{len(infos)} 个），疑似恶意构造，拒绝打开", p)
        total = 0
        for i in infos:
            if i.flag_bits & 0x1:
                raise _fail("压缩包内容设置了密码（已加密），无法读取；请提供未加密的工作簿", p)
            total += i.file_size
            if i.file_size > lim.max_part:
                raise _fail(f"文件中的部件 {i.filename} 解压后过大（{_size(i.file_size)}），疑似“压缩炸弹”，拒绝打开", p)
            if i.file_size >= lim.ratio_min and i.file_size > lim.max_ratio * max(i.compress_size, 1):
                raise _fail(f"文件中的部件 {i.filename} 压缩比异常（{i.file_size // max(i.compress_size, 1)} 倍），"
                            "疑似“压缩炸弹”，拒绝打开", p)
        if total > lim.max_total:
            raise _fail(f"文件解压后总大小过大（{_size(total)}），疑似“压缩炸弹”，拒绝打开", p)
        if "xl/workbook.bin" in names:
            raise _fail("这是 .xlsb（二进制工作簿）格式，暂不支持；请在 Excel 中另存为 .xlsx", p)
        if "content.xml" in names and "mimetype" in names:
            kind = "ods"
        elif "xl/workbook.xml" in names:
            kind = "xlsm" if "xl/vbaProject.bin" in names or p.suffix.lower() == ".xlsm" else "xlsx"
        elif "word/document.xml" in names:
            raise _fail("这是 Word 文档（.docx），不是 Excel 工作簿", p)
        else:
            raise _fail("压缩包中没有工作簿内容（缺少 xl/workbook.xml），不是有效的 .xlsx 文件", p)
        info = FileInfo(path=p, kind=kind)
        for i in infos:
            n = i.filename
            _check_part(zf, i, p, xml=n.endswith((".xml", ".rels", ".vml")))
            if n.startswith("xl/worksheets/") and n.endswith(".xml"):
                info.sheet_sizes[n] = i.file_size
                if i.file_size > lim.big_sheet:
                    info.big = True
            if kind == "ods" and n == "content.xml" and i.file_size > lim.big_sheet:
                info.big = True
        return info


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path, xml: bool) -> None:
    """Inflate one part in chunks, discarding it: Python's zipfile never yields more than the
    declared size and checks the CRC, so a part that lies about its size (to slip past the ratio
    check, then bomb a parser that trusts the stream) fails here. XML parts that declare a DTD or
    entities (billion laughs, external entities) are refused."""
    try:
        with zf.open(info) as f:
            head = f.read(XML_SCAN_BYTES)
            if xml:
                _scan_dtd(head, info, p)
            while f.read(1 << 20):
                pass
    except ReadError:
        raise
    except zipfile.BadZipFile as exc:
        why = "数据校验失败，内容与声明的大小或校验值不符" if "CRC" in str(exc) else str(exc)
        raise _fail(f"文件已损坏或被篡改（部件 {info.filename}：{why}），拒绝打开", p) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _fail(f"文件已损坏（部件 {info.filename} 无法解压：{exc}）", p) from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends: corrupt data
        raise _fail(f"文件已损坏（部件 {info.filename} 无法解压：{type(exc).__name__}）", p) from None


def _scan_dtd(head: bytes, info: zipfile.ZipInfo, p: Path) -> None:
    text = head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    elif len(head) > 1 and head[1:2] == b"\x00":
        text = head.decode("utf-16-le", errors="ignore").encode("utf-8", errors="ignore")
    if _DTD.search(text):
        raise _fail(f"文件中的 XML 部件 {info.filename} 含有 DOCTYPE/ENTITY 声明（可能是“实体炸弹”或外部实体攻击），拒绝打开", p)


def _check_ole(p: Path) -> FileInfo:
    import olefile

    try:
        ole = olefile.OleFileIO(str(p))
    except Exception:  # noqa: BLE001 - olefile raises OSError and others on bad containers
        raise _fail("文件已损坏或不完整（OLE 结构无法读取）", p) from None
    with ole:
        streams = {"/".join(s).lower() for s in ole.listdir(streams=True, storages=True)}
        if "encryptioninfo" in streams or "encryptedpackage" in streams:
            raise _fail("工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再试", p)
        if "workbook" not in streams and "book" not in streams:
            if "worddocument" in streams:
                raise _fail("这是 Word 文档（.doc），不是 Excel 工作簿", p)
            raise _fail("OLE 文件中没有工作簿数据（缺少 Workbook 流），不是有效的 .xls 文件", p)
    if _xls_encrypted(p):
        raise _fail("工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再试", p)
    return FileInfo(path=p, kind="xls")


def _xls_encrypted(p: Path) -> bool:
    """BIFF8 files keep encryption in a FILEPASS record; msoffcrypto-tool tells."""
    try:
        import msoffcrypto

        with open(p, "rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # noqa: BLE001 - not decidable: let the loader try and report
        return False
