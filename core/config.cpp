// config.cpp — the name tables of TrainingConfig's enums, LoRA target sets, and counts.
#include "config.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace vramcalc {

namespace {
constexpr std::array<NamedValue<Method>, 4> kMethods{{
    {Method::full, "full", "Full fine-tuning", "Every parameter trains (Trainer default; torchtune *_full recipes)."},
    {Method::lora, "lora", "LoRA", "Frozen base weights + low-rank adapters (PEFT LoraConfig; torchtune lora_*)."},
    {Method::qlora, "qlora", "QLoRA", "LoRA over a 4-bit (NF4) or 8-bit quantized base (bitsandbytes; PEFT prepare_model_for_kbit_training)."},
    {Method::freeze, "freeze", "Freeze (partial)", "Train only chosen layers, experts, router, embeddings/head (requires_grad=False on the rest)."},
}};
constexpr std::array<NamedValue<Adapter>, 11> kAdapters{{
    {Adapter::lora, "lora", "LoRA", "Low-rank A and B on each adapted linear (PEFT LoraConfig)."},
    {Adapter::adalora, "adalora", "AdaLoRA", "LoRA in SVD form at init_r (the rank field) pruned towards target_r; importance EMAs per adapter weight (PEFT AdaLoraConfig)."},
    {Adapter::vera, "vera", "VeRA", "One frozen random A and B shared by all layers; trains a scale per rank and per output (PEFT VeraConfig, r = the rank field)."},
    {Adapter::ia3, "ia3", "IA3", "A trained scale per output of attention linears, per input of MLP linears (PEFT IA3Config; k, v, down by default)."},
    {Adapter::loha, "loha", "LoHa", "Hadamard product of two rank-r pairs; keeps its fp32 delta weight (PEFT LoHaConfig)."},
    {Adapter::oft, "oft", "OFT", "Orthogonal rotation of the input, r blocks of in / r (PEFT OFTConfig)."},
    {Adapter::prompt, "prompt", "prompt tuning", "Virtual token embeddings before the input; the model runs on seq + n (PEFT PromptTuningConfig)."},
    {Adapter::prefix, "prefix", "prefix tuning", "Virtual keys and values in every layer (PEFT PrefixTuningConfig)."},
    {Adapter::llama_adapter, "llama-adapter", "LLaMA-Adapter", "Gated adaption prompts from layer 2 up (LitGPT finetune_adapter)."},
    {Adapter::llama_adapter_v2, "llama-adapter-v2", "LLaMA-Adapter v2", "LLaMA-Adapter + bias and scale on every linear, trained norms (LitGPT adapter_v2)."},
    {Adapter::tokens, "trainable-tokens", "trainable tokens", "Only some embedding rows train (PEFT TrainableTokensConfig)."},
}};
constexpr std::array<NamedValue<Precision>, 7> kPrecisions{{
    {Precision::fp32, "fp32", "fp32", "Everything in fp32: weights, gradients, states, activations."},
    {Precision::amp_bf16, "amp-bf16", "AMP bf16 (fp32 weights)", "fp32 weights, grads and states; bf16 autocast activations (HF Trainer bf16=True on a model loaded in fp32)."},
    {Precision::amp_fp16, "amp-fp16", "AMP fp16 (fp32 weights)", "fp32 weights, grads and states; fp16 autocast activations with loss scaling (Trainer fp16=True, fp32 model)."},
    {Precision::bf16_mixed, "bf16-mixed", "bf16 + fp32 master", "bf16 weights and grads, fp32 master weights and optimizer states (DeepSpeed bf16, Megatron)."},
    {Precision::fp16_mixed, "fp16-mixed", "fp16 + fp32 master", "fp16 weights and grads, fp32 master weights and states (DeepSpeed fp16, Apex O2)."},
    {Precision::bf16, "bf16", "bf16 (pure)", "Everything in bf16, optimizer states too (torchtune, LitGPT bf16-true, HF model loaded with torch_dtype=bfloat16)."},
    {Precision::fp8_mixed, "fp8-mixed", "fp8 matmuls + bf16/fp32", "fp8 GEMMs (Transformer Engine, torchao float8) over bf16 weights with fp32 master and states."},
}};
constexpr std::array<NamedValue<Optimizer>, 11> kOptimizers{{
    {Optimizer::sgd, "sgd", "SGD", "No state (torch.optim.SGD, momentum=0)."},
    {Optimizer::sgd_momentum, "sgd-momentum", "SGD + momentum", "One momentum buffer per parameter."},
    {Optimizer::adamw, "adamw", "AdamW", "Two moments per parameter (torch.optim.AdamW; HF optim=adamw_torch)."},
    {Optimizer::adamw_8bit, "adamw-8bit", "AdamW 8-bit", "Block-wise 8-bit moments (bitsandbytes AdamW8bit; HF optim=adamw_8bit / adamw_bnb_8bit)."},
    {Optimizer::paged_adamw_8bit, "paged-adamw-8bit", "Paged AdamW 8-bit", "8-bit moments in CUDA unified memory that pages to CPU under pressure (HF optim=paged_adamw_8bit)."},
    {Optimizer::adafactor, "adafactor", "Adafactor", "Factored second moment (row + column), no first moment (HF optim=adafactor)."},
    {Optimizer::lion, "lion", "Lion", "One momentum buffer (lion-pytorch; bitsandbytes Lion)."},
    {Optimizer::paged_adamw, "paged-adamw", "Paged AdamW (32-bit)", "fp32 moments in CUDA unified memory that pages to CPU under pressure (bitsandbytes PagedAdamW; HF optim=paged_adamw_32bit; LitGPT with quantization)."},
    {Optimizer::galore_adamw, "galore-adamw", "GaLore AdamW", "AdamW on rank-r projections of each layer matrix's gradient (Zhao et al. 2024; HF optim=galore_adamw, ms-swift use_galore)."},
    {Optimizer::galore_adamw_8bit, "galore-adamw-8bit", "GaLore AdamW 8-bit", "GaLore with 8-bit moments (HF optim=galore_adamw_8bit; + optimizer in backward: its per-layer mode)."},
    {Optimizer::muon, "muon", "Muon", "One momentum buffer per layer matrix, orthogonalised by Newton-Schulz; AdamW for embeddings, head and norms (Jordan et al. 2024; torch.optim.Muon)."},
}};
constexpr std::array<NamedValue<StateDtype>, 3> kStateDtypes{{
    {StateDtype::auto_, "auto", "auto", "fp32, except bf16 when the precision is pure bf16 (torch.optim keeps states in the parameter dtype)."},
    {StateDtype::fp32, "fp32", "fp32", "Optimizer states in fp32."},
    {StateDtype::bf16, "bf16", "bf16", "Optimizer states in bf16 (torchao/AnyPrecisionAdamW, DeepSpeed bf16 states)."},
}};
constexpr std::array<NamedValue<OptimizerImpl>, 4> kOptimizerImpls{{
    {OptimizerImpl::auto_, "auto", "framework default", "What the framework does: foreach torch.optim under HF Trainer, LitGPT and Unsloth; fused kernels under torchtune and Megatron."},
    {OptimizerImpl::for_loop, "for-loop", "for-loop", "One parameter at a time: torch.optim with foreach=False; transformers' AdamW (HF optim=adamw_hf, the Trainer default before 2024)."},
    {OptimizerImpl::foreach, "foreach", "foreach", "All parameters per kernel: torch.optim's CUDA default since PyTorch 2.0 (HF optim=adamw_torch); AdamW allocates sqrt(exp_avg_sq) for every parameter at once."},
    {OptimizerImpl::fused, "fused", "fused", "One fused kernel, no temporaries: torch.optim fused=True (HF optim=adamw_torch_fused), apex FusedAdam, DeepSpeed FusedAdam."},
}};
constexpr std::array<NamedValue<Checkpointing>, 3> kCheckpointing{{
    {Checkpointing::none, "none", "none", "Every activation is kept for backward (the PyTorch default)."},
    {Checkpointing::full, "full", "full", "Only each layer's input is kept; the layer is recomputed in backward (gradient_checkpointing=True)."},
    {Checkpointing::selective, "selective", "selective", "Megatron: core attention recomputed, the rest kept. Elsewhere torchtitan's op policy: every other matmul output kept, the rest recomputed."},
}};
constexpr std::array<NamedValue<Attention>, 3> kAttention{{
    {Attention::eager, "eager", "eager", "Materialises the b*heads*s*s score and probability matrices (attn_implementation=\"eager\")."},
    {Attention::sdpa, "sdpa", "SDPA", "torch scaled_dot_product_attention: memory-efficient/flash kernels, no s^2 matrix (the HF default)."},
    {Attention::flash, "flash", "FlashAttention-2", "flash_attn kernels: no s^2 matrix (attn_implementation=\"flash_attention_2\")."},
}};
constexpr std::array<NamedValue<Task>, 2> kTasks{{
    {Task::causal_lm, "causal-lm", "causal LM", "Next-token prediction: logits over the vocabulary for every token (AutoModelForCausalLM)."},
    {Task::classification, "classification", "classification", "A few class scores per sequence (AutoModelForSequenceClassification): no LM head, no vocabulary logits."},
}};
constexpr std::array<NamedValue<Framework>, 8> kFrameworks{{
    {Framework::hf, "hf", "HF Trainer + PEFT", "transformers Trainer / TRL SFTTrainer with PEFT; logits upcast to fp32 for the loss."},
    {Framework::torchtune, "torchtune", "torchtune", "torchtune recipes: pure bf16, fp32 logits per chunk when chunked CE is on."},
    {Framework::litgpt, "litgpt", "LitGPT", "Lightning Fabric recipes (bf16-true by default)."},
    {Framework::unsloth, "unsloth", "Unsloth", "Fused LoRA/CE kernels and CPU-offloaded gradient checkpointing."},
    {Framework::deepspeed, "deepspeed", "DeepSpeed", "DeepSpeed engine: bf16/fp16 weights + fp32 master and states, ZeRO buckets."},
    {Framework::megatron, "megatron", "Megatron-LM", "Megatron-Core: distributed optimizer, TP/PP/EP, fused kernels."},
    {Framework::axolotl, "axolotl", "Axolotl", "Axolotl over HF Trainer (same habits as hf)."},
    {Framework::pytorch, "pytorch", "Plain PyTorch loop", "Your own loop (torchtitan, Answer.AI fsdp_qlora): the model output, fp32 logits included, lives until after backward."},
}};
constexpr std::array<NamedValue<Units>, 2> kUnits{{
    {Units::GiB, "GiB", "GiB", "2^30 bytes (what PyTorch and nvidia-smi MiB/1024 report)."},
    {Units::GB, "GB", "GB", "10^9 bytes (what vendors print and LitGPT/torchtune<0.3 divide by)."},
}};

struct TargetName {
    LinearKind kind;
    std::string_view name;
};
constexpr std::array<TargetName, kLinearKinds> kTargetNames{{
    {LinearKind::q, "q"},         {LinearKind::k, "k"},
    {LinearKind::v, "v"},         {LinearKind::o, "o"},
    {LinearKind::gate, "gate"},   {LinearKind::up, "up"},
    {LinearKind::down, "down"},   {LinearKind::expert, "experts"},
    {LinearKind::shared_expert, "shared"}, {LinearKind::router, "router"},
}};
}  // namespace

