#!/usr/bin/env bash
# Few-shot learning and the dense part probe at toy scale, on a CPU: what
# part supervision buys, plain against part-supervised (MPM) pre-training.
#   1. make the environment if missing,
#   2. generate a 32-class toy set in data/toy_pinpp_fewshot (24 annotated
#      images a class), convert it and split its classes 20 / 6 / 6 into
#      base / val / novel (each step skipped when done),
#   3. pre-train the toy ResNet-12 on the base classes, plain and with MPM's
#      part bypass,
#   4. score both on episodes of the novel classes by three protocols:
#      mmpart's MetaBaseline test (2000 seeded episodes), the official
#      MetaBaseline test (the split written in the official files, 80 px,
#      8000 episodes, t-interval) and DeepEMD's (40 seeded episodes),
#   5. probe both backbones' dense features for parts (linear probe and
#      over-clustering, on the novel classes' converted split lists),
#   6. run the official recipes end to end on the official files: the
#      part-aware MetaBaseline (classifier stage, meta stage) and DeepEMD
#      (pre-training, meta stage), each tested after each stage,
#   7. print the tables (also written to work_dirs/toy_fewshot/results.md).
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
if [ ! -f "${DATA}/official/deepemd/split/test.csv" ]; then
    "${PY}" tools/dataset_converters/pinpp_fewshot_official.py \
        "${DATA}/processed" "${DATA}/official" \
        --class-split "${DATA}/processed/class_split.json"
fi

# tools/test.py CONFIG CHECKPOINT into OUT/NAME/TAG.json, unless done.
score() {
    local config=$1 checkpoint=$2 name=$3 tag=$4
    if [ ! -f "${OUT}/${name}/${tag}.json" ]; then
        "${PY}" tools/test.py "${config}" "${checkpoint}" \
            --work-dir "${OUT}/${name}/${tag}" \
            --out "${OUT}/${name}/${tag}.json"
    fi
}
# tools/train.py CONFIG into work_dirs/, unless its last checkpoint is there.
train() {
    local name=$1 last=$2
    if [ ! -f "work_dirs/${name}/${last}" ]; then
        "${PY}" tools/train.py "configs/toy/${name}.py" \
            --work-dir "work_dirs/${name}"
    fi
}

T=configs/toy
EPISODES=${T}/meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-5way5shot-84px.py
OFFICIAL=${T}/meta-baseline_resnet12-w16_1xb100-4e_toy-fewshot-official-5way5shot-80px.py
DEEPEMD=${T}/deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-5way1shot-84px.py
for NAME in resnet12-w16_1xb32-30e_toy-fewshot-base-84px \
        mpm_resnet12-w16_1xb32-30e_toy-fewshot-base-84px; do
    train "${NAME}" epoch_30.pth
    CHECKPOINT="work_dirs/${NAME}/epoch_30.pth"
    score "${EPISODES}" "${CHECKPOINT}" "${NAME}" episodes
    score "${OFFICIAL}" "${CHECKPOINT}" "${NAME}" episodes_official
    score "${DEEPEMD}" "${CHECKPOINT}" "${NAME}" episodes_deepemd
    if [ ! -f "${OUT}/${NAME}/part_probe.json" ]; then
        "${PY}" tools/analysis_tools/part_probe.py "configs/toy/${NAME}.py" \
            "${CHECKPOINT}" --data-root "${DATA}/processed" \
            --out "${OUT}/${NAME}/part_probe.json"
    fi
done

# The official recipes, each stage tested.
PART_AWARE=part-aware-resnet12-w16_1xb32-30e_toy-fewshot-official-base-80px
PART_AWARE_META=meta-baseline-part-aware_resnet12-w16_1xb100-4e_toy-fewshot-official-5way5shot-80px
EMD_BASE=resnet12-w16_1xb32-30e_toy-fewshot-official-deepemd-base-84px
EMD_META=deepemd_resnet12-w16_1xb25-4e_toy-fewshot-official-5way1shot-84px
for PAIR in "${PART_AWARE} ${PART_AWARE_META}" "${EMD_BASE} ${EMD_META}"; do
    read -r FIRST META <<< "${PAIR}"
    train "${FIRST}" epoch_30.pth
    score "${T}/${META}.py" "work_dirs/${FIRST}/epoch_30.pth" "${META}" \
        first_stage
    train "${META}" epoch_4.pth
    score "${T}/${META}.py" "$(ls work_dirs/"${META}"/best_*.pth)" \
        "${META}" meta_stage
done
"${PY}" tools/misc/toy_fewshot_table.py "${OUT}" | tee "${OUT}/results.md"
