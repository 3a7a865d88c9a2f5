"""Hugging Face `accelerate estimate-memory` "Training using Adam" column
(src/accelerate/commands/estimate.py:224-256, :301 @16cb6eb; ../shared/notes/peers.md §3.3).
fp32: max(model 4P, grads 4P, optimizer 8P, step 16P) = 16 B/param; fp16/bf16: 8 B/param.
int8/int4 print N/A -> None for QLoRA. Batch size 1, no activations; a whole-model figure, so rows
on several GPUs cannot be expressed.
"""
from .common import ints

NAME = "accelerate"
LABEL = "accelerate estimate-memory"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    if row["method"] == "qlora" or n > 1:
        return None
    P = arch.P
    return (16 if row["precision"] == "fp32" else 8) * P