template <> std::span<const NamedValue<Method>> enum_table<Method>() { return kMethods; }
template <> std::span<const NamedValue<Adapter>> enum_table<Adapter>() { return kAdapters; }
template <> std::span<const NamedValue<Precision>> enum_table<Precision>() { return kPrecisions; }
template <> std::span<const NamedValue<Optimizer>> enum_table<Optimizer>() { return kOptimizers; }
template <> std::span<const NamedValue<StateDtype>> enum_table<StateDtype>() { return kStateDtypes; }
template <> std::span<const NamedValue<OptimizerImpl>> enum_table<OptimizerImpl>() { return kOptimizerImpls; }
template <> std::span<const NamedValue<Checkpointing>> enum_table<Checkpointing>() { return kCheckpointing; }
template <> std::span<const NamedValue<Attention>> enum_table<Attention>() { return kAttention; }
template <> std::span<const NamedValue<Task>> enum_table<Task>() { return kTasks; }
template <> std::span<const NamedValue<Framework>> enum_table<Framework>() { return kFrameworks; }
template <> std::span<const NamedValue<Units>> enum_table<Units>() { return kUnits; }

std::string targets_to_string(TargetMask m) {
    std::string out;
    for (const auto& t : kTargetNames) {
        if (m & target_bit(t.kind)) {
            if (!out.empty()) out += ',';
            out += t.name;
        }
    }
    return out.empty() ? "none" : out;
}

