#!/usr/bin/env bash
# Launches training on the first two NVIDIA GPUs and logs their state first.
set -euo pipefail
cd "$(dirname "$0")"

export CUDA_VISIBLE_DEVICES="${CUDA_VISIBLE_DEVICES:-0,1}"
export CUDA_LAUNCH_BLOCKING=0
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
export NCCL_DEBUG=WARN

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
python train.py --epochs "${EPOCHS:-3}" "$@"
