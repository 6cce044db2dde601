# Copyright (c) mmpart contributors. All rights reserved.
"""The evaluation attacks by name, so that configs, loops and the robustness
suite say ``attack='pgd10_linf'`` instead of spelling the attack out."""
import copy
from typing import Optional, Union

from .torchattacks_adapter import DEFAULT_EPS


def _pgd10(norm: str, random_start: bool) -> dict:
    """PGD-10 with steps of ε/4 at the protocol ε of ``norm``.

    Args:
        norm (str): 'Linf' (torchattacks ``PGD``) or 'L2' (``PGDL2``).
        random_start (bool): Start from a random point of the ε-ball.

    Returns:
        dict: The torchattacks config.
    """
    eps = DEFAULT_EPS[norm]
    return dict(
        type='PGD' if norm == 'Linf' else 'PGDL2',
        eps=eps,
        alpha=eps / 4,
        steps=10,
        random_start=random_start)


#: Named torchattacks configs, in [0, 1] pixel units.
#:
#: - ``pgd10_linf``: L-inf PGD, 10 steps of ε/4 from a uniform random point
#:   of the ε-ball; MPM's checkpoint-selection attack (Li et al.,
#:   "PartImageNet++ Dataset: Scaling up Part-based Models for Robust
#:   Recognition", ECCV 2024), as the official ``validate`` runs it.
#: - ``pgd10_l2``: L2 PGD, 10 steps of ε/4 from a random point of the
#:   ε-ball. The official code has no L2 PGD (its L2 numbers are
#:   AutoAttack's), so the start is torchattacks': a Gaussian direction
#:   scaled to a radius uniform in [0, ε].
#: - ``pgd10_linf_clean_start`` / ``pgd10_l2_clean_start``: the same from
#:   the clean image (deterministic).
#: - ``autoattack_linf`` / ``autoattack_l2``: AutoAttack "standard"
#:   (APGD-CE, APGD-T, FAB-T, Square; Croce & Hein, ICML 2020).
#:
#: The random starts draw from the global torch generator, which
#: ``mmengine.runner.set_random_seed`` seeds: a run with
#: ``randomness=dict(seed=...)`` attacks the same way each time.
ATTACK_PROTOCOLS = dict(
    pgd10_linf=_pgd10('Linf', random_start=True),
    pgd10_l2=_pgd10('L2', random_start=True),
    pgd10_linf_clean_start=_pgd10('Linf', random_start=False),
    pgd10_l2_clean_start=_pgd10('L2', random_start=False),
    autoattack_linf=dict(
        type='AutoAttack',
        norm='Linf',
        eps=DEFAULT_EPS['Linf'],
        version='standard'),
    autoattack_l2=dict(
        type='AutoAttack', norm='L2', eps=DEFAULT_EPS['L2'],
        version='standard'),
)


def resolve_attack_cfg(attack: Optional[Union[str, dict]]) -> dict:
    """The torchattacks config an ``attack`` argument stands for.

    Args:
        attack (str | dict, optional): A name in :data:`ATTACK_PROTOCOLS`;
            a dict with ``protocol`` (such a name) and overrides of its
            arguments; or a torchattacks config (``type`` and arguments).
            None means ``'pgd10_linf'``.

    Returns:
        dict: ``type`` and arguments of a torchattacks attack (a new dict).

    Examples:
        >>> resolve_attack_cfg('pgd10_l2')['eps']
        2.0
        >>> resolve_attack_cfg(dict(protocol='pgd10_l2', eps=0.86))['eps']
        0.86
        >>> resolve_attack_cfg(dict(type='PGD', steps=3))
        {'type': 'PGD', 'steps': 3}
    """
    if attack is None:
        attack = 'pgd10_linf'
    if isinstance(attack, str):
        attack = dict(protocol=attack)
    attack = copy.deepcopy(dict(attack))
    name = attack.pop('protocol', None)
    if name is None:
        if 'type' not in attack:
            raise KeyError(f'attack {attack} names neither a protocol '
                           f'({list(ATTACK_PROTOCOLS)}) nor a torchattacks '
                           '`type`')
        return attack
    if name not in ATTACK_PROTOCOLS:
        raise KeyError(f'unknown attack protocol {name!r}; the protocols '
                       f'are {list(ATTACK_PROTOCOLS)}')
    return dict(copy.deepcopy(ATTACK_PROTOCOLS[name]), **attack)
