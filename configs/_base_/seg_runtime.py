# mmseg's runtime (segmentation visualizer, iteration-based logs) in the
# mmpart scope, for the segmentation configs: mmpart types, mmpretrain types
# (the parent scope) and `mmseg.` types all build. Its hooks come with the
# schedule, as in mmseg.
_base_ = 'mmseg::_base_/default_runtime.py'

default_scope = 'mmpart'
custom_imports = dict(imports=['mmpart'], allow_failed_imports=False)