std::optional<TargetMask> parse_targets(std::string_view s) {
    TargetMask m = 0;
    if (s == "none") return TargetMask{0};
    while (!s.empty()) {
        const size_t comma = s.find(',');
        std::string_view tok = s.substr(0, comma);
        s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
        // Accept Hugging Face module names as well as ours (q_proj, gate_proj, w1, ...).
        if (tok.ends_with("_proj")) tok.remove_suffix(5);
        if (tok == "all-linear" || tok == "all") { m |= kAllLinearTargets; continue; }
        if (tok == "attn" || tok == "attention") { m |= kAttentionTargets; continue; }
        if (tok == "mlp") { m |= kMlpTargets; continue; }
        if (tok == "expert") tok = "experts";
        if (tok == "shared_experts" || tok == "shared_expert") tok = "shared";
        if (tok == "output") tok = "o";
        bool found = false;
        for (const auto& t : kTargetNames) {
            if (t.name == tok) { m |= target_bit(t.kind); found = true; break; }
        }
        if (!found) return std::nullopt;
    }
    return m;
}

std::optional<int64_t> parse_integer(std::string_view s) {
    bool neg = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t v = 0;
    for (const char ch : s) {
        if (ch < '0' || ch > '9') return std::nullopt;
        v = v * 10 + (ch - '0');
    }
    return neg ? -v : v;
}

