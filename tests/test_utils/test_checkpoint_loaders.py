# Copyright (c) mmpart contributors. All rights reserved.
import json
import subprocess
import sys
import textwrap

from mmengine.runner.checkpoint import CheckpointLoader

from mmpart.utils.checkpoint_loaders import VERIFIED_LOADERS
from ..conftest import PROJECT_ROOT

# Reads mmengine's scheme table (a private attribute): the test is about
# that table, and no public API lists it.
PROBE = textwrap.dedent("""
    import json, sys
    import torch
    from mmengine.runner.checkpoint import CheckpointLoader

    def state():
        return dict(
            schemes={p: f'{f.__module__}.{f.__name__}'
                     for p, f in CheckpointLoader._schemes.items()},
            # torch's own modules add theirs when imported (dynamo, ...).
            safe=sorted(r for r in map(repr,
                                       torch.serialization.get_safe_globals())
                        if not r.startswith("<class 'torch.")))

    before = state()
    import mmpart, mmpart.apis, mmpart.engine, mmpart.export  # noqa
    import mmpart.models, mmpart.robustness, mmpart.utils  # noqa
    after_import = state()
    getattr(mmpart.utils, sys.argv[1])()
    json.dump(dict(before=before, after_import=after_import,
                   after_call=state()), sys.stdout)
""")


def probe(call: str) -> dict:
    """Run :data:`PROBE` in a fresh interpreter, calling ``mmpart.utils``'s
    ``call`` after the imports."""
    proc = subprocess.run([sys.executable, '-c', PROBE, call],
                          cwd=PROJECT_ROOT,
                          stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def mmpart_loaders() -> dict:
    return {
        prefix: f'{loader.__module__}.{loader.__name__}'
        for prefixes, loader in VERIFIED_LOADERS
        for prefix in ((prefixes, ) if isinstance(prefixes, str) else
                       prefixes)
    }


def test_import_changes_nothing_and_one_call_turns_loaders_on():
    states = probe('enable_verified_checkpoint_loaders')
    assert states['after_import'] == states['before']
    schemes = states['after_call']['schemes']
    for prefix, loader in mmpart_loaders().items():
        assert states['before']['schemes'][prefix].startswith('mmengine.')
        assert schemes[prefix] == loader, prefix
    # Other schemes (s3, pavi, ...) stay mmengine's.
    assert {p: f for p, f in schemes.items() if p not in mmpart_loaders()} \
        == {p: f for p, f in states['before']['schemes'].items()
            if p not in mmpart_loaders()}
    safe = states['after_call']['safe']
    assert len(safe) > len(states['before']['safe'])
    assert any('HistoryBuffer' in entry for entry in safe)


def test_loaders_are_on_in_the_test_session():
    # conftest.py sets up as the tools do: register_all_modules.
    for prefixes, loader in VERIFIED_LOADERS:
        for prefix in (prefixes, ) if isinstance(prefixes, str) else prefixes:
            assert CheckpointLoader._schemes[prefix] is loader
