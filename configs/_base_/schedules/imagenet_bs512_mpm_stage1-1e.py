# Stage 1, "align the heads" (resnet50_part_pp_init.yaml): 1 epoch with the
# backbone frozen, standard training, SGD lr 0.2 (batch 512), AMP. The
# official schedule is timm's `step` with a 2-epoch linear warm-up from 1e-3
# per iteration; the run ends after 1 epoch, so the lr only ramps, from 1e-3
# to about 0.1 (half-way), and never decays. Reproduced as that warm-up.
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    # timm's `sgd` is Nesterov SGD, and timm leaves the 1-d parameters (BN
    # weights, biases) out of weight decay.
    optimizer=dict(
        type='SGD', lr=0.2, momentum=0.9, weight_decay=1e-4, nesterov=True),
    paramwise_cfg=dict(flat_decay_mult=0.))
param_scheduler = dict(
    type='LinearLR',
    start_factor=1e-3 / 0.2,
    by_epoch=True,
    begin=0,
    end=2,
    convert_to_iter_based=True)
train_cfg = dict(by_epoch=True, max_epochs=1, val_interval=1)
val_cfg = dict()
test_cfg = dict()
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_evaluator = val_evaluator
auto_scale_lr = dict(base_batch_size=512)
