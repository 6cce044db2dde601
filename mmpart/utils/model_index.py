# Copyright (c) mmpart contributors. All rights reserved.
"""mmpart's model zoo index: the models of ``model-index.yml``.

The index is in the OpenMMLab format (``model-index.yml`` importing one
``metafile.yml`` per config folder), read with the ``model-index`` library
as mmpretrain reads its own. mmpart adds one field per model with weights,
``SHA256``: the full hash of the weights file, which
:func:`~mmpart.utils.checkpoint_download.download_checkpoint` checks.
"""
import fnmatch
import os.path as osp
from typing import Dict, List, Optional

from modelindex.load_model_index import load
from modelindex.models.Model import Model

PACKAGE_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
#: The converter of the paper's official MPM checkpoints.
OFFICIAL_CONVERTER = 'tools/model_converters/official_mpm_to_mmpart.py'


def default_model_index() -> str:
    """The ``model-index.yml`` that ships with mmpart.

    An installed package carries it in ``mmpart/.mim/`` (a copy in a wheel,
    links for ``pip install -e .``); a source tree that was never installed
    has it at its root.

    Returns:
        str: The path.

    Raises:
        FileNotFoundError: Neither exists.
    """
    candidates = (osp.join(PACKAGE_ROOT, '.mim', 'model-index.yml'),
                  osp.join(osp.dirname(PACKAGE_ROOT), 'model-index.yml'))
    for path in candidates:
        if osp.isfile(path):
            return path
    raise FileNotFoundError(
        'mmpart\'s model-index.yml was found neither in the package '
        f'({candidates[0]}) nor in the source tree ({candidates[1]}); '
        'reinstall mmpart (pip install -e . makes the .mim links).')


class ModelHub:
    """The models of mmpart's index, by name (case-insensitive).

    Like mmpretrain's ``ModelHub``, but holding only mmpart's models (and
    any index a user registers), so names never clash with mmpretrain's.
    The bundled index registers itself on first use.
    """

    _models: Dict[str, Model] = {}
    _default_registered = False

    @classmethod
    def register_model_index(cls,
                             path: str,
                             config_prefix: Optional[str] = None) -> None:
        """Add every model of a ``model-index.yml`` (or one metafile).

        Args:
            path (str): The index file.
            config_prefix (str, optional): The folder the models' ``Config``
                paths are relative to. Defaults to the index's folder.

        Raises:
            ValueError: A model name is already registered.
        """
        index = load(str(path))
        index.build_models_with_collections()
        prefix = config_prefix or osp.dirname(osp.abspath(path))
        for model in index.models:
            key = model.name.lower()
            if key in cls._models:
                raise ValueError(
                    f'model "{model.name}" of {model.filepath} is already '
                    f'registered from {cls._models[key].filepath}')
            if model.config is not None and not osp.isabs(model.config):
                model.config = osp.abspath(osp.join(prefix, model.config))
            cls._models[key] = model

    @classmethod
    def unregister(cls, names: List[str]) -> None:
        """Forget these models (e.g. those of a temporary index).

        Args:
            names (list[str]): Model names.
        """
        for name in names:
            cls._models.pop(name.lower(), None)

    @classmethod
    def _ensure_default(cls) -> None:
        if not cls._default_registered:
            cls.register_model_index(default_model_index())
            cls._default_registered = True

    @classmethod
    def get(cls, name: str) -> Model:
        """A model's entry.

        Args:
            name (str): The model name (a config stem).

        Returns:
            modelindex.models.Model.Model: ``config`` is an absolute path,
            ``weights`` the checkpoint URL or None, ``data.get('SHA256')``
            the weights' full hash.

        Raises:
            ValueError: No model has this name.
        """
        cls._ensure_default()
        model = cls._models.get(name.lower())
        if model is None:
            close = fnmatch.filter(cls._models, f'*{name.lower()[:12]}*')
            hint = f' Similar: {sorted(close)[:5]}.' if close else ''
            raise ValueError(
                f'no model "{name}" in mmpart\'s model index; '
                f'mmpart.apis.list_models() lists them.{hint}')
        return model

    @classmethod
    def get_with_weights(cls, name: str) -> Model:
        """A model's entry, which must have published weights.

        Args:
            name (str): The model name.

        Returns:
            modelindex.models.Model.Model: See :meth:`get`.

        Raises:
            ValueError: No such model, or it has no weights; the message
                says how to get them (train it, or for a model with
                ``Converted From`` convert the official checkpoint).
        """
        model = cls.get(name)
        if model.weights is not None:
            return model
        config = config_in_repo(model.config)
        ways = [f'train it: python tools/train.py {config}']
        converted = (model.data.get('Converted From') or {}).get('Weights')
        if converted:
            ways.append(
                'or convert the official checkpoint (released at '
                f'{converted}): python {OFFICIAL_CONVERTER} {config} '
                'OFFICIAL.pth OUT.pth')
        raise ValueError(
            f'model "{model.name}" has no published weights in mmpart\'s '
            'model zoo. To get them, ' + '; '.join(ways) + '.')

    @classmethod
    def names(cls) -> List[str]:
        """Every registered model name, sorted."""
        cls._ensure_default()
        return sorted(model.name for model in cls._models.values())

    @classmethod
    def weights_hashes(cls) -> Dict[str, str]:
        """The published weights and their full SHA-256.

        Returns:
            dict[str, str]: ``Weights`` URL -> lower-case hex ``SHA256``, for
            every model that has both.
        """
        cls._ensure_default()
        return {
            model.weights: str(model.data['SHA256']).lower()
            for model in cls._models.values()
            if model.weights is not None and 'SHA256' in model.data
        }


def config_in_repo(config: str) -> str:
    """``configs/<folder>/<file>.py`` for a config in an installed
    package's ``.mim`` or in a source tree, as the docs' commands write it.

    Args:
        config (str): An absolute config path.

    Returns:
        str: The path from ``configs/``, or ``config`` if it is not in one.
    """
    parts = config.replace(osp.sep, '/').rsplit('/configs/', 1)
    return 'configs/' + parts[1] if len(parts) == 2 else config
