# Copyright (c) mmpart contributors. All rights reserved.
"""Training-step time and peak memory of part segmentation at 3311 classes:
stock mmseg against mmpart's ``PartEncoderDecoder``.

Three UPerNet-R50 models (``mmseg::_base_/models/upernet_r50.py``, BN, random
init) train on the same synthetic batch on the current device, in one run
(``benchmark_steps`` of ``step_benchmark.py``, the module beside this
script: steps alternate between the models; peak memory is CUDA's peak
allocation, or on the CPU the peak resident size of a forked process per
model):

- ``stock@150``: the stock segmentor at ADE20K's 150 classes;
- ``stock@3311``: the stock segmentor at the 3311 PIN++ part classes,
  whose heads upsample the logits to the crop before the cross-entropy;
- ``mmpart@3311``: ``PartEncoderDecoder`` with ``PixelSoftTargetLoss`` in
  both heads (loss at the logits' resolution).

The last line reads::

    partseg_vs_stock step_time_ratio=0.25 extra_mem_ratio=0.10 step_vs_150=1.2

with ``step_time_ratio`` = mmpart@3311 / stock@3311 median step,
``extra_mem_ratio`` = (mmpart@3311 - stock@150 peak) / (stock@3311 -
stock@150 peak) and ``step_vs_150`` = mmpart@3311 / stock@150 step.
"""
import argparse

import torch
from mmengine.hub import get_config
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample
from step_benchmark import (benchmark_steps, device_description,
                            print_step_stats, training_step)

from mmpart.registry import MODELS

BASE = 'mmseg::_base_/models/upernet_r50.py'
#: name: (segmentor, number of classes).
MODELS_COMPARED = {
    'stock@150': ('EncoderDecoder', 150),
    'stock@3311': ('EncoderDecoder', 3311),
    'mmpart@3311': ('mmpart.PartEncoderDecoder', 3311),
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--batch-size', type=int, default=2)
    parser.add_argument('--size', type=int, default=256, help='crop size')
    parser.add_argument('--steps', type=int, default=3,
                        help='timed steps per model')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--amp', action='store_true',
                        help='float16 autocast (CUDA)')
    parser.add_argument('--device', default='cuda'
                        if torch.cuda.is_available() else 'cpu')
    return parser.parse_args()


def build(segmentor: str, num_classes: int, device: str):
    """UPerNet-R50 with BN (one process) and ``num_classes`` classes."""
    cfg = get_config(BASE).model
    cfg.update(type=segmentor, pretrained=None, data_preprocessor=None)
    cfg.backbone.norm_cfg = dict(type='BN', requires_grad=True)
    for head in (cfg.decode_head, cfg.auxiliary_head):
        head.update(
            num_classes=num_classes,
            norm_cfg=dict(type='BN', requires_grad=True))
        if segmentor != 'EncoderDecoder':
            head.loss_decode = dict(
                type='mmpart.PixelSoftTargetLoss',
                loss_weight=head.loss_decode.loss_weight)
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(dict(cfg, _scope_='mmseg'))
    model = model.to(device).train()
    return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def synthetic_batch(num_classes: int, args):
    """Images and label maps shaped like PIN++ part maps: each image one
    object's few parts (blocks of 32 px) on background."""
    g = torch.Generator().manual_seed(0)
    b, s = args.batch_size, args.size
    inputs = torch.randn(b, 3, s, s, generator=g).to(args.device)
    samples = []
    for _ in range(b):
        first = int(torch.randint(1, num_classes - 4, (1, ), generator=g))
        coarse = torch.randint(0, 5, (s // 32, s // 32), generator=g)
        labels = torch.where(coarse > 0, coarse + first - 1, 0)
        labels = labels.repeat_interleave(32, 0).repeat_interleave(32, 1)
        sample = SegDataSample(
            gt_sem_seg=PixelData(data=labels[None].to(args.device)))
        sample.set_metainfo(dict(img_shape=(s, s), pad_shape=(s, s)))
        samples.append(sample)
    return inputs, samples


def step_factory(name: str, args):
    """Builds model ``name`` and its batch; returns one training step."""

    def factory():
        segmentor, num_classes = MODELS_COMPARED[name]
        model, optimizer = build(segmentor, num_classes, args.device)
        inputs, samples = synthetic_batch(num_classes, args)
        return training_step(model, optimizer,
                             lambda: model.loss(inputs, samples),
                             args.device, args.amp)

    return factory


def main():
    args = parse_args()
    stats = benchmark_steps(
        {name: step_factory(name, args)
         for name in MODELS_COMPARED}, args.device, args.warmup, args.steps)
    print(f'device: {device_description(args.device)}, UPerNet-R50, batch '
          f'{args.batch_size}, {args.size}px crops, amp={args.amp}')
    print_step_stats(stats)
    ours, stock, few = (stats[name]
                        for name in ('mmpart@3311', 'stock@3311',
                                     'stock@150'))
    time_ratio = ours.median / stock.median
    mem_ratio = (ours.peak_mb - few.peak_mb) / (stock.peak_mb - few.peak_mb)
    print(f'partseg_vs_stock step_time_ratio={time_ratio:.2f} '
          f'extra_mem_ratio={mem_ratio:.2f} '
          f'step_vs_150={ours.median / few.median:.2f}')


if __name__ == '__main__':
    main()
