"""The zoo's transformers as Hugging Face exports write them: bert_base,
gpt2_small and vit_b16, each with a small variant."""
import math

import numpy as np
from onnx import TensorProto, numpy_helper

from common import (BATCH, Graph, dim_of, gelu_erf, gelu_tanh, layer_norm, linear,
                    reshape_dynamic)


class Config:
    def __init__(self, layers, hidden, heads, inter, **extra):
        self.layers, self.hidden, self.heads, self.inter = layers, hidden, heads, inter
        self.head_dim = hidden // heads
        self.__dict__.update(extra)


def split_heads(g, t, cfg, perm=(0, 2, 1, 3)):
    """`x.view(x.size()[:-1] + (heads, head_dim)).permute(...)`."""
    view = reshape_dynamic(g, t, [(t, 0), (t, 1), cfg.heads, cfg.head_dim])
    return g.op("Transpose", [view], perm=list(perm))


def merge_heads(g, ctx, cfg):
    t = g.op("Transpose", [ctx], perm=[0, 2, 1, 3])
    return reshape_dynamic(g, t, [(t, 0), (t, 1), cfg.hidden])


def self_attention(g, x, cfg, mask=None):
    """BERT/ViT self-attention: separate query/key/value Linear layers, keys
    transposed to (0, 2, 3, 1) as HF does, scores scaled by Div, the additive
    mask, Softmax."""
    with g.scope("self"):
        q = split_heads(g, linear(g, x, cfg.hidden, cfg.hidden, "query"), cfg)
        k = split_heads(g, linear(g, x, cfg.hidden, cfg.hidden, "key"), cfg, (0, 2, 3, 1))
        v = split_heads(g, linear(g, x, cfg.hidden, cfg.hidden, "value"), cfg)
        scores = g.op("Div", [g.op("MatMul", [q, k]), g.const(math.sqrt(cfg.head_dim))])
        if mask is not None:
            scores = g.op("Add", [scores, mask])
        probs = g.op("Softmax", [scores], axis=-1)
        return merge_heads(g, g.op("MatMul", [probs, v]), cfg)


# -- bert_base -----------------------------------------------------------------------


def bert_layer(g, h, cfg, mask):
    """Post-LN encoder layer: attention, residual, LayerNorm, GELU MLP, residual, LayerNorm."""
    with g.scope("attention"):
        a = self_attention(g, h, cfg, mask)
        with g.scope("output"):
            a = linear(g, a, cfg.hidden, cfg.hidden, "dense")
            h = layer_norm(g, g.op("Add", [a, h]), cfg.hidden, "LayerNorm", 1e-12)
    with g.scope("intermediate"):
        m = gelu_erf(g, linear(g, h, cfg.hidden, cfg.inter, "dense"))
    with g.scope("output"):
        m = linear(g, m, cfg.inter, cfg.hidden, "dense")
        return layer_norm(g, g.op("Add", [m, h]), cfg.hidden, "LayerNorm", 1e-12)


def bert_embeddings(g, ids, cfg):
    """Word + token-type + position embeddings. Positions and token types come
    from registered buffers sliced to the sequence length read off the input."""
    with g.scope("embeddings"):
        positions = g.param("position_ids", np.arange(cfg.max_pos, dtype=np.int64)[None])
        types = g.param("token_type_ids", np.zeros((1, cfg.max_pos), np.int64))
        word = g.param("word_embeddings.weight", g.normal((cfg.vocab, cfg.hidden), 0.5))
        type_table = g.param("token_type_embeddings.weight",
                             g.normal((2, cfg.hidden), 0.5))
        pos_table = g.param("position_embeddings.weight",
                            g.normal((cfg.max_pos, cfg.hidden), 0.5))
        seq = dim_of(g, ids, 1)
        zero, one = g.const([0], np.int64), g.const([1], np.int64)
        type_ids = g.op("Expand", [g.op("Slice", [types, zero, seq, one]),
                                   g.op("Shape", [ids])])
        position_ids = g.op("Slice", [positions, zero, seq, one])
        e = g.op("Add", [g.op("Gather", [word, ids], axis=0),
                         g.op("Gather", [type_table, type_ids], axis=0)])
        e = g.op("Add", [e, g.op("Gather", [pos_table, position_ids], axis=0)])
        return layer_norm(g, e, cfg.hidden, "LayerNorm", 1e-12)


