// estimate.cpp — the memory model.
//
// Sections
//   1. Tables        — parts, phases, framework habits, CUDA context by GPU generation
//   2. Dtypes        — bytes per parameter of weights, gradients, states, master by precision
//   3. Trainable     — which parameters train under full / LoRA / QLoRA / freeze
//   4. Activations   — saved bytes per token per layer, checkpointing, attention, logits
//   5. Sharding      — ZeRO / FSDP, TP, PP, EP, offload; buffers
//   6. Phases        — forward end, backward, optimizer step; peak; reserved; nvidia-smi
//   7. Throughput    — FLOPs per token, MFU, time, cost, energy
//   8. Search        — fewest GPUs that fit
//   9. Words         — formulas, assumptions, suggestions
//
// Sources are cited where each term is computed. Constants that cannot be derived (CUDA context,
// allocator fragmentation) are marked "calibrated" and were fitted on bench/accuracy.
#include "estimate.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace vramcalc {

// =============================================================================================
// 1. Tables
// =============================================================================================
namespace {
constexpr std::array<PartInfo, kPartCount> kParts{{
    {Part::weights_trainable, "weights_trainable", "Weights (trainable)", true},
    {Part::weights_frozen, "weights_frozen", "Weights (frozen)", true},
    {Part::weights_quantized, "weights_quantized", "Weights (quantized)", true},
    {Part::adapters, "adapters", "Adapters (LoRA, PEFT)", true},
    {Part::gradients, "gradients", "Gradients", true},
    {Part::optimizer_states, "optimizer_states", "Optimizer states", true},
    {Part::master_weights, "master_weights", "Master weights (fp32)", true},
    {Part::activations, "activations", "Activations", true},
    {Part::logits, "logits", "Logits and loss", true},
    {Part::optimizer_temp, "optimizer_temp", "Optimizer-step temporaries", true},
    {Part::buffers, "buffers", "Communication and dequant buffers", true},
    {Part::cuda_context, "cuda_context", "CUDA context and kernels", false},
    {Part::allocator_reserve, "allocator_reserve", "Allocator cache (reserved - allocated)", false},
}};

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;

int idx(Part p) { return static_cast<int>(p); }

// CUDA context + loaded kernels (cuBLAS, cuDNN, PyTorch's own), outside the caching allocator:
// what nvidia-smi shows beyond torch.cuda.memory_reserved(). Calibrated: HF docs measure
// 1343 MiB on a V100 with CUDA 11 (perf_train_gpu_one.mdx); CUDA >= 11.7 lazy module loading
// roughly halves it on newer cards (NVIDIA CUDA C Programming Guide, "Lazy Loading").
double cuda_context_bytes(const Gpu& g) {
    const std::string& gen = g.generation;
    if (gen == "volta" || gen == "turing" || gen == "pascal") return 1343 * kMiB;
    if (gen == "hopper" || gen == "blackwell") return 700 * kMiB;
    if (g.vendor != "NVIDIA") return 900 * kMiB;
    return 600 * kMiB;   // ampere, ada
}
}  // namespace

std::span<const PartInfo> part_table() { return kParts; }

std::string_view name_of_phase(Phase p) {
    switch (p) {
        case Phase::forward: return "forward";
        case Phase::backward: return "backward";
        case Phase::optimizer: return "optimizer step";
    }
    return "?";
}

double to_units(int64_t bytes, Units u) {
    return static_cast<double>(bytes) / (u == Units::GiB ? kGiB : 1e9);
}

std::string format_bytes(int64_t bytes, Units u, int decimals) {
    char buf[48];
    const double v = to_units(bytes, u);
    std::snprintf(buf, sizeof buf, "%.*f %s", std::clamp(decimals, 0, 6), v, u == Units::GiB ? "GiB" : "GB");
    return buf;
}

// =============================================================================================
// 2. Dtypes: bytes per parameter by precision (Micikevicius et al. 2018 "Mixed Precision
//    Training"; ZeRO paper, Rajbhandari et al. 2020, §3: 2 + 2 + 12 bytes for mixed-precision Adam)
// =============================================================================================
namespace {
struct Dtypes {
    double weight = 2;        // trainable and frozen weights as stored on the GPU
    double grad = 2;
    double master = 0;        // fp32 master copy of half weights
    double state = 4;         // one optimizer-state element
    double act = 2;           // activation element
    bool autocast = false;    // fp32 weights cast to half inside the forward (torch.autocast)
    // Residual stream dtype: fp32 under fp32/AMP training (fp32 embeddings and norms; for QLoRA
    // after prepare_model_for_kbit_training), so hidden states and norm outputs are fp32.
    bool fp32_stream() const { return act == 4 || autocast; }
};

Dtypes dtypes_for(const TrainingConfig& c) {
    Dtypes d;
    switch (c.precision) {
        case Precision::fp32: d = {4, 4, 0, 4, 4, false}; break;
        case Precision::amp_bf16:
        case Precision::amp_fp16: d = {4, 4, 0, 4, 2, true}; break;
        case Precision::bf16_mixed:
        case Precision::fp16_mixed:
        case Precision::fp8_mixed: d = {2, 2, 4, 4, 2, false}; break;
        case Precision::bf16: d = {2, 2, 0, 2, 2, false}; break;   // torch.optim keeps states in param dtype
    }
    if (c.state_dtype == StateDtype::fp32) d.state = 4;
    if (c.state_dtype == StateDtype::bf16) d.state = 2;
    return d;
}

// Optimizer state bytes per trainable parameter (Transformer Math 101, "Optimizer states";
// bitsandbytes 8-bit optimizers: one byte per state + one fp32 absmax per 2048-element block,
// Dettmers et al. 2022 "8-bit Optimizers via Block-wise Quantization").
double state_bytes_per_param(Optimizer o, double state) {
    switch (o) {
        case Optimizer::sgd: return 0;
        case Optimizer::sgd_momentum: return state;
        case Optimizer::lion: return state;
        case Optimizer::adamw: return 2 * state;
        case Optimizer::adamw_8bit:
        case Optimizer::paged_adamw_8bit: return 2 * (1 + 4.0 / 2048);
        case Optimizer::paged_adamw: return 2 * 4.0;   // bitsandbytes PagedAdamW keeps fp32 moments
        case Optimizer::adafactor: return 0;   // factored: computed from matrix shapes below
        // GaLore: these are the moments of the parameters it does not project (embeddings, norms,
        // lm_head); the projected ones are counted from the matrix shapes (trainable_params).
        case Optimizer::galore_adamw: return 2 * state;
        case Optimizer::galore_adamw_8bit: return 2 * (1 + 4.0 / 2048);
        // Muon: AdamW's two moments for the weights it leaves to AdamW; its own matrices keep one
        // (Amounts below takes the difference from the matrix shapes).
        case Optimizer::muon: return 2 * state;
    }
    return 0;
}
}  // namespace

// =============================================================================================
// 3. Trainable parameters
// =============================================================================================
namespace {
struct ModelParts {
    ParamCounts pc;
    std::vector<Linear> lin;
    int64_t layers = 0;          // decoder (+ encoder) layers
    int64_t moe_layers = 0;
    int64_t linear_params = 0;   // weights of all linear layers (quantizable)
    int64_t largest_matrix = 0;  // largest single weight tensor (embedding included)
    int64_t largest_linear = 0;  // largest weight matrix inside the layers (what bnb dequantizes)
};

ModelParts model_parts(const Architecture& a) {
    ModelParts m;
    m.pc = count_params(a);
    m.lin = linears(a);
    m.layers = std::max<int64_t>(1, a.total_layers());
    m.moe_layers = a.is_moe() ? a.num_moe_layers() : 0;
    for (const auto& l : m.lin) m.linear_params += l.params;
    const int64_t h = a.hidden_size;
    for (const auto& l : m.lin)
        if (l.matrices > 0 && l.kind != LinearKind::router)
            m.largest_linear = std::max(m.largest_linear, l.params / l.matrices);
    m.largest_matrix = std::max<int64_t>({a.vocab_size * h, h * a.intermediate_size,
                                          h * std::max<int64_t>(a.moe_intermediate_size, 0) * 2});
    return m;
}

}  // namespace

namespace {
// The matrices LoRA adapts, summed: (in + out), which a rank-r adapter multiplies (Hu et al. 2021,
// §4.1), and out, the rows of B and of DoRA's magnitude. Routed experts count only the
// --lora-experts that get adapters. Also what PEFT's other per-linear adapters size by: the number
// of matrices (AdaLoRA's E and VeRA's lambda_d have r entries per matrix), IA3's vectors (out for
// an attention linear, in for an MLP one: IA3Config feedforward_modules), and the widest in and
// out, which size VeRA's one shared pair of frozen projections (vera_A r x in, vera_B out x r).
struct AdaptedSums {
    int64_t in_plus_out = 0, outs = 0, matrices = 0, ia3 = 0, max_in = 0, max_out = 0, oft = 0;
};
// OFT's block count on a linear of `in` inputs: PEFT's r when it divides in, else the nearest
// divisor, the lower one on a tie (PEFT oft/layer.py OFTLayer.adjust_oft_parameters).
int64_t oft_blocks(int64_t in, int64_t r) {
    if (in <= 0) return 1;
    if (r >= in) return in;
    if (r < 1 || in % r == 0) return std::max<int64_t>(r, 1);
    int64_t hi = r, lo = r;
    while (hi <= in && in % hi != 0) ++hi;
    while (lo > 1 && in % lo != 0) --lo;
    return r - lo <= hi - r ? lo : hi;
}
// OFT's trained entries on one linear: per block the strict upper triangle of a skew-symmetric
// b x b matrix, b = in / blocks (PEFT OFTRotationModule: weight (r, b(b-1)/2), Cayley transform).
int64_t oft_params(int64_t in, int64_t r) {
    const int64_t n = oft_blocks(in, r), b = in / n;
    return n * (b * (b - 1) / 2);
}
bool mlp_kind(LinearKind k) { return (target_bit(k) & (kAllLinearTargets & ~kAttentionTargets)) != 0; }
AdaptedSums adapted_sums(const TrainingConfig& c, const Architecture& a, const std::vector<Linear>& lin) {
    AdaptedSums s;
    for (const auto& l : lin) {
        if (!(c.lora_targets & target_bit(l.kind)) || l.matrices <= 0) continue;
        int64_t io = l.lora_per_rank, out = l.out_features, n = l.matrices;
        if (l.kind == LinearKind::expert && c.lora_experts >= 0 && c.lora_experts < a.num_experts) {
            const int64_t e = static_cast<int64_t>(c.lora_experts) * a.num_moe_layers();
            n = l.matrices / std::max<int64_t>(1, static_cast<int64_t>(a.num_experts) * a.num_moe_layers()) * e;
            io = l.per_expert_lora_per_rank * e;
            out = l.per_expert_out * e;
        }
        s.in_plus_out += io;
        s.outs += out;
        s.matrices += n;
        s.ia3 += mlp_kind(l.kind) ? io - out : out;
        // A kind that mixes widths (MLA's q pair, the experts' gate/up and down) counts its mean input.
        if (c.adapter == Adapter::oft && n > 0) s.oft += n * oft_params((io - out) / n, c.lora_rank);
        if (n > 0) {
            s.max_in = std::max(s.max_in, (io - out) / n);
            s.max_out = std::max(s.max_out, out / n);
        }
    }
    return s;
}
}  // namespace

// DoRA's magnitude vector (Liu et al. 2024, eq. 5; PEFT DoraLinearLayer.weight): one trained
// entry per output feature of every adapted matrix, beside LoRA's r * (in + out).
int64_t dora_magnitudes(const TrainingConfig& c, const Architecture& a) {
    if (!c.use_dora || (c.method != Method::lora && c.method != Method::qlora)) return 0;
    return adapted_sums(c, a, linears(a)).outs;
}

