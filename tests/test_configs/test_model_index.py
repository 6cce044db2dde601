# Copyright (c) mmpart contributors. All rights reserved.
"""The model index: ``model-index.yml`` and ``configs/*/metafile.yml``.

- Every config of
  ``configs/{mpm,part_seg,object_seg,instance_seg,fewshot,toy}`` is a
  Model named after its file, in the metafile of its own folder, with an
  existing ``Config`` path and ``In Collection``.
- A Model with ``Weights`` has the full SHA-256 of that file, whose first 8
  hex digits end the file name (checked on the real index and on a
  generated one with published weights).
- List-valued metadata sits on one level: modelindex extends a collection's
  list by the model's, mim keeps the model's, so both would disagree.
- Results are only the measured toy ones, equal to the three toy tables of
  ``model_zoo.md``, cell for cell.
"""
import glob
import os.path as osp
import re

import pytest
from modelindex.load_model_index import load

from ..conftest import PROJECT_ROOT

INDEXED_FOLDERS = ('mpm', 'part_seg', 'object_seg', 'instance_seg', 'fewshot',
                   'toy')
SHA256_RE = re.compile(r'[0-9a-f]{64}')
#: model_zoo.md sections whose first table holds the toy results.
ZOO_SECTIONS = ('## Toy (generated data, CPU)',
                '## Part and object segmentation (toy, CPU)',
                '## Instance segmentation (toy, CPU)')
#: (config link label, metric in the metafile) -> column of that table.
ZOO_COLUMNS = {
    ('config', 'Top 1 Accuracy'): 'Val top-1',
    ('config', 'PGD-10 Top 1 Accuracy'): 'PGD-10 top-1',
    ('config', 'Part mIoU'): 'Part mIoU',
    ('parts', 'mIoU'): 'Parts mIoU',
    ('parts', 'Class-aware mIoU'): 'Parts class-aware mIoU',
    ('objects', 'mIoU'): 'Objects mIoU',
    ('config', 'Object mask AP'): 'Object mask AP',
    ('config', 'Part mask AP'): 'Part mask AP',
    ('config', 'Part mask AP given object'): 'Part mask AP given object',
    ('config', 'Object box AP'): 'Object box AP',
    ('config', 'Part box AP'): 'Part box AP',
    ('config', 'Part box AP given object'): 'Part box AP given object',
}
LINK_RE = re.compile(r'\[(\w+)\]\((configs/toy/[^)]+)\.py\)')


@pytest.fixture(scope='module')
def index():
    """The project's model index, models merged with their collections."""
    model_index = load(osp.join(PROJECT_ROOT, 'model-index.yml'))
    model_index.build_models_with_collections()
    return model_index


def weights_errors(model) -> list:
    """What is wrong with a Model's published weights.

    Args:
        model (modelindex.models.Model.Model): The Model.

    Returns:
        list[str]: One message per problem; empty when it has no
        ``Weights`` or they are well formed.
    """
    url = model.weights
    if not url:
        return []
    sha256 = str(model.data.get('SHA256', ''))
    if not SHA256_RE.fullmatch(sha256):
        return [f'{model.name}: SHA256 {sha256!r} is not 64 hex digits']
    stem, ext = osp.splitext(osp.basename(url))
    if ext != '.pth' or not stem.endswith(f'-{sha256[:8]}'):
        return [f'{model.name}: {osp.basename(url)} does not end in '
                f'-{sha256[:8]}.pth']
    return []


def parse_zoo_results(path: str) -> dict:
    """The toy results of ``model_zoo.md``, from its three toy tables.

    Args:
        path (str): ``model_zoo.md``.

    Returns:
        dict: ``{(config stem, metric): value}`` for every number in a
        column of :data:`ZOO_COLUMNS` ('-' cells are left out).
    """
    with open(path) as f:
        text = f.read()
    results = {}
    for heading in ZOO_SECTIONS:
        assert heading in text, f'{path} has no section {heading!r}'
        section = text.split(heading, 1)[1]
        lines = section.splitlines()
        first = next(i for i, line in enumerate(lines)
                     if line.startswith('|'))
        table = []
        for line in lines[first:]:
            if not line.startswith('|'):
                break
            table.append([cell.strip() for cell in line.strip('|').split('|')])
        header, rows = table[0], table[2:]
        for row in rows:
            for label, config in LINK_RE.findall('|'.join(row)):
                stem = osp.basename(config)
                for (link, metric), column in ZOO_COLUMNS.items():
                    if link != label or column not in header:
                        continue
                    cell = row[header.index(column)]
                    if cell != '-':
                        results[(stem, metric)] = float(cell)
    return results


