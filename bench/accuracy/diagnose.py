#!/usr/bin/env python3
"""diagnose.py — where the estimate's physics is off: per-row component breakdowns and what pairs of
measurements imply.

    python3 bench/accuracy/run.py --json /tmp/acc.json && python3 bench/accuracy/diagnose.py /tmp/acc.json

Sections:
  1. breakdown per source: measured vs estimate with the components (GiB) of each row;
  2. pairs that differ only in micro-batch or sequence length (same source, model, method, settings):
     measured slope (bytes per extra token) vs the estimate's slope -> activation+logit bytes/token
     and the implied constant term (everything that does not scale with tokens);
  3. per method family: the residual (measured - estimate) divided by params, by tokens.
"""
import json
import sys
from collections import defaultdict

GIB = 2 ** 30
KEYS = ["weights_trainable", "weights_frozen", "weights_quantized", "adapters", "gradients", "optimizer_states",
        "master_weights", "activations", "logits", "optimizer_temp", "buffers", "cuda_context", "allocator_reserve"]
SHORT = ["w_tr", "w_fz", "w_q", "adpt", "grad", "opt", "mast", "act", "logit", "otmp", "buf", "ctx", "rsv"]


def main(path):
    rows = [r for r in json.load(open(path)) if "error" in r]
    by_src = defaultdict(list)
    for r in rows:
        by_src[r["source_group"]].append(r)
    print("== 1. components (GiB) ==")
    print(f"{'case':42} {'meas':>6} {'est':>6} {'err':>6} " + " ".join(f"{s:>5}" for s in SHORT) + "  phase")
    for g in sorted(by_src):
        print(f"-- {g}")
        for r in sorted(by_src[g], key=lambda x: x["id"]):
            p = r["cli"]["per_gpu_parts_bytes"]
            print(f"{r['id'][:42]:42} {float(r['measured_bytes']) / GIB:6.2f} {r['estimate'] / GIB:6.2f} "
                  f"{r['error'] * 100:+5.0f}% " + " ".join(f"{p.get(k, 0) / GIB:5.2f}" for k in KEYS)
                  + f"  {r['cli'].get('peak_phase', '')} [{r['metric']}]")

    print("\n== 2. pairs differing only in tokens per micro-batch (micro_batch x seq_len) ==")
    sig_keys = ["source_group", "model_ref", "method", "lora_rank", "lora_targets", "precision", "optimizer",
                "grad_ckpt", "attention", "gpus", "zero", "metric", "framework", "act_offload", "chunked_ce"]
    groups = defaultdict(list)
    for r in rows:
        groups[tuple(r[k] for k in sig_keys)].append(r)
    for sig, rs in groups.items():
        if len(rs) < 2:
            continue
        rs.sort(key=lambda x: int(x["micro_batch"]) * int(x["seq_len"]))
        a, b = rs[0], rs[-1]
        ta = int(a["micro_batch"]) * int(a["seq_len"])
        tb = int(b["micro_batch"]) * int(b["seq_len"])
        if ta == tb:
            continue
        mslope = (float(b["measured_bytes"]) - float(a["measured_bytes"])) / (tb - ta)
        eslope = (b["estimate"] - a["estimate"]) / (tb - ta)
        mconst = float(a["measured_bytes"]) - mslope * ta
        econst = a["estimate"] - eslope * ta
        print(f"{sig[0]:13} {sig[1][:22]:22} {sig[2]:5} gc={sig[7]:9} {a['id'][:30]:30} -> {b['id'][:30]:30} "
              f"tokens {ta}->{tb}: measured {mslope / 1024:7.1f} KiB/token, est {eslope / 1024:7.1f} KiB/token "
              f"(x{eslope / mslope if mslope else float('nan'):.2f}); constant measured {mconst / GIB:6.2f} "
              f"est {econst / GIB:6.2f} GiB")

    print("\n== 3. residual by family and metric (measured - estimate) ==")
    fam = defaultdict(list)
    for r in rows:
        m = r["method"] + ("+multi" if int(r["gpus"]) > 1 else "")
        fam[m].append(r)
    for m, rs in sorted(fam.items()):
        res = sorted(((float(r["measured_bytes"]) - r["estimate"]) / GIB, r["id"]) for r in rs)
        med = res[len(res) // 2][0]
        print(f"{m:12} n={len(rs):3} median residual {med:+6.2f} GiB; "
              f"min {res[0][0]:+6.2f} ({res[0][1]}), max {res[-1][0]:+6.2f} ({res[-1][1]})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/acc.json")
