# MPM stage 2 (adversarial training) on human part masks plus pseudo part
# masks (whether_pseudo/ lines with 1, from tools/pseudo_label.py), from the
# stage-1 checkpoint trained the same way.
_base_ = './mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp.py'

load_from = ('work_dirs/mpm_resnet50-gelu_8xb64-stage1-1e_in1k-pinpp-pseudo/'
             'epoch_1.pth')
train_dataloader = dict(dataset=dict(pseudo_maps=True))
# The official loader can weight pseudo masks (0.5), but the released
# configs keep 1.0.
data_preprocessor = dict(pseudo_weight=1.0)
