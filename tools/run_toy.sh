#!/usr/bin/env bash
# The main job on the bundled toy data, from a fresh clone:
#   1. make the environment if it is missing (tools/misc/setup_env.sh),
#   2. generate the toy PIN++ release in data/toy_pinpp (skipped if present),
#   3. convert it to data/toy_pinpp/processed (finished images are skipped),
#   4. train CONFIG (default: MPM), 5. evaluate its last checkpoint,
#   6. print where the results and the checkpoint are.
# Usage: bash tools/run_toy.sh [CONFIG] [extra tools/train.py options]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
CONFIG=${1:-configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py}
PY="$(bash tools/misc/setup_env.sh)"
NAME="$(basename "${CONFIG}" .py)"
WORK_DIR=${WORK_DIR:-work_dirs/${NAME}}

"${PY}" tools/misc/make_toy_pinpp.py data/toy_pinpp
"${PY}" tools/dataset_converters/pinpp.py data/toy_pinpp/release \
    data/toy_pinpp/train data/toy_pinpp/processed \
    --part-counts data/toy_pinpp/meta/part_counts.tsv --object-masks --instances \
    --instances-format coco lvis --link-images -j 2 > "data/toy_pinpp/conversion.log"
echo "converted: data/toy_pinpp/processed (report: conversion_report.json)"
"${PY}" tools/train.py "${CONFIG}" --work-dir "${WORK_DIR}" "${@:2}"
CKPT="$(cat "${WORK_DIR}/last_checkpoint")"
"${PY}" tools/test.py "${CONFIG}" "${CKPT}" --work-dir "${WORK_DIR}" \
    --out "${WORK_DIR}/test_metrics.json"
echo "checkpoint:   ${CKPT}"
echo "test metrics: ${WORK_DIR}/test_metrics.json"
cat "${WORK_DIR}/test_metrics.json"; echo
