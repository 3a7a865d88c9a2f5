#!/usr/bin/env python3
"""FAKE vramcalc — a stand-in used only to test run.py before the real CLI exists.
Prints the JSON shape of `vramcalc estimate --format json` with crude numbers (16 B/param full,
2 B/param + adapters for LoRA). Never use its figures for anything.
"""
import json
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from peers.common import load_arch  # noqa: E402

args = sys.argv[1:]
if not args or args[0] != "estimate":
    print("usage: fake_vramcalc.py estimate [options] --format json", file=sys.stderr)
    sys.exit(2)
opts = {}
i = 1
while i < len(args):
    k = args[i]
    if i + 1 < len(args) and not args[i + 1].startswith("--"):
        opts[k] = args[i + 1]
        i += 2
    else:
        opts[k] = True
        i += 1
ref = opts.get("--model") or opts.get("--config", "").replace("bench/accuracy/", "")
a = load_arch(ref)
m = opts["--method"]
P = a.P
w = {"full": 16, "lora": 2.2, "qlora": 0.7, "freeze": 3}[m] * P / int(opts.get("--gpus", 1))
act = 34 * a.h * a.L * int(opts["--micro-batch"]) * int(opts["--seq-len"]) / (10 if opts.get("--grad-checkpointing") == "full" else 1)
peak = int(w + act)
parts = {k: 0 for k in ["weights_trainable", "weights_frozen", "weights_quantized", "adapters", "gradients",
                        "optimizer_states", "master_weights", "activations", "logits", "optimizer_temp",
                        "buffers", "cuda_context", "allocator_reserve"]}
parts["weights_frozen"] = int(w)
parts["activations"] = int(act)
parts.update(weights=int(w), overhead=0, peak=peak, peak_reserved=int(peak * 1.08),
             device_used=int(peak * 1.08 + 600 * 2 ** 20))
print(json.dumps({"params": {"total": P, "trainable": P, "active": a.P_active}, "per_gpu_bytes": parts,
                  "cpu_bytes": 0, "fits": True, "gpus_needed": 1, "time_hours": 0, "cost_usd": 0,
                  "energy_kwh": 0, "assumptions": ["FAKE"]}))
