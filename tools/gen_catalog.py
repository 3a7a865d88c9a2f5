#!/usr/bin/env python3
"""Generate assets/models.json and assets/gpus.json from the shared catalog CSVs.

    python3 tools/gen_catalog.py [--catalog DIR] [--out DIR] [--check]

--catalog  folder holding models.csv and gpus.csv (default: ../shared/catalog relative to the
           repository root)
--out      where to write models.json / gpus.json (default: <repo>/assets)
--check    regenerate into a temporary folder and exit 1 if the committed files differ

Standard library only. Every model row is mapped onto the field names of `Architecture`
(core/architecture.h); the flags the CSV does not carry (norm kind, biases, q/k norms, sinks,
norms per layer, ...) come from FAMILY below, which follows the formulas of
../shared/catalog/derive_params.py family by family. Before writing, every model's parameter
count is recomputed from the mapped fields (count_params() below, the same arithmetic as
core/architecture.cpp) and compared with the CSV's derived_total_params / derived_active_params;
a mismatch stops the generator, so the JSON can never describe a different model than the CSV.
"""
import argparse
import csv
import filecmp
import json
import os
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ---------------------------------------------------------------------------------------------
# Per-family flags (source: derive_params.py call per family + the HF modeling files named).
# ---------------------------------------------------------------------------------------------
RMS_GATED = dict(norm="rms", mlp="gated", norms_per_layer=2)
FAMILY = {
    # modeling_gpt2.py: LayerNorm(bias) x2 per block + ln_f; Conv1D c_attn/c_proj/c_fc with bias;
    # learned wpe; lm_head tied to wte.  derive_params.gpt2()
    # attn_pdrop / resid_pdrop / embd_pdrop 0.1: dropout in training (dropout=True).
    "gpt2": dict(norm="layernorm", mlp="plain", norms_per_layer=2, qkv_bias=True, o_bias=True,
                 mlp_bias=True, learned_pos_emb=True, dropout=True),
    # modeling_llama.py / modeling_mistral.py: no biases, RMSNorm x2.  derive_params.dense_decoder()
    "llama": dict(RMS_GATED),
    "mistral": dict(RMS_GATED),
    # modeling_mixtral.py: every layer sparse, router Linear(h, E, bias=False).  moe_decoder()
    "mixtral": dict(RMS_GATED),
    # modeling_qwen2.py: q/k/v bias only.  dense_decoder(qkv_bias=True)
    "qwen2": dict(RMS_GATED, qkv_bias=True),
    # modeling_qwen3.py: q_norm/k_norm RMSNorm(head_dim).  dense_decoder(qk_norm=2*hd)
    "qwen3": dict(RMS_GATED, qk_norm=True),
    "qwen3_moe": dict(RMS_GATED, qk_norm=True),
    # modeling_qwen2_moe.py: qkv bias, shared expert + sigmoid gate Linear(h, 1).
    "qwen2_moe": dict(RMS_GATED, qkv_bias=True, shared_expert_gate=True),
    # modeling_deepseek.py (V2): MLA, shared experts, first_k_dense_replace.  mla_moe()
    "deepseek_v2": dict(RMS_GATED),
    # DeepSeek-V3: + e_score_correction_bias (E per MoE layer).  mla_moe(router_bias=True)
    "deepseek_v3": dict(RMS_GATED, router_bias=True),
    # modeling_gemma2.py: 4 RMSNorms per layer (input, post_attention, pre/post_feedforward);
    # attn_logit_softcapping 50 and final_logit_softcapping 30 (tanh soft-capping).
    "gemma2": dict(RMS_GATED, norms_per_layer=4, attn_softcap=True, final_softcap=True),
    # modeling_gemma3.py: gemma2 + q_norm/k_norm RMSNorm(head_dim).
    "gemma3_text": dict(RMS_GATED, norms_per_layer=4, qk_norm=True),
    "gemma3": dict(RMS_GATED, norms_per_layer=4, qk_norm=True),
    # modeling_phi3.py: fused qkv_proj / gate_up_proj, no biases (same counts as llama).
    "phi3": dict(RMS_GATED),
    # PhiMoE: the catalog's derived count uses the moe_decoder formula (RMSNorm-sized norms, no
    # attention/lm_head biases); the checkpoint's LayerNorm biases are a few M (see notes column).
    "phimoe": dict(RMS_GATED),
    # modeling_gpt_oss.py: q/k/v/o biases, per-head sinks, router bias, expert biases.  gptoss()
    "gpt_oss": dict(RMS_GATED, qkv_bias=True, o_bias=True, router_bias=True, expert_bias=True),
    # modeling_olmoe.py: q_norm = RMSNorm(nh*hd), k_norm = RMSNorm(nkv*hd) (full width).
    "olmoe": dict(RMS_GATED, qk_norm=True, qk_norm_full=True),
    # modeling_falcon.py: no biases, parallel attn+MLP; 7B one input_layernorm, 40B (new
    # decoder architecture) ln_attn + ln_mlp; tied.  derive_params.falcon()
    "falcon": dict(norm="layernorm", mlp="plain", norms_per_layer=1, parallel_attn_mlp=True),
    # modeling_bloom.py: biases everywhere, LayerNorm, ALiBi; word_embeddings_layernorm (2h) goes
    # to extra_params.  derive_params.bloom()
    "bloom": dict(norm="layernorm", mlp="plain", norms_per_layer=2, qkv_bias=True, o_bias=True,
                  mlp_bias=True),
    # modeling_bert.py: biases everywhere, post-LN x2 per layer, no final norm but an embedding
    # LayerNorm of the same size (2h) that takes the final norm's place in the count; learned
    # position + token-type embeddings; pooler Linear(h, h) -> extra_params.  derive_params.bert()
    # hidden_dropout_prob / attention_probs_dropout_prob 0.1 (dropout=True).
    "bert": dict(norm="layernorm", mlp="plain", norms_per_layer=2, qkv_bias=True, o_bias=True,
                 mlp_bias=True, learned_pos_emb=True, token_type_vocab=2, dropout=True),
    # modeling_t5.py (v1.1 / mT5): gated-GELU, RMSNorm without bias, no biases; encoder layers 2
    # norms, decoder layers 3 (self, cross, ff); relative-attention buckets (32 x heads) per stack
    # -> extra_params.  derive_params.t5_v11()
    # dropout_rate 0.1 on attention weights and hidden states (dropout=True).
    "t5": dict(RMS_GATED, dropout=True),
    "mt5": dict(RMS_GATED, dropout=True),
}

