# Copyright (c) mmpart contributors. All rights reserved.
"""Dense part-feature probes of a frozen backbone (Leopart-style: Ziegler
& Asano, "Self-Supervised Learning of Object Parts for Semantic
Segmentation", CVPR 2022).

- :func:`extract_features`: one stage's feature maps of a classifier's
  backbone, the images normalised by the model's data preprocessor.
- :class:`LinearPartProbe`, :func:`train_linear_probe` and
  :func:`linear_probe_miou`: a linear layer on each feature vector (a 1x1
  convolution) trained against part maps, scored by mIoU, class-agnostic
  and class-aware.
- :func:`overclustering_miou`: k-means over the feature vectors, clusters
  matched to the parts (see :mod:`.cluster_matching`), scored by mIoU.
"""
from typing import Dict, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from scipy.cluster.vq import kmeans2
from torch import nn

from mmpart.models.utils import chunked_argmax
from mmpart.structures import MAP_IGNORE_INDEX
from .cluster_matching import matched_miou, mean_iou


def extract_features(model: nn.Module,
                     images: Sequence[np.ndarray],
                     stage: int,
                     batch_size: int = 16) -> torch.Tensor:
    """Feature maps of one backbone stage, without gradients.

    The backbone's ``out_indices`` is set to ``(stage, )`` for the call and
    restored after, so any stage can be read whatever the config outputs
    (mmpretrain's ResNet and ViT-like backbones test ``i in out_indices``
    when they collect their outputs).

    Args:
        model (nn.Module): A classifier with ``backbone`` and
            ``data_preprocessor`` (an mmpretrain ``ImageClassifier``, an
            ``MPMClassifier``, ...), in eval mode.
        images (Sequence[np.ndarray]): H×W×3 BGR uint8 images of one size.
        stage (int): The stage index, as in the backbone's ``out_indices``.
        batch_size (int): Images per forward pass. Defaults to 16.

    Returns:
        Tensor: ``(N, C, h, w)`` float32 features, on the CPU.
    """
    backbone = model.backbone
    if not hasattr(backbone, 'out_indices'):
        raise TypeError(f'{type(backbone).__name__} has no out_indices to '
                        'select a stage with')
    out_indices = backbone.out_indices
    backbone.out_indices = (stage, )
    features = []
    try:
        with torch.no_grad():
            for start in range(0, len(images), batch_size):
                inputs = [
                    torch.from_numpy(np.ascontiguousarray(img)).permute(
                        2, 0, 1) for img in images[start:start + batch_size]
                ]
                data = model.data_preprocessor(dict(inputs=inputs), False)
                outs = backbone(data['inputs'])
                if not outs or outs[-1].ndim != 4:
                    raise ValueError(
                        f'stage {stage} of {type(backbone).__name__} gave '
                        'no (N, C, h, w) feature map')
                features.append(outs[-1].float().cpu())
    finally:
        backbone.out_indices = out_indices
    return torch.cat(features)


