# Copyright (c) mmpart contributors. All rights reserved.
"""Images/s of tools/pseudo_label.py with 1 and N processes, one run.

    python tools/analysis_tools/benchmark_pseudo_label.py CONFIG \\
        --data-root data/toy_pinpp/processed \\
        --imagenet-train data/toy_pinpp/train [--checkpoint CKPT]

Each process gets one thread (``OMP_NUM_THREADS=1``) and loads its images
itself (``--num-workers 0``), so N processes use N cores and the ratio
measures how the sharding scales. Runs alternate (1, N, 1, N, ...) into
fresh output roots and the median images/s of each count is compared.
Without a checkpoint the segmenter keeps its initial weights (the speed
does not depend on them).
"""
import argparse
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import tempfile

import torch
from mmengine.runner import save_checkpoint

from mmpart.apis import init_part_segmentor

PROJECT_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args():
    parser = argparse.ArgumentParser(
        description='Pseudo-labelling images/s with 1 and N processes')
    parser.add_argument('config', help='part segmenter config')
    parser.add_argument('--checkpoint', help='its checkpoint (optional)')
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--imagenet-train', required=True)
    parser.add_argument('--procs', type=int, default=2,
                        help='processes to compare with one')
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--flip', action='store_true')
    return parser.parse_args()


def initial_checkpoint(config: str, data_root: str, folder: str) -> str:
    """Save the segmenter's initial weights, for a speed-only run."""
    model = init_part_segmentor(
        config, label_space=osp.join(data_root, 'label_space.tsv'))
    path = osp.join(folder, 'initial.pth')
    save_checkpoint(dict(state_dict=model.state_dict()), path)
    return path


def run_tool(args, procs: int, checkpoint: str, out_root: str) -> dict:
    """Run the tool with ``procs`` processes; return its report's run."""
    options = [
        '--data-root', args.data_root, '--imagenet-train',
        args.imagenet_train, '--out-root', out_root, '--batch-size',
        str(args.batch_size), '--num-workers', '0', '--device', 'cpu'
    ] + (['--flip'] if args.flip else [])
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHON=sys.executable,
               SCRIPT='tools/pseudo_label.py')
    if procs == 1:
        cmd = [sys.executable, 'tools/pseudo_label.py']
    else:
        cmd = ['bash', 'tools/dist_test.sh']
    cmd += [args.config, checkpoint] + ([str(procs)] if procs > 1 else [])
    subprocess.run(cmd + options, cwd=PROJECT_ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(osp.join(out_root, 'pseudo_label_report.json')) as f:
        return json.load(f)['run']


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as work:
        checkpoint = args.checkpoint or initial_checkpoint(
            args.config, args.data_root, work)
        speeds = {1: [], args.procs: []}
        for trial in range(args.repeat):
            for procs in speeds:
                run = run_tool(args, procs, checkpoint,
                               osp.join(work, f'out{procs}_{trial}'))
                speeds[procs].append(run['images_per_second'])
                images = run['images_labelled']
        print(f'device: CPU, {torch.get_num_threads()} cores visible, one '
              f'thread per process; {images} images, batch '
              f'{args.batch_size}, flip {args.flip}')
        for procs, values in speeds.items():
            print(f'pseudo_label procs={procs} images_per_second='
                  f'{statistics.median(values):.1f} (runs: '
                  f'{", ".join(f"{v:.1f}" for v in values)})')
        ratio = statistics.median(speeds[args.procs]) / statistics.median(
            speeds[1])
        print(f'pseudo_label_{args.procs}_vs_1 speedup={ratio:.2f}')


if __name__ == '__main__':
    main()
