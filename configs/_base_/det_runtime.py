# mmdet's runtime in the mmpart scope, for the instance segmentation configs:
# mmpart types, mmpretrain types (the parent scope) and `mmdet.` types all
# build (a `mmdet.` model builds its parts in mmdet's scope). Its logs and
# checkpoints are by iteration, as the schedules: a checkpoint every 6,250
# iterations (a tenth of the PIN++ schedule; mmengine refuses a
# `default_hooks` in a schedule base beside this one, so shorter schedules
# set their interval in their leaf). NumClassCheckHook stops a run whose heads
# do not have the dataset's number of classes.
_base_ = 'mmdet::_base_/default_runtime.py'

default_scope = 'mmpart'
custom_imports = dict(imports=['mmpart'], allow_failed_imports=False)

default_hooks = dict(
    checkpoint=dict(by_epoch=False, interval=6250, max_keep_ckpts=2),
    logger=dict(log_metric_by_epoch=False),
    visualization=dict(type='mmdet.DetVisualizationHook'))
custom_hooks = [dict(type='mmdet.NumClassCheckHook')]
visualizer = dict(type='mmdet.DetLocalVisualizer')
log_processor = dict(by_epoch=False)