# Keras-hub's exact figure for these rows counts an untied lm_head copy (see notes column), so it
# is kept as reference_exact_params but not used as the model's reference_total_params.
REFERENCE_IS_UNTIED_COPY = {"llama-3.2-1b", "llama-3.2-3b"}

ARCH_DEFAULTS = dict(
    vocab_size=0, hidden_size=0, intermediate_size=0, num_hidden_layers=0, num_encoder_layers=0,
    num_attention_heads=0, num_key_value_heads=0, head_dim=0, max_position_embeddings=0,
    tie_word_embeddings=False, learned_pos_emb=False, token_type_vocab=0, norm="rms", mlp="gated",
    norms_per_layer=2, qkv_bias=False, o_bias=False, mlp_bias=False, qk_norm=False,
    qk_norm_full=False, parallel_attn_mlp=False, attn_softcap=False, final_softcap=False, dropout=False, attention_sinks=0, num_experts=0,
    num_experts_per_tok=0, moe_intermediate_size=0, n_shared_experts=0,
    shared_expert_intermediate_size=0, shared_expert_gate=False, first_k_dense_replace=0,
    decoder_sparse_step=1, router_bias=False, expert_bias=False, q_lora_rank=0, kv_lora_rank=0,
    qk_nope_head_dim=0, qk_rope_head_dim=0, v_head_dim=0, extra_params=0)

