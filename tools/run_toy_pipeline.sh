#!/usr/bin/env bash
# The paper's whole method on the bundled toy data, from a fresh clone:
#   a. convert the toy PIN++ release into its own root, data/toy_pinpp/pipeline
#      (tools/run_toy.sh's data/toy_pinpp/processed is never touched),
#   b. train the toy part segmenter (SegFormer) on the human masks of
#      splits/train.txt,
#   c. pseudo-label the held-out annotated images (splits/val.txt + test.txt)
#      class-conditioned and unconditioned, and score both against their human
#      masks (tools/analysis_tools/eval_pseudo_labels.py),
#   d. pseudo-label the unannotated train images into the pipeline root,
#   e. train MPM on human + pseudo masks and on human masks only, both without
#      the held-out images,
#   f. test both: val top-1 (meta/val.txt) and the bypass's part mIoU on the
#      held-out human masks,
#   g. print one markdown table (also in work_dirs/toy_pipeline/results.md, all
#      numbers in results.json).
# Trained models are kept: a rerun skips finished trainings and resumes the
# pseudo labeller. Without the segmenter's final checkpoint everything is
# redone from the conversion on (older pseudo masks would come from another
# model).
# Usage: bash tools/run_toy_pipeline.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "${ROOT}"
PY="$(bash tools/misc/setup_env.sh)"
TOY=data/toy_pinpp
DATA=${TOY}/pipeline
WORK=work_dirs/toy_pipeline
SEG_CONFIG=configs/toy/segformer_mit-b0_1xb16-300i_toy-pinpp-parts-96x96.py
SEG_CKPT=${WORK}/segmenter/iter_300.pth
MPM_CONFIG=configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py
ON_DATA="train_dataloader.dataset.data_root=${DATA}
    val_dataloader.dataset.data_root=${DATA}
    test_dataloader.dataset.data_root=${DATA}"
START=${SECONDS}

"${PY}" tools/misc/make_toy_pinpp.py "${TOY}"
if [ ! -f "${SEG_CKPT}" ]; then
    rm -rf "${DATA}" "${WORK}"
fi
mkdir -p "${WORK}"

echo "== a. convert into ${DATA}"
"${PY}" tools/dataset_converters/pinpp.py ${TOY}/release ${TOY}/train "${DATA}" \
    --part-counts ${TOY}/meta/part_counts.tsv --object-masks \
    --link-images -j 2 > "${WORK}/conversion.log"

echo "== b. part segmenter on the human masks of splits/train.txt"
if [ ! -f "${SEG_CKPT}" ]; then
    # shellcheck disable=SC2086
    "${PY}" tools/train.py "${SEG_CONFIG}" --work-dir "${WORK}/segmenter" \
        --cfg-options ${ON_DATA} > "${WORK}/segmenter.log" 2>&1
fi

echo "== c. pseudo labels of the held-out annotated images, scored"
awk 'NF {print $1 ".JPEG"}' "${DATA}/splits/val.txt" "${DATA}/splits/test.txt" \
    > "${WORK}/held_out.txt"
awk 'NF {print $1}' "${DATA}/splits/val.txt" "${DATA}/splits/test.txt" \
    > "${WORK}/held_out_keys.txt"
for MODE in cond uncond; do
    FLAGS=()
    [ "${MODE}" = uncond ] && FLAGS=(--no-class-condition)
    "${PY}" tools/pseudo_label.py "${SEG_CONFIG}" "${SEG_CKPT}" \
        --data-root "${DATA}" --imagenet-train ${TOY}/train \
        --include-annotated --ann-file "${WORK}/held_out.txt" \
        --out-root "${WORK}/pseudo_eval_${MODE}" "${FLAGS[@]}" \
        > "${WORK}/pseudo_eval_${MODE}.log" 2>&1
    "${PY}" tools/analysis_tools/eval_pseudo_labels.py \
        "${WORK}/pseudo_eval_${MODE}" --gt-root "${DATA}" \
        --split "${ROOT}/${WORK}/held_out_keys.txt" \
        --out "${WORK}/pseudo_eval_${MODE}.json" > /dev/null
done

echo "== d. pseudo labels of the unannotated train images, into ${DATA}"
"${PY}" tools/pseudo_label.py "${SEG_CONFIG}" "${SEG_CKPT}" \
    --data-root "${DATA}" --imagenet-train ${TOY}/train \
    > "${WORK}/pseudo_label.log" 2>&1
tail -n 2 "${WORK}/pseudo_label.log"

echo "== e, f. MPM on human + pseudo masks and on human masks only"
# Train on meta/train.txt without the held-out images; test the bypass on
# their human masks (val top-1: the config's val set, through a config whose
# test set is it).
awk 'NR == FNR {held[$1]; next} !($1 in held)' "${WORK}/held_out.txt" \
    ${TOY}/meta/train.txt > "${WORK}/mpm_train.txt"
cat > "${WORK}/mpm_val_top1.py" <<EOF
_base_ = '${ROOT}/${MPM_CONFIG}'
test_dataloader = {{_base_.val_dataloader}}
test_evaluator = [{{_base_.val_evaluator}}]
EOF
for RUN in human_pseudo human; do
    MPM_WORK=${WORK}/mpm_${RUN}
    PSEUDO=True
    [ "${RUN}" = human ] && PSEUDO=False
    if [ ! -f "${MPM_WORK}/epoch_12.pth" ]; then
        # shellcheck disable=SC2086
        "${PY}" tools/train.py "${MPM_CONFIG}" --work-dir "${MPM_WORK}" \
            --cfg-options ${ON_DATA} \
            train_dataloader.dataset.ann_file="${ROOT}/${WORK}/mpm_train.txt" \
            train_dataloader.dataset.pseudo_maps=${PSEUDO} \
            > "${MPM_WORK}.log" 2>&1
    fi
    # shellcheck disable=SC2086
    "${PY}" tools/test.py "${MPM_CONFIG}" "${MPM_WORK}/epoch_12.pth" \
        --work-dir "${MPM_WORK}" --out "${MPM_WORK}/held_out_metrics.json" \
        --cfg-options ${ON_DATA} \
        test_dataloader.dataset.ann_file="${ROOT}/${WORK}/held_out_keys.txt" \
        >> "${MPM_WORK}.log" 2>&1
    # shellcheck disable=SC2086
    "${PY}" tools/test.py "${WORK}/mpm_val_top1.py" "${MPM_WORK}/epoch_12.pth" \
        --work-dir "${MPM_WORK}" --out "${MPM_WORK}/val_metrics.json" \
        --cfg-options ${ON_DATA} >> "${MPM_WORK}.log" 2>&1
done

echo "== g. results ($((SECONDS - START)) s)"
"${PY}" tools/misc/toy_pipeline_table.py "${WORK}"
