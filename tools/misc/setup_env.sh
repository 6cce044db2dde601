#!/usr/bin/env bash
# Make the mmpart environment if it is missing, then print the path of its python.
#
#   bash tools/misc/setup_env.sh            # uses .venv at the project root
#   MMPART_VENV=/path/env bash ...          # another location
#   MMPART_PYTHON=$(which python) bash ...  # use an existing environment as it is
#
# A stamp file records what was installed; a second run with the same requirement
# files does nothing but print the python path. Set FORCE_CUDA=1 on a machine with
# nvcc to build mmcv's CUDA ops as well.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

if [ -n "${MMPART_PYTHON:-}" ]; then
    echo "${MMPART_PYTHON}"
    exit 0
fi

VENV="${MMPART_VENV:-${ROOT}/.venv}"
PY="${VENV}/bin/python"
STAMP="${VENV}/.mmpart_env_stamp"
WANT="$(cat "${ROOT}"/requirements/*.txt "${ROOT}/setup.py" "$0" | sha256sum | cut -d' ' -f1)"

if [ -f "${STAMP}" ] && [ "$(cat "${STAMP}")" = "${WANT}" ] && [ -x "${PY}" ]; then
    echo "${PY}"
    exit 0
fi

log() { echo "[setup_env] $*" >&2; }
start=$(date +%s)
log "making the environment in ${VENV} (about 15 min from scratch: mmcv's ops compile)"
[ -x "${PY}" ] || python3 -m venv "${VENV}"
PIP=("${PY}" -m pip install --disable-pip-version-check)

# Build tools first: torch needs setuptools>=77.0.3; mmcv's setup.py and mmengine's
# `mmpretrain::` config lookup need pkg_resources, removed in setuptools 82.
"${PIP[@]}" -q --upgrade pip "setuptools>=77.0.3,<82" wheel ninja "numpy<2" >&2
log "torch + torchvision"
"${PIP[@]}" -q -r "${ROOT}/requirements/stack.txt" "opencv-python<4.12" >&2
log "mmcv 2.1.0 with ops from source (MAX_JOBS=${MAX_JOBS:-$(nproc)}, FORCE_CUDA=${FORCE_CUDA:-0})"
MMCV_WITH_OPS=1 MAX_JOBS="${MAX_JOBS:-$(nproc)}" \
    "${PIP[@]}" -q --no-build-isolation "mmcv==2.1.0" >&2
log "mmpart, its test requirements and mim"
"${PIP[@]}" -q -r "${ROOT}/requirements/tests.txt" -r "${ROOT}/requirements/mim.txt" >&2
# torchattacks and openmim without their pins (see nodeps.txt).
"${PIP[@]}" -q --no-deps -r "${ROOT}/requirements/nodeps.txt" >&2
"${PIP[@]}" -q --no-build-isolation -e "${ROOT}" >&2
# Check the whole stack imports, compiled ops included.
"${PY}" -c "import mmcv.ops, mmseg.models, mmdet.models, mmpretrain.models, mmpart, torchattacks, imagecorruptions, mim; import torchvision.ops; print('stack ok')" >&2
echo "${WANT}" > "${STAMP}"
log "done in $(( $(date +%s) - start )) s"
echo "${PY}"
