#!/usr/bin/env bash
# Few-shot learning and the dense part probe at toy scale, on a CPU: what
# part supervision buys, plain against part-supervised (MPM) pre-training.
#   1. make the environment if missing,
#   2. generate a 32-class toy set in data/toy_pinpp_fewshot (24 annotated
#      images a class), convert it and split its classes 20 / 6 / 6 into
#      base / val / novel (each step skipped when done),
#   3. pre-train the toy ResNet-12 on the base classes, plain and with MPM's
#      part bypass,
#   4. score both on 2000 seeded 5-way 1-shot and 5-shot episodes of the
#      novel classes (the test of the MetaBaseline config),
#   5. probe both backbones' dense features for parts (linear probe and
#      over-clustering, on the novel classes' converted split lists),
#   6. print the table (also written to work_dirs/toy_fewshot/results.md).
# Usage: bash tools/run_toy_fewshot.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
PY="$(bash tools/misc/setup_env.sh)"
DATA=data/toy_pinpp_fewshot
OUT=work_dirs/toy_fewshot
mkdir -p "${OUT}"

"${PY}" tools/misc/make_toy_pinpp.py "${DATA}" --num-classes 32 \
    --annotated-per-class 24 --unannotated-per-class 0 --val-per-class 0
"${PY}" tools/dataset_converters/pinpp.py "${DATA}/release" "${DATA}/train" \
    "${DATA}/processed" --part-counts "${DATA}/meta/part_counts.tsv" \
    --link-images -j 2 > "${DATA}/conversion.log"
if [ ! -f "${DATA}/processed/class_split.json" ]; then
    "${PY}" tools/misc/make_class_split.py \
        --part-counts "${DATA}/meta/part_counts.tsv" --sizes 20 6 6 --seed 0 \
        "${DATA}/processed/class_split.json"
fi

EPISODES=configs/toy/meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px.py
for NAME in resnet12-w16_1xb32-30e_toy-fewshot-base-84px \
        mpm_resnet12-w16_1xb32-30e_toy-fewshot-base-84px; do
    CONFIG="configs/toy/${NAME}.py"
    WORK_DIR="work_dirs/${NAME}"
    if [ ! -f "${WORK_DIR}/epoch_30.pth" ]; then
        "${PY}" tools/train.py "${CONFIG}" --work-dir "${WORK_DIR}"
    fi
    "${PY}" tools/test.py "${EPISODES}" "${WORK_DIR}/epoch_30.pth" \
        --work-dir "${OUT}/${NAME}" --out "${OUT}/${NAME}/episodes.json"
    "${PY}" tools/analysis_tools/part_probe.py "${CONFIG}" \
        "${WORK_DIR}/epoch_30.pth" --data-root "${DATA}/processed" \
        --out "${OUT}/${NAME}/part_probe.json"
done
"${PY}" tools/misc/toy_fewshot_table.py "${OUT}" | tee "${OUT}/results.md"
