// config.h — TrainingConfig: the single description of a training run, and its enums.
//
// Sections
//   1. Enums and their one name table (CLI values, link values and UI labels all come from here)
//   2. ModelSpec       — which model: catalog id, explicit architecture, or bare parameter counts
//   3. TrainingConfig  — method, precision, optimizer, batch, activations, parallelism, hardware, cost
//   4. Result<T>       — a value or one clear error message (nothing throws across the core)
//
// Every default is valid: a default-constructed TrainingConfig is the page's first screen
// (Llama-3.1-8B, LoRA r=16, bf16, AdamW, micro-batch 1, seq 2048, one H100 SXM 80GB).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "architecture.h"

namespace vramcalc {

// ---------------------------------------------------------------------------------------------
// 1. Enums
// ---------------------------------------------------------------------------------------------
enum class Method : uint8_t { full, lora, qlora, freeze };

// What trains over the frozen base of a lora / qlora run (PEFT's peft_type): LoRA itself, one of
// PEFT's other per-linear adapters, or a prompt-learning method that adapts no linear at all
// (prompt tuning: virtual token embeddings before the input; prefix tuning: virtual keys and
// values in every layer; LLaMA-Adapter: gated adaption prompts in the upper layers, v2 adding a
// bias and scale on every linear and training the norms).
// Trainable tokens: only some rows of the embedding (PEFT TrainableTokensConfig), count trainable_tokens.
enum class Adapter : uint8_t { lora, adalora, vera, ia3, loha, oft, prompt, prefix, llama_adapter, llama_adapter_v2, tokens };
inline bool llama_adapter(Adapter a) { return a == Adapter::llama_adapter || a == Adapter::llama_adapter_v2; }
// Methods that put no adapter on a linear's input and train virtual tokens (their count: virtual_tokens).
inline bool prompt_learning(Adapter a) { return a == Adapter::prompt || a == Adapter::prefix || llama_adapter(a); }
// Whether the adapter sits on the targeted linears (LoRA and PEFT's per-linear tuners).
inline bool adapts_linears(Adapter a) { return !prompt_learning(a) && a != Adapter::tokens; }
// Whether --lora-dropout means anything: LoHa and OFT drop ranks, modules or blocks, never the input.
inline bool has_input_dropout(Adapter a) { return adapts_linears(a) && a != Adapter::loha && a != Adapter::oft; }
// LitGPT's adapter_start_layer default (litgpt/adapter.py Config): the adaption prompts start at layer 2.
inline constexpr int kLlamaAdapterStartLayer = 2;

// What frameworks really do (see tests/test_states.cpp for the bytes per parameter of each):
//   fp32        everything fp32
//   amp_bf16    fp32 weights, grads and states; bf16 autocast activations (HF Trainer bf16=True
//   amp_fp16    on a model loaded in fp32)
//   bf16_mixed  bf16 weights and grads + fp32 master weights and states (DeepSpeed, Megatron)
//   fp16_mixed
//   bf16        everything bf16, states too (torchtune, LitGPT bf16-true, HF model loaded in bf16)
//   fp8_mixed   fp8 matmuls (Transformer Engine / torchao float8) over bf16_mixed
enum class Precision : uint8_t { fp32, amp_bf16, amp_fp16, bf16_mixed, fp16_mixed, bf16, fp8_mixed };

enum class Optimizer : uint8_t { sgd, sgd_momentum, adamw, adamw_8bit, paged_adamw_8bit, adafactor, lion, paged_adamw,
                                 galore_adamw, galore_adamw_8bit, muon };
inline bool is_galore(Optimizer o) { return o == Optimizer::galore_adamw || o == Optimizer::galore_adamw_8bit; }
inline bool is_paged(Optimizer o) { return o == Optimizer::paged_adamw_8bit || o == Optimizer::paged_adamw; }

// Dtype of optimizer states where frameworks let users choose. `auto`: fp32 unless precision is
// pure bf16 (then bf16, as torch.optim does for bf16 parameters).
enum class StateDtype : uint8_t { auto_, fp32, bf16 };

// How the optimizer step runs over the parameters (torch.optim's `foreach` / `fused` arguments).
// `auto`: what the framework does by default (torch.optim.AdamW picks foreach on CUDA since
// PyTorch 2.0; torchtune's and Megatron's configs use fused kernels). `for_loop`: one tensor at
// a time (torch.optim with foreach=False; transformers' own AdamW, HF optim=adamw_hf).
enum class OptimizerImpl : uint8_t { auto_, for_loop, foreach, fused };

enum class Checkpointing : uint8_t { none, full, selective };
enum class Attention : uint8_t { eager, sdpa, flash };

// What the model is trained to output: next-token logits over the vocabulary, or a few class
// scores (AutoModelForSequenceClassification: the LM head replaced by a small score layer).
enum class Task : uint8_t { causal_lm, classification };

// The training stack: changes habits that really differ (logits upcast, chunked loss, LoRA
// dropout copies, activation offload, CUDA context). hf = Hugging Face Trainer + PEFT.
enum class Framework : uint8_t { hf, torchtune, litgpt, unsloth, deepspeed, megatron, axolotl, pytorch };

enum class Units : uint8_t { GiB, GB };

// One name table per enum: value, name used in CLI and link, label shown on the page, help line.
template <class E>
struct NamedValue {
    E value;
    std::string_view name;
    std::string_view label;
    std::string_view help;
};

template <class E>
std::span<const NamedValue<E>> enum_table();   // specialised in config.cpp for each enum above

template <class E>
std::string_view name_of(E v) {
    for (const auto& nv : enum_table<E>())
        if (nv.value == v) return nv.name;
    return "?";
}
template <class E>
std::string_view label_of(E v) {
    for (const auto& nv : enum_table<E>())
        if (nv.value == v) return nv.label;
    return "?";
}
template <class E>
std::optional<E> parse_enum(std::string_view s) {
    for (const auto& nv : enum_table<E>())
        if (nv.name == s) return nv.value;
    return std::nullopt;
}
// "a|b|c" — for error messages and --help.
template <class E>
std::string enum_choices() {
    std::string out;
    for (const auto& nv : enum_table<E>()) {
        if (!out.empty()) out += '|';
        out += nv.name;
    }
    return out;
}

// LoRA targets: a bit set over LinearKind.
using TargetMask = uint32_t;
constexpr TargetMask target_bit(LinearKind k) { return TargetMask{1} << static_cast<unsigned>(k); }
inline constexpr TargetMask kAttentionTargets = target_bit(LinearKind::q) | target_bit(LinearKind::k) |
                                                target_bit(LinearKind::v) | target_bit(LinearKind::o);
inline constexpr TargetMask kMlpTargets =
    target_bit(LinearKind::gate) | target_bit(LinearKind::up) | target_bit(LinearKind::down);
// PEFT "all-linear" on a dense model; on an MoE it also reaches every expert and shared expert.
inline constexpr TargetMask kAllLinearTargets = kAttentionTargets | kMlpTargets |
                                                target_bit(LinearKind::expert) |
                                                target_bit(LinearKind::shared_expert);

// "q,k,v,o,gate,up,down,experts,shared,router" <-> mask; also accepts "all-linear", "attn", "mlp".
std::string targets_to_string(TargetMask m);
std::optional<TargetMask> parse_targets(std::string_view s);

// ---------------------------------------------------------------------------------------------
// 2. ModelSpec
// ---------------------------------------------------------------------------------------------
enum class ModelKind : uint8_t { catalog, architecture, params };

struct ModelSpec {
    ModelKind kind = ModelKind::catalog;
    std::string id = "llama-3.1-8b";  // kind == catalog
    Architecture arch;                // kind == architecture (custom or from config.json)
    int64_t params_total = 0;         // kind == params: bare counts as the seed articles use
    int64_t params_active = 0;        //   MoE: active per token (0 = dense)
    int64_t params_shared = 0;        //   MoE: always-on part (attention, embeddings, shared experts)
};

// ---------------------------------------------------------------------------------------------
// 3. TrainingConfig
// ---------------------------------------------------------------------------------------------
struct TrainingConfig {
    ModelSpec model;

