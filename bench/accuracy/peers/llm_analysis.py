"""cli99/llm-analysis training memory (llm_analysis/analysis.py @d841e40; ../shared/notes/peers.md §3.2).
No LoRA support: every parameter is trained. Defaults as in the tool: shared_embedding=True (untied
models are undercounted), master/gradient precision fp32, activation bytes 2, layernorm fp32.
"""
from .common import ints

NAME = "llm_analysis"
LABEL = "llm-analysis"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    h, L, a, V, f = arch.h, arch.L, arch.a, arch.V, (arch.f_moe if arch.is_moe else arch.f)
    kvd = arch.kv * arch.hd
    # Params (:249-332): attention 2h^2 + 2h.(h.kv/a); MLP (3 if GLU else 2).h.f.E; router h.E;
    # 2 norms 2h; embedding h.V counted once (shared_embedding default True).
    E = max(1, arch.E)
    attn = 2 * h * h + 2 * h * kvd
    mlp = (3 if arch.gated else 2) * h * f * E
    layer = attn + mlp + (h * arch.E if arch.is_moe else 0) + 2 * h
    P = L * layer + h * V
    d = max(1, n // (t * p))
    # Weights (:358-401): bytes from the weight bits (16, or 4 for a 4-bit base); /d under ZeRO-3.
    wbytes = 0.5 if row["method"] == "qlora" else (4 if row["precision"] == "fp32" else 2)
    weights = wbytes * P / (t * p) / (d if zero >= 3 else 1)
    # Optimizer (:434-501): 4 (fp32 master) + 8 (Adam m, v) = 12 B/param; gradients in master precision 4 B.
    opt_b = {"adamw": 12, "adamw-8bit": 6, "paged-adamw-8bit": 6, "lion": 8}.get(row["optimizer"], 12)
    optimizer = opt_b * P / (t * p) / (d if zero >= 1 else 1)
    grads = 4 * P / (t * p) / (d if zero >= 2 else 1)
    # Activations per layer (:553-756), bpa = 2, t = TP, flash for sdpa/flash.
    bpa = 2
    sbh = s * b * h
    flash = row["attention"] in ("sdpa", "flash")
    attn_compute = (2 * sbh + 4 * a * s * b) * bpa / t if flash else 2 * a * s * s * b * bpa / t
    attn_act = (sbh + 4 * sbh / t) * bpa
    mlp_act = bpa * sbh + (bpa + 2 * bpa) * (f / h) * sbh * (arch.k or 1) / t
    norms = 2 * sbh * 4
    gc = row["grad_ckpt"]
    if gc == "full":
        per_layer = sbh * bpa / t                      # FULL keeps the layer input (:816-829)
    elif gc == "selective":
        per_layer = attn_act + mlp_act + norms         # ATTN_COMPUTE recomputed
    else:
        per_layer = attn_act + attn_compute + mlp_act + norms
    act = per_layer * L + h * b * s * bpa / t + V * b * s * bpa / t   # + embedding input + logits
    loss_bwd = V * b * s * bpa / t
    # prefetch = max(embedding + 1 layer, 2 layers) of unsharded weights, added even without ZeRO-3
    prefetch = max(V * h + layer, 2 * layer) * wbytes / t
    # Peak (:2470-2473): optimizer + weights + max(activations, gradients) + max(prefetch, loss_bwd)
    return optimizer + weights + max(act, grads) + max(prefetch, loss_bwd)
