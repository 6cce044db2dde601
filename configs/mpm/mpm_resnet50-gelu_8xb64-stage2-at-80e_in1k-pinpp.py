# MPM stage 2, adversarial training (the paper's main model): 80 epochs of
# L-inf PGD-2 training at eps 4/255 from the stage-1 checkpoint, EMA 0.9998,
# best checkpoint by PGD-10 accuracy of the EMA weights.
_base_ = [
    '../_base_/models/mpm_resnet50-gelu-at.py',
    '../_base_/datasets/imagenet-pinpp_bs64_mpm_224.py',
    '../_base_/schedules/imagenet_bs512_mpm_stage2-at-80e.py',
]
load_from = ('work_dirs/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp/'
             'epoch_1.pth')
# Human part masks only; the *-pinpp-pseudo.py sibling adds pseudo masks.
train_dataloader = dict(dataset=dict(pseudo_maps=False))
