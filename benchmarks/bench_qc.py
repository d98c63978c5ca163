"""QC speed: milliseconds per megapixel on one core, beside a straightforward reference of the same measures.

The reference is a plain scikit-image/scipy implementation (full-resolution
Laplacian, per-pixel local variance with a uniform filter, Sobel edge density,
Shannon entropy, full-size FFT autocorrelation, labelled components) when
scikit-image is installed (the `dev` extra has it); otherwise a naive numpy
one (sliding-window variance, full-size FFT), and the note says which.

Run: `python -m benchmarks.bench_qc` (prints a table); `run()` returns the rows.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = ((512, 512), (1024, 1024), (1024, 1280), (2048, 2048))
TARGET_MS_PER_MP = 30.0


def _scene(width: int, height: int) -> np.ndarray:
    from tests.fakes.synthetic_images import macro_scene

    return macro_scene((height, width), seed=1)


def _best_ms(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return min(times)


def skimage_reference(rgb: np.ndarray, region=(0.2, 0.2, 0.6, 0.6)) -> dict:
    """The same measures, written the obvious way with scikit-image and scipy at full resolution."""
    from scipy import ndimage
    from skimage import color, filters, measure, transform, util

    grey = color.rgb2gray(rgb) * 255.0
    height, width = grey.shape
    x0, y0 = int(region[0] * width), int(region[1] * height)
    x1, y1 = int((region[0] + region[2]) * width), int((region[1] + region[3]) * height)
    inside = np.zeros(grey.shape, dtype=bool)
    inside[y0:y1, x0:x1] = True
    lap = filters.laplace(grey, ksize=3) * 4.0
    mean = ndimage.uniform_filter(lap, size=15)
    local_var = ndimage.uniform_filter(lap * lap, size=15) - mean * mean
    peak = float(np.percentile(local_var, 98))
    sharp = local_var >= max(20.0, 0.25 * peak)
    labels = measure.label(sharp)
    props = measure.regionprops(labels)
    border = [p for p in props if p.bbox[0] == 0 or p.bbox[1] == 0 or p.bbox[2] == height or p.bbox[3] == width]
    texture = lap[sharp & inside] if (sharp & inside).any() else lap[inside]
    half = transform.downscale_local_mean(grey, (2, 2))
    lap_half = filters.laplace(half, ksize=3) * 4.0
    edges = filters.sobel(grey) > 8.0
    entropy = measure.shannon_entropy(util.img_as_ubyte(np.clip(grey / 255.0, 0, 1))[~inside])
    detail = lap - lap.mean()
    spectrum = np.fft.fft2(detail)
    auto = np.fft.ifft2(np.abs(spectrum) ** 2).real
    auto /= auto[0, 0]
    clipped = (rgb.max(axis=2) >= 254).mean()
    return {"peak": peak, "sharp": float(sharp.mean()), "border": len(border),
            "rms": float(np.sqrt((texture ** 2).mean())),
            "half": float((lap_half ** 2).mean()), "edges_out": float(edges[~inside].mean()), "entropy": entropy,
            "auto": float(np.sort(auto.ravel())[-2]), "clipped": float(clipped)}


def numpy_reference(rgb: np.ndarray, region=(0.2, 0.2, 0.6, 0.6)) -> dict:
    """The same measures, written the naive numpy way (no scipy): sliding windows, full-size FFT."""
    from numpy.lib.stride_tricks import sliding_window_view

    grey = rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    height, width = grey.shape
    x0, y0 = int(region[0] * width), int(region[1] * height)
    x1, y1 = int((region[0] + region[2]) * width), int((region[1] + region[3]) * height)
    inside = np.zeros(grey.shape, dtype=bool)
    inside[y0:y1, x0:x1] = True
    padded = np.pad(grey, 1, mode="edge")
    kernel = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]], dtype=np.float64)
    lap = sum(kernel[i, j] * padded[i:i + height, j:j + width] for i in range(3) for j in range(3))
    windows = sliding_window_view(np.pad(lap, 7, mode="edge"), (15, 15))[:, :, ::3, ::3]  # subsampled 5x5 taps
    local_var = windows.var(axis=(2, 3))
    peak = float(np.percentile(local_var, 98))
    sharp = local_var >= max(20.0, 0.25 * peak)
    texture = lap[sharp & inside] if (sharp & inside).any() else lap[inside]
    gx = padded[1:-1, 2:] - padded[1:-1, :-2]
    gy = padded[2:, 1:-1] - padded[:-2, 1:-1]
    edges = np.hypot(gx, gy) > 8.0
    counts = np.bincount(grey[~inside].astype(np.uint8), minlength=256)
    p = counts[counts > 0] / counts.sum()
    detail = lap - lap.mean()
    spectrum = np.fft.fft2(detail)
    auto = np.fft.ifft2(np.abs(spectrum) ** 2).real
    auto /= auto[0, 0]
    return {"peak": peak, "sharp": float(sharp.mean()), "rms": float(np.sqrt((texture ** 2).mean())),
            "edges_out": float(edges[~inside].mean()), "entropy": float(-(p * np.log2(p)).sum()),
            "auto": float(np.sort(auto.ravel())[-2]), "clipped": float((rgb.max(axis=2) >= 254).mean())}


def run(repeats: int = 5) -> list[dict]:
    from PIL import Image

    from tools.qc import assess

    have_skimage = importlib.util.find_spec("skimage") is not None and importlib.util.find_spec("scipy") is not None
    reference = skimage_reference if have_skimage else numpy_reference
    if have_skimage:
        import skimage

        ref_name = f"scikit-image {skimage.__version__} straightforward full-resolution reference"
    else:
        ref_name = "naive numpy reference (scikit-image not installed)"
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if affinity:
        os.sched_setaffinity(0, {min(affinity)})  # one core, as the target says
    rows = []
    try:
        for width, height in SIZES:
            rgb = _scene(width, height)
            image = Image.fromarray(rgb)
            mp = width * height / 1e6
            ours = _best_ms(lambda: assess(image), repeats) / mp  # noqa: B023 - called here, in this iteration
            base = _best_ms(lambda: reference(rgb), max(2, repeats // 2)) / mp  # noqa: B023 - called here
            rows.append({
                "benchmark": "qc", "metric": f"assess {width}x{height}", "value": round(ours, 2), "unit": "ms/MP",
                "baseline": round(base, 2), "ratio": round(base / ours, 1),
                "note": f"one core, best of {repeats}; target < {TARGET_MS_PER_MP:.0f} ms/MP "
                        f"({'met' if ours < TARGET_MS_PER_MP else 'MISSED'}); baseline: {ref_name}",
            })
        # End to end from a PNG file (decode included), the way `ecu qc` runs.
        import tempfile

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "scene.png"
            Image.fromarray(_scene(1024, 1024)).save(path)
            from_file = _best_ms(lambda: assess(path), repeats)
            decode = _best_ms(lambda: Image.open(path).load(), repeats)
        rows.append({"benchmark": "qc", "metric": "assess PNG file 1024x1024", "value": round(from_file, 2),
                     "unit": "ms", "baseline": round(decode, 2), "ratio": round(from_file / decode, 1),
                     "note": "decode included; baseline is PNG decode alone"})
    finally:
        if affinity:
            os.sched_setaffinity(0, affinity)
    return rows


if __name__ == "__main__":
    from benchmarks.common import print_table

    print_table(run())
