# Copyright (c) mmpart contributors. All rights reserved.
from typing import Optional

import torch
import torch.nn.functional as F

#: Default size of one chunk of logits, in elements (32 MB in float32).
#: Smaller chunks cost time, larger ones memory: on 2 CPU cores MPM's part
#: loss took about 1.7x as long with 16 MB chunks as with 64 MB ones, which
#: raised MPM's extra peak memory over the plain model from about 90 to 300
#: MB.
CHUNK_ELEMENTS = 2**23


class SparseSoftTargetCE(torch.autograd.Function):
    """Weighted sum of per-pixel soft-target (focal) cross-entropies, chunked
    over pixels, optionally fused with the 1x1 classifier that makes the
    logits.

    Each row ``n`` of ``x`` is one pixel: its logits ``z_n = x_n`` (shape
    ``(N, C)``), or, with a ``classifier`` ``W`` of shape ``(C, D)`` (and
    ``bias``), its features, ``z_n = W x_n + b``. Its target is
    ``(1 - eps) * sum_k w_nk onehot(l_nk) + eps / C`` for labels ``index``
    and weights ``weight`` of shape ``(N, K)`` (``sum_k w_nk = 1``), so::

        ce_n = (1 - eps) * (lse(z_n) - sum_k w_nk z_n[l_nk])
               + eps * (lse(z_n) - mean(z_n))
        out = sum_n coef_n * (1 - exp(-ce_n))**gamma * ce_n

    ``gamma = 0`` is plain cross-entropy. Why this shape: at thousands of
    classes the ``(N, C)`` logits, their softmax and their gradient dominate
    the memory of a training step (several hundred MB for MPM's bypass, GBs
    for a segmenter's full-resolution logits). Here only one chunk of
    ``chunk_rows`` rows of logits exists at a time, and because the result
    is one number, the gradients of ``x`` (and of ``W``, ``b``) are
    completed chunk by chunk in the forward pass, as fused
    linear-cross-entropy kernels for large vocabularies do; the backward
    only scales them. The arithmetic is that of autograd over the unfused
    formula, at the same cost (one matmul forward, two backward).

    Under mixed precision each row's gradient is stored in the dtype of
    ``x`` as ``d ce_n / d x_n``, whose entries are of order 1, and its
    factor ``d out / d ce_n`` (``coef_n`` times the focal derivative) apart
    in float32; the backward multiplies both with ``grad_out`` in float32.
    ``grad_out`` carries the loss scale of fp16 AMP (``GradScaler`` starts
    at ``2**16``, which fp16 rounds to inf), and ``coef_n`` is tiny (about
    ``1e-5`` for MPM's bypass at 64 images a GPU): products stored in fp16
    before that scale is applied flush to zero, which is what the loss
    scale exists to prevent.

    Use as ``SparseSoftTargetCE.apply(x, classifier, bias, index, weight,
    coef, eps, gamma, chunk_rows)``; see :func:`sparse_soft_target_ce`.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor, classifier: Optional[torch.Tensor],
                bias: Optional[torch.Tensor], index: torch.Tensor,
                weight: torch.Tensor, coef: torch.Tensor, eps: float,
                gamma: float, chunk_rows: int) -> torch.Tensor:
        # d ce / d x of each row, and d out / d ce of each row.
        grad_x = torch.empty_like(x)
        row_scale = x.new_empty(x.shape[0], dtype=torch.float32)
        grad_w = None if classifier is None else torch.zeros_like(
            classifier, dtype=torch.float32)
        grad_b = None if bias is None else torch.zeros_like(
            bias, dtype=torch.float32)
        total = x.new_zeros((), dtype=torch.float32)
        for start in range(0, x.shape[0], chunk_rows):
            rows = slice(start, start + chunk_rows)
            feats = x[rows]
            z = feats if classifier is None else F.linear(
                feats, classifier, bias)
            log_probs = z.float().log_softmax(dim=1)
            del z
            num_classes = log_probs.shape[1]
            target = (weight[rows] * log_probs.gather(1, index[rows])).sum(1)
            ce = -(1 - eps) * target - eps * log_probs.mean(1)
            p_true = torch.exp(-ce)
            focal = (1 - p_true).pow(gamma) * ce
            total += (coef[rows] * focal).sum()
            # d focal / d ce, times the row's coefficient.
            scale = coef[rows]
            if gamma != 0:
                scale = scale * ((1 - p_true).pow(gamma) + gamma *
                                 (1 - p_true).pow(gamma - 1) * p_true * ce)
            row_scale[rows] = scale
            # d ce / d z = softmax - eps / C - (1 - eps) * target one-hot.
            grad_z = log_probs.exp_()
            if eps:
                grad_z.sub_(eps / num_classes)
            grad_z.scatter_add_(1, index[rows], -(1 - eps) * weight[rows])
            if classifier is None:
                grad_x[rows] = grad_z
            else:
                grad_x[rows] = grad_z @ classifier.float()
                grad_z.mul_(scale[:, None])
                grad_w.addmm_(grad_z.t(), feats.float())
                if grad_b is not None:
                    grad_b += grad_z.sum(0)
        ctx.save_for_backward(grad_x, row_scale, grad_w, grad_b)
        return total

    @staticmethod
    def backward(ctx, grad_out: torch.Tensor):
        grad_x, row_scale, grad_w, grad_b = ctx.saved_tensors
        grad_out = grad_out.float()
        # Multiplied in float32 (or x's dtype if wider) and written in x's
        # dtype, without a float32 copy of grad_x.
        scaled_x = torch.mul(
            grad_x, (row_scale * grad_out)[:, None],
            out=torch.empty_like(grad_x))
        scaled = [
            None if g is None else g * grad_out for g in (grad_w, grad_b)
        ]
        return (scaled_x, *scaled, None, None, None, None, None, None)


def sparse_soft_target_ce(x: torch.Tensor,
                          index: torch.Tensor,
                          weight: torch.Tensor,
                          coef: torch.Tensor,
                          label_smoothing: float = 0.0,
                          gamma: float = 0.0,
                          classifier: Optional[torch.Tensor] = None,
                          bias: Optional[torch.Tensor] = None,
                          chunk_elements: int = CHUNK_ELEMENTS
                          ) -> torch.Tensor:
    """``sum_n coef_n * focal(ce_n)`` over pixel rows (see
    :class:`SparseSoftTargetCE`), never holding all rows' logits.

    Args:
        x (Tensor): ``(N, C)`` logits, or ``(N, D)`` features with
            ``classifier``.
        index (Tensor): ``(N, K)`` int64 target labels of each row.
        weight (Tensor): ``(N, K)`` their weights (rows sum to 1).
        coef (Tensor): ``(N, )`` coefficient of each row (0 drops it).
        label_smoothing (float): ``eps``. Defaults to 0.
        gamma (float): Focal exponent; 0 for cross-entropy. Defaults to 0.
        classifier (Tensor, optional): ``(C, D)`` weight of the 1x1
            classifier to fuse. Defaults to None.
        bias (Tensor, optional): ``(C, )`` its bias. Defaults to None.
        chunk_elements (int): Logits per chunk (rows = this / C).

    Returns:
        Tensor: The scalar sum, differentiable in ``x``, ``classifier`` and
        ``bias``.
    """
    num_classes = x.shape[1] if classifier is None else classifier.shape[0]
    chunk_rows = max(1, chunk_elements // num_classes)
    return SparseSoftTargetCE.apply(x, classifier, bias, index,
                                    weight.float(), coef.float(),
                                    float(label_smoothing), float(gamma),
                                    chunk_rows)
