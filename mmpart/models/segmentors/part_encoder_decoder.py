# Copyright (c) mmpart contributors. All rights reserved.
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.models.losses import accuracy
from mmseg.models.segmentors import EncoderDecoder
from mmseg.models.utils import resize
from mmseg.structures import SegDataSample
from mmseg.utils import add_prefix

from mmpart.registry import MODELS
from ..losses import PixelSoftTargetLoss
from ..utils import chunked_argmax, resize_label_map

#: A window of a slide inference: ``(y1, y2, x1, x2)`` in the padded input.
Window = Tuple[int, int, int, int]


def _as_list(modules) -> list:
    """A head's ``loss_decode`` (or the auxiliary heads) as a list."""
    return list(modules) if isinstance(modules, nn.ModuleList) else [modules]


@MODELS.register_module()
class PartEncoderDecoder(EncoderDecoder):
    """mmseg's ``EncoderDecoder`` for thousands of classes (PIN++ parts).

    A stock segmentor upsamples the decode head's ``(B, C, h, w)`` logits
    to full resolution twice: for the loss, and to predict. At the 3311
    PIN++ part classes that is 3311 x H x W floats per image (3.5 GB at
    512x512, before softmax and gradients). This segmentor keeps the model
    and its checkpoints as they are and changes where the cost lands:

    - **loss**: every head's logits go, at their own resolution, to its
      ``loss_decode``, which must be
      :class:`~mmpart.models.losses.PixelSoftTargetLoss` (the label map's
      bilinear soft target at that resolution); ``acc_seg`` is measured
      there too, against the nearest-resized labels;
    - **prediction**: the stock upsampling (``whole`` or ``slide``, then
      padding removal, flip and resize to the original shape) is applied
      ``test_cfg.class_chunk`` classes at a time and merged by a running
      argmax (:func:`~mmpart.models.utils.chunked_argmax`): the same
      ``pred_sem_seg`` as the stock segmentor, bit for bit, without the
      full tensor. No ``seg_logits`` field is stored (it would be that
      tensor).
    - **class-aware prediction**: a sample whose metainfo has
      ``part_id_range = (start, stop)`` (its object's part ids, from
      ``PINPPPartSegDataset``) also gets ``pred_class_aware_sem_seg``: the
      argmax over the background and those ids only, the protocol where
      the image's object is known.

    Args:
        *args, **kwargs: ``EncoderDecoder`` arguments. ``test_cfg`` takes
            ``class_chunk`` (classes upsampled at a time, default 256) beside
            mmseg's ``mode``, ``crop_size`` and ``stride``.

    Examples:
        >>> import torch
        >>> from mmseg.structures import SegDataSample
        >>> from mmpart.registry import MODELS
        >>> model = MODELS.build(dict(
        ...     _scope_='mmseg', type='mmpart.PartEncoderDecoder',
        ...     backbone=dict(type='ResNetV1c', depth=18, out_indices=(3, )),
        ...     decode_head=dict(
        ...         type='FCNHead', in_channels=512, channels=16,
        ...         num_classes=3311,
        ...         loss_decode=dict(type='mmpart.PixelSoftTargetLoss')),
        ...     test_cfg=dict(mode='whole', class_chunk=256))).eval()
        >>> sample = SegDataSample(
        ...     metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64)))
        >>> with torch.no_grad():
        ...     result, = model.predict(torch.rand(1, 3, 64, 64), [sample])
        >>> result.pred_sem_seg.shape, 'seg_logits' in result
        ((64, 64), False)
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        heads = [self.decode_head]
        if self.with_auxiliary_head:
            heads += _as_list(self.auxiliary_head)
        for head in heads:
            for loss in _as_list(head.loss_decode):
                if not isinstance(loss, PixelSoftTargetLoss):
                    raise TypeError(
                        f'PartEncoderDecoder takes each head\'s loss at the '
                        f'logits\' resolution: {type(head).__name__}\'s '
                        f'loss_decode must be mmpart.PixelSoftTargetLoss, '
                        f'got {type(loss).__name__}')
            if head.sampler is not None:
                raise TypeError(
                    f'{type(head).__name__} has a pixel sampler, which '
                    'weighs full-resolution pixels: PartEncoderDecoder '
                    'does not support it')
        self.class_chunk = self.test_cfg.get('class_chunk', 256)

    def _head_losses(self, head: nn.Module, inputs: List[torch.Tensor],
                     data_samples: list) -> dict:
        """A head's losses and ``acc_seg``, at its logits' resolution."""
        seg_logits = head.forward(inputs)
        seg_label = head._stack_batch_gt(data_samples)[:, 0]
        losses = dict()
        for loss in _as_list(head.loss_decode):
            value = loss(seg_logits, seg_label, ignore_index=head.ignore_index)
            losses[loss.loss_name] = losses.get(loss.loss_name, 0) + value
        losses['acc_seg'] = accuracy(
            seg_logits,
            resize_label_map(seg_label, tuple(seg_logits.shape[-2:])),
            ignore_index=head.ignore_index)
        return losses

    def _decode_head_forward_train(self, inputs: List[torch.Tensor],
                                   data_samples: list) -> dict:
        """The decode head's losses, prefixed ``decode``."""
        return add_prefix(
            self._head_losses(self.decode_head, inputs, data_samples),
            'decode')

    def _auxiliary_head_forward_train(self, inputs: List[torch.Tensor],
                                      data_samples: list) -> dict:
        """The auxiliary heads' losses, prefixed as mmseg prefixes them."""
        if not isinstance(self.auxiliary_head, nn.ModuleList):
            return add_prefix(
                self._head_losses(self.auxiliary_head, inputs, data_samples),
                'aux')
        losses = dict()
        for idx, head in enumerate(self.auxiliary_head):
            losses.update(
                add_prefix(self._head_losses(head, inputs, data_samples),
                           f'aux_{idx}'))
        return losses

    def _low_res_logits(self, inputs: torch.Tensor, batch_img_metas: list
                        ) -> Tuple[List[Tuple[torch.Tensor, Window]],
                                   Tuple[int, int]]:
        """The decode head's logits of each window of the batch.

        Returns:
            tuple: ``[(logits, window)]`` (one window covering the input in
            ``whole`` mode, the grid of crops in ``slide`` mode) and the
            ``(H, W)`` of the full-resolution logits.
        """
        if self.test_cfg.get('mode', 'whole') == 'whole':
            meta = batch_img_metas[0]
            size = tuple(meta['pad_shape'][:2]) if 'pad_shape' in meta \
                else tuple(meta['img_shape'][:2])
            logits = self.decode_head.forward(self.extract_feat(inputs))
            return [(logits, (0, size[0], 0, size[1]))], size
        if self.test_cfg['mode'] != 'slide':
            raise ValueError(f'test_cfg.mode must be "whole" or "slide", '
                             f'got {self.test_cfg["mode"]!r}')
        h_stride, w_stride = self.test_cfg['stride']
        h_crop, w_crop = self.test_cfg['crop_size']
        h_img, w_img = inputs.shape[-2:]
        h_grids = max(h_img - h_crop + h_stride - 1, 0) // h_stride + 1
        w_grids = max(w_img - w_crop + w_stride - 1, 0) // w_stride + 1
        windows = []
        # The window grid of EncoderDecoder.slide_inference.
        for h_idx in range(h_grids):
            for w_idx in range(w_grids):
                y2 = min(h_idx * h_stride + h_crop, h_img)
                x2 = min(w_idx * w_stride + w_crop, w_img)
                y1, x1 = max(y2 - h_crop, 0), max(x2 - w_crop, 0)
                crop = inputs[:, :, y1:y2, x1:x2]
                logits = self.decode_head.forward(self.extract_feat(crop))
                windows.append((logits, (y1, y2, x1, x2)))
        return windows, (h_img, w_img)

    def _upsample(self, windows: Sequence[Tuple[torch.Tensor, Window]],
                  size: Tuple[int, int], index: int, classes,
                  meta: Optional[dict]) -> torch.Tensor:
        """Some classes' full-resolution logits of one sample.

        The operations of ``EncoderDecoder.inference`` and
        ``postprocess_result``, in their order, on ``classes`` only: each
        works on each class map alone, so the result is the stock one.

        Args:
            windows: :meth:`_low_res_logits`'s windows.
            size (tuple[int, int]): The padded input's ``(H, W)``.
            index (int): The sample.
            classes (slice | Tensor): The classes.
            meta (dict, optional): The sample's metainfo; None to skip the
                post-processing (as mmseg does without data samples).

        Returns:
            Tensor: ``(k, H', W')`` logits.
        """
        if self.test_cfg.get('mode', 'whole') == 'whole':
            logits, _ = windows[0]
            full = resize(
                logits[index:index + 1, classes],
                size=size,
                mode='bilinear',
                align_corners=self.align_corners)
        else:
            count = windows[0][0].new_zeros((1, 1, *size))
            full = None
            for logits, (y1, y2, x1, x2) in windows:
                crop = resize(
                    logits[index:index + 1, classes],
                    size=(y2 - y1, x2 - x1),
                    mode='bilinear',
                    align_corners=self.align_corners)
                padded = F.pad(crop, (x1, size[1] - x2, y1, size[0] - y2))
                full = padded if full is None else full + padded
                count[:, :, y1:y2, x1:x2] += 1
            full = full / count
        if meta is None:
            return full[0]
        left, right, top, bottom = meta.get(
            'img_padding_size', meta.get('padding_size', [0] * 4))
        full = full[:, :, top:full.shape[2] - bottom,
                    left:full.shape[3] - right]
        if meta.get('flip', None):
            full = full.flip(dims=(
                3, ) if meta.get('flip_direction') == 'horizontal' else (2, ))
        return resize(
            full,
            size=meta['ori_shape'],
            mode='bilinear',
            align_corners=self.align_corners,
            warning=False)[0]

    def original_size_logits(self,
                             inputs: torch.Tensor,
                             data_samples: Optional[list] = None
                             ) -> 'OriginalSizeLogits':
        """The batch's logits at each sample's original size, on demand.

        Runs the network once; the returned object upsamples (and
        post-processes) the classes asked for, so a caller that needs the
        scores of a few classes (class-aware prediction, pseudo labels
        restricted to an image's own parts) never holds all of them.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` inputs.
            data_samples (list[SegDataSample], optional): Their samples;
                without them no post-processing (unpadding, flip, resize to
                ``ori_shape``) is applied, as in mmseg.

        Returns:
            OriginalSizeLogits: ``logits(index, classes)`` gives a
            ``(k, H', W')`` tensor.
        """
        if data_samples is None:
            metas = [None] * inputs.shape[0]
            input_metas = [dict(img_shape=inputs.shape[2:],
                                pad_shape=inputs.shape[2:])]
        else:
            metas = [sample.metainfo for sample in data_samples]
            input_metas = metas
        windows, size = self._low_res_logits(inputs, input_metas)
        return OriginalSizeLogits(self, windows, size, metas)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None) -> list:
        """``pred_sem_seg`` (and ``pred_class_aware_sem_seg``) of a batch.

        Args:
            inputs (Tensor): ``(N, 3, H, W)`` inputs.
            data_samples (list[SegDataSample], optional): Their samples.

        Returns:
            list[SegDataSample]: The samples with the predictions.
        """
        logits = self.original_size_logits(inputs, data_samples)
        if data_samples is None:
            data_samples = [SegDataSample() for _ in logits.metas]
        for index, (sample, meta) in enumerate(zip(data_samples,
                                                   logits.metas)):
            pred = chunked_argmax(
                lambda classes: logits(index, classes), logits.num_classes,
                self.class_chunk)
            sample.set_data(dict(pred_sem_seg=PixelData(data=pred[None])))
            if meta is not None and 'part_id_range' in meta:
                allowed = part_range_classes(meta['part_id_range'],
                                             inputs.device)
                pred = logits(index, allowed).argmax(0)
                sample.set_data(
                    dict(pred_class_aware_sem_seg=PixelData(
                        data=allowed[pred][None])))
        return data_samples


