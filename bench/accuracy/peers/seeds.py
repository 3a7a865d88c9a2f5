"""The three seed articles' rules of thumb (../shared/seeds/):
seed_a = 002_2e95ffc387e0dc29.txt ("16GB per 1B" + VRAM requirements table by method),
seed_b = 001_f7319a89d3f8981f.txt ("Compute Requirements Guide": W 2 + G 2 + Adam 8 + master 4 B/param,
         activations 0.7-1.0 x weights, ZeRO-3 divides states by N),
seed_c = 000_e43ab45858b2a7a2.txt ("Interview Classic #1": fp16 weights + same for gradients + Adam
         4 x model; LoRA 70B ~ 160 GB; 4-bit quarters the weights).
GB in the articles: seed_a decimal table, seed_b/seed_c 1024^3 (both say so).
"""
from .common import ints, trainable, GIB

# seed_a table (GB): method -> [(params in B, GB)], interpolated linearly in P (proportional below 7B).
_A = {
    "full": [(7, 67), (13, 125), (30, 288), (70, 672), (110, 1056)],
    "lora": [(7, 15), (13, 28), (30, 63), (70, 146), (110, 229)],
    "qlora8": [(7, 9), (13, 17), (30, 38), (70, 88), (110, 138)],
    "qlora": [(7, 5), (13, 9), (30, 20), (70, 46), (110, 72)],
}


def _interp(pts, x):
    if x <= pts[0][0]:
        return pts[0][1] * x / pts[0][0]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    return y1 + (y1 - y0) * (x - x1) / (x1 - x0)


class SeedA:
    NAME = "seed_a"
    LABEL = "seed article A (16 GB / 1B, table)"

    @staticmethod
    def estimate(row, arch):
        b, s, n, zero, t, p = ints(row)
        m = row["method"]
        key = {"full": "full", "lora": "lora", "freeze": "lora", "qlora": "qlora"}[m]
        return _interp(_A[key], arch.P / 1e9) * 1e9 / n


class SeedB:
    NAME = "seed_b"
    LABEL = "seed article B (16 B/param + 0.85 x weights)"

    @staticmethod
    def estimate(row, arch):
        b, s, n, zero, t, p = ints(row)
        T = trainable(row, arch)
        frozen = arch.P - (T if row["method"] in ("full", "freeze") else 0)
        wb = 0.5 if row["method"] == "qlora" else 2
        # W 2 + G 2 + Adam (V, S fp32) 8 + master 4 = 16 B per trained param; frozen weights at their dtype
        states = 16 * T + wb * frozen
        weights = wb * arch.P
        act = 0.85 * weights            # "activations ~ 0.7-1.0 x weight size": midpoint
        if zero >= 3:
            states /= n
        return states + act


class SeedC:
    NAME = "seed_c"
    LABEL = "seed article C (12 B/param; LoRA 160 GB per 70B)"

    @staticmethod
    def estimate(row, arch):
        b, s, n, zero, t, p = ints(row)
        P = arch.P
        m = row["method"]
        if m == "full":
            tot = 12 * P                               # 2 (fp16) + 2 (grads) + 4 x 2 (AdamW)
        elif m in ("lora", "freeze"):
            tot = 160 * GIB / 70e9 * P                 # "70 B ... roughly 160 GB"
        elif m == "qlora":
            tot = (160 * GIB - 140 * GIB + 35 * GIB) / 70e9 * P    # weights quartered (140 -> 35 GB)
        else:
            return None
        return tot / n
