// architecture.h — the shape of a model and its parameter counts by part.
//
// Sections
//   1. Architecture       — the config.json facts the estimate needs (dense, MoE, MLA, enc-dec)
//   2. ParamCounts        — parameters by part: embedding, attention, MLP, experts, router, ...
//   3. Linear             — the linear layers a LoRA adapter can target, with their shapes
//   4. Functions          — count_params, linears, synthesize_architecture, validate
//
// Counting conventions follow ../shared/catalog/derive_params.py (weights only, no buffers;
// tied embeddings counted once; RMSNorm = h weights, LayerNorm = 2h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vramcalc {

enum class NormKind : uint8_t { rms, layernorm };       // RMSNorm: h weights; LayerNorm: 2h
enum class MlpKind : uint8_t { gated, plain };           // SwiGLU/GeGLU: 3 matrices; GELU: 2

// ---------------------------------------------------------------------------------------------
// 1. Architecture. Field names follow Hugging Face config.json. Zero means "not present".
// ---------------------------------------------------------------------------------------------
struct Architecture {
    std::string id;           // catalog id or "custom"
    std::string family;       // llama, mistral, mixtral, qwen2, qwen3_moe, deepseek_v3, gpt2, t5, ...
    std::string name;         // for display

    int64_t vocab_size = 0;
    int64_t hidden_size = 0;
    int64_t intermediate_size = 0;         // dense MLP width (also dense layers of an MoE)
    int64_t num_hidden_layers = 0;         // decoder layers (encoder layers for BERT)
    int64_t num_encoder_layers = 0;        // encoder-decoder models (T5): encoder layers; else 0
    int64_t num_attention_heads = 0;
    int64_t num_key_value_heads = 0;       // 0 -> = num_attention_heads
    int64_t head_dim = 0;                  // 0 -> hidden_size / num_attention_heads
    int64_t max_position_embeddings = 0;
    bool tie_word_embeddings = false;
    bool learned_pos_emb = false;          // GPT-2/BERT: a max_position x hidden table (wpe)
    int64_t token_type_vocab = 0;          // BERT token types

    NormKind norm = NormKind::rms;
    MlpKind mlp = MlpKind::gated;
    int norms_per_layer = 2;               // Gemma 2/3: 4 (pre+post attention and MLP)
    bool qkv_bias = false;                 // Qwen2, GPT-2, BLOOM, gpt-oss
    bool o_bias = false;
    bool mlp_bias = false;
    bool qk_norm = false;                  // Qwen3, Gemma 3, OLMoE: per-head q/k norms
    bool qk_norm_full = false;             // OLMoE: q/k norms over the full projection width
                                           // (nh*hd + nkv*hd) instead of head_dim each (2*hd)
    bool parallel_attn_mlp = false;        // Falcon, GPT-J style (one shared input norm)
    bool attn_softcap = false;             // Gemma 2: tanh soft-capping of attention scores
    bool final_softcap = false;            // Gemma 2: tanh soft-capping of the final logits
    bool dropout = false;                  // BERT, GPT-2, T5: dropout on attention weights and
                                           // hidden states while training (HF modeling code)
    int64_t attention_sinks = 0;           // gpt-oss: one learned sink per head

    // Mixture of experts (num_experts == 0: dense)
    int64_t num_experts = 0;               // routed experts per MoE layer
    int64_t num_experts_per_tok = 0;       // top-k
    int64_t moe_intermediate_size = 0;     // width of one routed expert
    int64_t n_shared_experts = 0;          // DeepSeek: shared experts of moe_intermediate_size
    int64_t shared_expert_intermediate_size = 0;  // Qwen2-MoE: one shared expert of this width
    bool shared_expert_gate = false;       // Qwen2-MoE: sigmoid gate (h -> 1) on the shared expert
    int64_t first_k_dense_replace = 0;     // DeepSeek: the first k layers are dense
    int64_t decoder_sparse_step = 1;       // Qwen-MoE: every n-th layer is MoE
    bool router_bias = false;              // gpt-oss, DeepSeek-V3 (e_score_correction_bias)
    bool expert_bias = false;              // gpt-oss

    // Multi-head latent attention (DeepSeek-V2/V3); kv_lora_rank > 0 switches it on
    int64_t q_lora_rank = 0;
    int64_t kv_lora_rank = 0;
    int64_t qk_nope_head_dim = 0;
    int64_t qk_rope_head_dim = 0;
    int64_t v_head_dim = 0;

