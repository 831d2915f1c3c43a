"""The encoder's tuning on the framework's wording (domain.encoder_tuning): stored compactly,
added to the packaged weights only when it was trained from them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from content import PACK_DIR
from domain.answer_text import embedding_text
from domain.content_pack import read_pack
from domain.encoder_tuning import TUNING_FILE, apply_tuning, compress
from domain.sentence_encoder import (
    PINNED_SHA256,
    SentenceEncoder,
    default_cache_file,
    model_dir,
)

BASE = "b" * 64
QUERY = "encoder.layer.0.attention.self.query.weight"
BIAS = "encoder.layer.0.attention.self.query.bias"
WORDS = "embeddings.word_embeddings.weight"


def weights() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(3)
    return {
        QUERY: rng.normal(size=(40, 40)).astype(np.float32),
        BIAS: rng.normal(size=40).astype(np.float32),
        WORDS: rng.normal(size=(50, 40)).astype(np.float32),
    }


def tuned_from(base: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(4)
    low_rank = rng.normal(size=(40, 2)) @ rng.normal(size=(2, 40)) * 0.01
    return {
        QUERY: base[QUERY] + low_rank.astype(np.float32),
        BIAS: base[BIAS] + 0.01,
        WORDS: base[WORDS] + 0.5,  # the stored change leaves the embeddings' tables out
    }


def saved(tmp_path: Path, stored: dict[str, np.ndarray]) -> Path:
    path = tmp_path / "tuning.npz"
    # numpy's stubs type savez's keyword arrays as its allow_pickle flag.
    np.savez_compressed(path, **stored)  # type: ignore[arg-type]
    return path


def test_the_stored_change_gives_back_the_tuned_layers_and_leaves_the_embeddings(
    tmp_path: Path,
) -> None:
    base = weights()
    tuned = tuned_from(base)
    path = saved(tmp_path, compress(tuned, base, BASE, rank=4))
    loaded = weights()

    assert apply_tuning(loaded, path, BASE)

    assert np.allclose(loaded[QUERY], tuned[QUERY], atol=1e-3)
    assert np.allclose(loaded[BIAS], tuned[BIAS], atol=1e-3)
    assert np.array_equal(loaded[WORDS], base[WORDS])
    # The 40 x 40 change is stored as two 40 x 4 halves.
    with np.load(path) as stored:
        assert stored[QUERY + "::left"].shape == (40, 4)
        assert stored[QUERY + "::right"].shape == (4, 40)


def test_a_tuning_of_other_weights_or_of_another_shape_is_not_used(tmp_path: Path) -> None:
    base = weights()
    path = saved(tmp_path, compress(tuned_from(base), base, BASE, rank=4))

    other = weights()
    assert not apply_tuning(other, path, "c" * 64)
    assert np.array_equal(other[QUERY], base[QUERY])

    smaller = {QUERY: np.zeros((20, 20), dtype=np.float32), BIAS: np.zeros(20, np.float32)}
    assert not apply_tuning(smaller, path, BASE)
    assert not smaller[QUERY].any()

    assert not apply_tuning(weights(), tmp_path / "missing.npz", BASE)


def test_the_vector_cache_is_named_after_the_tuning_too(tmp_path: Path) -> None:
    untuned = default_cache_file(None)
    assert untuned.name == f"section-vectors-{PINNED_SHA256['model.safetensors'][:12]}.npz"
    path = tmp_path / "tuning.npz"
    path.write_bytes(b"one")
    first = default_cache_file(path)
    path.write_bytes(b"two")
    assert len({untuned, first, default_cache_file(path)}) == 3


def test_the_shipped_tuning_brings_phrasings_nearer_their_own_section() -> None:
    folder = model_dir()
    if folder is None:
        pytest.skip("the sentence encoder is not installed")
    tuned = SentenceEncoder(folder)
    packaged = SentenceEncoder(folder, tuning=None)
    assert TUNING_FILE.is_file() and tuned.tuned and not packaged.tuned

    pack = read_pack(PACK_DIR)
    openings = [embedding_text(s) for s in pack.sections]
    asked = [(q, n) for n, s in enumerate(pack.sections) for q in s.questions[:2]]
    own = np.array([n for _, n in asked])

    def nearest_is_own(encoder: SentenceEncoder) -> float:
        sections = encoder.encode(openings, batch_size=16)
        questions = encoder.encode([q for q, _ in asked], batch_size=16)
        return float(((questions @ sections.T).argmax(axis=1) == own).mean())

    # What it was trained for: a phrasing's nearest section opening is its own more often.
    assert nearest_is_own(tuned) > nearest_is_own(packaged) + 0.05
