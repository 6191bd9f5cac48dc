#!/usr/bin/env bash
# Pyodide (the Python of xlwings Lite) for tests/test_udfs_pyodide.py: the npm package into
# .cache/pyodide, when Node/npm are present. Tests skip without it; this never fails the run.
set -u
cd "$(dirname "$0")/.."
PYODIDE_VERSION=0.27.7
if [ -f .cache/pyodide/node_modules/pyodide/pyodide.mjs ] && grep -q "\"version\": \"$PYODIDE_VERSION\"" .cache/pyodide/node_modules/pyodide/package.json; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    apt-get install -y -qq nodejs npm >/dev/null 2>&1 || true
  fi
fi
if command -v npm >/dev/null 2>&1; then
  npm install --prefix .cache/pyodide --no-audit --no-fund --silent "pyodide@$PYODIDE_VERSION" \
    || echo "安装 pyodide 失败；Pyodide 测试将跳过。" >&2
else
  echo "未找到 npm；Pyodide 测试将跳过。" >&2
fi
exit 0
