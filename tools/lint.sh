#!/usr/bin/env bash
# Lint the project (settings in setup.cfg): flake8, then isort in check mode.
# Fails on any violation. Makes the environment if it is missing.
# Usage: bash tools/lint.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
PY="$(bash tools/misc/setup_env.sh)"
PATHS=(mmpart tools tests configs setup.py)
"${PY}" -m flake8 "${PATHS[@]}"
"${PY}" -m isort --check-only --diff "${PATHS[@]}"
echo "lint: flake8 and isort clean"
