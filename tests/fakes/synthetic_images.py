"""Synthetic images with known QC answers (numpy + PIL only), for tests and benchmarks.

`macro_scene` imitates an extreme close-up: a natural 1/f surface texture in
sharp focus around one point, falling off into blur and a dark, plain
background, like a macro lens at a shallow depth of field.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter


def natural_texture(height: int, width: int, seed: int = 0, *, contrast: float = 40.0) -> np.ndarray:
    """A 1/f (natural-image-like) texture, float, mean 128, standard deviation `contrast`."""
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((height, width))
    fy = np.fft.fftfreq(height)[:, None]
    fx = np.fft.rfftfreq(width)[None, :]
    radius = np.sqrt(fy * fy + fx * fx)
    radius[0, 0] = 1.0
    spectrum = np.fft.rfft2(noise) / radius
    spectrum[0, 0] = 0.0
    texture = np.fft.irfft2(spectrum, s=(height, width))
    texture = (texture - texture.mean()) / (texture.std() + 1e-9)
    return 128.0 + contrast * texture


def gaussian_blur(array: np.ndarray, sigma: float) -> np.ndarray:
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(sigma)), dtype=np.float64)


def macro_scene(size: int | tuple[int, int] = 128, *, centre=(0.5, 0.5), radius: float = 0.22, seed: int = 0,
                blur: float | None = None, background: float = 22.0, gain: float = 1.0) -> np.ndarray:
    """RGB uint8: textured subject sharp around `centre` (fractions), soft elsewhere, on a dark plain ground."""
    height, width = (size, size) if isinstance(size, int) else size
    texture = natural_texture(height, width, seed)
    soft = gaussian_blur(texture, blur or max(2.0, min(height, width) / 24))
    yy, xx = np.mgrid[0:height, 0:width]
    dist = np.hypot((xx + 0.5) / width - centre[0], (yy + 0.5) / height - centre[1])
    focus = np.clip(1.0 - (dist - radius) / (0.35 * radius), 0.0, 1.0)  # 1 inside the focal patch, soft edge
    subject = np.clip(1.0 - (dist - 1.4 * radius) / (0.5 * radius), 0.0, 1.0)  # the object, larger than the focus
    luma = focus * texture + (1.0 - focus) * soft
    luma = subject * luma + (1.0 - subject) * (background + 4.0 * (yy / height))
    luma = gain * luma
    tint = np.array([1.05, 0.95, 0.85])
    rgb = np.clip(luma[:, :, None] * tint[None, None, :], 0, 255)
    return rgb.astype(np.uint8)


def blurred(size: int = 128, sigma: float | None = None, seed: int = 0) -> np.ndarray:
    scene = macro_scene(size, seed=seed).astype(np.float64)
    sigma = sigma or size / 20
    return np.stack([gaussian_blur(scene[:, :, c], sigma) for c in range(3)], axis=2).astype(np.uint8)


def tiled(size: int = 128, repeats: int = 2, seed: int = 0) -> np.ndarray:
    block = macro_scene(size // repeats, seed=seed, radius=0.3)
    return np.tile(block, (repeats, repeats, 1))


def white_noise(size: int = 128, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    grey = np.clip(128 + 40 * rng.standard_normal((size, size)), 0, 255)
    return np.repeat(grey[:, :, None], 3, axis=2).astype(np.uint8)


def plastic(size: int = 128) -> np.ndarray:
    """A smooth, flat-shaded object with hard edges: sharp outline, no surface texture."""
    yy, xx = np.mgrid[0:size, 0:size] / size
    disc = np.hypot(xx - 0.5, yy - 0.5) < 0.3
    grey = 30.0 + 40.0 * yy
    grey = np.where(disc, 160.0 + 30.0 * xx, grey)
    return np.repeat(grey[:, :, None], 3, axis=2).astype(np.uint8)


def write_png(array: np.ndarray, path) -> str:
    Image.fromarray(array).save(path)
    return str(path)
