"""A tiny Stable Diffusion pipeline with random weights, built from configs and saved to disk.

No download: the UNet, VAE and CLIP text encoder are built from small configs
(docs/contract.md, "Rendered images", gives the sizes), the tokenizer from a vocab.json and merges.txt
written here, and the whole pipeline is written with `save_pretrained` so the
tests load it back through the product's own loader (`tools.generate`).
"""

from __future__ import annotations

import inspect
import json
import string
from pathlib import Path

TINY_SIZE = 32  # pixels; the UNet's sample_size is 32 latents, any multiple of 16 px works


def write_tokenizer_files(folder: Path) -> tuple[Path, Path]:
    """A small byte-level BPE vocabulary: letters and digits, whole-word forms, a few merges."""
    folder.mkdir(parents=True, exist_ok=True)
    tokens = ["<|startoftext|>", "<|endoftext|>"]
    symbols = list(string.ascii_lowercase + string.digits) + list(",.-/'")
    tokens += symbols + [f"{s}</w>" for s in symbols]
    merges = ["t h", "th e</w>", "i n", "e r</w>", "o n</w>", "a n", "r e", "s t"]
    for merge in merges:
        merged = merge.replace(" ", "")
        if merged not in tokens:
            tokens.append(merged)
    vocab = {token: index for index, token in enumerate(tokens)}
    vocab_file, merges_file = folder / "vocab.json", folder / "merges.txt"
    vocab_file.write_text(json.dumps(vocab), encoding="utf-8")
    merges_file.write_text("#version: 0.2\n" + "\n".join(merges) + "\n", encoding="utf-8")
    return vocab_file, merges_file


def build_tiny_pipeline(folder: Path, *, layers_per_block: int = 1, seed: int = 0):
    """Build the tiny pipeline with random weights (seeded) and return it, unsaved."""
    import torch
    from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=layers_per_block,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        norm_num_groups=32,
    )
    vae = AutoencoderKL(
        block_out_channels=(32, 64),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=32,
        sample_size=TINY_SIZE,
    )
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=0, eos_token_id=1, pad_token_id=1, hidden_size=32, intermediate_size=37,
        layer_norm_eps=1e-05, num_attention_heads=4, num_hidden_layers=5, vocab_size=1000,
        max_position_embeddings=77,
    ))
    vocab_file, merges_file = write_tokenizer_files(folder / "_tokenizer_src")
    if "vocab_file" in inspect.signature(CLIPTokenizer.__init__).parameters:  # transformers 4.x
        tokenizer = CLIPTokenizer(vocab_file=str(vocab_file), merges_file=str(merges_file), model_max_length=77)
    else:  # transformers 5: one tokenizers-backed class taking the vocabulary and merges
        tokenizer = CLIPTokenizer(vocab=str(vocab_file), merges=str(merges_file), model_max_length=77)
    scheduler = PNDMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", skip_prk_steps=True,
        set_alpha_to_one=False, steps_offset=1,
    )
    return StableDiffusionPipeline(
        vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, unet=unet, scheduler=scheduler,
        safety_checker=None, feature_extractor=None, requires_safety_checker=False,
    )


def save_tiny_pipeline(folder: Path, *, layers_per_block: int = 1, seed: int = 0) -> Path:
    """Build and `save_pretrained` the tiny pipeline into `folder/pipeline`; returns that path."""
    folder = Path(folder)
    target = folder / "pipeline"
    pipe = build_tiny_pipeline(folder, layers_per_block=layers_per_block, seed=seed)
    pipe.save_pretrained(target)
    return target


_SAVED: dict[str, Path] = {}


def shared_tiny_pipeline(tmp_path_factory) -> Path:
    """One saved tiny pipeline per test session, whichever test module asks first."""
    if "default" not in _SAVED or not (_SAVED["default"] / "model_index.json").exists():
        _SAVED["default"] = save_tiny_pipeline(tmp_path_factory.mktemp("tiny-sd"))
    return _SAVED["default"]
