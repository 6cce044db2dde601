# Copyright (c) mmpart contributors. All rights reserved.
from .cluster_matching import match_clusters, matched_miou, mean_iou
from .confidence import mean_and_ci95, mean_and_t_ci95
from .federated_ap import (NOT_EXHAUSTIVE_RULES, FederatedAPResult,
                           evaluate_federated)
from .iou_areas import SparseAreas, percent, sparse_areas, total_areas
from .part_probe import (LinearPartProbe, extract_features, linear_probe_miou,
                         overclustering_miou, train_linear_probe)
from .sparse_coco_eval import SparseCocoResult, evaluate_sparse

__all__ = [
    'NOT_EXHAUSTIVE_RULES', 'FederatedAPResult', 'evaluate_federated',
    'SparseCocoResult', 'evaluate_sparse', 'mean_and_ci95', 'mean_and_t_ci95',
    'match_clusters', 'matched_miou', 'mean_iou', 'LinearPartProbe',
    'extract_features', 'linear_probe_miou', 'overclustering_miou',
    'train_linear_probe', 'SparseAreas', 'percent', 'sparse_areas',
    'total_areas'
]
