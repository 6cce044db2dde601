# mmseg's ADE20K schedule (schedule_160k.py: SGD lr 0.01, poly to 1e-4,
# 160k iterations, validation and a checkpoint every 16k) for a total batch
# of 16, with its loops in mmpart's scope. Inherited as they are, mmseg's
# loops carry `_scope_='mmseg'`, and mmengine builds a loop's dataloader and
# evaluator inside the loop's scope, where mmpart's datasets and metrics
# are not registered (`KeyError: 'PINPPPartSegDataset is not in the
# mmseg::dataset registry'`). The loop types themselves are mmengine's and
# resolve from mmpart's scope as well.
_base_ = 'mmseg::_base_/schedules/schedule_160k.py'

train_cfg = dict(_scope_='mmpart')
val_cfg = dict(_scope_='mmpart')
test_cfg = dict(_scope_='mmpart')
