// architecture.cpp — parameter counts, LoRA-targetable linears, synthesized shapes, validation.
//
// Sections
//   1. Layer helpers      — MoE layer placement (HF qwen2_moe / deepseek rules)
//   2. count_params       — ../shared/catalog/derive_params.py, every family in one formula
//   3. linears            — per LinearKind: matrices, weights, LoRA (in + out) sums
//   4. synthesize         — a Llama-like shape for a bare parameter count
//   5. validate           — one sentence per problem
//
// All counts are int64 (weights only, no buffers; tied embeddings counted once; RMSNorm = h
// weights, LayerNorm = 2h), following derive_params.py. tools/gen_catalog.py repeats the same
// arithmetic in Python and checks it against every row of models.csv before writing the JSON.
#include "architecture.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace vramcalc {

// ---------------------------------------------------------------------------------------------
// 1. Layer helpers
// ---------------------------------------------------------------------------------------------
// HF modeling_qwen2_moe.py / modeling_qwen3_moe.py: layer i is sparse when
//   num_experts > 0 and (i + 1) % decoder_sparse_step == 0   (mlp_only_layers not modelled)
// modeling_deepseek.py (V2/V3): sparse when i >= first_k_dense_replace and i % moe_layer_freq == 0
// (moe_layer_freq is 1 in every released config). Both rules combined:
bool Architecture::is_moe_layer(int64_t layer) const {
    if (!is_moe() || layer < 0 || layer >= num_hidden_layers) return false;
    const int64_t step = decoder_sparse_step > 0 ? decoder_sparse_step : 1;
    return layer >= first_k_dense_replace && (layer + 1) % step == 0;
}

// Closed form of the rule above: multiples of `step` in [first_k + 1, L].
int64_t Architecture::num_moe_layers() const {
    if (!is_moe() || num_hidden_layers <= 0) return 0;
    const int64_t step = decoder_sparse_step > 0 ? decoder_sparse_step : 1;
    const int64_t first = std::clamp<int64_t>(first_k_dense_replace, 0, num_hidden_layers);
    return num_hidden_layers / step - first / step;
}

// Families whose q/k/v projections are one fused matrix (GPT-2 c_attn, BLOOM / Falcon
// query_key_value, Phi-3 qkv_proj) — see linears() for how LoRA on "q,k,v" maps onto them.
bool fused_qkv(const Architecture& a) {
    return a.family == "gpt2" || a.family == "bloom" || a.family == "falcon" || a.family == "phi3";
}
// Phi-3 fuses gate and up (gate_up_proj, modeling_phi3.py).
bool fused_gate_up(const Architecture& a) { return a.family == "phi3"; }