namespace {
struct Trainable {
    int64_t base_trainable = 0;  // base-model parameters with requires_grad
    int64_t base_frozen = 0;     // base-model parameters without (16-bit or fp32)
    int64_t quantized = 0;       // base parameters stored quantized (QLoRA)
    int64_t adapters = 0;        // LoRA parameters
    int64_t adapters_trained = 0;   // of them, those with gradients (all but LoRA-FA's frozen A)
    int64_t expert_trainable = 0;   // of base_trainable: routed-expert weights (sharded by EP)
    int64_t expert_total = 0;       // routed-expert weights in the model (trainable or not)
    int64_t cpu_frozen = 0;         // frozen originals moved to CPU RAM (Unsloth's modules_to_save)
    int64_t first_trained_layer = 0;   // gradients flow no lower than this layer
    int64_t trained_layers = 0;     // layers whose activations must be kept
    double adafactor_elems = 0;     // factored second-moment elements (rows + cols per matrix)
    double galore_moment_elems = 0; // GaLore: both moments of the projected gradients, all matrices
    double galore_ortho_elems = 0;  // GaLore: the projection matrices
    double galore_covered = 0;      // GaLore: trainable weights whose gradients it projects
    double galore_step_bytes = 0;   // GaLore: the largest matrix's SVD and projected-back update
    double muon_covered = 0;        // Muon: trainable layer matrices (one momentum each)
    double muon_step_bytes = 0;     // Muon: Newton-Schulz temporaries of the largest matrix
};

int64_t layer_end(const TrainingConfig& c, const Architecture& a) {
    const int64_t L = std::max<int64_t>(1, a.total_layers());
    return c.train_layer_end < 0 ? L : std::min<int64_t>(c.train_layer_end, L);
}

Trainable trainable_params(const TrainingConfig& c, const Architecture& a, const ModelParts& m) {
    Trainable t;
    const ParamCounts& p = m.pc;
    const int64_t total = p.total();
    t.expert_total = p.routed_experts;
    t.first_trained_layer = 0;
    t.trained_layers = m.layers;
    switch (c.method) {
        case Method::full:
            t.base_trainable = total;
            t.expert_trainable = p.routed_experts;
            break;
        case Method::lora:
        case Method::qlora: {
            // LoRA adds r * (in + out) per adapted matrix, DoRA one magnitude per output row.
            const AdaptedSums ad = adapted_sums(c, a, m.lin);
            const int64_t r = c.lora_rank, magnitudes = c.use_dora ? ad.outs : 0;
            switch (c.adapter) {
                case Adapter::lora:
                    t.adapters = r * ad.in_plus_out + magnitudes;
                    // LoRA-FA (Zhang et al. 2023; PEFT optimizers/lorafa.py) freezes A (r x in) at its
                    // random init: only B (out x r) and DoRA's magnitudes get gradients and moments.
                    t.adapters_trained = c.lora_fa ? r * ad.outs + magnitudes : t.adapters;
                    break;
                // AdaLoRA (Zhang et al. 2023; PEFT tuners/adalora): P (r x in), Lambda (r) and Q (out x r)
                // at init_r; pruning zeroes Lambda's entries, so the tensors keep init_r throughout.
                case Adapter::adalora:
                    t.adapters = t.adapters_trained = r * ad.in_plus_out + r * ad.matrices;
                    break;
                // VeRA (Kopiczko et al. 2024; PEFT tuners/vera): lambda_d (r) and lambda_b (out) per
                // matrix train; vera_A (r x max in) and vera_B (max out x r) are shared frozen buffers.
                case Adapter::vera:
                    t.adapters_trained = r * ad.matrices + ad.outs;
                    t.adapters = t.adapters_trained + r * (ad.max_in + ad.max_out);
                    break;
                // IA3 (Liu et al. 2022; PEFT tuners/ia3): one trained vector per adapted matrix.
                case Adapter::ia3:
                    t.adapters = t.adapters_trained = ad.ia3;
                    break;
                // LoHa (Hyeon-Woo et al. 2022, FedPara; PEFT tuners/loha): hada_w1_a, w2_a (out x r) and
                // hada_w1_b, w2_b (r x in): twice LoRA's count.
                case Adapter::loha:
                    t.adapters = t.adapters_trained = 2 * r * ad.in_plus_out;
                    break;
                // OFT (Qiu et al. 2023; PEFT tuners/oft since 0.15): r skew-symmetric blocks per matrix.
                case Adapter::oft:
                    t.adapters = t.adapters_trained = ad.oft;
                    break;
                // Prompt tuning (Lester et al. 2021; PEFT PromptEmbedding): n virtual tokens x hidden.
                case Adapter::prompt:
                    t.adapters = t.adapters_trained = static_cast<int64_t>(c.virtual_tokens) * a.hidden_size;
                    break;
                // Prefix tuning without projection (Li & Liang 2021; PEFT PrefixEncoder): a key and a
                // value per virtual token per layer, n x L x 2 x kv heads x head size.
                case Adapter::prefix:
                    t.adapters = t.adapters_trained = static_cast<int64_t>(c.virtual_tokens) * m.layers * 2 *
                                                      a.kv_heads() * a.head_size();
                    break;
                // LLaMA-Adapter (Zhang et al. 2023; LitGPT adapter.py): from adapter_start_layer on, an
                // adaption prompt (n x hidden) and a zero-init gating factor per head in each layer;
                // gradients flow no lower than that layer. v2 (Gao et al. 2023; LitGPT adapter_v2.py
                // AdapterV2Linear) adds adapter_bias and adapter_scale (out each) on every linear, the
                // head included, and trains the norms (mark_only_adapter_v2_as_trainable), so every layer
                // takes gradients.
                case Adapter::llama_adapter:
                case Adapter::llama_adapter_v2: {
                    const int64_t start = std::min<int64_t>(kLlamaAdapterStartLayer, m.layers);
                    t.adapters = (m.layers - start) * (static_cast<int64_t>(c.virtual_tokens) * a.hidden_size +
                                                       a.num_attention_heads);
                    if (c.adapter == Adapter::llama_adapter) {
                        t.first_trained_layer = start;
                        t.trained_layers = m.layers - start;
                    } else {
                        int64_t outs = 0;
                        for (const auto& l : m.lin) outs += l.out_features;
                        t.adapters += 2 * (outs + a.vocab_size);
                    }
                    t.adapters_trained = t.adapters;
                    break;
                }
                case Adapter::tokens:
                    break;   // only the rows below
            }
            // Trainable tokens (PEFT tuners/trainable_tokens): a delta per selected row, shared by a tied head.
            const int64_t rows = static_cast<int64_t>(c.trainable_tokens) * a.hidden_size;
            t.adapters += rows;
            t.adapters_trained += rows;
            if (c.method == Method::qlora) {
                t.quantized = m.linear_params + (litgpt_quantized_head(c) ? p.lm_head : 0);
                t.base_frozen = total - t.quantized;
            } else {
                t.base_frozen = total;
            }
            if (c.adapter == Adapter::llama_adapter_v2) {   // its norms train in place
                t.base_trainable = p.norms;
                t.base_frozen = std::max<int64_t>(0, t.base_frozen - p.norms);
            }
            // Embeddings / lm_head trained next to the adapters. PEFT's modules_to_save wraps the
            // module in a ModulesToSaveWrapper that keeps the frozen original and trains a deep copy
            // (peft/utils/other.py), untying a tied head; other frameworks set requires_grad on the
            // module itself.
            if (c.train_embeddings || c.train_lm_head) {
                const bool copies = peft_stack(c.framework);
                int64_t saved = c.train_embeddings ? p.embedding : 0;
                // A tied head is the embedding: trained once in place, copied apart by PEFT.
                if (c.train_lm_head)
                    saved += p.lm_head > 0 ? p.lm_head : (copies || !c.train_embeddings ? p.embedding : 0);
                t.base_trainable = saved;
                if (!copies) t.base_frozen = std::max<int64_t>(0, t.base_frozen - saved);
                // Unsloth moves the frozen originals to CPU RAM once the copies exist
                // (unsloth/models/llama.py get_peft_model: "original_module.to(device = "cpu")").
                if (c.framework == Framework::unsloth) {
                    t.cpu_frozen = std::min(saved, t.base_frozen);
                    t.base_frozen -= t.cpu_frozen;
                }
            }
            break;
        }
        case Method::freeze: {
            const int64_t L = m.layers;
            const int64_t b = std::clamp<int64_t>(c.train_layer_begin, 0, L);
            const int64_t e = std::max(b, layer_end(c, a));
            int64_t n_moe = 0;
            for (int64_t i = b; i < e; ++i) n_moe += a.is_moe() && a.is_moe_layer(i) ? 1 : 0;
            const int64_t n_layers = e - b;
            const int64_t n_dense_mlp = p.dense_mlp_per_layer > 0 ? n_layers - n_moe : 0;
            int64_t tr = 0;
            if (c.train_attention) tr += p.attention_per_layer * n_layers;
            if (c.train_mlp) {
                tr += p.dense_mlp_per_layer * n_dense_mlp;
                if (m.moe_layers > 0) tr += p.shared_experts / m.moe_layers * n_moe;
            }
            if (m.moe_layers > 0) {
                const int64_t experts = c.train_experts < 0 ? a.num_experts : std::min<int64_t>(c.train_experts, a.num_experts);
                t.expert_trainable = p.expert_size * experts * n_moe;
                tr += t.expert_trainable;
                if (c.train_router) tr += p.router / m.moe_layers * n_moe;
            }
            if (c.train_norms) tr += p.norms * n_layers / (L + 1);
            if (c.train_embeddings) tr += p.embedding;
            if (c.train_lm_head) tr += p.lm_head > 0 ? p.lm_head : (c.train_embeddings ? 0 : p.embedding);
            t.base_trainable = std::min(tr, total);
            t.base_frozen = total - t.base_trainable;
            // Gradients need to flow only down to the lowest trained part (autograd prunes the rest).
            t.first_trained_layer = c.train_embeddings ? 0 : b;
            t.trained_layers = n_layers > 0 ? L - t.first_trained_layer : 0;
            if (t.base_trainable == 0) t.trained_layers = 0;
            break;
        }
    }
    // Adafactor's factored second moment: rows + cols per matrix (Shazeer & Stern 2018, §3).
    if (c.optimizer == Optimizer::adafactor) {
        const double share = total > 0 ? static_cast<double>(t.base_trainable) / static_cast<double>(total) : 0;
        double rows_cols = 0;
        for (const auto& l : m.lin) rows_cols += static_cast<double>(l.lora_per_rank);
        rows_cols += static_cast<double>(a.vocab_size + a.hidden_size) * (p.lm_head > 0 ? 2 : 1);
        t.adafactor_elems = rows_cols * share + static_cast<double>(t.adapters) / std::max(1, c.lora_rank) * 1.0;
    }
    // The layers' weight matrices as GaLore and Muon see them, one entry per kind: how many, their
    // rows m (out) and columns n (in) of nn.Linear.weight, and their weights. A fused matrix
    // (GPT-2 c_attn, Phi-3 qkv_proj / gate_up_proj) is one weight: its rows are split among the
    // kinds with no matrices of their own, which are merged back here. The router is left out
    // where `with_router` is false. `visit` gets each kind's Matrices.
    struct Matrices {
        double count, rows, cols, params;
    };
    auto for_layer_matrices = [&](bool with_router, auto&& visit) {
        auto kind = [&](LinearKind k) -> const Linear& { return m.lin[static_cast<size_t>(k)]; };
        for (const auto& l : m.lin) {
            if (l.matrices <= 0 || (l.kind == LinearKind::router && !with_router)) continue;
            double params = static_cast<double>(l.params), outs = static_cast<double>(l.out_features);
            const double ins = static_cast<double>(l.lora_per_rank - l.out_features);
            if (l.kind == LinearKind::q && fused_qkv(a))
                for (LinearKind part : {LinearKind::k, LinearKind::v}) {
                    params += static_cast<double>(kind(part).params);
                    outs += static_cast<double>(kind(part).out_features);
                }
            if (l.kind == LinearKind::gate && fused_gate_up(a)) {
                params += static_cast<double>(kind(LinearKind::up).params);
                outs += static_cast<double>(kind(LinearKind::up).out_features);
            }
            const double n = static_cast<double>(l.matrices);
            visit(Matrices{n, outs / n, ins / n, params});
        }
    };
    // Under freeze only the trained share of those weights has an optimizer state.
    const double train_share = c.method == Method::full || total == 0
                                   ? 1.0
                                   : static_cast<double>(t.base_trainable) / static_cast<double>(total);
    // GaLore (Zhao et al. 2024, Algorithm 1; galore_torch/galore_projector.py, adamw.py): the
    // gradient G (m x n, a Linear weight) of every layer linear is projected to rank r' = min(r, m, n)
    // — G P^T with P = Vh[:r] (r' x n) when m >= n, Q^T G with Q = U[:, :r] (m x r') when m < n —
    // and AdamW's two moments live in that space: 2 x r' x max(m, n) elements per matrix, beside
    // the r' x min(m, n) projector, cast back to the gradient's dtype. Embeddings, norms, biases and
    // the lm_head keep full moments (GaLore's "attn"/"mlp" targets; ms-swift all linears but the
    // head). Every update_proj_gap steps the projector is redone from a reduced SVD of G in fp32
    // (G.float(), U m x k, Vh k x n, k = min(m, n)), and each step projects the update back to a
    // full m x n tensor: one matrix at a time, the largest one's bytes at the step.
    if (is_galore(c.optimizer) && t.base_trainable > 0) {
        const double r = static_cast<double>(std::max(1, c.galore_rank));
        const Dtypes d = dtypes_for(c);
        for_layer_matrices(false, [&](const Matrices& mx) {
            const double lo = std::min(mx.rows, mx.cols), hi = std::max(mx.rows, mx.cols);
            const double rr = std::min(r, lo);
            t.galore_moment_elems += train_share * mx.count * 2 * rr * hi;
            t.galore_ortho_elems += train_share * mx.count * rr * lo;
            t.galore_covered += train_share * mx.params;
            t.galore_step_bytes = std::max(t.galore_step_bytes, 4 * (mx.rows * mx.cols + lo * (mx.rows + mx.cols)) +
                                                                    d.grad * mx.rows * mx.cols);
        });
        t.galore_covered = std::min(t.galore_covered, static_cast<double>(t.base_trainable));
    }
    // Muon (Jordan et al. 2024; torch.optim.Muon, Moonlight's Muon): the layers' 2D weights get one
    // momentum buffer each, orthogonalised every step by five Newton-Schulz iterations in bf16 on
    // X (k x K after transposing to k = min(m, n) rows): A = X X^T, B = bA + cA^2, X = aX + BX — at
    // most four k x k and four k x K bf16 tensors alive, one matrix at a time. Embeddings, head and
    // norms go to AdamW (torch.optim.Muon takes 2D parameters only).
    if (c.optimizer == Optimizer::muon && t.base_trainable > 0) {
        for_layer_matrices(true, [&](const Matrices& mx) {
            const double lo = std::min(mx.rows, mx.cols), hi = std::max(mx.rows, mx.cols);
            t.muon_covered += train_share * mx.params;
            t.muon_step_bytes = std::max(t.muon_step_bytes, 2 * (4 * lo * hi + 4 * lo * lo));
        });
        t.muon_covered = std::min(t.muon_covered, static_cast<double>(t.base_trainable));
    }
    return t;
}
}  // namespace

