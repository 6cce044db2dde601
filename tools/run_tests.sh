#!/usr/bin/env bash
# The test suite: makes the environment if it is missing, then runs pytest.
# Usage: bash tools/run_tests.sh [pytest options]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
PY="$(bash tools/misc/setup_env.sh)"
"${PY}" -m pytest tests "$@"
