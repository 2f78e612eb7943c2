#!/usr/bin/env bash
# Set up a virtual environment with the package and its test extra, then run the whole test suite.
#   PYTHON  interpreter to build the venv with (default: python3)
#   VENV    where the venv lives (default: .venv)
# Extra arguments go to pytest. Qt runs offscreen (tests/conftest.py sets QT_QPA_PLATFORM).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e '.[test]'
"$VENV/bin/python" -m ruff check .
# A crash (even at interpreter exit, after pytest's own handler is gone) prints every thread's Python stack.
export PYTHONFAULTHANDLER=1
exec "$VENV/bin/python" -m pytest "$@"
