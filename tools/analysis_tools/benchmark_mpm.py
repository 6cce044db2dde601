# Copyright (c) mmpart contributors. All rights reserved.
"""Training-step time and peak memory of MPM against the plain classifier.

Both models (ResNet-50-GELU; MPM adds the 3311-class part bypass and loss)
train on the same synthetic batch on the current device, in one run. Steps
alternate between the two models so machine noise hits both alike; the
ratio uses the median step times. Peak memory: CUDA's peak allocation, or
on the CPU the peak resident size of a forked process per model. The last
line reads::

    mpm_vs_plain step_time_ratio=1.18 extra_peak_mem_mb=420
"""
import argparse
import multiprocessing as mp
import os.path as osp
import resource
import statistics
import time

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample

from mmpart.registry import MODELS
from mmpart.structures import PartTargets

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    plain='configs/mpm/resnet50-gelu_8xb64-100e_in1k.py',
    mpm='configs/mpm/mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--steps', type=int, default=5,
                        help='timed steps per model')
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--amp', action='store_true',
                        help='float16 autocast (CUDA)')
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    return parser.parse_args()


def build(name: str, device: str):
    """Build a model of :data:`CONFIGS` (random init, no downloads)."""
    init_default_scope('mmpart')
    cfg = Config.fromfile(osp.join(ROOT, CONFIGS[name]))
    cfg.model.backbone.pop('init_cfg', None)
    cfg.model.setdefault('data_preprocessor', cfg.data_preprocessor)
    model = MODELS.build(cfg.model).to(device).train()
    return model, torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def synthetic_batch(args):
    """Images, labels and realistic part maps (one class's parts each)."""
    g = torch.Generator().manual_seed(0)
    b, s = args.batch_size, args.size
    inputs = torch.randn(b, 3, s, s, generator=g)
    labels = torch.randint(0, 1000, (b, ), generator=g)
    samples = [DataSample().set_gt_label(int(label)) for label in labels]
    coarse = torch.randint(0, 5, (b, s // 16, s // 16), generator=g)
    maps = coarse.repeat_interleave(16, 1).repeat_interleave(16, 2)
    maps = torch.where(maps > 0, maps + 3 * labels[:, None, None], 0)
    targets = PartTargets(
        maps=[maps.to(args.device)],
        coeffs=[torch.ones(b, device=args.device)],
        sample_weights=torch.ones(b, device=args.device))
    return inputs.to(args.device), samples, targets


def train_step(model, optimizer, batch, args, scaler) -> float:
    """One training step; returns its wall time in seconds."""
    inputs, samples, targets = batch
    if args.device.startswith('cuda'):
        torch.cuda.synchronize()
    start = time.perf_counter()
    optimizer.zero_grad(set_to_none=True)
    with torch.autocast(args.device.split(':')[0], dtype=torch.float16,
                        enabled=args.amp):
        if hasattr(model, 'bypass'):
            losses = model.loss(inputs, samples, targets)
        else:
            losses = model.loss(inputs, samples)
        loss = sum(v for k, v in losses.items() if 'loss' in k)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    if args.device.startswith('cuda'):
        torch.cuda.synchronize()
    return time.perf_counter() - start


def cpu_peak_rss_mb(name: str, args, queue) -> None:
    """In a forked process: peak resident size over a few steps."""
    model, optimizer = build(name, args.device)
    batch = synthetic_batch(args)
    scaler = torch.amp.GradScaler(enabled=False)
    for _ in range(2):
        train_step(model, optimizer, batch, args, scaler)
    queue.put(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main():
    args = parse_args()
    cuda = args.device.startswith('cuda')
    peaks = {}
    if not cuda:
        ctx = mp.get_context('fork')
        for name in ('plain', 'mpm'):
            queue = ctx.Queue()
            proc = ctx.Process(target=cpu_peak_rss_mb,
                               args=(name, args, queue))
            proc.start()
            peaks[name] = queue.get()
            proc.join()
    models = {name: build(name, args.device) for name in ('plain', 'mpm')}
    batch = synthetic_batch(args)
    scaler = torch.amp.GradScaler(enabled=args.amp and cuda)
    times = {name: [] for name in models}
    for name, (model, optimizer) in models.items():
        if cuda:
            torch.cuda.empty_cache()
            torch.cuda.reset_peak_memory_stats()
        for _ in range(args.warmup):
            train_step(model, optimizer, batch, args, scaler)
        if cuda:
            peaks[name] = torch.cuda.max_memory_allocated() / 2**20
    for _ in range(args.steps):
        for name, (model, optimizer) in models.items():
            times[name].append(
                train_step(model, optimizer, batch, args, scaler))
    medians = {name: statistics.median(t) for name, t in times.items()}
    device = torch.cuda.get_device_name() if cuda else \
        f'cpu ({torch.get_num_threads()} threads)'
    print(f'device: {device}, batch {args.batch_size}, {args.size}px, '
          f'amp={args.amp}, 3311 part classes')
    for name in models:
        steps = ', '.join(f'{t:.3f}' for t in times[name])
        print(f'{name}: median step {medians[name]:.3f} s ({steps}); '
              f'peak memory {peaks[name]:.0f} MB')
    ratio = medians['mpm'] / medians['plain']
    extra = peaks['mpm'] - peaks['plain']
    print(f'mpm_vs_plain step_time_ratio={ratio:.2f} '
          f'extra_peak_mem_mb={extra:.0f}')


if __name__ == '__main__':
    main()
