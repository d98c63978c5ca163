"""Quality control for ECU renders: numpy and PIL measures, no downloaded weights.

One pass over the grey image gives a 4-neighbour Laplacian; tile statistics of
it make the focus map (local variance of the Laplacian), the texture measures
and the edge density. From those:

- `focus_logic`: is there a sharp region, and is it where the detail was meant
  to be (default: the central area; a region x,y,w,h can be given)? Background
  simplicity outside that region (edge density, grey-level entropy) is part of
  the evidence, and a busy background fails it for extreme close-ups.
- `texture_realism`: fine-scale energy inside the sharp part of the region,
  neither plastic-smooth (no energy, or energy only on a few edges) nor noise
  (a flat spectrum: the Laplacian energy collapses when the image is halved).
- `artifact_risk`: repeated content (peaks of the FFT autocorrelation of the
  detail signal away from the origin) and exposure clipping.
- `edge_integrity`: the sharp subject cut by a frame edge.
- `identity_clarity`: needs semantics, so it is `not_assessed` unless a vision
  judge (e.g. `make_vision_judge`, a vision-capable model through litellm) is
  passed in; it is never guessed.

Every failure comes with concrete prompt revisions, written as
`"<field>: <text>"` (replace a prompt-formula field), `"<field>: + <text>"`
(append to it; `negative` is a field here too) or `"new seed"`; see
`parse_revision`.
"""

from __future__ import annotations

import base64
import io
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageChops

from agent.models import FORMULA_FIELDS, CriterionResult, QCReport
from tools.generate import PARAMS_KEY  # the PNG text chunk generate writes the parameters to

DEFAULT_REGION = (0.2, 0.2, 0.6, 0.6)  # the central area, as fractions x, y, w, h
MAX_ANALYSIS_PIXELS = 1_600_000  # larger images are box-reduced by an integer factor first

# Thresholds, in 0-255 grey levels. Calibrated on synthetic images (tests/test_qc.py) and kept loose.
SHARP_FLOOR = 20.0  # local Laplacian variance below this is not sharp anywhere
SHARP_REL = 0.25  # a tile is sharp at this fraction of the image's peak sharpness
PEAK_IN_REGION = 0.5  # the intended region must hold at least half the peak sharpness
SHARE_IN_REGION = 0.4  # ... and this share of the sharp tiles (extreme close-ups)
EDGE_LEVEL = 8.0  # |Laplacian| above this counts as an edge pixel
BUSY_EDGE_DENSITY = 0.2  # background edge density above this (and comparable to the subject's) is busy
TEXTURE_RMS_MIN = 4.0  # Laplacian RMS in the sharp region below this: smooth, plastic
TEXTURE_LEVEL = 3.0  # |Laplacian| above this: a pixel carries visible fine detail
TEXTURE_FILL_MIN = 0.35  # below this share of such pixels the detail sits on a few edges, surfaces are flat
NOISE_RATIO_MAX = 0.35  # Laplacian energy after a 2x reduction / before: white noise gives 0.25
REPEAT_MIN_LAG = 0.1  # autocorrelation peaks closer than this fraction of the frame are texture
REPEAT_PEAK = 0.5  # normalised autocorrelation at a larger lag above this: repeated content
CLIP_HIGH, CLIP_LOW = 254, 2  # 8-bit levels counted as blown / crushed
CLIP_HIGH_FRAME, CLIP_HIGH_REGION = 0.05, 0.10  # blown fraction of the frame / of the region that fails
CLIP_LOW_REGION = 0.25  # crushed fraction of the region that fails (a dark background alone is fine)
DEEP_FOCUS_SHARE = 0.6  # more of the frame sharp than this: deep focus, no single subject to crop
CUT_SHARE = 0.08  # share of the subject's sharp tiles on the frame border that counts as cut

VisionJudge = Callable[[bytes, str], Any]  # (PNG bytes, subject) -> CriterionResult | dict


# -- regions -----------------------------------------------------------------------------------------------


def parse_region(spec: str | Sequence[float] | None) -> tuple[float, float, float, float] | None:
    """`"x,y,w,h"` as fractions (every value <= 1) or pixels; raises ValueError with a one-line reason."""
    if spec is None:
        return None
    if isinstance(spec, str):
        parts = [p for p in re.split(r"[,\s]+", spec.strip()) if p]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise ValueError(f"focus region {spec!r} is not four numbers x,y,w,h") from None
    else:
        values = [float(v) for v in spec]
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        raise ValueError(f"focus region {spec!r} needs four numbers x,y,w,h")
    x, y, w, h = values
    if x < 0 or y < 0 or w <= 0 or h <= 0:
        raise ValueError(f"focus region {spec!r}: x and y must be >= 0, w and h > 0")
    return (x, y, w, h)


