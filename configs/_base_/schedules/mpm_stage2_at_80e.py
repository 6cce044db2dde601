# Stage 2, adversarial training: 80 epochs cosine with 2 warm-up epochs,
# SGD lr 0.2 (batch 512), AMP, EMA 0.9998; L-inf PGD eps 4/255, 2 steps of
# 2*eps/steps, random start, step ramped over the warm-up; PGD-10 (step
# eps/4) accuracy of the EMA weights measured at validation (configs add
# RobustAccuracy and select checkpoints by it).
optim_wrapper = dict(
    type='AmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(type='SGD', lr=0.2, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=2,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', by_epoch=True, begin=2, end=80,
         eta_min=0, convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, max_epochs=80, val_interval=1)
pgd10 = dict(type='PGD', eps=4 / 255, alpha=1 / 255, steps=10,
             random_start=False)
val_cfg = dict(type='AdversarialValLoop', attack=pgd10)
test_cfg = dict(type='AdversarialTestLoop', attack=pgd10)
adv_cfg = dict(eps=4 / 255, steps=2, random_start=True)
custom_hooks = [
    dict(type='AdvStepRampHook', warmup_epochs=2),
    dict(type='EMAHook', momentum=0.0002, priority='ABOVE_NORMAL'),
]
auto_scale_lr = dict(base_batch_size=512)