// =============================================================================================
// 4. Activations
// =============================================================================================
namespace {
// Bytes saved for backward per token in one transformer layer, 16-bit activations.
// Base: Korthikanti et al. 2022 ("Reducing Activation Recomputation", §4.1, Table 2), redone
// for today's decoder layer (no dropout, RMSNorm in fp32, SwiGLU, GQA, RoPE) by walking what
// autograd saves in transformers' LlamaDecoderLayer (fully trained):
//   each RMSNorm: fp32 input (4h) + bf16 normalized output used by the next linear (2h)  -> 12h
//   attention (SDPA / flash): q, k, v and the output (2 bytes each); SDPA paths expand GQA k/v
//     to all heads first (repeat_kv; torchtune and LitGPT expand too), flash-attn does not;
//     o_proj's input is SDPA's output transposed into a copy (2h; a view under flash-attn)
//   SwiGLU MLP: gate out, silu(gate), up out, silu*up (input of down_proj): 4 x 2i
//   plain GELU MLP: fc out + gelu out: 2 x 2i
//   eager attention adds the softmax output in fp32 + its bf16 copy: 6 bytes x heads x s
// MoE layers: k routed experts per token, each keeping its gathered input (2h) + MLP (8 i_e),
// plus shared experts and the router's fp32 logits (Mixtral/Qwen-MoE modeling files).
// A linear's input is kept only for its weight's gradient, so under LoRA/freeze the frozen
// linears keep none of it (adapters and 4-bit layers keep their own; see `input` below).
// Benchmark (bench/accuracy/DIAGNOSIS.md §0.1): LitGPT LoRA vs QLoRA pairs at identical settings
// differ by what MatMul4Bit keeps (10.6h measured vs 11.4h modelled per token per layer, L2-7B).
struct LayerAct {
    double per_token = 0;       // bytes per token, excluding the s^2 term
    double per_token_s = 0;     // bytes per token per unit of sequence length (eager scores)
    double selective = 0;       // bytes per token kept under op-level selective recomputation (torchtitan SAC)
    double selective_core = 0;  // bytes per token Megatron's selective recompute drops from per_token
    double norm_outputs = 0;    // bytes per token of the normalised inputs of attention and MLP
    double bnb_ctx = 0;         // bytes per token that bitsandbytes' 4-bit layers hold on ctx (see below)
    double fixed = 0;           // bytes per layer kept whatever the tokens (DoRA with dropout: weight copies)
    double transient = 0;       // bytes per layer alive only inside its forward (DoRA's weight norm)
};

// `layer_trains`: the layer's own weights train (false for frozen layers that gradients only
// pass through, e.g. above a freeze range).
LayerAct layer_activation(const TrainingConfig& c, const Architecture& a, bool moe_layer, bool layer_trains = true) {
    const double h = static_cast<double>(a.hidden_size);
    const double heads = static_cast<double>(a.num_attention_heads);
    double q_dim, kv_dim, o_dim;
    if (a.is_mla()) {
        q_dim = heads * static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
        kv_dim = (q_dim + heads * static_cast<double>(a.v_head_dim)) / 2;
        o_dim = heads * static_cast<double>(a.v_head_dim);   // o_proj reads the value heads
    } else {
        q_dim = heads * static_cast<double>(a.head_size());
        kv_dim = static_cast<double>(a.kv_heads() * a.head_size());
        o_dim = q_dim;
    }
    const double kv_saved = c.attention == Attention::flash ? kv_dim : q_dim;
    const Dtypes d = dtypes_for(c);
    const bool autocast = d.autocast;
    const bool fp32_stream = d.fp32_stream();
    const bool fused = c.compile || c.framework == Framework::unsloth;
    // A norm keeps its input: RMSNorm in eager PyTorch upcasts and keeps the fp32 copy (4 B);
    // LayerNorm's native kernel and compiled/fused RMSNorm keep the 16-bit input + per-row stats.
    const double norm_in = (a.norm == NormKind::layernorm || fused) && !fp32_stream ? 2 : 4;
    const double norm_out = fp32_stream ? 4 : 2;
    // Parallel attention + MLP blocks (GPT-J, Falcon, phi-1.5, GPT-NeoX) normalise one input.
    const double norm_inputs = a.parallel_attn_mlp ? 1 : 2;
    // Everything else is kept in the compute dtype: 2 B, or 4 B under fp32 training.
    const double cb = d.act;
    LayerAct la;
    double bytes = norm_inputs * norm_in * h;
    // Gated MLP: gate out, silu(gate), up out; a fused SwiGLU kernel keeps gate and up only.
    // Plain MLP: fc out. (The down projection's input, silu*up or gelu out, is a linear input below.)
    const double core_factor = (a.mlp == MlpKind::gated ? (fused ? 2 : 3) : 1) * cb;
    const bool moe = moe_layer && a.is_moe();
    const double k_routed = moe ? static_cast<double>(a.num_experts_per_tok) : 0;
    double shared_i = 0;
    if (moe) {
        shared_i = static_cast<double>(a.shared_expert_intermediate_size);
        if (a.n_shared_experts > 0) shared_i += static_cast<double>(a.n_shared_experts * a.moe_intermediate_size);
    }
    // What autograd saves of each linear's input. PyTorch keeps a linear's input only for its
    // weight's gradient (derivatives.yaml: mm's `self` enters only mat2's formula; the codegen
    // guards the save with should_compute_output), so a frozen nn.Linear keeps nothing of it.
    // bitsandbytes' MatMul4Bit kept A whenever it needed an input gradient (ctx.tensors = (A, B))
    // until 0.44 (Sep 2024); since then it keeps only B (ctx.tensors = (None, B)). `bnb_pre_044`
    // selects the old habit: the benchmark's bitsandbytes QLoRA runs predate 0.44 (DIAGNOSIS.md §0.1,
    // fms-acceleration pins 0.43.3). LLM.int8's MatMul8bitLt keeps its input either way. A LoRA adapter keeps
    // what its lora_A sees: the dropped-out copy (+ a 1-byte mask) with dropout, the fp32 cast with
    // PEFT's fp32 adapters over a 16-bit base, the autocast bf16 copy under AMP — or the shared
    // input itself.
    // A frozen base under c.adapter; `lora`: with adapters on its linears (prompt learning and
    // trainable tokens add none: their layers are frozen pass-throughs).
    const bool adapter_run = c.method == Method::lora || c.method == Method::qlora;
    const bool lora = adapter_run && adapts_linears(c.adapter);
    // 4-bit (and LLM.int8) bases that keep their input: bitsandbytes' MatMul4Bit / MatMul8bitLt.
    // torchtune's NF4 is torchao's LinearNF4, whose autograd function saves only the weight.
    const bool bnb_base = c.method == Method::qlora && c.framework != Framework::torchtune &&
                          (c.quant_bits == 8 || c.bnb_pre_044);
    // PEFT's LoRA layers (HF Trainer, axolotl, DeepSpeed scripts); Unsloth's fused LoRA kernels
    // (fast_lora.py: LoRA_QKV, LoRA_MLP) keep the shared input once.
    const bool peft = peft_lora_layers(c.framework);
    auto trained = [&](LinearKind k) {
        if (c.method == Method::full) return true;
        if (c.method != Method::freeze || !layer_trains) return false;
        switch (k) {
            case LinearKind::q: case LinearKind::k: case LinearKind::v: case LinearKind::o: return c.train_attention;
            case LinearKind::gate: case LinearKind::up: case LinearKind::down:
            case LinearKind::shared_expert: return c.train_mlp;
            case LinearKind::expert: return c.train_experts != 0;
            case LinearKind::router: return c.train_router;
        }
        return false;
    };
    auto adapted = [&](LinearKind k) { return lora && (c.lora_targets & target_bit(k)) != 0; };
    const bool lit = c.framework == Framework::litgpt;
    // Bytes per element an adapter keeps beyond the shared input (0: it shares the input).
    auto adapter_copy = [&](double in_bytes) {
        if (c.lora_dropout) return (autocast ? 2 : (peft ? 4 : in_bytes)) + 1;
        return autocast ? 2.0 : (peft && in_bytes < 4 ? 4.0 : 0.0);
    };
    // One input tensor of `width` elements (in `in_bytes`) read by `kinds`; `fused`: the kinds
    // are one module (LitGPT's fused qkv: one base matmul, one adapter). Returns the bytes kept
    // of the shared tensor itself and of the copies made from it.
    // `bnb`: what a 4-bit base holds of this input on its autograd ctx (ctx.tensors = (A, B), A after
    // Linear4bit's cast to the 16-bit compute dtype), counted once per tensor.
    struct Kept { double shared = 0, copies = 0, bnb = 0; double all() const { return shared + copies; } };
    auto input = [&](double width, double in_bytes, std::initializer_list<LinearKind> kinds, bool fused_module) {
        bool shared = false;
        double copies = 0;
        auto base = [&](bool keeps) {
            if (!keeps) return;
            // bnb's Linear4bit casts to its compute dtype first (a copy of its own from an fp32
            // stream); autocast casts the input per call for a trained nn.Linear.
            if (in_bytes >= 4 && (bnb_base || autocast)) copies += 2; else shared = true;
        };
        auto adapter = [&](bool has, LinearKind k) {
            if (!has) return;
            // LoRA-FA's frozen A keeps nothing of its input (only dropout's 1-byte mask remains);
            // nor does VeRA's frozen vera_A (PEFT vera/layer.py: F.linear(dropout(x), sliced_A)).
            if (c.lora_fa || c.adapter == Adapter::vera) { copies += c.lora_dropout ? 1 : 0; return; }
            // IA3 scales an MLP linear's input: `x = x.to(ia3_l.dtype)` (fp32) and `x * ia3_scaling`
            // keeps that cast for the vector's gradient (PEFT ia3/layer.py); an attention linear's
            // output is scaled instead (below).
            if (c.adapter == Adapter::ia3) {
                if (!mlp_kind(k)) return;
                if (in_bytes < 4) copies += 4; else shared = true;
                return;
            }
            const double cp = adapter_copy(in_bytes);
            if (cp > 0) copies += cp; else shared = true;
        };
        if (fused_module) {
            bool keeps = false, has = false;
            for (LinearKind k : kinds) { keeps |= bnb_base || trained(k); has |= adapted(k); }
            base(keeps);
            adapter(has, *kinds.begin());
        } else {
            for (LinearKind k : kinds) { base(bnb_base || trained(k)); adapter(adapted(k), k); }
        }
        return Kept{width * (shared ? in_bytes : 0), width * copies, bnb_base ? width * std::min(in_bytes, cb) : 0};
    };
    // Fused modules: LitGPT always fuses q, k, v (and keeps fc_1 / fc_2 apart); HF modeling code
    // fuses them per family (GPT-2 c_attn, Phi-3 qkv_proj / gate_up_proj); torchtune never.
    const bool hf_modules = peft_stack(c.framework);
    const bool qkv_fused = lit || (hf_modules && fused_qkv(a));
    const bool gate_up_fused = hf_modules && fused_gate_up(a);
    const Kept attn_in = input(h, norm_out, {LinearKind::q, LinearKind::k, LinearKind::v}, qkv_fused);
    Kept mlp_in;
    // q, k and v as attention keeps them, and SDPA's / flash-attn's own output (their backward
    // reads it); eager attention's output is a plain matmul result that nothing keeps (the
    // softmax and v are what its backward reads; the s^2 part is per_token_s below).
    // Gemma 2 soft-caps attention scores (tanh). Torch SDPA cannot, so LitGPT takes its explicit
    // path (litgpt/model.py: "with softcapping we cannot use SDPA"); flash-attn >= 2.6 can.
    const bool softcap_eager = softcap_explicit_attention(c, a);
    const bool eager = c.attention == Attention::eager || softcap_eager;
    bytes += cb * (q_dim + 2 * kv_saved + (eager ? 0 : o_dim));
    // LitGPT without grouped queries: v stays a view into the fused qkv output, so what
    // attention keeps of v holds the whole qkv tensor alive (litgpt/model.py, CausalSelfAttention:
    // qkv.view().permute().split(); only k and v of grouped-query models are expanded, i.e. copied).
    if (lit && a.kv_heads() == a.num_attention_heads && !a.is_mla()) bytes += cb * (q_dim + kv_dim);
    // o_proj's input: SDPA's (B, heads, T, hs) output transposed into a copy; flash-attn returns
    // (B, T, heads, hs), so the reshape is a view of the tensor attention keeps anyway.
    const Kept o_in = input(o_dim, cb, {LinearKind::o}, false);
    bytes += c.attention == Attention::flash ? o_in.copies : o_in.all();
    if (moe) {
        // the router and the shared experts' gate and up read the normalised input
        mlp_in = shared_i > 0 ? input(h, norm_out, {LinearKind::router, LinearKind::shared_expert, LinearKind::shared_expert}, false)
                              : input(h, norm_out, {LinearKind::router}, false);
        const double ie = static_cast<double>(a.moe_intermediate_size);
        // each routed expert's gate and up read its gathered copy of the token
        const Kept e_in = input(h, cb, {LinearKind::expert, LinearKind::expert}, false);
        const Kept e_down = input(ie, cb, {LinearKind::expert}, false);
        bytes += k_routed * (e_in.all() + ie * core_factor + e_down.all());
        la.bnb_ctx += k_routed * (e_in.bnb + e_down.bnb);
        if (shared_i > 0) {
            const Kept s_down = input(shared_i, cb, {LinearKind::shared_expert}, false);
            bytes += shared_i * core_factor + s_down.all();
            la.bnb_ctx += s_down.bnb;
        }
        bytes += 4.0 * 2 * static_cast<double>(a.num_experts);   // router logits + softmax, fp32
    } else {
        const double i = static_cast<double>(a.intermediate_size);
        mlp_in = a.mlp == MlpKind::gated ? input(h, norm_out, {LinearKind::gate, LinearKind::up}, gate_up_fused)
                                          : input(h, norm_out, {LinearKind::up}, false);
        const Kept down_in = input(i, cb, {LinearKind::down}, false);
        bytes += i * core_factor + down_in.all();
        la.bnb_ctx += down_in.bnb;
    }
    // A parallel block reads one norm output in attention and MLP alike: its tensor counts once.
    auto norm_tensors = [&](double attn, double mlp) { return a.parallel_attn_mlp ? std::max(attn, mlp) : attn + mlp; };
    la.bnb_ctx += norm_tensors(attn_in.bnb, mlp_in.bnb) + o_in.bnb;
    const double shared_norm = norm_tensors(attn_in.shared, mlp_in.shared);
    la.norm_outputs = shared_norm + attn_in.copies + mlp_in.copies;
    bytes += la.norm_outputs;
    // Training dropout in HF modeling code (BERT, GPT-2, T5 configs: p = 0.1): a 1-byte mask for
    // the dropped-out attention output and the dropped-out MLP output before each residual add
    // (modeling_bert.py BertSelfOutput / BertOutput; GPT-2 resid_dropout; T5 layer dropout).
    const bool hf_dropout = a.dropout && hf_modules;
    if (hf_dropout) bytes += 2 * h;
    // Selective activation checkpointing.
    // Megatron's --recompute-granularity selective (Korthikanti et al. 2022 §5; megatron/core
    // transformer/attention.py checkpoints core_attention only): the core attention is recomputed,
    // so its softmax (the s^2 term) and SDPA's own output are not kept; q, k, v stay as the
    // checkpoint's inputs and every other tensor is kept as without checkpointing (selective_core
    // below, subtracted from per_token).
    // Everywhere else, torchtitan's op-level SAC policy (torchtitan/models/llama/parallelize_llama.py,
    // _save_list and _custom_policy, Dec 2024): inside each checkpointed block, the outputs of SDPA /
    // flash attention (its output and the fp32 logsumexp per head) and of every other aten.mm in call
    // order (the 1st, 3rd, ...: q, v, gate and down of a Llama block) are saved; the rest (norms,
    // RoPE, k, o, up, SwiGLU) is recomputed. The block's input stays alive as the checkpoint's
    // argument. Eager SAC caches every saved op's output whether backward reads it or not
    // (torch/utils/checkpoint.py, _CachingTorchDispatchMode); compiled, AOTAutograd's partitioner
    // keeps only what backward reads, and the block's output projections (o, down), read only by
    // the residual adds, are dropped (torchtitan's Dec 2024 tables: torch.compile -5.4 / -5.0 GiB
    // at 8B, 2 x 8192 tokens, which is the down output's 2h per token per layer, 4.0 GiB, plus the
    // fused recompute working set).
    {
        // the block's matmuls in call order: output width per token, and whether only a residual
        // add reads it (o, down)
        double mm_w[8] = {};
        bool mm_resid[8] = {};
        int n_mm = 0;
        auto add_mm = [&](double w, bool resid) { mm_w[n_mm] = w; mm_resid[n_mm] = resid; ++n_mm; };
        if (qkv_fused) {
            add_mm(q_dim + 2 * kv_dim, false);
        } else {
            add_mm(q_dim, false);
            add_mm(kv_dim, false);
            add_mm(kv_dim, false);
        }
        add_mm(h, true);                                   // o
        double kept = 0;
        if (moe) {
            // routed experts run as grouped / batched matmuls (not aten.mm): half of their outputs;
            // the router's and the shared experts' mm as listed
            add_mm(static_cast<double>(a.num_experts), false);
            kept = k_routed * (2 * static_cast<double>(a.moe_intermediate_size) + h) / 2;
            if (shared_i > 0) {
                add_mm(shared_i, false);
                add_mm(shared_i, false);
                add_mm(h, true);
            }
        } else {
            const double i = static_cast<double>(a.intermediate_size);
            const bool gated = a.mlp == MlpKind::gated;
            if (gated && !gate_up_fused) add_mm(i, false);   // gate, then up
            add_mm(gated && gate_up_fused ? 2 * i : i, false);
            add_mm(h, true);                               // down
        }
        for (int n = 0; n < n_mm; n += 2)                  // the 1st, 3rd, ... matmul of the block
            if (!(c.compile && mm_resid[n])) kept += mm_w[n];
        const double sdpa_out = eager ? 0 : o_dim + (4.0 / cb) * heads;   // output + fp32 logsumexp
        la.selective = norm_out * h + cb * (kept + sdpa_out);
        la.selective_core = eager ? 0 : cb * o_dim;
    }
    // Every adapted linear kind with its in and out width, how many of its matrices one token
    // passes through, and how many it has per layer (routed experts: the --lora-experts share).
    auto each_linear = [&](auto&& visit) {
        visit(LinearKind::q, h, q_dim, 1, 1);
        visit(LinearKind::k, h, kv_dim, 1, 1);
        visit(LinearKind::v, h, kv_dim, 1, 1);
        visit(LinearKind::o, o_dim, h, 1, 1);
        if (moe) {
            const double ie = static_cast<double>(a.moe_intermediate_size);
            const double E = static_cast<double>(a.num_experts);
            const double e_used = c.lora_experts >= 0 ? std::min(E, static_cast<double>(c.lora_experts)) : E;
            const double k_ad = std::min(k_routed, e_used);
            visit(LinearKind::expert, h, ie, 2 * k_ad, 2 * e_used);   // gate and up of each routed expert
            visit(LinearKind::expert, ie, h, k_ad, e_used);            // down
            if (shared_i > 0) {
                visit(LinearKind::shared_expert, h, shared_i, 2, 2);
                visit(LinearKind::shared_expert, shared_i, h, 1, 1);
            }
            visit(LinearKind::router, h, E, 1, 1);
        } else {
            const double i = static_cast<double>(a.intermediate_size);
            if (a.mlp == MlpKind::gated) {
                visit(LinearKind::gate, h, i, 1, 1);
                visit(LinearKind::up, h, i, 1, 1);
            } else {
                visit(LinearKind::up, h, i, 1, 1);
            }
            visit(LinearKind::down, i, h, 1, 1);
        }
    };
    // DoRA (Liu et al. 2024, eq. 5; PEFT tuners/lora/dora.py DoraLinearLayer.forward, torchtune's
    // DoRALinear likewise): result_dora = (m / ||W + s.BA||_c - 1) * base_result + m / ||W + s.BA||_c
    // * lora_B(lora_A(x)) * s, the norm detached (§4.3). The magnitude m trains, so both products
    // keep their other operand: per token each adapted linear keeps its base output and its LoRA
    // output (out x (base + adapter bytes)). With lora_dropout > 0 PEFT (not torchtune) does not
    // reuse the base output but recomputes it, F.linear(dropout(x), W.to(x.dtype)), in the adapter dtype, and
    // F.linear keeps that cast of W for the input's gradient: a copy of the layer's adapted
    // weights (la.fixed) whenever the adapter dtype is not the stored one (or the base is 4-bit).
    // Each forward also builds, and frees, the weight norm: eye(in) through the adapter (in x in),
    // the LoRA product, the cast W, s.BA and their sum (in x out each) — la.transient, the
    // largest adapted matrix's.
    if (c.use_dora && lora) {
        const double bx = autocast ? 4.0 : (peft && cb < 4 ? 4.0 : cb);          // x as the adapter sees it
        const double b_lora = autocast ? 2.0 : bx;                                 // lora_result
        // PEFT recomputes the base output under dropout; torchtune's DoRALinear always reuses it.
        const bool recompute_base = c.lora_dropout && peft_stack(c.framework);
        const double b_base = recompute_base ? (autocast ? 2.0 : bx) : cb;         // base_result
        const double b_copy = autocast ? 2.0 : (c.method == Method::qlora || bx != d.weight ? bx : 0.0);
        const double qdq = c.method == Method::qlora ? 2.0 : 0.0;                  // dequantized 4-bit weight
        auto dora = [&](LinearKind k, double in, double out, double per_token_count, double matrices) {
            if (!adapted(k) || in <= 0 || out <= 0) return;
            bytes += per_token_count * out * (b_base + b_lora);
            if (recompute_base) la.fixed += matrices * in * out * b_copy;
            la.transient = std::max(la.transient, in * in * bx + in * out * (3 * bx + b_copy + qdq));
        };
        each_linear(dora);
    }
    // What VeRA and IA3 keep of each adapted linear's output, per token: VeRA's
    // `lambda_b * F.linear(lambda_d * F.linear(x, A), B)` keeps both frozen projections' fp32
    // outputs for the lambdas' gradients (r + out, 4 B each); IA3's `result * ia3_scaling` keeps an
    // attention linear's output in the compute dtype (PEFT vera/layer.py, ia3/layer.py).
    if (lora && (c.adapter == Adapter::vera || c.adapter == Adapter::ia3)) {
        const double r = static_cast<double>(std::max(1, c.lora_rank));
        each_linear([&](LinearKind k, double, double out, double per_token_count, double) {
            if (!adapted(k)) return;
            if (c.adapter == Adapter::vera) bytes += per_token_count * 4 * (r + out);
            else if (!mlp_kind(k)) bytes += per_token_count * cb * out;
        });
    }
    // LoHa's F.linear(x, delta_weight) keeps, beside its input's cast (as LoRA's lora_A does), the
    // delta weight ((w1_a w1_b) * (w2_a w2_b) * scale, out x in, fp32; its autocast bf16 copy under
    // AMP) for the input's gradient: one per adapted matrix, whatever the tokens. Building it holds
    // the two products and their product at once (PEFT loha/layer.py HadaWeight.forward).
    // OFT rotates the input (PEFT oft/layer.py OFTRotationModule.forward): the einsum keeps the
    // input's fp32 cast (as LoRA's lora_A does) and the rotation R; the Cayley-Neumann series (5
    // terms) keeps Q, Q^2 and Q^3 for its bmm's: four fp32 (blocks, b, b) tensors = 4 x in x b.
    // LLaMA-Adapter (LitGPT adapter.py CausalSelfAttention.scaled_dot_product_attention): a second
    // SDPA of the layer's queries over the n prompt keys, whose output (and fp32 logsumexp) stays
    // for the gating factor's gradient and its own backward. v2's AdapterV2Linear,
    // adapter_scale * (linear(x) + adapter_bias), keeps that sum, every linear's output, for the
    // scale's gradient (its trained norms: below).
    if (adapter_run && llama_adapter(c.adapter)) {
        bytes += cb * q_dim + 4 * heads;
        if (c.adapter == Adapter::llama_adapter_v2)
            each_linear([&](LinearKind, double, double out, double per_token_count, double) { bytes += per_token_count * cb * out; });
    }
    // A trained RMSNorm weight keeps what it multiplies, beside the fp32 input the norm keeps for
    // itself: HF's LlamaRMSNorm (Mistral, Qwen, Phi-3 alike) and torchtune's RMSNorm return
    // weight * x_normed.to(input_dtype), whose mul saves that 16-bit x_normed for the weight's
    // gradient; LitGPT's weight * x_normed and Gemma's (1 + weight) * x_normed are taken in fp32.
    // torch's nn.RMSNorm (torchtitan) decomposes the same way in eager mode (rms_norm_symint:
    // x_normed.type_as(input).mul(weight)). LayerNorm's kernel and compiled or fused RMSNorms
    // (Unsloth, Megatron's TE/apex) get the weight's gradient from what they keep anyway.
    const bool norms_train = c.method == Method::full || (c.method == Method::freeze && layer_trains && c.train_norms) ||
                             (adapter_run && c.adapter == Adapter::llama_adapter_v2);
    if (norms_train && a.norm == NormKind::rms && !fused && c.framework != Framework::megatron) {
        const bool fp32_mul = lit || a.family.rfind("gemma", 0) == 0 || fp32_stream;
        bytes += norm_inputs * (fp32_mul ? 4.0 : cb) * h;
    }
    if (lora && (c.adapter == Adapter::loha || c.adapter == Adapter::oft)) {
        const double wb = autocast ? 2.0 : 4.0;
        each_linear([&](LinearKind k, double in, double out, double, double matrices) {
            if (!adapted(k) || in <= 0 || out <= 0) return;
            if (c.adapter == Adapter::loha) {
                la.fixed += matrices * in * out * wb;
                la.transient = std::max(la.transient, 3 * in * out * 4.0);
            } else {
                const auto in_i = static_cast<int64_t>(in);
                const double b = static_cast<double>(in_i / oft_blocks(in_i, c.lora_rank));
                la.fixed += matrices * 4 * in * b * 4.0;
            }
        });
    }
    la.per_token = bytes;
    // Eager attention keeps the fp32 softmax output for its own backward and, in 16-bit training,
    // the 16-bit cast that the matmul with v keeps (transformers' eager_attention_forward); in fp32
    // they are one tensor. Soft-capping keeps the scores' tanh output too.
    // With dropout on the attention weights (eager; SDPA and flash-attn keep an RNG state instead)
    // the matmul with v keeps the dropped-out copy and dropout a 1-byte mask: 4 + 1 + 4 in fp32,
    // the dropped-out copy replacing the 16-bit cast otherwise (+1).
    if (eager)
        la.per_token_s = heads * (c.precision == Precision::fp32 ? 4.0 : 6.0) +
                         (softcap_eager ? heads * (c.precision == Precision::fp32 ? 4.0 : 2.0) : 0) +
                         (hf_dropout ? heads * (c.precision == Precision::fp32 ? 5.0 : 1.0) : 0);
    // Prefix tuning (PEFT PeftModelForCausalLM.forward passes the prefix as past_key_values): each
    // layer's cache update concatenates the n virtual keys and values before the sequence's, the
    // cache holds that (b, kv heads, n + s, d) pair to the end of the step, and attention keeps k and
    // v over n + s (expanded to all heads by SDPA's repeat_kv, the mask ruling out enable_gqa), and
    // eager scores over s x (n + s): per layer b x n more of each, and b x (n + s) x 2 kv in the cache.
    if (adapter_run && c.adapter == Adapter::prefix) {
        const double b = static_cast<double>(c.micro_batch), n = static_cast<double>(c.virtual_tokens);
        const double s = static_cast<double>(c.seq_len);
        la.fixed += b * n * 2 * kv_saved * cb + b * (n + s) * 2 * kv_dim * cb + b * s * n * la.per_token_s;
    }
    return la;
}

// Logits and loss buffers per token, in units of vocab_size bytes, at their height (the start
// of backward). Non-chunked, every framework does what transformers' ForCausalLMLoss and
// torchtune's recipes do: bf16 logits (2) kept by the model output, upcast to fp32 (4) for
// cross_entropy, whose log-softmax (4) is saved, plus the fp32 gradient of the loss (4) when
// backward starts, minus what is freed in between -> 3 fp32 copies (12). Chunked cross-entropy
// (torchtune CEWithChunkedOutputLoss, LitGPT chunked_cross_entropy, Liger) upcasts one chunk at
// a time: the bf16 logits and their bf16 gradient remain (4). Unsloth's fused CE kernel never
// materialises fp32 logits (2). Megatron's vocab-parallel CE keeps fp32 logits in place (6).
// Calibrated against the torchtune flags ladder (chunked CE: -8.1 GiB at 8192 x 128256).
// Final-logit soft-capping (Gemma 2: logits = tanh(logits / cap) * cap) keeps the tanh output
// for backward, one more 16-bit copy of the logits; Unsloth's fused cross-entropy applies it
// in-kernel (2 B per token per vocab entry when true).
bool keeps_final_softcap(const TrainingConfig& c, const Architecture& a) {
    return a.final_softcap && c.framework != Framework::unsloth;
}

double logits_bytes_per_token_per_vocab(const TrainingConfig& c) {
    const bool chunked = c.chunked_ce;
    if (c.precision == Precision::fp32) return chunked ? 8 : 16;
    switch (c.framework) {
        // LitGPT chunks lm_head and cross-entropy by 128 tokens but stays in bf16: logits (2),
        // saved log-softmax (2) and at backward start their two bf16 gradients (4).
        case Framework::litgpt: return chunked ? 4 : 8;
        case Framework::unsloth: return 2;
        // Megatron's vocab-parallel cross-entropy upcasts the 16-bit logits to fp32 and turns that
        // copy into the softmax in place, which it saves; backward writes the gradient into it and
        // autograd casts it to 16 bits: 4 + 2. --cross-entropy-loss-fusion (megatron/core/fusions/
        // fused_cross_entropy.py) fuses the same in-place steps, so it keeps as much; Megatron never
        // chunks the loss, so chunked CE does not apply.
        case Framework::megatron: return 6;
        // torchtune with compile also compiles the chunk's cross-entropy (training.compile_loss):
        // AOTAutograd's min-cut partitioner saves the bf16 chunk and its logsumexp and recomputes the
        // fp32 upcast and softmax in backward, and the recipe deletes the logits list before
        // backward ("del logits"), so only the bf16 logits remain (2).
        case Framework::torchtune:
        case Framework::pytorch: return chunked ? (c.compile ? 2 : 4) : 12;
        // HF Trainer drops the model output (and its fp32 logits) before backward: the saved
        // log-softmax and its gradient remain (2 fp32 copies; fms-acceleration slopes: 8.5-9).
        default: return chunked ? 4 : 8;
    }
}

// Fused linear cross-entropy: the lm_head matmul and the loss run one chunk of tokens at a time,
// so the b*s*V logits never exist at once. Liger-Kernel (ops/fused_linear_cross_entropy.py) sizes
// the chunk to hold about as many logits as there are hidden-state values: inc = ceil(V / h),
// chunk = next power of two of ceil(BT / inc), at most BT. It keeps that chunk of logits in the
// compute dtype (its loss kernel writes the gradient in place), grad_input (BT x h, filled in
// forward and handed to backward) and an fp32 loss per token. Apple's Cut Cross-Entropy (Wijmans
// et al. 2024; Unsloth's loss since December 2024) keeps no chunk at all, so this bounds it.
struct FusedCe {
    double chunk_tokens = 0, bytes = 0;
};
FusedCe fused_linear_ce(double tokens, double h, double V, double elem) {
    if (tokens <= 0 || h <= 0 || V <= 0) return {};
    const double inc = std::ceil(V / h);
    const double per_chunk = std::ceil(tokens / inc);
    const double chunk = std::min(tokens, std::exp2(std::ceil(std::log2(std::max(1.0, per_chunk)))));
    return {chunk, chunk * V * elem + tokens * (h * elem + 4)};
}
}  // namespace

