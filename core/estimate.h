// estimate.h — TrainingConfig -> Estimate: per-GPU bytes by component, the phases of a step,
// the three totals, fit, GPUs needed, time, cost, energy, and the assumptions in words.
//
// Sections
//   1. Part       — the memory components, with their JSON keys and labels
//   2. Estimate   — the result
//   3. Functions  — resolve_model, estimate, fewest_gpus
//
// estimate() is pure: no I/O, no globals but the read-only catalog. The grid and the GPU search
// call it many times, so assumptions (strings) are built only when asked for.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "architecture.h"
#include "catalog.h"
#include "config.h"

namespace vramcalc {

// ---------------------------------------------------------------------------------------------
// 1. Parts. Bytes per GPU of each, as resident at the peak phase (activations: at their peak).
// ---------------------------------------------------------------------------------------------
enum class Part : uint8_t {
    weights_trainable,   // base weights that train (full / freeze), in their training dtype
    weights_frozen,      // frozen base weights in 16/32-bit
    weights_quantized,   // QLoRA base: 4-bit or 8-bit weights incl. quantization constants
    adapters,            // LoRA A/B matrices
    gradients,
    optimizer_states,
    master_weights,      // fp32 copy of half-precision trainable weights
    activations,         // saved for backward (+ recompute peak under checkpointing)
    logits,              // b*s*V logits, fp32 upcast and cross-entropy buffers
    optimizer_temp,      // temporaries of the optimizer step (foreach/fused AdamW)
    buffers,             // DDP/ZeRO buckets, all-gather buffers, dequantized weight copies
    cuda_context,        // CUDA context + kernels: in nvidia-smi, not in torch's counters
    allocator_reserve,   // max_memory_reserved - max_memory_allocated
};
inline constexpr int kPartCount = 13;

struct PartInfo {
    Part part;
    std::string_view key;     // JSON key in per_gpu_bytes
    std::string_view label;   // table label
    bool allocated;           // counts toward torch.cuda.max_memory_allocated
};
std::span<const PartInfo> part_table();

enum class Phase : uint8_t { forward, backward, optimizer };
std::string_view name_of_phase(Phase p);

// ---------------------------------------------------------------------------------------------
// 2. Estimate
// ---------------------------------------------------------------------------------------------
struct ParamSummary {
    int64_t total = 0;        // whole model
    int64_t active = 0;       // per token (MoE); = total for dense
    int64_t trainable = 0;    // parameters that receive gradients (adapters included)
    int64_t frozen = 0;       // base parameters that do not train
    int64_t adapters = 0;     // LoRA parameters
    int64_t adapters_trained = 0;   // of them, those that train (all but LoRA-FA's frozen A)
};

struct PartDetail {
    int64_t bytes = 0;        // per GPU
    std::string formula;      // "2 B x 8.03B params / 1 GPU" — filled when assumptions are asked for
};

struct Estimate {
    ParamSummary params;
    std::array<PartDetail, kPartCount> parts{};   // indexed by Part
    int64_t bytes(Part p) const { return parts[static_cast<int>(p)].bytes; }

    // Allocated bytes at the end of each phase's peak.
    std::array<int64_t, 3> phase_peak{};          // indexed by Phase
    Phase peak_phase = Phase::backward;

    int64_t peak = 0;             // max_memory_allocated
    int64_t peak_reserved = 0;    // max_memory_reserved
    int64_t device_used = 0;      // nvidia-smi: reserved + CUDA context
    int64_t cpu_bytes = 0;        // host RAM for offloaded states/params/activations (per node of `gpus`)

    int64_t gpu_memory = 0;       // capacity of the chosen GPU
    bool fits = false;            // headroom >= 0
    int64_t headroom = 0;         // gpu_memory - (device_used - paged_bytes); negative: short by
    int64_t paged_bytes = 0;      // paged optimizer states: in device_used (with the CUDA context),
                                  // not in the fit, since they page out to CPU under pressure
    int gpus_needed = 0;          // fewest GPUs of this kind that fit (0: none up to the search limit)
    int gpus_needed_zero = 0;     // ZeRO stage used for that count
    bool gpus_needed_offload = false;

    // Time, cost, energy
    double flops_per_token = 0;   // training FLOPs per token (fwd + bwd, + recompute)
    double tokens_per_second = 0; // whole job
    double time_hours = 0;
    double gpu_hours = 0;
    double cost_usd = 0;
    double energy_kwh = 0;
    double mfu = 0;               // the MFU used
    double peak_tflops = 0;       // dense peak per GPU used (0: unknown, so time, cost and energy are too)
    bool time_known() const { return tokens_per_second > 0; }
    double gpu_tdp_w = 0;         // the TDP the energy rests on (0: none in the catalog, so no energy)
    bool energy_known() const { return time_known() && gpu_tdp_w > 0; }
    bool cost_known() const { return time_known() && price_per_gpu_hour > 0; }
    double price_per_gpu_hour = 0;

