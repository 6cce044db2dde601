# Copyright (c) mmpart contributors. All rights reserved.
from .sparse_coco_eval import SparseCocoResult, evaluate_sparse

__all__ = ['SparseCocoResult', 'evaluate_sparse']
