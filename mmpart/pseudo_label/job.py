# Copyright (c) mmpart contributors. All rights reserved.
"""A pseudo-labelling run over ImageNet train: sharded over processes,
resumable, merged into the processed PIN++ layout with a report."""
import copy
import json
import os.path as osp
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.dist import barrier, get_dist_info
from mmengine.utils import ProgressBar
from torch.utils.data import DataLoader, Dataset

from mmpart.apis.part_segmentation import inference_pipeline
from mmpart.converters.rasterize import encode_png
from mmpart.datasets import PINPPLayout, split_sample_key
from mmpart.datasets.lists import update_pseudo_list
from mmpart.structures import object_map_id
from mmpart.utils.atomic_io import atomic_write_bytes, remove_stale_tmp_files
from .labeller import ALL_IGNORED, EMPTY, WRITTEN, PackedView, PseudoLabeller
from .plan import ImageItem, PseudoLabelPlan, plan_pseudo_labels
from .records import PseudoLabelRecord, RecordWriter, read_records

#: Status of an image that could not be read.
FAILED = 'failed'
#: Examples of empty masks and failures kept per class in the report.
MAX_EXAMPLES = 20
#: Decimals of the confidences and fractions in records and the report.
DECIMALS = 6
#: The settings file in the records folder.
SETTINGS_FILE = 'settings.json'


@dataclass
class PseudoLabelSettings:
    """What a run labels and how.

    A resumed run must use the labelling settings of the run it resumes
    (checked against ``pseudo_label_records/settings.json``): other ones
    would mix two kinds of masks in one dataset.

    Args:
        config (str): The part segmenter's config.
        checkpoint (str): Its checkpoint.
        data_root (str): The processed PIN++ root (label space, human
            masks' pseudo lists).
        imagenet_train (str): The ImageNet train folder.
        out_root (str, optional): Where masks, lists and the report go;
            ``data_root`` if None.
        ann_file (str, optional): ``<wnid>/<file>`` lines to label instead
            of every image of the class folders.
        min_score (float): Pixels less confident are ignored (65535).
        flip (bool): Average with the horizontally flipped image.
        scale (tuple[int, int], optional): ``(w, h)`` of the test
            pipeline's ``Resize`` (kept ratio), instead of the config's.
        class_conditioned (bool): Restrict to the image's class's parts.
        object_maps (bool): Also write ``obj/`` masks.
        include_annotated (bool): Also label images with human masks (for
            evaluation, into another ``out_root``).
        batch_size (int): Images per forward pass.
        num_workers (int): Image-loading workers per process.
    """
    config: str
    checkpoint: str
    data_root: str
    imagenet_train: str
    out_root: Optional[str] = None
    ann_file: Optional[str] = None
    min_score: float = 0.5
    flip: bool = False
    scale: Optional[Tuple[int, int]] = None
    class_conditioned: bool = True
    object_maps: bool = False
    include_annotated: bool = False
    batch_size: int = 8
    num_workers: int = 2

    def __post_init__(self):
        if self.out_root is None:
            self.out_root = self.data_root
        if self.scale is not None:
            self.scale = tuple(int(v) for v in self.scale)
        if self.batch_size < 1:
            raise ValueError(f'batch_size must be positive, got '
                             f'{self.batch_size}')

    def labelling(self) -> dict:
        """The settings that decide the masks' bytes."""
        keys = ('config', 'checkpoint', 'min_score', 'flip', 'scale',
                'class_conditioned', 'object_maps', 'batch_size')
        return {key: getattr(self, key) for key in keys}


def view_pipelines(cfg: Config, flip: bool = False,
                   scale: Optional[Tuple[int, int]] = None) -> List[Compose]:
    """The pipelines making an image's views from its file.

    Args:
        cfg (Config): The segmenter's config (its test pipeline).
        flip (bool): Add a view flipped horizontally (``RandomFlip`` with
            probability 1, which the segmenter flips back, as mmseg's
            test-time augmentation does).
        scale (tuple[int, int], optional): Set the ``scale`` of the
            pipeline's ``Resize`` (kept ratio); one is added after loading
            if the pipeline has none.

    Returns:
        list[Compose]: One pipeline per view, the plain one first.
    """
    cfg = copy.deepcopy(cfg)
    steps = cfg.test_dataloader.dataset.pipeline
    if scale is not None:
        resizes = [t for t in steps if t['type'].split('.')[-1] == 'Resize']
        for resize in resizes:
            resize.update(scale=tuple(scale), keep_ratio=True)
        if not resizes:
            steps.insert(1, dict(type='Resize', scale=tuple(scale),
                                 keep_ratio=True))
    pipelines = [inference_pipeline(cfg)]
    if flip:
        steps.insert(
            len(steps) - 1,
            dict(type='RandomFlip', prob=1.0, direction='horizontal',
                 _scope_='mmseg'))
        pipelines.append(inference_pipeline(cfg))
    return pipelines


