# MPM stage 2, adversarial training (the paper's main model): 80 epochs of
# L-inf PGD-2 training at eps 4/255 from the stage-1 checkpoint, EMA 0.9998,
# best checkpoint by PGD-10 accuracy of the EMA weights.
_base_ = [
    '../_base_/models/mpm_resnet50-gelu.py',
    '../_base_/datasets/pinpp_imagenet_bs64_mpm_recipe.py',
    '../_base_/schedules/mpm_stage2_at_80e.py',
    '../_base_/default_runtime.py',
]
model = dict(adv_cfg={{_base_.adv_cfg}},
             backbone=dict(init_cfg=None))
load_from = ('work_dirs/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp/'
             'epoch_1.pth')

# Clean and PGD-10 accuracy of the EMA weights; keep the most robust.
val_evaluator = [dict(type='Accuracy', topk=(1, 5)),
                 dict(type='RobustAccuracy')]
test_evaluator = val_evaluator
default_hooks = dict(
    checkpoint=dict(save_best='robust/top1', rule='greater'))
