#!/usr/bin/env python3
"""convert.py — ../shared/groundtruth/measured.csv -> bench/accuracy/rows.csv.

Regenerate, never hand-edit rows.csv:   python3 bench/accuracy/convert.py
(also appends bench/accuracy/measure/*.csv rows written by measure/measure.py, source=vramcalc-measure)

Every measured row becomes one line of rows.csv: usable rows carry the vramcalc CLI arguments they
map to; rows that cannot be expressed stay in the file with usable=no and the reason.
Estimate-kind rows (published requirement tables) are not ground truth and are skipped.

Mapping decisions, per field (the same text is in README.md):

units          GB = 1e9 B, GiB = 2^30 B, MiB = 2^20 B, exactly as the ground truth labels them (its
               README already corrected torchtune-before-Aug-2024 and LitGPT to GB, Unsloth and
               torchtitan to GiB, HF docs "MB" to MiB).
measured_what  max_allocated -> `peak`; max_active (torchtune) -> `peak` (active <= allocated, within
               ~1 %); max_reserved -> `peak_reserved`; nvidia-smi -> `device_used`;
               unknown -> `peak_reserved` (middle reading; tier C) except ms-swift script comments
               ("looks like nvidia-smi") -> `device_used`; "capacity bound" -> a bound, scored as
               hit/miss on resident = device_used - paged_bytes (fits: resident <= capacity;
               OOM: > capacity; max context that fit: 0.8 x capacity <= resident <= capacity).
               Capacities of cards are binary (a "24 GB" card has 24 GiB): capacity = value x 2^30,
               T4 = 15360 MiB, V100 32 GB = 32510 MiB (NVML totals).
seq_len_kind   fixed / packed / longest_sample -> the listed length.
               max_pad_longest (real data padded per batch, seq_len only truncates): the peak is a
               maximum over the run, so it is set by the longest batch, i.e.
               L_eff = min(truncation, longest sample of the dataset seen). Where the dataset's
               longest sample is known to exceed the truncation over a run of many steps
               (Alpaca/Alpaca2k at 512, alpaca_cleaned at 512, MetaMathQA at 768) L_eff = truncation
               and the row is tier B. Otherwise L_eff = min(truncation, DATASET_MAX[dataset])
               with the table below and the row is tier C (less trusted).
framework      LitGPT -> litgpt; torchtune -> torchtune; torchtitan -> torchtune (same plain-PyTorch
               FSDP2 stack, closest habit set); Unsloth -> unsloth; HF Trainer / TRL / PEFT scripts /
               accelerate / Answer.AI train.py / fms-hf-tuning / ms-swift (transformers backend) -> hf;
               DeepSpeed examples -> deepspeed; Megatron-Core (ms-swift, LLaMA-Factory mcore) -> megatron.
precision      pure bf16 (torchtune, LitGPT bf16-true, model loaded in bf16, PEFT benchmark) -> bf16;
               fp32 -> fp32; HF AMP on an fp32 model (fp16=True) -> amp-fp16;
               "bf16-mixed"/"fp16-mixed" as labelled (half weights + fp32 master/adapters) -> bf16-mixed /
               fp16-mixed; torchtitan FSDP2 (param bf16, fp32 sharded master) -> bf16-mixed;
               unknown -> bf16.
optimizer      AdamW/Adam (torch, HF, fused, Megatron) -> adamw; bnb PagedAdamW (32-bit) -> adamw
               with --state-dtype fp32 (bnb keeps 32-bit states in fp32 for bf16 params);
               adamw_8bit / Adam8bit -> adamw-8bit; PagedAdamW8bit -> paged-adamw-8bit; adafactor ->
               adafactor; GaLore (8-bit; per-layer -> --optimizer-in-backward); muon -> muon; LoRA-FA -> adamw --lora-fa; unknown -> adamw.
pre-2.0 torch  runs before PyTorch 2.0 (HF docs ladder, Jan 2022; PEFT README table, Dec 2022) ->
               --set-to-none false (zero_grad zeroed gradients in place) and, for AdamW,
               --optimizer-impl for-loop (HF optim=adamw_hf / torch foreach=False).
LoRA targets   q_proj/query/q -> q, k, v, o_proj/output_proj/proj/dense -> o, gate_proj/w1 -> gate,
               up_proj/w3 -> up, down_proj/w2 -> down, LitGPT `mlp` -> gate,up,down (fc for
               2-matrix MLPs is charged as up,down), BLOOM query_key_value -> q,k,v, all-linear ->
               all-linear. lm_head/`head`/`output` adapters are not in the vocabulary: dropped (noted).
               PEFT matches names: under hf/unsloth/axolotl/deepspeed, gate/up/down also adapt the
               experts and shared experts of MoE families built as ModuleLists of gate_proj/up_proj/
               down_proj MLPs (ERNIE-4.5, Qwen-MoE, OLMoE, DeepSeek) -> + experts,shared.
methods        full, lora, qlora (bnb nf4 / torchao nf4 / GPTQ 4-bit -> --quant-bits 4), LISA (2 active
               layers) -> freeze of 2 layers, LN-tuning -> freeze with only the norms training,
               DoRA -> lora --dora true; AdaLoRA, VeRA, IA3, LoHa, OFT, prompt/prefix tuning -> lora --adapter
               (PEFT MetaMathQA: 200 virtual tokens); LitGPT LLaMA-Adapter v1/v2 -> lora (qlora on
               nf4) --adapter llama-adapter[-v2] --virtual-tokens 10; trainable tokens (sos+eos) ->
               lora --adapter trainable-tokens --trainable-tokens 2; BOFT, OSF, LLaMA-Pro, Q-GaLore:
               not expressible (listed with the reason).
chunked CE     torchtune flags ladder from "+ chunked CE" on, torchtune Llama 3.1 table (Sep 2024
               configs use CEWithChunkedOutputLoss), Megatron "cross-entropy fusion" -> --chunked-ce;
               Unsloth's README context table (Apple Cut Cross-Entropy) -> --fused-linear-ce.
checkpointing  none/full/selective; Megatron "full recompute" -> full; Unsloth "offloaded" -> full +
               --activation-offload; unknown -> the framework default (torchtune configs: full; HF: none).
attention      sdpa / flash (FA2) / eager; transformers "default" -> sdpa; Unsloth kernels -> flash.
parallelism    FSDP full shard / FSDP2 / ZeRO-3 -> --zero 3; ZeRO-2 -> --zero 2; DDP -> --zero 0;
               Megatron distributed optimizer -> --zero 1; tp/pp/ep as given; torchtitan context
               parallel cp -> per-rank sequence s/cp with FSDP over the cp ranks (tier C).
offload        FSDP CPU offload (params) -> --offload-params --offload-optimizer (the step runs on CPU);
               ZeRO-Offload -> --offload-optimizer; activation offloading -> --activation-offload.
"""
from __future__ import annotations

import csv
import glob
import os
import json
import re
import shlex
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GT = os.path.join(os.path.dirname(REPO), "shared", "groundtruth", "measured.csv")
OUT = os.path.join(HERE, "rows.csv")

UNIT = {"GB": 1e9, "GiB": 2 ** 30, "MiB": 2 ** 20}