def test_every_config_is_a_model(index):
    names = [model.name for model in index.models]
    assert len(names) == len(set(names)), 'duplicate model names'
    stems = {
        osp.splitext(osp.basename(path))[0]
        for folder in INDEXED_FOLDERS
        for path in glob.glob(osp.join(PROJECT_ROOT, 'configs', folder,
                                       '*.py'))
    }
    assert len(stems) > 20
    assert set(names) == stems


def test_models_point_at_their_config_and_collection(index):
    collections = {col.name: col for col in index.collections}
    assert {'MPM', 'UPerNet', 'DeepLabV3+', 'SegFormer'} <= set(collections)
    for model in index.models:
        folder = osp.basename(osp.dirname(model.filepath))
        assert model.config == f'configs/{folder}/{model.name}.py'
        assert osp.isfile(osp.join(PROJECT_ROOT, model.config))
        assert model.in_collection in collections, model.name
    for col in collections.values():
        assert osp.isfile(osp.join(PROJECT_ROOT, col.readme)), col.name
        if col.paper:
            assert col.paper['URL'].startswith('https://arxiv.org/abs/')


def test_list_metadata_on_one_level(index):
    collections = {col.name: col for col in index.collections}
    for model in index.models:
        col = collections[model.in_collection]
        col_meta = col.metadata.data if col.metadata else {}
        shared = [key for key, value in col_meta.items()
                  if isinstance(value, list) and key in model.metadata.data]
        assert not shared, f'{model.name} and {col.name} both list {shared}'
        full = model.full_model.metadata.data
        for key in ('Training Data', 'Training Techniques', 'Architecture'):
            values = full[key]
            assert values and len(values) == len(set(values)), model.name
    toy = next(m for m in index.models
               if m.name == 'mpm_resnet18-w32_1xb32-12e_toy-pinpp-parts')
    assert toy.full_model.metadata.data['Training Data'] == ['PIN++ toy']


def test_real_index_weights(index):
    errors = [e for model in index.models for e in weights_errors(model)]
    assert not errors


def test_weights_check_catches_bad_hashes(tmp_path):
    sha = 'ab12cd34' + '0' * 56
    base = 'https://example.org/zoo/m_20240101'
    models = {
        'good': (f'{base}-ab12cd34.pth', sha),
        'wrong_prefix': (f'{base}-ffffffff.pth', sha),
        'short_hash': (f'{base}-ab12cd34.pth', 'ab12cd34'),
        'no_hash': (f'{base}-ab12cd34.pth', None),
        'not_pth': (f'{base}-ab12cd34.pt', sha),
    }
    lines = ['Models:']
    for name, (url, sha256) in models.items():
        lines += [f'  - Name: {name}', f'    Weights: {url}']
        if sha256:
            lines.append(f"    SHA256: '{sha256}'")
    (tmp_path / 'metafile.yml').write_text('\n'.join(lines) + '\n')
    (tmp_path / 'model-index.yml').write_text(
        'Import:\n  - metafile.yml\n')
    generated = load(str(tmp_path / 'model-index.yml'))
    errors = {m.name: weights_errors(m) for m in generated.models}
    assert errors['good'] == []
    assert set(name for name, errs in errors.items() if errs) == {
        'wrong_prefix', 'short_hash', 'no_hash', 'not_pth'}
    assert 'does not end in -ab12cd34.pth' in errors['wrong_prefix'][0]


def test_results_are_the_measured_toy_ones(index):
    in_index = {}
    for model in index.models:
        results = model.results or []
        if not model.config.startswith('configs/toy/'):
            assert not results, f'{model.name}: unmeasured results'
        for result in results:
            assert result.dataset == 'PIN++ toy'
            assert result.task in ('Image Classification',
                                   'Semantic Segmentation',
                                   'Instance Segmentation')
            for metric, value in result.metrics.items():
                assert (model.name, metric) not in in_index
                in_index[(model.name, metric)] = float(value)
    in_zoo = parse_zoo_results(osp.join(PROJECT_ROOT, 'model_zoo.md'))
    assert len(in_zoo) == 23
    assert in_index == in_zoo


def test_converted_from_official(index):
    converted = {m.name: m.data['Converted From'] for m in index.models
                 if 'Converted From' in m.data}
    assert set(converted) == {
        'mpm_resnet50-gelu_8xb64-stage2-at-80e_in1k-pinpp-pseudo'}
    for source in converted.values():
        assert source['Code'] == 'https://github.com/LixiaoTHU/PartImageNetPP'
        assert source['Weights'].startswith(
            'https://drive.google.com/drive/folders/')