std::optional<double> parse_number(std::string_view s) {
    if (s.empty() || s.size() > 40) return std::nullopt;
    char buf[48];   // strtod needs a terminated string; the input is short by the check above
    for (size_t i = 0; i < s.size(); ++i) {
        const char ch = s[i];
        if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == 'e' || ch == 'E' || ch == '-' || ch == '+'))
            return std::nullopt;
        buf[i] = ch;
    }
    buf[s.size()] = '\0';
    char* end = nullptr;
    const double v = std::strtod(buf, &end);
    if (end != buf + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view s) {
    if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off") return false;
    return std::nullopt;
}

namespace {
std::string g_text(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
}  // namespace

std::string set_int(int& out, std::string_view v, int lo, int hi) {
    const std::optional<int64_t> x = parse_integer(v);
    if (!x || *x < lo || *x > hi) return "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi);
    out = static_cast<int>(*x);
    return {};
}

std::string set_all_or_int(int& out, std::string_view v, int hi) {
    if (v == "all" || v == "-1") {
        out = -1;
        return {};
    }
    const std::optional<int64_t> x = parse_integer(v);
    if (!x || *x < 0 || *x > hi) return "must be all or an integer 0.." + std::to_string(hi);
    out = static_cast<int>(*x);
    return {};
}

std::string set_number(double& out, std::string_view v, double lo, double hi, bool lo_open) {
    const std::optional<double> x = parse_number(v);
    if (!x || *x < lo || *x > hi || (lo_open && *x <= lo))
        return lo_open ? "must be a number above " + g_text(lo) + " and at most " + g_text(hi)
                       : "must be a number " + g_text(lo) + ".." + g_text(hi);
    out = *x;
    return {};
}

std::string set_mfu(double& out, std::string_view v, double lo) {
    const std::optional<double> x = parse_number(v);
    if (!x || *x < 0 || *x > 1 || (*x > 0 && *x < lo))
        return "must be 0 (the GPU's typical figure) or a fraction " + g_text(lo) + "..1";
    out = *x;
    return {};
}

std::string set_bool(bool& out, std::string_view v) {
    const std::optional<bool> x = parse_bool(v);
    if (!x) return "must be true or false (1 or 0)";
    out = *x;
    return {};
}

namespace {
// Length of the UTF-8 sequence starting at s[i] (1..4), or 0 when the bytes there are not one
// (overlong forms, surrogates and code points above U+10FFFF included).
size_t utf8_length(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;   // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if (c == 0xED) n = 3, hi = 0x9F;
    else if (c >= 0xE1 && c <= 0xEF) n = 3;
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (i + n > s.size()) return 0;
    if (b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}
bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }
}  // namespace

std::string display_text_problem(std::string_view s) {
    if (s.size() > kMaxDisplayText) return "must be at most " + std::to_string(kMaxDisplayText) + " bytes";
    for (size_t i = 0; i < s.size();) {
        const size_t n = utf8_length(s, i);
        if (n == 0) return "must be UTF-8 text";
        if (n == 1 && is_control(static_cast<unsigned char>(s[i]))) return "must not hold control characters";
        i += n;
    }
    return {};
}

std::string to_display_text(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_length(s, i);
        std::string_view piece = n == 0 ? std::string_view("?") : s.substr(i, n);
        if (n == 1 && is_control(static_cast<unsigned char>(s[i]))) piece = " ";
        i += n == 0 ? 1 : n;
        if (piece == " " && (out.empty() || out.back() == ' ')) continue;   // trim and collapse
        if (out.size() + piece.size() > kMaxDisplayText) break;
        out += piece;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::optional<int64_t> parse_count(std::string_view s) {
    if (s.empty() || s.size() > 40) return std::nullopt;
    double mult = 1;
    switch (s.back()) {
        case 'k': case 'K': mult = 1e3; break;
        case 'm': case 'M': mult = 1e6; break;
        case 'b': case 'B': case 'g': case 'G': mult = 1e9; break;
        case 't': case 'T': mult = 1e12; break;
        default: break;
    }
    if (mult != 1) s.remove_suffix(1);
    if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
    const std::optional<double> v = parse_number(s);
    if (!v) return std::nullopt;
    const double n = std::round(*v * mult);
    if (n < 0 || n > 9.0e18) return std::nullopt;
    return static_cast<int64_t>(n);
}

std::string format_count(int64_t n) {
    char buf[32];
    const double v = static_cast<double>(n);
    if (n >= 1'000'000'000'000) std::snprintf(buf, sizeof buf, "%.2fT", v / 1e12);
    else if (n >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.2fB", v / 1e9);
    else if (n >= 1'000'000) std::snprintf(buf, sizeof buf, "%.1fM", v / 1e6);
    else if (n >= 1'000) std::snprintf(buf, sizeof buf, "%.1fK", v / 1e3);
    else std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
    return buf;
}

}  // namespace vramcalc