def bert_base(small=False):
    cfg = (Config(2, 128, 2, 512, vocab=1000, seq=16, max_pos=64) if small else
           Config(12, 768, 12, 3072, vocab=30522, seq=128, max_pos=512))
    g = Graph("bert_base", 5)
    ids = g.input("input_ids", TensorProto.INT64, [BATCH, cfg.seq])
    mask = g.input("attention_mask", TensorProto.INT64, [BATCH, cfg.seq])
    h = bert_embeddings(g, ids, cfg)
    # The extended attention mask: (1 - mask[:, None, None, :]) * -10000.
    ext = g.op("Unsqueeze", [mask, g.const([1, 2], np.int64)])
    ext = g.op("Cast", [ext], to=TensorProto.FLOAT)
    ext = g.op("Mul", [g.op("Sub", [g.const(1.0), ext]), g.const(-10000.0)])
    with g.scope("encoder"):
        for i in range(cfg.layers):
            with g.scope(f"layer.{i}"):
                h = bert_layer(g, h, cfg, ext)
    with g.scope("pooler"):
        first = g.op("Gather", [h, g.const(0, np.int64)], axis=1)
        pooled = g.op("Tanh", [linear(g, first, cfg.hidden, cfg.hidden, "dense", gemm=True)])
    g.output(h, "last_hidden_state", TensorProto.FLOAT, [BATCH, cfg.seq, cfg.hidden])
    g.output(pooled, "pooler_output", TensorProto.FLOAT, [BATCH, cfg.hidden])
    return g.model(vocab=cfg.vocab)


# -- gpt2_small ------------------------------------------------------------------------


def gpt2_attention(g, h, cfg):
    """GPT-2 attention: one c_attn projection Split in three, the causal mask
    sliced from the layer's lower-triangular `bias` buffer and applied with
    Where against the dtype's minimum, as transformers' GPT2Attention exports."""
    with g.scope("attn"):
        causal = g.param("bias", np.tril(np.ones((cfg.max_pos, cfg.max_pos), bool))[None, None])
        qkv = linear(g, h, cfg.hidden, 3 * cfg.hidden, "c_attn")
        q, k, v = g.op("Split", [qkv, g.const([cfg.hidden] * 3, np.int64)], num_outputs=3,
                       axis=2)
        q, k, v = (split_heads(g, t, cfg) for t in (q, k, v))
        kt = g.op("Transpose", [k], perm=[0, 1, 3, 2])
        w = g.op("Div", [g.op("MatMul", [q, kt]), g.const(math.sqrt(cfg.head_dim))])
        q_len, k_len = dim_of(g, q, 2), dim_of(g, k, 2)
        rows = g.op("Slice", [causal, g.op("Sub", [k_len, q_len]), k_len, g.const([2], np.int64)])
        mask = g.op("Slice", [rows, g.const([0], np.int64), k_len, g.const([3], np.int64)])
        w = g.op("Where", [mask, w, g.const(np.finfo(np.float32).min)])
        probs = g.op("Softmax", [w], axis=-1)
        ctx = merge_heads(g, g.op("MatMul", [probs, v]), cfg)
        return linear(g, ctx, cfg.hidden, cfg.hidden, "c_proj",
                      std=1.0 / math.sqrt(cfg.hidden * 2 * cfg.layers))


def gpt2_block(g, h, cfg):
    """Pre-LN block: ln_1, attention, residual, ln_2, gelu_new MLP, residual."""
    a = gpt2_attention(g, layer_norm(g, h, cfg.hidden, "ln_1", 1e-5), cfg)
    h = g.op("Add", [a, h])
    with g.scope("mlp"):
        m = linear(g, layer_norm(g, h, cfg.hidden, "ln_2", 1e-5), cfg.hidden, cfg.inter,
                   "c_fc")
        m = linear(g, gelu_tanh(g, m), cfg.inter, cfg.hidden, "c_proj",
                   std=1.0 / math.sqrt(cfg.inter * 2 * cfg.layers))
    return g.op("Add", [m, h])


def gpt2_small(small=False):
    cfg = (Config(2, 128, 2, 512, vocab=1000, seq=16, max_pos=64) if small else
           Config(12, 768, 12, 3072, vocab=50257, seq=128, max_pos=1024))
    g = Graph("gpt2_small", 6)
    ids = g.input("input_ids", TensorProto.INT64, [BATCH, cfg.seq])
    with g.scope("transformer"):
        wte = g.param("wte.weight", g.normal((cfg.vocab, cfg.hidden), 0.1))
        wpe = g.param("wpe.weight", g.normal((cfg.max_pos, cfg.hidden), 0.1))
        seq = g.op("Gather", [g.op("Shape", [ids]), g.const(1, np.int64)], axis=0)
        positions = g.op("Range", [g.const(0, np.int64), seq, g.const(1, np.int64)])
        positions = g.op("Unsqueeze", [positions, g.const([0], np.int64)])
        h = g.op("Add", [g.op("Gather", [wte, ids], axis=0),
                         g.op("Gather", [wpe, positions], axis=0)])
        for i in range(cfg.layers):
            with g.scope(f"h.{i}"):
                h = gpt2_block(g, h, cfg)
        h = layer_norm(g, h, cfg.hidden, "ln_f", 1e-5)
    with g.scope("lm_head"):
        # The head is tied to wte: the exporter transposes the shared weight.
        logits = g.op("MatMul", [h, g.op("Transpose", [wte], perm=[1, 0])])
    g.output(logits, "logits", TensorProto.FLOAT, [BATCH, cfg.seq, cfg.vocab])
    return g.model(vocab=cfg.vocab)


