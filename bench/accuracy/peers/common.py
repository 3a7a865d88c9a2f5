"""Shared helpers for the peer re-implementations: the model's shape and parameter counts.

Every peer gets the same `Arch` for a row (from assets/models.json or from the config.json
under bench/accuracy/models/), so differences between tools come from their formulas only.
Parameter counting follows the catalog's conventions (weights only, tied embeddings once).
"""
from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
ACC = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(ACC))
CATALOG = os.path.join(REPO, "assets", "models.json")   # shipped with the repo (tools/gen_catalog.py)

GIB = 2 ** 30
MIB = 2 ** 20


@dataclass
class Arch:
    id: str
    V: int          # vocab
    h: int          # hidden
    f: int          # dense MLP width (expert width for all-MoE models)
    L: int          # layers (encoder + decoder for T5)
    a: int          # attention heads
    kv: int         # KV heads
    hd: int         # head dim
    tied: bool
    gated: bool     # 3-matrix MLP
    E: int = 0      # routed experts
    k: int = 0      # top-k
    f_moe: int = 0  # expert width
    P: int = 0      # total params
    P_active: int = 0

    @property
    def is_moe(self):
        return self.E > 0

    def layer_params(self):
        attn = self.h * self.a * self.hd * 2 + 2 * self.h * self.kv * self.hd
        mats = 3 if self.gated else 2
        if self.is_moe:
            mlp = self.E * mats * self.h * self.f_moe + self.h * self.E
        else:
            mlp = mats * self.h * self.f
        return attn + mlp + 2 * self.h

    def largest_layer(self):
        """DeepSpeed's 'largest layer' = the biggest single module's params (embedding or a block)."""
        return max(self.V * self.h, self.layer_params())


def _int(x, d=0):
    m = re.search(r"\d+", str(x or ""))
    return int(m.group()) if m else d


@functools.lru_cache(maxsize=None)
def _catalog():
    with open(CATALOG) as f:
        return {m["id"]: m for m in json.load(f)["models"]}


def _count(V, h, f, L, a, kv, hd, tied, gated, E=0, k=0, f_moe=0):
    attn = h * a * hd * 2 + 2 * h * kv * hd
    mats = 3 if gated else 2
    if E:
        mlp = E * mats * h * f_moe + h * E
        mlp_act = k * mats * h * f_moe + h * E
    else:
        mlp = mlp_act = mats * h * f
    emb = V * h * (1 if tied else 2)
    total = emb + L * (attn + mlp + 2 * h) + h
    active = emb + L * (attn + mlp_act + 2 * h) + h
    return total, active


@functools.lru_cache(maxsize=None)
def load_arch(model_ref: str) -> Arch:
    if model_ref.endswith(".json"):
        c = json.load(open(os.path.join(ACC, model_ref)))
        h = c.get("hidden_size") or c.get("n_embd")
        L = c.get("num_hidden_layers") or c.get("n_layer")
        a = c.get("num_attention_heads") or c.get("n_head")
        kv = c.get("num_key_value_heads") or c.get("num_kv_heads") or a
        hd = c.get("head_dim") or h // a
        V = c["vocab_size"]
        mt = c["model_type"]
        gated = mt not in ("falcon", "gpt2")
        f = c.get("intermediate_size") or c.get("ffn_hidden_size") or 4 * h
        E = c.get("num_local_experts") or c.get("num_experts") or 0
        k = c.get("num_experts_per_tok") or 0
        f_moe = c.get("moe_intermediate_size") or (f if E else 0)
        tied = bool(c.get("tie_word_embeddings", False))
        P, Pa = _count(V, h, f, L, a, kv, hd, tied, gated, E, k, f_moe)
        if c.get("shared_expert_intermediate_size"):
            extra = 3 * h * c["shared_expert_intermediate_size"] * L
            P += extra
            Pa += extra
        return Arch(model_ref, V, h, f, L, a, kv, hd, tied, gated, E, k, f_moe, P, Pa)
    r = _catalog()[model_ref]
    h = r["hidden_size"]
    L = r["num_hidden_layers"] + r["num_encoder_layers"]
    a = r["num_attention_heads"]
    kv = r["num_key_value_heads"] or a
    hd = r["head_dim"] or h // a
    V = r["vocab_size"]
    f = r["intermediate_size"]
    E = r["num_experts"]
    k = r["num_experts_per_tok"]
    f_moe = r["moe_intermediate_size"] or (f if E else 0)
    tied = bool(r["tie_word_embeddings"])
    gated = r["mlp"] == "gated"
    P = r["reference_exact_params"] or r["derived_total_params"]
    Pa = r["derived_active_params"] or P
    return Arch(model_ref, V, h, f, L, a, kv, hd, tied, gated, E, k, f_moe, P, Pa)


# ---------------------------------------------------------------------------------------------
# Row helpers
# ---------------------------------------------------------------------------------------------
def ints(row):
    return (int(row["micro_batch"]), int(row["seq_len"]), int(row["gpus"]), int(row["zero"]),
            int(row["tp"] or 1), int(row["pp"] or 1))


def lora_params(arch: Arch, targets: str, r: int) -> int:
    """r x (in + out) per adapted matrix, all layers (PEFT / LoRA paper convention)."""
    h, kvd, qd, f = arch.h, arch.kv * arch.hd, arch.a * arch.hd, arch.f_moe if arch.is_moe else arch.f
    per = {"q": h + qd, "k": h + kvd, "v": h + kvd, "o": qd + h, "gate": h + f, "up": h + f, "down": f + h}
    ts = ["q", "k", "v", "o", "gate", "up", "down"] if targets == "all-linear" else targets.split(",")
    n = 0
    for t in ts:
        m = per.get(t, 0)
        if t in ("gate", "up", "down") and arch.is_moe:
            m *= arch.E
        if t in ("gate",) and not arch.gated:
            continue
        n += m
    return r * n * arch.L


def trainable(row, arch: Arch) -> int:
    m = row["method"]
    if m in ("lora", "qlora"):
        return lora_params(arch, row["lora_targets"], int(row["lora_rank"]))
    if m == "freeze":
        return 2 * arch.layer_params()   # the rows use 2 trained layers (LISA)
    return arch.P


def half(row):
    return row["precision"] != "fp32"
