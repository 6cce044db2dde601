# Copyright (c) mmpart contributors. All rights reserved.
"""L-inf PGD used inside training and model selection.

Adversarial training attacks the *training* loss (soft Mixup / CutMix
targets, label smoothing) in the middle of a train step, with a step size
ramped by a hook; attack libraries such as torchattacks take hard labels
and their own models, so this small loop is kept here. The evaluation suite
uses torchattacks.
"""
from typing import Callable, Optional

import torch


def pgd_linf(loss_fn: Callable[[torch.Tensor], torch.Tensor],
             images: torch.Tensor,
             eps: float,
             step_size: float,
             steps: int,
             random_start: bool = True,
             use_best: bool = False,
             generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Maximise ``loss_fn`` within an L-inf ball around ``images``.

    Follows ``adv_generator`` of the official PartImageNet++ code: a
    uniform start in the ball, signed-gradient steps, each projected back
    into the ball and into [0, 1]. With ``use_best`` the iterate returned is
    the one of highest loss rather than the last: the loss of every iterate
    is the batch mean ``loss_fn`` returns, so the whole batch's images are
    replaced together, only when that mean is strictly higher, and the last
    iterate is scored by one more forward pass (no backward).

    Args:
        loss_fn (Callable): Maps images in [0, 1] to a scalar loss.
        images (Tensor): ``(B, C, H, W)`` clean images in [0, 1].
        eps (float): Radius of the ball.
        step_size (float): Size of each signed-gradient step.
        steps (int): Number of steps.
        random_start (bool): Start from a uniform point in the ball (then
            clamped to [0, 1]) rather than from ``images``.
        use_best (bool): Return the iterate of highest loss (the start and
            the last iterate included) instead of the last one.
        generator (torch.Generator, optional): Draws the random start (on
            the images' device). None uses the global torch generator,
            which ``mmengine.runner.set_random_seed`` seeds.

    Returns:
        Tensor: Adversarial images in [0, 1], detached.

    Examples:
        >>> # The official training attack: PGD-2 at 4/255, best iterate.
        >>> adv = pgd_linf(lambda x: F.cross_entropy(net(x), labels),
        ...                images, eps=4 / 255, step_size=4 / 255, steps=2,
        ...                use_best=True)
    """
    images = images.detach()
    delta = torch.zeros_like(images)
    if random_start:
        noise = torch.rand(
            images.shape,
            generator=generator,
            dtype=images.dtype,
            device=images.device)
        delta = (images + (2 * noise - 1) * eps).clamp(0, 1) - images
    best = best_loss = None
    for _ in range(steps):
        delta.requires_grad_(True)
        loss = loss_fn(images + delta)
        grad, = torch.autograd.grad(loss, delta)
        delta = delta.detach()
        if use_best:
            best, best_loss = _keep_best(delta, loss.detach(), best, best_loss)
        delta = (delta + step_size * grad.sign()).clamp(-eps, eps)
        delta = (images + delta).clamp(0, 1) - images
    if use_best:
        with torch.no_grad():
            loss = loss_fn(images + delta)
        delta, _ = _keep_best(delta, loss, best, best_loss)
    return (images + delta).detach()


def _keep_best(delta: torch.Tensor, loss: torch.Tensor,
               best: Optional[torch.Tensor],
               best_loss: Optional[torch.Tensor]) -> tuple:
    """The higher-loss of (``delta``, ``loss``) and (``best``,
    ``best_loss``); ties keep ``best``. ``torch.where`` rather than an
    ``if`` on the loss, so that no step waits for the GPU."""
    if best is None:
        return delta, loss
    higher = loss > best_loss
    return torch.where(higher, delta, best), torch.where(
        higher, loss, best_loss)