// =============================================================================================
// 5-6. Sharding, phases, totals
// =============================================================================================
namespace {
double gpu_peak_tflops(const Gpu& g, Precision p) {
    auto first = [](double a, double b, double c) { return a > 0 ? a : (b > 0 ? b : c); };
    switch (p) {
        case Precision::fp32: return first(g.fp32_tflops, g.bf16_tflops / 8, 0);
        case Precision::amp_fp16:
        case Precision::fp16_mixed: return first(g.fp16_tflops, g.bf16_tflops, g.fp32_tflops);
        case Precision::fp8_mixed: return first(g.fp8_tflops, g.bf16_tflops, g.fp16_tflops);
        default: return first(g.bf16_tflops, g.fp16_tflops, g.fp32_tflops);
    }
}

// Default MFU: what well-tuned single-node runs reach (PaLM appendix B; torchtitan H100
// benchmarks ~38-45 %; QLoRA dequantization costs about a third, Dettmers et al. 2023).
double default_mfu(const Gpu& g, Method m) {
    double base = g.vendor == "NVIDIA" ? 0.40 : 0.30;
    if (g.generation == "volta" || g.generation == "turing") base = 0.30;
    switch (m) {
        case Method::full: return base;
        case Method::lora: return base * 0.85;
        case Method::qlora: return base * 0.6;
        case Method::freeze: return base * 0.9;
    }
    return base;
}

struct Amounts {   // per GPU, bytes (double until the end)
    double w_train = 0, w_frozen = 0, w_quant = 0, adapters = 0;
    double grads = 0, states = 0, master = 0, paged = 0;
    double act_saved = 0, act_work = 0, logits = 0;
    double act_fwd = 0;          // alive only inside one layer's forward (DoRA's weight norm)
    double opt_temp = 0, buf_fwd = 0, buf_bwd = 0, amp_cast = 0, grad_head = 0;
    bool opt_temp_all = false;   // opt_temp covers every parameter at once (foreach), not one tensor
    bool fsdp_mp = false;        // FSDP mixed precision: fp32 shards, 16-bit only when gathered
    double train_bytes = 2;      // bytes per trainable base weight as stored
    double held_prev = 0, logits_out = 0;   // the previous micro-batch's graph, the returned logits
    double fused_chunk = 0;                 // tokens per chunk of the fused linear cross-entropy
    double cpu = 0;
};
}  // namespace

