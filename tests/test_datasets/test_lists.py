# Copyright (c) mmpart contributors. All rights reserved.
import os.path as osp

import pytest
from mmengine.fileio import BaseStorageBackend, register_backend

from mmpart.datasets import (BUNDLED_PREFIX, META_DIR, VAL_SUBSET_10K,
                             ImageListEntry, bundled_files,
                             format_pseudo_flags, merge_pseudo_flags,
                             read_image_list, read_pseudo_flags,
                             read_wnid_list, resolve_bundled,
                             resolve_data_file, update_pseudo_list)
from mmpart.datasets.lists import read_sample_keys, stays_in_folder

#: Files served by the in-memory backend below, by path.
MEMORY_FILES = {}


@register_backend('mmpart_test_memory', prefixes='memtest', force=True)
class MemoryBackend(BaseStorageBackend):
    """Serves :data:`MEMORY_FILES` as ``memtest://<name>``, to check that
    the readers go through mmengine's file I/O."""

    def get(self, filepath):
        return MEMORY_FILES[filepath].encode()

    def get_text(self, filepath, encoding='utf-8'):
        return MEMORY_FILES[filepath]


def test_read_image_list(tmp_path):
    path = tmp_path / 'list.txt'
    path.write_text('n1/a.JPEG 0\n\nn2/sub/b.JPEG 3\n')
    entries = read_image_list(str(path))
    assert entries == [ImageListEntry('n1/a.JPEG', 0),
                       ImageListEntry('n2/sub/b.JPEG', 3)]
    assert (entries[1].wnid, entries[1].file_name) == ('n2', 'sub/b.JPEG')
    with pytest.raises(ValueError, match=r'list.txt:3: label 3 is not below '
                       'the 3 classes'):
        read_image_list(str(path), num_classes=3)


@pytest.mark.parametrize('line,problem', [
    ('a.JPEG 0', 'expected "<wnid>/<file> <label>"'),
    ('n1/a.JPEG zero', 'expected'),
    ('n1/a.JPEG -1', 'expected'),
    ('n1/a.JPEG 0 extra', 'expected'),
    ('n1/ 0', 'expected'),
    ('n1/a.JPEG', 'no label'),
])
def test_bad_line_names_file_and_line(tmp_path, line, problem):
    path = tmp_path / 'list.txt'
    path.write_text(f'n1/ok.JPEG 0\n{line}\n')
    with pytest.raises(ValueError) as info:
        read_image_list(str(path))
    assert f'{path}:2: ' in str(info.value)
    assert problem in str(info.value) and repr(line) in str(info.value)


@pytest.mark.parametrize('entry', [
    'n01440764/../../../../tmp/x/evil.JPEG',
    'n01440764//tmp/x/abs.JPEG',
    'n01440764/./a.JPEG',
    '../n01440764/a.JPEG',
    'n01440764/sub/../../n2/a.JPEG',
])
def test_entries_leaving_their_class_folder_are_refused(tmp_path, entry):
    # Such lines made the pseudo labeller read any file and write a mask
    # anywhere: every reader refuses them, counted and named.
    path = tmp_path / 'list.txt'
    path.write_text(f'n01440764/ok.JPEG 0\n{entry} 0\nn2/sub/b.JPEG 1\n')
    refused = []
    assert read_image_list(str(path), refused=refused) == [
        ImageListEntry('n01440764/ok.JPEG', 0),
        ImageListEntry('n2/sub/b.JPEG', 1)]
    assert refused == [f'{path}:2: {entry!r}']
    # Without a list to name them in, they are refused all the same (and
    # logged).
    assert len(read_image_list(str(path))) == 2


def test_pseudo_flags_leaving_their_folder_are_refused(tmp_path):
    path = tmp_path / 'n1.txt'
    path.write_text('n1_1.JPEG 0\n../../x.JPEG 1\n/tmp/y.JPEG 1\n')
    refused = []
    assert read_pseudo_flags(str(path), refused=refused) == {
        'n1_1.JPEG': False}
    assert refused == [f"{path}:2: '../../x.JPEG'",
                       f"{path}:3: '/tmp/y.JPEG'"]


@pytest.mark.parametrize('path,inside', [
    ('n1/a.JPEG', True), ('n1/sub/a.JPEG', True), ('a.JPEG', True),
    ('n1/../a.JPEG', False), ('/tmp/a.JPEG', False), ('n1//a', False),
    ('./a', False), ('..', False), ('', False)])
def test_stays_in_folder(path, inside):
    assert stays_in_folder(path) is inside


def test_lines_without_labels(tmp_path):
    path = tmp_path / 'split.txt'
    path.write_text('n1/n1_3\nn2/n2_1 5\n')
    assert read_image_list(str(path), label_of=dict(n1=7)) == [
        ImageListEntry('n1/n1_3', 7), ImageListEntry('n2/n2_1', 5)]
    assert read_image_list(str(path), labels_optional=True)[0].label is None
    with pytest.raises(ValueError, match=r'split.txt:1: n1 has no label'):
        read_image_list(str(path), label_of=dict(n2=0))


def test_read_sample_keys(tmp_path):
    path = tmp_path / 'val.txt'
    path.write_text('n1/n1_3\n\nn2/n2_1 5\nn2/../x\n')
    refused = []
    assert read_sample_keys(str(path), refused=refused) == [
        'n1/n1_3', 'n2/n2_1']
    assert refused == [f"{path}:4: 'n2/../x'"]
    # An empty split list failed deep in the scoring with numpy's "need at
    # least one array to concatenate".
    path.write_text('\n')
    with pytest.raises(ValueError,
                       match=f'{path}: the split list names no image'):
        read_sample_keys(str(path))


