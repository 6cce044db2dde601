# Copyright (c) mmpart contributors. All rights reserved.
"""Training-step time and peak memory of MPM against the plain classifier.

Both models (ResNet-50-GELU; MPM adds the 3311-class part bypass and loss)
train on the same synthetic batch on the current device, in one run
(``benchmark_steps`` of ``step_benchmark.py``, the module beside this
script: steps alternate between the models; peak memory is CUDA's peak
allocation, or on the CPU the peak resident size of a forked process per
model); the ratio uses the median step times. The last line reads::

    mpm_vs_plain step_time_ratio=1.18 extra_peak_mem_mb=420

With ``--adversarial`` it times the stage-2 step of MPM instead (PGD-2 on
the classification loss, then the losses on the adversarial images) with
``use_best`` off and on; the last line reads::

    use_best_vs_last step_time_ratio=1.10 extra_peak_mem_mb=0
"""
import argparse
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.structures import DataSample
from step_benchmark import (benchmark_steps, device_description,
                            print_step_stats, training_step)

from mmpart.registry import MODELS
from mmpart.structures import PartTargets

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    plain='configs/mpm/resnet50-gelu_8xb64-100e_in1k.py',
    mpm='configs/mpm/mpm_resnet50-gelu_8xb64-100e_in1k-pinpp.py')
#: The adversarial (stage-2) MPM, run with ``adv_cfg.use_best`` set to each.
AT_CONFIG = 'configs/mpm/mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'


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
    parser.add_argument(
        '--adversarial',
        action='store_true',
        help='time the stage-2 adversarial MPM step with use_best off and '
        'on instead of MPM against the plain model')
    return parser.parse_args()


def build(name: str, device: str):
    """Build a model of :data:`CONFIGS`, or the stage-2 MPM of
    :data:`AT_CONFIG` for ``'use_best=False'`` / ``'use_best=True'`` (random
    init, no downloads)."""
    init_default_scope('mmpart')
    if name.startswith('use_best='):
        cfg = Config.fromfile(osp.join(ROOT, AT_CONFIG))
        cfg.model.adv_cfg.use_best = name == 'use_best=True'
    else:
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


def step_factory(name: str, args):
    """Builds model ``name`` and its batch; returns one training step."""

    def factory():
        model, optimizer = build(name, args.device)
        inputs, samples, targets = synthetic_batch(args)
        extra = (targets, ) if hasattr(model, 'bypass') else ()
        return training_step(model, optimizer,
                             lambda: model.loss(inputs, samples, *extra),
                             args.device, args.amp)

    return factory


def main():
    args = parse_args()
    if args.adversarial:
        base, other = 'use_best=False', 'use_best=True'
        label = 'use_best_vs_last'
    else:
        base, other, label = 'plain', 'mpm', 'mpm_vs_plain'
    stats = benchmark_steps(
        {name: step_factory(name, args)
         for name in (base, other)}, args.device, args.warmup, args.steps)
    print(f'device: {device_description(args.device)}, batch '
          f'{args.batch_size}, {args.size}px, amp={args.amp}, 3311 part '
          'classes' + (', PGD-2 stage-2 step' if args.adversarial else ''))
    print_step_stats(stats)
    ratio = stats[other].median / stats[base].median
    extra = stats[other].peak_mb - stats[base].peak_mb
    print(f'{label} step_time_ratio={ratio:.2f} '
          f'extra_peak_mem_mb={extra:.0f}')


if __name__ == '__main__':
    main()