namespace {
struct Layout {
    int tp, pp, dp, ep, z;
};

std::string fmt(const char* f, double a1 = 0, double a2 = 0, double a3 = 0, double a4 = 0) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, a1, a2, a3, a4);
    return buf;
}
std::string gib(double bytes) { return fmt("%.2f GiB", bytes / kGiB); }
std::string count(double n) { return format_count(static_cast<int64_t>(std::max(0.0, n))); }

// The formula of each part, with the numbers that went in (shown in the page's tooltips and
// `vramcalc estimate --explain`).
void explain_parts(Estimate& e, const TrainingConfig& c, const Architecture& a, const Trainable& t, const Dtypes& d,
                   const Amounts& am, Layout l, double tokens, double logit_k) {
    auto set = [&](Part p, std::string f) { e.parts[idx(p)].formula = std::move(f); };
    const bool adapter_run = c.method == Method::lora || c.method == Method::qlora;
    std::string shard;
    if (l.tp * l.pp > 1) shard += fmt(" / (TP %.0f x PP %.0f)", l.tp, l.pp);
    const std::string zs = l.dp > 1 && l.z > 0 ? fmt(" / %.0f data-parallel ranks (ZeRO-%.0f)", l.dp, l.z) : "";
    if (am.fsdp_mp)
        set(Part::weights_trainable, "none apart from the master weights: FSDP mixed precision shards the fp32 parameters "
                                     "and casts to 16-bit only the units it gathers (buffers) = " + gib(am.w_train));
    else
        set(Part::weights_trainable, fmt("%.0f B x ", am.train_bytes) + count(static_cast<double>(t.base_trainable)) +
                                         " trainable params" + shard + (l.z == 3 ? zs : "") + " = " + gib(am.w_train));
    set(Part::weights_frozen, count(static_cast<double>(t.base_frozen)) + " frozen params in " +
                                  (am.fsdp_mp ? "fp32 (FSDP mixed precision)" : "16/32-bit") + shard +
                                  (l.z == 3 ? zs : "") + " = " + gib(am.w_frozen));
    set(Part::weights_quantized,
        count(static_cast<double>(t.quantized)) +
            (c.quant_bits == 8 ? " params x 1 B (int8) + row scales"
                               : (nf4_double_quant(c) ? " params x (0.5 B NF4 + 0.0159 B double-quantized absmax)"
                                                 : " params x (0.5 B NF4 + 0.0625 B fp32 absmax per 64)")) +
            " = " + gib(am.w_quant));
    if (c.adapter == Adapter::lora)
        set(Part::adapters, "rank " + std::to_string(c.lora_rank) + " x sum(in + out) over " +
                                targets_to_string(present_targets(c, a)) +
                                (c.use_dora ? " + one DoRA magnitude per output feature" : "") +
                                (c.trainable_tokens > 0 ? " + " + std::to_string(c.trainable_tokens) + " embedding rows" : "") +
                                " = " + count(static_cast<double>(t.adapters)) +
                                " params = " + gib(am.adapters));
    else
        set(Part::adapters, std::string(label_of(c.adapter)) +
                                (prompt_learning(c.adapter)     ? ", " + std::to_string(c.virtual_tokens) + " virtual tokens"
                                 : c.adapter == Adapter::tokens ? ", " + std::to_string(c.trainable_tokens) + " embedding rows"
                                                                : " r " + std::to_string(c.lora_rank) + " on " + targets_to_string(present_targets(c, a))) +
                                ": " + count(static_cast<double>(t.adapters)) + " params = " + gib(am.adapters));
    set(Part::gradients, "one gradient per trainable parameter" + std::string(l.z >= 2 ? zs : "") +
                             (c.grads_set_to_none ? "" : " (zero_grad(set_to_none=False): held through forward and backward)") +
                             " = " + gib(am.grads));
    if (is_galore(c.optimizer))
        set(Part::optimizer_states, std::string(name_of(c.optimizer)) + " rank " + std::to_string(c.galore_rank) +
                                        ": projected moments (r x max(m, n) per layer matrix, " +
                                        count(t.galore_moment_elems / 2) + " each) + projectors (r x min(m, n), " +
                                        count(t.galore_ortho_elems) + ") + full moments for " +
                                        count(std::max(0.0, static_cast<double>(t.base_trainable) - t.galore_covered) +
                                              static_cast<double>(t.adapters_trained)) +
                                        " other params = " + gib(am.states));
    else if (c.optimizer == Optimizer::muon)
        set(Part::optimizer_states, "muon: one momentum for each of " + count(t.muon_covered) +
                                        " layer-matrix weights, AdamW's two for the other " +
                                        count(std::max(0.0, static_cast<double>(t.base_trainable) - t.muon_covered) +
                                              static_cast<double>(t.adapters_trained)) +
                                        std::string(l.z >= 1 ? zs : "") + " = " + gib(am.states));
    else
    set(Part::optimizer_states, std::string(name_of(c.optimizer)) + " states per trainable parameter" +
                                    (l.z >= 1 ? zs : "") + (c.offload_optimizer ? " (offloaded to CPU)" : "") + " = " +
                                    gib(am.states) + (am.paged > 0 ? ", paged (outside torch's allocator): " + gib(am.paged) : ""));
    set(Part::master_weights, "4 B fp32 copy per trainable half-precision parameter" + std::string(l.z >= 1 ? zs : "") +
                                  " = " + gib(am.master));
    std::string act = count(tokens) + " tokens (micro-batch " + std::to_string(c.micro_batch) + " x seq " +
                      std::to_string(c.seq_len) +
                      (adapter_run && c.adapter == Adapter::prompt
                           ? " + " + std::to_string(c.virtual_tokens) + " virtual"
                           : "") +
                      ") x " + std::to_string(t.trained_layers) + " layers";
    if (c.grad_checkpointing == Checkpointing::full) act += " x layer input only (checkpointed) + one recomputed layer";
    else act += " x saved tensors per layer (norms, q/k/v/out, MLP)";
    if (c.attention == Attention::eager) act += " + eager s^2 scores";
    else if (softcap_explicit_attention(c, a))
        act += " + s^2 scores (soft-capped attention cannot use SDPA)";
    std::string held;
    if (am.held_prev > 0)
        held = "; at the end of forward " + gib(am.act_saved) + " + " + gib(am.held_prev) +
               " of the previous micro-batch's 4-bit layer inputs, which bitsandbytes' MatMul4Bit keeps on ctx "
               "while LitGPT's `logits` holds that graph";
    if (am.act_fwd > 0)
        held += "; in forward " + gib(am.act_saved) + " + " + gib(am.act_fwd) +
                " of DoRA's weight-norm temporaries (largest adapted matrix)";
    set(Part::activations, act + " = " + gib(am.act_saved + am.act_work) + held);
    std::string habit;
    if (logit_k <= 2 && c.chunked_ce && c.framework != Framework::unsloth)
        habit = "compiled chunked cross-entropy: only the saved 16-bit logits";
    else if (logit_k <= 2) habit = "fused cross-entropy: only the 16-bit logits";
    else if (c.framework == Framework::megatron) habit = "vocab-parallel cross-entropy on fp32 logits (fused or not)";
    else if (c.chunked_ce) habit = "chunked cross-entropy: 16-bit logits and their gradient";
    else if (logit_k >= 12) habit = "16-bit logits + fp32 upcast + saved log-softmax (+ gradient), the model output kept through backward";
    else if (c.framework == Framework::litgpt) habit = "LitGPT's 128-token chunks in bf16: logits, log-softmax and their gradients";
    else habit = "the saved fp32 log-softmax and its gradient at the start of backward";
    const bool capped = keeps_final_softcap(c, a);
    if (c.task == Task::classification)
        set(Part::logits, "classification head: a few class scores per sequence, no vocabulary logits = " + gib(am.logits));
    else if (c.fused_linear_ce) {
        set(Part::logits, "fused linear cross-entropy: one chunk of " + count(am.fused_chunk) + " tokens x vocab " +
                              std::to_string(a.vocab_size) + fmt(" x %.0f B", d.act) + " + grad_input " + count(tokens) +
                              " tokens x hidden " + std::to_string(a.hidden_size) + fmt(" x %.0f B", d.act) +
                              " + 4 B loss per token" + (l.tp > 1 ? fmt(" / TP %.0f", l.tp) : "") + " = " + gib(am.logits));
    } else
        set(Part::logits, count(tokens) + " tokens x vocab " + std::to_string(a.vocab_size) + fmt(" x %.0f B", logit_k) +
                              " (" + habit + ")" + (capped ? " + 2 B (final-logit soft-capping keeps tanh's output)" : "") +
                              (adapter_run && c.adapter == Adapter::llama_adapter_v2
                                   ? fmt(" + %.0f B (the v2 head keeps linear(x) + adapter_bias)", d.act)
                                   : "") +
                              " = " + gib(am.logits));
    set(Part::optimizer_temp, std::string(am.opt_temp_all ? "foreach AdamW's sqrt(exp_avg_sq) for all parameters at once"
                                          : is_galore(c.optimizer)
                                              ? "GaLore, one matrix at a time: the largest gradient's fp32 SVD and full-size update"
                                          : c.optimizer == Optimizer::muon
                                              ? "Muon's Newton-Schulz on the largest matrix, one at a time"
                                              : "one parameter's step temporary at a time (largest matrix x 4 B)") +
                                  " = " + gib(am.opt_temp));
    set(Part::buffers, "DDP/ZeRO buckets, gathered ZeRO-3 layers, dequantized weights, autocast copies = " +
                           gib(std::max(am.buf_fwd + am.amp_cast, am.buf_bwd)));
    set(Part::cuda_context, "CUDA context + cuBLAS/cuDNN kernels (+ NCCL on several GPUs; paged states)");
    set(Part::allocator_reserve, "caching allocator: freed blocks kept, segment rounding");
}
}  // namespace

bool peft_lora_layers(Framework f) { return f == Framework::hf || f == Framework::axolotl || f == Framework::deepspeed; }
bool peft_stack(Framework f) { return peft_lora_layers(f) || f == Framework::unsloth; }

TargetMask present_targets(const TrainingConfig& c, const Architecture& a) {
    TargetMask present = 0;
    for (const Linear& lin : linears(a))
        if (lin.matrices > 0) present |= target_bit(lin.kind);
    return (c.lora_targets & present) != 0 ? (c.lora_targets & present) : c.lora_targets;
}

bool softcap_explicit_attention(const TrainingConfig& c, const Architecture& a) {
    return a.attn_softcap && (c.attention == Attention::eager ||
                              (c.attention == Attention::sdpa && c.framework == Framework::litgpt));
}

int64_t data_parallel(const TrainingConfig& c) {
    return c.gpus / std::max<int64_t>(1, static_cast<int64_t>(std::max(1, c.tp)) * std::max(1, c.pp));
}

bool litgpt_fsdp(const TrainingConfig& c) {
    return c.framework == Framework::litgpt && c.zero_stage == 3 && data_parallel(c) > 1;
}

bool litgpt_fsdp_no_sync(const TrainingConfig& c) { return litgpt_fsdp(c) && c.grad_accum > 1 && !c.offload_params; }

// torchtune's NF4 is torchao's NF4Tensor, which quantizes its per-64 scalers to int8 with one fp32
// factor per 256 of them (torchao/dtypes/nf4tensor.py, to_nf4: block_size 64, scaler_block_size
// 256): double quantization whatever the option says.
bool nf4_double_quant(const TrainingConfig& c) { return c.double_quant || c.framework == Framework::torchtune; }

