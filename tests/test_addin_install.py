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


def fake_windows(tmp_path, codepage=936):
    return {"platform": "win32", "home": tmp_path, "codepage": codepage, "startup_path": lambda: None,
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
    assert cfg["udf modules"] == "jixiao_entry"
    assert cfg["add_workbook_to_pythonpath"] == "false"
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
    target = install.layout(kw["platform"], kw["home"], kw["env"]).addin_path
    assert target.read_bytes() == built.read_bytes()
    with pytest.raises(Exception, match="找不到加载项文件"):
        install.install(xlam=str(tmp_path / "missing.xlam"), **kw)


def test_macos_locations(tmp_path, monkeypatch):
    import xlwings

    assert install.install(platform="darwin", home=tmp_path, startup_path=lambda: None) == 0
    where = install.layout(platform="darwin", home=tmp_path)
    assert where.addin_path.exists() and "Startup.localized" in str(where.addin_path)
    assert where.config_file == tmp_path / "Library/Containers/com.microsoft.Excel/Data/jixiao.conf"
    cfg = xlwings_reads(where.config_file, monkeypatch)
    assert "interpreter_mac" in cfg
    from addin.excel.xlam_info import read_info

    assert read_info(where.addin_path).codepage == 1252     # ASCII VBA; UDFs are Windows-only anyway
    scripts = tmp_path / "Library/Application Scripts/com.microsoft.Excel"
    assert (scripts / f"xlwings-{xlwings.__version__}.applescript").exists()
    ours = (scripts / "jixiao.applescript").read_text(encoding="utf-8")     # 汇总各单位's folder chooser
    assert "on ChooseFolder(" in ours and "choose folder" in ours


def test_build_follows_the_ansi_code_page_and_says_which(tmp_path, capsys):
    """Issue #14 (4): 936 → the Chinese build; any other code page → the English build, whose VBA
    project (code page 1252) has no Chinese-named module."""
    from addin.excel.xlam_info import read_info

    for codepage, build, modules in ((936, 936, True), (1252, 1252, False)):
        home = tmp_path / str(codepage)
        kw = fake_windows(home, codepage)
        assert install.install(**kw) == 0
        out = capsys.readouterr().out
        info = read_info(install.layout(kw["platform"], home, kw["env"]).addin_path)
        assert info.codepage == build
        assert ("JixiaoFunctionsZH" in info.modules) is modules
        assert f"代码页为 {codepage}" in out
        assert ("中文版" if modules else "英文版") in out


def test_install_builds_against_the_installed_xlwings(tmp_path):
    import xlwings

    from addin.excel.xlam_info import read_info

    kw = fake_windows(tmp_path)
    assert install.install(**kw) == 0
    info = read_info(install.layout(kw["platform"], tmp_path, kw["env"]).addin_path)
    assert info.xlwings_version == xlwings.__version__
    assert f'xlwings64-{xlwings.__version__}.dll' in info.modules["xlwings"]


def test_install_refuses_an_addin_built_with_another_xlwings(tmp_path, monkeypatch, capsys):
    """Issue #14 (5): its VBA would load xlwings64-<other>.dll, which this xlwings does not ship."""
    import xlwings

    from addin.excel import xlam

    real = xlam.xlwings_bas
    monkeypatch.setattr(xlam, "xlwings_bas", lambda: real().replace(xlwings.__version__, "0.30.1"))
    old = xlam.build(tmp_path / "old.xlam")
    monkeypatch.setattr(xlam, "xlwings_bas", real)
    kw = fake_windows(tmp_path)
    with pytest.raises(install.WriteError, match="xlwings 0.30.1") as err:
        install.install(xlam=str(old), **kw)
    assert xlwings.__version__ in str(err.value) and "去掉 --xlam" in str(err.value)
    assert not install.layout(kw["platform"], tmp_path, kw["env"]).addin_path.exists()
    assert not (tmp_path / ".jixiao").exists()
    not_addin = tmp_path / "x.xlam"
    not_addin.write_bytes(b"PK\x05\x06" + bytes(18))
    with pytest.raises(Exception, match="不是有效的 Excel 加载项"):
        install.install(xlam=str(not_addin), **kw)


def test_config_is_written_in_the_code_page_xlwings_reads(tmp_path):
    """Issue #14 (10): VBA's Input # and xlwings' open() read the file in the ANSI code page: a
    Python under a Chinese user name is written in cp936 on Chinese Windows; one the code page
    cannot hold is refused in Chinese (it crashed with UnicodeEncodeError under strict mbcs)."""
    python = r"C:\Users\张三\AppData\Local\Programs\Python\Python311\python.exe"
    kw = fake_windows(tmp_path / "zh", 936)
    assert install.install(python=python, **kw) == 0
    raw = (tmp_path / "zh" / ".jixiao" / "jixiao.conf").read_bytes()
    assert f'"INTERPRETER_WIN","{python}"'.encode("cp936") in raw
    kw = fake_windows(tmp_path / "west", 1252)
    assert install.install(python=r"C:\Users\Zoë\Python311\python.exe", **kw) == 0
    assert "Zoë".encode("cp1252") in (tmp_path / "west" / ".jixiao" / "jixiao.conf").read_bytes()
    kw = fake_windows(tmp_path / "mixed", 1252)
    with pytest.raises(install.WriteError, match="张三.*cp1252"):
        install.install(python=python, **kw)


def test_xlstart_comes_from_excel_when_it_answers(tmp_path, capsys):
    custom = tmp_path / "Office" / "XLSTART"
    kw = {**fake_windows(tmp_path), "startup_path": lambda: str(custom)}
    assert install.install(**kw) == 0
    assert (custom / "jixiao.xlam").exists()
    assert "Excel 报告的启动文件夹" in capsys.readouterr().out
    assert install.install(**fake_windows(tmp_path / "b")) == 0
    assert "默认启动文件夹" in capsys.readouterr().out


def test_excel_startup_path_without_excel_is_none():
    if sys.platform.startswith("linux"):
        assert install.excel_startup_path() is None


def test_build_command_makes_either_locale(tmp_path, capsys):
    from addin.excel.xlam_info import read_info

    assert main(["addin", "build", "--locale", "en", "-o", str(tmp_path / "en.xlam")]) == 0
    assert main(["addin", "build", "-o", str(tmp_path / "zh.xlam")]) == 0
    assert read_info(tmp_path / "en.xlam").codepage == 1252 and read_info(tmp_path / "zh.xlam").codepage == 936
