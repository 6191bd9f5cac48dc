"""Look at a file before any parser touches it (hostile or broken workbooks → a clear Chinese ReadError).

Checked, in order: the file exists and is not empty; it is a zip (.xlsx/.xlsm/.ods) or an OLE
container (.xls, or an encrypted OOXML file); a Word report (.docx, .doc), an OpenDocument text (.odt) or a PDF —
whatever its name — is passed on as kind docx/doc/odt/pdf (``docx_loader`` reads it; its parts get the same checks);
any other file renamed .xlsx is refused; a
truncated/corrupt zip is refused; a zip without a workbook part is refused; password protection
(OLE with EncryptionInfo — msoffcrypto-tool tells) is refused; zip bombs are refused by declared
uncompressed size and compression ratio, and every part is inflated once through Python's zipfile
(which stops at the declared size and checks the CRC, so a part lying about its size is refused);
any XML part with a DOCTYPE/ENTITY declaration (entity bombs, XXE) is refused; very large sheets
are flagged ``big`` so loaders stream them and stop after a row cap. Macros are never executed:
openpyxl is used with keep_vba=False and nothing evaluates VBA.

The zip is opened once: a file of at most ``IN_MEMORY_BYTES`` is read into memory and its parts
inflated straight from there (same guarantees as zipfile: never more than the declared size, CRC
checked); the inflated bytes of the parts loaders read themselves (workbook, relationships,
styles, sheets up to ``big_sheet``) are kept in ``FileInfo.parts`` so they are not inflated again.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReadError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

XML_SCAN_BYTES = 64 * 1024                   # prolog bytes scanned for DOCTYPE/ENTITY
IN_MEMORY_BYTES = 32 * 1024 * 1024           # files up to this size are read once, into memory
KEEP_BYTES = 64 * 1024 * 1024                # inflated parts kept for the loaders, at most
KEEP_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml")
_CHUNK = 1 << 20
WORD_SUFFIXES = (".docx", ".docm", ".doc", ".dotx", ".wps")


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
    """What preflight learnt: the container kind, whether a sheet is big and, for a zip, every part
    name → its inflated (checked) bytes when a loader will want them, else None."""

    path: Path
    kind: str                    # "xlsx" | "xlsm" | "xls" | "ods" | "docx" | "doc" | "odt" | "pdf" (reports)
    big: bool = False
    sheet_sizes: dict[str, int] = field(default_factory=dict)
    parts: dict[str, bytes | None] | None = field(default=None, repr=False)


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
        return FileInfo(path=p, kind="pdf")      # a PDF report: docx_loader.load_pdf reads it best-effort
    low = head.lower()
    if low.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
        raise _fail("这是网页/XML 文本，不是 Excel 工作簿；请在 Excel 中另存为 .xlsx 后再试", path)
    if p.suffix.lower() in WORD_SUFFIXES:
        raise _fail("不是有效的 Word 文档：既不是 .docx（zip 格式）也不是 .doc（OLE 格式），可能已损坏或被改了扩展名", path)
    raise _fail("不是 Excel 工作簿：既不是 .xlsx（zip 格式）也不是 .xls（OLE 格式）", path)


def _check_zip(p: Path, lim: Limits) -> FileInfo:
    raw: bytes | None = None
    try:
        if p.stat().st_size <= IN_MEMORY_BYTES:
            raw = p.read_bytes()
            zf = zipfile.ZipFile(io.BytesIO(raw))
        else:
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
            # an OpenDocument text (.odt, a report saved by LibreOffice/WPS) is not a spreadsheet
            odt = zf.getinfo("mimetype").file_size < 128 and b"opendocument.text" in zf.read("mimetype")
            kind = "odt" if odt else "ods"
        elif "xl/workbook.xml" in names:
            kind = "xlsm" if "xl/vbaProject.bin" in names or p.suffix.lower() == ".xlsm" else "xlsx"
        elif "word/document.xml" in names:
            kind = "docx"                        # a Word report: read by docx_loader
        else:
            raise _fail("压缩包中没有工作簿内容（缺少 xl/workbook.xml），不是有效的 .xlsx 文件", p)
        info = FileInfo(path=p, kind=kind, parts={})
        kept = 0
        for i in infos:
            n = i.filename
            is_sheet = n.startswith("xl/worksheets/") and n.endswith(".xml")
            keep = (n in KEEP_PARTS or (is_sheet and i.file_size <= lim.big_sheet)
                    or (kind == "docx" and n == "word/document.xml")) and \
                kept + i.file_size <= KEEP_BYTES
            data = _check_part(zf, i, p, xml=n.endswith((".xml", ".rels", ".vml")), keep=keep, raw=raw)
            if data is not None:
                kept += len(data)
            info.parts[n] = data            # a repeated name: the last entry, as zipfile reads it
            if is_sheet:
                info.sheet_sizes[n] = i.file_size
                if i.file_size > lim.big_sheet:
                    info.big = True
            if kind == "ods" and n == "content.xml" and i.file_size > lim.big_sheet:
                info.big = True
        return info


def _check_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path, xml: bool, keep: bool = False,
                raw: bytes | None = None) -> bytes | None:
    """Inflate one part in chunks, discarding it unless ``keep`` (then its bytes are returned):
    never more than the declared size, and the CRC is checked, so a part that lies about its size
    (to slip past the ratio check, then bomb a parser that trusts the stream) fails here. XML parts
    that declare a DTD or entities (billion laughs, external entities) are refused. With the file
    in memory (``raw``) a stored/deflated part is inflated directly (``_inflate``); otherwise, and
    for anything unusual, through Python's zipfile (which stops at the declared size and checks
    the CRC)."""
    try:
        if raw is not None:
            data = _inflate(raw, info, keep, lambda head: _scan_dtd(head, info, p) if xml else None)
            if data is not False:
                return data
        kept: list[bytes] = []
        with zf.open(info) as f:
            head = f.read(XML_SCAN_BYTES)
            if xml:
                _scan_dtd(head, info, p)
            if keep:
                kept.append(head)
            while chunk := f.read(_CHUNK):
                if keep:
                    kept.append(chunk)
        return b"".join(kept) if keep else None
    except ReadError:
        raise
    except zipfile.BadZipFile as exc:
        why = "数据校验失败，内容与声明的大小或校验值不符" if "CRC" in str(exc) else str(exc)
        raise _fail(f"文件已损坏或被篡改（部件 {info.filename}：{why}），拒绝打开", p) from None
    except (OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise _fail(f"文件已损坏（部件 {info.filename} 无法解压：{exc}）", p) from None
    except zlib.error:
        raise _fail(f"文件已损坏（部件 {info.filename} 的压缩数据无法解压，可能是下载或拷贝中断）", p) from None
    except Exception as exc:  # noqa: BLE001 - other corrupt data
        raise _fail(f"文件已损坏（部件 {info.filename} 无法解压：{type(exc).__name__}）", p) from None


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")     # zipfile's local file header layout


def _inflate(raw: bytes, info: zipfile.ZipInfo, keep: bool, scan) -> bytes | None | bool:
    """Inflate a stored or deflated part straight from the file's bytes (what zipfile.open does,
    without its per-part overhead): local header checked, output bounded by the declared size
    (one byte more is a lie: refused), length and CRC-32 compared with the central directory.
    ``scan(head)`` sees the first XML_SCAN_BYTES. Returns the bytes when ``keep``, else None;
    False when the part is unusual (other compression, flags) — the caller uses zipfile then."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) or info.flag_bits & 0x61:
        return False
    off = info.header_offset
    header = raw[off:off + _LOCAL_HEADER.size]
    if len(header) != _LOCAL_HEADER.size:
        raise zipfile.BadZipFile("Truncated file header")
    fields = _LOCAL_HEADER.unpack(header)
    if fields[0] != b"PK\x03\x04":
        raise zipfile.BadZipFile("Bad magic number for file header")
    name_len, extra_len = fields[10], fields[11]
    start = off + _LOCAL_HEADER.size
    fname = raw[start:start + name_len]
    fname_str = fname.decode("utf-8") if fields[3] & 0x800 else fname.decode("cp437")
    if fname_str != info.orig_filename:
        raise zipfile.BadZipFile(f"File name in directory {info.orig_filename!r} and header {fname!r} differ.")
    start += name_len + extra_len
    comp = memoryview(raw)[start:start + info.compress_size]     # cut short: the CRC check fails
    size = info.file_size
    out: list[bytes] = []
    crc = 0
    total = 0
    if info.compress_type == zipfile.ZIP_STORED:
        chunks = [bytes(comp[:size + 1])]
    else:
        d = zlib.decompressobj(-15)
        chunks = _inflate_chunks(d, comp, size)
    head = b""
    for chunk in chunks:
        total += len(chunk)
        if total > size:
            break
        crc = zlib.crc32(chunk, crc)
        if len(head) < XML_SCAN_BYTES:
            head += chunk[:XML_SCAN_BYTES - len(head)]
            if len(head) >= XML_SCAN_BYTES:
                scan(head)
        if keep:
            out.append(chunk)
    if len(head) < XML_SCAN_BYTES:
        scan(head)
    if total != size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
    return b"".join(out) if keep else None


