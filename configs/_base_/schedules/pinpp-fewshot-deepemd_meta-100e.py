# The official DeepEMD meta stage (train_meta.py): 100 epochs of 50
# episodes, SGD lr 5e-4, Nesterov momentum 0.9, weight decay 5e-4, x0.5
# every 10 epochs; episodic validation on the val classes after each epoch.
optim_wrapper = dict(
    optimizer=dict(
        type='SGD', lr=0.0005, momentum=0.9, nesterov=True,
        weight_decay=5e-4))
param_scheduler = [
    dict(type='StepLR', by_epoch=True, step_size=10, gamma=0.5)
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=1)
val_cfg = dict()
test_cfg = dict()
