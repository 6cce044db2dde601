# Copyright (c) mmpart contributors. All rights reserved.
from .part_encoder_decoder import PartEncoderDecoder

__all__ = ['PartEncoderDecoder']
