# The ImageNet suite on a toy robustness root (10 toy classes), made by
# tools/misc/make_toy_robustness.py. Runs on a CPU in a few minutes.
_base_ = ['./imagenet_suite.py']

classes = '{data_root}/imagenet/meta/classes.txt'
clean_list = '{data_root}/imagenet/meta/val.txt'
attack_list = '{data_root}/imagenet/meta/val.txt'
# The L2 budget of 2.0 is for 224x224 images; the toy ones are 96x96.
_l2_eps = 2.0 * 96 / 224
# ImageNet-A-Plus's 256x256 resize before its 224 crop, at 96 px: 110.
_a_plus_resize = round(256 * 96 / 224)
_toy_categories = '{data_root}/cue-conflict/categories.json'

# The L2 protocols with that budget (`_delete_`: a dict replaces the base's
# protocol name).
benchmarks = dict(
    pgd10_l2=dict(
        loop=dict(
            attack=dict(
                _delete_=True,
                protocol='pgd10_l2',
                eps=_l2_eps,
                alpha=_l2_eps / 4))),
    # AutoAttack's FAB-T and Square are slow on a CPU: 10 images.
    autoattack_linf=dict(dataset=dict(indices=10)),
    autoattack_l2=dict(
        dataset=dict(indices=10),
        loop=dict(
            attack=dict(_delete_=True, protocol='autoattack_l2',
                        eps=_l2_eps))),
    imagenet_c=dict(
        on_the_fly=dict(
            dataset=dict(clean_ann_file='{data_root}/clean_subset.txt'))),
    imagenet_a_plus=dict(pipeline=[
        dict(
            type='LoadImageFromFile',
            imdecode_backend='pillow',
            color_type='color_ignore_orientation'),
        dict(
            type='Resize',
            scale=(_a_plus_resize, _a_plus_resize),
            keep_ratio=False,
            backend='pillow',
            interpolation='bilinear'),
        dict(type='CenterCrop', crop_size=96)
    ]),
    shape_bias=dict(
        dataset=dict(categories=_toy_categories),
        evaluator=[dict(type='ShapeBias', categories=_toy_categories)]),
)
