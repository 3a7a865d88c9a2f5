"""Unsloth Studio training-VRAM estimator (studio/backend/utils/hardware/vram_estimation.py @015bdef;
../shared/notes/peers.md §3.7). No ZeRO/FSDP/TP: single-GPU rows only.
"""
from .common import ints, GIB, lora_params

NAME = "unsloth"
LABEL = "Unsloth Studio constants"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    if n > 1:
        return None
    h, L, a, V, f = arch.h, arch.L, arch.a, arch.V, (arch.f_moe if arch.is_moe else arch.f)
    kvd = arch.kv * arch.hd
    m = row["method"]
    non_quant = V * h * (1 if arch.tied else 2) + 2 * h * L
    quant = arch.P - non_quant
    # Weights (:840-857): 2 B/param; QLoRA: quantized.2/(16/5), or /3.6 with double quant
    if m == "qlora":
        div = 3.6 if row["double_quant"] == "true" else 16 / 5
        weights = quant * 2 / div + non_quant * 2
    else:
        weights = arch.P * 2
    # LoRA params A in x r + B r x out per target, x L, x 2 B (:866-1032)
    if m in ("lora", "qlora"):
        T = lora_params(arch, row["lora_targets"], int(row["lora_rank"]))
        lora_w = T * 2
    elif m == "freeze":
        T = 2 * arch.layer_params()
        lora_w = 0
    else:
        T = arch.P
        lora_w = 0
    # Optimizer bytes/param (:51-60): adamw_8bit 4, paged_adamw_8bit 4, paged_adamw_32bit 8,
    # adamw_torch 6 ("fused, no master copy"), sgd 4
    ob = {"adamw-8bit": 4, "paged-adamw-8bit": 4, "adamw": 6, "sgd": 4, "sgd-momentum": 4}.get(row["optimizer"])
    if ob is None:
        return None
    optimizer = ob * T
    # Activations per layer (:1092-1103): (s.b.(h + 2.kv_dim) + 2.s.b + 2.s.b.f).2.1.25
    per_layer = (s * b * (h + 2 * kvd) + 2 * s * b + 2 * s * b * f) * 2 * 1.25
    gc = row["grad_ckpt"] != "none"
    if gc:
        unsloth = row["framework"] == "unsloth"
        layers = (1.5 if unsloth else 2.0) if m == "full" else 1.0     # (:63-67)
    else:
        layers = L
    act = per_layer * layers
    if row["attention"] == "eager":                   # (:1050-1054)
        act = max(act, b * a * s * s * 2 * 12.0 * (layers if gc else L))
    # Gradients trainable.2 B, floored at 0.15.weights for full FT; LoRA floor
    # min(0.15.weights, max(activations, optimizer)) (:1177-1186)
    grads = T * 2
    if m == "full":
        grads = max(grads, 0.15 * weights)
    elif m in ("lora", "qlora"):
        grads = max(grads, min(0.15 * weights, max(act, optimizer)))
    return weights + lora_w + optimizer + grads + act + 1.4 * GIB     # CUDA overhead 1.4 GiB
