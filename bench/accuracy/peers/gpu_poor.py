"""RahulSChand/gpu_poor (src/App.js @ad2fc0e; ../shared/notes/peers.md §3.1). Single GPU only.
LoRA is a fixed rank-8, 4-projection adapter; QLoRA adds the quantisation "extra"; activations always
materialise s^2 attention scores (+ an fp32 copy); checkpointing multiplies activations by 0.15.
"""
import math

from .common import ints, MIB

NAME = "gpu_poor"
LABEL = "gpu_poor"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    if n > 1:
        return None
    h, L, a, V, f = arch.h, arch.L, arch.a, arch.V, (arch.f_moe if arch.is_moe else arch.f)
    # Params with a config (App.js:213-217): V.h.2 + L.4h^2 + L.3.f.h (no GQA, no norms)
    P = V * h * 2 + L * 4 * h * h + L * 3 * f * h
    m = row["method"]
    opt = row["optimizer"]
    adam = opt.startswith(("adamw", "paged"))
    if not adam and opt not in ("sgd",):
        return None
    # Weights (App.js:770-790): 2 B/param; 4-bit /4 plus 0.06 x size for bnb/QLoRA
    weights = 2 * P
    # getExtraMemory (App.js:340-383): common = (15h + 6f).L; extra = c.common.50.sqrt(s/50) x batch
    common = (15 * h + 6 * f) * L
    if m == "qlora":
        weights = weights / 4 * 1.06
    # Grad + optimizer (App.js:222-337)
    if m == "full":
        go = (P * 3 * 2) if adam else P * 2          # fp16 grads + m + v, no master copy
    elif m == "lora":
        go = L * 8 * h * 2 * 4 * 3 * 2               # rank 8, A+B, 4 projections
    elif m == "qlora":
        go = L * 8 * h * 0.5 * 4 * 3 + 0.75 * common * 50 * math.sqrt(s / 50) * b
    else:
        return None
    # Activations per layer (App.js:412-475), fB = 2, len = s
    attn = 3 * s * h * 2 + 2 * s * h * 2 + a * s * s * 2 + a * s * s * 4 + a * s * s * 2 + 3 * s * h * 2
    ffn = 2 * h * s * 2 + 5 * s * f * 2 + f * s * 2
    norms = 8 * s + 6 * s * h * 2
    act = (attn + ffn + norms) * L * b
    if row["grad_ckpt"] != "none":
        act *= 0.15                                  # App.js:997
    return weights + go + act + 650 * MIB            # App.js:825
