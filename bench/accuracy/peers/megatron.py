"""Megatron-LM theoretical memory (megatron/training/theoretical_memory_usage.py @d98e8a6;
../shared/notes/peers.md §3.5). Every parameter trains; 18 B/param, or 6 + 12/DP with the
distributed optimizer (ZeRO>=1 rows); activations on the non-SP path s.b.h.(10 + 24/t) per layer,
logits (s.b.V/t + s.b.h).2, x 1.05.
"""
from .common import ints

NAME = "megatron"
LABEL = "Megatron-LM theoretical memory"


def estimate(row, arch):
    b, s, n, zero, t, p = ints(row)
    d = max(1, n // (t * p))
    P = arch.P
    bpp = 6 + 12 / d if zero >= 1 else 18
    states = P * bpp / (t * p)
    h, L, V = arch.h, arch.L, arch.V
    act = s * b * h * (10 + 24 / t) * L / p + (s * b * V / t + s * b * h) * 2
    return states + act * 1.05
