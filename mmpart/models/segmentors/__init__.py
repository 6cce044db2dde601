# Copyright (c) mmpart contributors. All rights reserved.
from .part_encoder_decoder import (OriginalSizeLogits, PartEncoderDecoder,
                                   part_range_classes)

__all__ = ['OriginalSizeLogits', 'PartEncoderDecoder', 'part_range_classes']
