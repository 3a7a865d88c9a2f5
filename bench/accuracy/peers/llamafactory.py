"""LLaMA-Factory README "Hardware Requirement" table rule (README.md:503-514 @ff6d4d1;
../shared/notes/peers.md §3.8): GB per billion parameters x: Full AMP 18x, Full pure bf16 8x,
Freeze/LoRA 16-bit 2x, QLoRA 8-bit x, 4-bit x/2. No batch, sequence or GPU count.
"""
from .common import ints

NAME = "llamafactory"
LABEL = "LLaMA-Factory table rule"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    x = arch.P / 1e9
    m = row["method"]
    if m == "full":
        gb = 8 * x if row["precision"] == "bf16" else 18 * x
    elif m in ("lora", "freeze"):
        gb = 2 * x
    elif m == "qlora":
        gb = x / 2
    else:
        return None
    return gb * 1e9 / n