namespace {

int64_t norm_weight(const Architecture& a) { return a.norm == NormKind::layernorm ? 2 : 1; }

// One self-attention block (also the shape of a T5 cross-attention block).
// derive_params.dense_decoder / moe_decoder / gptoss: q,k,v,o (+ q/k/v biases, o bias, q/k norms,
// per-head sinks); mla_moe: q_a + q_a_layernorm + q_b (or q_proj), kv_a_proj_with_mqa,
// kv_a_layernorm, kv_b_proj, o_proj.
int64_t attention_block(const Architecture& a) {
    const int64_t h = a.hidden_size;
    const int64_t nh = a.num_attention_heads;
    if (a.is_mla()) {
        const int64_t r = a.q_lora_rank, kl = a.kv_lora_rank;
        const int64_t qd = a.qk_nope_head_dim + a.qk_rope_head_dim;
        const int64_t q = r > 0 ? h * r + r + r * nh * qd : h * nh * qd;
        return q + h * (kl + a.qk_rope_head_dim) + kl + kl * nh * (a.qk_nope_head_dim + a.v_head_dim) +
               nh * a.v_head_dim * h;
    }
    const int64_t hd = a.head_size();
    const int64_t nkv = a.kv_heads();
    int64_t p = h * nh * hd + 2 * h * nkv * hd + nh * hd * h;
    if (a.qkv_bias) p += nh * hd + 2 * nkv * hd;
    if (a.o_bias) p += h;
    if (a.qk_norm) p += a.qk_norm_full ? nh * hd + nkv * hd : 2 * hd;  // OLMoE full width; Qwen3/Gemma3 per head
    return p + a.attention_sinks;
}

// One dense MLP (derive_params: 3 matrices gated, 2 plain; biases 2I+h / I+h).
int64_t dense_mlp_block(const Architecture& a) {
    const int64_t h = a.hidden_size, I = a.intermediate_size;
    if (a.mlp == MlpKind::gated) return 3 * h * I + (a.mlp_bias ? 2 * I + h : 0);
    return 2 * h * I + (a.mlp_bias ? I + h : 0);
}

// One routed expert (moe_decoder: 3*h*Imoe, + 2*Imoe + h biases for gpt-oss).
int64_t expert_block(const Architecture& a) {
    const int64_t h = a.hidden_size, I = a.moe_intermediate_size;
    return 3 * h * I + (a.expert_bias ? 2 * I + h : 0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 2. count_params
// ---------------------------------------------------------------------------------------------
ParamCounts count_params(const Architecture& a) {
    ParamCounts c;
    const int64_t h = a.hidden_size, V = a.vocab_size;
    const int64_t L = a.num_hidden_layers, Le = a.num_encoder_layers;
    const int64_t nw = norm_weight(a);
    const int64_t nmoe = a.num_moe_layers();
    const int64_t ndense = L - nmoe;

    // Embeddings: token table (+ GPT-2/BERT learned positions, + BERT token types).
    c.embedding = V * h + (a.learned_pos_emb ? a.max_position_embeddings * h : 0) + a.token_type_vocab * h;
    c.lm_head = a.tie_word_embeddings ? 0 : V * h;

    // Attention: every decoder/encoder layer has one self-attention block; T5 decoder layers add
    // a cross-attention block of the same shape (derive_params.t5_v11: dec = 2*attn).
    c.attention_per_layer = attention_block(a);
    c.attention = (L + Le + (Le > 0 ? L : 0)) * c.attention_per_layer;

    // Dense MLPs: every non-MoE decoder layer and every encoder layer.
    c.dense_mlp_per_layer = (ndense + Le) > 0 ? dense_mlp_block(a) : 0;
    c.dense_mlp = (ndense + Le) * c.dense_mlp_per_layer;

    // MoE: routed experts, router (+ bias: gpt-oss router bias, DeepSeek-V3 e_score_correction_bias),
    // shared experts (DeepSeek: n_shared x moe width, mla_moe; Qwen2-MoE: one expert of
    // shared_expert_intermediate_size + Linear(h, 1) gate, moe_decoder shared_I/shared_gate).
    if (nmoe > 0) {
        const int64_t E = a.num_experts;
        c.expert_size = expert_block(a);
        c.routed_experts = nmoe * E * c.expert_size;
        c.router = nmoe * (h * E + (a.router_bias ? E : 0));
        c.shared_experts = nmoe * (a.n_shared_experts * 3 * h * a.moe_intermediate_size +
                                   3 * h * a.shared_expert_intermediate_size +
                                   (a.shared_expert_gate ? h : 0));
    }

    // Norms: norms_per_layer per layer (Gemma 2/3: 4; Falcon-7B: 1 shared), T5 decoder layers one
    // more (cross-attention), one final norm per stack. BERT has no final norm but an embedding
    // LayerNorm of the same size, which this final-norm term counts (derive_params.bert: 2h).
    c.norms = (L + Le) * a.norms_per_layer * nw * h + (Le > 0 ? L * nw * h + nw * h : 0) + nw * h;
    c.other = a.extra_params;

    // Active per token: total minus the routed experts a token does not use (derive_params).
    c.active = c.total() - nmoe * (a.num_experts - a.num_experts_per_tok) * c.expert_size;
    return c;
}

// ---------------------------------------------------------------------------------------------
// 3. linears
// ---------------------------------------------------------------------------------------------
// One row per LinearKind. params = weights only; lora_per_rank = sum over the matrices of
// (in + out), so a rank-r LoRA on that kind adds r * lora_per_rank parameters; out_features = sum
// of the output widths (a fused matrix's rows split as its params are).
//
// MLA (DeepSeek): q -> q_a_proj + q_b_proj (or q_proj when q_lora_rank is 0), k ->
//   kv_a_proj_with_mqa (h -> kv_lora + rope), v -> kv_b_proj (kv_lora -> nh*(nope+v)), o -> o_proj.
// Fused q/k/v (GPT-2 c_attn, BLOOM/Falcon query_key_value, Phi-3 qkv_proj): one h -> (nh+2nkv)*hd
//   matrix. Its rows are split among q, k, v (params by output rows) and its LoRA (in + out) is
//   split so that q carries the input side: q = h + nh*hd, k = nkv*hd, v = nkv*hd. LoRA on
//   "q,k,v" then equals LoRA on the fused matrix exactly; the matrix itself is counted once,
//   under q. Phi-3's gate_up_proj likewise: gate = h + I, up = I, matrix counted under gate.
// Plain (2-matrix) MLPs have no gate: up = h -> I (c_fc / dense_h_to_4h), down = I -> h.
// Routed experts: the 3 matrices of every expert of every MoE layer; per_expert_lora_per_rank is
//   one expert's 3*(h + I). Shared experts: DeepSeek implements its n shared experts as one MLP of
//   width n*I (modeling_deepseek.py), Qwen2-MoE one of shared_expert_intermediate_size; the
//   shared-expert gate (h -> 1) is not a LoRA target and is left out. Router: h -> E per MoE layer.
std::vector<Linear> linears(const Architecture& a) {
    std::vector<Linear> out(kLinearKinds);
    for (int i = 0; i < kLinearKinds; ++i) out[static_cast<size_t>(i)].kind = static_cast<LinearKind>(i);
    auto set = [&](LinearKind k, int64_t matrices, int64_t params, int64_t lora, int64_t outs, int64_t per_expert = 0,
                   int64_t per_expert_out = 0) {
        Linear& l = out[static_cast<size_t>(k)];
        l.matrices = matrices;
        l.params = params;
        l.lora_per_rank = lora;
        l.out_features = outs;
        l.per_expert_lora_per_rank = per_expert;
        l.per_expert_out = per_expert_out;
    };
    const int64_t h = a.hidden_size, nh = a.num_attention_heads;
    const int64_t L = a.num_hidden_layers, Le = a.num_encoder_layers;
    const int64_t nattn = L + Le + (Le > 0 ? L : 0);   // T5: cross-attention has the same shapes
    const int64_t nmoe = a.num_moe_layers();
    const int64_t ndense = L - nmoe + Le;

    if (a.is_mla()) {
        const int64_t r = a.q_lora_rank, kl = a.kv_lora_rank, rope = a.qk_rope_head_dim;
        const int64_t qd = a.qk_nope_head_dim + rope;
        if (r > 0)
            set(LinearKind::q, 2 * nattn, nattn * (h * r + r * nh * qd), nattn * ((h + r) + (r + nh * qd)), nattn * (r + nh * qd));
        else
            set(LinearKind::q, nattn, nattn * h * nh * qd, nattn * (h + nh * qd), nattn * nh * qd);
        set(LinearKind::k, nattn, nattn * h * (kl + rope), nattn * (h + kl + rope), nattn * (kl + rope));
        const int64_t kvb_out = nh * (a.qk_nope_head_dim + a.v_head_dim);
        set(LinearKind::v, nattn, nattn * kl * kvb_out, nattn * (kl + kvb_out), nattn * kvb_out);
        set(LinearKind::o, nattn, nattn * nh * a.v_head_dim * h, nattn * (nh * a.v_head_dim + h), nattn * h);
    } else {
        const int64_t hd = a.head_size(), nkv = a.kv_heads();
        const int64_t qo = nh * hd, kvo = nkv * hd;
        if (fused_qkv(a)) {
            set(LinearKind::q, nattn, nattn * h * qo, nattn * (h + qo), nattn * qo);
            set(LinearKind::k, 0, nattn * h * kvo, nattn * kvo, nattn * kvo);
            set(LinearKind::v, 0, nattn * h * kvo, nattn * kvo, nattn * kvo);
        } else {
            set(LinearKind::q, nattn, nattn * h * qo, nattn * (h + qo), nattn * qo);
            set(LinearKind::k, nattn, nattn * h * kvo, nattn * (h + kvo), nattn * kvo);
            set(LinearKind::v, nattn, nattn * h * kvo, nattn * (h + kvo), nattn * kvo);
        }
        set(LinearKind::o, nattn, nattn * qo * h, nattn * (qo + h), nattn * h);
    }

    if (ndense > 0) {
        const int64_t I = a.intermediate_size;
        if (a.mlp == MlpKind::gated) {
            if (fused_gate_up(a)) {
                set(LinearKind::gate, ndense, ndense * h * I, ndense * (h + I), ndense * I);
                set(LinearKind::up, 0, ndense * h * I, ndense * I, ndense * I);
            } else {
                set(LinearKind::gate, ndense, ndense * h * I, ndense * (h + I), ndense * I);
                set(LinearKind::up, ndense, ndense * h * I, ndense * (h + I), ndense * I);
            }
        } else {
            set(LinearKind::up, ndense, ndense * h * I, ndense * (h + I), ndense * I);
        }
        set(LinearKind::down, ndense, ndense * I * h, ndense * (I + h), ndense * h);
    }

    if (nmoe > 0) {
        const int64_t E = a.num_experts, Im = a.moe_intermediate_size;
        const int64_t per_expert = 3 * (h + Im);
        set(LinearKind::expert, nmoe * E * 3, nmoe * E * 3 * h * Im, nmoe * E * per_expert, nmoe * E * (2 * Im + h),
            per_expert, 2 * Im + h);
        const int64_t shared_width = a.n_shared_experts * Im + a.shared_expert_intermediate_size;
        if (shared_width > 0) {
            const int64_t per_shared = 3 * (h + shared_width);
            set(LinearKind::shared_expert, nmoe * 3, nmoe * 3 * h * shared_width, nmoe * per_shared,
                nmoe * (2 * shared_width + h), per_shared, 2 * shared_width + h);
        }
        set(LinearKind::router, nmoe, nmoe * h * E, nmoe * (h + E), nmoe * E);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// 4. synthesize_architecture
// ---------------------------------------------------------------------------------------------
namespace {

// Real Llama-like shapes (total parameters with vocab 32000 would differ slightly; the table is
// only used to pick hidden size and depth for a size): GPT-2-small-like 124M, Llama 3.2 1B/3B,
// Llama 2 7B/13B, Llama 1 33B, Llama 2 70B, Llama 3.1 405B (config.json of each, models.csv).
struct Shape {
    double params;
    double hidden;
    double layers;
};
constexpr Shape kShapes[] = {
    {0.124e9, 768, 12},   {1.24e9, 2048, 16},  {3.2e9, 3072, 28},   {6.74e9, 4096, 32},
    {13.0e9, 5120, 40},   {32.5e9, 6656, 60},  {69.0e9, 8192, 80},  {405.9e9, 16384, 126},
};

// Interpolates hidden size and depth on log(params); beyond the table, hidden grows with the cube
// root and depth with the cube root too (keeping the 405B aspect ratio).
void shape_for(double params, double& hidden, double& layers) {
    constexpr size_t n = sizeof(kShapes) / sizeof(kShapes[0]);
    if (params <= kShapes[0].params) {
        const double s = std::cbrt(params / kShapes[0].params);
        hidden = kShapes[0].hidden * s;
        layers = kShapes[0].layers * s;
        return;
    }
    if (params >= kShapes[n - 1].params) {
        const double s = std::cbrt(params / kShapes[n - 1].params);
        hidden = kShapes[n - 1].hidden * s;
        layers = kShapes[n - 1].layers * s;
        return;
    }
    for (size_t i = 1; i < n; ++i) {
        if (params <= kShapes[i].params) {
            const double t = std::log(params / kShapes[i - 1].params) / std::log(kShapes[i].params / kShapes[i - 1].params);
            hidden = kShapes[i - 1].hidden + t * (kShapes[i].hidden - kShapes[i - 1].hidden);
            layers = kShapes[i - 1].layers + t * (kShapes[i].layers - kShapes[i - 1].layers);
            return;
        }
    }
}

int64_t round_to(double x, int64_t m) {
    const int64_t r = static_cast<int64_t>(std::llround(x / static_cast<double>(m))) * m;
    return std::max<int64_t>(m, r);
}

// The dense skeleton (no MLP width yet) for a size.
Architecture skeleton(double params) {
    double hd = 0, ld = 0;
    shape_for(params, hd, ld);
    Architecture a;
    a.id = "custom";
    a.family = "llama";
    a.name = "synthesized";
    a.vocab_size = 32000;
    // Head size 128 (64 below hidden 1024); GQA with 8 KV heads above 30B (Llama 2 70B, Llama 3),
    // so hidden is then a multiple of 8 x 128 and the KV heads divide the query heads.
    const bool gqa = params > 30e9;
    a.hidden_size = round_to(hd, gqa ? 1024 : (hd >= 1024 ? 128 : 64));
    const int64_t head = a.hidden_size >= 1024 ? 128 : 64;
    a.num_attention_heads = a.hidden_size / head;
    a.num_key_value_heads = gqa ? 8 : a.num_attention_heads;
    a.num_hidden_layers = std::max<int64_t>(1, std::llround(ld));
    a.max_position_embeddings = 4096;
    a.intermediate_size = round_to(static_cast<double>(a.hidden_size) * 8.0 / 3.0, 256);
    a.tie_word_embeddings = false;
    // Tiny counts: a 32000-row vocabulary (input + output tables) would take most of them; shrink
    // it so the two tables stay at half the model.
    const double emb = 2.0 * 32000.0 * static_cast<double>(a.hidden_size);
    if (emb > params / 2.0)
        a.vocab_size = std::max<int64_t>(256, static_cast<int64_t>(params / 4.0 / static_cast<double>(a.hidden_size)));
    return a;
}

// Solves a width (MLP or expert) so that `target` parameters are spent on `mats` matrices of
// h x width in each of `layers` layers; at least 1.
int64_t solve_width(double target, int64_t h, int64_t layers, int64_t mats) {
    const double w = target / (static_cast<double>(mats) * static_cast<double>(h) * static_cast<double>(layers));
    return std::max<int64_t>(1, std::llround(w));
}

}  // namespace

Architecture synthesize_architecture(int64_t total, int64_t active, int64_t shared) {
    if (total <= 0) total = 1'000'000;
    const double T = static_cast<double>(total);
    const bool moe = active > 0 && active < total;

    if (!moe) {
        // Dense: hidden and depth from the table, then the MLP width that makes the total exact:
        //   total = 2*V*h + L*(attn + 3*h*I + 2h) + h      (dense_decoder, untied, RMSNorm)
        Architecture a = skeleton(T);
        for (int pass = 0; pass < 2; ++pass) {
            a.intermediate_size = 1;
            const ParamCounts base = count_params(a);
            const double rest = T - static_cast<double>(base.total() - base.dense_mlp);
            const int64_t I = solve_width(rest, a.hidden_size, a.num_hidden_layers, 3);
            a.intermediate_size = I;
            // Keep the MLP between 2h and 6h wide: otherwise re-pick the depth for a 8/3 h MLP.
            if (pass == 0 && (I < 2 * a.hidden_size || I > 6 * a.hidden_size)) {
                a.intermediate_size = round_to(static_cast<double>(a.hidden_size) * 8.0 / 3.0, 256);
                a.num_hidden_layers = 1;
                const ParamCounts one = count_params(a);
                const double per_layer = static_cast<double>(one.attention_per_layer + one.dense_mlp_per_layer +
                                                             a.norms_per_layer * a.hidden_size);
                const double fixed = static_cast<double>(one.total()) - per_layer;
                a.num_hidden_layers = std::max<int64_t>(1, std::llround((T - fixed) / per_layer));
                continue;
            }
            break;
        }
        return a;
    }

    // MoE (Mixtral / DeepSeek style, every layer sparse). The dense skeleton is picked for the
    // active size; the always-on part B = embeddings + attention + norms + router (+ a shared
    // expert when `shared` asks for more); then
    //   routed total  R  = total  - B = L * E * 3h*Im
    //   routed active Ra = active - B = L * k * 3h*Im   =>  E / k = R / Ra
    // k = 2 while E/k <= 8 (Mixtral-like), else k = 8 (DeepSeek/Qwen3-like, up to 256 experts);
    // Im is then solved from the total, so the total is exact up to rounding and the active
    // count is off only by the rounding of E.
    const double A = static_cast<double>(active);
    Architecture a = skeleton(A);
    a.intermediate_size = 0;
    a.num_experts = 8;
    a.num_experts_per_tok = 2;
    a.moe_intermediate_size = 1;
    for (int pass = 0; pass < 3; ++pass) {
        a.moe_intermediate_size = 1;
        a.shared_expert_intermediate_size = 0;
        ParamCounts c = count_params(a);
        double base = static_cast<double>(c.total() - c.routed_experts);
        if (shared > 0 && static_cast<double>(shared) > base && static_cast<double>(shared) < A) {
            a.shared_expert_intermediate_size =
                solve_width(static_cast<double>(shared) - base, a.hidden_size, a.num_hidden_layers, 3);
            c = count_params(a);
            base = static_cast<double>(c.total() - c.routed_experts);
        }
        double Ra = A - base;
        const double R = T - base;
        if (Ra <= 0) Ra = std::max(R / 64.0, 1.0);   // active smaller than the skeleton: thin experts
        const double ratio = std::max(1.0, R / Ra);
        int64_t k = ratio <= 8.0 ? 2 : 8;
        int64_t E = std::clamp<int64_t>(std::llround(ratio * static_cast<double>(k)), k, 256);
        if (E == k) E = k + 1;
        a.num_experts = E;
        a.num_experts_per_tok = k;
        a.moe_intermediate_size = solve_width(R, a.hidden_size, a.num_hidden_layers, 3 * E);
    }
    return a;
}

// ---------------------------------------------------------------------------------------------
// 5. validate
// ---------------------------------------------------------------------------------------------
std::string validate(const Architecture& a) {
    auto msg = [](const char* fmt, long long v) {
        char buf[200];
        std::snprintf(buf, sizeof buf, fmt, v);
        return std::string(buf);
    };
    struct Field {
        const char* name;
        int64_t value;
        int64_t max;
    };
    // Upper bounds far beyond any real model (largest today: hidden 18432, 262144 vocab, 256 experts).
    const Field fields[] = {
        {"vocab_size", a.vocab_size, 100'000'000},
        {"hidden_size", a.hidden_size, 1'000'000},
        {"intermediate_size", a.intermediate_size, 10'000'000},
        {"num_hidden_layers", a.num_hidden_layers, 100'000},
        {"num_encoder_layers", a.num_encoder_layers, 100'000},
        {"num_attention_heads", a.num_attention_heads, 100'000},
        {"num_key_value_heads", a.num_key_value_heads, 100'000},
        {"head_dim", a.head_dim, 100'000},
        {"max_position_embeddings", a.max_position_embeddings, 1'000'000'000},
        {"token_type_vocab", a.token_type_vocab, 1'000'000},
        {"norms_per_layer", a.norms_per_layer, 16},
        {"attention_sinks", a.attention_sinks, 100'000},
        {"num_experts", a.num_experts, 1'000'000},
        {"num_experts_per_tok", a.num_experts_per_tok, 1'000'000},
        {"moe_intermediate_size", a.moe_intermediate_size, 10'000'000},
        {"n_shared_experts", a.n_shared_experts, 10'000},
        {"shared_expert_intermediate_size", a.shared_expert_intermediate_size, 10'000'000},
        {"first_k_dense_replace", a.first_k_dense_replace, 100'000},
        {"decoder_sparse_step", a.decoder_sparse_step, 100'000},
        {"q_lora_rank", a.q_lora_rank, 1'000'000},
        {"kv_lora_rank", a.kv_lora_rank, 1'000'000},
        {"qk_nope_head_dim", a.qk_nope_head_dim, 100'000},
        {"qk_rope_head_dim", a.qk_rope_head_dim, 100'000},
        {"v_head_dim", a.v_head_dim, 100'000},
        {"extra_params", a.extra_params, 1'000'000'000'000},
    };
    for (const Field& f : fields) {
        if (f.value < 0) return std::string(f.name) + msg(" is negative (%lld); it must be zero or positive.", f.value);
        if (f.value > f.max)
            return std::string(f.name) + msg(" = %lld is not a plausible model size; check the value.", f.value);
    }
    if (a.vocab_size <= 0) return "vocab_size must be positive.";
    if (a.hidden_size <= 0) return "hidden_size must be positive.";
    if (a.num_hidden_layers <= 0) return "num_hidden_layers must be positive.";
    if (a.num_attention_heads <= 0) return "num_attention_heads must be positive.";
    if (!a.is_mla()) {
        if (a.head_dim == 0 && a.hidden_size % a.num_attention_heads != 0)
            return msg("num_attention_heads (%lld) must divide hidden_size unless head_dim is set.", a.num_attention_heads);
        if (a.num_attention_heads % a.kv_heads() != 0)
            return msg("num_key_value_heads (%lld) must divide num_attention_heads.", a.kv_heads());
    } else if (a.qk_rope_head_dim + a.qk_nope_head_dim <= 0 || a.v_head_dim <= 0) {
        return "MLA (kv_lora_rank > 0) needs qk_nope_head_dim/qk_rope_head_dim and v_head_dim.";
    }
    const bool all_moe = a.is_moe() && a.num_moe_layers() == a.num_hidden_layers;
    if (a.intermediate_size <= 0 && (!all_moe || a.num_encoder_layers > 0))
        return "intermediate_size must be positive (the dense MLP width).";
    if (a.is_moe()) {
        if (a.num_experts_per_tok <= 0) return "num_experts_per_tok must be positive for a mixture-of-experts model.";
        if (a.num_experts_per_tok > a.num_experts)
            return msg("num_experts_per_tok must not exceed num_experts (%lld).", a.num_experts);
        if (a.moe_intermediate_size <= 0) return "moe_intermediate_size (the width of one expert) must be positive.";
    }
    // Whole-model guard in floating point (no int64 overflow while checking): 1e15 parameters.
    const double h = static_cast<double>(a.hidden_size);
    const double layers = static_cast<double>(a.total_layers());
    const double width = static_cast<double>(std::max(a.intermediate_size, a.moe_intermediate_size)) *
                         static_cast<double>(std::max<int64_t>(1, a.num_experts));
    const double heads = static_cast<double>(a.num_attention_heads) * static_cast<double>(std::max<int64_t>(a.head_size(), 1));
    const double rough = 2.0 * static_cast<double>(a.vocab_size) * h + layers * (4.0 * h * heads + 3.0 * h * width);
    if (rough > 1e15) return "The model would have more than 10^15 parameters; check the sizes.";
    return {};
}

}  // namespace vramcalc