INT_COLUMNS = ["vocab_size", "hidden_size", "intermediate_size", "num_attention_heads",
               "num_key_value_heads", "head_dim", "max_position_embeddings", "num_experts",
               "num_experts_per_tok", "moe_intermediate_size", "n_shared_experts",
               "shared_expert_intermediate_size", "first_k_dense_replace", "decoder_sparse_step",
               "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"]


def as_int(text):
    """'' / 'null (...)' -> 0; '1536' -> 1536."""
    t = text.strip()
    if not t or t.startswith("null"):
        return 0
    return int(t)


def as_float(text):
    t = text.strip()
    return float(t) if t else 0.0


def display_name(row):
    repo = row["hf_repo"].strip()
    return repo.split("/")[-1] if repo else row["id"]


def model_entry(row):
    family = row["family"].strip().split(" ")[0]   # "gemma3 (text_config: gemma3_text)" -> gemma3
    if family not in FAMILY:
        raise SystemExit(f"models.csv: unknown family '{family}' in row {row['id']}")
    a = dict(ARCH_DEFAULTS)
    a.update(FAMILY[family])
    for col in INT_COLUMNS:
        a[col] = as_int(row[col])
    layers = row["num_hidden_layers"].strip()
    if "enc" in layers:                                    # "24 enc + 24 dec" (T5)
        enc, dec = layers.split("+")
        a["num_encoder_layers"] = int(enc.split()[0])
        a["num_hidden_layers"] = int(dec.split()[0])
    else:
        a["num_hidden_layers"] = int(layers)
    a["tie_word_embeddings"] = row["tie_word_embeddings"].strip().lower().startswith("true")
    if a["decoder_sparse_step"] == 0:
        a["decoder_sparse_step"] = 1
    h, nh = a["hidden_size"], a["num_attention_heads"]
    if family in ("mixtral", "olmoe", "gpt_oss", "phimoe"):
        # per-expert width is the HF intermediate_size; no dense layers
        a["moe_intermediate_size"] = a["moe_intermediate_size"] or a["intermediate_size"]
    if family == "qwen2_moe":
        # one shared expert of shared_expert_intermediate_size (n_shared_experts is not a
        # qwen2_moe key; see notes column)
        a["n_shared_experts"] = 0
    if family == "gpt_oss":
        a["attention_sinks"] = nh                         # one learned sink per head per layer
    if family == "falcon" and a["num_key_value_heads"] > 1:
        a["norms_per_layer"] = 2                          # new_decoder_architecture: ln_attn + ln_mlp
    if family == "bloom":
        a["extra_params"] = 2 * h                         # word_embeddings_layernorm (weight+bias)
    if family == "bert":
        a["extra_params"] = h * h + h                     # pooler dense
    if family in ("t5", "mt5"):
        a["extra_params"] = 2 * 32 * nh                   # relative_attention_bias, 32 buckets, per stack
    if a["num_key_value_heads"] == 0:
        a["num_key_value_heads"] = nh
    ref = as_int(row["reference_exact_params"])
    e = {"id": row["id"], "name": display_name(row), "family": family, "hf_repo": row["hf_repo"]}
    e.update(a)
    e["reference_total_params"] = 0 if row["id"] in REFERENCE_IS_UNTIED_COPY else ref
    e["reference_active_params"] = 0
    e["reference_exact_params"] = ref
    e["derived_total_params"] = as_int(row["derived_total_params"])
    e["derived_active_params"] = as_int(row["derived_active_params"]) or e["derived_total_params"]
    for col in ["published_total_params", "published_active_params", "params_source",
                "reference_exact_source", "derived_vs_published", "config_source", "notes",
                "mlp_activation", "attention_bias", "extra_architecture", "mlp_only_layers"]:
        e[col] = row[col]
    e["family_column"] = row["family"]
    return e


