# Object segmentation on the converted toy PIN++ set (11 classes: background
# + the 10 toy objects, maps from obj/): the part segmenter of the _base_
# config on PINPPObjectSegDataset, scored by mmseg's IoUMetric.
_base_ = './upernet_r18_1xb16-300i_toy-pinpp-parts-96x96.py'

num_classes = 11
model = dict(
    decode_head=dict(num_classes=num_classes),
    auxiliary_head=dict(num_classes=num_classes),)
train_dataloader = dict(dataset=dict(type='PINPPObjectSegDataset'))
val_dataloader = dict(dataset=dict(type='PINPPObjectSegDataset'))
test_dataloader = val_dataloader
val_evaluator = dict(
    _delete_=True,
    type='mmseg.IoUMetric',
    iou_metrics=['mIoU'],
    ignore_index={{_base_.part_ignore_index}})
test_evaluator = val_evaluator
