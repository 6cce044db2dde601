# Copyright (c) mmpart contributors. All rights reserved.
"""Build torchattacks attacks (PGD, PGDL2, AutoAttack, ...) against an
mmpretrain classifier, for evaluation."""
import copy
import inspect

import torch.nn as nn

from .pixel_space import PixelSpaceClassifier

#: The evaluation budget per norm, in [0, 1] pixel units: the ε an attack
#: gets when its config leaves ``eps`` out. torchattacks bounds Linf and L2
#: only (its APGD, FAB and Square assert one of them), so there is no L1.
DEFAULT_EPS = dict(Linf=4 / 255, L2=2.0)


def attack_norm(attack_cfg: dict) -> str:
    """The norm a torchattacks config bounds.

    Args:
        attack_cfg (dict): ``type`` and arguments of a torchattacks attack.

    Returns:
        str: Its ``norm``, else ``'L2'`` for torchattacks' ``*L2`` classes
        and ``'Linf'`` otherwise.
    """
    if 'norm' in attack_cfg:
        return attack_cfg['norm']
    return 'L2' if attack_cfg['type'].endswith('L2') else 'Linf'


def build_attack(attack_cfg: dict, classifier: nn.Module):
    """Build a torchattacks attack against an mmpretrain classifier.

    Missing arguments get the evaluation protocol's values rather than
    torchattacks' (which are 8/255 and 10 classes): ``eps`` from
    :data:`DEFAULT_EPS` by norm, ``n_classes`` from the head, and
    ``seed=0``.

    Args:
        attack_cfg (dict): ``type`` is a torchattacks class name (``PGD``,
            ``PGDL2``, ``AutoAttack``, ``APGD``, ...), the rest its
            arguments. Protocol names are resolved before, by
            :func:`~mmpart.models.attacks.resolve_attack_cfg`.
        classifier (nn.Module): The classifier (not wrapped).

    Returns:
        torchattacks.Attack: An attack on [0, 1] images.

    Examples:
        >>> attack = build_attack(dict(type='PGD', steps=10), classifier)
        >>> adv_pixels = attack(pixels, labels)  # eps 4/255, in [0, 1]
    """
    try:
        import torchattacks
    except ImportError as e:
        raise ImportError(
            'adversarial evaluation needs torchattacks: pip install '
            '--no-deps torchattacks==3.5.1 (its requests pin is not '
            'needed at run time)') from e
    cfg = copy.deepcopy(dict(attack_cfg))
    attack_type = cfg.pop('type')
    if not hasattr(torchattacks, attack_type):
        raise KeyError(f'torchattacks has no attack {attack_type!r}')
    attack_cls = getattr(torchattacks, attack_type)
    accepted = inspect.signature(attack_cls).parameters
    norm = attack_norm(attack_cfg)
    if norm not in DEFAULT_EPS:
        raise ValueError(f'{attack_type} with norm {norm!r}: torchattacks '
                         'supports Linf and L2 only (no L1 AutoAttack)')
    defaults = dict(eps=DEFAULT_EPS[norm], seed=0)
    if 'n_classes' in accepted:
        defaults['n_classes'] = classifier.head.num_classes
    for key, value in defaults.items():
        if key in accepted:
            cfg.setdefault(key, value)
    return attack_cls(PixelSpaceClassifier(classifier), **cfg)
