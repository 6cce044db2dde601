# Copyright (c) mmpart contributors. All rights reserved.
"""Turn mmpart's checkpoint loading on in mmengine and torch: one explicit
call.

``import mmpart`` changes nothing in mmengine's ``CheckpointLoader`` or in
torch's weights-only allow-list, so another library's checkpoints in the
same process load as that library expects. What sets up an mmpart run turns
the loaders on with :func:`enable_verified_checkpoint_loaders`:
:func:`~mmpart.utils.register_all_modules` (called by ``tools/train.py``,
``tools/test.py``, the robustness suite, ``mmpart.apis.get_model`` /
``init_model`` / ``init_part_segmentor`` and the other tools that build a
model) and the model converters, which load checkpoints without building a
runner. A script that builds its own ``Runner`` from an mmpart config calls
``register_all_modules()`` first, as the tools do.
"""
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_download import (load_from_http, load_from_openmmlab,
                                  load_from_torchvision)
from .checkpoint_safety import (load_from_local,
                                register_checkpoint_safe_globals)

#: mmengine URL prefixes and the mmpart loader that replaces mmengine's for
#: them: verified downloads (see :mod:`.checkpoint_download`), and every
#: path without a scheme through the loader that explains a weights-only
#: refusal (see :mod:`.checkpoint_safety`).
VERIFIED_LOADERS = (
    (('http://', 'https://'), load_from_http),
    (('modelzoo://', 'torchvision://'), load_from_torchvision),
    (('open-mmlab://', 'openmmlab://'), load_from_openmmlab),
    ('', load_from_local),
)


def enable_verified_checkpoint_loaders() -> None:
    """Register mmpart's checkpoint loaders with mmengine and its types
    with torch's weights-only allow-list.

    After this call ``load_from``, ``resume``, ``init_cfg=dict(type=
    'Pretrained')`` and ``load_checkpoint`` download ``http(s)://``,
    ``torchvision://`` and ``open-mmlab://`` checkpoints verified, and load
    runner checkpoints weights-only. Calling it again changes nothing.
    """
    register_checkpoint_safe_globals()
    for prefixes, loader in VERIFIED_LOADERS:
        CheckpointLoader.register_scheme(prefixes, loader, force=True)
