""""VRAM Calculator" by Alexander Smirnov (vram.asmirnov.xyz, app/_lib/index.ts @ea7ab04;
../shared/notes/peers.md §3.6). No LoRA (every parameter trains), no quantised training, no
checkpointing; always stores s^2 scores; FSDP divides model states by #GPUs, not activations.
"""
from .common import ints, MIB

NAME = "vram_calc"
LABEL = "asmirnov VRAM calculator"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    if row["method"] == "qlora":
        return None
    P = arch.P
    mixed = row["precision"] != "fp32"
    # weights: training mixed 6 B/param (fp32 + fp16 copy), full 4 (:30-36)
    weights = (6 if mixed else 4) * P
    # gradients 4P; first moment 4P (Adam or SGD+momentum); second moment 4P (Adam) (:58-72)
    opt = row["optimizer"]
    grads = 4 * P
    m1 = 4 * P if opt in ("adamw", "adamw-8bit", "paged-adamw-8bit", "sgd-momentum", "lion") else 0
    m2 = 4 * P if opt in ("adamw", "adamw-8bit", "paged-adamw-8bit") else 0
    if opt in ("adafactor",):
        return None
    B = 2 if mixed else 4
    h, L, a, V, f, hd, kv = arch.h, arch.L, arch.a, arch.V, (arch.f_moe if arch.is_moe else arch.f), arch.hd, arch.kv
    # outputs (logits) 4.b.s.V.2 in training (:56)
    outputs = 4 * b * s * V * 2
    # activations per layer (:86-127)
    sbh = b * s * h
    attn = B * sbh + B * b * s * hd * a + B * b * s * hd * kv + B * b * a * s * s + b * a * s * s \
        + B * b * a * s * s + B * b * s * hd * kv + B * b * s * a * hd + sbh
    mlp = B * sbh + B * b * s * f + B * b * s * f + sbh
    norms = 2 * B * sbh
    act = (attn + mlp + norms) * L
    if zero >= 3 and n > 1:                           # FSDP full shard divides model states only
        weights, grads, m1, m2 = weights / n, grads / n, m1 / n, m2 / n
    return weights + grads + m1 + m2 + outputs + act + 1000 * MIB   # CUDA kernels 1000 MiB (:47-49)