def _inflate_chunks(d, comp: memoryview, size: int):
    """Inflated chunks of at most _CHUNK bytes, stopping one byte past ``size`` (a lie)."""
    data = comp
    total = 0
    while total <= size:
        chunk = d.decompress(data, min(_CHUNK, size + 1 - total))
        if chunk:
            total += len(chunk)
            yield chunk
        data = d.unconsumed_tail
        if d.eof or (not chunk and not data):
            return


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
            if p.suffix.lower() in WORD_SUFFIXES:
                raise _fail("Word 文档设置了打开密码（已加密），无法读取；请在 Word/WPS 中取消密码后另存再试", p)
            raise _fail("工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再试", p)
        if "workbook" not in streams and "book" not in streams:
            if "worddocument" in streams:
                if _xls_encrypted(p):
                    raise _fail("Word 文档设置了打开密码（已加密），无法读取；请在 Word/WPS 中取消密码后另存再试", p)
                return FileInfo(path=p, kind="doc")     # Word 97–2003: docx_loader converts it
            raise _fail("OLE 文件中没有工作簿数据（缺少 Workbook 流），不是有效的 .xls 文件", p)
    if _xls_encrypted(p):
        raise _fail("工作簿设置了打开密码（已加密），无法读取；请在 Excel 中取消密码后另存再试", p)
    return FileInfo(path=p, kind="xls")