    std::vector<std::string> assumptions;   // short sentences, each naming its source
    std::vector<std::string> suggestions;   // what to change to make it fit (when it does not)
};

struct EstimateOptions {
    bool explain = true;          // fill formulas, assumptions and suggestions
    bool search_gpus = true;      // fill gpus_needed (calls estimate again, without explain)
    int max_gpus = 4096;
};

// Limits that keep every figure finite and every sum inside int64: each part saturates at
// kMaxBytes / 16 and every total stays below kMaxBytes (1 EB, far beyond any cluster);
// validate() refuses micro-batches of more tokens.
inline constexpr int64_t kMaxBytes = 1'000'000'000'000'000'000;
inline constexpr int64_t kMaxTokensPerMicroBatch = int64_t{1} << 30;

// ---------------------------------------------------------------------------------------------
// 3. Functions
// ---------------------------------------------------------------------------------------------
// The architecture a ModelSpec describes (catalog lookup, as given, or synthesized from counts).
Result<Architecture> resolve_model(const ModelSpec& m);

// Empty if the configuration is valid for this architecture; else one sentence with what is
// wrong and what would be valid (e.g. "--tp 3 does not divide 32 attention heads; use 1, 2, 4, 8").
std::string validate(const TrainingConfig& c, const Architecture& a);

Result<Estimate> estimate(const TrainingConfig& c, const EstimateOptions& o = {});

// Stacks that put PEFT's LoRA layers on transformers' modeling code: HF Trainer / TRL, axolotl,
// DeepSpeed scripts and Unsloth (fp32 adapters, modules_to_save copies, HF's fused modules and
// training dropout). peft_lora_layers leaves out Unsloth, whose fused LoRA kernels (fast_lora.py)
// keep a layer's shared input once instead of a cast per adapter.
bool peft_stack(Framework f);
bool peft_lora_layers(Framework f);
// DoRA's trained magnitudes (one per output feature of each adapted matrix); 0 without DoRA.
int64_t dora_magnitudes(const TrainingConfig& c, const Architecture& a);
// The LoRA target kinds this model has (all the targets if it has none of them): what the
// formulas and assumptions name, so a dense model is not said to have "experts".
TargetMask present_targets(const TrainingConfig& c, const Architecture& a);
// Gemma 2's soft-capped attention on an explicit path that keeps s^2 scores: eager, or LitGPT
// under SDPA (torch SDPA cannot soft-cap).
bool softcap_explicit_attention(const TrainingConfig& c, const Architecture& a);
// Data-parallel ranks: GPUs over TP x PP (0 when fewer GPUs than one model replica needs).
int64_t data_parallel(const TrainingConfig& c);

// LitGPT under FSDP (ZeRO-3 over more than one data-parallel rank): Blocks are the units, so
// frozen weights beside adapters get gradients. With gradient accumulation (and no parameter
// offload) FSDP's no_sync also keeps every unit's gradient unsharded. The memory model and the
// assumptions both ask these.
bool litgpt_fsdp(const TrainingConfig& c);
bool litgpt_fsdp_no_sync(const TrainingConfig& c);
// LitGPT keeps lm_head apart from the embedding even where the checkpoint ties them, and under
// QLoRA quantizes it with the other linears.
bool litgpt_untied_head(const TrainingConfig& c, const Architecture& a);
// NF4 with double-quantized constants: asked for, or torchtune's (torchao NF4Tensor) always.
bool nf4_double_quant(const TrainingConfig& c);
bool litgpt_quantized_head(const TrainingConfig& c);
// PyTorch FSDP (ZeRO-3 outside DeepSpeed and Megatron, no PP): the root unit stays gathered.
bool fsdp_root_unsharded(const TrainingConfig& c);
// PyTorch FSDP with a mixed-precision policy (bf16/fp16/fp8-mixed): fp32 shards and fp32 gradient
// shards, 16-bit copies only in the gathered units.
bool fsdp_mixed_precision(const TrainingConfig& c);
// The same with the architecture and GPU already resolved (the hot path of the grid and search).
Estimate estimate_resolved(const TrainingConfig& c, const Architecture& a, const Gpu& g,
                           const EstimateOptions& o);

// Bytes -> "12.34 GiB" / "13.25 GB".
std::string format_bytes(int64_t bytes, Units u, int decimals = 2);
double to_units(int64_t bytes, Units u);

}  // namespace vramcalc