def _region_pixels(region, width: int, height: int, scale: float) -> tuple[int, int, int, int]:
    """Resolve a region (fractions, or pixels of the original image) to analysis pixels x0, y0, x1, y1."""
    x, y, w, h = region or DEFAULT_REGION
    if max(x, y, w, h) <= 1.0:  # fractions
        x0, y0, x1, y1 = x * width, y * height, (x + w) * width, (y + h) * height
    else:  # pixels of the original image
        x0, y0, x1, y1 = x / scale, y / scale, (x + w) / scale, (y + h) / scale
    x0, x1 = max(0, int(round(x0))), min(width, int(round(x1)))
    y0, y1 = max(0, int(round(y0))), min(height, int(round(y1)))
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ValueError(f"focus region {region!r} lies outside the {width}x{height} image")
    return x0, y0, x1, y1


# -- loading -----------------------------------------------------------------------------------------------


def read_params(path: str | Path) -> dict[str, Any]:
    """The generation parameters tools.generate embedded in a PNG, or {}."""
    try:
        with Image.open(path) as image:
            raw = image.info.get(PARAMS_KEY)  # tools.generate writes it before the pixel data: no decode needed
    except (OSError, ValueError):
        return {}
    try:
        params = json.loads(raw) if raw else {}
    except (TypeError, ValueError):
        return {}
    return params if isinstance(params, dict) else {}


def _to_pil(image) -> Image.Image:
    if isinstance(image, Image.Image):
        image.load()
        return image
    if isinstance(image, np.ndarray):
        array = image
        if array.dtype != np.uint8:
            array = np.asarray(array, dtype=np.float64)
            if array.size and float(np.nanmax(array)) <= 1.0:
                array = array * 255.0
            array = np.clip(np.nan_to_num(array), 0, 255).astype(np.uint8)
        if array.ndim == 3 and array.shape[2] == 1:
            array = array[:, :, 0]
        if array.ndim == 3 and array.shape[2] == 4:
            array = array[:, :, :3]
        if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] != 3):
            raise ValueError(f"image array has shape {image.shape}; expected HxW or HxWx3")
        return Image.fromarray(np.ascontiguousarray(array))
    with Image.open(image) as opened:
        opened.load()
        return opened.copy()


def _prepare(image) -> tuple[np.ndarray, np.ndarray, float, tuple[int, int]]:
    """Grey and per-pixel max channel (both uint8) at analysis size; the reduction factor; original size."""
    pil = _to_pil(image)
    original = pil.size
    if pil.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        array = np.asarray(pil, dtype=np.float32)
        peak = 65535.0 if pil.mode.startswith("I;16") or float(array.max(initial=0)) > 255 else 255.0
        pil = Image.fromarray(np.clip(array * (255.0 / peak), 0, 255).astype(np.uint8))
    if pil.mode != "RGB":
        pil = pil.convert("RGB")
    width, height = pil.size
    factor = 1
    if width * height > MAX_ANALYSIS_PIXELS:
        factor = math.ceil(math.sqrt(width * height / MAX_ANALYSIS_PIXELS))
        pil = pil.reduce(factor)
    red, green, blue = pil.split()
    brightest = np.asarray(ImageChops.lighter(ImageChops.lighter(red, green), blue))  # max channel, in C
    grey_u8 = np.asarray(pil.convert("L"))
    return grey_u8, brightest, float(factor), original


# -- measures ----------------------------------------------------------------------------------------------


def _laplacian(grey: np.ndarray) -> np.ndarray:
    """4-neighbour Laplacian with replicated edges, float32."""
    padded = np.pad(grey, 1, mode="edge")
    lap = padded[:-2, 1:-1] + padded[2:, 1:-1]
    lap += padded[1:-1, :-2]
    lap += padded[1:-1, 2:]
    lap -= 4.0 * grey
    return lap


def _tile_means(values: np.ndarray, tile: int, ny: int, nx: int, oy: int, ox: int) -> np.ndarray:
    block = values[oy:oy + ny * tile, ox:ox + nx * tile]
    return block.reshape(ny, tile, nx * tile).sum(axis=1).reshape(ny, nx, tile).sum(axis=2) / float(tile * tile)


