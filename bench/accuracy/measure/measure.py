#!/usr/bin/env python3
"""measure.py — measure real peak GPU memory of training steps, for vramcalc's accuracy benchmark.

Builds models from configs with random weights (transformers + peft; nothing is downloaded), runs
real training steps and records torch.cuda.max_memory_allocated, max_memory_reserved and the
process's nvidia-smi usage for a grid: full / LoRA / QLoRA (if bitsandbytes imports) / freeze;
amp-bf16 and pure bf16; AdamW, 8-bit AdamW, SGD; batch and length sweeps; checkpointing on/off;
eager vs sdpa; a small MoE; PEFT's other tuners (LoHa, OFT, VeRA, IA3, prompt and prefix tuning).
Each point runs in its own process (fresh CUDA context, clean peaks).

    python3 bench/accuracy/measure/measure.py                # full grid -> results/measured-<gpu>-<date>.csv
    python3 bench/accuracy/measure/measure.py --quick        # ~16 points
    python3 bench/accuracy/measure/measure.py --dry-run      # print the grid, no GPU needed
    python3 bench/accuracy/measure/measure.py --only vm-lora-b4-s1024   # one point (ids from --dry-run)

The CSV uses ../shared/groundtruth/measured.csv's columns with source=vramcalc-measure and the
library versions in `notes`; convert.py appends results/*.csv to rows.csv (one row per metric).
Needs: torch with CUDA, transformers, peft; bitsandbytes optional (QLoRA, 8-bit AdamW points are
skipped without it).
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")
CONFIGS = os.path.join(HERE, "configs")

# Model shapes: two real dense shapes from the catalog (rows reference the catalog id, so the CLI
# sees exactly the architecture measured) and one small Mixtral-style MoE (config file).
MODELS = {
    "llama-3.2-1b": dict(model_type="llama", hidden_size=2048, intermediate_size=8192, num_hidden_layers=16,
                         num_attention_heads=32, num_key_value_heads=8, head_dim=64, vocab_size=128256,
                         tie_word_embeddings=True, max_position_embeddings=8192, rope_theta=500000.0),
    "qwen2.5-0.5b": dict(model_type="qwen2", hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                         num_attention_heads=14, num_key_value_heads=2, vocab_size=151936,
                         tie_word_embeddings=True, max_position_embeddings=32768),
    "mixtral-tiny": dict(model_type="mixtral", hidden_size=1024, intermediate_size=2816, num_hidden_layers=8,
                         num_attention_heads=16, num_key_value_heads=4, num_local_experts=8,
                         num_experts_per_tok=2, vocab_size=32000, tie_word_embeddings=False,
                         max_position_embeddings=8192),
}
CATALOG_IDS = {"llama-3.2-1b", "qwen2.5-0.5b"}

CSV_FIELDS = ["id", "kind", "model", "hf_repo", "params_total", "method", "trainable_scope", "lora_rank",
              "lora_alpha", "lora_targets", "quant", "precision", "optimizer", "micro_batch", "seq_len",
              "grad_accum", "grad_checkpointing", "attention", "gpus", "parallelism", "offload", "framework",
              "gpu_model", "measured_value", "measured_unit", "measured_what", "per_gpu", "source",
              "source_detail", "clean", "confidence", "notes"]

ALL_LINEAR = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj"


def point(**kw):
    p = dict(model="llama-3.2-1b", method="lora", precision="bf16", optimizer="adamw", batch=4, seq=1024,
             gc=False, attn="sdpa", rank=16, targets=ALL_LINEAR, train_layers="", steps=3, stn=True,
             tuner="lora", vt=0)
    p.update(kw)
    tl = p["train_layers"].replace(":", "")
    p["id"] = (f"vm-{p['model']}-{p['method']}{tl}-{p['precision']}-{p['optimizer']}-b{p['batch']}-s{p['seq']}"
               f"-{'gc' if p['gc'] else 'nogc'}-{p['attn']}" + (f"-r{p['rank']}" if p['method'] in ('lora', 'qlora') else "")
               + ("" if p["targets"] == ALL_LINEAR or p["method"] not in ("lora", "qlora") else
                  "-t" + "".join(t[0] for t in p["targets"].split(",")))
               + ("" if p["stn"] else "-keepgrad")
               + ("" if p["tuner"] == "lora" else f"-{p['tuner']}" + (f"{p['vt']}" if p["vt"] else "")))
    return p


def grid(quick=False):
    g = []
    # 1. methods x precision (llama-3.2-1b, b4 s1024)
    for m in ("full", "lora", "qlora", "freeze"):
        for prec in ("bf16", "amp-bf16"):
            g.append(point(method=m, precision=prec, train_layers="last:2" if m == "freeze" else ""))
    # 2. optimizers (full FT)
    for prec in ("bf16", "amp-bf16"):
        for opt in ("adamw-8bit", "sgd"):
            g.append(point(method="full", precision=prec, optimizer=opt))
    # 3. batch sweep (full and LoRA, bf16)
    for m in ("full", "lora"):
        for b in (1, 2, 8):
            g.append(point(method=m, batch=b))
    # 4. length sweep (LoRA bf16, b2) and long context with checkpointing
    for s in (256, 512, 2048, 4096):
        g.append(point(batch=2, seq=s))
    g.append(point(batch=1, seq=8192, gc=True))
    # 5. checkpointing on/off
    for m in ("full", "lora", "qlora"):
        for b in (4, 8):
            g.append(point(method=m, batch=b, seq=2048, gc=True))
    # 6. eager vs sdpa
    for s in (512, 2048):
        g.append(point(batch=2, seq=s, attn="eager"))
        g.append(point(method="full", batch=2, seq=s, attn="eager"))
    # 7. LoRA rank / targets
    g.append(point(rank=64))
    g.append(point(targets="q_proj,v_proj"))
    # 8. large vocabulary, small model (logits dominate)
    for m in ("full", "lora"):
        for b in (2, 8):
            g.append(point(model="qwen2.5-0.5b", method=m, batch=b))
    # 9. small MoE
    for m, tg in (("full", ALL_LINEAR), ("lora", "q_proj,k_proj,v_proj,o_proj"), ("lora", ALL_LINEAR)):
        g.append(point(model="mixtral-tiny", method=m, targets=tg, batch=4, seq=1024))
    g.append(point(model="mixtral-tiny", method="full", batch=4, seq=2048, gc=True))
    # 10. fp16 AMP QLoRA with 8-bit AdamW at two adapter sizes (the Unsloth T4 notebooks' recipe
    #     without Unsloth's kernels): DIAGNOSIS.md §0.4 — those rows are 12-19 B per adapter
    #     parameter above the estimate, the bf16 A100 rows are not.
    for r in (16, 128):
        g.append(point(method="qlora", precision="amp-fp16", optimizer="adamw-8bit", rank=r, batch=2, seq=1024, gc=True))
    # 11. gradients zeroed in place (zero_grad(set_to_none=False), the PyTorch < 2.0 default): they
    #     stay allocated through the next forward and backward (vramcalc --set-to-none false).
    for prec in ("bf16", "amp-bf16"):
        g.append(point(method="full", precision=prec, stn=False))
    # 12. PEFT's other tuners over the frozen bf16 base (vramcalc --adapter): what each keeps
    #     beside LoRA at the same rank and targets (DIAGNOSIS.md §0.8-0.9), and prompt / prefix
    #     tuning with their virtual tokens.
    for t in ("loha", "oft", "vera"):
        g.append(point(tuner=t, rank=32, targets="q_proj,v_proj"))
    g.append(point(tuner="lora", rank=32, targets="q_proj,v_proj"))
    g.append(point(tuner="ia3", targets="k_proj,v_proj,down_proj"))
    for t in ("prompt", "prefix"):
        g.append(point(tuner=t, vt=100))
    if quick:
        keep = {0, 1, 2, 4, 6, 8, 9, 12, 15, 18, 21, 23, 27, 33, 40}
        g = [p for i, p in enumerate(g) if i in keep]
    # de-duplicate ids
    seen, out = set(), []
    for p in g:
        if p["id"] not in seen:
            seen.add(p["id"])
            out.append(p)
    return out


# ---------------------------------------------------------------------------------------------
# One measurement (runs in a child process)
# ---------------------------------------------------------------------------------------------
def nvidia_smi_process_mib(pid):
    try:
        out = subprocess.run(["nvidia-smi", "--query-compute-apps=pid,used_memory",
                              "--format=csv,noheader,nounits"], capture_output=True, text=True, timeout=20).stdout
        for line in out.splitlines():
            parts = [x.strip() for x in line.split(",")]
            if len(parts) == 2 and parts[0] == str(pid):
                return float(parts[1]), "nvidia-smi --query-compute-apps used_memory (this process)"
        out = subprocess.run(["nvidia-smi", "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", "0"],
                             capture_output=True, text=True, timeout=20).stdout
        return float(out.split()[0]), "nvidia-smi memory.used (whole GPU 0)"
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return None, "nvidia-smi unavailable"


def measure_one(p):
    import torch
    import transformers
    from transformers import AutoConfig, AutoModelForCausalLM

    torch.manual_seed(0)
    dev = torch.device("cuda")
    cfg_fields = dict(MODELS[p["model"]])
    mtype = cfg_fields.pop("model_type")
    cfg = AutoConfig.for_model(mtype, **cfg_fields)
    cfg.use_cache = False
    cfg._attn_implementation = p["attn"]
    bf16 = torch.bfloat16
    pure = p["precision"] == "bf16"
    fp16 = p["precision"] == "amp-fp16"          # fp32 weights + fp16 autocast + GradScaler (T4/V100 recipes)
    half = torch.float16 if fp16 else bf16       # autocast dtype, and the 16-bit dtype of a QLoRA load
    load_dtype = bf16 if pure else torch.float32

    if p["method"] == "qlora":
        from transformers import BitsAndBytesConfig
        from peft import prepare_model_for_kbit_training
        # random weights -> a local checkpoint -> load it 4-bit (nothing downloaded)
        tmp = tempfile.mkdtemp(prefix="vm-")
        m0 = AutoModelForCausalLM.from_config(cfg, torch_dtype=half)
        m0.save_pretrained(tmp)
        del m0
        q = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True,
                               bnb_4bit_compute_dtype=half, bnb_4bit_quant_storage=half)
        torch.cuda.reset_peak_memory_stats()
        model = AutoModelForCausalLM.from_pretrained(tmp, quantization_config=q, torch_dtype=half,
                                                     attn_implementation=p["attn"], device_map={"": 0})
        # as the PEFT / TRL QLoRA recipes do: fp32 norms/embeddings/head, input grads for checkpointing
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=p["gc"])
    else:
        model = AutoModelForCausalLM.from_config(cfg, torch_dtype=load_dtype, attn_implementation=p["attn"])
        model.to(dev)
    if p["gc"]:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        if p["method"] != "full":
            model.enable_input_require_grads()

    if p["method"] in ("lora", "qlora"):
        import peft
        from peft import get_peft_model
        tg, r, t = p["targets"].split(","), p["rank"], p["tuner"]
        if t == "loha":
            lc = peft.LoHaConfig(r=r, alpha=2 * r, target_modules=tg, task_type="CAUSAL_LM")
        elif t == "oft":
            lc = peft.OFTConfig(r=r, oft_block_size=0, target_modules=tg, task_type="CAUSAL_LM")
        elif t == "vera":
            lc = peft.VeraConfig(r=r, target_modules=tg, task_type="CAUSAL_LM")
        elif t == "ia3":
            lc = peft.IA3Config(target_modules=tg, feedforward_modules=[m for m in tg if m in ("gate_proj", "up_proj", "down_proj")],
                                task_type="CAUSAL_LM")
        elif t == "prompt":
            lc = peft.PromptTuningConfig(num_virtual_tokens=p["vt"], task_type="CAUSAL_LM")
        elif t == "prefix":
            lc = peft.PrefixTuningConfig(num_virtual_tokens=p["vt"], task_type="CAUSAL_LM")
        else:
            lc = peft.LoraConfig(r=r, lora_alpha=2 * r, lora_dropout=0.0, target_modules=tg, task_type="CAUSAL_LM")
        model = get_peft_model(model, lc)
    elif p["method"] == "freeze":
        n = cfg.num_hidden_layers
        k = int(p["train_layers"].split(":")[1])
        for name, prm in model.named_parameters():
            prm.requires_grad = any(f"layers.{i}." in name for i in range(n - k, n))
    params = [x for x in model.parameters() if x.requires_grad]
    n_train = sum(x.numel() for x in params)
    n_total = sum(x.numel() for x in model.parameters())

    if p["optimizer"] == "adamw":
        opt = torch.optim.AdamW(params, lr=1e-5)
    elif p["optimizer"] == "adamw-8bit":
        import bitsandbytes as bnb
        opt = bnb.optim.AdamW8bit(params, lr=1e-5)
    else:
        opt = torch.optim.SGD(params, lr=1e-5)

    model.train()
    ids = torch.randint(0, cfg.vocab_size, (p["batch"], p["seq"]), device=dev)
    torch.cuda.synchronize()
    # what loading left behind (reserved beyond allocated before the first step): the Unsloth
    # notebooks' readings include it (DIAGNOSIS.md §0.6)
    alloc0, reserved0 = torch.cuda.memory_allocated(), torch.cuda.memory_reserved()
    if p["method"] != "qlora":
        torch.cuda.reset_peak_memory_stats()   # weights stay allocated, so they are inside the peak
    scaler = torch.amp.GradScaler("cuda", enabled=fp16)   # as HF Trainer / accelerate with fp16=True
    t0 = time.time()
    for _ in range(p["steps"]):
        with torch.autocast("cuda", dtype=half, enabled=not pure):
            out = model(input_ids=ids, labels=ids)
        scaler.scale(out.loss).backward()
        scaler.unscale_(opt)
        scaler.step(opt)
        scaler.update()
        opt.zero_grad(set_to_none=p["stn"])
    torch.cuda.synchronize()
    dt = (time.time() - t0) / p["steps"]
    alloc = torch.cuda.max_memory_allocated()
    reserved = torch.cuda.max_memory_reserved()
    smi, smi_how = nvidia_smi_process_mib(os.getpid())
    import peft
    try:
        import bitsandbytes
        bnbv = bitsandbytes.__version__
    except Exception:  # noqa: BLE001
        bnbv = "absent"
    return dict(alloc=alloc, reserved=reserved, alloc0=alloc0, reserved0=reserved0, smi_mib=smi, smi_how=smi_how, n_total=n_total, n_train=n_train,
                step_s=dt, gpu=torch.cuda.get_device_name(0),
                versions=f"torch {torch.__version__} (CUDA {torch.version.cuda}), transformers "
                         f"{transformers.__version__}, peft {peft.__version__}, bitsandbytes {bnbv}")


# ---------------------------------------------------------------------------------------------
# CSV rows in the ground-truth schema
# ---------------------------------------------------------------------------------------------
def model_ref(name):
    if name in CATALOG_IDS:
        return "local:" + name
    path = os.path.join(CONFIGS, name + ".json")
    return "local:measure/configs/" + name + ".json"


def csv_rows(p, r):
    prec = {"bf16": "bf16 (pure)", "amp-bf16": "amp-bf16 (fp32 weights + bf16 autocast)",
            "amp-fp16": "fp16-mixed (AMP): fp32 weights + fp16 autocast + GradScaler"}[p["precision"]]
    opt = {"adamw": "adamw (torch)", "adamw-8bit": "adamw-8bit (bnb AdamW8bit)", "sgd": "sgd (torch, no momentum)"}
    base = {k: "" for k in CSV_FIELDS}
    tuner = p.get("tuner", "lora")
    method = p["method"] if tuner == "lora" else {"prompt": "prompt_tuning", "prefix": "prefix_tuning"}.get(tuner, tuner)
    base.update(kind="measured", model=p["model"], hf_repo=model_ref(p["model"]), params_total=str(r["n_total"]),
                method=method,
                trainable_scope=(f"layers {p['train_layers']}" if p["method"] == "freeze" else
                                 ("all" if p["method"] == "full" else
                                  f"{tuner}; trainable {r['n_train']}" + (f"; virtual tokens {p['vt']}" if p.get("vt") else ""))),
                lora_rank=str(p["rank"]) if p["method"] in ("lora", "qlora") else "",
                lora_alpha=str(2 * p["rank"]) if p["method"] in ("lora", "qlora") else "",
                lora_targets=p["targets"] if p["method"] in ("lora", "qlora") else "",
                quant=(f"nf4-dq (bnb, quant_storage {'fp16' if p['precision'] == 'amp-fp16' else 'bf16'})"
                       if p["method"] == "qlora" else "none"),
                precision=prec, optimizer=opt[p["optimizer"]], micro_batch=str(p["batch"]), seq_len=str(p["seq"]),
                grad_accum="1", grad_checkpointing="full (use_reentrant False)" if p["gc"] else "none",
                attention=p["attn"], gpus="1", parallelism="none", offload="none",
                framework="custom (transformers + peft training loop, vramcalc measure.py)",
                gpu_model=r["gpu"], per_gpu="yes", source="vramcalc-measure (bench/accuracy/measure/measure.py)",
                clean="yes", confidence="high (this project's measurement; random weights, fixed-length data)",
                notes=(f"seq_len_kind=fixed. {p['steps']} steps of forward+backward+optimizer.step, HF loss "
                       f"(labels=input_ids), lora_dropout 0, QLoRA via prepare_model_for_kbit_training. "
                       + ("" if p["stn"] else "zero_grad(set_to_none=False). ") +
                       f"{r['versions']}. step {r['step_s']:.3f} s."))
    out = []
    for what, val, unit in (("max_allocated", r["alloc"] / 2 ** 30, "GiB"),
                            ("max_reserved", r["reserved"] / 2 ** 30, "GiB"),
                            (f"nvidia-smi ({r['smi_how']})", r["smi_mib"], "MiB")):
        if val is None:
            continue
        row = dict(base)
        suffix = {"max_allocated": "alloc", "max_reserved": "reserved"}.get(what, "smi")
        row.update(id=f"{p['id']}-{suffix}", measured_value=f"{val:.4f}" if unit == "GiB" else f"{val:.0f}",
                   measured_unit=unit, measured_what=what,
                   source_detail=f"alloc={r['alloc']} B, reserved={r['reserved']} B, smi={r['smi_mib']} MiB; "
                                 f"before the first step: allocated {r['alloc0']} B, reserved {r['reserved0']} B")
        out.append(row)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--dry-run", action="store_true")
    ap.add_argument("--only", help="comma-separated point ids")
    ap.add_argument("--out", help="CSV path (default results/measured-<gpu>-<date>.csv)")
    ap.add_argument("--one", help=argparse.SUPPRESS)   # child mode: JSON point -> JSON result on stdout
    ap.add_argument("--timeout", type=int, default=600)
    a = ap.parse_args()
    if a.one:
        p = json.loads(a.one)
        try:
            print("RESULT " + json.dumps(measure_one(p)))
        except Exception as e:  # noqa: BLE001  (OOM and missing libraries are reported, not fatal)
            print("ERROR " + json.dumps(f"{type(e).__name__}: {str(e)[:300]}"))
        return 0
    pts = grid(a.quick)
    if a.only:
        want = set(a.only.split(","))
        pts = [p for p in pts if p["id"] in want]
    if a.dry_run:
        for p in pts:
            print(p["id"])
        print(f"{len(pts)} points", file=sys.stderr)
        return 0
    os.makedirs(RESULTS, exist_ok=True)
    os.makedirs(CONFIGS, exist_ok=True)
    for name, fields in MODELS.items():
        if name not in CATALOG_IDS:
            with open(os.path.join(CONFIGS, name + ".json"), "w") as f:
                json.dump(fields, f, indent=1)
    rows, gpu = [], "gpu"
    for i, p in enumerate(pts):
        t0 = time.time()
        try:
            cp = subprocess.run([sys.executable, __file__, "--one", json.dumps(p)], capture_output=True, text=True,
                                timeout=a.timeout)
            line = next((ln for ln in cp.stdout.splitlines() if ln.startswith(("RESULT ", "ERROR "))), None)
        except subprocess.TimeoutExpired:
            line = 'ERROR "timeout"'
            cp = None
        if line and line.startswith("RESULT "):
            r = json.loads(line[7:])
            gpu = r["gpu"]
            rows += csv_rows(p, r)
            msg = f"alloc {r['alloc'] / 2**30:.2f} GiB, reserved {r['reserved'] / 2**30:.2f} GiB, smi {r['smi_mib']} MiB"
        else:
            msg = "skipped: " + (json.loads(line[6:]) if line else (cp.stderr[-300:] if cp else "no output"))
        print(f"[{i + 1}/{len(pts)}] {p['id']}: {msg} ({time.time() - t0:.0f} s)", flush=True)
    date = datetime.date.today().isoformat()
    out = a.out or os.path.join(RESULTS, f"measured-{gpu.replace(' ', '_')}-{date}.csv")
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=CSV_FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {out} ({len(rows)} rows); now run: python3 bench/accuracy/convert.py && python3 bench/accuracy/run.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