def part_range_classes(part_id_range: Tuple[int, int],
                       device: torch.device = None) -> torch.Tensor:
    """The classes of a class-aware prediction: the background and one
    object's part ids.

    Args:
        part_id_range (tuple[int, int]): ``(start, stop)`` of the object's
            global part ids.
        device (torch.device, optional): Where the tensor goes.

    Returns:
        Tensor: int64 ``[0, start, ..., stop - 1]``.
    """
    start, stop = part_id_range
    return torch.cat([torch.zeros(1, dtype=torch.long),
                      torch.arange(start, stop)]).to(device)


class OriginalSizeLogits:
    """A batch's decode-head logits, upsampled per sample and class on
    demand (see :meth:`PartEncoderDecoder.original_size_logits`).

    Args:
        segmentor (PartEncoderDecoder): The model (its upsampling).
        windows (list): The low-resolution logits and their windows.
        size (tuple[int, int]): The padded input's ``(H, W)``.
        metas (list[dict | None]): Each sample's metainfo (None: no
            post-processing).
    """

    def __init__(self, segmentor: PartEncoderDecoder,
                 windows: List[Tuple[torch.Tensor, Window]],
                 size: Tuple[int, int], metas: List[Optional[dict]]):
        self.segmentor = segmentor
        self.windows = windows
        self.size = size
        self.metas = metas

    @property
    def num_classes(self) -> int:
        """The number of classes the head predicts."""
        return self.windows[0][0].shape[1]

    def __call__(self, index: int, classes) -> torch.Tensor:
        """Logits of some classes of one sample, at its original size.

        Args:
            index (int): The sample.
            classes (slice | Tensor): The classes.

        Returns:
            Tensor: ``(k, H', W')`` logits.
        """
        return self.segmentor._upsample(self.windows, self.size, index,
                                        classes, self.metas[index])