def _reduce2(grey: np.ndarray) -> np.ndarray:
    h, w = grey.shape[0] // 2 * 2, grey.shape[1] // 2 * 2
    g = grey[:h, :w]
    return (g[0::2, 0::2] + g[1::2, 0::2] + g[0::2, 1::2] + g[1::2, 1::2]) * 0.25


def _block_reduce(grey: np.ndarray, factor: int) -> np.ndarray:
    if factor <= 1:
        return grey
    h, w = grey.shape[0] // factor * factor, grey.shape[1] // factor * factor
    rows = grey[:h, :w].reshape(h // factor, factor, w).mean(axis=1)
    return rows.reshape(h // factor, w // factor, factor).mean(axis=2)


def _dilate(mask: np.ndarray) -> np.ndarray:
    """3x3 binary dilation of a small grid."""
    out = mask.copy()
    out[1:, :] |= mask[:-1, :]
    out[:-1, :] |= mask[1:, :]
    grown = out.copy()
    grown[:, 1:] |= out[:, :-1]
    grown[:, :-1] |= out[:, 1:]
    return grown


def _components(mask: np.ndarray) -> list[np.ndarray]:
    """4-connected components of a small boolean grid, as lists of (row, col) indices."""
    seen = np.zeros_like(mask, dtype=bool)
    out = []
    rows, cols = mask.shape
    for start in zip(*np.nonzero(mask)):
        if seen[start]:
            continue
        stack, cells = [start], []
        seen[start] = True
        while stack:
            r, c = stack.pop()
            cells.append((r, c))
            for rr, cc in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
                if 0 <= rr < rows and 0 <= cc < cols and mask[rr, cc] and not seen[rr, cc]:
                    seen[rr, cc] = True
                    stack.append((rr, cc))
        out.append(np.array(cells))
    return out


@dataclass
class Measures:
    """Everything QC measured on one image (analysis resolution)."""

    width: int
    height: int
    original: tuple[int, int]
    tile: int
    focus_map: np.ndarray  # ny x nx local Laplacian variance
    sharp: np.ndarray  # ny x nx bool
    region_tiles: np.ndarray  # ny x nx bool, tiles whose centre is in the intended region
    region_px: tuple[int, int, int, int]
    peak: float
    peak_in_region: float
    share_in_region: float
    sharp_fraction: float
    sharpest_at: tuple[float, float]  # fractions x, y of the sharpest tile's centre
    texture_rms: float
    texture_fill: float  # share of pixels with visible fine detail
    noise_ratio: float
    edge_density_in: float
    edge_density_out: float
    entropy_out: float
    repeat_peak: float
    repeat_lag: tuple[float, float]  # fractions dx, dy
    clip_high_frame: float
    clip_high_region: float
    clip_low_region: float
    clip_low_frame: float
    border_share: float
    border_sides: list[str]


@dataclass
class _Grid:
    """An image at analysis resolution, cut into square tiles, with the intended region on it."""

    grey_u8: np.ndarray
    grey: np.ndarray
    maxc: np.ndarray  # per-pixel maximum of the channels (clipping of any one channel shows)
    original: tuple[int, int]
    tile: int
    ny: int
    nx: int
    oy: int
    ox: int
    cy: np.ndarray  # tile centres, rows
    cx: np.ndarray  # tile centres, columns
    box: tuple[int, int, int, int]  # the intended region in pixels: x0, y0, x1, y1
    region_tiles: np.ndarray  # ny x nx bool, tiles whose centre is in the intended region

    @property
    def height(self) -> int:
        return self.grey.shape[0]

    @property
    def width(self) -> int:
        return self.grey.shape[1]

    def means(self, values: np.ndarray) -> np.ndarray:
        return _tile_means(values, self.tile, self.ny, self.nx, self.oy, self.ox)


def _grid(image, region) -> _Grid:
    grey_u8, maxc, scale, original = _prepare(image)
    grey = grey_u8.astype(np.float32)
    height, width = grey.shape
    if min(height, width) < 8:
        raise ValueError(f"image is {width}x{height}; QC needs at least 8x8 pixels")
    x0, y0, x1, y1 = _region_pixels(region, width, height, scale)
    tile = min(max(4, min(height, width) // 24), height, width)
    tile = tile // 2 * 2 or 1
    ny, nx = max(1, height // tile), max(1, width // tile)
    oy, ox = (height - ny * tile) // 2, (width - nx * tile) // 2
    cy = oy + (np.arange(ny) + 0.5) * tile
    cx = ox + (np.arange(nx) + 0.5) * tile
    region_tiles = ((cy >= y0) & (cy < y1))[:, None] & ((cx >= x0) & (cx < x1))[None, :]
    if not region_tiles.any():  # a region smaller than a tile: the tile under its centre
        ry = min(ny - 1, max(0, int(((y0 + y1) / 2 - oy) // tile)))
        rx = min(nx - 1, max(0, int(((x0 + x1) / 2 - ox) // tile)))
        region_tiles[ry, rx] = True
    return _Grid(grey_u8=grey_u8, grey=grey, maxc=maxc, original=original, tile=tile, ny=ny, nx=nx, oy=oy, ox=ox,
                 cy=cy, cx=cx, box=(x0, y0, x1, y1), region_tiles=region_tiles)


@dataclass
class _Focus:
    """The focus map and the per-tile detail measures the other measures read."""

    focus_map: np.ndarray  # ny x nx local Laplacian variance
    energy: np.ndarray  # ny x nx mean squared Laplacian
    energy_half: np.ndarray  # the same after a 2x reduction (white noise keeps a quarter of it)
    edges: np.ndarray  # ny x nx share of edge pixels
    fills: np.ndarray  # ny x nx share of pixels with visible fine detail
    sharp: np.ndarray  # ny x nx bool
    peak: float
    peak_in_region: float
    share_in_region: float
    sharpest_at: tuple[float, float]

    @property
    def n_sharp(self) -> int:
        return int(self.sharp.sum())


def _focus(g: _Grid) -> _Focus:
    """Local Laplacian variance per tile, the sharp tiles, and how much of the sharpness the region holds."""
    lap = _laplacian(g.grey)
    lap_abs = np.abs(lap)
    mean_l = g.means(lap)
    energy = g.means(lap * lap)
    focus_map = np.maximum(energy - mean_l * mean_l, 0.0)
    half = max(1, g.tile // 2)
    lap2 = _laplacian(_reduce2(g.grey))
    lap2_sq = lap2 * lap2
    energy_half = _tile_means(lap2_sq, half, g.ny, g.nx, g.oy // 2, g.ox // 2) if lap2.shape[0] >= g.ny * half and \
        lap2.shape[1] >= g.nx * half else np.full((g.ny, g.nx), float(lap2_sq.mean()))
    flat = np.sort(focus_map.ravel())
    peak = float(flat[-max(1, flat.size // 50)])
    sharp = focus_map >= max(SHARP_FLOOR, SHARP_REL * peak)
    n_sharp = int(sharp.sum())
    iy, ix = np.unravel_index(int(np.argmax(focus_map)), focus_map.shape)
    return _Focus(
        focus_map=focus_map, energy=energy, energy_half=energy_half,
        edges=g.means((lap_abs > EDGE_LEVEL).astype(np.float32)),
        fills=g.means((lap_abs > TEXTURE_LEVEL).astype(np.float32)), sharp=sharp, peak=peak,
        peak_in_region=float(focus_map[g.region_tiles].max()),
        share_in_region=float((sharp & g.region_tiles).sum() / n_sharp) if n_sharp else 0.0,
        sharpest_at=(float(g.cx[ix] / g.width), float(g.cy[iy] / g.height)))


def _texture(g: _Grid, f: _Focus) -> tuple[float, float, float]:
    """Texture RMS, detail fill and noise ratio where the image is in focus.

    That is the sharp part of the region and its neighbouring tiles (so a plastic surface between two crisp
    outlines counts as the flat surface it is); failing that, the sharp area elsewhere (focus_logic reports
    the placement); failing that, the region itself.
    """
    core = f.sharp & g.region_tiles
    if core.any():
        tiles = _dilate(core) & g.region_tiles
    elif f.n_sharp:
        tiles = _dilate(f.sharp)
    else:
        tiles = g.region_tiles
    energy = float(f.energy[tiles].mean())
    noise_ratio = float(f.energy_half[tiles].mean() / energy) if energy > 0 else 1.0
    return math.sqrt(energy), float(f.fills[tiles].mean()), noise_ratio


def _background(g: _Grid, f: _Focus) -> tuple[float, float, float]:
    """Background simplicity outside the region: edge density inside and out, grey-level entropy outside."""
    outside = ~g.region_tiles
    edge_in = float(f.edges[g.region_tiles].mean())
    edge_out = float(f.edges[outside].mean()) if outside.any() else 0.0
    x0, y0, x1, y1 = g.box
    counts_all = np.bincount(g.grey_u8.ravel(), minlength=256)
    counts_in = np.bincount(g.grey_u8[y0:y1, x0:x1].ravel(), minlength=256)
    counts_out = (counts_all - counts_in).astype(np.float64)
    entropy_out = 0.0
    if counts_out.sum() > 0:
        p = counts_out[counts_out > 0] / counts_out.sum()
        entropy_out = float(-(p * np.log2(p)).sum())
    return edge_in, edge_out, entropy_out


def _repetition(g: _Grid) -> tuple[float, tuple[float, float]]:
    """Repeated content: the autocorrelation of the detail signal at about 128 px, its peak and lag."""
    factor = max(1, max(g.height, g.width) // 128)
    detail = _laplacian(_block_reduce(g.grey, factor))
    detail -= detail.mean()
    spectrum = np.fft.rfft2(detail)
    auto = np.fft.irfft2(spectrum.real ** 2 + spectrum.imag ** 2, s=detail.shape)
    if auto[0, 0] <= 1e-6:
        return 0.0, (0.0, 0.0)
    auto /= auto[0, 0]
    sh, sw = auto.shape
    dy = np.minimum(np.arange(sh), sh - np.arange(sh)) / sh
    dx = np.minimum(np.arange(sw), sw - np.arange(sw)) / sw
    near = (dy[:, None] < REPEAT_MIN_LAG) & (dx[None, :] < REPEAT_MIN_LAG)
    masked = np.where(near, -np.inf, auto)
    k = int(np.argmax(masked))
    ky, kx = np.unravel_index(k, auto.shape)
    return max(0.0, float(masked.ravel()[k])), (float(dx[kx]), float(dy[ky]))


def _clipping(g: _Grid) -> dict[str, float]:
    """Exposure clipping: blown highlights and crushed shadows, in the frame and in the region."""
    high = g.maxc >= CLIP_HIGH
    low = g.grey_u8 <= CLIP_LOW
    x0, y0, x1, y1 = g.box
    return {"clip_high_frame": float(high.mean()), "clip_low_frame": float(low.mean()),
            "clip_high_region": float(high[y0:y1, x0:x1].mean()), "clip_low_region": float(low[y0:y1, x0:x1].mean())}


def _crop(g: _Grid, f: _Focus) -> tuple[float, list[str]]:
    """The sharp subject touching the frame border: its share of border tiles and the sides it touches."""
    components = _components(f.sharp) if f.n_sharp else []
    subject = [c for c in components if g.region_tiles[c[:, 0], c[:, 1]].any()]
    if not subject and components:
        subject = [max(components, key=lambda c: float(f.focus_map[c[:, 0], c[:, 1]].sum()))]
    if not subject:
        return 0.0, []
    border = np.zeros((g.ny, g.nx), dtype=bool)
    border[0, :] = border[-1, :] = border[:, 0] = border[:, -1] = True
    cells = np.concatenate(subject)
    sides = []
    if g.ny > 1 and g.nx > 1:
        for name, hit in (("top", cells[:, 0] == 0), ("bottom", cells[:, 0] == g.ny - 1),
                          ("left", cells[:, 1] == 0), ("right", cells[:, 1] == g.nx - 1)):
            if hit.any():
                sides.append(name)
    return float(border[cells[:, 0], cells[:, 1]].mean()), sides


def measure(image, region=None) -> Measures:
    """Compute the focus map and every measure the criteria use, one function per measure."""
    g = _grid(image, region)
    f = _focus(g)
    rms, fill, noise_ratio = _texture(g, f)
    edge_in, edge_out, entropy_out = _background(g, f)
    repeat_peak, repeat_lag = _repetition(g)
    border_share, sides = _crop(g, f)
    return Measures(
        width=g.width, height=g.height, original=g.original, tile=g.tile, focus_map=f.focus_map, sharp=f.sharp,
        region_tiles=g.region_tiles, region_px=g.box, peak=f.peak, peak_in_region=f.peak_in_region,
        share_in_region=f.share_in_region, sharp_fraction=f.n_sharp / float(f.sharp.size),
        sharpest_at=f.sharpest_at, texture_rms=rms, texture_fill=fill, noise_ratio=noise_ratio,
        edge_density_in=edge_in, edge_density_out=edge_out, entropy_out=entropy_out, repeat_peak=repeat_peak,
        repeat_lag=repeat_lag, border_share=border_share, border_sides=sides, **_clipping(g),
    )


# -- criteria ----------------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


def _focus_logic(m: Measures, ecu: bool, subject: str) -> tuple[CriterionResult, list[str]]:
    background = (f"background outside it: edge density {_pct(m.edge_density_out)}, "
                  f"grey entropy {m.entropy_out:.1f} bits")
    where = f"sharpest area at x={m.sharpest_at[0]:.2f}, y={m.sharpest_at[1]:.2f}"
    sharp_focus = f"focus: razor sharp focus on {subject}, f/8 macro, one clear focal plane"
    if m.peak < SHARP_FLOOR:
        evidence = (f"no sharp region: peak local Laplacian variance {m.peak:.1f} is below {SHARP_FLOOR:.0f} "
                    f"(the whole frame is soft); {background}")
        return CriterionResult(status="fail", score=_clamp(m.peak / SHARP_FLOOR * 0.5), evidence=evidence), \
            [sharp_focus + ", crisp micro detail", "negative: + soft focus, motion blur, hazy"]
    ratio = m.peak_in_region / m.peak if m.peak > 0 else 0.0
    # Sharp across most of the frame (a texture filling it, or deep focus): no separate background to judge,
    # and the sharp area cannot concentrate in the region; the region must still hold the peak sharpness.
    localized = ecu and m.sharp_fraction <= DEEP_FOCUS_SHARE
    busy = localized and m.edge_density_out > BUSY_EDGE_DENSITY and m.edge_density_out > 0.6 * m.edge_density_in
    evidence = (f"{where}; the intended region holds {ratio:.2f} of the peak sharpness and "
                f"{_pct(m.share_in_region)} of the sharp area ({_pct(m.sharp_fraction)} of the frame is sharp"
                + ("" if localized or not ecu else ", deep focus") + f"); {background}" + (" (busy)" if busy else ""))
    misplaced = ratio < PEAK_IN_REGION or (localized and m.share_in_region < SHARE_IN_REGION)
    score = min(1.0, ratio / PEAK_IN_REGION) * (min(1.0, m.share_in_region / SHARE_IN_REGION) if localized else 1.0)
    revisions = []
    if misplaced:
        evidence = "sharp focus is outside the intended region: " + evidence
        revisions += [sharp_focus + f", {subject} centred in frame", "negative: + wrong focal point, sharp background"]
    if busy:
        score *= 0.5
        if not misplaced:
            evidence = "the background competes with the detail: " + evidence
        revisions += ["background: plain dark seamless background", "negative: + cluttered background, busy props"]
    status = "fail" if (misplaced or busy) else "pass"
    return CriterionResult(status=status, score=_clamp(score), evidence=evidence), revisions


def _texture_realism(m: Measures, subject: str) -> tuple[CriterionResult, list[str]]:
    numbers = (f"Laplacian RMS {m.texture_rms:.1f}, {_pct(m.texture_fill)} of pixels with fine detail, "
               f"energy kept at half size {m.noise_ratio:.2f}")
    score = min(1.0, m.texture_rms / TEXTURE_RMS_MIN) * min(1.0, m.texture_fill / TEXTURE_FILL_MIN) \
        * min(1.0, m.noise_ratio / NOISE_RATIO_MAX)
    if m.texture_rms < TEXTURE_RMS_MIN or m.texture_fill < TEXTURE_FILL_MIN:
        why = "no fine surface texture" if m.texture_rms < TEXTURE_RMS_MIN else \
            "detail only on a few edges, flat surfaces between them"
        return CriterionResult(status="fail", score=_clamp(score),
                               evidence=f"plastic-smooth: {why} in the focus region ({numbers})"), \
            [f"material_texture: + visible micro texture of {subject}, fine surface detail, natural imperfections",
             "negative: + plastic texture, airbrushed, CGI render, waxy surface"]
    if m.noise_ratio < NOISE_RATIO_MAX:
        return CriterionResult(status="fail", score=_clamp(score),
                               evidence=f"noise rather than texture: a flat, grain-like spectrum ({numbers})"), \
            ["material_texture: + clean low-noise macro capture, ISO 100, real material structure",
             "negative: + noise, grain, speckle, jpeg artifacts"]
    return CriterionResult(status="pass", score=_clamp(score),
                           evidence=f"natural fine texture in the focus region ({numbers})"), []


def _artifact_risk(m: Measures) -> tuple[CriterionResult, list[str]]:
    problems, revisions, risks = [], [], []
    repeat = m.repeat_peak >= REPEAT_PEAK
    risks.append(m.repeat_peak / REPEAT_PEAK)
    lag = f"dx={m.repeat_lag[0]:.2f}, dy={m.repeat_lag[1]:.2f}"
    if repeat:
        problems.append(f"repeated content: autocorrelation peak {m.repeat_peak:.2f} at a shift of {lag} of the frame")
        revisions += ["negative: + repeated patterns, tiled texture, duplicated elements", "new seed"]
    high = m.clip_high_frame > CLIP_HIGH_FRAME or m.clip_high_region > CLIP_HIGH_REGION
    risks.append(max(m.clip_high_frame / CLIP_HIGH_FRAME, m.clip_high_region / CLIP_HIGH_REGION))
    if high:
        problems.append(f"blown highlights: {_pct(m.clip_high_frame)} of the frame, "
                        f"{_pct(m.clip_high_region)} of the focus region at {CLIP_HIGH}+")
        revisions += ["lighting: + controlled highlights, nothing blown out, soft diffused key",
                      "negative: + blown highlights, overexposed"]
    low = m.clip_low_region > CLIP_LOW_REGION
    risks.append(m.clip_low_region / CLIP_LOW_REGION)
    if low:
        problems.append(f"crushed shadows: {_pct(m.clip_low_region)} of the focus region at {CLIP_LOW} or below")
        revisions += ["lighting: + gentle fill light, shadow detail kept", "negative: + crushed blacks, underexposed"]
    score = _clamp(1.0 - 0.5 * max(risks))
    if problems:
        return CriterionResult(status="fail", score=min(score, 0.49), evidence="; ".join(problems)), revisions
    evidence = (f"no repeated content (autocorrelation peak {m.repeat_peak:.2f} at {lag}); clipping: "
                f"{_pct(m.clip_high_frame)} blown, {_pct(m.clip_low_region)} of the region crushed "
                f"({_pct(m.clip_low_frame)} of the frame)")
    return CriterionResult(status="pass", score=score, evidence=evidence), []


def _edge_integrity(m: Measures, subject: str) -> tuple[CriterionResult, list[str]]:
    if not m.sharp.any():
        return CriterionResult(status="pass", score=1.0,
                               evidence="no sharp subject to crop (see focus_logic)"), []
    if m.sharp_fraction > DEEP_FOCUS_SHARE:
        return CriterionResult(status="pass", score=1.0,
                               evidence=f"deep focus: {_pct(m.sharp_fraction)} of the frame is sharp, "
                                        f"no single subject for the frame to cut"), []
    if m.border_share >= CUT_SHARE and m.border_sides:
        sides = " and ".join(m.border_sides)
        return CriterionResult(status="fail", score=_clamp(1.0 - m.border_share / (2 * CUT_SHARE)),
                               evidence=f"the sharp subject runs off the {sides} edge "
                                        f"({_pct(m.border_share)} of its area is on the frame border)"), \
            [f"subject_detail: + all of {subject} inside the frame with clear margin on every side",
             "negative: + cropped-off detail, cut off at the frame edge"]
    return CriterionResult(status="pass", score=_clamp(1.0 - m.border_share),
                           evidence=f"the sharp subject sits inside the frame "
                                    f"({_pct(m.border_share)} of it on the border)"), []


def _identity_clarity(image, vision: VisionJudge | None, subject: str) -> tuple[CriterionResult, list[str]]:
    if vision is None:
        return CriterionResult(status="not_assessed", score=None,
                               evidence="needs a vision-capable model; none is configured"), []
    try:
        result = vision(_png_bytes(image), subject)
        if isinstance(result, dict):
            result = CriterionResult.model_validate(result)
        if not isinstance(result, CriterionResult):
            raise TypeError(f"vision judge returned {type(result).__name__}")
    except Exception as err:  # the judge is optional: a failure leaves the criterion unassessed, never guessed
        message = str(err).splitlines()[0] if str(err) else type(err).__name__
        return CriterionResult(status="not_assessed", score=None, evidence=f"vision model failed: {message}"), []
    if result.status == "fail":
        return result, [f"subject_detail: + {subject} unmistakable, with a recognisable edge of the product in frame",
                        "new seed"]
    return result, []


def _png_bytes(image, max_side: int = 768) -> bytes:
    pil = _to_pil(image).convert("RGB")
    if max(pil.size) > max_side:
        pil = pil.copy()
        pil.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    pil.save(buffer, format="PNG")
    return buffer.getvalue()


def assess(
    image,
    *,
    region=None,
    subject: str | None = None,
    scale: str | None = None,
    vision: VisionJudge | None = None,
    name: str | None = None,
) -> QCReport:
    """Check one image (path, PIL image or array) against the five QC criteria.

    `region` is x,y,w,h in fractions or original-image pixels (default: the central area); `subject`
    names the detail for the revisions; `scale` relaxes the ECU-only checks for wider shots (both
    default to the parameters tools.generate embedded in the PNG, else "the detail" and an ECU);
    `vision` is an optional judge for `identity_clarity` taking (PNG bytes, subject).
    """
    if name is None:
        name = str(image) if isinstance(image, (str, Path)) else "<image>"
    if (subject is None or scale is None) and isinstance(image, (str, Path)):
        params = read_params(image)
        subject = subject or params.get("detail") or None
        scale = scale or params.get("scale") or None
    subject = _subject_phrase(subject)
    ecu = scale in (None, "extreme_close_up")
    m = measure(image, parse_region(region) if isinstance(region, str) else region)
    criteria: dict[str, CriterionResult] = {}
    revisions: list[str] = []
    for key, (result, fixes) in (
        ("identity_clarity", _identity_clarity(image, vision, subject)),
        ("texture_realism", _texture_realism(m, subject)),
        ("edge_integrity", _edge_integrity(m, subject)),
        ("focus_logic", _focus_logic(m, ecu, subject)),
        ("artifact_risk", _artifact_risk(m)),
    ):
        criteria[key] = result
        if result.status == "fail":
            revisions += fixes
    if revisions and "new seed" not in revisions:
        revisions.append("new seed")
    revisions = list(dict.fromkeys(revisions))
    passed = not any(c.status == "fail" for c in criteria.values())
    return QCReport(image=name, passed=passed, criteria=criteria, revisions=revisions)


def _subject_phrase(subject: str | None) -> str:
    if not subject:
        return "the detail"
    subject = subject.strip()
    return subject if subject.lower().startswith(("the ", "a ", "an ")) else f"the {subject}"


# -- revisions ---------------------------------------------------------------------------------------------

REVISABLE = (*FORMULA_FIELDS, "negative")
_REVISION = re.compile(r"^\s*(?P<field>[a-z_]+)\s*:\s*(?P<add>\+\s*)?(?P<text>.+?)\s*$")


@dataclass(frozen=True)
class Revision:
    field: str  # a prompt-formula field, "negative", or "seed"
    text: str
    append: bool


def parse_revision(line: str) -> Revision | None:
    """`"focus: razor sharp ..."` (replace), `"negative: + grain"` (append), `"new seed"`; None if unknown."""
    if line.strip().lower() in ("new seed", "seed: new"):
        return Revision("seed", "new", False)
    match = _REVISION.match(line)
    if not match or match["field"] not in REVISABLE:
        return None
    return Revision(match["field"], match["text"], bool(match["add"]))


# -- the vision judge --------------------------------------------------------------------------------------

_VISION_PROMPT = (
    "You check extreme close-up product photographs. The intended subject is: {subject}. "
    "Is that subject clearly identifiable in this image, so a viewer knows what they are looking at? "
    'Answer with JSON only: {{"identifiable": true or false, "score": 0.0 to 1.0, "evidence": "one sentence"}}.'
)


def make_vision_judge(model: str, *, completion: Callable[..., Any], api_base: str | None = None,
                      api_key: str | None = None, timeout: float = 60.0) -> VisionJudge:
    """A judge for `identity_clarity` asking a vision-capable model (image attached).

    `completion` is a litellm-style `completion(**kwargs)`; the agent layer passes its quietly loaded one.
    """

    def judge(png: bytes, subject: str) -> CriterionResult:
        url = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        kwargs: dict[str, Any] = {"model": model, "timeout": timeout, "temperature": 0, "messages": [{
            "role": "user",
            "content": [{"type": "text", "text": _VISION_PROMPT.format(subject=subject)},
                        {"type": "image_url", "image_url": {"url": url}}],
        }]}
        if api_base:
            kwargs["api_base"] = api_base
        if api_key:
            kwargs["api_key"] = api_key
        response = completion(**kwargs)
        content = response.choices[0].message.content or ""
        found = re.search(r"\{.*\}", content, re.S)
        if not found:
            raise ValueError(f"the vision model gave no JSON verdict: {content[:80]!r}")
        verdict = json.loads(found.group(0))
        ok = bool(verdict.get("identifiable"))
        score = verdict.get("score")
        score = float(score) if isinstance(score, (int, float)) else (1.0 if ok else 0.0)
        evidence = str(verdict.get("evidence") or "").strip() or ("identifiable" if ok else "not identifiable")
        return CriterionResult(status="pass" if ok else "fail", score=_clamp(score),
                               evidence=f"{model}: {evidence}")

    return judge
