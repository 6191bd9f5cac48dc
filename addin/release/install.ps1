# 绩效自评（jixiao）离线安装：Windows 10/11，64 位 Python 3.11 或 3.12。与 install.bat 相同。
# 用法：右键 → 使用 PowerShell 运行；或 powershell -ExecutionPolicy Bypass -File install.ps1 [-Jixiao D:\jixiao]
param([string]$Jixiao = "C:\jixiao")
$ErrorActionPreference = "Stop"
Set-Location -LiteralPath $PSScriptRoot

function Fail([string]$message) {
    Write-Host $message -ForegroundColor Red
    Read-Host "按回车键退出"
    exit 1
}

function Test-Python([string[]]$command, [string]$code) {
    try {
        $exe, $rest = $command
        & $exe @rest -c $code 2>$null | Out-Null
        return $LASTEXITCODE -eq 0
    } catch { return $false }
}

Write-Host "绩效自评（jixiao）离线安装，安装到 $Jixiao"
# ---- 0. 找本机的 64 位 Python 3.12 / 3.11 ----
$ok = "import sys, struct; sys.exit(not (sys.version_info[:2] in ((3, 11), (3, 12)) and struct.calcsize('P') == 8))"
$py = $null
foreach ($candidate in @(@("py", "-3.12-64"), @("py", "-3.11-64"), @("python", ""))) {
    $cmd = @($candidate | Where-Object { $_ -ne "" })
    if (Test-Python $cmd $ok) { $py = $cmd; break }
}
if (-not $py) {
    $bits32 = "import struct, sys; sys.exit(struct.calcsize('P') != 4)"
    if ((Test-Python @("py", "-3.12-32") "import sys") -or (Test-Python @("py", "-3.11-32") "import sys") -or (Test-Python @("python") $bits32)) {
        Fail ("错误：本机的 Python 是 32 位的。xlwings 的 Windows 安装包只有 64 位版本。`n" +
              "处理：另装 64 位 Python 3.11 或 3.12（python.org 的“Windows installer (64-bit)”），装好后重新运行。`n" +
              "      32 位和 64 位的 Excel 都用 64 位 Python。")
    }
    Fail ("错误：本机没有 64 位的 Python 3.11 或 3.12。`n" +
          "处理：从 https://www.python.org/downloads/windows/ 下载“Windows installer (64-bit)”，`n" +
          "      勾选“Add python.exe to PATH”安装后重新运行。32 位和 64 位的 Excel 都用 64 位 Python。")
}

$ErrorActionPreference = "Continue"
Write-Host "[1/4] 创建 Python 环境 $Jixiao\venv（$($py -join ' ')）"
$exe, $rest = $py
& $exe @rest -m venv "$Jixiao\venv"
if ($LASTEXITCODE -ne 0) { Fail "错误：无法创建 $Jixiao\venv（文件夹不可写？可用 -Jixiao D:\jixiao 指定其他文件夹）。" }
Write-Host "[2/4] 从 wheelhouse 文件夹离线安装 jixiao 及其依赖"
& "$Jixiao\venv\Scripts\python.exe" -m pip install --no-index --find-links wheelhouse --upgrade jixiao
if ($LASTEXITCODE -ne 0) { Fail "错误：离线安装失败（原因见上面的提示）。" }
Write-Host "[3/4] 安装 Excel 加载项（请先完全退出 Excel）"
& "$Jixiao\venv\Scripts\jixiao.exe" addin install
if ($LASTEXITCODE -ne 0) { Fail "错误：加载项没有装上（Excel 没有完全退出？退出后重新运行）。" }
Write-Host "[4/4] 自检"
& "$Jixiao\venv\Scripts\jixiao.exe" doctor
Write-Host "安装完成。打开 Excel，功能区会出现“绩效自评”选项卡。"
Read-Host "按回车键退出"
