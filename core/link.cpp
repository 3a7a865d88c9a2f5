// link.cpp — TrainingConfig <-> URL fragment.
//
// Sections
//   1. Small text helpers   — percent-coding, numbers in and out (no exceptions, no locale)
//   2. Train layers
//   3. The key table        — one row per key: how to write it and how to read it back
//   4. to_link / from_link
//
// Writing: a key appears iff its written text differs from a default TrainingConfig's, so the
// default configuration is exactly "#v=1" and a link read back writes the same text again.
// Reading is one pass over the fragment (linear in its length); every value is checked against
// link.h's limits, and a value that fails keeps the default and is named in `ignored`.
#include "link.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "architecture.h"
#include "catalog.h"

namespace vramcalc {

namespace {

// ---------------------------------------------------------------------------------------------
// 1. Text helpers
// ---------------------------------------------------------------------------------------------
// Longer values are refused before any parsing: room for a name of kMaxDisplayText bytes with
// every byte percent-encoded (to_link writes non-ASCII names so).
constexpr size_t kMaxValueLength = 3 * kMaxDisplayText;
constexpr size_t kMaxIgnored = 24;          // notices kept; the rest are counted

bool is_unreserved(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' ||
           ch == '.' || ch == '_' || ch == '~' || ch == ',' || ch == ':';
}

std::string percent_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (const char c : s) {
        const auto ch = static_cast<unsigned char>(c);
        if (is_unreserved(ch)) {
            out += c;
        } else {
            out += '%';
            out += kHex[ch >> 4];
            out += kHex[ch & 15];
        }
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "%41" -> "A"; a '%' not followed by two hex digits is kept as it is.
std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += s[i];
    }
    return out;
}

// For notices: printable, short.
std::string shown(std::string_view s) {
    std::string out;
    for (const char c : s.substr(0, 40)) {
        const auto ch = static_cast<unsigned char>(c);
        out += (ch >= 0x20 && ch < 0x7f) ? c : '?';
    }
    if (s.size() > 40) out += "...";
    return out;
}

std::string fmt_int(int64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
}

// The shortest of %.15g/%.16g/%.17g that reads back to the same double; no '+' in exponents.
std::string fmt_double(double v) {
    char buf[40];
    for (int digits = 15; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string out;
    for (const char* p = buf; *p; ++p)
        if (*p != '+') out += *p;
    return out;
}

// A catalog-style id: lower-case letters, digits, '-', '.', '_' (1..80 characters).
bool is_id(std::string_view s) {
    if (s.empty() || s.size() > 80) return false;
    for (const char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) return false;
    return true;
}

std::string range_why(const char* what, double lo, double hi) {
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s must be %.15g..%.15g", what, lo, hi);
    return buf;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 2. Train layers
// ---------------------------------------------------------------------------------------------
std::optional<LayerRange> parse_train_layers(std::string_view s, int64_t num_layers) {
    const auto number = [](std::string_view t) -> std::optional<int> {
        const auto v = parse_integer(t);
        if (!v || *v < 0 || *v > limits::kMaxLayers) return std::nullopt;
        return static_cast<int>(*v);
    };
    if (s == "all") return LayerRange{};
    if (s.starts_with("first:")) {
        const auto n = number(s.substr(6));
        if (!n || *n < 1) return std::nullopt;
        return LayerRange{0, *n};
    }
    if (s.starts_with("from:")) {
        const auto a = number(s.substr(5));
        if (!a) return std::nullopt;
        return LayerRange{*a, -1};
    }
    if (s.starts_with("last:")) {
        const auto n = number(s.substr(5));
        if (!n || *n < 1 || num_layers <= 0 || *n > num_layers) return std::nullopt;
        return LayerRange{static_cast<int>(num_layers - *n), -1};
    }
    const size_t dash = s.find('-');
    if (dash == std::string_view::npos) {   // one layer: "5"
        const auto a = number(s);
        if (!a) return std::nullopt;
        return LayerRange{*a, *a + 1};
    }
    const auto a = number(s.substr(0, dash)), b = number(s.substr(dash + 1));
    if (!a || !b || *b < *a) return std::nullopt;
    return LayerRange{*a, *b + 1};
}

std::string format_train_layers(int begin, int end) {
    if (end < 0) return begin <= 0 ? "all" : "from:" + fmt_int(begin);
    return fmt_int(begin) + "-" + fmt_int(end - 1);
}

namespace {

// ---------------------------------------------------------------------------------------------
// 3. The key table. get: the value as written ("" = not written); set: empty or why it failed.
// ---------------------------------------------------------------------------------------------
enum class Group : uint8_t { training, catalog_model, params_model, architecture };

struct Field {
    std::string_view key;
    Group group;
    std::string (*get)(const TrainingConfig&);
    std::string (*set)(TrainingConfig&, std::string_view);
};

// Core's set_* (config.h) say what would be valid; a link notice also names the field.
std::string named(const char* what, std::string why) { return why.empty() ? why : std::string(what) + " " + why; }
std::string get_all_or_int(int v) { return v < 0 ? "all" : fmt_int(v); }
// "catalog" puts back the sentinel that means "the GPU catalog's figure"; else a number 0..hi.
std::string set_catalog_or_number(double& out, std::string_view v, double catalog, const char* what, double hi) {
    if (v == "catalog") {
        out = catalog;
        return std::string{};
    }
    return named(what, set_number(out, v, 0, hi));
}
// "unknown model id (did you mean llama-3.1-8b?)", or without the question when nothing is near.
std::string did_you_mean(const char* what, const std::string& near) {
    return near.empty() ? std::string(what) : std::string(what) + " (did you mean " + near + "?)";
}

// Generic rows over a member pointer.
template <auto M>
Field bool_field(std::string_view key) {
    return {key, Group::training, [](const TrainingConfig& c) { return std::string(c.*M ? "1" : "0"); },
            [](TrainingConfig& c, std::string_view v) { return set_bool(c.*M, v); }};
}
template <auto M>
Field enum_field(std::string_view key) {
    return {key, Group::training, [](const TrainingConfig& c) { return std::string(name_of(c.*M)); },
            [](TrainingConfig& c, std::string_view v) { return set_enum(c.*M, v); }};
}

// Architecture fields: written only for a custom architecture and only when non-zero.
template <auto M, int64_t Hi>
Field arch_int(std::string_view key) {
    return {key, Group::architecture,
            [](const TrainingConfig& c) {
                const int64_t v = c.model.arch.*M;
                return (c.model.kind == ModelKind::architecture && v != Architecture{}.*M) ? fmt_int(v)
                                                                                          : std::string{};
            },
            [](TrainingConfig& c, std::string_view v) {
                const auto x = parse_integer(v);
                if (!x || *x < 0 || *x > Hi) return range_why("value", 0, static_cast<double>(Hi));
                c.model.arch.*M = *x;
                return std::string{};
            }};
}
template <auto M>
Field arch_bool(std::string_view key) {
    return {key, Group::architecture,
            [](const TrainingConfig& c) {
                const bool v = c.model.arch.*M;
                return (c.model.kind == ModelKind::architecture && v != Architecture{}.*M)
                           ? std::string(v ? "1" : "0")
                           : std::string{};
            },
            [](TrainingConfig& c, std::string_view v) { return set_bool(c.model.arch.*M, v); }};
}
template <auto M>
Field arch_text(std::string_view key) {
    return {key, Group::architecture,
            [](const TrainingConfig& c) {
                return c.model.kind == ModelKind::architecture ? c.model.arch.*M : std::string{};
            },
            [](TrainingConfig& c, std::string_view v) {
                // Also refuses bytes that are not UTF-8 (%FF), which no output could print as text.
                std::string why = display_text_problem(v);
                if (why.empty()) c.model.arch.*M = std::string(v);
                return why;
            }};
}

std::string get_params(const TrainingConfig& c, int64_t v, bool always) {
    if (c.model.kind != ModelKind::params || (!always && v == 0)) return {};
    return fmt_int(v);
}
std::string set_params(int64_t& out, std::string_view v, int64_t lo) {
    const auto x = parse_count(v);
    if (!x || *x < lo || *x > limits::kMaxParams)
        return "must be a count such as 7B, 7e9 or 7000000000 (" + std::string(lo > 0 ? "1M" : "0") + "..100T)";
    out = *x;
    return {};
}

const std::vector<Field>& fields() {
    using C = TrainingConfig;
    using A = Architecture;
    static const std::vector<Field> table = {
        // Model: a catalog id, bare counts, or an architecture by its fields.
        {"m", Group::catalog_model,
         [](const C& c) { return c.model.kind == ModelKind::catalog ? c.model.id : std::string{}; },
         [](C& c, std::string_view v) {
             if (!is_id(v) || !find_model(v)) return did_you_mean("unknown model id", suggest_model(v));
             c.model.id = std::string(v);
             return std::string{};
         }},
        {"P", Group::params_model, [](const C& c) { return get_params(c, c.model.params_total, true); },
         [](C& c, std::string_view v) { return set_params(c.model.params_total, v, limits::kMinParams); }},
        {"Pa", Group::params_model, [](const C& c) { return get_params(c, c.model.params_active, false); },
         [](C& c, std::string_view v) { return set_params(c.model.params_active, v, 0); }},
        {"Ps", Group::params_model, [](const C& c) { return get_params(c, c.model.params_shared, false); },
         [](C& c, std::string_view v) { return set_params(c.model.params_shared, v, 0); }},
        arch_text<&A::family>("fam"),
        arch_text<&A::name>("nm"),
        arch_int<&A::vocab_size, 16'000'000>("V"),
        arch_int<&A::hidden_size, 262'144>("h"),
        arch_int<&A::intermediate_size, 2'097'152>("ff"),
        arch_int<&A::num_hidden_layers, 4096>("L"),
        arch_int<&A::num_encoder_layers, 4096>("Le"),
        arch_int<&A::num_attention_heads, 65536>("heads"),
        arch_int<&A::num_key_value_heads, 65536>("kv"),
        arch_int<&A::head_dim, 65536>("hd"),
        arch_int<&A::max_position_embeddings, 100'000'000>("pos"),
        arch_bool<&A::tie_word_embeddings>("tie"),
        arch_bool<&A::learned_pos_emb>("lpe"),
        arch_int<&A::token_type_vocab, 65536>("ttv"),
        {"norm", Group::architecture,
         [](const C& c) {
             return (c.model.kind == ModelKind::architecture && c.model.arch.norm == NormKind::layernorm)
                        ? std::string("layernorm")
                        : std::string{};
         },
         [](C& c, std::string_view v) {
             if (v == "rms") c.model.arch.norm = NormKind::rms;
             else if (v == "layernorm") c.model.arch.norm = NormKind::layernorm;
             else return std::string("must be rms or layernorm");
             return std::string{};
         }},
        {"mlp", Group::architecture,
         [](const C& c) {
             return (c.model.kind == ModelKind::architecture && c.model.arch.mlp == MlpKind::plain)
                        ? std::string("plain")
                        : std::string{};
         },
         [](C& c, std::string_view v) {
             if (v == "gated") c.model.arch.mlp = MlpKind::gated;
             else if (v == "plain") c.model.arch.mlp = MlpKind::plain;
             else return std::string("must be gated or plain");
             return std::string{};
         }},
        {"npl", Group::architecture,
         [](const C& c) {
             return (c.model.kind == ModelKind::architecture && c.model.arch.norms_per_layer != 2)
                        ? fmt_int(c.model.arch.norms_per_layer)
                        : std::string{};
         },
         [](C& c, std::string_view v) { return named("norms per layer", set_int(c.model.arch.norms_per_layer, v, 0, 16)); }},
        arch_bool<&A::qkv_bias>("qkvb"),
        arch_bool<&A::o_bias>("ob"),
        arch_bool<&A::mlp_bias>("mlpb"),
        arch_bool<&A::qk_norm>("qkn"),
        arch_bool<&A::qk_norm_full>("qknf"),
        arch_bool<&A::parallel_attn_mlp>("par"),
        arch_bool<&A::attn_softcap>("sca"),
        arch_bool<&A::final_softcap>("scf"),
        arch_bool<&A::dropout>("drop"),
        arch_int<&A::attention_sinks, 65536>("sink"),
        arch_int<&A::num_experts, 65536>("E"),
        arch_int<&A::num_experts_per_tok, 65536>("k"),
        arch_int<&A::moe_intermediate_size, 2'097'152>("eff"),
        arch_int<&A::n_shared_experts, 1024>("se"),
        arch_int<&A::shared_expert_intermediate_size, 2'097'152>("sff"),
        arch_bool<&A::shared_expert_gate>("seg"),
        arch_int<&A::first_k_dense_replace, 4096>("fkd"),
        arch_int<&A::decoder_sparse_step, 4096>("dss"),
        arch_bool<&A::router_bias>("rb"),
        arch_bool<&A::expert_bias>("eb"),
        arch_int<&A::q_lora_rank, 262'144>("qlr"),
        arch_int<&A::kv_lora_rank, 262'144>("kvlr"),
        arch_int<&A::qk_nope_head_dim, 65536>("nope"),
        arch_int<&A::qk_rope_head_dim, 65536>("rope"),
        arch_int<&A::v_head_dim, 65536>("vhd"),
        arch_int<&A::extra_params, limits::kMaxExtraParams>("xp"),

        // Method
        enum_field<&C::method>("meth"),
        {"r", Group::training, [](const C& c) { return fmt_int(c.lora_rank); },
         [](C& c, std::string_view v) { return named("rank", set_int(c.lora_rank, v, 1, limits::kMaxRank)); }},
        {"a", Group::training, [](const C& c) { return fmt_double(c.lora_alpha); },
         [](C& c, std::string_view v) { return named("alpha", set_number(c.lora_alpha, v, 0, limits::kMaxAlpha, true)); }},
        {"tg", Group::training, [](const C& c) { return targets_to_string(c.lora_targets); },
         [](C& c, std::string_view v) {
             const auto m = parse_targets(v);
             if (!m) return std::string("targets must be a comma list of q,k,v,o,gate,up,down,experts,shared,router");
             c.lora_targets = *m;
             return std::string{};
         }},
        {"le", Group::training, [](const C& c) { return get_all_or_int(c.lora_experts); },
         [](C& c, std::string_view v) { return named("experts", set_all_or_int(c.lora_experts, v, limits::kMaxExperts)); }},
        bool_field<&C::lora_dropout>("ldo"),
        bool_field<&C::use_dora>("dora"),
        bool_field<&C::lora_fa>("lfa"),
        enum_field<&C::adapter>("ad"),
        {"tt", Group::training, [](const C& c) { return fmt_int(c.trainable_tokens); },
         [](C& c, std::string_view v) { return named("trainable tokens", set_int(c.trainable_tokens, v, 0, limits::kMaxTrainableTokens)); }},
        {"vt", Group::training, [](const C& c) { return fmt_int(c.virtual_tokens); },
         [](C& c, std::string_view v) { return named("virtual tokens", set_int(c.virtual_tokens, v, 1, limits::kMaxVirtualTokens)); }},
        bool_field<&C::bnb_pre_044>("bnbold"),
        {"qb", Group::training, [](const C& c) { return fmt_int(c.quant_bits); },
         [](C& c, std::string_view v) {
             if (v == "4") c.quant_bits = 4;
             else if (v == "8") c.quant_bits = 8;
             else return std::string("quantization bits must be 4 or 8");
             return std::string{};
         }},
        bool_field<&C::double_quant>("dq"),
        {"tl", Group::training, [](const C& c) { return format_train_layers(c.train_layer_begin, c.train_layer_end); },
         [](C& c, std::string_view v) {
             const auto r = parse_train_layers(v);
             if (!r) return std::string("train layers must be all, A-B, first:N or from:A");
             c.train_layer_begin = r->begin;
             c.train_layer_end = r->end;
             return std::string{};
         }},
        {"te", Group::training, [](const C& c) { return get_all_or_int(c.train_experts); },
         [](C& c, std::string_view v) { return named("experts", set_all_or_int(c.train_experts, v, limits::kMaxExperts)); }},
        bool_field<&C::train_attention>("tatt"),
        bool_field<&C::train_mlp>("tmlp"),
        bool_field<&C::train_router>("trt"),
        bool_field<&C::train_norms>("tnrm"),
        bool_field<&C::train_embeddings>("temb"),
        bool_field<&C::train_lm_head>("thd"),

        // Precision and optimizer
        enum_field<&C::precision>("prec"),
        enum_field<&C::optimizer>("opt"),
        {"gr", Group::training, [](const C& c) { return fmt_int(c.galore_rank); },
         [](C& c, std::string_view v) { return named("GaLore rank", set_int(c.galore_rank, v, 1, limits::kMaxRank)); }},
        enum_field<&C::state_dtype>("sd"),
        enum_field<&C::optimizer_impl>("oimp"),
        bool_field<&C::grads_set_to_none>("stn"),

        // Batch and activations
        {"mb", Group::training, [](const C& c) { return fmt_int(c.micro_batch); },
         [](C& c, std::string_view v) { return named("micro-batch", set_int(c.micro_batch, v, 1, limits::kMaxMicroBatch)); }},
        {"s", Group::training, [](const C& c) { return fmt_int(c.seq_len); },
         [](C& c, std::string_view v) { return named("sequence length", set_int(c.seq_len, v, 1, limits::kMaxSeqLen)); }},
        {"ga", Group::training, [](const C& c) { return fmt_int(c.grad_accum); },
         [](C& c, std::string_view v) { return named("gradient accumulation", set_int(c.grad_accum, v, 1, limits::kMaxGradAccum)); }},
        enum_field<&C::grad_checkpointing>("ck"),
        enum_field<&C::attention>("attn"),
        enum_field<&C::task>("task"),
        bool_field<&C::chunked_ce>("cce"),
        bool_field<&C::fused_linear_ce>("flce"),
        bool_field<&C::activation_offload>("aoff"),
        bool_field<&C::compile>("cmp"),
        bool_field<&C::optimizer_in_backward>("oib"),
        enum_field<&C::framework>("fw"),

        // Parallelism
        {"n", Group::training, [](const C& c) { return fmt_int(c.gpus); },
         [](C& c, std::string_view v) { return named("GPUs", set_int(c.gpus, v, 1, limits::kMaxGpus)); }},
        {"z", Group::training, [](const C& c) { return fmt_int(c.zero_stage); },
         [](C& c, std::string_view v) { return named("ZeRO stage", set_int(c.zero_stage, v, 0, 3)); }},
        bool_field<&C::offload_optimizer>("oo"),
        bool_field<&C::offload_params>("op"),
        {"tp", Group::training, [](const C& c) { return fmt_int(c.tp); },
         [](C& c, std::string_view v) { return named("tensor parallel", set_int(c.tp, v, 1, limits::kMaxParallel)); }},
        {"pp", Group::training, [](const C& c) { return fmt_int(c.pp); },
         [](C& c, std::string_view v) { return named("pipeline parallel", set_int(c.pp, v, 1, limits::kMaxParallel)); }},
        {"ep", Group::training, [](const C& c) { return fmt_int(c.ep); },
         [](C& c, std::string_view v) { return named("expert parallel", set_int(c.ep, v, 1, limits::kMaxParallel)); }},

        // Hardware, time and cost
        {"gpu", Group::training, [](const C& c) { return c.gpu_id; },
         [](C& c, std::string_view v) {
             if (!is_id(v) || !find_gpu(v)) return did_you_mean("unknown GPU id", suggest_gpu(v));
             c.gpu_id = std::string(v);
             return std::string{};
         }},
        {"tok", Group::training, [](const C& c) { return fmt_double(c.tokens); },
         [](C& c, std::string_view v) {
             std::optional<double> n = parse_number(v);
             if (!n) {
                 if (const auto count = parse_count(v)) n = static_cast<double>(*count);
             }
             if (!n || *n < 0 || *n > limits::kMaxTokens)
                 return std::string("tokens must be a count such as 1B or 2e9 (0..1e16)");
             c.tokens = *n;
             return std::string{};
         }},
        {"mfu", Group::training, [](const C& c) { return fmt_double(c.mfu); },
         [](C& c, std::string_view v) { return named("MFU", set_mfu(c.mfu, v, limits::kMinMfu)); }},
        {"tf", Group::training, [](const C& c) { return c.peak_tflops <= 0 ? std::string("catalog") : fmt_double(c.peak_tflops); },
         [](C& c, std::string_view v) { return set_catalog_or_number(c.peak_tflops, v, 0, "peak TFLOPS", limits::kMaxTflops); }},
        {"price", Group::training, [](const C& c) { return c.price_per_gpu_hour < 0 ? std::string("catalog") : fmt_double(c.price_per_gpu_hour); },
         [](C& c, std::string_view v) {
             return set_catalog_or_number(c.price_per_gpu_hour, v, -1, "price per GPU-hour", limits::kMaxPrice);
         }},
        {"pue", Group::training, [](const C& c) { return fmt_double(c.pue); },
         [](C& c, std::string_view v) { return named("PUE", set_number(c.pue, v, limits::kMinPue, limits::kMaxPue)); }},
        {"pw", Group::training, [](const C& c) { return fmt_double(c.gpu_power_fraction); },
         [](C& c, std::string_view v) {
             return named("power fraction", set_number(c.gpu_power_fraction, v, 0, limits::kMaxPowerFraction, true));
         }},
    };
    return table;
}

const Field* find_field(std::string_view key) {
    for (const auto& f : fields())
        if (f.key == key) return &f;
    return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 4. to_link / from_link
// ---------------------------------------------------------------------------------------------
std::string to_link(const TrainingConfig& c) {
    static const TrainingConfig kDefault{};
    std::string out = "#v=" + fmt_int(kLinkVersion);
    for (const auto& f : fields()) {
        const std::string v = f.get(c);
        if (v.empty() || v == f.get(kDefault)) continue;
        out += '&';
        out += f.key;
        out += '=';
        out += percent_encode(v);
    }
    return out;
}

LinkParse from_link(std::string_view fragment, const TrainingConfig& defaults) {
    LinkParse r;
    r.config = defaults;
    size_t dropped = 0;
    const auto note = [&](std::string s) {
        if (r.ignored.size() < kMaxIgnored) r.ignored.push_back(std::move(s));
        else ++dropped;
    };

    if (const size_t hash = fragment.find('#'); hash != std::string_view::npos) fragment.remove_prefix(hash + 1);

    // Model keys are gathered apart: which kind of model the link names is decided at the end.
    TrainingConfig model_scratch;
    model_scratch.model = ModelSpec{};
    bool seen[4] = {false, false, false, false};   // by Group

    while (!fragment.empty()) {
        const size_t amp = fragment.find('&');
        const std::string_view item = fragment.substr(0, amp);
        fragment = amp == std::string_view::npos ? std::string_view{} : fragment.substr(amp + 1);
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        const std::string key = percent_decode(item.substr(0, std::min(eq, size_t{64})));
        const std::string_view raw = eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
        if (key == "v") {
            if (raw != "1") note("v=" + shown(raw) + ": version " + fmt_int(kLinkVersion) + " expected; read as such");
            continue;
        }
        const Field* f = find_field(key);
        if (!f) {
            note(shown(key) + ": unknown key");
            continue;
        }
        if (eq == std::string_view::npos || raw.size() > kMaxValueLength) {
            note(shown(key) + (raw.size() > kMaxValueLength ? ": value too long" : ": no value"));
            continue;
        }
        const std::string value = percent_decode(raw);
        const bool model_key = f->group != Group::training;
        TrainingConfig& target = model_key ? model_scratch : r.config;
        const std::string why = f->set(target, value);
        if (!why.empty()) {
            note(shown(key) + "=" + shown(value) + ": " + why);
            continue;
        }
        seen[static_cast<int>(f->group)] = true;
    }

    // Decide the model: an architecture beats bare counts, which beat a catalog id.
    const bool by_arch = seen[static_cast<int>(Group::architecture)];
    const bool by_params = seen[static_cast<int>(Group::params_model)];
    const bool by_id = seen[static_cast<int>(Group::catalog_model)];
    if (by_arch) {
        Architecture a = model_scratch.model.arch;
        if (a.id.empty()) a.id = "custom";
        if (a.name.empty()) a.name = "custom";
        std::string why = validate(a);
        while (!why.empty() && (why.back() == '.' || why.back() == ' ')) why.pop_back();
        if (!why.empty()) {
            note("architecture: " + why + "; the default model is used");
        } else {
            r.config.model = ModelSpec{};
            r.config.model.kind = ModelKind::architecture;
            r.config.model.arch = std::move(a);
        }
        if (by_params || by_id) note("m/P: ignored, the link also describes an architecture");
    } else if (by_params) {
        const ModelSpec& s = model_scratch.model;
        if (s.params_total <= 0) {
            note("Pa/Ps: ignored without P (the total parameter count)");
        } else if (s.params_active > s.params_total || s.params_shared > s.params_total) {
            note("Pa/Ps: must not exceed P; the default model is used");
        } else {
            r.config.model = ModelSpec{};
            r.config.model.kind = ModelKind::params;
            r.config.model.params_total = s.params_total;
            r.config.model.params_active = s.params_active;
            r.config.model.params_shared = s.params_shared;
        }
        if (by_id) note("m: ignored, the link also gives a parameter count");
    } else if (by_id) {
        r.config.model = ModelSpec{};
        r.config.model.id = model_scratch.model.id;
    }
    if (dropped > 0) r.ignored.push_back("... and " + fmt_int(static_cast<int64_t>(dropped)) + " more");
    return r;
}

}  // namespace vramcalc
