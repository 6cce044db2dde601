# Copyright (c) mmpart contributors. All rights reserved.
"""Pseudo part masks for the ImageNet train images without human ones."""
from .evaluation import score_pseudo_labels
from .job import PseudoLabelJob, PseudoLabelSettings, view_pipelines
from .labeller import ALL_IGNORED, EMPTY, WRITTEN, PseudoLabel, PseudoLabeller
from .plan import ImageItem, PseudoLabelPlan, plan_pseudo_labels
from .records import PseudoLabelRecord, RecordWriter, read_records

__all__ = [
    'ALL_IGNORED', 'EMPTY', 'WRITTEN', 'ImageItem', 'PseudoLabel',
    'PseudoLabelJob', 'PseudoLabelPlan', 'PseudoLabelRecord',
    'PseudoLabelSettings', 'PseudoLabeller', 'RecordWriter',
    'plan_pseudo_labels', 'read_records', 'score_pseudo_labels',
    'view_pipelines'
]
