# Copyright (c) mmpart contributors. All rights reserved.
import torch
import torch.nn as nn


def normalizes(preprocessor: nn.Module) -> bool:
    """Whether a data preprocessor normalises its inputs by ``mean`` and
    ``std``.

    mmengine's ``ImgDataPreprocessor`` and its subclasses (mmpretrain's
    ``ClsDataPreprocessor``, mmseg's ``SegDataPreProcessor``, mmpart's
    preprocessors) keep this in the private ``_enable_normalize`` and have no
    public attribute that says it, so it is read here and nowhere else.
    Checked with mmengine 0.10.7, mmpretrain 1.2.0 and mmseg 1.2.2 (the
    ranges pinned in ``requirements/mminstall.txt``);
    ``tests/test_models/test_pixel_space.py`` fails if that changes.

    Args:
        preprocessor (nn.Module): An mmengine ``ImgDataPreprocessor`` (or
            subclass).

    Returns:
        bool: True if it normalises.

    Raises:
        TypeError: The preprocessor does not say whether it normalises
            (not an ``ImgDataPreprocessor``, or mmengine changed); guessing
            would attack the wrong pixels.
    """
    try:
        return bool(preprocessor._enable_normalize)
    except AttributeError:
        raise TypeError(
            f'{type(preprocessor).__name__} has no `_enable_normalize`, so '
            'mmpart cannot tell whether it normalises the images it '
            'produces. Pixel-space attacks need an mmengine '
            'ImgDataPreprocessor (e.g. mmpretrain\'s ClsDataPreprocessor); '
            'if this is one, mmengine changed how it records normalisation '
            '(mmpart was checked with mmengine 0.10.7).') from None


def to_pixels(preprocessor: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """Model inputs (normalised if the preprocessor normalises) to [0, 1].

    Args:
        preprocessor (nn.Module): An mmpretrain data preprocessor.
        inputs (Tensor): What it produced.

    Returns:
        Tensor: Pixels in [0, 1] (before clamping).
    """
    if normalizes(preprocessor):
        inputs = inputs * preprocessor.std + preprocessor.mean
    return inputs / 255


def from_pixels(preprocessor: nn.Module, pixels: torch.Tensor) -> torch.Tensor:
    """[0, 1] pixels to the model inputs the preprocessor would produce.

    Args:
        preprocessor (nn.Module): An mmpretrain data preprocessor.
        pixels (Tensor): Pixels in [0, 1].

    Returns:
        Tensor: Model inputs.
    """
    inputs = pixels * 255
    if normalizes(preprocessor):
        inputs = (inputs - preprocessor.mean) / preprocessor.std
    return inputs


class PixelSpaceClassifier(nn.Module):
    """Wrap an mmpretrain classifier to take [0, 1] images and give logits,
    with normalisation inside, as attack libraries expect.

    Args:
        classifier (nn.Module): An mmpretrain classifier (``mode='tensor'``
            gives logits) with a ``data_preprocessor``.
    """

    def __init__(self, classifier: nn.Module):
        super().__init__()
        self.classifier = classifier

    # Attack libraries save ``model.training`` and restore it afterwards
    # (torchattacks calls ``train()`` when it was True), so the wrapper
    # reports the wrapped classifier's mode instead of keeping its own.
    @property
    def training(self) -> bool:
        classifier = self.__dict__.get('_modules', {}).get('classifier')
        return classifier.training if classifier is not None else False

    @training.setter
    def training(self, mode: bool) -> None:
        # ``nn.Module.train`` sets the children (the classifier) itself.
        pass

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        inputs = from_pixels(self.classifier.data_preprocessor, pixels)
        return self.classifier(inputs, mode='tensor')
