@echo off
rem 绩效自评（jixiao）离线安装：Windows 10/11，64 位 Python 3.11 或 3.12。
rem 用法：双击 install.bat，或在命令提示符中 install.bat [安装文件夹]（默认 C:\jixiao）。
rem 不需要上网，不需要管理员权限（安装文件夹要可写）。每条命令在“使用说明.txt”中都有说明。
setlocal
cd /d "%~dp0"
set "JIXIAO=%~1"
if "%JIXIAO%"=="" set "JIXIAO=C:\jixiao"

echo 绩效自评（jixiao）离线安装，安装到 %JIXIAO%
echo.
rem ---- 0. 找本机的 64 位 Python 3.12 / 3.11 ----
set "PY="
py -3.12-64 -c "" >nul 2>&1 && set "PY=py -3.12-64"
if not defined PY py -3.11-64 -c "" >nul 2>&1 && set "PY=py -3.11-64"
if not defined PY python -c "import sys, struct; sys.exit(not (sys.version_info[:2] in ((3, 11), (3, 12)) and struct.calcsize('P') == 8))" >nul 2>&1 && set "PY=python"
if not defined PY goto :nopython

echo [1/4] 创建 Python 环境 %JIXIAO%\venv（%PY%）
%PY% -m venv "%JIXIAO%\venv" || goto :failed
echo [2/4] 从 wheelhouse 文件夹离线安装 jixiao 及其依赖
"%JIXIAO%\venv\Scripts\python.exe" -m pip install --no-index --find-links wheelhouse --upgrade jixiao || goto :failed
echo [3/4] 安装 Excel 加载项（请先完全退出 Excel）
"%JIXIAO%\venv\Scripts\jixiao.exe" addin install || goto :failed
echo [4/4] 自检
"%JIXIAO%\venv\Scripts\jixiao.exe" doctor
echo.
echo 安装完成。打开 Excel，功能区会出现“绩效自评”选项卡。
echo 以后在命令提示符中使用：%JIXIAO%\venv\Scripts\jixiao.exe --help
pause
exit /b 0

:nopython
py -3.12-32 -c "" >nul 2>&1 && goto :python32
py -3.11-32 -c "" >nul 2>&1 && goto :python32
python -c "import struct, sys; sys.exit(struct.calcsize('P') != 4)" >nul 2>&1 && goto :python32
echo 错误：本机没有 64 位的 Python 3.11 或 3.12。
echo 处理：在能上网的电脑上从 https://www.python.org/downloads/windows/ 下载
echo       “Windows installer (64-bit)”（如 python-3.12.x-amd64.exe），拷到本机运行，
echo       勾选“Add python.exe to PATH”，点 Install Now；装好后重新运行 install.bat。
echo       32 位和 64 位的 Excel 都用 64 位 Python。
pause
exit /b 1

:python32
echo 错误：本机的 Python 是 32 位的。xlwings 的 Windows 安装包只有 64 位版本（32 位 Python
echo       只能装到不含 xlwings DLL 的通用包，Excel 调不起来）。
echo 处理：另装 64 位 Python 3.11 或 3.12（python.org 的“Windows installer (64-bit)”），
echo       原来的 32 位 Python 可以保留；装好后重新运行 install.bat。
echo       32 位和 64 位的 Excel 都用 64 位 Python。
pause
exit /b 1

:failed
echo.
echo 错误：上一步没有成功（原因见上面的提示）。常见原因：Excel 没有完全退出；
echo       安装文件夹 %JIXIAO% 不可写（可指定其他文件夹：install.bat D:\jixiao）。
echo 处理后重新运行 install.bat 即可（已装好的部分会被覆盖更新）。
pause
exit /b 1
