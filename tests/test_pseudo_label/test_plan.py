# Copyright (c) mmpart contributors. All rights reserved.
import os
import os.path as osp

from mmpart.datasets import LabelSpace, PINPPLayout
from mmpart.pseudo_label.plan import plan_pseudo_labels


def test_list_entries_leaving_their_class_folder_are_refused(tmp_path):
    # An --ann-file line such as 'n01440764/../../../../tmp/x/evil.JPEG' or
    # 'n01440764//tmp/x/abs.JPEG' made the labeller read that file, write
    # its mask outside the out root and list it in whether_pseudo/.
    wnid = 'n01440764'
    train, root = tmp_path / 'train', tmp_path / 'pinpp'
    os.makedirs(train / wnid)
    (train / wnid / 'a.JPEG').write_bytes(b'')
    os.makedirs(root / 'whether_pseudo')
    (root / 'whether_pseudo' / f'{wnid}.txt').write_text('../../h.JPEG 0\n')
    bad = [f'{wnid}/../../../../tmp/x/evil.JPEG', f'{wnid}//tmp/x/abs.JPEG']
    ann_file = tmp_path / 'list.txt'
    ann_file.write_text('\n'.join([f'{wnid}/a.JPEG'] + bad) + '\n')
    plan = plan_pseudo_labels(
        LabelSpace.from_part_counts({wnid: 2}), str(root), str(train),
        str(root), {}, batch_size=2, ann_file=str(ann_file),
        object_maps=True)
    assert [item.image for item in plan.items] == [f'{wnid}/a.JPEG']
    item = plan.items[0]
    layout = PINPPLayout(str(root))
    assert (item.path, item.seg_path, item.obj_path) == (
        osp.join(train, wnid, 'a.JPEG'), layout.seg_map(wnid, 'a'),
        layout.obj_map(wnid, 'a'))
    assert plan.skipped['outside_class_folder'] == 3
    assert plan.refused == [
        f'{ann_file}:2: {bad[0]!r}', f'{ann_file}:3: {bad[1]!r}',
        f"{layout.pseudo_list(wnid)}:1: '../../h.JPEG'"]
