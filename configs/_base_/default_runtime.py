# mmpart's runtime: mmpretrain's, with the mmpart scope so that mmpart types,
# mmpretrain types (the parent scope) and `mmseg.` types all build.
_base_ = 'mmpretrain::_base_/default_runtime.py'

default_scope = 'mmpart'
custom_imports = dict(imports=['mmpart'], allow_failed_imports=False)

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(max_keep_ckpts=2, save_best='auto'))
