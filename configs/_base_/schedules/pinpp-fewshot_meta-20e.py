# The paper's meta stage (MetaBaseline's): 20 epochs of 200 episodes, SGD
# lr 1e-3, momentum 0.9, weight decay 5e-4, constant; episodic validation
# on the val classes after each epoch.
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=5e-4))
train_cfg = dict(by_epoch=True, max_epochs=20, val_interval=1)
val_cfg = dict()
test_cfg = dict()
