// hf_config.cpp — a Hugging Face config.json (text) -> Architecture.
//
// Sections
//   1. Family table   — per model_type: config.json key names, class defaults, family flags
//   2. Field readers  — typed, non-throwing (the wasm build defines JSON_NOEXCEPTION)
//   3. parse_hf_config
//
// Defaults are those of the transformers configuration classes (configuration_<family>.py) for
// the keys real checkpoints leave out (Gemma 3 text_config omits heads/vocab, GPT-2 n_inner is
// null, Falcon-7B has no num_kv_heads). Flags that are not config keys (Qwen2's q/k/v biases,
// Gemma 2's four norms per layer, OLMoE's full-width q/k norms, gpt-oss sinks) follow the
// modeling_<family>.py files, the same choices as tools/gen_catalog.py's FAMILY table.
#include "hf_config.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace vramcalc {
namespace {

using nlohmann::json;

constexpr const char* kSupported =
    "llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe, deepseek_v2, deepseek_v3, gemma, gemma2, "
    "gemma3_text, gemma3, phi3, phimoe, gpt_oss, olmoe, gpt2, falcon, bloom";

// ---------------------------------------------------------------------------------------------
// 1. Family table
// ---------------------------------------------------------------------------------------------
enum class Moe : uint8_t {
    none,
    mixtral,    // num_local_experts, num_experts_per_tok, intermediate_size = expert width (Mixtral, PhiMoE)
    olmoe,      // num_experts, num_experts_per_tok, intermediate_size = expert width
    qwen,       // num_experts, num_experts_per_tok, moe_intermediate_size, decoder_sparse_step (+ shared)
    deepseek,   // n_routed_experts, num_experts_per_tok, moe_intermediate_size, n_shared_experts, first_k_dense_replace
    gpt_oss,    // num_local_experts, experts_per_token, intermediate_size = expert width
};

struct Family {
    const char* model_type;
    // config.json key names (nullptr: not a key of this family)
    const char* hidden;
    const char* layers;
    const char* heads;
    const char* kv_heads;
    const char* inter;          // nullptr: 4 x hidden (GPT-2 n_inner null, Falcon, BLOOM)
    const char* max_pos;
    // class defaults for absent keys (0: the key is required / no default)
    int64_t vocab_def;
    int64_t heads_def;
    int64_t kv_def;
    int64_t head_dim_def;
    int64_t max_pos_def;
    bool tie_def;
    // family flags (modeling_<family>.py)
    NormKind norm;
    MlpKind mlp;
    int norms_per_layer;
    bool qkv_bias;              // always (Qwen2 family, GPT-2, BLOOM)
    bool qk_norm;
    bool qk_norm_full;
    Moe moe;
};

constexpr NormKind R = NormKind::rms;
constexpr NormKind LN = NormKind::layernorm;
constexpr MlpKind G = MlpKind::gated;
constexpr MlpKind P = MlpKind::plain;

// clang-format off
constexpr Family kFamilies[] = {
  // model_type     hidden        layers              heads                  kv heads               inter                max_pos                   vocab   nh  nkv  hd   maxpos   tie    norm mlp n  qkvb   qkn    qkfull Moe
  {"llama",       "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 32000,  0,  0,   0,   2048,    false, R,  G,  2, false, false, false, Moe::none},
  {"mistral",     "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 32000,  0,  0,   0,   131072,  false, R,  G,  2, false, false, false, Moe::none},
  {"mixtral",     "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 32000,  0,  0,   0,   131072,  false, R,  G,  2, false, false, false, Moe::mixtral},
  {"qwen2",       "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 151936, 0,  0,   0,   32768,   false, R,  G,  2, true,  false, false, Moe::none},
  {"qwen2_moe",   "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 151936, 0,  0,   0,   32768,   false, R,  G,  2, true,  false, false, Moe::qwen},
  {"qwen3",       "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 151936, 0,  0,   128, 32768,   false, R,  G,  2, false, true,  false, Moe::none},
  {"qwen3_moe",   "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 151936, 0,  0,   128, 32768,   false, R,  G,  2, false, true,  false, Moe::qwen},
  {"deepseek_v2", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 102400, 0,  0,   0,   2048,    false, R,  G,  2, false, false, false, Moe::deepseek},
  {"deepseek_v3", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 129280, 0,  0,   0,   4096,    false, R,  G,  2, false, false, false, Moe::deepseek},
  {"gemma",       "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 256000, 0,  0,   256, 8192,    true,  R,  G,  2, false, false, false, Moe::none},
  {"gemma2",      "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 256000, 0,  0,   256, 8192,    true,  R,  G,  4, false, false, false, Moe::none},
  {"gemma3_text", "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 262208, 8,  4,   256, 131072,  true,  R,  G,  4, false, true,  false, Moe::none},
  {"phi3",        "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 32064,  0,  0,   0,   4096,    false, R,  G,  2, false, false, false, Moe::none},
  {"phimoe",      "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 32064,  0,  0,   0,   131072,  false, LN, G,  2, false, false, false, Moe::mixtral},
  {"gpt_oss",     "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 201088, 0,  0,   64,  131072,  false, R,  G,  2, true,  false, false, Moe::gpt_oss},
  {"olmoe",       "hidden_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads", "intermediate_size", "max_position_embeddings", 50304,  0,  0,   0,   4096,    false, R,  G,  2, false, true,  true,  Moe::olmoe},
  {"gpt2",        "n_embd",      "n_layer",           "n_head",              nullptr,               "n_inner",           "n_positions",             50257,  0,  0,   0,   1024,    true,  LN, P,  2, true,  false, false, Moe::none},
  {"falcon",      "hidden_size", "num_hidden_layers", "num_attention_heads", nullptr,               "ffn_hidden_size",   "max_position_embeddings", 65024,  0,  0,   0,   2048,    true,  LN, P,  1, false, false, false, Moe::none},
  {"bloom",       "n_embed",     "n_layer",           "n_head",              nullptr,               nullptr,             "seq_length",              250880, 0,  0,   0,   2048,    true,  LN, P,  2, true,  false, false, Moe::none},
};
// clang-format on

// Older config.json files name some keys differently (Falcon-7B: n_layer/n_head; BLOOM:
// hidden_size/num_attention_heads in later copies). Tried when the table's key is absent.
const char* alias_of(std::string_view key) {
    if (key == "num_hidden_layers") return "n_layer";
    if (key == "num_attention_heads") return "n_head";
    if (key == "n_embed") return "hidden_size";
    if (key == "n_head") return "num_attention_heads";
    if (key == "n_layer") return "num_hidden_layers";
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// 2. Field readers. Absent and null read as "not given"; a wrong type or a non-integral number
//    sets the error sentence.
// ---------------------------------------------------------------------------------------------
struct Reader {
    const json& o;
    std::string error;

    const json* find(const char* key) const {
        if (key == nullptr) return nullptr;
        auto it = o.find(key);
        if (it == o.end() || it->is_null()) {
            const char* alt = alias_of(key);
            if (alt == nullptr) return nullptr;
            it = o.find(alt);
            if (it == o.end() || it->is_null()) return nullptr;
        }
        return &*it;
    }

    // The integer under `key`, `def` when absent (def < 0: required).
    int64_t integer(const char* key, int64_t def) {
        if (!error.empty()) return 0;
        const json* v = find(key);
        if (v == nullptr) {
            if (def < 0) error = std::string("config.json has no \"") + (key ? key : "?") + "\", which this family needs.";
            return def < 0 ? 0 : def;
        }
        // Above INT64_MAX nlohmann stores an unsigned integer; read as int64 it turned negative
        // ("hidden_size is negative (-9223372036854775808)" for 2^63).
        if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
            error = std::string("\"") + key + "\" = " + v->dump() + " is not a plausible model size; check the value.";
            return 0;
        }
        if (v->is_number_integer()) return v->get<int64_t>();
        if (v->is_number_float()) {
            const double d = v->get<double>();
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) return static_cast<int64_t>(d);
        }
        error = std::string("\"") + key + "\" must be a whole number.";
        return 0;
    }

    bool boolean(const char* key, bool def) {
        if (!error.empty()) return def;
        const json* v = find(key);
        if (v == nullptr) return def;
        if (v->is_boolean()) return v->get<bool>();
        error = std::string("\"") + key + "\" must be true or false.";
        return def;
    }
};

std::string unknown_type(const std::string& t) {
    return "Unsupported model_type \"" + t + "\"; supported families: " + kSupported + ".";
}

Result<Architecture> from_object(const json& root, const json& o, const std::string& type) {
    const Family* f = nullptr;
    for (const Family& fam : kFamilies)
        if (type == fam.model_type) f = &fam;
    if (f == nullptr) return Result<Architecture>::fail(unknown_type(type));

    Reader r{o, {}};
    Architecture a;
    a.id = "custom";
    a.family = type;
    {
        // Shown in every output and written into the share link: one line of at most
        // kMaxDisplayText bytes, as the link reads it back (a newline or escape sequence in
        // _name_or_path broke the text header and made the printed link unreadable).
        const auto it = root.find("_name_or_path");
        a.name = (it != root.end() && it->is_string()) ? to_display_text(it->get<std::string>()) : std::string{};
        if (a.name.empty()) a.name = type;
    }
    a.hidden_size = r.integer(f->hidden, -1);
    a.num_hidden_layers = r.integer(f->layers, -1);
    a.num_attention_heads = r.integer(f->heads, f->heads_def > 0 ? f->heads_def : -1);
    a.vocab_size = r.integer("vocab_size", f->vocab_def);
    a.max_position_embeddings = r.integer(f->max_pos, f->max_pos_def);
    a.num_key_value_heads = f->kv_heads ? r.integer(f->kv_heads, f->kv_def) : 0;   // 0 -> = heads
    a.head_dim = r.integer("head_dim", f->head_dim_def);
    a.intermediate_size = f->inter ? r.integer(f->inter, 0) : 0;
    a.tie_word_embeddings = r.boolean("tie_word_embeddings", f->tie_def);
    a.norm = f->norm;
    a.mlp = f->mlp;
    a.norms_per_layer = f->norms_per_layer;
    a.qkv_bias = f->qkv_bias;
    a.qk_norm = f->qk_norm;
    a.qk_norm_full = f->qk_norm_full;

    // Llama/Mistral-style attention_bias (q,k,v,o biases) and mlp_bias (modeling_llama.py);
    // PhiMoE attention_bias likewise (modeling_phimoe.py); Qwen3 attention_bias on q/k/v/o.
    if (r.boolean("attention_bias", false)) {
        a.qkv_bias = true;
        a.o_bias = true;
    }
    if (r.boolean("mlp_bias", false)) a.mlp_bias = true;
    // Gemma 2 (modeling_gemma2.py): tanh soft-capping of attention scores and final logits, on
    // when the config gives a positive cap (null or absent: off).
    auto positive = [&](const char* key) {
        const json* v = r.find(key);
        return v != nullptr && v->is_number() && v->get<double>() > 0;
    };
    a.attn_softcap = positive("attn_logit_softcapping");
    a.final_softcap = positive("final_logit_softcapping");
    // Training dropout in HF modeling code: BERT hidden_dropout_prob / attention_probs_dropout_prob,
    // GPT-2 resid_pdrop / attn_pdrop, T5 dropout_rate, Llama-style attention_dropout (usually 0).
    // The families' config defaults apply when the keys are absent (BERT, GPT-2, T5: 0.1).
    const bool dropout_family = type == "bert" || type == "gpt2" || type == "t5" || type == "mt5";
    bool any_key = false, any_on = false;
    for (const char* key : {"hidden_dropout_prob", "attention_probs_dropout_prob", "resid_pdrop", "attn_pdrop",
                            "dropout_rate", "attention_dropout", "hidden_dropout"}) {
        const json* v = r.find(key);
        if (v == nullptr || !v->is_number()) continue;
        any_key = true;
        any_on |= v->get<double>() > 0;
    }
    a.dropout = any_key ? any_on : dropout_family;

    if (type == "gpt2") {
        // modeling_gpt2.py: Conv1D with biases everywhere, learned wpe, n_inner null -> 4h.
        a.o_bias = a.mlp_bias = a.learned_pos_emb = true;
        a.tie_word_embeddings = true;
        if (a.intermediate_size == 0) a.intermediate_size = 4 * a.hidden_size;
    } else if (type == "falcon") {
        // modeling_falcon.py: new_decoder_architecture -> num_kv_heads groups and (unless
        // num_ln_in_parallel_attn == 1) ln_attn + ln_mlp; else multi_query -> 1 KV head, one
        // input_layernorm when parallel_attn, two norms otherwise. `bias` adds all linear biases.
        const bool new_arch = r.boolean("new_decoder_architecture", false);
        const bool multi_query = r.boolean("multi_query", true);
        a.parallel_attn_mlp = r.boolean("parallel_attn", true) || new_arch;
        if (new_arch) {
            a.num_key_value_heads = r.integer("num_kv_heads", a.num_attention_heads);
            a.norms_per_layer = r.integer("num_ln_in_parallel_attn", 2) == 1 ? 1 : 2;
        } else {
            a.num_key_value_heads = multi_query ? 1 : a.num_attention_heads;
            a.norms_per_layer = a.parallel_attn_mlp ? 1 : 2;
        }
        if (r.boolean("bias", false)) a.qkv_bias = a.o_bias = a.mlp_bias = true;
        if (a.intermediate_size == 0) a.intermediate_size = 4 * a.hidden_size;
    } else if (type == "bloom") {
        // modeling_bloom.py: biases everywhere, ALiBi, word_embeddings_layernorm (2h) -> extra.
        a.o_bias = a.mlp_bias = true;
        a.intermediate_size = 4 * a.hidden_size;
        a.extra_params = 2 * a.hidden_size;
    } else if (type == "phimoe") {
        // modeling_phimoe.py: lm_head = Linear(h, V, bias=lm_head_bias) -> V extra parameters.
        if (r.boolean("lm_head_bias", false)) a.extra_params = a.vocab_size;
    } else if (type == "gpt_oss") {
        // modeling_gpt_oss.py: q/k/v/o biases, one sink per head, router and expert biases.
        a.o_bias = true;
        a.attention_sinks = a.num_attention_heads;
        a.router_bias = a.expert_bias = true;
    }

    switch (f->moe) {
        case Moe::none: break;
        case Moe::mixtral:
            a.num_experts = r.integer("num_local_experts", 8);
            a.num_experts_per_tok = r.integer("num_experts_per_tok", 2);
            a.moe_intermediate_size = a.intermediate_size;
            break;
        case Moe::olmoe:
            a.num_experts = r.integer("num_experts", 64);
            a.num_experts_per_tok = r.integer("num_experts_per_tok", 8);
            a.moe_intermediate_size = a.intermediate_size;
            break;
        case Moe::gpt_oss:
            a.num_experts = r.integer("num_local_experts", -1);
            a.num_experts_per_tok = r.integer("experts_per_token", r.integer("num_experts_per_tok", 4));
            a.moe_intermediate_size = a.intermediate_size;
            break;
        case Moe::qwen: {
            // modeling_qwen2_moe.py / modeling_qwen3_moe.py: layer i sparse iff
            // (i+1) % decoder_sparse_step == 0 and i not in mlp_only_layers.
            a.num_experts = r.integer("num_experts", -1);
            a.num_experts_per_tok = r.integer("num_experts_per_tok", -1);
            a.moe_intermediate_size = r.integer("moe_intermediate_size", -1);
            a.decoder_sparse_step = r.integer("decoder_sparse_step", 1);
            if (type == "qwen2_moe") {
                a.shared_expert_intermediate_size = r.integer("shared_expert_intermediate_size", 0);
                a.shared_expert_gate = a.shared_expert_intermediate_size > 0;
            }
            const auto it = o.find("mlp_only_layers");
            if (it != o.end() && it->is_array() && !it->empty())
                return Result<Architecture>::fail(
                    "mlp_only_layers lists dense layers inside an MoE stack, which this calculator does not model.");
            break;
        }
        case Moe::deepseek: {
            // modeling_deepseek.py: MLA, n_shared_experts, first_k_dense_replace, moe_layer_freq;
            // V3 adds e_score_correction_bias (one per routed expert). The MTP layer
            // (num_nextn_predict_layers) is not part of the model as HF loads it; not counted.
            a.num_experts = r.integer("n_routed_experts", -1);
            a.num_experts_per_tok = r.integer("num_experts_per_tok", -1);
            a.moe_intermediate_size = r.integer("moe_intermediate_size", -1);
            a.n_shared_experts = r.integer("n_shared_experts", 0);
            a.first_k_dense_replace = r.integer("first_k_dense_replace", 0);
            a.q_lora_rank = r.integer("q_lora_rank", 0);
            a.kv_lora_rank = r.integer("kv_lora_rank", -1);
            a.qk_nope_head_dim = r.integer("qk_nope_head_dim", -1);
            a.qk_rope_head_dim = r.integer("qk_rope_head_dim", -1);
            a.v_head_dim = r.integer("v_head_dim", -1);
            a.router_bias = type == "deepseek_v3";
            a.head_dim = 0;   // MLA: head sizes come from the fields above
            if (r.error.empty() && r.integer("moe_layer_freq", 1) != 1)
                return Result<Architecture>::fail("moe_layer_freq other than 1 is not modelled.");
            break;
        }
    }
    if (!r.error.empty()) return Result<Architecture>::fail(r.error);
    if (a.num_key_value_heads == 0) a.num_key_value_heads = a.num_attention_heads;

    std::string why = validate(a);
    if (!why.empty()) return Result<Architecture>::fail("config.json (" + type + "): " + why);
    return Result<Architecture>::ok(std::move(a));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 3. parse_hf_config
// ---------------------------------------------------------------------------------------------
Result<Architecture> parse_hf_config(std::string_view json_text) {
    const json doc = json::parse(json_text.begin(), json_text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Result<Architecture>::fail("The config.json text is not valid JSON.");
    if (!doc.is_object()) return Result<Architecture>::fail("A config.json must be a JSON object.");
    const auto mt = doc.find("model_type");
    if (mt == doc.end() || !mt->is_string())
        return Result<Architecture>::fail(std::string("config.json has no \"model_type\"; supported families: ") +
                                          kSupported + ".");
    const std::string type = mt->get<std::string>();
    if (type == "gemma3") {
        // Gemma 3 multimodal checkpoints: the decoder lives under text_config (gemma3_text); the
        // vision tower is not counted.
        const auto tc = doc.find("text_config");
        if (tc == doc.end() || !tc->is_object())
            return Result<Architecture>::fail("A gemma3 config.json needs a \"text_config\" object.");
        Result<Architecture> res = from_object(doc, *tc, "gemma3_text");
        if (res) res.value->family = "gemma3";
        return res;
    }
    return from_object(doc, doc, type);
}

}  // namespace vramcalc