def count_params(a):
    """(total, active): the arithmetic of core/architecture.cpp count_params(), which follows
    derive_params.py (dense_decoder, moe_decoder, mla_moe, gpt2, bert, bloom, falcon, t5_v11, gptoss)."""
    h, V, L = a["hidden_size"], a["vocab_size"], a["num_hidden_layers"]
    nh = a["num_attention_heads"]
    nkv = a["num_key_value_heads"] or nh
    hd = a["head_dim"] or h // nh
    nw = 2 if a["norm"] == "layernorm" else 1
    if a["kv_lora_rank"]:
        r, kl = a["q_lora_rank"], a["kv_lora_rank"]
        qd = a["qk_nope_head_dim"] + a["qk_rope_head_dim"]
        q = (h * r + r + r * nh * qd) if r else h * nh * qd
        attn = (q + h * (kl + a["qk_rope_head_dim"]) + kl + kl * nh * (a["qk_nope_head_dim"] + a["v_head_dim"])
                + nh * a["v_head_dim"] * h)
    else:
        attn = 2 * h * nh * hd + 2 * h * nkv * hd
        if a["qkv_bias"]:
            attn += nh * hd + 2 * nkv * hd
        if a["o_bias"]:
            attn += h
        if a["qk_norm"]:
            attn += (nh * hd + nkv * hd) if a["qk_norm_full"] else 2 * hd
        attn += a["attention_sinks"]
    I = a["intermediate_size"]
    if a["mlp"] == "gated":
        dense = 3 * h * I + ((2 * I + h) if a["mlp_bias"] else 0)
    else:
        dense = 2 * h * I + ((I + h) if a["mlp_bias"] else 0)
    norms = a["norms_per_layer"] * nw * h
    E, k, Im = a["num_experts"], a["num_experts_per_tok"], a["moe_intermediate_size"]
    expert = 3 * h * Im + ((2 * Im + h) if a["expert_bias"] else 0)
    if E:
        nmoe = sum(1 for i in range(L) if i >= a["first_k_dense_replace"]
                   and (i + 1) % max(1, a["decoder_sparse_step"]) == 0)
    else:
        nmoe = 0
    moe = (E * expert + h * E + (E if a["router_bias"] else 0) + a["n_shared_experts"] * 3 * h * Im
           + 3 * h * a["shared_expert_intermediate_size"] + (h if a["shared_expert_gate"] else 0))
    emb = V * h + (a["max_position_embeddings"] * h if a["learned_pos_emb"] else 0) + a["token_type_vocab"] * h
    total = emb + nmoe * (attn + moe + norms) + (L - nmoe) * (attn + dense + norms) + nw * h
    Le = a["num_encoder_layers"]
    if Le:   # T5: encoder layers attn+ff+2 norms, decoder layers get cross-attention and a 3rd norm
        total += Le * (attn + dense + norms) + L * (attn + nw * h) + nw * h
    total += a["extra_params"] + (0 if a["tie_word_embeddings"] else V * h)
    active = total - nmoe * (E - k) * expert
    return total, active


# ---------------------------------------------------------------------------------------------
# GPUs
# ---------------------------------------------------------------------------------------------
GENERATION = [  # (id prefix, generation) - first match wins
    ("h100", "hopper"), ("h200", "hopper"), ("gh200", "hopper"),
    ("b200", "blackwell"), ("gb200", "blackwell"), ("b100", "blackwell"), ("rtx-5090", "blackwell"),
    ("a100", "ampere"), ("a10", "ampere"), ("a40", "ampere"), ("rtx-a6000", "ampere"),
    ("rtx-3090", "ampere"),
    ("l4", "ada"), ("l40", "ada"), ("rtx-4090", "ada"),
    ("v100", "volta"), ("t4", "turing"),
    ("mi250", "cdna2"), ("mi300", "cdna3"), ("mi325", "cdna3"),
    ("gaudi2", "gaudi2"), ("gaudi3", "gaudi3"),
]