def test_readers_go_through_mmengine_fileio():
    MEMORY_FILES.update({
        'memtest://list.txt': 'n1/a.JPEG 1\n',
        'memtest://wnids.txt': 'n2 goldfish\nn1 tench\n',
        'memtest://pseudo.txt': 'n1_1.JPEG 1\nn1_2.JPEG 0\n',
        'memtest://bad.txt': 'n1/a.JPEG 1\nn1/b.JPEG x\n',
    })
    assert read_image_list('memtest://list.txt') == [
        ImageListEntry('n1/a.JPEG', 1)]
    assert read_wnid_list('memtest://wnids.txt') == ['n2', 'n1']
    assert read_pseudo_flags('memtest://pseudo.txt') == {
        'n1_1.JPEG': True, 'n1_2.JPEG': False}
    with pytest.raises(ValueError, match='memtest://bad.txt:2: '):
        read_image_list('memtest://bad.txt')


def test_read_wnid_list(tmp_path):
    path = tmp_path / 'wnids.txt'
    path.write_text('n2\n\nn1 tench, Tinca tinca\n')
    assert read_wnid_list(str(path)) == ['n2', 'n1']
    assert read_wnid_list(('n3', 'n1')) == ['n3', 'n1']
    path.write_text('n2\nn1\nn2\n')
    with pytest.raises(ValueError,
                       match=r'wnids.txt:3: n2 repeated \(first on line 1'):
        read_wnid_list(str(path))
    with pytest.raises(ValueError, match=r"repeated wnids in the list: \['n1"):
        read_wnid_list(['n1', 'n2', 'n1'])
    assert len(read_wnid_list('mmpart::imagenet_r_wnids.txt')) == 200


def test_pseudo_flags_round_trip(tmp_path):
    flags = {'n1_3.JPEG': True, 'n1_1.JPEG': False}
    text = format_pseudo_flags(flags)
    assert text == 'n1_3.JPEG 1\nn1_1.JPEG 0\n'
    path = tmp_path / 'n1.txt'
    path.write_text(text)
    assert read_pseudo_flags(str(path)) == flags
    path.write_text('n1_3.JPEG yes\n')
    with pytest.raises(ValueError, match=r'n1.txt:1: expected "<file> <0\|1>'
                       r'", got .n1_3.JPEG yes.'):
        read_pseudo_flags(str(path))
    missing = str(tmp_path / 'n2.txt')
    assert read_pseudo_flags(missing, missing_ok=True) == {}
    with pytest.raises(FileNotFoundError):
        read_pseudo_flags(missing)


def test_merge_pseudo_flags_human_wins():
    current = {'b.JPEG': False, 'c.JPEG': True, 'd.JPEG': True}
    updates = {'a.JPEG': True, 'b.JPEG': True, 'd.JPEG': False}
    merged = merge_pseudo_flags(current, updates)
    assert list(merged.items()) == [('a.JPEG', True), ('b.JPEG', False),
                                    ('c.JPEG', True), ('d.JPEG', False)]


def test_update_pseudo_list(tmp_path):
    path = str(tmp_path / 'whether_pseudo' / 'n1.txt')
    assert update_pseudo_list(path, {'n1_2.JPEG': True, 'n1_1.JPEG': False})
    with open(path) as f:
        assert f.read() == 'n1_1.JPEG 0\nn1_2.JPEG 1\n'
    assert not update_pseudo_list(path, {'n1_2.JPEG': True})
    assert update_pseudo_list(path, {'n1_1.JPEG': True, 'n1_0.JPEG': True})
    assert read_pseudo_flags(path) == {
        'n1_0.JPEG': True, 'n1_1.JPEG': False, 'n1_2.JPEG': True}


def test_resolve_bundled():
    names = bundled_files()
    assert {'imagenet_val_subset_10k.txt', 'imagenet_r_wnids.txt',
            'pinpp_part_counts.tsv', 'shape_bias_16_classes.json'} <= set(
                names)
    assert resolve_bundled('mmpart::imagenet_val_subset_10k.txt') == \
        VAL_SUBSET_10K == osp.join(META_DIR, 'imagenet_val_subset_10k.txt')
    assert osp.isfile(VAL_SUBSET_10K)
    # Anything else is returned as is.
    for value in ('meta/val.txt', '/abs/list.txt', None, ['n1', 'n2']):
        assert resolve_bundled(value) == value
    with pytest.raises(FileNotFoundError) as info:
        resolve_bundled('mmpart::imagenet_val_subset_1k.txt')
    message = str(info.value)
    assert "no file 'imagenet_val_subset_1k.txt'" in message
    assert all(BUNDLED_PREFIX + name in message for name in names)


def test_resolve_data_file():
    assert resolve_data_file('label_space.tsv', 'data/pinpp') == \
        osp.join('data/pinpp', 'label_space.tsv')
    assert resolve_data_file('/abs/label_space.tsv', 'data/pinpp') == \
        '/abs/label_space.tsv'
    assert resolve_data_file('label_space.tsv') == 'label_space.tsv'
    # A bundled file is never joined with the root.
    assert resolve_data_file('mmpart::imagenet_val_subset_10k.txt',
                             'data/imagenet') == VAL_SUBSET_10K


def test_bundled_val_subset_parses():
    entries = read_image_list('mmpart::imagenet_val_subset_10k.txt',
                              num_classes=1000)
    assert len(entries) == 10000
    assert entries[0] == ImageListEntry(
        'n01440764/ILSVRC2012_val_00009191.JPEG', 0)
