"""Peer calculators, re-implemented from the formulas in ../shared/notes/peers.md (not their code).
Each exposes NAME, LABEL and estimate(row, arch) -> bytes per GPU, or None when it cannot express
the row. `row` is a dict from bench/accuracy/rows.csv; `arch` a common.Arch.
"""
from . import accelerate_est, ds_zero, gpu_poor, llamafactory, llm_analysis, megatron, tm101, unsloth_est, vram_calc
from .seeds import SeedA, SeedB, SeedC

PEERS = [tm101, ds_zero, accelerate_est, llm_analysis, gpu_poor, vram_calc, unsloth_est, megatron,
         llamafactory, SeedA, SeedB, SeedC]