# -- vit_b16 -----------------------------------------------------------------------------


def expand_like_torch(g, x, batch_of, rank):
    """`x.expand(batch, -1, -1)`: torch exports the -1 entries by comparing the
    requested sizes with -1 (Equal) and keeping the input's own size (Where)."""
    sizes = g.op("Concat", [dim_of(g, batch_of, 0)] +
                 [g.const([-1], np.int64)] * (rank - 1), axis=0)
    minus_one = g.op("Mul", [g.op("ConstantOfShape", [g.const([rank], np.int64)],
                                  value=_i64_tensor(1)), g.const(-1, np.int64)])
    keep = g.op("Equal", [sizes, minus_one])
    ones = g.op("ConstantOfShape", [g.const([rank], np.int64)], value=_i64_tensor(1))
    return g.op("Expand", [x, g.op("Where", [keep, ones, sizes])])


def _i64_tensor(v):
    return numpy_helper.from_array(np.array([v], np.int64))


def vit_layer(g, h, cfg):
    """Pre-LN ViT layer (Hugging Face ViTLayer)."""
    with g.scope("attention"):
        a = self_attention(g, layer_norm(g, h, cfg.hidden, "layernorm_before", 1e-12), cfg)
        with g.scope("output"):
            a = linear(g, a, cfg.hidden, cfg.hidden, "dense")
    h = g.op("Add", [a, h])
    m = layer_norm(g, h, cfg.hidden, "layernorm_after", 1e-12)
    with g.scope("intermediate"):
        m = gelu_erf(g, linear(g, m, cfg.hidden, cfg.inter, "dense"))
    with g.scope("output"):
        m = linear(g, m, cfg.inter, cfg.hidden, "dense")
    return g.op("Add", [m, h])


def vit_b16(small=False):
    cfg = (Config(2, 128, 2, 512, image=64, patch=16, classes=10) if small else
           Config(12, 768, 12, 3072, image=224, patch=16, classes=1000))
    tokens = (cfg.image // cfg.patch) ** 2 + 1
    g = Graph("vit_b16", 7)
    x = g.input("pixel_values", TensorProto.FLOAT, [BATCH, 3, cfg.image, cfg.image])
    with g.scope("vit"), g.scope("embeddings"):
        with g.scope("patch_embeddings"), g.scope("projection"):
            fan_in = 3 * cfg.patch * cfg.patch
            w = g.param("weight", g.normal((cfg.hidden, 3, cfg.patch, cfg.patch),
                                           1.0 / math.sqrt(fan_in)))
            b = g.param("bias", g.uniform(cfg.hidden, -0.02, 0.02))
            p = g.op("Conv", [x, w, b], dilations=[1, 1], group=1,
                     kernel_shape=[cfg.patch] * 2, pads=[0] * 4, strides=[cfg.patch] * 2)
        # .flatten(2).transpose(1, 2)
        p = g.op("Transpose", [reshape_dynamic(g, p, [(p, 0), (p, 1), -1])], perm=[0, 2, 1])
        cls = g.param("cls_token", g.normal((1, 1, cfg.hidden), 1.0))
        pos = g.param("position_embeddings", g.normal((1, tokens, cfg.hidden), 0.5))
        h = g.op("Concat", [expand_like_torch(g, cls, p, 3), p], axis=1)
        h = g.op("Add", [h, pos])
    with g.scope("vit"):
        with g.scope("encoder"):
            for i in range(cfg.layers):
                with g.scope(f"layer.{i}"):
                    h = vit_layer(g, h, cfg)
        h = layer_norm(g, h, cfg.hidden, "layernorm", 1e-12)
    first = g.op("Gather", [h, g.const(0, np.int64)], axis=1)
    logits = linear(g, first, cfg.hidden, cfg.classes, "classifier", gemm=True)
    g.output(logits, "logits", TensorProto.FLOAT, [BATCH, cfg.classes])
    return g.model()