@dataclass
class LoadedImage:
    """An image's views, or why it could not be read.

    Args:
        item (ImageItem): The image.
        views (list[PackedView], optional): Its views; None if unreadable.
        reason (str, optional): Why it could not be read.
    """
    item: ImageItem
    views: Optional[List[PackedView]] = None
    reason: Optional[str] = None


class ImageBatches(Dataset):
    """Loads whole batches of a plan (in DataLoader workers).

    Args:
        batches (list[list[ImageItem]]): The batches.
        pipelines (list[Compose]): :func:`view_pipelines`.
    """

    def __init__(self, batches: List[List[ImageItem]],
                 pipelines: Sequence[Compose]):
        self.batches = batches
        self.pipelines = pipelines

    def __len__(self) -> int:
        return len(self.batches)

    def _load(self, item: ImageItem) -> LoadedImage:
        if not osp.isfile(item.path):
            return LoadedImage(item, reason='image missing')
        try:
            views = [pipeline(item.path) for pipeline in self.pipelines]
        except Exception as error:  # any decoder error: unreadable
            return LoadedImage(
                item,
                reason=f'image unreadable ({type(error).__name__}: {error})')
        return LoadedImage(item, views=views)

    def __getitem__(self, index: int) -> List[LoadedImage]:
        return [self._load(item) for item in self.batches[index]]


def _as_is(batch):
    """The DataLoader's collate function: a batch is made by the dataset."""
    return batch


