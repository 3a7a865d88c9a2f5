"""Transformer Math 101 (EleutherAI, blog.eleuther.ai/transformer-math) + Korthikanti et al.
"Reducing Activation Recomputation" (arXiv 2205.05198, Table 2), as summarised in
../shared/notes/peers.md §3.9. Re-implemented from the formulas, not from any code.
"""
from .common import ints, trainable, half

NAME = "tm101"
LABEL = "Transformer Math 101 + Korthikanti"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    P = arch.P
    T = trainable(row, arch)
    # Model memory: fp16/bf16 2 B/param, fp32 4, int8 1 (§3.9 "Model memory"); 4-bit = 0.5.
    wb = 0.5 if row["method"] == "qlora" else (2 if half(row) else 4)
    weights = wb * P
    # Optimizer: AdamW 12 B/param (fp32 copy + m + v) in mixed precision; 8 in fp32 (no copy);
    # bitsandbytes 8-bit AdamW 6 B/param; SGD with momentum 8 (§3.9 "Optimizer").
    opt = row["optimizer"]
    if opt in ("adamw-8bit", "paged-adamw-8bit"):
        ob = 6
    elif opt == "adamw":
        ob = 12 if half(row) else 8
    else:
        return None  # Adafactor / Lion are not in TM101
    optimizer = ob * T
    # Gradients: 2 B (fp16) or 4 B (fp32) per trained param (§3.9 "Gradients").
    grads = (2 if half(row) else 4) * T
    # Activations, Korthikanti Table 2 (bytes, 16-bit): none sbhL(10 + 24/t + 5as/(ht)),
    # selective sbhL(10 + 24/t), full 2sbhL.
    h, L, a = arch.h, arch.L, arch.a
    gc = row["grad_ckpt"]
    if gc == "full":
        act = 2 * s * b * h * L
    elif gc == "selective":
        act = s * b * h * L * (10 + 24 / t)
    else:
        act = s * b * h * L * (10 + 24 / t + 5 * a * s / (h * t))
    # ZeRO-1 divides optimizer by N, ZeRO-2 optimizer + gradients, ZeRO-3 all three;
    # with TP.PP the model states divide by TP.PP (§3.9 "Total").
    d = max(1, n // (t * p))
    mp = t * p
    weights /= mp * (d if zero >= 3 else 1)
    grads /= mp * (d if zero >= 2 else 1)
    optimizer /= mp * (d if zero >= 1 else 1)
    return weights + optimizer + grads + act
