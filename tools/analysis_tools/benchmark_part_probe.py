# Copyright (c) mmpart contributors. All rights reserved.
"""Peak memory and time of the dense part probe's training steps, one run.

    python tools/analysis_tools/benchmark_part_probe.py \\
        [--classes 3311] [--channels 2048] [--feature-size 7] \\
        [--label-size 224] [--batch-size 4] [--steps 2]

Random features and part maps in the shape of a full-scale probe (the
official label space's 3311 classes, ResNet-50's last stage at 224 px by
default) are trained for ``--steps`` steps of one batch, twice, each in a
fresh process so that its peak resident memory is its own:

- ``accumulated``: :func:`mmpart.evaluation.functional.train_linear_probe`,
  which accumulates the gradient of the batch's mean loss one image at a
  time;
- ``whole_batch``: the same steps with the loss of the whole batch's
  upsampled logits at once, the plain way.

It prints the ratio of the two peaks above the process's memory before
training (whole batch / accumulated) and of their times, and whether the
two trained probes agree (the exit code is 1 when they do not, or when the
accumulated run fails). A whole-batch run that fails, killed for memory
at full scale with a large batch, is reported as such.
"""
import argparse
import os.path as osp
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

from mmpart.evaluation.functional import LinearPartProbe, train_linear_probe
from mmpart.structures import MAP_IGNORE_INDEX


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Dense part probe training: per-image accumulation '
        'against whole-batch steps')
    parser.add_argument('--classes', type=int, default=3311,
                        help='part classes, the background included')
    parser.add_argument('--channels', type=int, default=2048)
    parser.add_argument('--feature-size', type=int, default=7)
    parser.add_argument('--label-size', type=int, default=224)
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--steps', type=int, default=2)
    # What the parent process asks of each child.
    parser.add_argument('--only', choices=['accumulated', 'whole_batch'],
                        help=argparse.SUPPRESS)
    parser.add_argument('--out', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if min(args.classes, args.channels, args.feature_size, args.label_size,
           args.batch_size, args.steps) < 1:
        parser.error('every size must be positive')
    return args


def peak_mib() -> float:
    """The process's peak resident memory so far, in MiB (Linux reports
    ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def whole_batch_steps(features, labels, num_classes, steps):
    """``train_linear_probe``'s steps (one batch of all the images per
    epoch, seed 0, lr 1e-2) with the whole batch's loss at once."""
    generator = torch.Generator().manual_seed(0)
    flat = features.transpose(0, 1).flatten(1)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        probe = LinearPartProbe(flat.mean(1), flat.std(1).clamp_min(1e-6),
                                num_classes)
    optimizer = torch.optim.AdamW(probe.parameters(), lr=1e-2)
    for _ in range(steps):
        index = torch.randperm(len(features), generator=generator)
        logits = F.interpolate(probe(features[index]),
                               size=labels.shape[-2:],
                               mode='bilinear',
                               align_corners=False)
        optimizer.zero_grad()
        F.cross_entropy(logits, labels[index],
                        ignore_index=MAP_IGNORE_INDEX).backward()
        optimizer.step()
    return probe


def run_variant(variant: str, args: argparse.Namespace) -> None:
    """Train one variant on the seeded data; write its peak memory above
    the start, its time and its trained weights to ``args.out``."""
    generator = torch.Generator().manual_seed(0)
    features = torch.randn(args.batch_size, args.channels, args.feature_size,
                           args.feature_size, generator=generator)
    labels = torch.randint(0, args.classes,
                           (args.batch_size, args.label_size,
                            args.label_size), generator=generator)
    labels[:, 0] = MAP_IGNORE_INDEX
    before = peak_mib()
    start = time.perf_counter()
    if variant == 'accumulated':
        probe = train_linear_probe(features, labels, args.classes,
                                   epochs=args.steps,
                                   batch_size=args.batch_size)
    else:
        probe = whole_batch_steps(features, labels, args.classes, args.steps)
    seconds = time.perf_counter() - start
    np.savez(args.out, mib=peak_mib() - before, seconds=seconds,
             weight=probe.conv.weight.detach().numpy())


def measure(variant: str, argv: list, folder: str):
    """Run one variant in a fresh python process (so the peak memory is
    its own); return its peak MiB, seconds and weights, or the child's
    return code when it failed (-9 when the kernel killed it, most likely
    for memory)."""
    out = osp.join(folder, f'{variant}.npz')
    returncode = subprocess.run([
        sys.executable, osp.abspath(__file__), *argv, '--only', variant,
        '--out', out
    ]).returncode
    if returncode:
        return returncode
    result = np.load(out)
    return float(result['mib']), float(result['seconds']), result['weight']


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    if args.only:
        run_variant(args.only, args)
        return 0
    with tempfile.TemporaryDirectory() as folder:
        accumulated = measure('accumulated', argv, folder)
        whole = measure('whole_batch', argv, folder)
    case = (f'part_probe_steps classes={args.classes} '
            f'label_size={args.label_size} batch={args.batch_size}')
    if isinstance(accumulated, int):
        print(f'{case} accumulated failed (return code {accumulated})')
        return 1
    accumulated_mib, accumulated_s, accumulated_w = accumulated
    if isinstance(whole, int):
        # The plain way out of memory is what the accumulation avoids.
        why = ': killed, most likely out of memory' if whole == -9 else ''
        print(f'{case} accumulated {accumulated_mib:.0f} MiB above the '
              f'start, {accumulated_s:.2f} s; whole batch failed (return '
              f'code {whole}{why})')
        return 0
    whole_mib, whole_s, whole_w = whole
    same = np.allclose(accumulated_w, whole_w, rtol=1e-3, atol=1e-5)
    print(f'{case} '
          f'memory_ratio={whole_mib / max(accumulated_mib, 1e-6):.2f} '
          f'(accumulated {accumulated_mib:.0f} MiB, whole batch '
          f'{whole_mib:.0f} MiB above the start) '
          f'time_ratio={whole_s / accumulated_s:.2f} (accumulated '
          f'{accumulated_s:.2f} s, whole batch {whole_s:.2f} s) '
          f'same_weights={same}')
    return 0 if same else 1


if __name__ == '__main__':
    sys.exit(main())
