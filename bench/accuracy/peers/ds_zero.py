"""DeepSpeed `estimate_zero2_model_states_mem_needs_all_cold` / `estimate_zero3_...` as summarised in
../shared/notes/peers.md §3.4 (stage_1_and_2.py:3081-3101 and stage3.py:3744-3792 @edaa722).
Model states only (no activations); every parameter counts as trained (no LoRA, issue #5304).
ZeRO-3/FSDP rows use the ZeRO-3 formula, every other row the ZeRO-2 one with N = #GPUs.
"""
from .common import ints

NAME = "ds_zero"
LABEL = "DeepSpeed ZeRO estimators"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    P = arch.P
    off_opt = row["offload_opt"] == "1"
    off_par = row["offload_params"] == "1"
    if zero >= 3:
        largest = 4 * arch.largest_layer()          # fp16 param gather + fp16 grad of the largest layer
        if off_opt and off_par:
            return largest                           # offload params + optimizer
        if off_opt:
            return largest + 2 * P / n               # offload optimizer only
        return largest + 18 * P / n                  # no offload
    if off_opt:
        return 2 * P                                 # ZeRO-2 + CPU offload: GPU 2P
    return 2 * P + 18 * P / n                        # ZeRO-2 (PR #5099 formula)
