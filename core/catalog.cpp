// catalog.cpp — the model and GPU catalogs (assets/*.json, see tools/gen_catalog.py).
//
// Sections
//   1. Tables      — generated at build time by tools/catalog_cpp.py into constant data
//   2. Entries     — ModelEntry / Gpu built from the rows once, on first use (function-local statics)
//   3. Lookups     — find_*, suggest_* (edit distance + substring)
#include "catalog.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "catalog_rows.h"   // build/generated, from assets/*.json

namespace vramcalc {
namespace {

namespace rows = catalog_rows;

// ---------------------------------------------------------------------------------------------
// 2. Entries
// ---------------------------------------------------------------------------------------------
Architecture arch_from_row(const rows::ModelRow& r) {
    Architecture a;
    a.id = r.id;
    a.family = r.family;
    a.name = r.name;
    a.vocab_size = r.vocab_size;
    a.hidden_size = r.hidden_size;
    a.intermediate_size = r.intermediate_size;
    a.num_hidden_layers = r.num_hidden_layers;
    a.num_encoder_layers = r.num_encoder_layers;
    a.num_attention_heads = r.num_attention_heads;
    a.num_key_value_heads = r.num_key_value_heads;
    a.head_dim = r.head_dim;
    a.max_position_embeddings = r.max_position_embeddings;
    a.tie_word_embeddings = r.tie_word_embeddings;
    a.learned_pos_emb = r.learned_pos_emb;
    a.token_type_vocab = r.token_type_vocab;
    a.norm = std::strcmp(r.norm, "layernorm") == 0 ? NormKind::layernorm : NormKind::rms;
    a.mlp = std::strcmp(r.mlp, "plain") == 0 ? MlpKind::plain : MlpKind::gated;
    a.norms_per_layer = static_cast<int>(r.norms_per_layer);
    a.qkv_bias = r.qkv_bias;
    a.o_bias = r.o_bias;
    a.mlp_bias = r.mlp_bias;
    a.qk_norm = r.qk_norm;
    a.qk_norm_full = r.qk_norm_full;
    a.parallel_attn_mlp = r.parallel_attn_mlp;
    a.attn_softcap = r.attn_softcap;
    a.final_softcap = r.final_softcap;
    a.dropout = r.dropout;
    a.attention_sinks = r.attention_sinks;
    a.num_experts = r.num_experts;
    a.num_experts_per_tok = r.num_experts_per_tok;
    a.moe_intermediate_size = r.moe_intermediate_size;
    a.n_shared_experts = r.n_shared_experts;
    a.shared_expert_intermediate_size = r.shared_expert_intermediate_size;
    a.shared_expert_gate = r.shared_expert_gate;
    a.first_k_dense_replace = r.first_k_dense_replace;
    a.decoder_sparse_step = r.decoder_sparse_step;
    a.router_bias = r.router_bias;
    a.expert_bias = r.expert_bias;
    a.q_lora_rank = r.q_lora_rank;
    a.kv_lora_rank = r.kv_lora_rank;
    a.qk_nope_head_dim = r.qk_nope_head_dim;
    a.qk_rope_head_dim = r.qk_rope_head_dim;
    a.v_head_dim = r.v_head_dim;
    a.extra_params = r.extra_params;
    a.reference_total_params = r.reference_total_params;
    a.reference_active_params = r.reference_active_params;
    return a;
}

const std::vector<ModelEntry>& model_list() {
    static const std::vector<ModelEntry> list = [] {
        std::vector<ModelEntry> v;
        v.reserve(rows::kModelCount);
        for (std::size_t i = 0; i < rows::kModelCount; ++i) {
            const rows::ModelRow& r = rows::kModels[i];
            ModelEntry m;
            m.arch = arch_from_row(r);
            m.hf_repo = r.hf_repo;
            m.published_total = r.published_total_params;
            m.published_active = r.published_active_params;
            m.catalog_total_params = r.derived_total_params;
            m.catalog_active_params = r.derived_active_params;
            m.source = r.config_source;
            v.push_back(std::move(m));
        }
        return v;
    }();
    return list;
}

const std::vector<Gpu>& gpu_list() {
    static const std::vector<Gpu> list = [] {
        std::vector<Gpu> v;
        v.reserve(rows::kGpuCount);
        for (std::size_t i = 0; i < rows::kGpuCount; ++i) {
            const rows::GpuRow& r = rows::kGpus[i];
            Gpu g;
            g.id = r.id;
            g.name = r.name;
            g.vendor = r.vendor;
            g.generation = r.generation;
            g.memory_bytes = r.memory_bytes;
            g.memory_marketed = r.memory_marketed;
            g.bandwidth_gbs = r.bandwidth_gbs;
            g.bf16_tflops = r.bf16_tflops;
            g.fp16_tflops = r.fp16_tflops;
            g.fp8_tflops = r.fp8_tflops;
            g.fp32_tflops = r.fp32_tflops;
            g.tdp_w = r.tdp_w;
            g.price_per_hour = r.price_per_hour;
            g.price_source = r.price_source;
            g.source = r.source;
            v.push_back(std::move(g));
        }
        return v;
    }();
    return list;
}

// ---------------------------------------------------------------------------------------------
// 3. Lookups
// ---------------------------------------------------------------------------------------------
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}

// Levenshtein distance (two rows).
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// Up to three ids, closest first: ids containing the query (or contained in it) rank before the
// rest, then by edit distance; ids farther than about half their length are dropped unless they
// share a substring.
template <class Range, class IdOf>
std::string suggest(const Range& items, std::string_view query, IdOf id_of) {
    const std::string q = lowered(query);
    struct Cand {
        size_t score;
        std::string id;
    };
    std::vector<Cand> cands;
    for (const auto& item : items) {
        const std::string& id = id_of(item);
        const std::string lid = lowered(id);
        const size_t d = edit_distance(q, lid);
        const bool sub = !q.empty() && (lid.find(q) != std::string::npos || q.find(lid) != std::string::npos);
        if (!sub && d > std::max<size_t>(3, lid.size() / 2)) continue;
        cands.push_back({sub ? d : d + 1000, id});
    }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& x, const Cand& y) { return x.score < y.score; });
    std::string out;
    for (size_t i = 0; i < cands.size() && i < 3; ++i) {
        if (i) out += ", ";
        out += cands[i].id;
    }
    return out;
}

}  // namespace

std::span<const ModelEntry> models() { return model_list(); }
std::span<const Gpu> gpus() { return gpu_list(); }

const ModelEntry* find_model(std::string_view id) {
    const std::string q = lowered(id);
    for (const ModelEntry& m : model_list())
        if (lowered(m.arch.id) == q) return &m;
    return nullptr;
}

const Gpu* find_gpu(std::string_view id) {
    const std::string q = lowered(id);
    for (const Gpu& g : gpu_list())
        if (lowered(g.id) == q) return &g;
    return nullptr;
}

std::string suggest_model(std::string_view id) {
    return suggest(model_list(), id, [](const ModelEntry& m) -> const std::string& { return m.arch.id; });
}

std::string suggest_gpu(std::string_view id) {
    return suggest(gpu_list(), id, [](const Gpu& g) -> const std::string& { return g.id; });
}

}  // namespace vramcalc
