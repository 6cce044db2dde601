# Toy meta stage: 4 epochs of 40 episodes, SGD lr 1e-3 (MetaBaseline's),
# constant; episodic validation on the val classes after each epoch.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(by_epoch=True, max_epochs=4, val_interval=1)
val_cfg = dict()
test_cfg = dict()
