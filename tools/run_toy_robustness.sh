#!/usr/bin/env bash
# The robustness suite at toy scale, on a CPU:
#   1. make the environment and the toy PIN++ set if missing,
#   2. make the toy robustness root data/toy_robustness (skipped if present;
#      a root made before imagenet-a-plus/ was added is written again),
#   3. run configs/robustness/toy_suite.py on CONFIG's last checkpoint
#      (trained by tools/run_toy.sh; default: the MPM toy config).
# Usage: bash tools/run_toy_robustness.sh [CONFIG] [extra suite options]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
CONFIG=${1:-configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py}
PY="$(bash tools/misc/setup_env.sh)"
NAME="$(basename "${CONFIG}" .py)"
WORK_DIR=${WORK_DIR:-work_dirs/${NAME}}
if [ ! -f "${WORK_DIR}/last_checkpoint" ]; then
    echo "no checkpoint in ${WORK_DIR}: run bash tools/run_toy.sh ${CONFIG}" >&2
    exit 1
fi
"${PY}" tools/misc/make_toy_pinpp.py data/toy_pinpp
if [ ! -f data/toy_robustness/imagenet/meta/classes.txt ] ||
    [ ! -d data/toy_robustness/imagenet-a-plus ]; then
    "${PY}" tools/misc/make_toy_robustness.py data/toy_pinpp data/toy_robustness
fi
"${PY}" tools/analysis_tools/robustness_suite.py "${CONFIG}" \
    "$(cat "${WORK_DIR}/last_checkpoint")" --data-root data/toy_robustness \
    --suite configs/robustness/toy_suite.py --out "${WORK_DIR}/robustness" \
    "${@:2}"