# Longest sample (tokens, with the prompt template) of datasets used unpacked. Cited where known.
DATASET_MAX = {
    # LitGPT resource tables: step 0 uses the longest Alpaca sample = 1304 tokens (Llama 2 tokenizer)
    "alpaca": 1304,
    # swift/self-cognition + alpaca-gpt4 samples: no published maximum; alpaca-gpt4 answers are longer
    # than Alpaca's, so the Alpaca figure is used as a floor.
    "swift": 1304,
    # swift/self-cognition alone: 108 (zh) + English question/answer pairs about the model's name and
    # author, 23.8 kB of JSON lines in all (about 220 B a sample); with the Qwen2.5 chat template and a
    # system prompt the longest stays under 200 tokens, used here as an upper bound (not published)
    "self-cognition": 200,
    # tweets (ought/raft twitter_complaints): short texts; the causal example pads to 64
    "tweets": 64,
    # FineTome-100k / Multilingual-Thinking / OpenMathReasoning-mini / TinyStories: long samples
    # exist, so the truncation limit is used.
}

# ms-swift scripts whose data hold samples past their max_length: swift/Qwen3-SFT-Mixin is Qwen3's
# SFT mix with thinking traces (the script masks only the empty ones: --loss_scale
# ignore_empty_think), so the cap is used as for the long-sample sets above.
SWIFT_LONG_SAMPLE_SCRIPTS = ("examples/megatron/lora/moe.sh",)
# ms-swift scripts that train on `swift/self-cognition#1000` and nothing else (read at the
# measured commit: their --dataset line names no other set).
SWIFT_SELF_COGNITION_SCRIPTS = (
    "examples/train/full/train.sh",
    "examples/train/tuners/dora/train.sh",
    "examples/train/tuners/galore/train_galore.sh",
    "examples/train/tuners/lisa/train.sh",
    "examples/train/multi-gpu/ddp/train.sh",
    "examples/train/multi-gpu/deepspeed/train_zero3.sh",
    "examples/train/multi-gpu/fsdp2_lora/train.sh",
)

# QLoRA sources that ran bitsandbytes before 0.44 (Sep 2024), with the evidence of their date.
BNB_PRE_044 = {
    "litgpt-tables": "LitGPT resource tables, Oct 2023",
    "litgpt-hub": "LitGPT config-hub tables, 2024",
    "answerai": "Answer.AI benchmarks, Mar 2024",
    "fms": "fms-acceleration benchmark requirements pin bitsandbytes==0.43.3",
    "peft-docs": "PEFT FSDP/DeepSpeed QLoRA guides, early 2024",
}
BNB_PRE_044_IDS = (("qlora-paper", "QLoRA paper, May 2023"), ("hfblog4bit", "HF 4-bit blog, May 2023"))

# model string in measured.csv (lower-cased hf_repo, else model) -> catalog id or models/<file>.json
MODEL_MAP = {
    "meta-llama/llama-2-7b-hf": "llama-2-7b",
    "meta-llama/llama-2-13b-hf": "llama-2-13b",
    "meta-llama/llama-2-70b-hf": "llama-2-70b",
    "nousresearch/llama-2-70b-hf": "llama-2-70b",
    "thebloke/llama-2-70b-gptq": "llama-2-70b",
    "decapoda-research/llama-7b-hf": "llama-2-7b",      # LLaMA-1 7B: same shapes as Llama 2 7B
    "decapoda-research/llama-13b-hf": "llama-2-13b",    # LLaMA-1 13B: same shapes as Llama 2 13B
    "huggyllama/llama-65b": "models/llama-65b.json",
    "meta-llama/llama-3.2-1b": "llama-3.2-1b",
    "meta-llama/llama-3.2-3b": "llama-3.2-3b",
    "meta-llama/llama-3.2-3b-instruct": "llama-3.2-3b",
    "meta-llama/llama-3.1-8b": "llama-3.1-8b",
    "meta-llama/llama-3.1-8b-instruct": "llama-3.1-8b",
    "meta-llama/meta-llama-3.1-8b": "llama-3.1-8b",
    "meta-llama/meta-llama-3-8b": "llama-3.1-8b",        # Llama 3 8B: same shapes as 3.1 8B
    "meta-llama/meta-llama-3-8b-instruct": "llama-3.1-8b",
    "unsloth/llama-3.1-8b": "llama-3.1-8b",
    "meta-llama/llama-3.1-70b": "llama-3.1-70b",
    "meta-llama/llama-3.1-405b": "llama-3.1-405b",
    "meta-llama/llama-3.1-405b-instruct": "llama-3.1-405b",
    "meta-llama/llama-3.3-70b-instruct": "llama-3.3-70b",
    "unsloth/llama-3.3-70b-instruct": "llama-3.3-70b",
    "mistralai/mistral-7b-v0.1": "models/mistral-7b-v0.1.json",
    "unsloth/mistral-7b-v0.3": "mistral-7b-v0.3",
    "unsloth/mistral-small-instruct-2409": "models/mistral-small-22b.json",
    "mistralai/mixtral-8x7b-instruct-v0.1": "mixtral-8x7b",
    "qwen/qwen2.5-7b-instruct": "qwen2.5-7b",
    "qwen/qwen2.5-3b": "qwen2.5-3b",
    "qwen/qwen2.5-72b-instruct": "qwen2.5-72b",
    "qwen/qwen3-30b-a3b": "qwen3-30b-a3b",
    "qwen/qwen3-30b-a3b-base": "qwen3-30b-a3b",
    "qwen/qwen3-30b-a3b-instruct-2507": "qwen3-30b-a3b",
    "qwen/qwen1.5-moe-a2.7b": "qwen1.5-moe-a2.7b",
    "google/gemma-2b": "models/gemma-2b.json",
    "google/gemma-2-2b": "gemma-2-2b",
    "google/gemma-2-9b": "gemma-2-9b",
    "unsloth/gemma-2-9b": "gemma-2-9b",
    "microsoft/phi-3-mini-4k-instruct": "phi-3-mini-4k",
    "unsloth/phi-4": "phi-4",
    "microsoft/phi-1_5": "models/phi-1_5.json",
    "microsoft/phi-2": "models/phi-2.json",
    "stabilityai/stablelm-base-alpha-3b": "models/stablelm-base-alpha-3b.json",
    "tinyllama/tinyllama-1.1b-intermediate-step-1431k-3t": "models/tinyllama-1.1b.json",
    "unsloth/tinyllama-bnb-4bit": "models/tinyllama-1.1b.json",
    "01-ai/yi-34b": "models/yi-34b.json",
    "tiiuae/falcon-7b": "falcon-7b",
    "bigscience/bloomz-7b1": "bloom-7b1",
    "bigscience/t0_3b": "t0-3b",
    "bigscience/mt0-xxl": "mt0-xxl",
    "google-bert/bert-large-uncased": "bert-large-uncased",
    "facebookai/roberta-large": "bert-large-uncased",   # same shapes but vocab 50265 vs 30522 (+20M params)
    "ibm-granite/granite-3.0-3b-a800m-instruct": "models/granite-3.0-3b-a800m.json",
    "unsloth/gpt-oss-20b": "gpt-oss-20b",
    "unsloth/gpt-oss-120b": "gpt-oss-120b",
    "unsloth/ernie-4.5-21b-a3b-pt": "models/ernie-4.5-21b-a3b.json",
    # by model name when hf_repo is empty
    "mistral 7b v0.2 base": "models/mistral-7b-v0.1.json",
    "gpt-2 1.5b (48 layers, hidden 1600, 16 heads)": "models/gpt2-1.5b-megatron.json",
    "gpt-2 10b (50 layers, hidden 4096, 32 heads)": "models/gpt2-10b.json",
    "llama-7b (from-scratch c4 pre-training config)": "llama-2-7b",
}
UNMODELLED = {
    "ibm-research/moe-7b-1b-active-shared-experts": "architecture not published in the sources at hand",
    "ibm-granite/granite-4.0-tiny-preview": "hybrid Mamba-2/attention MoE: Mamba layers are not in vramcalc's architecture vocabulary",
    "unsloth/nemotron-3-nano-30b-a3b": "hybrid Mamba/MoE: Mamba layers are not in vramcalc's architecture vocabulary",
}