    // Method
    Method method = Method::lora;
    int lora_rank = 16;
    double lora_alpha = 32;                    // does not change memory; kept for the link/CLI
    TargetMask lora_targets = kAllLinearTargets;
    int lora_experts = -1;                     // routed experts with adapters per layer; -1 = all
    bool lora_dropout = false;                 // lora_dropout > 0: PEFT keeps a dropped-out copy (+ mask) of each adapter input
    bool lora_fa = false;                      // LoRA-FA (Zhang et al. 2023): A frozen at its init, only B trains (PEFT create_lorafa_optimizer)
    bool use_dora = false;                     // DoRA (Liu et al. 2024): + a trained magnitude per output feature (PEFT use_dora)
    // Embedding rows trained beside (or, with Adapter::tokens, instead of) the adapters: PEFT's
    // TrainableTokensConfig token_indices / LoraConfig trainable_token_indices (new special tokens).
    int trainable_tokens = 0;
    int virtual_tokens = 20;                   // prompt / prefix tuning: PEFT num_virtual_tokens; LLaMA-Adapter: adapter_prompt_length
    Adapter adapter = Adapter::lora;           // LoRA, AdaLoRA (lora_rank = init_r), VeRA (lora_rank = its r), IA3 (no rank)
    int quant_bits = 4;                        // qlora: 4 (NF4) or 8 (LLM.int8)
    bool double_quant = true;                  // qlora 4-bit: quantize the absmax constants too
    bool bnb_pre_044 = false;                  // qlora 4-bit: bitsandbytes < 0.44, whose MatMul4Bit keeps each layer's input

    // Freeze (method == freeze): which parts train. Layers [train_layer_begin, train_layer_end)
    // with train_layer_end = -1 meaning "through the last layer".
    int train_layer_begin = 0;
    int train_layer_end = -1;
    int train_experts = -1;                    // routed experts trained per trained layer; -1 = all
    bool train_attention = true;
    bool train_mlp = true;                     // dense MLPs and shared experts
    bool train_router = true;
    bool train_norms = true;
    bool train_embeddings = false;
    bool train_lm_head = false;
    Task task = Task::causal_lm;

