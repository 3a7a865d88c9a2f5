// plan.cpp — estimate(): resolve, validate, compute, then the verdict around the numbers:
// the fewest GPUs that fit (searching ZeRO stage and count), what to change to make it fit,
// and the assumptions in words.
#include <algorithm>
#include <cstdio>
#include <string>

#include "catalog.h"
#include "estimate.h"

namespace vramcalc {

namespace {
EstimateOptions quiet() {
    EstimateOptions q;
    q.explain = false;
    q.search_gpus = false;
    return q;
}

// Only configurations that validate count (GaLore, for one, cannot be sharded by ZeRO).
bool fits_with(const TrainingConfig& c, const Architecture& a, const Gpu& g) {
    return validate(c, a).empty() && estimate_resolved(c, a, g, quiet()).fits;
}

struct Found {
    int gpus = 0;
    int zero = 0;
    bool offload = false;
};

// Fewest GPUs of this kind that fit, keeping TP x PP and EP as given and trying ZeRO 0..3.
// Memory per GPU does not grow with the data-parallel size, so for each stage the smallest
// count is found by doubling then bisection over multiples of TP x PP.
Found fewest_gpus(const TrainingConfig& base, const Architecture& a, const Gpu& g, int max_gpus) {
    const int unit = std::max(1, base.tp * base.pp);
    Found best;
    for (int z = 0; z <= 3; ++z) {
        TrainingConfig c = base;
        c.zero_stage = z;
        c.offload_params = base.offload_params && z == 3;
        auto ok = [&](int n) {
            c.gpus = n * unit;
            if (c.ep > 1 && n % c.ep != 0) return false;
            return fits_with(c, a, g);
        };
        int lo = std::max(1, base.ep > 1 ? base.ep : 1);
        if (z == 0) {
            // DDP: memory does not shrink with more GPUs; only the smallest count matters.
            if (ok(lo)) { if (!best.gpus || lo * unit < best.gpus) best = {lo * unit, z, c.offload_optimizer}; }
            continue;
        }
        int hi = lo;
        while (hi * unit <= max_gpus && !ok(hi)) hi *= 2;
        if (hi * unit > max_gpus) continue;
        int good = hi, bad = hi / 2 >= lo ? hi / 2 : lo - 1;
        while (good - bad > 1) {
            const int mid = bad + (good - bad) / 2;
            if (ok(mid)) good = mid; else bad = mid;
        }
        // With EP, only multiples of ep are valid; ok() already rejects the rest, so step up.
        while (!ok(good) && good * unit <= max_gpus) ++good;
        if (good * unit > max_gpus) continue;
        if (!best.gpus || good * unit < best.gpus) best = {good * unit, z, c.offload_optimizer};
    }
    return best;
}

std::string gib_s(int64_t b) { return format_bytes(b, Units::GiB, 1); }

void add_assumptions(Estimate& e, const TrainingConfig& c, const Architecture& a, const Gpu& g) {
    auto& as = e.assumptions;
    char buf[320];
    std::snprintf(buf, sizeof buf, "Model: %s, %s parameters%s (%lld layers, hidden %lld, vocab %lld).",
                  a.name.empty() ? a.id.c_str() : a.name.c_str(), format_count(e.params.total).c_str(),
                  a.is_moe() ? (", " + format_count(e.params.active) + " active per token").c_str() : "",
                  static_cast<long long>(a.total_layers()), static_cast<long long>(a.hidden_size),
                  static_cast<long long>(a.vocab_size));
    as.emplace_back(buf);
    as.push_back(std::string("Precision ") + std::string(name_of(c.precision)) + ": " +
                 std::string(enum_table<Precision>()[static_cast<size_t>(c.precision)].help));
    as.push_back(std::string("Optimizer ") + std::string(name_of(c.optimizer)) + ": " +
                 std::string(enum_table<Optimizer>()[static_cast<size_t>(c.optimizer)].help));
    if (c.optimizer_impl != OptimizerImpl::auto_)
        as.push_back(std::string("Optimizer step ") + std::string(name_of(c.optimizer_impl)) + ": " +
                     std::string(enum_table<OptimizerImpl>()[static_cast<size_t>(c.optimizer_impl)].help));
    as.push_back(std::string("Framework habits: ") + std::string(label_of(c.framework)) + " — " +
                 std::string(enum_table<Framework>()[static_cast<size_t>(c.framework)].help));
    const bool amp = c.precision == Precision::amp_bf16 || c.precision == Precision::amp_fp16;
    const bool adapter_run = c.method == Method::lora || c.method == Method::qlora;
    if (adapter_run && c.trainable_tokens > 0 && a.tie_word_embeddings)
        as.push_back("Trainable tokens: the tied head keeps its merged vocab x hidden weight for backward.");
    if (adapter_run && c.adapter != Adapter::lora) {
        const std::string on = " on " + targets_to_string(present_targets(c, a)) + ": ";
        switch (c.adapter) {
            case Adapter::adalora:
                as.push_back("AdaLoRA at init_r " + std::to_string(c.lora_rank) + on + format_count(e.params.adapters) +
                             " parameters (P, Lambda, Q; pruning zeroes Lambda, the tensors keep init_r) + its RankAllocator's "
                             "three importance tensors per adapter weight; each adapter keeps the fp32 cast of its input.");
                break;
            case Adapter::vera:
                as.push_back("VeRA r " + std::to_string(c.lora_rank) + on + format_count(e.params.adapters_trained) +
                             " trained scales (lambda_d, lambda_b) beside one shared frozen vera_A / vera_B; each adapted "
                             "linear keeps the fp32 outputs of both projections, not its input.");
                break;
            case Adapter::loha:
                as.push_back("LoHa r " + std::to_string(c.lora_rank) + on + format_count(e.params.adapters) +
                             " parameters, 2r x (in + out); each adapted linear keeps its input's fp32 cast and its fp32 delta weight.");
                break;
            case Adapter::oft:
                as.push_back("OFT, " + std::to_string(c.lora_rank) + " blocks" + on + format_count(e.params.adapters) +
                             " parameters; each adapted linear keeps its input's fp32 cast and the Cayley-Neumann terms.");
                break;
            case Adapter::prompt:
            case Adapter::prefix:
                as.push_back(std::string(label_of(c.adapter)) + ", " + std::to_string(c.virtual_tokens) + " virtual tokens: " +
                             format_count(e.params.adapters) + " parameters. " +
                             (c.adapter == Adapter::prompt ? "The model runs on seq + these, logits included"
                                                           : "Each layer's attention and cache keep their keys and values") +
                             "; backward passes every layer.");
                break;
            case Adapter::llama_adapter:
            case Adapter::llama_adapter_v2: {
                const bool v2 = c.adapter == Adapter::llama_adapter_v2;
                as.push_back(std::string(label_of(c.adapter)) + ": " + std::to_string(c.virtual_tokens) +
                             "-token gated prompts from layer " + std::to_string(kLlamaAdapterStartLayer) +
                             (v2 ? ", bias and scale on every linear, norms: " : ": ") + format_count(e.params.trainable) +
                             " parameters. Each layer keeps the prompt attention's output" +
                             (v2 ? " and every linear's; backward passes every layer."
                                 : "; backward stops at layer " + std::to_string(kLlamaAdapterStartLayer) + "."));
                break;
            }
            case Adapter::tokens:
                as.push_back(std::to_string(c.trainable_tokens) + " trainable tokens: " + format_count(e.params.adapters) +
                             " parameters; backward passes every layer to the input.");
                break;
            default:
                as.push_back("IA3" + on + format_count(e.params.adapters) +
                             " trained scales: attention linears keep their output, MLP linears the fp32 cast of their input.");
                break;
        }
    } else if (c.method == Method::lora || c.method == Method::qlora) {
        as.push_back("LoRA rank " + std::to_string(c.lora_rank) + " on " + targets_to_string(present_targets(c, a)) + ": " +
                     format_count(e.params.adapters) + " adapter parameters" +
                     (c.lora_fa ? ", " + format_count(e.params.adapters_trained) + " of them trained (LoRA-FA)" : std::string()) + " (" +
                     (peft_stack(c.framework) ? "fp32: PEFT autocast_adapter_dtype" : "in the model dtype") +
                     ").");
        const bool peft = peft_lora_layers(c.framework);
        if (c.train_embeddings || c.train_lm_head) {
            const std::string what = c.train_embeddings && c.train_lm_head ? "embeddings and lm_head"
                                                                           : (c.train_embeddings ? "embeddings" : "lm_head");
            as.push_back("The " + what + " train next to the adapters: " + format_count(e.params.trainable - e.params.adapters_trained) +
                         " params with gradients and optimizer states" +
                         (c.framework == Framework::unsloth
                              ? " (modules_to_save: a trained copy, in fp32 under fp16; Unsloth moves the frozen original to CPU RAM)."
                              : peft_stack(c.framework) ? " (PEFT modules_to_save: a trained copy; the frozen original stays)." : "."));
        }
        std::string keep =
            c.method == Method::qlora && c.framework != Framework::torchtune
                ? (c.quant_bits == 8 ? "The frozen int8 linears keep their inputs for backward (bitsandbytes MatMul8bitLt); "
                   : c.bnb_pre_044   ? "The frozen 4-bit linears keep their inputs for backward (bitsandbytes MatMul4Bit before 0.44); "
                                     : "The frozen 4-bit linears keep nothing of their inputs (bitsandbytes >= 0.44: MatMul4Bit saves only the weight); ")
                : (c.method == Method::qlora
                       ? "The frozen NF4 linears keep nothing of their inputs (torchao's LinearNF4 saves only the weight); "
                       : "The frozen linears keep nothing of their inputs (a linear's input is saved only for its weight's gradient); ");
        if (c.lora_fa)
            keep += std::string("LoRA-FA: A is frozen, so the adapters keep none of their inputs") +
                    (c.lora_dropout ? " (dropout's 1-byte mask only)" : "") + "; only B trains.";
        else if (c.lora_dropout)
            keep += "each adapter keeps its dropped-out input and a 1-byte mask.";
        else if (amp)
            keep += "each adapter keeps the bf16 copy autocast makes of its input.";
        else if (peft && c.precision != Precision::fp32)
            keep += "each PEFT adapter keeps the fp32 cast of its input.";
        else
            keep += "the adapters share the layer input (lora_dropout = 0).";
        as.push_back(keep);
        if (c.use_dora) {
            as.push_back("DoRA: " + format_count(dora_magnitudes(c, a)) +
                         " magnitudes; each adapted linear keeps its base and LoRA outputs" +
                         (c.lora_dropout && peft_stack(c.framework) ? std::string(" and, with dropout, a cast of W") : std::string()) +
                         "; each forward builds ||W + s.BA|| (PEFT DoraLinearLayer).");
        }
    }
    if (c.method == Method::qlora) {
        as.push_back(c.quant_bits == 8 ? "Base weights in LLM.int8 (1 B/param + fp32 row scales)."
                                       : (nf4_double_quant(c) ? (c.framework == Framework::torchtune && !c.double_quant
                                                                     ? "Base weights in torchao NF4, whose block scalers are always quantized to int8: 0.516 B/param."
                                                                     : "Base weights in NF4 with double quantization: 0.516 B/param (QLoRA §2).")
                                                         : "Base weights in NF4: 0.5 B/param + fp32 absmax per 64 weights (0.5625 B/param)."));
        if (amp)
            as.emplace_back("AMP over a 4-bit base: prepare_model_for_kbit_training has upcast embeddings, norms and lm_head to fp32, so hidden states are fp32 too (PEFT).");
    }
    if (c.method == Method::freeze) {
        const int64_t end = c.train_layer_end < 0 ? a.total_layers() : c.train_layer_end;
        as.push_back("Training layers " + std::to_string(c.train_layer_begin) + "-" + std::to_string(end - 1) +
                     "; no activations are kept below the lowest trained layer (autograd prunes the frozen bottom).");
    }
    switch (c.grad_checkpointing) {
        case Checkpointing::none: as.emplace_back("No gradient checkpointing: every layer keeps its activations until backward."); break;
        case Checkpointing::full: as.emplace_back("Full gradient checkpointing: each layer keeps only its input; one layer is recomputed at a time in backward (+1 forward of compute)."); break;
        case Checkpointing::selective:
            as.emplace_back(c.framework == Framework::megatron
                                ? "Selective recomputation (Megatron): core attention is recomputed, the rest kept (Korthikanti et al. 2022)."
                                : std::string("Selective recomputation (torchtitan's op policy): each layer keeps its input, attention's output and every other matmul output") +
                                      (c.compile ? ", less what backward never reads (o, down)." : "."));
            break;
    }
    if (!c.grads_set_to_none)
        as.emplace_back("zero_grad(set_to_none=False): gradients are zeroed in place, so they stay allocated through the next forward and backward (the PyTorch default before 2.0).");
    if (c.attention == Attention::eager)
        as.push_back(std::string("Eager attention materialises b x heads x s x s softmax scores (") +
                     (c.precision == Precision::fp32 ? "fp32" : "fp32 + 16-bit copy") + ") in every layer.");
    as.push_back("Logits and loss: " + e.parts[static_cast<size_t>(Part::logits)].formula + ".");
    if (c.gpus > 1) {
        char b2[200];
        const int dp = c.gpus / std::max(1, c.tp * c.pp);
        std::snprintf(b2, sizeof b2, "%d GPUs: data parallel %d x tensor %d x pipeline %d%s, ZeRO stage %d.", c.gpus, dp, c.tp,
                      c.pp, c.ep > 1 ? (" (experts over " + std::to_string(c.ep) + ")").c_str() : "", c.zero_stage);
        as.emplace_back(b2);
    }
    if (litgpt_fsdp(c)) {
        if (litgpt_fsdp_no_sync(c))
            as.emplace_back("LitGPT FSDP with gradient accumulation: no_sync keeps every unit's gradient unsharded until the last micro-batch, so each GPU holds the whole gradient (of every Block, frozen weights included under LoRA).");
        else if (c.method == Method::lora || c.method == Method::qlora)
            as.emplace_back("LitGPT FSDP wraps whole Blocks: frozen weights that share a unit with adapters get (sharded) gradients too.");
    }
    if (litgpt_untied_head(c, a))
        as.emplace_back("LitGPT builds lm_head as its own nn.Linear beside the embedding (tied only with train.tie_embeddings): " +
                        std::to_string((a.vocab_size * a.hidden_size + 500'000) / 1'000'000) + "M more parameters than the checkpoint.");
    if (litgpt_quantized_head(c))
        as.emplace_back("LitGPT QLoRA: Lightning's BitsandbytesPrecision quantizes every nn.Linear, lm_head too; it dequantizes from fp16, so each matmul briefly holds an fp16 and a bf16 copy of its weight.");
    if (c.tp > 1)
        as.emplace_back(c.framework == Framework::megatron
                            ? "Tensor parallel with sequence parallelism: every activation split over the TP ranks (Megatron saves the sequence shard and all-gathers again in backward)."
                            : "Tensor parallel (PyTorch DTensor): activations split over the TP ranks, except the all-gathered norm outputs that the column-parallel linears save whole.");
    if (fsdp_mixed_precision(c))
        as.emplace_back("FSDP mixed precision: each GPU holds fp32 shards of the parameters and of their gradients; 16-bit copies exist only for the units being gathered.");
    if (fsdp_root_unsharded(c))
        as.emplace_back("ZeRO-3 as PyTorch FSDP (DeepSpeed's ZeRO-3 with framework DeepSpeed): the root unit — embeddings, final norm, lm_head — stays unsharded from forward through backward.");
    if (c.offload_optimizer) as.push_back("Optimizer states, master weights and fp32 gradients in CPU RAM: " + gib_s(e.cpu_bytes) + " on the host.");
    if (is_paged(c.optimizer))
        as.emplace_back("Paged optimizer states live in CUDA unified memory: counted by nvidia-smi, not by torch's allocated/reserved, and they page to CPU under pressure.");
    as.emplace_back("Peak = the largest of three phases (end of forward, backward, optimizer step), not a sum of everything.");
    as.emplace_back("Reserved adds the caching allocator's kept blocks (calibrated); nvidia-smi adds the CUDA context (" +
                    gib_s(e.bytes(Part::cuda_context)) + " on " + g.name + ").");
    char b3[280];
    if (!e.time_known()) {
        as.emplace_back("No compute figure known for " + g.name +
                        ": time, cost and energy are unknown until its dense peak TFLOPS is set (--tflops; 'peak TFLOPS' on the page).");
        return;
    }
    std::snprintf(b3, sizeof b3,
                  "Time: %.3g training FLOPs per token (6N full / 4N+2N_trainable adapters, + attention, + recompute) at %.0f%% MFU of %s's %.4g TFLOPS%s.",
                  e.flops_per_token, e.mfu * 100, g.name.c_str(), e.peak_tflops, c.peak_tflops > 0 ? " (as set)" : "");
    as.emplace_back(b3);
    if (e.price_per_gpu_hour > 0) {
        std::snprintf(b3, sizeof b3, "Cost at $%.2f per GPU-hour.", e.price_per_gpu_hour);
        as.emplace_back(b3);
    } else {
        as.emplace_back("No price known for " + g.name + ": set --price to get a cost.");
    }
    if (e.energy_known()) {
        std::snprintf(b3, sizeof b3, "Energy at %.0f%% of %.0f W TDP and PUE %.2f.", c.gpu_power_fraction * 100, g.tdp_w, c.pue);
        as.emplace_back(b3);
    } else {
        as.emplace_back("No TDP known for " + g.name + ": energy is unknown.");
    }
}

void add_suggestions(Estimate& e, const TrainingConfig& c, const Architecture& a, const Gpu& g) {
    if (e.fits) return;
    auto& sg = e.suggestions;
    auto try_change = [&](const char* what, auto mutate) {
        TrainingConfig t = c;
        mutate(t);
        if (!validate(t, a).empty()) return false;
        const Estimate r = estimate_resolved(t, a, g, quiet());
        if (r.fits) sg.push_back(std::string(what) + " (" + gib_s(r.device_used) + ")");
        return r.fits;
    };
    // Cheap settings first: they cost neither speed nor quality.
    if (!c.grads_set_to_none)
        try_change("free the gradients after each step: zero_grad(set_to_none=True)", [](TrainingConfig& t) { t.grads_set_to_none = true; });
    if (e.peak_phase == Phase::optimizer && e.bytes(Part::optimizer_temp) > 0 && c.optimizer == Optimizer::adamw)
        try_change("a fused AdamW step (optim=adamw_torch_fused)", [](TrainingConfig& t) { t.optimizer_impl = OptimizerImpl::fused; });
    if (c.grad_checkpointing != Checkpointing::full)
        try_change("turn on full gradient checkpointing", [](TrainingConfig& t) { t.grad_checkpointing = Checkpointing::full; });
    const bool lora_like = c.method == Method::lora || c.method == Method::qlora;
    if (lora_like && c.use_dora && c.lora_dropout && peft_stack(c.framework))
        try_change("lora_dropout 0 with DoRA (no kept copy of W)",
                   [](TrainingConfig& t) { t.lora_dropout = false; });
    if (c.micro_batch > 1)
        try_change("micro-batch 1 with more gradient accumulation", [](TrainingConfig& t) {
            t.grad_accum *= t.micro_batch;
            t.micro_batch = 1;
        });
    if (c.optimizer == Optimizer::adamw)
        try_change("8-bit AdamW", [](TrainingConfig& t) { t.optimizer = Optimizer::adamw_8bit; });
    // Chunked first; the fused lm_head + loss (a kernel library to install) only when chunking is not enough.
    const bool chunk_fits = !c.chunked_ce && !c.fused_linear_ce &&
                            try_change("chunked cross-entropy", [](TrainingConfig& t) { t.chunked_ce = true; });
    if (!c.fused_linear_ce && !chunk_fits)
        try_change("fused linear cross-entropy (Liger / Cut Cross-Entropy)", [](TrainingConfig& t) { t.fused_linear_ce = true; });
    if (is_galore(c.optimizer) && !c.optimizer_in_backward)
        try_change("GaLore's per-layer mode (each weight stepped in backward)", [](TrainingConfig& t) { t.optimizer_in_backward = true; });
    if (c.method == Method::full && !is_galore(c.optimizer) && !c.offload_optimizer) {
        const bool galore_fits = try_change("GaLore 8-bit AdamW (rank 128): every weight still trains", [](TrainingConfig& t) {
            t.optimizer = Optimizer::galore_adamw_8bit;
            t.galore_rank = 128;
        });
        // GaLore's per-layer mode (galore_adamw8bit_per_layer) also frees each gradient in backward.
        if (!galore_fits && !c.optimizer_in_backward)
            try_change("GaLore 8-bit per layer (rank 128, each weight stepped in backward)", [](TrainingConfig& t) {
                t.optimizer = Optimizer::galore_adamw_8bit;
                t.galore_rank = 128;
                t.optimizer_in_backward = true;
            });
    }
    if (c.method == Method::full) {
        try_change("LoRA instead of full fine-tuning", [](TrainingConfig& t) { t.method = Method::lora; });
        try_change("QLoRA 4-bit instead of full fine-tuning", [](TrainingConfig& t) { t.method = Method::qlora; t.quant_bits = 4; });
    }
    if (lora_like && c.use_dora)
        try_change("plain LoRA instead of DoRA", [](TrainingConfig& t) { t.use_dora = false; });
    if (c.method == Method::lora)
        try_change("QLoRA (4-bit base)", [](TrainingConfig& t) { t.method = Method::qlora; t.quant_bits = 4; });
    if (c.precision == Precision::fp32 || c.precision == Precision::amp_bf16)
        try_change("load the model in bf16 (pure bf16)", [](TrainingConfig& t) { t.precision = Precision::bf16; });
    if (c.gpus > 1 && c.zero_stage < 3)
        try_change("ZeRO-3 / FSDP full shard", [](TrainingConfig& t) { t.zero_stage = 3; });
    if (!c.offload_optimizer)
        try_change("offload the optimizer to CPU", [](TrainingConfig& t) { t.offload_optimizer = true; });
    // The fewest GPUs as the configuration stands is not repeated here: it is gpus_needed (with
    // its ZeRO stage and offload), which the CLI's verdict and the page's show on their own.
    if (c.grad_checkpointing != Checkpointing::full) {
        // More GPUs shard model states, never a micro-batch's activations: checkpointing first.
        TrainingConfig t = c;
        t.grad_checkpointing = Checkpointing::full;
        const Found f = fewest_gpus(t, a, g, 4096);
        if (f.gpus > 0 && (e.gpus_needed == 0 || f.gpus < e.gpus_needed) && f.gpus != c.gpus)
            sg.push_back("full gradient checkpointing and " + std::to_string(f.gpus) + " GPUs with ZeRO-" +
                         std::to_string(f.zero));
    }
}
}  // namespace

Result<Estimate> estimate(const TrainingConfig& c, const EstimateOptions& o) {
    Result<Architecture> a = resolve_model(c.model);
    if (!a) return Result<Estimate>::fail(a.error);
    const Gpu* g = find_gpu(c.gpu_id);
    if (!g) {
        const std::string near = suggest_gpu(c.gpu_id);
        return Result<Estimate>::fail("unknown GPU '" + c.gpu_id + "'" + (near.empty() ? "" : "; did you mean " + near + "?") +
                                      " (`vramcalc gpus` lists them)");
    }
    if (std::string why = validate(c, *a); !why.empty()) return Result<Estimate>::fail(why);
    if (c.precision == Precision::fp8_mixed && g->fp8_tflops <= 0)
        return Result<Estimate>::fail("fp8-mixed needs fp8 tensor cores (Hopper, Ada, Blackwell, MI300); " + g->name +
                                      " has none: use bf16-mixed");
    Estimate e = estimate_resolved(c, *a, *g, o);
    if (o.search_gpus) {
        const Found f = fewest_gpus(c, *a, *g, o.max_gpus);
        e.gpus_needed = f.gpus;
        e.gpus_needed_zero = f.zero;
        e.gpus_needed_offload = f.offload;
    }
    if (o.explain) {
        add_assumptions(e, c, *a, *g);
        add_suggestions(e, c, *a, *g);
        if ((g->generation == "volta" || g->generation == "turing") &&
            (c.precision == Precision::bf16 || c.precision == Precision::bf16_mixed || c.precision == Precision::amp_bf16))
            e.assumptions.push_back(g->name + " has no bf16 tensor cores: bf16 runs emulated and slowly; fp16 is the usual choice.");
        if ((g->generation == "volta" || g->generation == "turing") && c.attention == Attention::flash)
            e.assumptions.push_back("FlashAttention-2 needs Ampere or newer; on " + g->name + " use sdpa.");
    }
    return Result<Estimate>::ok(std::move(e));
}

}  // namespace vramcalc