def gpu_id(gpu_model):
    for sub, gid in GPU_MAP:
        if sub in gpu_model:
            return gid
    return "h100-sxm-80gb"


_GPU_MEMORY = {}


def gpu_memory_bytes(gpu_model):
    """The mapped card's memory from the shipped GPU catalog (assets/gpus.json, read once)."""
    if not _GPU_MEMORY:
        with open(os.path.join(REPO, "assets", "gpus.json")) as f:
            _GPU_MEMORY.update({g["id"]: g["memory_bytes"] for g in json.load(f)["gpus"]})
    return _GPU_MEMORY[gpu_id(gpu_model)]


GPU_MAP = [  # (substring of gpu_model, catalog id)
    ("4090", "rtx-4090"), ("3090", "rtx-3090"), ("A6000", "rtx-a6000-48gb"), ("A10G", "a10g-24gb"),
    ("L40S", "l40s-48gb"), ("L4 ", "l4-24gb"), ("T4", "t4-16gb"), ("V100-SXM3 32", "v100-sxm2-32gb"),
    ("V100", "v100-sxm2-16gb"), ("40GB", "a100-sxm-40gb"), ("A100", "a100-sxm-80gb"),
    ("H100 96", "h100-nvl-94gb"), ("H100", "h100-sxm-80gb"), ("12 GB", "rtx-4090"), ("24 GB", "rtx-4090"),
    ("24GB", "rtx-4090"), ("48 GB", "l40s-48gb"), ("48GB", "l40s-48gb"), ("80 GB", "a100-sxm-80gb"),
]

TARGET_WORDS = {
    "q_proj": "q", "q": "q", "query": "q", "k_proj": "k", "k": "k", "key": "k", "v_proj": "v", "v": "v",
    "value": "v", "o_proj": "o", "output_proj": "o", "proj": "o", "o": "o", "dense": "o",
    "gate_proj": "gate", "w1": "gate", "up_proj": "up", "w3": "up", "down_proj": "down", "w2": "down",
    "mlp": "gate,up,down", "query_key_value": "q,k,v",
}
DROPPED_TARGETS = {"head", "output", "lm_head"}


def src_group(r):
    s = r["source"]
    rid = r["id"]
    if rid.startswith("vm-"):
        return "vramcalc-measure"
    if "litgpt:config_hub" in s:
        return "litgpt-hub"
    if "litgpt" in s:
        return "litgpt-tables"
    if "torchtune" in s:
        return "torchtune"
    if "a100_80gb_moe" in s:
        return "fms-moe"
    if "fms-acceleration" in s:
        return "fms"
    if "fsdp_qlora" in s and "ms-swift" not in s:
        return "answerai"
    if "method_comparison" in s:
        return "peft-mmqa"
    if "huggingface/peft" in s:
        return "peft-docs"
    if "ms-swift" in s:
        return "ms-swift"
    if "unslothai/notebooks" in s:
        return "unsloth-nb"
    if "unslothai/unsloth" in s:
        return "unsloth-readme"
    if "perf_train_gpu_one" in s:
        return "hf-docs"
    if "torchtitan" in s:
        return "torchtitan"
    return "other"


def first_int(s, default=None):
    m = re.search(r"\d+", s or "")
    return int(m.group()) if m else default


def seq_kind(notes):
    m = re.search(r"seq_len_kind=([a-z_]+)", notes or "")
    return m.group(1) if m else "unknown"


# Model refs (catalog ids or bench/accuracy/models files) of transformers MoE families whose experts
# are ModuleLists of gate_proj / up_proj / down_proj MLPs.
PEFT_NAMED_EXPERTS = ("ernie-4.5", "qwen3-30b-a3b", "qwen3-235b", "qwen1.5-moe", "qwen2-57b", "olmoe", "deepseek")


def map_targets(t, method):
    t = (t or "").lower()
    notes = []
    if not t or t.startswith("unknown"):
        return "q,v", ["LoRA targets unknown: PEFT default q,v assumed"]
    if "all" in t and "linear" in t:
        return "all-linear", notes
    t = re.sub(r"\(.*?\)", "", t)
    out = []
    for w in re.split(r"[,\s]+", t):
        w = w.strip()
        if not w:
            continue
        if w in DROPPED_TARGETS:
            notes.append(f"LoRA on `{w}` (output head) not in the vocabulary: dropped")
            continue
        if w not in TARGET_WORDS:
            return None, [f"LoRA target `{w}` not expressible"]
        for x in TARGET_WORDS[w].split(","):
            if x not in out:
                out.append(x)
    order = ["q", "k", "v", "o", "gate", "up", "down"]
    out.sort(key=order.index)
    return ",".join(out), notes


def map_precision(p, fw):
    p = (p or "").lower()
    if p.startswith("fp32"):
        return "fp32"
    if p.startswith("amp-bf16"):
        return "amp-bf16"
    if "fp16-mixed (amp)" in p or "fp16=true" in p and "torch_dtype float16" not in p:
        return "amp-fp16"
    if "fp16-mixed" in p or p.startswith("fp16 compute") or "torch_dtype float16" in p:
        return "fp16-mixed"
    if "bf16-mixed" in p:
        return "bf16-mixed"
    if p.startswith("bf16 compute"):
        return "bf16-mixed" if "'no'" not in p else "bf16"
    if "bf16/fp16 amp" in p:
        return "bf16-mixed"
    return "bf16"


def map_optimizer(o):
    o = (o or "").lower()
    if "optimizer_in_bwd" in o or "fused into backw" in o:
        o = o.replace("optimizer_in_bwd", "").replace("fused into backward", "")   # --optimizer-in-backward, set by the caller
    if "galore" in o:
        return ("galore-adamw-8bit" if "8bit" in o.replace("-", "") else "galore-adamw"), None
    if "muon" in o:
        return "muon", None
    if "lora-fa" in o:
        return "adamw", None   # LoRA-FA's optimizer is AdamW on B with A frozen: --lora-fa, set by the caller
    if "paged" in o and "8bit" in o.replace("-", ""):
        return "paged-adamw-8bit", None
    if "paged" in o:
        return "paged-adamw", None
    if "8bit" in o.replace("-", "") or "8-bit" in o:
        return "adamw-8bit", None
    if "adafactor" in o:
        return "adafactor", None
    if o.startswith("sgd"):
        return ("sgd-momentum" if "momentum" in o and "no momentum" not in o else "sgd"), None
    return "adamw", None