bool litgpt_untied_head(const TrainingConfig& c, const Architecture& a) {
    return c.framework == Framework::litgpt && a.tie_word_embeddings && a.num_encoder_layers == 0 && a.vocab_size > 0;
}

// Lightning's BitsandbytesPrecision swaps every torch.nn.Linear for a bnb 4-bit layer while the
// model is built (plugins/precision/bitsandbytes.py, init_context), lm_head included.
bool litgpt_quantized_head(const TrainingConfig& c) {
    return c.framework == Framework::litgpt && c.method == Method::qlora && !c.train_lm_head;
}

// ZeRO stage 3 is PyTorch FSDP under every framework but DeepSpeed (which gathers module by module
// and keeps nothing gathered) and Megatron (no ZeRO-3); under pipeline parallelism every stage's
// weights stay gathered anyway (reshard_after_forward=False, see z_params in estimate()).
bool fsdp_root_unsharded(const TrainingConfig& c) {
    return c.zero_stage == 3 && c.pp <= 1 && data_parallel(c) > 1 && c.framework != Framework::deepspeed &&
           c.framework != Framework::megatron;
}

// PyTorch FSDP, as told apart above, under a mixed-precision policy (bf16/fp16/fp8-mixed).
bool fsdp_mixed_precision(const TrainingConfig& c) {
    const bool mixed = c.precision == Precision::bf16_mixed || c.precision == Precision::fp16_mixed ||
                       c.precision == Precision::fp8_mixed;
    return mixed && fsdp_root_unsharded(c);
}

