# Copyright (c) mmpart contributors. All rights reserved.
from typing import Sequence

from mmseg.datasets.transforms import PackSegInputs

from mmpart.registry import TRANSFORMS

#: mmseg's default meta keys plus the PIN++ segmentation sample's object:
#: ``object_label`` and ``part_id_range`` (``PINPPPartSegDataset``).
PART_SEG_META_KEYS = PackSegInputs().meta_keys + ('object_label',
                                                  'part_id_range')


@TRANSFORMS.register_module()
class PackPartSegInputs(PackSegInputs):
    """mmseg's ``PackSegInputs`` that also packs the sample's object.

    The PIN++ segmentation datasets give each sample ``object_label`` and
    (part segmentation) ``part_id_range``; ``PartEncoderDecoder`` needs the
    range for its class-aware prediction, so both are in the default
    ``meta_keys`` and configs need not repeat mmseg's key list. Like every
    meta key, each is packed only when the sample has it.

    **Required Keys:** as ``PackSegInputs`` (``img``, ``gt_seg_map``).

    **Added Keys:** ``inputs`` and ``data_samples`` (a ``SegDataSample``
    whose metainfo also holds ``object_label`` and ``part_id_range``).

    Args:
        meta_keys (Sequence[str]): The metainfo keys to pack. Defaults to
            :data:`PART_SEG_META_KEYS`.

    Examples:
        >>> test_pipeline = [
        ...     dict(type='LoadImageFromFile'),
        ...     dict(type='LoadPartMap'),
        ...     dict(type='PackPartSegInputs'),
        ... ]
    """

    def __init__(self, meta_keys: Sequence[str] = PART_SEG_META_KEYS):
        super().__init__(meta_keys=tuple(meta_keys))