def generation(gpu_id):
    for prefix, gen in GENERATION:
        if gpu_id.startswith(prefix):
            return gen
    raise SystemExit(f"gpus.csv: no generation known for '{gpu_id}' (add it to GENERATION)")


def gpu_entry(row):
    mib = as_int(row["nvidia_smi_total_mib"])
    mem = mib * 2**20 if mib else int(round(as_float(row["memory_gib"]) * 2**30))
    return {
        "id": row["id"], "name": row["name"], "vendor": row["vendor"],
        "generation": generation(row["id"]),
        "memory_bytes": mem,
        "memory_marketed": row["memory_marketed"],
        "memory_gib": as_float(row["memory_gib"]),
        "memory_gib_basis": row["memory_gib_basis"],
        "nvidia_smi_total_mib": mib,
        "bandwidth_gbs": as_float(row["memory_bandwidth_gbs"]),
        "bf16_tflops": as_float(row["bf16_dense_tflops"]),
        "fp16_tflops": as_float(row["fp16_dense_tflops"]),
        "fp8_tflops": as_float(row["fp8_dense_tflops"]),
        "fp32_tflops": as_float(row["fp32_tflops"]),
        "tdp_w": as_float(row["tdp_w"]),
        "interconnect": row["interconnect"],
        "price_per_hour": as_float(row["typical_price_per_hour_usd"]),
        "price_source": row["price_source"],
        "source": row["source"],
        "nvidia_smi_source": row["nvidia_smi_source"],
        "notes": row["notes"],
    }


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def dump(obj, path):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, indent=1, ensure_ascii=True)
        f.write("\n")


def generate(catalog, out):
    models = [model_entry(r) for r in read_csv(os.path.join(catalog, "models.csv"))]
    bad = []
    for m in models:
        total, active = count_params(m)
        if total != m["derived_total_params"] or active != m["derived_active_params"]:
            bad.append(f"{m['id']}: mapped fields give {total}/{active}, CSV derived "
                       f"{m['derived_total_params']}/{m['derived_active_params']}")
    if bad:
        raise SystemExit("parameter counts differ from derived_*_params:\n  " + "\n  ".join(bad))
    gpus = [gpu_entry(r) for r in read_csv(os.path.join(catalog, "gpus.csv"))]
    os.makedirs(out, exist_ok=True)
    header = {"generated_by": "tools/gen_catalog.py from ../shared/catalog (do not edit by hand)"}
    dump(dict(header, models=models), os.path.join(out, "models.json"))
    dump(dict(header, gpus=gpus), os.path.join(out, "gpus.json"))
    return len(models), len(gpus)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--catalog", default=os.path.join(REPO, "..", "shared", "catalog"))
    p.add_argument("--out", default=os.path.join(REPO, "assets"))
    p.add_argument("--check", action="store_true")
    args = p.parse_args()
    for name in ("models.csv", "gpus.csv"):
        if not os.path.isfile(os.path.join(args.catalog, name)):
            print(f"gen_catalog: {name} not found in {args.catalog} (use --catalog DIR)", file=sys.stderr)
            return 2
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            generate(args.catalog, tmp)
            stale = [n for n in ("models.json", "gpus.json")
                     if not os.path.exists(os.path.join(args.out, n))
                     or not filecmp.cmp(os.path.join(tmp, n), os.path.join(args.out, n), shallow=False)]
        if stale:
            print("out of date: " + ", ".join(stale) + " (run tools/gen_catalog.py)", file=sys.stderr)
            return 1
        print("catalog JSON up to date")
        return 0
    nm, ng = generate(args.catalog, args.out)
    print(f"wrote {nm} models and {ng} GPUs to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
