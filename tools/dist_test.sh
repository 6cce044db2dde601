#!/usr/bin/env bash
# Usage: [NNODES=1 NODE_RANK=0 PORT=29500 MASTER_ADDR=127.0.0.1] \
#        bash tools/dist_test.sh CONFIG CHECKPOINT NPROC_PER_NODE [test.py options]
# Without CUDA the processes use the gloo backend on the CPU.
# SCRIPT runs another tool taking CONFIG CHECKPOINT the same way, e.g.
# SCRIPT=tools/analysis_tools/robustness_suite.py or tools/pseudo_label.py.
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-"127.0.0.1"}
PYTHON=${PYTHON:-python}
SCRIPT=${SCRIPT:-$(dirname "$0")/test.py}

PYTHONPATH="$(dirname $0)/..":$PYTHONPATH \
$PYTHON -m torch.distributed.run \
    --nnodes=$NNODES \
    --node_rank=$NODE_RANK \
    --master_addr=$MASTER_ADDR \
    --nproc_per_node=$GPUS \
    --master_port=$PORT \
    $SCRIPT \
    $CONFIG \
    $CHECKPOINT \
    --launcher pytorch ${@:4}