def _xls_encrypted(p: Path) -> bool:
    """BIFF8 files keep encryption in a FILEPASS record (a .doc in its FIB); msoffcrypto-tool tells."""
    try:
        import msoffcrypto

        with open(p, "rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # noqa: BLE001 - not decidable: let the loader try and report
        return False


# -- isolation: code that may abort the process (python-calamine) runs in a child -------------------

WORKER_MEMORY_MB = 4096          # address-space cap of a child / worker (POSIX), env JIXIAO_WORKER_MEMORY_MB
ISOLATED_TIMEOUT = 120.0         # seconds a child may take
CRASH_REASON = "读取时处理进程异常退出（文件可能损坏或过大），已停止读取"

# True in a process that is itself the isolation (a consolidation worker, an isolated child):
# code that would otherwise be sent to a child runs in place there.
IN_ISOLATION = False


def limit_memory() -> None:
    """Cap this process's address space (``WORKER_MEMORY_MB``, env ``JIXIAO_WORKER_MEMORY_MB``; 0 = no
    cap) so that an allocation a hostile file provokes fails in this process, not the machine;
    and mark the process as isolated (``IN_ISOLATION``)."""
    global IN_ISOLATION
    IN_ISOLATION = True
    try:
        import resource
    except ImportError:  # Windows
        return
    mb = int(os.environ.get("JIXIAO_WORKER_MEMORY_MB", WORKER_MEMORY_MB))
    if mb > 0:
        limit = mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard == resource.RLIM_INFINITY or hard > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def isolated(fn, *args, label: str | None = None, timeout: float = ISOLATED_TIMEOUT):
    """``fn(*args)`` in a child process with ``limit_memory``: a native abort (python-calamine's
    failed allocation aborts the whole process) or a hang becomes a ReadError naming ``label``.
    Already isolated (``IN_ISOLATION``): called in place. ``fn`` and its result must be picklable
    where the child is not forked (a threaded parent, Windows, macOS)."""
    if IN_ISOLATION:
        return fn(*args)
    import threading

    if hasattr(os, "fork") and threading.active_count() == 1:
        return _forked(fn, args, label, timeout)
    return _pooled(fn, args, label, timeout)


def _forked(fn, args, label, timeout):
    import pickle
    import select
    import signal
    import time

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                   # the child: run, send the outcome, never return
        try:
            os.close(r)
            limit_memory()
            try:
                out = ("ok", fn(*args))
            except ReadError as exc:
                out = ("read", (exc.message, exc.file, exc.cell))
            except BaseException as exc:  # noqa: BLE001 - sent to the parent as its own exception
                out = ("exc", exc)
            try:
                data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 - unpicklable: say what it was
                data = pickle.dumps(("exc", RuntimeError(f"{type(exc).__name__}: {exc}")))
            with os.fdopen(w, "wb") as f:
                f.write(data)
        finally:
            os._exit(0)
    os.close(w)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise ReadError(f"读取超时（超过 {timeout:.0f} 秒仍未完成）；文件可能过大或结构异常", file=label)
    if not chunks:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        raise ReadError(CRASH_REASON + (f"（信号 {sig}）" if sig else ""), file=label)
    return _outcome(pickle.loads(b"".join(chunks)))


_POOL = None


def _pooled(fn, args, label, timeout):
    """The same through a one-worker process pool (spawn/forkserver), kept for the next call."""
    global _POOL
    import multiprocessing as mp
    import sys
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures import TimeoutError as FutureTimeout
    from concurrent.futures.process import BrokenProcessPool

    if _POOL is None:
        method = "forkserver" if sys.platform.startswith("linux") else "spawn"
        try:
            _POOL = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context(method), initializer=limit_memory)
        except (OSError, ValueError, RuntimeError):   # no processes here: run in place
            return fn(*args)
    try:
        fut = _POOL.submit(_wrapped, fn, args)
        kind, value = fut.result(timeout=timeout)
    except FutureTimeout:
        _drop_pool()
        raise ReadError(f"读取超时（超过 {timeout:.0f} 秒仍未完成）；文件可能过大或结构异常", file=label) from None
    except BrokenProcessPool:
        _drop_pool()
        raise ReadError(CRASH_REASON, file=label) from None
    return _outcome((kind, value))


def kill_pool(ex) -> None:
    """Kill a ProcessPoolExecutor's workers now (a stuck or crashed one) and shut it down."""
    procs = list(getattr(ex, "_processes", {}).values())   # no public API to kill a stuck worker
    for p in procs:
        try:
            p.kill()
        except (OSError, AttributeError):
            pass
    ex.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.join(5)
        except (OSError, AssertionError, AttributeError):
            pass


def _drop_pool() -> None:
    global _POOL
    if _POOL is not None:
        kill_pool(_POOL)
        _POOL = None


def _wrapped(fn, args):
    try:
        return "ok", fn(*args)
    except ReadError as exc:
        return "read", (exc.message, exc.file, exc.cell)


def _outcome(out):
    kind, value = out
    if kind == "ok":
        return value
    if kind == "read":
        raise ReadError(*value)
    raise value
