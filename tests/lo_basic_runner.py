"""Run Basic macros of a document in LibreOffice (UNO), for tests/test_addin_vba_engine.py.

Started with a Python that has LibreOffice's ``uno`` module (Debian: python3-uno), not the
project's venv: ``python3 lo_basic_runner.py <document> <json list of [macro, args]>``. Prints a
JSON list with each macro's return value (or ``{"exception": …}``). The document is opened with
macros enabled (MacroExecutionMode 4 = ALWAYS_EXECUTE_NO_WARN) in a throw-away user profile.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def plain(x):
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (str, int, float, bool)) or x is None:
        return x
    return repr(x)


def main():
    doc_path, calls = sys.argv[1], json.loads(sys.argv[2])
    soffice = os.environ.get("JIXIAO_SOFFICE") or shutil.which("soffice") or "soffice"
    profile = tempfile.mkdtemp(prefix="jixiao-lo-basic-")
    pipe = f"jixiao_basic_{os.getpid()}"
    proc = subprocess.Popen([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--invisible",
                             "--norestore", "--nologo", "--nolockcheck", f"--accept=pipe,name={pipe};urp;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 - office still starting
                time.sleep(0.25)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        url = uno.systemPathToFileUrl(os.path.abspath(doc_path))
        doc = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("MacroExecutionMode", 4)))
        provider = doc.getScriptProvider()
        out = []
        for macro, args in calls:
            try:
                script = provider.getScript(f"vnd.sun.star.script:{macro}?language=Basic&location=document")
                out.append(plain(script.invoke(tuple(args), (), ())[0]))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                out.append({"exception": f"{type(exc).__name__}: {exc}"})
        print(json.dumps(out, ensure_ascii=False))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001 - the bridge goes away with the office
            pass
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()
