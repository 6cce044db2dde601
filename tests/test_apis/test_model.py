# Copyright (c) mmpart contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.runner import save_checkpoint

from mmpart.apis import get_model, inference_model, init_model, list_models
from mmpart.models import MPMClassifier
from mmpart.utils import PartialCheckpointError

TOY_MPM = 'configs/toy/mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts.py'
TOY_PLAIN = 'configs/toy/resnet18-w32_1xb32-12e_toy-pinpp.py'
PAPER_MPM = 'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp-pseudo'


def test_list_models_matches_the_index():
    names = list_models()
    assert PAPER_MPM in names and names == sorted(names)
    assert list_models('mpm_resnet50') == [
        name for name in names if name.startswith('mpm_resnet50')
    ]
    assert list_models('*stage2-at*pseudo') == [PAPER_MPM]
    assert list_models('no-such-model') == []


def test_get_model_by_name_and_missing_weights():
    model = get_model(PAPER_MPM)
    assert isinstance(model, MPMClassifier) and not model.training
    assert model.cfg.model.type == 'MPMClassifier'
    with pytest.raises(ValueError) as error:
        get_model(PAPER_MPM, pretrained=True)
    message = str(error.value)
    assert 'no published weights' in message
    assert 'official_mpm_to_mmpart.py' in message
    assert 'drive.google.com' in message
    assert f'tools/train.py configs/mpm/{PAPER_MPM}.py' in message
    with pytest.raises(ValueError, match='list_models'):
        get_model('mpm_resnet50-typo')


def test_init_model_loads_a_checkpoint_and_overrides(tmp_path):
    torch.manual_seed(0)
    source = get_model(TOY_PLAIN)
    checkpoint = str(tmp_path / 'plain.pth')
    classes = tuple(f'class{i}' for i in range(10))
    save_checkpoint(
        dict(
            state_dict=source.state_dict(),
            meta=dict(dataset_meta=dict(classes=classes))), checkpoint)
    torch.manual_seed(1)
    model = init_model(TOY_PLAIN, checkpoint)
    assert model.dataset_meta['classes'] == classes
    for key, value in source.state_dict().items():
        torch.testing.assert_close(model.state_dict()[key], value)
    wider = init_model(TOY_PLAIN, head=dict(num_classes=7))
    assert wider.head.fc.out_features == 7


def test_checkpoint_of_another_model_is_refused(tmp_path):
    # A 5-class checkpoint and an MPM's loaded into the plain 10-class
    # classifier used to give a model (10 % top-1) with a log line only.
    torch.manual_seed(0)
    five = str(tmp_path / 'five.pth')
    save_checkpoint(
        dict(state_dict=get_model(TOY_PLAIN, head=dict(
            num_classes=5)).state_dict()), five)
    with pytest.raises(PartialCheckpointError) as error:
        init_model(TOY_PLAIN, five)
    message = str(error.value)
    assert message.startswith(f'{five} does not cover the ImageClassifier')
    assert '2 of another shape' in message
    assert 'head.fc.weight: checkpoint (5, 256), model (10, 256)' in message
    assert 'allow_partial=True' in message
    model = init_model(TOY_PLAIN, five, allow_partial=True)
    torch.testing.assert_close(model.backbone.conv1.weight,
                               torch.load(five)['state_dict']
                               ['backbone.conv1.weight'])

    other = str(tmp_path / 'other.pth')
    save_checkpoint(dict(state_dict={'decode_head.conv_seg.weight':
                                     torch.zeros(3, 8, 1, 1)}), other)
    with pytest.raises(PartialCheckpointError,
                       match=r'0 of the model\'s \d+ weights matched; \d+ '
                       r'missing \(first: \[\'backbone.conv1.weight\''
                       r'.*1 unexpected'):
        get_model(TOY_PLAIN, pretrained=other)

    # Weights the model does not have (an MPM's bypass) are not a gap.
    mpm = str(tmp_path / 'mpm.pth')
    save_checkpoint(dict(state_dict=get_model(TOY_MPM).state_dict()), mpm)
    assert isinstance(init_model(TOY_PLAIN, mpm), torch.nn.Module)


def test_inference_model_scores_and_part_map():
    torch.manual_seed(0)
    model = get_model(TOY_MPM)
    model.dataset_meta = dict(classes=tuple(f'c{i}' for i in range(10)))
    image = (np.random.RandomState(0).rand(80, 120, 3) * 255).astype(
        np.uint8)
    plain = inference_model(model, image)
    assert set(plain) == {
        'pred_label', 'pred_score', 'pred_scores', 'pred_class'
    }
    assert plain['pred_scores'].shape == (10, )
    assert plain['pred_scores'].sum() == pytest.approx(1, abs=1e-5)
    assert plain['pred_label'] == int(plain['pred_scores'].argmax())
    assert plain['pred_class'] == f'c{plain["pred_label"]}'
    model.predict_parts = False
    with_parts = inference_model(model, image, part_map=True)
    assert model.predict_parts is False  # restored
    np.testing.assert_allclose(with_parts['pred_scores'],
                               plain['pred_scores'], rtol=1e-5)
    part_map = with_parts['part_map']
    # The test pipeline resizes the short edge to 96 and crops 96x96.
    assert part_map.shape == (96, 96) and part_map.dtype == np.int64
    assert part_map.min() >= 0
    assert part_map.max() < model.cfg.model.bypass.num_classes
    with pytest.raises(TypeError, match='part bypass'):
        inference_model(get_model(TOY_PLAIN), image, part_map=True)