# num_virtual_tokens of PEFT's MetaMathQA prompt-learning experiments: 200 in
# method_comparison/MetaMathQA/experiments/{prompt_tuning,prefixtuning}/llama-3.2-3B-*/adapter_config.json
# (@1948110, @d9e56aa); the logs' trainable counts agree (200 x 3072; 200 x 28 x 2 x 1024).
PEFT_MMQA_VIRTUAL_TOKENS = 200
# Adapters that sit on no linear's input (no rank, no targets, no LoRA dropout): --virtual-tokens instead.
PROMPT_ADAPTERS = ("prompt", "prefix", "llama-adapter", "llama-adapter-v2", "trainable-tokens")

UNEXPRESSIBLE_METHODS = {
    "boft": "BOFT is not in the method vocabulary",
    "osf": "OSF is not in the method vocabulary",
    "llama-pro (freeze + new blocks)": "LLaMA-Pro adds new blocks to the model: not expressible",
    "q-galore": "Q-GaLore is not in the method vocabulary",
}


def convert_row(r):
    """Returns the output dict (usable or not)."""
    o = {k: "" for k in FIELDS}
    o["id"] = r["id"]
    o["source"] = r["source"]
    o["source_group"] = src_group(r)
    o["model"] = r["model"]
    o["method_src"] = r["method"]
    o["measured_value"] = r["measured_value"]
    o["measured_unit"] = r["measured_unit"]
    o["measured_what"] = r["measured_what"]
    o["clean"] = r["clean"]
    notes = []
    reason = None
    rid = r["id"]
    grp = o["source_group"]
    mw = r["measured_what"].lower()
    fwsrc = (r["framework"] or "").lower()

    # ---- metric
    bound = ""
    if mw.startswith("capacity bound"):
        metric = "device_used"
        if "max context" in mw:
            bound = "maxfit"
        elif "oom" in mw and "no oom" not in mw:
            bound = "oom"
        else:
            bound = "fits"
    elif mw.startswith("max_allocated"):
        metric = "peak"
    elif mw.startswith("max_active"):
        metric = "peak"
        notes.append("peak active compared with peak allocated")
    elif mw.startswith("max_reserved"):
        metric = "peak_reserved"
    elif mw.startswith("nvidia-smi"):
        metric = "device_used"
    elif grp == "ms-swift":
        # ms-swift's example scripts quote the `memory(GiB)` of its training log, which is
        # torch.cuda.max_memory_reserved / 1024**3 (swift's trainer callback get_max_cuda_memory /
        # get_max_reserved_memory; the Megatron backend's print callback reduces the same stat).
        metric = "peak_reserved"
        notes.append("ms-swift script comment = its logged memory(GiB), torch.cuda.max_memory_reserved -> peak_reserved")
    elif "likely nvidia-smi" in mw or "llamafactory" in rid:
        metric = "device_used"
        notes.append("metric unstated (script comment, read as nvidia-smi)")
    elif "litgpt prints max_allocated" in mw:
        metric = "peak"
    elif "torchtracemalloc" in (r["notes"] + r["source_detail"]).lower().replace(" ", ""):
        # PEFT's example scripts of the README table log memory only through their TorchTracemalloc
        # helper (torch.cuda.max_memory_allocated, begin / end / peak): the one figure they can
        # print as a peak is allocated memory.
        metric = "peak"
        notes.append("metric unstated; the source's scripts log only torch.cuda.max_memory_allocated -> peak")
    else:
        metric = "peak_reserved"
        notes.append("metric unstated: compared with peak_reserved")
    try:
        val = float(r["measured_value"])
    except ValueError:
        val = None
    # A device-level or unstated reading at the card's own size says only that the run fit: the
    # caching allocator grows into whatever the card has (ground-truth README, caveat 4). Such a
    # row is scored as a "fits" bound on that card, not as a value.
    card = gpu_memory_bytes(r["gpu_model"])
    filled = (not bound and val is not None and metric in ("device_used", "peak_reserved")
              and not mw.startswith(("max_allocated", "max_active"))
              and val * UNIT.get(r["measured_unit"], 0) >= 0.99 * card)
    if filled:
        bound = "fits"
        notes.append(f"reading {val:g} {r['measured_unit']} fills the card ({card / 2 ** 30:.1f} GiB): scored as 'fits'")
    o["metric"] = metric
    o["bound"] = bound
    if val is not None:
        if filled:
            o["measured_bytes"] = str(int(card))
        elif bound:
            cap = val * 2 ** 30
            if "T4" in r["gpu_model"]:
                cap = 15360 * 2 ** 20
            elif "V100" in r["gpu_model"] and "32" in r["gpu_model"]:
                cap = 32510 * 2 ** 20
            o["measured_bytes"] = str(int(cap))
        else:
            o["measured_bytes"] = str(int(val * UNIT[r["measured_unit"]]))

    # ---- model
    key = (r["hf_repo"] or r["model"]).lower().strip()
    if key.startswith("local:"):               # rows measured by measure/measure.py
        MODEL_MAP[key] = key[len("local:"):]
    if key in UNMODELLED:
        reason = UNMODELLED[key]
    model_ref = MODEL_MAP.get(key) or MODEL_MAP.get(r["model"].lower().strip())
    if not model_ref and not reason:
        reason = f"model `{r['model']}` not in the catalog and no config written"
    o["model_ref"] = model_ref or ""

    # ---- method
    m = r["method"].lower().strip()
    method = None
    o["dora"] = ""
    train_layers = ""
    if m in ("full", "lora", "qlora", "freeze"):
        method = m
        if m == "freeze" and r["trainable_scope"].startswith("layers "):
            train_layers = r["trainable_scope"].split()[1]
    elif m == "lora-fa":
        method = "lora"
        o["lora_fa"] = "true"
        notes.append("LoRA-FA -> --method lora --lora-fa true")
    elif m in ("adalora", "vera", "ia3", "loha", "oft"):
        # PEFT's other per-linear tuners over a frozen base: the rank field is AdaLoRA's init_r
        # (its tensors keep it; pruning zeroes entries), VeRA's and LoHa's r and OFT's r (its number
        # of blocks); IA3 has none.
        method = "lora"
        o["adapter"] = m
        notes.append(f"{m} -> --method lora --adapter {m}" + (" (rank = init_r)" if m == "adalora" else "")
                     + (" (rank = r, the number of blocks)" if m == "oft" else ""))
    elif m in ("prompt_tuning", "prefix_tuning") and (grp == "peft-mmqa" or re.search(r"virtual tokens \d+", r["trainable_scope"])):
        # measure.py writes "virtual tokens N" into trainable_scope; PEFT's MetaMathQA runs use 200
        mv = re.search(r"virtual tokens (\d+)", r["trainable_scope"])
        vt = mv.group(1) if mv else str(PEFT_MMQA_VIRTUAL_TOKENS)
        method = "lora"
        o["adapter"] = "prompt" if m == "prompt_tuning" else "prefix"
        o["virtual_tokens"] = vt
        notes.append(f"{m} -> --method lora --adapter {o['adapter']} --virtual-tokens {vt}"
                     + ("" if mv else " (the experiment's adapter_config.json)"))
    elif m == "trainable_tokens" and grp == "peft-mmqa" and "sos+eos" in r["id"]:
        # the experiment trains the begin- and end-of-sequence rows (its name; the log's 6,144 = 2 x 3072)
        method = "lora"
        o["adapter"] = "trainable-tokens"
        o["trainable_tokens"] = "2"
        notes.append("trainable_tokens (sos+eos) -> --method lora --adapter trainable-tokens --trainable-tokens 2")
    elif m in ("llama-adapter", "llama-adapter-v2"):
        # LitGPT's finetune_adapter / finetune_adapter_v2: adapter_prompt_length 10 and
        # adapter_start_layer 2 (lit_gpt/adapter.py Config defaults at 8641822; the stated trainable
        # counts agree: 30 x (10 x 4096 + 32) = 1,229,760 for Llama 2 7B). A 4-bit base is QLoRA's.
        method = "qlora" if r["quant"].lower().startswith("nf4") else "lora"
        o["adapter"] = m
        o["virtual_tokens"] = "10"
        notes.append(f"{m} -> --method {method} --adapter {m} --virtual-tokens 10 (LitGPT adapter_prompt_length)")
    elif m == "dora":
        method = "lora"
        o["dora"] = "true"
        notes.append("DoRA -> --method lora --dora true")
    elif m == "galore":
        # GaLore trains every weight (a full fine-tune) with low-rank projected optimizer states
        method = "full"
        notes.append("GaLore -> --method full with a GaLore optimizer")
    elif m == "qlora (gptq)":
        method = "qlora"
        notes.append("GPTQ 4-bit base expressed as 4-bit QLoRA")
    elif m == "ln_tuning":
        method = "freeze"
        train_layers = "all --train-attention false --train-mlp false --train-norms true"
        notes.append("LN-tuning as freeze with only the norms training")
    elif m == "lisa":
        # LISA toggles requires_grad of the decoder layers only, on a full fine-tune (ms-swift:
        # "LISA only supports train_type full"): embeddings, final norm and lm_head keep training,
        # and the active layers are drawn at random, so the run's peak has the lowest ones active
        # and activations kept through every layer above.
        method = "freeze"
        train_layers = "0-1 --train-embeddings true --train-lm-head true"
        notes.append("LISA (2 random active layers on a full fine-tune) as freeze of layers 0-1 + embeddings + lm_head")
    elif m in UNEXPRESSIBLE_METHODS:
        reason = reason or UNEXPRESSIBLE_METHODS[m]
    else:
        reason = reason or f"method `{r['method']}` not expressible"
    o["method"] = method or ""

    # ---- quantization
    q = r["quant"].lower()
    qbits = ""
    dq = ""
    if method == "qlora":
        qbits = "4"
        dq = "true" if ("-dq" in q or "nested" in q or "double" in q) else "false"
        if grp == "unsloth-nb":
            dq = "true"      # Unsloth's pre-quantized bnb-4bit checkpoints use double quantization
        if grp == "answerai":
            # Answer.AI's train.py builds its QLoRA layers with replace_linear(model.model, Linear4bit,
            # compute_dtype=..., quant_type='nf4', quant_storage=torch_dtype): compress_statistics is
            # left at bitsandbytes' default, True, i.e. double quantization.
            dq = "true"
            notes.append("Answer.AI Linear4bit keeps bitsandbytes' default compress_statistics=True -> --double-quant")
        if grp == "fms" and "fms baseline-peft-bnb" in q:
            # fms-acceleration's bnb plugin loads every QLoRA model with BitsAndBytesConfig(...,
            # bnb_4bit_use_double_quant=True) (plugins/accelerated-peft/.../framework_plugin_bnb.py);
            # "baseline-peft-bnb" is that plugin with no_peft_model=True.
            dq = "true"
            notes.append("fms bnb plugin: bnb_4bit_use_double_quant=True -> --double-quant")
        if q.startswith("gptq"):
            # GPTQ 4-bit, group size 128: 0.5 B/param + fp16 scale and packed zero per group
            # (~0.02 B/param) — closer to NF4 with double-quantized constants (0.516) than without.
            dq = "true"
            notes.append("GPTQ constants ~0.52 B/param -> NF4 double-quant (0.516)")
    elif q.startswith("int8"):
        reason = reason or "int8 base weights with full-rank training (Q-GaLore) not expressible"
    o["quant_bits"] = qbits
    o["double_quant"] = dq
    # bitsandbytes' MatMul4Bit kept each 4-bit layer's input for backward until 0.44 (Sep 2024);
    # vramcalc's default is the current habit, so runs from before then say so (GPTQ and torchao
    # NF4 bases are not bitsandbytes; Unsloth's notebooks and README and ms-swift's scripts are later).
    o["bnb_pre_044"] = ""
    if method == "qlora" and not q.startswith("gptq") and "torchao" not in q:
        when = BNB_PRE_044.get(grp) or next((d for pre, d in BNB_PRE_044_IDS if rid.startswith(pre)), None)
        mv = re.search(r"bitsandbytes (\d+)\.(\d+)", r["notes"])   # measure.py records the version it ran
        if grp == "vramcalc-measure" and mv and (int(mv.group(1)), int(mv.group(2))) < (0, 44):
            when = f"measured with bitsandbytes {mv.group(1)}.{mv.group(2)}"
        if when:
            o["bnb_pre_044"] = "true"
            notes.append(f"bitsandbytes < 0.44 ({when}) -> --bnb-pre-0.44")

    # ---- LoRA
    rank = ""
    targets = ""
    if method in ("lora", "qlora") and o.get("adapter") not in PROMPT_ADAPTERS:
        rank = str(first_int(r["lora_rank"], 8))
        if (not r["lora_rank"] or r["lora_rank"] == "unknown") and o.get("adapter") != "ia3":
            notes.append("LoRA rank unknown: 8 assumed")
        targets, tn = map_targets(r["lora_targets"], method)
        notes += tn
        if targets is None:
            reason = reason or tn[0]
        if "embed_tokens" in r["notes"] and "lm_head" in r["notes"]:
            o["lora_train_head"] = "yes"
            notes.append("embed_tokens + lm_head trained beside the adapters (PEFT modules_to_save) -> "
                         "--train-embeddings --train-lm-head")
    o["lora_rank"] = rank
    o["lora_targets"] = targets or ""
    # Sequence classifiers (AutoModelForSequenceClassification) have no LM head and no vocab logits.
    if "sequenceclassification" in r["notes"].lower().replace(" ", "") or "sequence classifier" in r["model"].lower():
        o["task"] = "classification"
        notes.append("sequence classifier -> --task classification")

    # ---- precision, optimizer
    o["precision"] = map_precision(r["precision"], fwsrc)
    # Megatron-Core's --bf16 trains bf16 weights with fp32 main params, fp32 main grads and fp32
    # Adam moments (megatron/core/optimizer: Float16OptimizerWithFloat16Params, DistributedOptimizer;
    # bf16 moments only with --use-precision-aware-optimizer): that is bf16-mixed, not pure bf16.
    if ("megatron" in fwsrc.lower() or "mcore" in fwsrc.lower()) and o["precision"] == "bf16":
        o["precision"] = "bf16-mixed"
        notes.append("Megatron --bf16: fp32 main params and Adam states -> bf16-mixed")
    # HF Trainer / TRL QLoRA recipes call PEFT's prepare_model_for_kbit_training, which upcasts the
    # non-quantized parameters to fp32 and trains under autocast: that is AMP, not pure bf16.
    # Not for GPTQ (or AQLM/EETQ/HQQ) bases: prepare_model_for_kbit_training leaves those in 16-bit
    # (peft/utils/other.py, `if not is_gptq_quantized and ...`), so the residual stream stays fp16.
    if method == "qlora" and any(k in fwsrc.lower() for k in ("hf-trainer", "trl sfttrainer")) \
            and not r["quant"].lower().startswith("gptq") \
            and o["precision"] in ("bf16-mixed", "bf16", "fp16-mixed") and "unsloth" not in fwsrc.lower():
        o["precision"] = "amp-fp16" if "fp16" in r["precision"].lower() else "amp-bf16"
        notes.append("HF/TRL QLoRA: prepare_model_for_kbit_training + autocast -> " + o["precision"])
    if r["precision"].strip().lower() in ("unknown", "") and method != "qlora" and "unsloth" not in fwsrc:
        o["precision"] = "fp32"
        notes.append("precision unknown: fp32 (transformers' default load dtype) assumed")
    opt, why = map_optimizer(r["optimizer"])
    ol_ = r["optimizer"].lower()
    o["opt_in_bwd"] = "1" if ("optimizer_in_bwd" in ol_ or "fused into backw" in ol_) else ""
    # GaLore's per-layer mode steps each weight from a post-accumulate-grad hook
    # (torchrun_main.py galore_adamw8bit_per_layer), i.e. optimizer-in-backward; ms-swift's
    # galore_optim_per_parameter only builds one optimizer per weight, stepped after backward.
    # PEFT's create_lorafa_optimizer freezes every lora_A and steps B with AdamW
    o["lora_fa"] = "true" if ("lora-fa" in ol_ or o.get("lora_fa")) else ""
    if o["lora_fa"]:
        notes.append("LoRA-FA -> --lora-fa (AdamW on B, A frozen)")
    o["galore_rank"] = ""
    if "galore" in ol_:
        if "per-layer" in ol_ or "per_layer" in ol_:
            o["opt_in_bwd"] = "1"
        mrank = re.search(r"galore rank (\d+)", r["trainable_scope"].lower())
        o["galore_rank"] = mrank.group(1) if mrank else "128"
        notes.append(f"GaLore rank {o['galore_rank']}" + ("" if mrank else " (galore_torch and ms-swift default)"))
    if o["opt_in_bwd"]:
        notes.append("optimizer_in_bwd -> --optimizer-in-backward")
    text_ = (r["notes"] + " " + r["source_detail"]).lower()
    o["compile"] = "1" if ("compile=true" in text_ or "torch compile enabled" in text_ or "+ compile" in text_
                           or "compile + " in text_ or "'+ compile'" in text_ or "+compile" in text_) else ""
    if r["id"].startswith("tt-flags") and r["id"] not in ("tt-flags-3b-baseline", "tt-flags-3b-packed"):
        o["compile"] = "1"   # the flags ladder is cumulative from its '+ compile' row on
    if o["compile"]:
        notes.append("torch.compile -> --compile")
    if r["id"] == "tt-flags-3b-adamw8bit":
        opt = "adamw-8bit"
        notes.append("8-bit AdamW implementation not named in the table: an on-device one (torchao AdamW8bit) assumed")
    if why:
        reason = reason or why
    if "unknown" in r["optimizer"].lower():
        notes.append("optimizer unknown: AdamW assumed")
    o["optimizer"] = opt or ""
    ol = r["optimizer"].lower()
    o["state_dtype"] = ""

    # ---- framework
    if grp == "vramcalc-measure":
        fw = "hf"
    elif "litgpt" in fwsrc or "lit-gpt" in fwsrc:
        fw = "litgpt"
    elif "torchtune" in fwsrc:
        fw = "torchtune"
    elif "torchtitan" in fwsrc:
        fw = "pytorch"
        notes.append("torchtitan: a plain PyTorch loop (FSDP2), framework pytorch")
    elif "answer.ai" in fwsrc:
        fw = "pytorch"
        notes.append("Answer.AI train.py: own loop, the model output lives through backward -> pytorch")
    elif "unsloth" in fwsrc and "baseline" not in fwsrc:
        fw = "unsloth"
    elif "deepspeed" in fwsrc and "hf-trainer" not in fwsrc:
        fw = "deepspeed"
    elif "megatron" in fwsrc or "mcore" in fwsrc:
        fw = "megatron"
    else:
        fw = "hf"
    # ZeRO-3 through DeepSpeed (HF Trainer / accelerate / ms-swift with a DeepSpeed config) gathers
    # module by module; vramcalc reads ZeRO-3 under any other framework as PyTorch FSDP.
    if fw == "hf" and "zero3" in r["parallelism"].lower().replace("-", ""):
        fw = "deepspeed"
        notes.append("ZeRO-3 via DeepSpeed -> framework deepspeed (not FSDP)")
    o["framework"] = fw

    # ---- PEFT matches target_modules by module-name suffix. In transformers' MoE families whose
    # routed and shared experts are ModuleLists of MLPs with gate_proj / up_proj / down_proj
    # (Qwen2-MoE, Qwen3-MoE, ERNIE-4.5-MoE, OLMoE, DeepSeek-V2/V3 modeling files), "gate_proj,
    # up_proj,down_proj" adapts every expert too; Mixtral (w1/w2/w3), GraniteMoE (fused
    # input_linear) and gpt-oss (3-D expert parameters, not modules) keep their experts unadapted.
    if (method in ("lora", "qlora") and fw in ("hf", "unsloth", "axolotl", "deepspeed")
            and any(m in (model_ref or "").lower() for m in PEFT_NAMED_EXPERTS)
            and o["lora_targets"] not in ("", "all-linear")
            and any(x in o["lora_targets"].split(",") for x in ("gate", "up", "down"))):
        o["lora_targets"] += ",experts,shared"
        notes.append("PEFT name matching: gate_proj/up_proj/down_proj also name every expert's and shared "
                     "expert's MLP in this model family -> experts,shared added")

    # ---- PyTorch < 2.0 habits. Before PyTorch 2.0 (March 2023) zero_grad() zeroed gradients in
    # place (set_to_none=False), so they stay allocated through the next forward and backward, and
    # torch.optim.AdamW stepped one tensor at a time (foreach=None meant False). The HF docs ladder
    # (Jan 2022, V100, its nvidia-smi printout) and the PEFT README table (Dec 2022) predate it; the
    # HF Trainer of Jan 2022 defaulted to optim=adamw_hf, transformers' own per-parameter AdamW.
    o["optimizer_impl"] = o["set_to_none"] = ""
    if grp == "hf-docs" or "huggingface/peft:README.md" in r["source"]:
        o["set_to_none"] = "false"
        if opt == "adamw":
            o["optimizer_impl"] = "for-loop"
        notes.append("pre-PyTorch-2.0 run: zero_grad keeps gradients (--set-to-none false), per-tensor AdamW (--optimizer-impl for-loop)")
    if "zero_grad(set_to_none=False)" in r["notes"]:   # measure.py's keepgrad points
        o["set_to_none"] = "false"

    # ---- LoRA dropout: LitGPT's finetune scripts and config-hub YAMLs use lora_dropout 0.05 (the
    # script default, written out in every hub YAML and in the resource tables' notes); other rows
    # only where their own text states a dropout above zero.
    drop = False
    if method in ("lora", "qlora") and o.get("adapter") not in PROMPT_ADAPTERS:
        if fw == "litgpt":
            drop = True
            notes.append("LitGPT lora_dropout 0.05 (script default and config-hub YAMLs) -> --lora-dropout")
        elif grp == "ms-swift":
            # swift/llm/argument/tuner_args.py: lora_dropout: float = 0.05; no script overrides it
            drop = True
            notes.append("ms-swift lora_dropout 0.05 (TunerArguments default) -> --lora-dropout")
        elif re.search(r"dropout\s*[=:]?\s*0?\.0*[1-9]", r["notes"] + " " + r["source_detail"]):
            drop = True
            notes.append("row states lora_dropout > 0 -> --lora-dropout")
    o["lora_dropout"] = "true" if drop else ""

    # ---- batch, sequence
    mb = first_int(r["micro_batch"])
    if mb is None or "unknown" in r["micro_batch"]:
        reason = reason or "micro-batch unknown"
    o["micro_batch"] = str(mb or "")
    ga = first_int(r["grad_accum"]) if "/" not in r["grad_accum"] else None
    if "global_batch_size" in r["grad_accum"]:
        gb = first_int(r["grad_accum"])
        ga = max(1, gb // max(1, (mb or 1) * (first_int(r["gpus"], 1))))
    o["grad_accum"] = str(ga or 1)
    kind = seq_kind(r["notes"])
    o["seq_len_kind"] = kind
    s_listed = first_int(r["seq_len"])
    if "source_max_len 16 + target_max_len 512" in r["seq_len"]:
        s_listed = 528
    o["seq_len_listed"] = str(s_listed or "")
    tier = "A" if r["clean"] == "yes" else "B"
    s_eff = s_listed
    if kind == "max_pad_longest":
        detail = (r["notes"] + " " + r["source_detail"]).lower()
        if grp in ("litgpt-hub", "peft-mmqa") or ("alpaca_cleaned truncated at 512" in detail) \
                or rid.startswith("tt-tut"):
            notes.append("padded real data; the cap is reached by the longest batch over the run")
        elif grp == "peft-docs" or rid.startswith("peft-readme"):
            s_eff = min(s_listed or 64, DATASET_MAX["tweets"])
            tier = "C"
            notes.append(f"padded tweets: L_eff={s_eff}")
        elif grp == "ms-swift" and any(f":{path}@" in r["source"] for path in SWIFT_LONG_SAMPLE_SCRIPTS):
            tier = "C"
            notes.append("padded reasoning SFT data (swift/Qwen3-SFT-Mixin, thinking traces): L_eff = cap")
        elif grp == "ms-swift" and any(f":{path}@" in r["source"] for path in SWIFT_SELF_COGNITION_SCRIPTS):
            s_eff = min(s_listed or 2048, DATASET_MAX["self-cognition"])
            tier = "C"
            notes.append(f"padded swift/self-cognition samples only: L_eff=min(cap, {DATASET_MAX['self-cognition']}) (longest sample, upper bound)")
        elif grp == "ms-swift" or rid.startswith("llamafactory"):
            s_eff = min(s_listed or 2048, DATASET_MAX["swift"])
            tier = "C"
            notes.append(f"padded real data, longest sample unknown: L_eff=min(cap, {DATASET_MAX['swift']})")
        elif "alpaca" in detail:
            s_eff = min(s_listed or 4096, DATASET_MAX["alpaca"])
            tier = "C"
            notes.append(f"padded Alpaca data: L_eff=min(cap, longest Alpaca sample {DATASET_MAX['alpaca']})")
        else:
            tier = "C"
            notes.append("padded real data with long samples: L_eff = cap")
        if tier == "B" and r["clean"] != "yes":
            pass
    elif kind == "unknown" or kind.startswith("fixed?"):
        if s_listed is None:
            if rid.startswith("ds-tut"):
                s_eff = 1024
                notes.append("sequence not stated: Megatron GPT-2 example default 1024 assumed")
            else:
                reason = reason or "sequence length unknown"
        tier = "C"
    if "unknown" in mw or "approximate" in r["notes"].lower() or "around" in mw:
        tier = "C" if tier != "A" else "B"
    if grp in ("unsloth-nb", "fms-moe", "ms-swift"):
        tier = "C"
    if bound:
        tier = "bound"
    if s_eff is None and not reason:
        reason = "sequence length unknown"
    o["seq_len"] = str(s_eff or "")
    o["tier"] = tier

    # ---- checkpointing, attention
    gc = r["grad_checkpointing"].lower()
    act_off = "activation" in r["offload"].lower() or "unsloth" in gc
    if gc.startswith("none"):
        gcm = "none"
    elif gc.startswith("selective"):
        gcm = "selective"
    elif gc.startswith("unknown"):
        gcm = "full" if fw in ("torchtune", "megatron", "unsloth") or grp == "unsloth-readme" else "none"
        notes.append(f"checkpointing unknown: {gcm} assumed (framework default)")
    else:
        gcm = "full"
    if grp == "ms-swift" and gcm == "none" and "fsdp2" in r["parallelism"].lower():
        # ms-swift's FSDP2 examples run through an accelerate config, and every FSDP2 config in its
        # examples (fsdp2_lora/fsdp2_offload.json beside this script, tiled_mlp/fsdp2.json, ...) sets
        # "fsdp_activation_checkpointing": true; the script's --gradient_checkpointing false only
        # keeps HF's own checkpointing from wrapping the layers a second time.
        gcm = "full"
        notes.append("FSDP2 accelerate config: fsdp_activation_checkpointing true (HF's turned off) -> full")
    o["grad_ckpt"] = gcm
    o["act_offload"] = "1" if act_off else ""
    a = r["attention"].lower()
    if a.startswith("eager") or (a.startswith("unknown") and "bert" in (model_ref or "")):
        att = "eager"
    elif a.startswith("flash") or "unsloth" in a:
        att = "flash"
    else:
        att = "sdpa"
    o["attention"] = att
    chunked = ""
    if rid.startswith("tt-flags") and rid not in ("tt-flags-3b-compile",):
        chunked = "1"
    if "cross-entropy fusion" in r["source_detail"].lower():
        chunked = "1"
    if rid.startswith("tt-l31-"):
        chunked = "1"
        notes.append("torchtune Llama 3.1 configs of Sep 2024 use CEWithChunkedOutputLoss (assumed)")
    # Unsloth's long-context table (README @0acd1c7, the numbers of unsloth.ai/blog/llama3-3: 8 GB
    # "up to 2,900", 80 GB 342K for 8B) is measured "with our gradient checkpointing algorithm and
    # Apple's Cut Cross-Entropy": the lm_head and loss are fused, no logits. The Hugging Face + FA2
    # column is the plain stack. Notebook outputs do not say which Unsloth version ran them.
    if grp == "unsloth-readme" and fw == "unsloth":
        chunked = "fused"
        notes.append("Unsloth's context table is measured with Apple's Cut Cross-Entropy (blog llama3-3) -> --fused-linear-ce")
    o["chunked_ce"] = chunked

    # ---- parallelism, offload
    gpus = first_int(r["gpus"], 1)
    par = r["parallelism"].lower()
    zero = 0
    tp = pp = ep = 1
    if "fsdp" in par or "zero3" in par:
        zero = 3
    elif "zero2" in par:
        zero = 2
    mt = re.search(r"tp[= ](\d+)", par)
    if mt:
        tp = int(mt.group(1))
    mt = re.search(r"pp[= ](\d+)", par)
    if mt:
        pp = int(mt.group(1))
    mt = re.search(r"ep[= ]?(\d+)", par)
    if mt:
        ep = int(mt.group(1))
    if fw == "megatron" and gpus > 1:
        zero = 1
        notes.append("Megatron distributed optimizer as ZeRO-1")
    mt = re.search(r"cp (\d+)", par)
    if mt:
        cp = int(mt.group(1))
        s_eff = (s_eff or 0) // cp
        o["seq_len"] = str(s_eff)
        zero = 3
        tier = "C"
        notes.append(f"context parallel {cp}: per-rank sequence {s_eff}, FSDP over the cp ranks")
        o["tier"] = tier
    if rid == "titan-l31-405b-fsdp8-tp8-pp8":
        mb = 4
        o["micro_batch"] = "4"
        o["grad_accum"] = "8"
        notes.append("PP local batch 32 in 8 microbatches of 4 (torchtitan default microbatches = pp): --grad-accum 8")
    if gpus > 1 and zero == 0 and not ("ddp" in par or tp > 1 or pp > 1 or ep > 1):
        if "none" in par:
            reason = reason or "several GPUs but the parallelism is not stated"
    off = r["offload"].lower()
    off_opt = off_par = False
    if off.startswith("params") or "optimizer+params" in off:
        off_par = True
        off_opt = True
    if off.startswith("optimizer"):
        off_opt = True
    o["gpus"] = str(gpus)
    o["zero"] = str(zero)
    o["tp"], o["pp"], o["ep"] = str(tp), str(pp), str(ep)
    o["offload_opt"] = "1" if off_opt else ""
    o["offload_params"] = "1" if off_par else ""
    if rid == "tt-l31-8b-full-a6000":
        reason = reason or "optimizer and config not named (torchtune 8B full single-device default is PagedAdamW8bit + optimizer_in_bwd)"

    # ---- GPU
    o["gpu"] = gpu_id(r["gpu_model"])

    # ---- families (a row belongs to every family it exercises)
    fam = []
    if method == "full":
        fam.append("full")
    elif method == "lora":
        fam.append("lora")
    elif method == "qlora":
        fam.append("qlora")
    elif method == "freeze":
        fam.append("freeze")
    if gpus > 1 and (zero >= 1 or tp > 1 or pp > 1 or ep > 1 or "ddp" in par):
        fam.append("multi-gpu")
    if off_opt or off_par or act_off:
        fam.append("offload")
    if model_ref and any(x in model_ref for x in ("mixtral", "moe", "a3b", "gpt-oss", "granite", "ernie")):
        fam.append("moe")
    o["families"] = ";".join(fam)

    o["usable"] = "no" if reason else "yes"
    o["reason"] = reason or ""
    o["mapping_notes"] = "; ".join(notes)
    if not reason:
        o["args"] = build_args(o, train_layers)
    return o


def build_args(o, train_layers=""):
    a = []
    ref = o["model_ref"]
    if ref.endswith(".json"):
        a += ["--config", "bench/accuracy/" + ref]
    else:
        a += ["--model", ref]
    a += ["--method", o["method"]]
    if o["method"] in ("lora", "qlora") and o.get("adapter") not in PROMPT_ADAPTERS:
        a += ["--lora-rank", o["lora_rank"], "--lora-targets", o["lora_targets"]]
    if o.get("lora_dropout"):
        a += ["--lora-dropout", "true"]
    if o.get("dora"):
        a += ["--dora", "true"]
    if o.get("lora_fa"):
        a += ["--lora-fa", "true"]
    if o.get("adapter"):
        a += ["--adapter", o["adapter"]]
    if o.get("virtual_tokens"):
        a += ["--virtual-tokens", o["virtual_tokens"]]
    if o.get("trainable_tokens"):
        a += ["--trainable-tokens", o["trainable_tokens"]]
    if o.get("lora_train_head"):
        a += ["--train-embeddings", "true", "--train-lm-head", "true"]
    if o.get("task"):
        a += ["--task", o["task"]]
    if o["method"] == "qlora":
        a += ["--quant-bits", o["quant_bits"], "--double-quant=" + o["double_quant"]]
        if o.get("bnb_pre_044"):
            a += ["--bnb-pre-0.44", "true"]
    if train_layers:
        a += ["--train-layers"] + train_layers.split()
    if o["state_dtype"]:
        a += ["--state-dtype", o["state_dtype"]]
    if o.get("galore_rank"):
        a += ["--galore-rank", o["galore_rank"]]
    a += ["--precision", o["precision"], "--optimizer", o["optimizer"],
          "--micro-batch", o["micro_batch"], "--seq-len", o["seq_len"], "--grad-accum", o["grad_accum"],
          "--grad-checkpointing", o["grad_ckpt"], "--attention", o["attention"],
          "--framework", o["framework"], "--gpus", o["gpus"], "--zero", o["zero"]]
    for k in ("tp", "pp", "ep"):
        if o[k] != "1":
            a += [f"--{k}", o[k]]
    if o["chunked_ce"] == "fused":
        a += ["--fused-linear-ce"]
    elif o["chunked_ce"]:
        a += ["--chunked-ce"]
    if o.get("compile"):
        a += ["--compile"]
    if o.get("opt_in_bwd"):
        a += ["--optimizer-in-backward"]
    if o.get("optimizer_impl"):
        a += ["--optimizer-impl", o["optimizer_impl"]]
    if o.get("set_to_none"):
        a += ["--set-to-none", o["set_to_none"]]
    if o["act_offload"]:
        a += ["--activation-offload"]
    if o["offload_opt"]:
        a += ["--offload-optimizer"]
    if o["offload_params"]:
        a += ["--offload-params"]
    a += ["--gpu", o["gpu"]]
    return shlex.join(a)


FIELDS = ["id", "usable", "reason", "tier", "families", "source_group", "model", "model_ref", "method_src",
          "method", "metric", "bound", "measured_value", "measured_unit", "measured_bytes", "measured_what",
          "clean", "seq_len_kind", "seq_len_listed", "seq_len", "micro_batch", "grad_accum", "gpus", "zero",
          "tp", "pp", "ep", "precision", "optimizer", "framework", "lora_rank", "lora_targets", "lora_dropout", "dora", "lora_fa", "adapter", "virtual_tokens", "trainable_tokens", "lora_train_head", "task", "quant_bits",
          "double_quant", "bnb_pre_044", "state_dtype", "grad_ckpt", "attention", "chunked_ce", "compile", "opt_in_bwd", "galore_rank", "optimizer_impl", "set_to_none", "act_offload", "offload_opt",
          "offload_params", "gpu", "mapping_notes", "args", "source"]


def main():
    rows = []
    with open(GT, newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] != "measured":
                continue
            rows.append(convert_row(r))
    # rows measured by this project (measure/measure.py writes the ground-truth schema)
    for p in sorted(glob.glob(os.path.join(HERE, "measure", "results", "*.csv"))):
        with open(p, newline="") as f:
            for r in csv.DictReader(f):
                rows.append(convert_row(r))
    with open(OUT, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    n_ok = sum(r["usable"] == "yes" for r in rows)
    print(f"wrote {OUT}: {len(rows)} measured rows, {n_ok} usable, {len(rows) - n_ok} listed with a reason",
          file=sys.stderr)


if __name__ == "__main__":
    main()
