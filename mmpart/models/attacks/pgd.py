# Copyright (c) mmpart contributors. All rights reserved.
"""L-inf PGD used inside training and model selection.

Adversarial training attacks the *training* loss (soft Mixup / CutMix
targets, label smoothing) in the middle of a train step, with a step size
ramped by a hook; attack libraries such as torchattacks take hard labels
and their own models, so this small loop is kept here. The evaluation suite
uses torchattacks.
"""
from typing import Callable

import torch


def pgd_linf(loss_fn: Callable[[torch.Tensor], torch.Tensor],
             images: torch.Tensor,
             eps: float,
             step_size: float,
             steps: int,
             random_start: bool = True) -> torch.Tensor:
    """Maximise ``loss_fn`` within an L-inf ball around ``images``.

    Args:
        loss_fn (Callable): Maps images in [0, 1] to a scalar loss.
        images (Tensor): ``(B, C, H, W)`` clean images in [0, 1].
        eps (float): Radius of the ball.
        step_size (float): Size of each signed-gradient step.
        steps (int): Number of steps.
        random_start (bool): Start from a uniform point in the ball.

    Returns:
        Tensor: Adversarial images in [0, 1], detached.
    """
    images = images.detach()
    delta = torch.zeros_like(images)
    if random_start:
        delta.uniform_(-eps, eps)
        delta = (images + delta).clamp(0, 1) - images
    for _ in range(steps):
        delta.requires_grad_(True)
        loss = loss_fn(images + delta)
        grad, = torch.autograd.grad(loss, delta)
        delta = (delta.detach() + step_size * grad.sign()).clamp(-eps, eps)
        delta = (images + delta).clamp(0, 1) - images
    return (images + delta).detach()