class PseudoLabelJob:
    """Pseudo-label the ImageNet train images without human part masks.

    Every process plans the same run (:func:`plan_pseudo_labels`) and
    labels every ``world_size``-th batch: a record, then the mask, each
    image (:mod:`~mmpart.pseudo_label.records`). The first process then
    merges the written masks into the pseudo lists (``1`` lines, sorted,
    a human ``0`` line never changed) and writes
    ``pseudo_label_report.json``. Everything but the report's ``run``
    section is the same whatever the number of processes and however
    often the run was interrupted and resumed.

    Args:
        settings (PseudoLabelSettings): The run.
        labeller (PseudoLabeller): The labeller (model and label space).
        model_cfg (Config): The segmenter's config (test pipeline).
    """

    def __init__(self, settings: PseudoLabelSettings,
                 labeller: PseudoLabeller, model_cfg: Config):
        self.settings = settings
        self.labeller = labeller
        self.model_cfg = model_cfg
        self.out = PINPPLayout(settings.out_root)

    def _check_settings(self) -> None:
        """Write the labelling settings, or check them on a resumed run."""
        path = osp.join(self.out.pseudo_label_records, SETTINGS_FILE)
        current = json.loads(json.dumps(self.settings.labelling()))
        if osp.exists(path):
            with open(path) as f:
                earlier = json.load(f)
            if earlier != current:
                changed = sorted(k for k in set(earlier) | set(current)
                                 if earlier.get(k) != current.get(k))
                raise ValueError(
                    f'{self.settings.out_root} holds pseudo labels made with '
                    f'other settings ({path}): {changed} differ '
                    f'({earlier} vs {current}). Resume with the same '
                    'settings, or write to another --out-root.')
            return
        atomic_write_bytes(path, json.dumps(current, indent=1).encode())

    def run(self) -> Optional[dict]:
        """Label this process's shard; the first process then writes the
        lists and the report.

        Returns:
            dict | None: The report on the first process, else None.
        """
        rank, world_size = get_dist_info()
        records = read_records(self.out.pseudo_label_records)
        plan = plan_pseudo_labels(
            self.labeller.label_space, self.settings.data_root,
            self.settings.imagenet_train, self.settings.out_root, records,
            self.settings.batch_size, self.settings.ann_file,
            self.settings.object_maps, self.settings.include_annotated)
        stale = 0
        if rank == 0:
            self._check_settings()
            stale = remove_stale_tmp_files(self.out.pseudo_label_records)
            for folder in self.out.map_dirs:
                if osp.isdir(folder):
                    stale += remove_stale_tmp_files(folder)
        barrier()
        start = time.time()
        self._label_shard(plan, plan.shard(rank, world_size), rank)
        barrier()
        if rank != 0:
            return None
        seconds = time.time() - start
        labelled = sum(len(plan.todo(b)) for b in plan.shard(0, 1))
        run = OrderedDict(
            world_size=world_size,
            images_labelled=labelled,
            images_already_done=len(plan.done),
            stale_tmp_files_removed=stale,
            seconds=round(seconds, 3),
            images_per_second=round(labelled / seconds, 2)
            if seconds > 0 else None)
        return self._finish(plan, run)

    def _label_shard(self, plan: PseudoLabelPlan,
                     batches: List[List[ImageItem]], rank: int) -> None:
        """Label and write the batches of one process."""
        pipelines = view_pipelines(self.model_cfg, self.settings.flip,
                                   self.settings.scale)
        loader = DataLoader(
            ImageBatches(batches, pipelines),
            batch_size=None,
            num_workers=self.settings.num_workers,
            collate_fn=_as_is)
        writer = RecordWriter(self.out.pseudo_label_records, f'rank{rank}')
        progress = ProgressBar(sum(len(b) for b in batches)) \
            if rank == 0 and batches else None
        try:
            for loaded in loader:
                self._label_batch(plan, loaded, writer)
                if progress is not None:
                    for _ in loaded:
                        progress.update()
        finally:
            writer.close()
        if progress is not None:
            print()

    def _label_batch(self, plan: PseudoLabelPlan,
                     loaded: List[LoadedImage], writer: RecordWriter) -> None:
        """Label one batch; record and write its images not done yet."""
        readable = [image for image in loaded if image.views is not None]
        labels = self.labeller.label([image.views for image in readable],
                                     [image.item.wnid for image in readable])
        results = {id(image): label for image, label in zip(readable, labels)}
        space = self.labeller.label_space
        for image in loaded:
            item = image.item
            if item.image in plan.done:
                continue
            label = results.get(id(image))
            if label is None:
                writer.append(
                    PseudoLabelRecord(item.image, FAILED, reason=image.reason))
                continue
            writer.append(
                PseudoLabelRecord(item.image, label.status,
                                  round(label.confidence, DECIMALS),
                                  round(label.ignored_fraction, DECIMALS)))
            if label.status != WRITTEN:
                continue
            atomic_write_bytes(item.seg_path, encode_png(label.part_map))
            if item.obj_path is not None:
                object_id = object_map_id(space.object_label[item.wnid])
                atomic_write_bytes(item.obj_path,
                                   encode_png(label.object_map(object_id)))

    def _finish(self, plan: PseudoLabelPlan, run: dict) -> dict:
        """Merge the written masks into the pseudo lists; write the report.

        Args:
            plan (PseudoLabelPlan): The run's plan.
            run (dict): The run's timing and counts.

        Returns:
            dict: The report.
        """
        records = read_records(self.out.pseudo_label_records)
        planned = {item.image for item in plan.items}
        by_class: Dict[str, List[PseudoLabelRecord]] = {}
        for image in sorted(planned & set(records)):
            by_class.setdefault(split_sample_key(image)[0],
                                []).append(records[image])
        classes = OrderedDict()
        wnids = sorted(set(by_class) | set(plan.human) | set(plan.kept))
        for wnid in wnids:
            class_records = by_class.get(wnid, [])
            written = {
                split_sample_key(r.image)[1]: True
                for r in class_records if r.status == WRITTEN
            }
            if written:
                update_pseudo_list(self.out.pseudo_list(wnid), written)
            classes[wnid] = self._class_report(class_records,
                                               plan.human.get(wnid, 0),
                                               plan.kept.get(wnid, []))
        totals = OrderedDict()
        for key in ('images', 'human', WRITTEN, EMPTY, ALL_IGNORED, FAILED,
                    'kept'):
            totals[key] = sum(c[key] for c in classes.values())
        report = OrderedDict(
            settings=asdict(self.settings),
            totals=totals,
            skipped=OrderedDict(sorted(plan.skipped.items())),
            refused_entries=plan.refused[:MAX_EXAMPLES],
            classes=classes,
            run=run)
        atomic_write_bytes(self.out.pseudo_label_report,
                           json.dumps(report, indent=1).encode())
        return report

    @staticmethod
    def _class_report(records: List[PseudoLabelRecord], human: int,
                      kept: List[str]) -> dict:
        """One class's entry of the report."""
        written = [r for r in records if r.status == WRITTEN]

        def mean(values: List[float]) -> Optional[float]:
            return round(sum(values) / len(values),
                         DECIMALS) if values else None

        def with_status(status: str) -> List[PseudoLabelRecord]:
            return [r for r in records if r.status == status]

        failed = with_status(FAILED)
        empty = with_status(EMPTY) + with_status(ALL_IGNORED)
        return OrderedDict(
            images=len(records),
            human=human,
            written=len(written),
            empty=len(with_status(EMPTY)),
            all_ignored=len(with_status(ALL_IGNORED)),
            failed=len(failed),
            kept=len(kept),
            mean_confidence=mean([r.confidence for r in written]),
            ignored_fraction=mean([r.ignored_fraction for r in written]),
            empty_examples=[r.image for r in empty][:MAX_EXAMPLES],
            failures=[
                dict(image=r.image, reason=r.reason)
                for r in failed[:MAX_EXAMPLES]
            ],
            kept_examples=kept[:MAX_EXAMPLES])