class LinearPartProbe(nn.Module):
    """A linear classifier of each feature vector (a 1x1 convolution) on
    features standardised with fixed per-channel statistics.

    The standardisation is an affine map a linear layer could absorb; it
    only makes AdamW's steps fit features of any scale (random or trained
    backbones differ by orders of magnitude).

    Args:
        mean (Tensor): ``(C, )`` feature mean.
        std (Tensor): ``(C, )`` feature standard deviation.
        num_classes (int): Part classes, the background included.
    """

    def __init__(self, mean: torch.Tensor, std: torch.Tensor,
                 num_classes: int):
        super().__init__()
        self.register_buffer('mean', mean.view(1, -1, 1, 1).float())
        self.register_buffer('std', std.view(1, -1, 1, 1).float())
        self.conv = nn.Conv2d(mean.numel(), num_classes, kernel_size=1)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Logits at the feature resolution.

        Args:
            features (Tensor): ``(N, C, h, w)`` features.

        Returns:
            Tensor: ``(N, num_classes, h, w)`` logits.
        """
        return self.conv((features - self.mean) / self.std)


def train_linear_probe(features: torch.Tensor,
                       labels: torch.Tensor,
                       num_classes: int,
                       epochs: int = 10,
                       lr: float = 1e-2,
                       batch_size: int = 16,
                       ignore_index: int = MAP_IGNORE_INDEX,
                       seed: int = 0) -> LinearPartProbe:
    """Train a :class:`LinearPartProbe` on frozen features.

    The logits are bilinearly upsampled to the label size and scored by
    cross-entropy (``ignore_index`` left out), optimised by AdamW over
    shuffled mini-batches. Batches without a labelled pixel are skipped
    (their mean loss is undefined).

    A step's gradient is that of the batch's mean loss over its labelled
    pixels, but accumulated one image at a time: the upsampled logits and
    their gradient are the largest tensors of the probe, 3311 x 224 x 224
    floats (600 MiB) each per image with the official label space, so
    memory stays that of one image whatever ``batch_size`` is.

    Args:
        features (Tensor): ``(N, C, h, w)`` features (the device they are
            on is where the probe trains).
        labels (Tensor): ``(N, H, W)`` int64 part ids.
        num_classes (int): Part classes, the background included.
        epochs (int): Passes over the images. Defaults to 10.
        lr (float): AdamW learning rate. Defaults to 1e-2.
        batch_size (int): Images per step. Defaults to 16.
        ignore_index (int): Label value left out. Defaults to 65535.
        seed (int): Seed of the initial weights and the shuffling.
            Defaults to 0.

    Returns:
        LinearPartProbe: The trained probe, in eval mode.
    """
    generator = torch.Generator().manual_seed(seed)
    flat = features.transpose(0, 1).flatten(1)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        probe = LinearPartProbe(
            flat.mean(1), flat.std(1).clamp_min(1e-6), num_classes)
    probe.to(features.device)
    optimizer = torch.optim.AdamW(probe.parameters(), lr=lr)
    for _ in range(epochs):
        order = torch.randperm(len(features), generator=generator)
        for start in range(0, len(features), batch_size):
            index = order[start:start + batch_size].to(features.device)
            labelled = int((labels[index] != ignore_index).sum())
            if not labelled:
                continue
            optimizer.zero_grad()
            for image in index:
                target = labels[image][None]
                logits = F.interpolate(
                    probe(features[image][None]),
                    size=target.shape[-2:],
                    mode='bilinear',
                    align_corners=False)
                (F.cross_entropy(
                    logits,
                    target,
                    ignore_index=ignore_index,
                    reduction='sum') / labelled).backward()
            optimizer.step()
    return probe.eval()


def linear_probe_miou(probe: LinearPartProbe,
                      features: torch.Tensor,
                      labels: torch.Tensor,
                      allowed_ids: Sequence[torch.Tensor],
                      num_classes: int,
                      ignore_index: int = MAP_IGNORE_INDEX,
                      class_chunk: int = 256) -> Dict[str, float]:
    """Score a linear probe on held-out images.

    Args:
        probe (LinearPartProbe): The trained probe.
        features (Tensor): ``(N, C, h, w)`` features of the images.
        labels (Tensor): ``(N, H, W)`` int64 part ids.
        allowed_ids (Sequence[Tensor]): The ids each image's class-aware
            prediction may take (``part_range_classes`` of the image's
            ``LabelSpace.part_id_range``).
        num_classes (int): Part classes, the background included.
        ignore_index (int): Label value left out. Defaults to 65535.
        class_chunk (int): Classes upsampled at a time for the
            class-agnostic argmax, which so never holds all the classes'
            logits at the label size (3311 x 224 x 224 with the official
            label space). Defaults to 256.

    Returns:
        dict[str, float]: ``mIoU`` (the argmax over all part classes) and
        ``mIoU_class_aware`` (over the background and the image's own
        object's parts), mmseg's mIoU in percent over the part classes
        (those absent from both predictions and labels left out).
    """
    size = labels.shape[-2:]
    agnostic, aware = [], []
    with torch.no_grad():
        for feature, ids in zip(features, allowed_ids):
            logits = probe(feature[None])

            def upsampled(classes, logits=logits):
                return F.interpolate(
                    logits[:, classes],
                    size=size,
                    mode='bilinear',
                    align_corners=False)[0]

            agnostic.append(
                chunked_argmax(upsampled, num_classes,
                               class_chunk).cpu().numpy())
            # Upsampling is per channel, so restricting first is the same.
            ids = torch.as_tensor(ids, device=logits.device)
            aware.append(ids[upsampled(ids).argmax(0)].cpu().numpy())
    label_maps = list(labels.cpu().numpy())
    return dict(
        mIoU=mean_iou(agnostic, label_maps, num_classes, ignore_index),
        mIoU_class_aware=mean_iou(aware, label_maps, num_classes,
                                  ignore_index))


def overclustering_miou(features: torch.Tensor,
                        labels: torch.Tensor,
                        k_factor: int = 3,
                        ignore_index: int = MAP_IGNORE_INDEX,
                        seed: int = 0) -> float:
    """mIoU of k-means clusters of the feature vectors matched to parts.

    The feature vectors of all the images are L2-normalised and clustered
    by ``scipy.cluster.vq.kmeans2`` (k-means++ seeding) into
    ``k = k_factor x C`` clusters, ``C`` the part classes present in the
    labels (the background included). Clusters are assigned at the
    feature resolution and the cluster maps nearest-upsampled to the label
    size; the clusters are matched to the classes by the Hungarian
    algorithm, each class taking exactly ``k_factor`` clusters (see
    :func:`~.cluster_matching.match_clusters`).

    Args:
        features (Tensor): ``(N, C, h, w)`` features.
        labels (Tensor): ``(N, H, W)`` int64 part ids.
        k_factor (int): Clusters per part class. Defaults to 3.
        ignore_index (int): Label value left out. Defaults to 65535.
        seed (int): Seed of the k-means++ initialisation. Defaults to 0.

    Returns:
        float: The matched mIoU in percent.
    """
    label_maps = labels.cpu().numpy()
    classes = np.unique(label_maps[label_maps != ignore_index])
    num_clusters = k_factor * classes.size
    num, channels, height, width = features.shape
    vectors = F.normalize(
        features.permute(0, 2, 3, 1).reshape(-1, channels).double(), dim=1)
    if len(vectors) < num_clusters:
        raise ValueError(f'{len(vectors)} feature vectors cannot make '
                         f'{num_clusters} clusters')
    _, assignment = kmeans2(
        vectors.cpu().numpy(), num_clusters, minit='++', rng=seed)
    cluster_maps = F.interpolate(
        torch.from_numpy(assignment).view(num, 1, height, width).float(),
        size=labels.shape[-2:],
        mode='nearest').long()[:, 0].numpy()
    return matched_miou(cluster_maps, label_maps, num_clusters, k_factor,
                        ignore_index)