    // Precision and optimizer
    Precision precision = Precision::bf16;
    Optimizer optimizer = Optimizer::adamw;
    int galore_rank = 128;                     // GaLore: rank r of the gradient projections (HF optim_args rank, ms-swift galore_rank)
    StateDtype state_dtype = StateDtype::auto_;
    OptimizerImpl optimizer_impl = OptimizerImpl::auto_;
    // zero_grad(set_to_none=True) frees the gradients after each step (the PyTorch default since
    // 2.0); false zeroes them in place, so they stay allocated through the next forward and backward.
    bool grads_set_to_none = true;

    // Batch and activations
    int micro_batch = 1;
    int seq_len = 2048;
    int grad_accum = 1;
    Checkpointing grad_checkpointing = Checkpointing::none;
    Attention attention = Attention::sdpa;
    bool chunked_ce = false;                   // chunked cross-entropy: no full b*s*V fp32 logits
    bool fused_linear_ce = false;              // lm_head + loss fused per token chunk (Liger, Apple CCE): no b*s*V logits
    bool activation_offload = false;           // checkpointed activations kept in CPU RAM (Unsloth, torchtune)
    bool compile = false;                      // torch.compile / fused kernels (Liger, Unsloth): fused norms and SwiGLU
    bool optimizer_in_backward = false;        // step each parameter as its gradient arrives (torchtune optimizer_in_bwd)
    Framework framework = Framework::hf;

    // Parallelism
    int gpus = 1;                              // total GPUs = dp * tp * pp
    int zero_stage = 0;                        // 0..3 (FSDP full-shard = 3, shard-grad-op = 2)
    bool offload_optimizer = false;            // optimizer states (and master weights) in CPU RAM
    bool offload_params = false;               // ZeRO-3 / FSDP parameter offload
    int tp = 1, pp = 1, ep = 1;

    // Hardware, time and cost
    std::string gpu_id = "h100-sxm-80gb";
    double tokens = 1e9;                       // training tokens
    double mfu = 0;                            // 0 = the GPU's default for this method
    double peak_tflops = 0;                    // > 0: dense peak TFLOPS per GPU at this precision, replacing
                                               // the catalog's (which lacks it for some GPUs, e.g. the A10G)
    double price_per_gpu_hour = -1;            // < 0 = the catalog's price (0 if it has none)
    double pue = 1.3;                          // data-centre power usage effectiveness
    double gpu_power_fraction = 0.8;           // average draw as a share of TDP while training
};

// ---------------------------------------------------------------------------------------------
// 4. Result<T>
// ---------------------------------------------------------------------------------------------
template <class T>
struct Result {
    std::optional<T> value;
    std::string error;   // empty iff value is set

    static Result ok(T v) { return Result{std::move(v), {}}; }
    static Result fail(std::string why) { return Result{std::nullopt, std::move(why)}; }
    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
};

// Strict text -> value parsers shared by the CLI and the share link: optional sign then 1..18
// digits; a finite decimal number ("0.35", "1e9", never "nan", "inf", "0x1p3", "1,5");
// true/false/1/0/yes/no/on/off. nullopt on anything else.
std::optional<int64_t> parse_integer(std::string_view s);
std::optional<double> parse_number(std::string_view s);
std::optional<bool> parse_bool(std::string_view s);

// Parse text into a field, checking its range: "" when set, else what would be valid ("must be an
// integer 1..65536"); the CLI and the share link name the option or key in front. The field is
// left unchanged on failure.
std::string set_int(int& out, std::string_view v, int lo, int hi);
std::string set_all_or_int(int& out, std::string_view v, int hi);   // "all" (or -1) = -1, else 0..hi
std::string set_number(double& out, std::string_view v, double lo, double hi, bool lo_open = false);
std::string set_bool(bool& out, std::string_view v);
// MFU: 0 (the GPU's typical figure for the method) or a fraction lo..1.
std::string set_mfu(double& out, std::string_view v, double lo);
template <class E>
std::string set_enum(E& out, std::string_view v) {
    const std::optional<E> x = parse_enum<E>(v);
    if (!x) return "must be one of " + enum_choices<E>();
    out = *x;
    return {};
}

// Free text a user supplies that is shown and written into share links (a model's name and
// family from config.json or a link): at most kMaxDisplayText bytes of valid UTF-8 without
// control characters. display_text_problem: "" when `s` is such text, else what is wrong.
// to_display_text: control characters (newlines, escape sequences) become spaces, bytes that are
// not UTF-8 become '?', the ends are trimmed and the text is cut at a character boundary.
inline constexpr size_t kMaxDisplayText = 120;
std::string display_text_problem(std::string_view s);
std::string to_display_text(std::string_view s);

// Parse "7B", "7e9", "7000000000", "1.5M", "70b" into a count; nullopt on anything else
// (negative, NaN, overflow, trailing junk).
std::optional<int64_t> parse_count(std::string_view s);
// "7.24B", "124M", "1.0T": a count as people write it.
std::string format_count(int64_t n);

}  // namespace vramcalc
