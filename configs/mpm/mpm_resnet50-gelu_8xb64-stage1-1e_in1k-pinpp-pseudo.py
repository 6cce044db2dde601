# MPM stage 1 on human part masks plus pseudo part masks for the other
# ImageNet train images (whether_pseudo/ lines with 1, from
# tools/pseudo_label.py), as the paper's MPM trains.
_base_ = './mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp.py'

train_dataloader = dict(dataset=dict(pseudo_maps=True))
# The official loader can weight pseudo masks (0.5), but the released
# configs keep 1.0.
data_preprocessor = dict(pseudo_weight=1.0)
