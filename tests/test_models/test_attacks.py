# Copyright (c) mmpart contributors. All rights reserved.
import torch
import torch.nn as nn

from mmpart.models import pgd_linf


def test_pgd_stays_in_the_ball_and_raises_the_loss():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 4))
    x = torch.rand(5, 3, 8, 8)
    y = torch.tensor([0, 1, 2, 3, 0])

    def loss_fn(images):
        return nn.functional.cross_entropy(net(images), y)

    adv = pgd_linf(loss_fn, x, eps=4 / 255, step_size=1 / 255, steps=10)
    assert (adv - x).abs().max() <= 4 / 255 + 1e-6
    assert adv.min() >= 0 and adv.max() <= 1
    assert loss_fn(adv) > loss_fn(x)
