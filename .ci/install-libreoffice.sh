#!/usr/bin/env bash
# Install the real engines the tests use (LibreOffice headless, CJK fonts, pdftoppm) when absent.
set -u
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc libreoffice-writer)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
# LibreOffice's Python bridge: tests/test_addin_vba_engine.py runs the add-in's VBA through UNO
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || need+=(python3-uno)
fc-list 2>/dev/null | grep -qi "Noto Serif CJK" || need+=(fonts-noto-cjk)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "需要安装 ${need[*]}，但没有 root 权限；LibreOffice 相关测试将跳过。" >&2; exit 0; fi
fi
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || echo "安装 ${need[*]} 失败；LibreOffice 相关测试将跳过。" >&2
elif command -v brew >/dev/null 2>&1; then
  brew install --cask libreoffice || true; brew install poppler || true
else
  echo "未找到 apt-get/brew，无法自动安装 LibreOffice；相关测试将跳过。" >&2
fi
exit 0