Estimate estimate_resolved(const TrainingConfig& c, const Architecture& a, const Gpu& g, const EstimateOptions& o) {
    Estimate e;
    ModelParts m = model_parts(a);
    if (c.task == Task::classification && m.pc.lm_head > 0) {
        // AutoModelForSequenceClassification drops the LM head for a score layer of hidden x a few
        // classes (modeling_llama.py LlamaForSequenceClassification.score; BERT's classifier).
        if (m.pc.active > 0) m.pc.active -= m.pc.lm_head;
        m.pc.lm_head = 0;
    } else if (litgpt_untied_head(c, a)) {
        // LitGPT's GPT builds lm_head as an nn.Linear of its own beside the wte embedding and ties
        // them only with train.tie_embeddings (litgpt/model.py, GPT.__init__): a separate copy.
        m.pc.lm_head = a.vocab_size * a.hidden_size;
        if (m.pc.active > 0) m.pc.active += m.pc.lm_head;
        m.largest_matrix = std::max(m.largest_matrix, m.pc.lm_head);
    }
    const Trainable t = trainable_params(c, a, m);
    const Dtypes d = dtypes_for(c);
    const int64_t total = m.pc.total();

    e.params.total = total;
    e.params.active = m.pc.active > 0 ? m.pc.active : total;
    e.params.adapters = t.adapters;
    e.params.adapters_trained = t.adapters_trained;
    e.params.trainable = t.base_trainable + t.adapters_trained;
    e.params.frozen = t.base_frozen + t.quantized;

    // ---- parallel layout -------------------------------------------------------------------
    const int tp = std::max(1, c.tp), pp = std::max(1, c.pp);
    const int dp = static_cast<int>(std::max<int64_t>(1, data_parallel(c)));
    const int ep = std::max(1, std::min(c.ep, dp));
    const int z = std::clamp(c.zero_stage, 0, 3);
    const double mp = static_cast<double>(tp) * pp;   // model-parallel split of weights (Megatron)
    // Routed experts are split across EP ranks; everything else across TP x PP. ZeRO partitions
    // over the data-parallel group (Rajbhandari et al. 2020, §5): stage 1 the optimizer states
    // and master weights, 2 also gradients, 3 also parameters. Expert weights are replicated only
    // over dp / ep ranks (expert data parallelism), so they shard over that smaller group
    // (DeepSpeed-MoE; Megatron expert_data_parallel_size).
    const double dp_e = std::max(1.0, static_cast<double>(dp) / ep);
    struct Split {
        double dense = 0, expert = 0;   // per GPU before ZeRO
        double sharded(int stage_needed, int zero, double dp_all, double dp_exp) const {
            return zero >= stage_needed ? dense / dp_all + expert / dp_exp : dense + expert;
        }
        double all() const { return dense + expert; }
    };
    auto split = [&](double all, double experts) { return Split{(all - experts) / mp, experts / (mp * ep)}; };
    const Split trainable_split = split(static_cast<double>(t.base_trainable), static_cast<double>(t.expert_trainable));
    // Frozen routed experts stay in 16-bit under LoRA/freeze; under QLoRA they are quantized.
    const double expert_frozen = t.quantized > 0 ? 0 : static_cast<double>(t.expert_total - t.expert_trainable);
    const Split frozen_split = split(static_cast<double>(t.base_frozen), expert_frozen);
    const Split quant_split =
        split(static_cast<double>(t.quantized), t.quantized > 0 ? static_cast<double>(t.expert_total) : 0);
    const Split adapters_split{static_cast<double>(t.adapters) / mp, 0};
    const Split adapters_train_split{static_cast<double>(t.adapters_trained) / mp, 0};   // with gradients
    const double ddp = dp;
    // Under pipeline parallelism ZeRO-3/FSDP keeps each stage's parameters and gradients gathered
    // for the whole step, or every micro-batch would all-gather again (torchtitan sets
    // reshard_after_forward=False with PP; DeepSpeed refuses ZeRO-3 with PP): only the
    // optimizer states and master weights stay sharded.
    const int z_params = pp > 1 && z == 3 ? 1 : z;
    auto shard = [&](const Split& sp, int stage) {
        return sp.sharded(stage, stage >= 2 ? z_params : z, ddp, dp_e);
    };

    // ---- weights ---------------------------------------------------------------------------
    Amounts am;
    const bool lora = c.method == Method::lora || c.method == Method::qlora;
    // Frozen weights keep the model dtype. Under AMP that is fp32: for QLoRA it is what PEFT's
    // prepare_model_for_kbit_training does to embeddings, norms and lm_head (peft/utils/other.py),
    // which HF Trainer / TRL QLoRA recipes call before training with bf16=True.
    // Unsloth trains the modules_to_save copies (embeddings, lm_head) in fp32 where the compute
    // dtype is fp16 (unsloth/models/llama.py get_peft_model: "Tesla T4 must use float32 and not
    // float16"), in the model dtype otherwise; their gradients take the same dtype.
    const bool fp16_run = c.precision == Precision::fp16_mixed || c.precision == Precision::amp_fp16;
    const double copy_bytes = lora && c.framework == Framework::unsloth && fp16_run ? 4 : d.weight;
    am.train_bytes = copy_bytes;
    am.w_train = shard(trainable_split, 3) * copy_bytes;
    am.w_frozen = shard(frozen_split, 3) * d.weight;
    am.cpu += static_cast<double>(t.cpu_frozen) / mp * d.weight;
    double quant_per = 0, quant_state = 0;
    if (t.quantized > 0) {
        // NF4: 0.5 B/param + one fp32 absmax per 64 weights (0.0625 B); double quantization
        // stores absmax in 8 bits + one fp32 per 256 blocks (~0.0159 B) — Dettmers et al. 2023,
        // QLoRA §2. LLM.int8: 1 B/param + fp32 row scales (Dettmers et al. 2022).
        quant_per = c.quant_bits == 8 ? 1.0 + 4.0 / static_cast<double>(std::max<int64_t>(1, a.hidden_size))
                                      : 0.5 + (nf4_double_quant(c) ? 1.0 / 64 + 4.0 / (64 * 256) : 4.0 / 64);
        // ZeRO-3/FSDP shard the 4-bit data (a parameter, flattened as quant_storage), not its
        // quantization state: bitsandbytes keeps absmax (and the double-quantized constants, or
        // LLM.int8's row scales) in a QuantState on the Params4bit and on Linear4bit.quant_state
        // ("the quant state got lost when the parameter got converted. This happens for example for
        // fsdp", bitsandbytes/nn/modules.py), so every rank holds all of it, and it stays on the GPU
        // when FSDP offloads the parameters. fms-acceleration's three FSDP QLoRA runs leave 0.534 B
        // per 4-bit parameter across their two ranks after training, as 2 x (0.5 / 2 + 0.0159) does
        // (bench/accuracy/DIAGNOSIS.md §0.5). torchao's NF4Tensor (torchtune) shards its scalers too.
        const double data_per = c.quant_bits == 8 ? 1.0 : 0.5;
        am.w_quant = shard(quant_split, 3) * data_per;
        quant_state = (c.framework == Framework::torchtune ? shard(quant_split, 3) : quant_split.all()) * (quant_per - data_per);
    }
    // Adapter dtype: PEFT autocasts adapters to fp32 over a half base (LoraConfig
    // autocast_adapter_dtype=True); torchtune and LitGPT keep them in the model dtype.
    double adapter_bytes = d.weight;
    if (lora && peft_stack(c.framework)) adapter_bytes = 4;
    am.adapters = shard(adapters_split, 3) * adapter_bytes;

    // ---- gradients, optimizer states, master weights ---------------------------------------
    // Megatron accumulates gradients in an fp32 main_grad buffer for every local parameter
    // (megatron/core/distributed/param_and_grad_buffer.py, grad_reduce_in_fp32 / accumulate_allreduce_grads_in_fp32).
    const double grad_bytes = c.framework == Framework::megatron && d.grad < 4 ? 4 : d.grad;
    const double grad_bytes_per = lora ? adapter_bytes : grad_bytes;
    const double train_params = trainable_split.all() + adapters_train_split.all();   // per GPU before ZeRO
    am.grads = shard(trainable_split, 2) * std::max(grad_bytes, copy_bytes) + shard(adapters_train_split, 2) * grad_bytes_per;
    // torch.optim keeps states in each parameter's dtype: fp32 adapters get fp32 moments, the base
    // weights (and modules_to_save copies) next to them those of the model dtype.
    const double state_per = state_bytes_per_param(c.optimizer, lora && adapter_bytes == 4 ? 4 : d.state);
    const double state_base = state_bytes_per_param(c.optimizer, d.state);
    const double train_sharded_os = shard(trainable_split, 1) + shard(adapters_train_split, 1);
    double states = shard(trainable_split, 1) * state_base + shard(adapters_train_split, 1) * state_per;
    if (c.optimizer == Optimizer::adafactor) states = t.adafactor_elems / mp * 4 / (z >= 1 ? ddp : 1);
    if (c.optimizer == Optimizer::muon && t.base_trainable > 0) {
        // one moment instead of two for the share of the trainable weights that Muon steps
        const double f = t.muon_covered / static_cast<double>(t.base_trainable);
        states = shard(trainable_split, 1) * state_base * (1 - f / 2) + shard(adapters_train_split, 1) * state_per;
    }
    if (is_galore(c.optimizer)) {
        // GaLore runs unsharded (validate: no ZeRO, TP or PP): the projected moments, the projectors
        // in the gradient dtype, full moments for the rest of the trainable weights (trainable_params).
        const double moment_b = state_base / 2;
        states = t.galore_moment_elems * moment_b + t.galore_ortho_elems * grad_bytes +
                 std::max(0.0, shard(trainable_split, 1) - t.galore_covered) * state_base +
                 shard(adapters_train_split, 1) * state_per;
    }
    // AdaLoRA's RankAllocator keeps three tensors like each adapter weight, in its dtype:
    // ipt = |p * grad|, its EMA and the EMA of its uncertainty (PEFT adalora/layer.py,
    // RankAllocator.update_ipt), from the first step on.
    if (lora && c.adapter == Adapter::adalora) states += 3 * shard(adapters_train_split, 1) * adapter_bytes;
    const bool master = d.master > 0 && !(lora && adapter_bytes == 4);
    double master_b = master ? train_sharded_os * d.master : 0;
    if (fsdp_mixed_precision(c)) {
        // PyTorch FSDP under a mixed-precision policy (FSDP1 MixedPrecision, FSDP2
        // MixedPrecisionPolicy with param_dtype bf16) shards the fp32 parameters themselves: the
        // 16-bit copy exists only in the gathered units (buffers below), cast from the shard at
        // all-gather time (FSDP2 foreach_all_gather; FSDP1 _use_low_precision_shard), and the
        // reduce-scattered gradient shard is cast back to the parameter's dtype, fp32 (FSDP2
        // foreach_reduce; FSDP1 _cast_grad_to_param_dtype). Frozen weights stay in the module's
        // fp32 as well. DeepSpeed and Megatron instead keep a 16-bit shard beside an fp32 master.
        am.fsdp_mp = true;
        am.w_train = 0;
        if (master) am.adapters = 0;   // their fp32 shard is the master copy
        am.w_frozen = shard(frozen_split, 3) * 4;
        am.grads = (shard(trainable_split, 2) + shard(adapters_train_split, 2)) * 4;
    }
    // Frozen weights that share an FSDP unit with adapters: the Blocks' (the root unit with the
    // embeddings and the head holds no adapter and gets no gradient).
    const double head_local = static_cast<double>(m.pc.embedding + m.pc.lm_head) / mp;
    const Split block_frozen{std::max(0.0, frozen_split.dense - head_local), frozen_split.expert};
    if (lora && litgpt_fsdp(c)) {
        // FSDP with use_orig_params=True and frozen base weights in the same FlatParameter as the
        // adapters allocates the flat gradient for the whole unit (torch.distributed.fsdp docs,
        // "mixing frozen and non-frozen parameters"): sharded gradients for the frozen weights too.
        // LitGPT wraps whole Blocks; PEFT's fsdp_auto_wrap_policy (HF) and Answer.AI wrap the
        // adapters in units of their own and avoid it.
        am.grads += shard(block_frozen, 3) * (am.fsdp_mp ? 4 : d.weight);
    }
    if (pp > 1 && z == 3 && c.grad_accum > 1 && d.grad < 4 && d.master > 0 &&
        (c.framework == Framework::pytorch || c.framework == Framework::torchtune)) {
        // FSDP2 under pipeline parallelism (torchtitan): the schedule turns gradient sync off for all
        // but the last micro-batch (torch.distributed.pipelining, PipelineStage's
        // backward_maybe_with_nosync), and FSDP2 accumulates those unsharded gradients in the
        // reduce dtype, fp32 under MixedPrecisionPolicy(reduce_dtype=float32)
        // (torch/distributed/fsdp/_fully_shard/_fsdp_param.py, to_accumulated_grad_if_needed).
        am.grads = trainable_split.all() * 4 + adapters_train_split.all() * grad_bytes_per;
    }
    if (litgpt_fsdp_no_sync(c)) {
        // Gradient accumulation under FSDP: Lightning Fabric's no_backward_sync enters
        // FullyShardedDataParallel.no_sync(), which keeps every unit's gradient *unsharded*
        // across the accumulating micro-batches and reduce-scatters only on the last one
        // (torch.distributed.fsdp FullyShardedDataParallel.no_sync: "gradients are accumulated
        // in unsharded form ... more memory"). LitGPT's finetune scripts call it on every
        // accumulating step, so each rank holds the whole model's gradient (for LoRA: of every
        // Block, frozen weights included, see above).
        am.grads = trainable_split.all() * grad_bytes + adapters_train_split.all() * grad_bytes_per +
                   (lora ? block_frozen.all() * d.weight : 0);
    }
    if (c.offload_optimizer) {
        // ZeRO-Offload keeps fp32 states, master weights and fp32 gradients in CPU RAM and
        // streams reduced 16-bit gradient buckets to it (Ren et al. 2021, §4): on the GPU only the
        // buckets remain (reduce_bucket_size 5e8 elements by default).
        am.cpu += states + master_b + train_sharded_os * 4;
        states = 0;
        master_b = 0;
        // Megatron's --optimizer-cpu-offload (HybridDeviceOptimizer) copies the gradients to CPU
        // for the step but keeps the DDP main_grad buffer on the GPU
        // (megatron/core/optimizer/cpu_offloading/hybrid_optimizer.py; param_and_grad_buffer.py).
        if (c.framework != Framework::megatron) am.grads = std::min(am.grads, 5e8 * grad_bytes_per);
    }
    if (is_paged(c.optimizer)) {
        // bitsandbytes pages these states through CUDA unified memory: nvidia-smi sees them,
        // torch.cuda.max_memory_allocated does not (bitsandbytes/optim/optimizer.py, paged=True).
        am.paged = states;
        states = 0;
    }
    am.states = states;
    am.master = master_b;
    // Bytes of one layer's weights as gathered by ZeRO-3/FSDP (16-bit, or quantized + constants).
    const double layer_weights =
        (trainable_split.all() * d.weight + frozen_split.all() * d.weight + quant_split.all() * quant_per +
         adapters_split.all() * adapter_bytes) /
        static_cast<double>(std::max<int64_t>(1, m.layers));
    if (c.offload_params) {
        // FSDP CPUOffload(offload_params=True) / ZeRO-3 offload_param: the sharded parameters
        // (frozen and quantized ones too) and their gradients live in pinned CPU memory; the GPU
        // holds only the gathered unit in flight and the prefetched next one (buffers below).
        am.cpu += am.w_train + am.w_frozen + am.w_quant + am.adapters + am.grads;
        am.w_train = am.w_frozen = am.w_quant = am.adapters = 0;
        am.grads = std::min(am.grads, layer_weights);
        // PyTorch FSDP steps the optimizer where the sharded parameters are: with them on the CPU
        // its states (and, under mixed precision, the fp32 shards that are the master weights) are
        // CPU tensors too ("CPUOffload ... the optimizer step runs on CPU", torch.distributed.fsdp
        // docs). DeepSpeed keeps them on the GPU unless offload_optimizer is set as well.
        if (c.framework != Framework::deepspeed && c.framework != Framework::megatron) {
            am.cpu += am.states + am.master;
            am.states = am.master = 0;
        }
    }
    am.w_quant += quant_state;   // not a parameter: neither sharded nor offloaded (above)

    if (c.optimizer_in_backward) {
        // torchtune optimizer_in_bwd: each parameter is stepped by a post-accumulate-grad hook and
        // its gradient freed at once, so only the gradient in flight (at most the largest tensor)
        // exists (torchtune/training/_optimizer_in_bwd; PyTorch tutorial "optimizer step in backward").
        am.grads = std::min(am.grads, static_cast<double>(m.largest_matrix) * grad_bytes_per / tp);
    }

    // ---- optimizer-step temporaries ---------------------------------------------------------
    // torch.optim.AdamW defaults to the foreach implementation on CUDA: _multi_tensor_adamw
    // allocates exp_avg_sq.sqrt() for every parameter at once (torch/optim/adamw.py), i.e. one
    // state-sized temporary. torchtune and Megatron use fused kernels (no temporary); the 8-bit
    // bitsandbytes kernels work in place; SGD, Lion and Adafactor step one tensor at a time.
    // A for-loop AdamW (foreach=False, or transformers' own AdamW: `denom = exp_avg_sq.sqrt()
    // .add_(eps)` per parameter, transformers/optimization.py) holds one parameter's temporary.
    if (!c.offload_optimizer && !c.optimizer_in_backward) {
        const double one_tensor = std::min(train_params, static_cast<double>(m.largest_matrix)) * 4;
        if (c.optimizer == Optimizer::adamw) {
            const bool foreach_default = c.framework == Framework::hf || c.framework == Framework::axolotl ||
                                         c.framework == Framework::litgpt || c.framework == Framework::unsloth;
            const OptimizerImpl impl = c.optimizer_impl != OptimizerImpl::auto_ ? c.optimizer_impl
                                       : foreach_default                       ? OptimizerImpl::foreach
                                                                               : OptimizerImpl::fused;
            am.opt_temp_all = impl == OptimizerImpl::foreach;
            if (impl == OptimizerImpl::foreach)
                am.opt_temp = shard(trainable_split, 1) * (state_base / 2) + shard(adapters_train_split, 1) * (state_per / 2);
            else if (impl == OptimizerImpl::for_loop)
                am.opt_temp = one_tensor;
        } else if (c.optimizer == Optimizer::adafactor || c.optimizer == Optimizer::lion ||
                   c.optimizer == Optimizer::sgd_momentum) {
            am.opt_temp = one_tensor;
        } else if (is_galore(c.optimizer)) {
            am.opt_temp = std::max(t.galore_step_bytes, one_tensor);   // GaLore steps one tensor at a time
        } else if (c.optimizer == Optimizer::muon) {
            am.opt_temp = std::max(t.muon_step_bytes, one_tensor);     // Newton-Schulz, one matrix at a time
        }
    }
    // GaLore's per-layer mode (galore_adamw8bit_per_layer: a post-accumulate-grad hook steps each
    // weight) does the SVD and the projected-back update inside backward.
    if (c.optimizer_in_backward && is_galore(c.optimizer)) am.buf_bwd += t.galore_step_bytes;

    // ---- activations ------------------------------------------------------------------------
    // Prompt tuning runs the model on the virtual tokens too: PEFT concatenates them before the
    // input embeddings and pads the labels with -100, so every layer and the logits see n + s.
    const bool prompt_tuning = lora && c.adapter == Adapter::prompt;
    const double s = static_cast<double>(c.seq_len) + (prompt_tuning ? c.virtual_tokens : 0);
    const double tokens = static_cast<double>(c.micro_batch) * s;
    const LayerAct dense_l = layer_activation(c, a, false);
    const LayerAct moe_l = layer_activation(c, a, true);
    // Under freeze, the layers outside the trained range that gradients still pass through (above
    // it, or below it when the embeddings train) keep only what a frozen layer keeps.
    const LayerAct dense_frozen = layer_activation(c, a, false, false);
    const LayerAct moe_frozen = layer_activation(c, a, true, false);
    const int64_t L = m.layers;
    const int64_t range_b = std::clamp<int64_t>(c.train_layer_begin, 0, L);
    const int64_t range_e = std::max(range_b, layer_end(c, a));
    auto layer_act = [&](int64_t i) -> const LayerAct& {
        const bool moe_i = a.is_moe() && a.is_moe_layer(i);
        const bool frozen_i = c.method == Method::freeze && (i < range_b || i >= range_e);
        return frozen_i ? (moe_i ? moe_frozen : dense_frozen) : (moe_i ? moe_l : dense_l);
    };
    double act_all = 0, act_one = 0;   // all trained layers; the largest single layer
    double act_transient = 0;          // the largest forward-only working set of one layer (DoRA)
    double bnb_ctx = 0;                // what 4-bit layers hold on their autograd ctx, all layers
    const int64_t first = std::clamp<int64_t>(t.first_trained_layer, 0, L);
    for (int64_t i = first; i < L && t.trained_layers > 0; ++i) {
        const LayerAct& la = layer_act(i);
        const double layer = tokens * (la.per_token + la.per_token_s * s) + la.fixed;
        act_all += layer;
        act_one = std::max(act_one, layer + la.transient);
        act_transient = std::max(act_transient, la.transient);
        bnb_ctx += tokens * la.bnb_ctx;
    }
    // Tensor parallelism with sequence parallelism splits every activation by tp (Korthikanti
    // et al. 2022, Table 2, last row); pipeline stage 0 keeps pp micro-batches in flight under
    // 1F1B, so it holds L/pp layers x min(pp, micro-batches) (Narayanan et al. 2021, §2.2).
    const double in_flight = std::min<double>(pp, std::max(1, c.grad_accum));
    act_all = act_all / tp / pp * in_flight;
    act_one /= tp;
    // PyTorch tensor parallelism (DTensor ColwiseParallel after SequenceParallel norms: torchtitan,
    // HF tp_plan) all-gathers the sequence-sharded norm output and F.linear saves the gathered
    // input, so those stay whole on every TP rank; Megatron's sequence-parallel linears save the
    // shard and all-gather again in backward (megatron/core/tensor_parallel/layers.py,
    // LinearWithGradAccumulationAndAsyncCommunication), which is Korthikanti's 1/t for everything.
    const double tp_gathered =
        tp > 1 && c.framework != Framework::megatron && c.framework != Framework::deepspeed
            ? tokens * dense_l.norm_outputs * (1.0 - 1.0 / tp)
            : 0;
    act_one += tp_gathered;
    if (c.grad_checkpointing == Checkpointing::none)
        act_all += tp_gathered * static_cast<double>(t.trained_layers) / pp * in_flight;
    const double h = static_cast<double>(a.hidden_size);
    const double layer_input = tokens * h * (d.fp32_stream() ? 4 : 2) / tp;   // residual stream
    const double trained_layers_stage = static_cast<double>(t.trained_layers) / pp * in_flight;
    switch (c.grad_checkpointing) {
        case Checkpointing::none: break;
        case Checkpointing::selective:
            act_all = 0;
            for (int64_t i = first; i < L && t.trained_layers > 0; ++i) {
                const LayerAct& la = layer_act(i);
                act_all += c.framework == Framework::megatron ? tokens * (la.per_token - la.selective_core) + la.fixed
                                                              : tokens * la.selective;
            }
            act_all = act_all / tp / pp * in_flight;
            break;
        case Checkpointing::full:
            // Only each layer's input is kept; in backward one layer is recomputed at a time.
            act_all = layer_input * trained_layers_stage;
            break;
    }
    if (c.activation_offload && c.grad_checkpointing == Checkpointing::full) {
        am.cpu += act_all;
        act_all = layer_input * 2;   // the layer being recomputed + one prefetched input
    }
    // Trainable tokens on a tied head (PEFT trainable_tokens/layer.py forward_adapters): the head
    // becomes F.linear(x, W.index_copy(0, rows, delta)), which keeps that merged vocab x hidden weight,
    // in the model dtype, and its input x for backward. An untied embedding builds it only inside its
    // own forward (F.embedding keeps the indices, not the weight).
    if (lora && c.trainable_tokens > 0 && m.pc.lm_head == 0 &&
        c.task != Task::classification)
        act_all += static_cast<double>(a.vocab_size) * h * d.weight + tokens * h * d.act;
    am.act_saved = act_all;
    am.act_fwd = act_transient;
    // Backward working set of one layer: gradients of its largest intermediates (2 x b*s*i in the
    // compute dtype) and, under full checkpointing, the recomputed layer itself.
    const double widest = static_cast<double>(std::max<int64_t>(a.intermediate_size,
                                              a.moe_intermediate_size * std::max<int64_t>(1, a.num_experts_per_tok)));
    // Recomputation (full or selective) rebuilds one layer at a time, which then replaces these
    // temporaries as the backward working set (the accuracy benchmark's slopes: one layer, not more).
    am.act_work = t.trained_layers > 0 ? tokens * widest * 2 * d.act / tp : 0;
    if (c.grad_checkpointing != Checkpointing::none && t.trained_layers > 0) am.act_work = act_one;

    // Logits: only on the last pipeline stage, split by TP (vocab-parallel).
    const double V = static_cast<double>(a.vocab_size);
    // Final-logit soft-capping adds one 16-bit copy (keeps_final_softcap). A classifier has a few
    // class scores per sequence instead: nothing worth counting.
    am.logits = c.task == Task::classification
                    ? 0
                    : tokens * V * (logits_bytes_per_token_per_vocab(c) + (keeps_final_softcap(c, a) ? 2 : 0)) / tp;
    if (t.trained_layers == 0 && !c.train_lm_head && c.method == Method::freeze) am.logits = tokens * V * 2 / tp;
    // LLaMA-Adapter v2's head is an AdapterV2Linear too: it keeps linear(x) + adapter_bias, one
    // more copy of the logits in the compute dtype, for adapter_scale's gradient (LitGPT adapter_v2.py).
    if (lora && c.adapter == Adapter::llama_adapter_v2 && c.task != Task::classification) am.logits += tokens * V * d.act / tp;
    // Fused lm_head + loss (soft-capping is applied in-kernel): see fused_linear_ce.
    if (c.fused_linear_ce && c.task != Task::classification) {
        const FusedCe f = fused_linear_ce(tokens, static_cast<double>(a.hidden_size), V, d.act);
        am.logits = f.bytes / tp;
        am.fused_chunk = f.chunk_tokens;
    }
    // LitGPT's loop keeps the previous micro-batch's graph alive into the next forward: `logits`
    // (finetune/lora.py: `logits = model(input_ids, lm_head_chunk_size=128)`) is rebound only when
    // the next forward returns, and its grad_fn holds every node of the old graph. Backward released
    // the nodes' saved tensors, but not what bitsandbytes' MatMul4Bit (before 0.44) keeps as a plain
    // ctx attribute (`ctx.tensors = (A, B)`), so every 4-bit layer's input of the previous
    // micro-batch (the head's too: LitGPT quantizes it) is still there when the next forward ends,
    // beside the 16-bit logits it returns. Checkpointed layers are recomputed inside backward and
    // their graphs die with it. HF Trainer drops its outputs after each step and Answer.AI's loop
    // sets them to None, so this is LitGPT's. The Oct 2023 resource tables do not show it: their
    // first step, the longest sample, is the peak (DIAGNOSIS.md §0.5: the hub pairs read 9.5-13.2 h
    // bytes per token per layer above the old estimate, 2(3h + i) here).
    if (c.framework == Framework::litgpt && c.method == Method::qlora && c.task != Task::classification &&
        c.grad_checkpointing == Checkpointing::none && t.trained_layers > 0) {
        am.held_prev = (bnb_ctx + (litgpt_quantized_head(c) ? tokens * h * std::min(2.0, d.act) : 0)) / tp / pp;
        am.logits_out = c.fused_linear_ce ? am.logits : tokens * V * (2 + (keeps_final_softcap(c, a) ? 2 : 0)) / tp;
        // Only where the next forward's return outweighs the end of this one's loss.
        if (am.held_prev + am.logits_out <= am.logits) am.held_prev = am.logits_out = 0;
    }

    // ---- buffers ----------------------------------------------------------------------------
    // PyTorch FSDP's root unit stays gathered (see fsdp_root_unsharded).
    const bool fsdp_root = fsdp_root_unsharded(c);
    const double head_params = static_cast<double>(m.pc.lm_head) / tp;
    const double root_params = static_cast<double>(m.pc.embedding) / tp + head_params;
    const bool head_trains = c.method == Method::full || c.train_lm_head;   // its weight gets a gradient
    if (dp > 1 && z == 0) {
        // DDP: gradient buckets are a second gradient-sized buffer (torch/nn/parallel/distributed.py,
        // gradient_as_bucket_view=False by default).
        am.buf_bwd += am.grads;
    } else if (dp > 1 && z <= 2) {
        // ZeRO-1/2 reduce and all-gather buckets: DeepSpeed's default reduce_bucket_size 5e8
        // elements, capped by the gradients themselves.
        am.buf_bwd += std::min(am.grads * (z >= 2 ? ddp : 1), 5e8 * grad_bytes_per);
    } else if (z == 3) {
        // ZeRO-3 / FSDP: one unit (layer) gathered in 16-bit, plus the prefetched next one; in
        // backward also that layer's unsharded gradients before reduce-scatter.
        am.buf_fwd += 2 * layer_weights;
        am.buf_bwd += 2 * layer_weights + layer_weights * (t.base_trainable > 0 ? 1 : 0);
        if (fsdp_root) {
            // PyTorch FSDP keeps the root unit's parameters — those in no wrapped child: the
            // embeddings, the final norm and the lm_head — unsharded from forward through backward:
            // FSDP1 "does not free the root's parameters in the post-forward ... they are
            // immediately used for backward" (torch/distributed/fsdp/_runtime_utils.py,
            // _post_forward_reshard); FSDP2 sets the root's post_forward_mesh_info to None in
            // FSDPState._lazy_init. Gathered in the compute dtype (MixedPrecision param_dtype).
            am.buf_fwd += root_params * d.act;
            am.buf_bwd += root_params * d.act;
            // The root's gradients are reduce-scattered once, after the embedding's, at the end of
            // backward: the lm_head's unsharded gradient lives through all of backward.
            // (A tied head's gradient is the embedding's.)
            if (head_trains)
                am.buf_bwd += (head_params > 0 ? head_params : static_cast<double>(m.pc.embedding) / tp) * d.act;
        }
    }
    if (t.quantized > 0) {
        // bnb dequantizes one weight to 16-bit for each matmul, forward and backward. Lightning's
        // BitsandbytesPrecision quantizes from fp16 (_Linear4bit._quantize_weight: .half()), so
        // under LitGPT the fp16 dequantized copy and its cast to bf16 coexist (4 B), and its
        // quantized lm_head — a vocab x hidden matrix — is the widest one.
        const bool lit = litgpt_quantized_head(c);
        const double widest_q = static_cast<double>(std::max(m.largest_linear, lit ? m.pc.lm_head : 0));
        const double per = lit ? 4 : 2;
        am.buf_fwd += widest_q * per / tp;
        am.buf_bwd += widest_q * per / tp;
    }
    if (d.autocast) {
        // torch.autocast caches the 16-bit cast of every weight that requires grad for the whole
        // forward (torch/csrc/autograd/autocast_mode.cpp, cached_casts); a frozen weight's cast is
        // not cached but saved by its matmul for backward — under checkpointing only for the layer
        // being recomputed. The tied or separate lm_head is cast too; embeddings are not.
        const double lm_head = static_cast<double>(m.pc.lm_head > 0 ? m.pc.lm_head : m.pc.embedding) / tp;
        const double linear_local = static_cast<double>(m.linear_params) / mp;
        const double frozen_share = total > 0 ? static_cast<double>(t.base_frozen) / static_cast<double>(total) : 0;
        double frozen_linear = t.quantized > 0 ? 0 : linear_local * frozen_share;
        if (c.grad_checkpointing != Checkpointing::none) frozen_linear /= static_cast<double>(std::max<int64_t>(1, m.layers));
        const double frozen_head = head_trains ? 0 : lm_head;
        am.amp_cast = (shard(trainable_split, 3) + frozen_linear + frozen_head) * 2;
    }
    // The lm_head gradient is produced first in backward (full fine-tuning); under FSDP it is the
    // root's, counted unsharded with the buffers above.
    am.grad_head = head_trains && !fsdp_root
                       ? static_cast<double>(m.pc.lm_head > 0 ? m.pc.lm_head : m.pc.embedding) * grad_bytes / tp /
                             (z >= 2 ? ddp : 1)
                       : 0;

    // ---- phases -------------------------------------------------------------------------------
    // Gradients exist from the start of the step when micro-batches accumulate into them, and
    // when zero_grad() zeroes them in place instead of freeing them (set_to_none=False, the
    // PyTorch default before 2.0: torch.optim.Optimizer.zero_grad / nn.Module.zero_grad).
    const bool ga = c.grad_accum > 1 || !c.grads_set_to_none;
    std::array<std::array<double, kPartCount>, 3> comp{};
    auto& fw = comp[0];
    auto& bw = comp[1];
    auto& op = comp[2];
    for (auto* ph : {&fw, &bw, &op}) {
        (*ph)[idx(Part::weights_trainable)] = am.w_train;
        (*ph)[idx(Part::weights_frozen)] = am.w_frozen;
        (*ph)[idx(Part::weights_quantized)] = am.w_quant;
        (*ph)[idx(Part::adapters)] = am.adapters;
        (*ph)[idx(Part::optimizer_states)] = am.states;
        (*ph)[idx(Part::master_weights)] = am.master;
    }
    // forward end: activations and loss buffers at their height
    fw[idx(Part::gradients)] = ga ? am.grads : 0;
    fw[idx(Part::activations)] = am.act_saved + am.held_prev + am.act_fwd;
    fw[idx(Part::logits)] = am.held_prev > 0 ? am.logits_out : am.logits;
    fw[idx(Part::buffers)] = am.buf_fwd + am.amp_cast;
    // backward: the larger of its start (activations + loss gradients) and its end (all grads)
    const double bw_start = am.act_saved + am.act_work + am.logits + (ga ? am.grads : am.grad_head) + am.buf_bwd + am.amp_cast;
    const double bw_end = am.grads + am.act_work + am.buf_bwd;
    bw[idx(Part::gradients)] = bw_start >= bw_end ? (ga ? am.grads : am.grad_head) : am.grads;
    bw[idx(Part::activations)] = (bw_start >= bw_end ? am.act_saved : 0) + am.act_work;
    bw[idx(Part::logits)] = bw_start >= bw_end ? am.logits : 0;
    bw[idx(Part::buffers)] = am.buf_bwd + (bw_start >= bw_end ? am.amp_cast : 0);
    // optimizer step
    op[idx(Part::gradients)] = am.grads;
    op[idx(Part::optimizer_temp)] = am.opt_temp;

    std::array<double, 3> sums{};
    for (int ph = 0; ph < 3; ++ph)
        for (int p = 0; p < kPartCount; ++p) sums[ph] += comp[ph][p];
    int best = 0;
    for (int ph = 1; ph < 3; ++ph)
        if (sums[ph] > sums[best]) best = ph;
    e.peak_phase = static_cast<Phase>(best);

    // Bytes saturate: each part at kMaxBytes / 16 (62.5 PB), so the integer sums below (13 parts,
    // then reserve and context) stay exact, below kMaxBytes and inside int64.
    auto to_bytes = [](double v) {
        constexpr double cap = static_cast<double>(kMaxBytes / 16);
        return v > 0 && std::isfinite(v) ? static_cast<int64_t>(std::min(v, cap)) : int64_t{0};
    };
    for (int ph = 0; ph < 3; ++ph) {
        int64_t sum = 0;
        for (int p = 0; p < kPartCount; ++p) sum += to_bytes(comp[ph][p]);
        e.phase_peak[ph] = sum;
    }
    for (int p = 0; p < kPartCount; ++p) e.parts[p].bytes = to_bytes(comp[best][p]);
    e.peak = e.phase_peak[best];

    // Reserved: PyTorch's caching allocator rounds blocks (512 B; large segments to 2 MiB) and
    // keeps freed blocks cached; the gap grows with many differently-sized activations.
    // Calibrated on the reserved-vs-allocated pairs of the benchmark (Answer.AI 9.16 vs 10.22 GiB).
    const double act_share = (am.act_saved + am.logits + am.act_work) / std::max(1.0, static_cast<double>(e.peak));
    const double frag = 0.03 + 0.12 * act_share;
    // ZeRO-3/FSDP all-gather on a side stream: the caching allocator keeps those blocks in that
    // stream's pool (torch.cuda caching allocator, per-stream free lists), about two gathered
    // layers more reserved than allocated.
    const double stream_pool = z == 3 && dp > 1 ? 2 * layer_weights : 0;
    const int64_t reserve = to_bytes(static_cast<double>(e.peak) * frag + 64 * kMiB + stream_pool);
    e.parts[idx(Part::allocator_reserve)].bytes = reserve;
    e.peak_reserved = e.peak + reserve;
    const int64_t ctx = to_bytes(cuda_context_bytes(g) + (c.gpus > 1 ? 400 * kMiB : 0) + am.paged);
    e.parts[idx(Part::cuda_context)].bytes = ctx;
    e.device_used = e.peak_reserved + ctx;
    e.cpu_bytes = to_bytes(am.cpu);

    e.gpu_memory = g.memory_bytes;
    // Paged optimizer states move to CPU RAM under pressure instead of failing, so they do not
    // decide whether the run fits: headroom is counted without them.
    e.paged_bytes = to_bytes(am.paged);
    e.headroom = g.memory_bytes - (e.device_used - e.paged_bytes);
    e.fits = e.headroom >= 0;

    // ---- 7. throughput -----------------------------------------------------------------------
    // Training FLOPs per token: 6N for full training (Kaplan et al. 2020, §2.1), of which 2N
    // forward, 2N backward to activations, 2N backward to weights — only trainable weights need
    // the last (LoRA: 4N + 6 N_adapter). Attention scores: 12 L s d_attn (PaLM, Chowdhery et al.
    // 2022, App. B). Full checkpointing repeats the forward (+2N + 4 L s d_attn).
    const double N = static_cast<double>(e.params.active);
    const double Ntr = static_cast<double>(std::min(e.params.trainable, e.params.active));
    const double d_attn = static_cast<double>(a.num_attention_heads * a.head_size());
    const double attn = 12.0 * static_cast<double>(L) * s * d_attn;
    double fpt = 4 * N + 2 * Ntr + attn;
    if (c.grad_checkpointing == Checkpointing::full) fpt += 2 * N + attn / 3;
    // Selective: Megatron recomputes the core attention's forward (a third of its 12 L s d);
    // torchtitan's op-level policy recomputes the matmuls it does not save (the 2nd, 4th, 6th:
    // k, o and up of a gated block, k, o and down of a plain one) and not attention.
    else if (c.grad_checkpointing == Checkpointing::selective) {
        if (c.framework == Framework::megatron) {
            fpt += attn / 3;
        } else {
            const LinearKind third = a.mlp == MlpKind::gated ? LinearKind::up : LinearKind::down;
            for (const auto& l : m.lin)
                if (l.kind == LinearKind::k || l.kind == LinearKind::o || l.kind == third)
                    fpt += 2 * static_cast<double>(l.params);
        }
    }
    // DoRA with lora_dropout recomputes each adapted linear's base output from the dropped-out
    // input (PEFT DoraLinearLayer.forward): one more matmul forward (2 P) and its input gradient
    // backward (2 P) over the adapted base weights P (routed experts: the share a token uses),
    // repeated by full recomputation.
    if (c.use_dora && c.lora_dropout && peft_stack(c.framework) && (c.method == Method::lora || c.method == Method::qlora)) {
        double pa = 0;
        for (const auto& l : m.lin) {
            if (!(c.lora_targets & target_bit(l.kind))) continue;
            const double share = l.kind == LinearKind::expert && a.num_experts > 0
                                     ? static_cast<double>(a.num_experts_per_tok) / static_cast<double>(a.num_experts)
                                     : 1.0;
            pa += static_cast<double>(l.params) * share;
        }
        fpt += (c.grad_checkpointing == Checkpointing::full ? 6 : 4) * pa;
    }
    // Prompt tuning computes n + s positions for s tokens of data.
    if (prompt_tuning) fpt *= s / static_cast<double>(c.seq_len);
    e.flops_per_token = fpt;
    e.mfu = c.mfu > 0 ? std::min(c.mfu, 1.0) : default_mfu(g, c.method);
    // Pipeline bubble: (pp - 1) / (m + pp - 1) of the time idles (Narayanan et al. 2021, §2.2.1).
    const double m_mb = std::max(1, c.grad_accum);
    const double bubble = pp > 1 ? m_mb / (m_mb + pp - 1) : 1.0;
    const double n_gpus = std::max(1, c.gpus);
    // A catalog GPU without a compute figure (A10G) gives no time: 0 tokens/s, time_known() false.
    e.peak_tflops = c.peak_tflops > 0 ? c.peak_tflops : gpu_peak_tflops(g, c.precision);
    e.tokens_per_second = n_gpus * e.peak_tflops * 1e12 * e.mfu * bubble / std::max(1.0, fpt);
    e.time_hours = e.tokens_per_second > 0 ? std::max(0.0, c.tokens) / e.tokens_per_second / 3600 : 0;
    e.gpu_hours = e.time_hours * n_gpus;
    e.price_per_gpu_hour = c.price_per_gpu_hour >= 0 ? c.price_per_gpu_hour : g.price_per_hour;
    e.cost_usd = e.gpu_hours * e.price_per_gpu_hour;
    e.gpu_tdp_w = g.tdp_w;
    e.energy_kwh = e.gpu_hours * g.tdp_w * std::clamp(c.gpu_power_fraction, 0.0, 1.5) * std::max(1.0, c.pue) / 1000;

    if (o.explain) explain_parts(e, c, a, t, d, am, {tp, pp, dp, ep, z}, tokens, logits_bytes_per_token_per_vocab(c));
    return e;
}

}  // namespace vramcalc
