"""The sentence encoder's six BERT layers as an ONNX graph, run by onnxruntime.

The graph is written here from the same weights the numpy path reads (no export from a
deep-learning framework, no file downloaded): embeddings, then per layer the attention and
feed-forward blocks, with BERT's own erf GELU. The attention is onnxruntime's own Attention
kernel (one product for the joined query, key and value weights, then the heads; 3 % less CPU
per question than the same arithmetic in eighteen standard operators, the same vectors to a
cosine of 0.9999998); onnxruntime fuses the layer normalisations, residuals and GELU into its
own kernels and packs the weights for its matrix products: a question of 20 word pieces
costs about 7 ms of CPU on one thread against numpy's 11.6. The products are about two thirds
of the time; on this kind of machine they cost about 2.9 ms for a single word piece (reading
the 42 MB of layer weights) and about 0.23 ms more for each further one (arithmetic). Its
vectors agree with the numpy path's to a cosine above 0.9999
(tests/unit/test_sentence_encoder.py).

Tried and not used (measured on the pack's sections and 3,359 questions, CPU per question
interleaved in one run, on a 2-core AMD EPYC with AVX2 and no VNNI): onnxruntime's dynamic
int8 quantisation (0.61 of the CPU, but a cosine of 0.984 to the model's vectors; on the
feed-forward products only, 0.86 of the CPU and 0.995); 8-bit weight-only MatMulNBits with
blocks of 32 (cosine 0.9998 but 4.2 times the CPU with float products; with int8 products,
accuracy_level 4, cosine 0.9992 and still 1.28 times the CPU: a question's products are bound
by arithmetic as much as by reading the weights); 4-bit weights (cosine
0.95); other session options (graph optimisation level extended, no memory arena,
denormals as zero: each within 2 %, no better than the noise); onnxruntime's transformer
optimiser (needs sympy, not a dependency; its Attention fusion is written here directly).
Cutting questions to 32 word pieces instead of 48 changes 41 of 1,335 answers on the tuning
sets, so the limit stays.

The model is built in memory when the encoder loads (about a second); nothing is written to
disk, so there is no cached model to go stale or be tampered with. Missing onnxruntime or
onnx: :func:`onnx_runtime` says why, and the encoder keeps its numpy path.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
# onnxruntime 1.17 and later run opset 17 (LayerNormalization is a standard operator there).
OPSET = 17
IR_VERSION = 8
# onnxruntime's own operators (Attention), in every onnxruntime build since 1.x.
CONTRIB = "com.microsoft"


def onnx_runtime() -> str | None:
    """None if onnxruntime and onnx can be imported, else what is missing."""
    try:
        # Optional at run time: the encoder falls back to numpy without them.
        import onnx  # noqa: F401
        import onnxruntime  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
    except ImportError as error:
        return f"{error.name or 'onnxruntime'} is not installed"
    return None


# What one more pass through the model costs, in word pieces: a pass of n texts padded to m
# word pieces costs about as much as PASS_COST_PIECES + n * m word pieces of one text
# (onnxruntime, one thread: 1.5 ms for 2 word pieces, 7.5 ms for 48, 13 ms for two of 48).
PASS_COST_PIECES = 12


def question_passes(lengths: Sequence[int]) -> list[list[int]]:
    """Texts of these lengths (word pieces) grouped into the passes through the model that
    cost least by that measure: texts sorted by length, each pass a run of neighbours (a
    two-part question's halves of 46 and 44 go together, halves of 48 and 5 do not)."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    # cost[j]: the cheapest passes for the j shortest texts; start[j]: where the last begins.
    cost, start = [0] * (len(order) + 1), [0] * (len(order) + 1)
    for j in range(1, len(order) + 1):
        longest = lengths[order[j - 1]]
        cost[j], start[j] = min(
            (cost[i] + PASS_COST_PIECES + (j - i) * longest, i) for i in range(j)
        )
    passes: list[list[int]] = []
    j = len(order)
    while j > 0:
        passes.append(order[start[j] : j])
        j = start[j]
    return passes[::-1]


class OnnxTransformer:
    """(ids, attention mask) in, the last layer's hidden states out, on one intra-op
    thread (``threads``), the session shared by every thread that asks (its run is
    thread-safe)."""

    def __init__(self, weights: dict[str, np.ndarray], threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Threads that wait by spinning steal the CPU from everything else on a busy machine.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.add_session_config_entry("session.inter_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = ort.InferenceSession(
            build_model(weights), options, providers=["CPUExecutionProvider"]
        )

    def hidden_states(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """``ids`` (batch, length) int64; ``mask`` (batch, length) int32, 1 for a real token
        and 0 for padding. Returns (batch, length, HIDDEN)."""
        positions = np.arange(ids.shape[1], dtype=np.int64)
        out = self._session.run(None, {"input_ids": ids, "positions": positions, "mask": mask})
        hidden: np.ndarray = out[0]
        return hidden


def build_model(weights: dict[str, np.ndarray]) -> bytes:
    """The serialised ONNX model of BERT's embeddings and encoder layers over ``weights``
    (the safetensors names of sentence-transformers' MiniLM export)."""
    from onnx import TensorProto, helper, numpy_helper

    graph = _Graph(numpy_helper)
    w = weights
    word = graph.node(
        "Gather", [graph.const("word", w["embeddings.word_embeddings.weight"]), "input_ids"]
    )
    pos = graph.node(
        "Gather", [graph.const("pos", w["embeddings.position_embeddings.weight"]), "positions"]
    )
    x = graph.node("Add", [word, pos])
    x = graph.node("Add", [x, graph.const("type", w["embeddings.token_type_embeddings.weight"][0])])
    x = graph.layer_norm(x, w, "embeddings.LayerNorm")
    for layer in range(LAYERS):
        x = _encoder_layer(graph, w, f"encoder.layer.{layer}.", x)
    graph.nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    model = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "minilm",
            [
                helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
                helper.make_tensor_value_info("positions", TensorProto.INT64, ["length"]),
                helper.make_tensor_value_info("mask", TensorProto.INT32, ["batch", "length"]),
            ],
            [
                helper.make_tensor_value_info(
                    "hidden", TensorProto.FLOAT, ["batch", "length", HIDDEN]
                )
            ],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid(CONTRIB, 1)],
        ir_version=IR_VERSION,
    )
    serialised: bytes = model.SerializeToString()
    return serialised


def _encoder_layer(graph: _Graph, w: dict[str, np.ndarray], p: str, x: str) -> str:
    """One transformer layer: self-attention and the feed-forward block, each with its
    residual and layer normalisation, as BERT computes them."""
    attended = graph.node(
        "Add", [graph.dense(graph.attention(x, w, p), w, p + "attention.output.dense"), x]
    )
    x = graph.layer_norm(attended, w, p + "attention.output.LayerNorm")
    inner = graph.gelu(graph.dense(x, w, p + "intermediate.dense"), p)
    out = graph.node("Add", [graph.dense(inner, w, p + "output.dense"), x])
    return graph.layer_norm(out, w, p + "output.LayerNorm")


class _Graph:
    """Nodes and initialisers being collected, each output named after its node."""

    def __init__(self, numpy_helper: Any) -> None:
        from onnx import helper

        self._helper = helper
        self._numpy_helper = numpy_helper
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []

    def const(self, name: str, value: np.ndarray) -> str:
        array = value.astype(value.dtype if value.dtype == np.int64 else np.float32)
        self.initializers.append(self._numpy_helper.from_array(array, name))
        return name

    def node(self, op: str, inputs: list[str], **attributes: Any) -> str:
        output = f"n{len(self.nodes)}_{op}"
        self.nodes.append(self._helper.make_node(op, inputs, [output], **attributes))
        return output

    def dense(self, x: str, w: dict[str, np.ndarray], name: str) -> str:
        weight = self.const(name + ".weight.T", np.ascontiguousarray(w[name + ".weight"].T))
        return self.node(
            "Add", [self.node("MatMul", [x, weight]), self.const(name + ".bias", w[name + ".bias"])]
        )

    def attention(self, x: str, w: dict[str, np.ndarray], p: str) -> str:
        """BERT's self-attention as onnxruntime's fused Attention kernel: the query, key and
        value projections as one product over the joined weights, then the scaled dot
        products, the padding mask, softmax and the weighted values in one node (the same
        arithmetic as the eighteen standard operators it replaces, in fewer passes)."""
        names = [f"{p}attention.self.{part}" for part in ("query", "key", "value")]
        joined = np.concatenate([w[n + ".weight"].T for n in names], axis=1)
        weight = self.const(p + "attention.qkv.weight", np.ascontiguousarray(joined))
        bias = self.const(p + "attention.qkv.bias", np.concatenate([w[n + ".bias"] for n in names]))
        output = f"n{len(self.nodes)}_Attention"
        node = self._helper.make_node(
            "Attention", [x, weight, bias, "mask"], [output], domain=CONTRIB, num_heads=HEADS
        )
        self.nodes.append(node)
        return output

    def layer_norm(self, x: str, w: dict[str, np.ndarray], name: str) -> str:
        return self.node(
            "LayerNormalization",
            [
                x,
                self.const(name + ".weight", w[name + ".weight"]),
                self.const(name + ".bias", w[name + ".bias"]),
            ],
            axis=-1,
            epsilon=LAYER_NORM_EPS,
        )

    def gelu(self, x: str, p: str) -> str:
        """BERT's GELU, 0.5 x (1 + erf(x / sqrt 2)); onnxruntime fuses it into one kernel."""
        root2 = self.const(p + "root2", np.array(math.sqrt(2.0), dtype=np.float32))
        one = self.const(p + "one", np.array(1.0, dtype=np.float32))
        half = self.const(p + "half", np.array(0.5, dtype=np.float32))
        erf = self.node("Erf", [self.node("Div", [x, root2])])
        return self.node("Mul", [self.node("Mul", [x, self.node("Add", [erf, one])]), half])
