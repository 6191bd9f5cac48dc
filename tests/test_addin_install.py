"""`jixiao addin install/uninstall`: locations and xlwings configuration, on a fake home directory.

The configuration file is read back with xlwings' own reader (``xlwings.utils.read_user_config``),
the same ``"KEY","VALUE"`` format its VBA reads.
"""

from __future__ import annotations

import sys
import zipfile

import pytest

from addin.cli import main
from addin.excel import install


def fake_windows(tmp_path):
    return {"platform": "win32", "home": tmp_path,
            "env": {"APPDATA": str(tmp_path / "AppData" / "Roaming"), "USERPROFILE": str(tmp_path)}}


def xlwings_reads(path, monkeypatch):
    import xlwings
    from xlwings.utils import read_user_config

    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(path))
    return read_user_config()


def test_linux_is_not_supported(capsys):
    assert install.install(platform="linux") == 2
    assert "不支持" in capsys.readouterr().err
    if sys.platform.startswith("linux"):
        assert main(["addin", "install"]) == 2
        assert main(["addin", "uninstall"]) == 2


def test_windows_install_and_uninstall(tmp_path, monkeypatch, capsys):
    kw = fake_windows(tmp_path)
    conf = tmp_path / ".jixiao" / "jixiao.conf"
    conf.parent.mkdir()
    conf.write_text('"SHOW CONSOLE","True"\r\n', encoding="utf-8")
    assert install.install(**kw) == 0
    out = capsys.readouterr().out
    xlam = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "jixiao.xlam"
    assert str(xlam) in out and str(conf) in out
    with zipfile.ZipFile(xlam) as zf:
        assert b"addin.macroEnabled" in zf.read("[Content_Types].xml")
    cfg = xlwings_reads(conf, monkeypatch)
    assert cfg["interpreter_win"] == install.interpreter(None, "win32")
    assert cfg["udf modules"] == "udfs.excel"
    assert cfg["show console"] == "True"          # someone else's setting kept
    if install.source_root():
        assert cfg["pythonpath"] == install.source_root()

    assert install.uninstall(**kw) == 0
    assert not xlam.exists()
    assert xlwings_reads(conf, monkeypatch) == {"show console": "True"}


def test_uninstall_removes_our_config_entirely(tmp_path):
    kw = fake_windows(tmp_path)
    assert install.install(**kw) == 0
    conf = tmp_path / ".jixiao" / "jixiao.conf"
    assert conf.exists()
    assert install.uninstall(**kw) == 0
    assert not conf.exists() and not conf.parent.exists()


def test_install_copies_a_given_xlam_and_dry_run_writes_nothing(tmp_path, capsys):
    from addin.excel.xlam import build

    kw = fake_windows(tmp_path)
    assert install.install(dry_run=True, **kw) == 0
    assert not (tmp_path / "AppData").exists() and not (tmp_path / ".jixiao").exists()
    built = build(tmp_path / "dist.xlam")
    assert install.install(xlam=str(built), **kw) == 0
    target = install.layout(**kw).addin_path
    assert target.read_bytes() == built.read_bytes()
    with pytest.raises(Exception, match="找不到加载项文件"):
        install.install(xlam=str(tmp_path / "missing.xlam"), **kw)


def test_macos_locations(tmp_path, monkeypatch):
    import xlwings

    assert install.install(platform="darwin", home=tmp_path) == 0
    where = install.layout(platform="darwin", home=tmp_path)
    assert where.addin_path.exists() and "Startup.localized" in str(where.addin_path)
    assert where.config_file == tmp_path / "Library/Containers/com.microsoft.Excel/Data/jixiao.conf"
    cfg = xlwings_reads(where.config_file, monkeypatch)
    assert "interpreter_mac" in cfg
    script = tmp_path / "Library/Application Scripts/com.microsoft.Excel" / f"xlwings-{xlwings.__version__}.applescript"
    assert script.exists()
