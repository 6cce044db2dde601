# Object segmentation on PIN++ (1001 classes: background + 1000 objects,
# maps from obj/, converter --object-masks): the part segmenter of
# configs/part_seg/deeplabv3plus_r50-gelu-mpm-d8_8xb2-160k_pinpp-parts-
# 512x512.py on PINPPObjectSegDataset, scored by mmseg's IoUMetric.
_base_ = ('../part_seg/'
          'deeplabv3plus_r50-gelu-mpm-d8_8xb2-160k_pinpp-parts-512x512.py')

num_classes = 1001
model = dict(
    decode_head=dict(num_classes=num_classes),
    auxiliary_head=dict(num_classes=num_classes))
train_dataloader = dict(dataset=dict(type='PINPPObjectSegDataset'))
val_dataloader = dict(dataset=dict(type='PINPPObjectSegDataset'))
test_dataloader = dict(dataset=dict(type='PINPPObjectSegDataset'))
val_evaluator = dict(
    _delete_=True,
    type='mmseg.IoUMetric',
    iou_metrics=['mIoU'],
    ignore_index={{_base_.part_ignore_index}})
test_evaluator = val_evaluator
