// validate.cpp — ModelSpec -> Architecture, and the checks that make a configuration possible.
// Each failure is one sentence: what is wrong and what would be valid.
#include <algorithm>
#include <cmath>
#include <string>

#include "catalog.h"
#include "estimate.h"
#include "link.h"

namespace vramcalc {

Result<Architecture> resolve_model(const ModelSpec& m) {
    switch (m.kind) {
        case ModelKind::catalog: {
            const ModelEntry* e = find_model(m.id);
            if (!e) {
                const std::string near = suggest_model(m.id);
                return Result<Architecture>::fail("unknown model '" + m.id + "'" +
                                                  (near.empty() ? "" : "; did you mean " + near + "?") +
                                                  " (`vramcalc models` lists them)");
            }
            return Result<Architecture>::ok(e->arch);
        }
        case ModelKind::architecture: {
            const std::string why = validate(m.arch);
            if (!why.empty()) return Result<Architecture>::fail(why);
            return Result<Architecture>::ok(m.arch);
        }
        case ModelKind::params: {
            if (m.params_total < limits::kMinParams || m.params_total > limits::kMaxParams)
                return Result<Architecture>::fail("--params must be between 1M and 100T parameters (e.g. 7B)");
            if (m.params_active < 0 || m.params_active > m.params_total)
                return Result<Architecture>::fail("--active-params must be at most --params (0 for a dense model)");
            if (m.params_shared < 0 || (m.params_active > 0 && m.params_shared > m.params_active) ||
                (m.params_active == 0 && m.params_shared > 0))
                return Result<Architecture>::fail("--shared-params needs --active-params and must be at most it");
            // Integer layer widths leave the synthesized shape a few thousand parameters off the
            // requested count; carry the rest as unmodelled parameters so totals are exact.
            Architecture a = synthesize_architecture(m.params_total, m.params_active, m.params_shared);
            const int64_t rest = m.params_total - count_params(a).total();
            if (rest > 0) a.extra_params += rest;
            return Result<Architecture>::ok(std::move(a));
        }
    }
    return Result<Architecture>::fail("unknown model kind");
}

namespace {
std::string divisors_of(int64_t n, int64_t limit = 64) {
    std::string out;
    for (int64_t d = 1; d <= std::min(n, limit); ++d) {
        if (n % d) continue;
        if (!out.empty()) out += ", ";
        out += std::to_string(d);
    }
    return out;
}
bool bad(double v) { return !std::isfinite(v); }
}  // namespace

std::string validate(const TrainingConfig& c, const Architecture& a) {
    const int64_t L = a.total_layers();
    if (c.micro_batch < 1 || c.micro_batch > 1'000'000) return "--micro-batch must be between 1 and 1000000";
    if (c.seq_len < 1 || c.seq_len > 100'000'000) return "--seq-len must be between 1 and 100000000 tokens";
    // One micro-batch beyond 2^30 tokens per GPU (a billion) is no training run; past it the byte
    // counts of activations and logits leave every meaningful range.
    if (static_cast<int64_t>(c.micro_batch) * c.seq_len > kMaxTokensPerMicroBatch)
        return "--micro-batch x --seq-len = " + std::to_string(static_cast<int64_t>(c.micro_batch) * c.seq_len) +
               " tokens per micro-batch; must be at most " + std::to_string(kMaxTokensPerMicroBatch) +
               " (lower one of them)";
    if (c.grad_accum < 1 || c.grad_accum > 1'000'000) return "--grad-accum must be between 1 and 1000000";
    if (c.gpus < 1 || c.gpus > 10'000'000) return "--gpus must be between 1 and 10000000";
    if (c.zero_stage < 0 || c.zero_stage > 3) return "--zero must be 0, 1, 2 or 3";
    if (c.tp < 1 || c.pp < 1 || c.ep < 1) return "--tp, --pp and --ep must be at least 1";
    // In int64: --tp 65536 x --pp 65536 overflows int (it wrapped to 0, a division by zero).
    const int64_t tp_pp = static_cast<int64_t>(c.tp) * c.pp;
    if (c.gpus % tp_pp != 0)
        return "--gpus " + std::to_string(c.gpus) + " is not a multiple of --tp x --pp = " + std::to_string(tp_pp);
    if (a.num_attention_heads % c.tp != 0)
        return "--tp " + std::to_string(c.tp) + " does not divide the " + std::to_string(a.num_attention_heads) +
               " attention heads; valid: " + divisors_of(a.num_attention_heads);
    if (c.pp > L) return "--pp " + std::to_string(c.pp) + " exceeds the " + std::to_string(L) + " layers";
    if (c.ep > 1) {
        if (!a.is_moe()) return "--ep needs a mixture-of-experts model; this one is dense (use --ep 1)";
        if (a.num_experts % c.ep != 0)
            return "--ep " + std::to_string(c.ep) + " does not divide the " + std::to_string(a.num_experts) +
                   " experts; valid: " + divisors_of(a.num_experts);
        const int64_t dp = c.gpus / tp_pp;
        if (dp % c.ep != 0)
            return "--ep " + std::to_string(c.ep) + " must divide the data-parallel size " + std::to_string(dp) +
                   " (--gpus / (--tp x --pp))";
    }
    if (c.offload_params && c.zero_stage != 3) return "--offload-params needs --zero 3 (FSDP full shard / ZeRO-3)";
    if (is_galore(c.optimizer)) {
        // GaLore projects each weight's whole gradient (an SVD of it): galore_torch and the
        // trainers that wrap it (HF Trainer, LLaMA-Factory, ms-swift) run it on whole parameters only.
        if (c.zero_stage != 0 || c.tp > 1 || c.pp > 1)
            return "GaLore needs whole gradients: use --zero 0 with no tensor or pipeline parallelism (data parallel is fine)";
        if (c.offload_optimizer) return "GaLore keeps its projected states on the GPU: drop --offload-optimizer";
        if (c.galore_rank < 1 || c.galore_rank > 65536) return "--galore-rank must be between 1 and 65536";
    }
    if (c.method == Method::lora || c.method == Method::qlora) {
        if (c.lora_rank < 1 || c.lora_rank > 65536) return "--lora-rank must be between 1 and 65536";
        if (c.lora_targets == 0 && adapts_linears(c.adapter))
            return "--lora-targets is empty; use e.g. q,k,v,o,gate,up,down or all-linear";
        if (prompt_learning(c.adapter) && (c.virtual_tokens < 1 || c.virtual_tokens > limits::kMaxVirtualTokens))
            return "--virtual-tokens must be between 1 and " + std::to_string(limits::kMaxVirtualTokens);
        if (c.trainable_tokens < 0 || c.trainable_tokens > std::min<int64_t>(limits::kMaxTrainableTokens, a.vocab_size))
            return "--trainable-tokens must be between 0 and the vocabulary (" + std::to_string(a.vocab_size) + ")";
        if (c.adapter == Adapter::tokens && c.trainable_tokens < 1)
            return "--adapter trainable-tokens trains embedding rows: give their number with --trainable-tokens N";
        if (c.trainable_tokens > 0) {
            if (prompt_learning(c.adapter))
                return std::string(label_of(c.adapter)) + " trains only its virtual tokens: drop --trainable-tokens";
            if (c.train_embeddings) return "--train-embeddings already trains every row: drop --trainable-tokens";
            if (!peft_lora_layers(c.framework))
                return "--trainable-tokens is PEFT's (trainable_token_indices): use --framework hf, axolotl or deepspeed";
        }
        if (bad(c.lora_alpha) || c.lora_alpha <= 0 || c.lora_alpha > 1e6) return "--lora-alpha must be a positive number";
        if (c.lora_experts < -1 || (a.is_moe() && c.lora_experts > a.num_experts))
            return "--lora-experts must be 'all' or 0.." + std::to_string(a.num_experts);
        if (c.adapter != Adapter::lora) {
            // LLaMA-Adapter is LitGPT's; the other tuners are PEFT's: torchtune, LitGPT and Megatron have none of them.
            if (llama_adapter(c.adapter)) {
                if (c.framework != Framework::litgpt)
                    return std::string(label_of(c.adapter)) + " is LitGPT's finetune_adapter" +
                           (c.adapter == Adapter::llama_adapter_v2 ? "_v2" : "") + ": use --framework litgpt";
            } else if (!peft_lora_layers(c.framework)) {
                return "--adapter " + std::string(name_of(c.adapter)) + " is a PEFT tuner: use --framework hf, axolotl or deepspeed";
            }
            if (c.use_dora || c.lora_fa) return "--dora and --lora-fa modify LoRA itself: use them with --adapter lora";
            // LoHa drops ranks or whole modules and OFT whole blocks (rank_dropout, module_dropout),
            // never the input, and the adapters on no linear have no input to drop (has_input_dropout).
            if (c.lora_dropout && !has_input_dropout(c.adapter))
                return "--lora-dropout drops LoRA's input; " + std::string(label_of(c.adapter)) +
                       " has no input dropout: drop --lora-dropout";
            if (!adapts_linears(c.adapter) && (c.train_embeddings || c.train_lm_head))
                return std::string(label_of(c.adapter)) + " trains only its virtual tokens: drop --train-embeddings / --train-lm-head";
        }
    }
    if (c.method == Method::qlora && c.quant_bits != 4 && c.quant_bits != 8) return "--quant-bits must be 4 (NF4) or 8 (int8)";
    if (c.method == Method::freeze) {
        if (c.train_layer_begin < 0 || c.train_layer_begin >= L ||
            (c.train_layer_end >= 0 && (c.train_layer_end <= c.train_layer_begin || c.train_layer_end > L)))
            return "--train-layers must lie within the model's layers 0-" + std::to_string(L - 1) + " (e.g. last:4, 0-5, all)";
        if (c.train_experts < -1 || (a.is_moe() && c.train_experts > a.num_experts))
            return "--train-experts must be 'all' or 0.." + std::to_string(a.num_experts);
    }
    // The same limits as the CLI's and the link's setters (link.h), so what they take estimates.
    if (bad(c.tokens) || c.tokens < 0 || c.tokens > limits::kMaxTokens) return "--tokens must be between 0 and 1e16";
    if (bad(c.mfu) || c.mfu < 0 || c.mfu > 1 || (c.mfu > 0 && c.mfu < limits::kMinMfu))
        return "--mfu must be 0 (the GPU's typical figure) or a fraction 0.001..1";
    if (bad(c.peak_tflops) || c.peak_tflops < 0 || c.peak_tflops > limits::kMaxTflops)
        return "--tflops must be 0 (the catalog's figure) or a dense peak of at most 100000 TFLOPS per GPU";
    if (bad(c.price_per_gpu_hour) || c.price_per_gpu_hour > limits::kMaxPrice)
        return "--price must be a USD amount per GPU-hour of at most 10000";
    if (bad(c.pue) || c.pue < limits::kMinPue || c.pue > limits::kMaxPue) return "--pue must be between 1 and 5";
    if (bad(c.gpu_power_fraction) || c.gpu_power_fraction < 0 || c.gpu_power_fraction > limits::kMaxPowerFraction)
        return "--power-fraction must be between 0 and 1.5";
    if (c.optimizer_in_backward && c.grad_accum > 1)
        return "--optimizer-in-backward steps each parameter as its gradient arrives, so it needs --grad-accum 1";
    if (c.activation_offload && c.grad_checkpointing != Checkpointing::full)
        return "--activation-offload offloads checkpointed layer inputs; it needs --grad-checkpointing full";
    return {};
}

}  // namespace vramcalc
