# Copyright (c) mmpart contributors. All rights reserved.
import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.dist import init_dist


def _init_cpu_process_group() -> None:
    """Start the ``gloo`` process group of a ``torchrun`` launch, once."""
    if not torch_dist.is_initialized():
        # torchrun provides RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT.
        torch_dist.init_process_group(backend='gloo')


def init_distributed(launcher: str) -> None:
    """Start the process group of a tool that runs without the Runner.

    ``'pytorch'`` (``torchrun``) without CUDA starts a ``gloo`` group (see
    :func:`setup_cpu_distributed` for why mmengine's cannot); otherwise
    mmengine's ``init_dist`` does it, as the Runner would.

    Args:
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or
            ``'mpi'``.
    """
    if launcher == 'none':
        return
    if launcher == 'pytorch' and not torch.cuda.is_available():
        _init_cpu_process_group()
    elif not torch_dist.is_initialized():
        init_dist(launcher)


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Prepare a ``torchrun`` launch on machines without CUDA.

    mmengine 0.10.7 assumes GPUs in a distributed run: its process-group setup
    calls ``torch.cuda.set_device`` and it wraps the model in DDP with
    ``device_ids=[LOCAL_RANK]``. Without CUDA this starts the ``gloo`` process
    group itself (the Runner then skips its own set-up) and sets the DDP
    wrapper's ``device_ids`` to None, which is what DDP needs for CPU modules.

    Args:
        cfg (Config): The config; its ``env_cfg`` and ``model_wrapper_cfg``
            are updated in place.
        launcher (str): The ``--launcher`` argument.

    Returns:
        bool: True if a CPU process group was set up.
    """
    if launcher != 'pytorch' or torch.cuda.is_available():
        return False
    dist_cfg = cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})
    dist_cfg['backend'] = 'gloo'
    _init_cpu_process_group()
    wrapper_cfg = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel')
    wrapper_cfg['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper_cfg
    return True


def teardown_distributed() -> None:
    """Close the process group, if any, before the process exits.

    Without it, gloo's background threads may still be running when the
    interpreter exits, and a rank can abort ("terminate called without an
    active exception") after its work is done, failing the whole launch.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()
        torch_dist.destroy_process_group()
