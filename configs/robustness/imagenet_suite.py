# The robustness benchmarks of tools/analysis_tools/robustness_suite.py,
# for a 1000-class ImageNet classifier. In any string, '{data_root}' is the
# --data-root argument and '{classes}', '{clean_list}', '{attack_list}' the
# top-level settings below (so a derived suite changes them once);
# 'mmpart::<name>' is a file bundled with mmpart (mmpart/datasets/meta).
# A benchmark runs when its `requires` path exists under the data root;
# otherwise it is skipped and the reason recorded. `headline` names the
# metric keys (as the evaluators write them) of the markdown table and the
# chart. Keys are checked when the suite is loaded (mmpart/robustness/
# suite_config.py); top-level names starting with '_' are helpers.
# Change one with --suite-options, e.g.
# benchmarks.autoattack_l2.dataset.indices=500

# The classifier's wnids in output order (None: the 1000 ImageNet-1K ones).
classes = None
clean_list = 'mmpart::imagenet_val_subset_10k.txt'
attack_list = 'mmpart::imagenet_val_subset_5k_autoattack.txt'
_imagenet_val = dict(
    type='ImageNetListDataset',
    data_root='{data_root}/imagenet',
    data_prefix='val',
    classes='{classes}')
# An attack benchmark lacks only its `loop`: clean and robust top-1 on the
# same images (the loop predicts both).
_attack_benchmark = dict(
    requires='imagenet/val',
    dataset=dict(_imagenet_val, ann_file='{attack_list}'),
    evaluator=[
        dict(type='Accuracy', topk=(1, ), prefix='clean'),
        dict(type='RobustAccuracy', prefix='robust')
    ],
    headline=['clean/top1', 'robust/top1'])

benchmarks = dict(
    clean=dict(
        requires='imagenet/val',
        dataset=dict(_imagenet_val, ann_file='{clean_list}'),
        evaluator=[dict(type='Accuracy', topk=(1, 5))],
        headline=['accuracy/top1']),
    # The attack protocols are defined in mmpart/models/attacks/protocols.py.
    pgd10_linf=dict(
        _attack_benchmark,
        loop=dict(type='AdversarialTestLoop', attack='pgd10_linf')),
    pgd10_l2=dict(
        _attack_benchmark,
        loop=dict(type='AdversarialTestLoop', attack='pgd10_l2')),
    # torchattacks has no L1 AutoAttack, so there is no L1 benchmark.
    autoattack_linf=dict(
        _attack_benchmark,
        loop=dict(type='AdversarialTestLoop', attack='autoattack_linf')),
    autoattack_l2=dict(
        _attack_benchmark,
        loop=dict(type='AdversarialTestLoop', attack='autoattack_l2')),
    imagenet_c=dict(
        requires='imagenet-c',
        dataset=dict(
            type='ImageNetCDataset',
            classes='{classes}',
            data_root='{data_root}/imagenet-c'),
        evaluator=[dict(type='ImageNetCMetric', reference='alexnet')],
        meta_keys=['corruption', 'severity'],
        headline=['imagenet-c/top1', 'imagenet-c/mCE'],
        # With --corrupt-on-the-fly and no imagenet-c folder: corrupt the
        # clean list's images (resized and cropped by the test pipeline).
        on_the_fly=dict(
            requires='imagenet/val',
            dataset=dict(
                type='ImageNetCDataset',
                data_root='{data_root}/imagenet',
                data_prefix='val',
                clean_ann_file='{clean_list}',
                classes='{classes}'),
            transform=dict(type='ImageNetCorruption', seed=0))),
    imagenet_r=dict(
        requires='imagenet-r',
        dataset=dict(
            type='WnidFolderDataset',
            classes='{classes}',
            data_root='{data_root}/imagenet-r'),
        evaluator=[
            dict(
                type='ClassSubsetAccuracy',
                wnids='mmpart::imagenet_r_wnids.txt')
        ],
        headline=['subset/top1']),
    imagenet_a=dict(
        requires='imagenet-a',
        dataset=dict(
            type='WnidFolderDataset',
            classes='{classes}',
            data_root='{data_root}/imagenet-a'),
        evaluator=[
            dict(
                type='ClassSubsetAccuracy',
                wnids='mmpart::imagenet_a_wnids.txt')
        ],
        headline=['subset/top1']),
    # ImageNet-A-Plus (Li et al., arXiv:2102.11731): the objects of
    # ImageNet-A images cropped by hand, ImageNet-A's 200 classes. Its own
    # pipeline, as the official evaluation (eval_multi_dataset.py): the crop
    # squashed to 256x256, bilinear, and its centre 224x224, decoded (EXIF
    # orientation ignored) and resized by Pillow as torchvision does.
    imagenet_a_plus=dict(
        requires='imagenet-a-plus',
        dataset=dict(
            type='WnidFolderDataset',
            classes='{classes}',
            data_root='{data_root}/imagenet-a-plus'),
        pipeline=[
            dict(
                type='LoadImageFromFile',
                imdecode_backend='pillow',
                color_type='color_ignore_orientation'),
            dict(
                type='Resize',
                scale=(256, 256),
                keep_ratio=False,
                backend='pillow',
                interpolation='bilinear'),
            dict(type='CenterCrop', crop_size=224)
        ],
        evaluator=[
            dict(
                type='ClassSubsetAccuracy',
                wnids='mmpart::imagenet_a_wnids.txt')
        ],
        headline=['subset/top1']),
    imagenet_sketch=dict(
        requires='imagenet-sketch/sketch',
        dataset=dict(
            type='WnidFolderDataset',
            data_root='{data_root}/imagenet-sketch',
            data_prefix='sketch',
            classes='{classes}'),
        evaluator=[dict(type='Accuracy', topk=(1, 5))],
        headline=['accuracy/top1']),
    stylized_imagenet=dict(
        requires='stylized-imagenet/val',
        dataset=dict(
            type='WnidFolderDataset',
            data_root='{data_root}/stylized-imagenet',
            data_prefix='val',
            classes='{classes}'),
        evaluator=[dict(type='Accuracy', topk=(1, 5))],
        headline=['accuracy/top1']),
    shape_bias=dict(
        requires='cue-conflict',
        dataset=dict(
            type='CueConflictDataset', data_root='{data_root}/cue-conflict'),
        evaluator=[dict(type='ShapeBias')],
        meta_keys=['shape_label', 'texture_label'],
        headline=['shape/shape_bias']),
)