    int64_t extra_params = 0;              // parameters not modelled by the fields above (pooler,
                                           // relative position buckets): counted, never trained by LoRA

    // Exact reference count where the catalog has one (0 = none); tests compare count_params to it.
    int64_t reference_total_params = 0;
    int64_t reference_active_params = 0;

    // Derived helpers
    int64_t kv_heads() const { return num_key_value_heads > 0 ? num_key_value_heads : num_attention_heads; }
    int64_t head_size() const {
        return head_dim > 0 ? head_dim : (num_attention_heads > 0 ? hidden_size / num_attention_heads : 0);
    }
    bool is_moe() const { return num_experts > 0; }
    bool is_mla() const { return kv_lora_rank > 0; }
    bool is_moe_layer(int64_t layer) const;   // layer index 0-based among decoder layers
    int64_t num_moe_layers() const;
    int64_t total_layers() const { return num_hidden_layers + num_encoder_layers; }
};

// ---------------------------------------------------------------------------------------------
// 2. Parameter counts by part (whole model, not per GPU).
// ---------------------------------------------------------------------------------------------
struct ParamCounts {
    int64_t embedding = 0;          // token (+ position, token-type) embeddings
    int64_t lm_head = 0;            // 0 when tied
    int64_t attention = 0;          // all layers: projections, biases, q/k norms, sinks, MLA norms
    int64_t dense_mlp = 0;          // all dense MLP layers
    int64_t routed_experts = 0;     // all routed experts of all MoE layers
    int64_t expert_size = 0;        // one routed expert
    int64_t router = 0;             // all layers
    int64_t shared_experts = 0;     // all layers, incl. shared-expert gates
    int64_t norms = 0;              // per-layer and final norms
    int64_t other = 0;              // extra_params
    int64_t attention_per_layer = 0;
    int64_t dense_mlp_per_layer = 0;   // one dense MLP layer (0 if none)

    int64_t total() const {
        return embedding + lm_head + attention + dense_mlp + routed_experts + router + shared_experts +
               norms + other;
    }
    int64_t active = 0;             // total minus the routed experts a token does not use
};

// ---------------------------------------------------------------------------------------------
// 3. Linear layers by LoRA target. One row per kind: shape and how many of them in the model.
// ---------------------------------------------------------------------------------------------
enum class LinearKind : uint8_t { q, k, v, o, gate, up, down, expert, shared_expert, router };
inline constexpr int kLinearKinds = 10;

struct Linear {
    LinearKind kind = LinearKind::q;
    int64_t matrices = 0;       // how many weight matrices of this kind in the model (all layers)
    int64_t params = 0;         // their weights (no biases)
    int64_t lora_per_rank = 0;  // sum over those matrices of (in + out): LoRA adds r * this
    int64_t per_expert_lora_per_rank = 0;  // expert kinds: (in + out) summed over one expert's matrices
    int64_t out_features = 0;   // sum over those matrices of their output width (DoRA adds one magnitude each)
    int64_t per_expert_out = 0;            // expert kinds: out summed over one expert's matrices
};

// ---------------------------------------------------------------------------------------------
// 4. Functions
// ---------------------------------------------------------------------------------------------
ParamCounts count_params(const Architecture& a);

// The linear layers of the model by kind, indexed by LinearKind (all kLinearKinds entries).
// q/k/v/o for MLA map to q_a+q_b (or q_proj) / kv_a / kv_b / o_proj.
std::vector<Linear> linears(const Architecture& a);
// One fused q/k/v matrix (GPT-2 c_attn, BLOOM / Falcon query_key_value, Phi-3 qkv_proj), and
// Phi-3's fused gate_up_proj: one module, one adapter, one input read.
bool fused_qkv(const Architecture& a);
bool fused_gate_up(const Architecture& a);

// A plausible Llama-like architecture for a bare parameter count (seed-article mode):
// total, active (0 = dense) and shared (0 = unknown) in parameters.
Architecture synthesize_architecture(int64_t total, int64_t active, int64_t shared);

// Empty string when usable; else one sentence saying what is wrong.
std::string validate(const Architecture& a);

}  // namespace vramcalc
