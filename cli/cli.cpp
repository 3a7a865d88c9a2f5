// cli.cpp — command line -> TrainingConfig -> estimate/grid -> output.h.
//
// Sections
//   1. Errors and small parsers     — one line on stderr, exit 2; integers, counts, booleans
//   2. The option table             — every configuration flag: name, help with its default, apply
//   3. Building the configuration   — --link first, then the flags in table order, then checks
//   4. Commands                     — estimate, grid, models, gpus, seeds
//   5. run_cli                      — CLI11 set-up and error mapping
//
// CLI11 only splits the command line and catches unknown options: every value arrives as text and
// is checked here, so each error names the option, the bad value and what would be valid.
#include "cli.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "catalog.h"
#include "config.h"
#include "estimate.h"
#include "grid.h"
#include "hf_config.h"
#include "link.h"
#include "output.h"
#include "rules.h"

namespace vramcalc {

namespace {

using cli::Format;
using cli::View;

// ---------------------------------------------------------------------------------------------
// 1. Errors and small parsers
// ---------------------------------------------------------------------------------------------
// A user error: printed as one line, exit code 2.
struct UsageError {
    std::string message;
};

// One line of plain text: line breaks and tabs become spaces, other control characters '?' (an
// escape sequence echoed from a bad --model or --gpu value could clear or recolour the terminal).
std::string one_line(std::string s) {
    for (char& ch : s) {
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        else if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
    }
    return s;
}

std::string num(int64_t v) { return std::to_string(v); }

std::string bool_text(bool b) { return b ? "true" : "false"; }

std::string number_text(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

// The apply functions (core config.h set_*) return "" when the value is good, else what would be valid.
std::string set_count(int64_t& out, std::string_view v, int64_t lo) {
    const auto x = parse_count(v);
    if (!x || *x < lo || *x > limits::kMaxParams)
        return "must be a count such as 7B, 7e9 or 7000000000, " + std::string(lo > 0 ? "1M" : "0") + "..100T";
    out = *x;
    return {};
}

// A config.json is a few KB; a larger file is refused before it fills memory (/dev/zero read
// forever). "" = read, else why not.
constexpr size_t kMaxConfigBytes = size_t{64} << 20;

std::string read_config_file(const std::string& path, std::string& text) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return "is a directory; give the path of a Hugging Face config.json";
    std::ifstream f(path, std::ios::binary);
    if (!f) return "cannot read the file; give the path of a Hugging Face config.json";
    text.clear();
    char buf[1 << 16];
    while (f) {
        f.read(buf, sizeof buf);
        text.append(buf, static_cast<size_t>(f.gcount()));
        if (text.size() > kMaxConfigBytes) return "is larger than 64 MiB; a config.json is a few KB";
    }
    if (f.bad()) return "cannot read the file; give the path of a Hugging Face config.json";
    return {};
}

// ---------------------------------------------------------------------------------------------
// 2. The option table
// ---------------------------------------------------------------------------------------------
enum class Kind : uint8_t { value, flag };

struct OptSpec {
    std::string name;    // "--micro-batch"
    std::string hint;    // "N"
    std::string help;    // one line, ending with the default
    Kind kind = Kind::value;
    std::function<std::string(TrainingConfig&, const std::string&)> apply;   // nullptr: handled apart
};

template <class E>
std::string enum_help(std::string_view what, E def) {
    return std::string(what) + ": " + enum_choices<E>() + " (default " + std::string(name_of(def)) + ")";
}

// A true|false option on one bool field; its help ends with the field's default.
template <bool TrainingConfig::*F>
OptSpec bool_option(const char* name, const std::string& what) {
    static const TrainingConfig d{};
    return {name, "true|false", what + " (default " + bool_text(d.*F) + ")", Kind::value,
            [](TrainingConfig& c, const std::string& v) { return set_bool(c.*F, v); }};
}

const std::vector<OptSpec>& config_options() {
    using C = TrainingConfig;
    static const C d{};
    static const std::vector<OptSpec> table = {
        {"--link", "'#v=1&...'", "start from a share link (the page's URL fragment); later flags override it (default none)",
         Kind::value, nullptr},
        // Model (one of --model, --config, --params)
        {"--model", "ID", "catalog model id, e.g. llama-3.1-8b; `vramcalc models` lists them (default " + d.model.id + ")",
         Kind::value, nullptr},
        {"--config", "FILE", "a Hugging Face config.json instead of a catalog model (default none)", Kind::value, nullptr},
        {"--params", "COUNT", "bare parameter count instead of a model, e.g. 7B, 7e9 (default none)", Kind::value, nullptr},
        {"--active-params", "COUNT", "with --params: parameters active per token for an MoE (default = --params, dense)",
         Kind::value, nullptr},
        {"--shared-params", "COUNT", "with --params: always-on part of an MoE: attention, embeddings, shared experts (default unknown)",
         Kind::value, nullptr},
        // Method
        {"--method", "M", enum_help("training method", d.method), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.method, v); }},
        {"--lora-rank", "R", "LoRA rank r, 1.." + num(limits::kMaxRank) + " (default " + num(d.lora_rank) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.lora_rank, v, 1, limits::kMaxRank); }},
        {"--lora-alpha", "A", "LoRA alpha; does not change memory (default " + number_text(d.lora_alpha) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_number(c.lora_alpha, v, 0, limits::kMaxAlpha, true); }},
        {"--lora-targets", "LIST",
         "modules with adapters: q,k,v,o,gate,up,down,experts,shared,router or all-linear, attn, mlp (default " +
             targets_to_string(d.lora_targets) + ")",
         Kind::value,
         [](C& c, const std::string& v) {
             const auto m = parse_targets(v);
             if (!m) return std::string("must be a comma list of q,k,v,o,gate,up,down,experts,shared,router, all-linear, attn, mlp or none");
             c.lora_targets = *m;
             return std::string{};
         }},
        {"--lora-experts", "N|all", "MoE: routed experts with adapters per layer (default all)", Kind::value,
         [](C& c, const std::string& v) { return set_all_or_int(c.lora_experts, v, limits::kMaxExperts); }},
        bool_option<&C::lora_dropout>("--lora-dropout", "LoRA dropout > 0 keeps a dropped-out copy of each adapter input"),
        bool_option<&C::bnb_pre_044>("--bnb-pre-0.44",
                                     "QLoRA 4-bit: bitsandbytes before 0.44, whose MatMul4Bit keeps each layer's input for backward"),
        bool_option<&C::lora_fa>("--lora-fa", "LoRA-FA: A frozen at its init, only B trains; no adapter input kept (PEFT create_lorafa_optimizer)"),
        {"--adapter", "A", enum_help("what trains over the frozen base (lora / qlora)", d.adapter), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.adapter, v); }},
        {"--trainable-tokens", "N", "embedding rows trained (PEFT trainable_token_indices; --adapter trainable-tokens: only them), 0.." +
             num(limits::kMaxTrainableTokens) + " (default 0)", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.trainable_tokens, v, 0, limits::kMaxTrainableTokens); }},
        {"--virtual-tokens", "N", "prompt / prefix tuning: virtual tokens; LLaMA-Adapter: adapter_prompt_length, 1.." + num(limits::kMaxVirtualTokens) + " (default " +
             num(d.virtual_tokens) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.virtual_tokens, v, 1, limits::kMaxVirtualTokens); }},
        bool_option<&C::use_dora>("--dora", "DoRA: LoRA + a trained magnitude per output feature; each adapted linear keeps its base and LoRA outputs (PEFT use_dora)"),
        {"--quant-bits", "4|8", "QLoRA base weights: 4 (NF4) or 8 (LLM.int8) (default " + num(d.quant_bits) + ")", Kind::value,
         [](C& c, const std::string& v) {
             if (v == "4") c.quant_bits = 4;
             else if (v == "8") c.quant_bits = 8;
             else return std::string("must be 4 or 8");
             return std::string{};
         }},
        {"--double-quant", "", "QLoRA 4-bit: quantize the quantization constants too; =false turns it off (torchtune's torchao NF4 always does) (default " +
             bool_text(d.double_quant) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.double_quant, v); }},
        // Freeze
        {"--train-layers", "RANGE", "freeze: layers that train: all, A-B (0-based, inclusive), first:N, last:N, from:A (default all)",
         Kind::value, nullptr},
        {"--train-experts", "N|all", "freeze: routed experts trained per trained layer (default all)", Kind::value,
         [](C& c, const std::string& v) { return set_all_or_int(c.train_experts, v, limits::kMaxExperts); }},
        bool_option<&C::train_attention>("--train-attention", "freeze: attention trains"),
        bool_option<&C::train_mlp>("--train-mlp", "freeze: dense MLPs and shared experts train"),
        bool_option<&C::train_router>("--train-router", "freeze: MoE router trains"),
        bool_option<&C::train_norms>("--train-norms", "freeze: norms train"),
        bool_option<&C::train_embeddings>("--train-embeddings",
                                          "freeze, LoRA: token embeddings train (LoRA under PEFT: modules_to_save, a trained copy)"),
        bool_option<&C::train_lm_head>("--train-lm-head", "freeze, LoRA: output head trains (LoRA under PEFT: modules_to_save, a trained copy)"),
        // Precision and optimizer
        {"--precision", "P", enum_help("precision", d.precision), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.precision, v); }},
        {"--optimizer", "O", enum_help("optimizer", d.optimizer), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.optimizer, v); }},
        {"--galore-rank", "R", "GaLore: rank of the gradient projections, 1..65536 (default " + num(d.galore_rank) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.galore_rank, v, 1, limits::kMaxRank); }},
        {"--state-dtype", "T", enum_help("optimizer state dtype", d.state_dtype), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.state_dtype, v); }},
        {"--optimizer-impl", "I", enum_help("how the optimizer step runs (torch.optim foreach/fused)", d.optimizer_impl), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.optimizer_impl, v); }},
        bool_option<&C::grads_set_to_none>("--set-to-none", "zero_grad(set_to_none=...): false keeps gradients allocated between steps "
                                                             "(the PyTorch default before 2.0)"),
        // Batch and activations
        {"--micro-batch", "N", "sequences per GPU per step, 1.." + num(limits::kMaxMicroBatch) + " (default " +
             num(d.micro_batch) + ")",
         Kind::value, [](C& c, const std::string& v) { return set_int(c.micro_batch, v, 1, limits::kMaxMicroBatch); }},
        {"--seq-len", "N", "tokens per sequence, 1.." + num(limits::kMaxSeqLen) + " (default " + num(d.seq_len) + ")",
         Kind::value, [](C& c, const std::string& v) { return set_int(c.seq_len, v, 1, limits::kMaxSeqLen); }},
        {"--grad-accum", "N", "gradient accumulation steps, 1.." + num(limits::kMaxGradAccum) + " (default " +
             num(d.grad_accum) + ")",
         Kind::value, [](C& c, const std::string& v) { return set_int(c.grad_accum, v, 1, limits::kMaxGradAccum); }},
        {"--grad-checkpointing", "C", enum_help("activation (gradient) checkpointing", d.grad_checkpointing), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.grad_checkpointing, v); }},
        {"--attention", "A", enum_help("attention implementation", d.attention), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.attention, v); }},
        {"--task", "T", enum_help("what the model outputs", d.task), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.task, v); }},
        {"--chunked-ce", "", "chunked cross-entropy: no full fp32 logits (default " + bool_text(d.chunked_ce) + ")", Kind::flag,
         [](C& c, const std::string& v) { return set_bool(c.chunked_ce, v); }},
        {"--fused-linear-ce", "", "lm_head and loss fused per token chunk (Liger FusedLinearCrossEntropy, Apple Cut Cross-Entropy): "
             "no batch x seq x vocab logits (default " + bool_text(d.fused_linear_ce) + ")", Kind::flag,
         [](C& c, const std::string& v) { return set_bool(c.fused_linear_ce, v); }},
        {"--activation-offload", "", "checkpointed activations kept in CPU RAM (default " + bool_text(d.activation_offload) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.activation_offload, v); }},
        {"--compile", "", "torch.compile / fused kernels (Liger, Unsloth): fused norms and SwiGLU keep less (default " +
             bool_text(d.compile) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.compile, v); }},
        {"--optimizer-in-backward", "", "step each parameter as its gradient arrives; no full gradient buffer (torchtune optimizer_in_bwd; default " +
             bool_text(d.optimizer_in_backward) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.optimizer_in_backward, v); }},
        {"--framework", "F", enum_help("training stack", d.framework), Kind::value,
         [](C& c, const std::string& v) { return set_enum(c.framework, v); }},
        // Parallelism
        {"--gpus", "N", "total GPUs (data x tensor x pipeline parallel), 1.." + num(limits::kMaxGpus) + " (default " +
             num(d.gpus) + ")",
         Kind::value, [](C& c, const std::string& v) { return set_int(c.gpus, v, 1, limits::kMaxGpus); }},
        {"--zero", "0|1|2|3", "ZeRO stage / FSDP sharding: 0 none, 1 states, 2 + gradients, 3 + weights; 3 is PyTorch FSDP unless --framework deepspeed (default " +
             num(d.zero_stage) + ")",
         Kind::value, [](C& c, const std::string& v) { return set_int(c.zero_stage, v, 0, 3); }},
        {"--offload-optimizer", "", "optimizer states and master weights in CPU RAM (default " +
             bool_text(d.offload_optimizer) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.offload_optimizer, v); }},
        {"--offload-params", "", "ZeRO-3 / FSDP parameter offload to CPU RAM (default " + bool_text(d.offload_params) + ")",
         Kind::flag, [](C& c, const std::string& v) { return set_bool(c.offload_params, v); }},
        {"--tp", "N", "tensor parallel degree (default " + num(d.tp) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.tp, v, 1, limits::kMaxParallel); }},
        {"--pp", "N", "pipeline parallel degree (default " + num(d.pp) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.pp, v, 1, limits::kMaxParallel); }},
        {"--ep", "N", "expert parallel degree (default " + num(d.ep) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_int(c.ep, v, 1, limits::kMaxParallel); }},
        // Hardware, time and cost
        {"--gpu", "ID", "catalog GPU id, e.g. h100-sxm-80gb; `vramcalc gpus` lists them (default " + d.gpu_id + ")",
         Kind::value, nullptr},
        {"--tokens", "COUNT", "training tokens, e.g. 1B, 2e9 (default " + format_count(static_cast<int64_t>(d.tokens)) + ")",
         Kind::value,
         [](C& c, const std::string& v) {
             const auto n = parse_count(v);
             if (!n || static_cast<double>(*n) > limits::kMaxTokens)
                 return std::string("must be a count such as 1B, 2e9 or 2000000000, at most 1e16");
             c.tokens = static_cast<double>(*n);
             return std::string{};
         }},
        {"--mfu", "F", "model FLOPs utilisation 0..1; 0 = the GPU's typical figure for the method (default 0)", Kind::value,
         [](C& c, const std::string& v) { return set_mfu(c.mfu, v, limits::kMinMfu); }},
        {"--tflops", "T",
         "dense peak TFLOPS per GPU at the run's precision (default: the catalog's figure; some GPUs, e.g. the A10G, have none)",
         Kind::value, [](C& c, const std::string& v) { return set_number(c.peak_tflops, v, 0, limits::kMaxTflops); }},
        {"--price", "USD", "price per GPU-hour (default: the catalog's price for the GPU)", Kind::value,
         [](C& c, const std::string& v) { return set_number(c.price_per_gpu_hour, v, 0, limits::kMaxPrice); }},
        {"--pue", "F", "data-centre power usage effectiveness, 1..5 (default " + number_text(d.pue) + ")", Kind::value,
         [](C& c, const std::string& v) { return set_number(c.pue, v, limits::kMinPue, limits::kMaxPue); }},
        {"--power-fraction", "F", "average GPU draw as a share of TDP (default " + number_text(d.gpu_power_fraction) + ")",
         Kind::value,
         [](C& c, const std::string& v) { return set_number(c.gpu_power_fraction, v, 0, limits::kMaxPowerFraction, true); }},
    };
    return table;
}

// The values given on one command line, by option name.
struct Given {
    std::deque<std::string> storage;                       // stable addresses for CLI11
    std::vector<std::pair<const OptSpec*, CLI::Option*>> config;
    std::string format = "text", units = "GiB", rule, models, sizes;
    bool explain = false, examples = false;

    const std::string* value(std::string_view name) const {
        for (size_t i = 0; i < config.size(); ++i)
            if (config[i].first->name == name && config[i].second->count() > 0) return &storage[i];
        return nullptr;
    }
};

void add_config_options(CLI::App& app, Given& g) {
    for (const auto& spec : config_options()) {
        std::string& target = g.storage.emplace_back();
        CLI::Option* o = nullptr;
        if (spec.kind == Kind::flag) {
            o = app.add_flag(spec.name, target, spec.help);
        } else {
            o = app.add_option(spec.name, target, spec.help);
            o->type_name(spec.hint);
        }
        o->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);   // a later flag overrides an earlier one
        g.config.emplace_back(&spec, o);
    }
}

void add_view_options(CLI::App& app, Given& g, bool with_units) {
    app.add_option("--format", g.format, "output format: text|md|csv|json (default text)")
        ->type_name("F")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    if (with_units)
        app.add_option("--units", g.units, "memory units: " + enum_choices<Units>() + " (default GiB)")
            ->type_name("U")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
}

View make_view(const Given& g) {
    View v;
    if (g.format == "text") v.format = Format::text;
    else if (g.format == "md") v.format = Format::md;
    else if (g.format == "csv") v.format = Format::csv;
    else if (g.format == "json") v.format = Format::json;
    else throw UsageError{"--format " + g.format + ": must be one of " + std::string(cli::kFormatChoices)};
    const auto u = parse_enum<Units>(g.units);
    if (!u) throw UsageError{"--units " + g.units + ": must be one of " + enum_choices<Units>()};
    v.units = *u;
    v.explain = g.explain;
    return v;
}

// ---------------------------------------------------------------------------------------------
// 3. Building the configuration
// ---------------------------------------------------------------------------------------------
// "did you mean a, b?" from the catalog's suggestions, else the first few ids.
template <class List, class Id>
std::string suggestion(const std::string& near, const List& all, Id id) {
    if (!near.empty()) return "did you mean " + near + "?";
    std::string s;
    size_t n = 0;
    for (const auto& x : all) {
        if (n++ == 8) break;
        s += (s.empty() ? "" : ", ") + id(x);
    }
    return "valid ids include " + s + ", ...";
}
std::string unknown_model(std::string_view id) {
    return "unknown model '" + std::string(id) + "'; " +
           suggestion(suggest_model(id), models(), [](const ModelEntry& m) { return m.arch.id; }) +
           " (`vramcalc models` lists all)";
}
std::string unknown_gpu(std::string_view id) {
    return "unknown GPU '" + std::string(id) + "'; " +
           suggestion(suggest_gpu(id), gpus(), [](const Gpu& g) { return g.id; }) + " (`vramcalc gpus` lists all)";
}

struct Built {
    TrainingConfig config;
    bool model_given = false;   // --model, --config or --params on the command line
};

Built build_config(const Given& g) {
    Built b;
    TrainingConfig& c = b.config;

    if (const std::string* link = g.value("--link")) {
        LinkParse p = from_link(*link);
        if (!p.ignored.empty()) {
            std::string all;
            for (const auto& s : p.ignored) all += (all.empty() ? "" : "; ") + s;
            throw UsageError{"--link: " + all};
        }
        c = std::move(p.config);
    }

    // Model: one of --model, --config, --params.
    const std::string* model = g.value("--model");
    const std::string* config = g.value("--config");
    const std::string* params = g.value("--params");
    if ((model ? 1 : 0) + (config ? 1 : 0) + (params ? 1 : 0) > 1)
        throw UsageError{"choose one of --model, --config and --params, not several"};
    if (model) {
        if (!find_model(*model)) throw UsageError{"--model: " + unknown_model(*model)};
        c.model = ModelSpec{};
        c.model.id = *model;
    } else if (config) {
        std::string text;
        if (std::string why = read_config_file(*config, text); !why.empty()) throw UsageError{"--config " + *config + ": " + why};
        Result<Architecture> a = parse_hf_config(text);
        if (!a) throw UsageError{"--config " + *config + ": " + a.error};
        c.model = ModelSpec{};
        c.model.kind = ModelKind::architecture;
        c.model.arch = *a.value;
    } else if (params) {
        c.model = ModelSpec{};
        c.model.kind = ModelKind::params;
        if (std::string why = set_count(c.model.params_total, *params, limits::kMinParams); !why.empty())
            throw UsageError{"--params " + *params + ": " + why};
    }
    b.model_given = model || config || params;
    for (const char* name : {"--active-params", "--shared-params"}) {
        const std::string* v = g.value(name);
        if (!v) continue;
        if (c.model.kind != ModelKind::params)
            throw UsageError{std::string(name) + ": only with --params (a bare parameter count)"};
        int64_t& target = name[2] == 'a' ? c.model.params_active : c.model.params_shared;
        if (std::string why = set_count(target, *v, 0); !why.empty()) throw UsageError{std::string(name) + " " + *v + ": " + why};
        if (target > c.model.params_total)
            throw UsageError{std::string(name) + " " + *v + ": must not exceed --params (" + format_count(c.model.params_total) + ")"};
    }

    // Every other flag, in table order.
    for (size_t i = 0; i < g.config.size(); ++i) {
        const OptSpec& spec = *g.config[i].first;
        if (!spec.apply || g.config[i].second->count() == 0) continue;
        const std::string& v = g.storage[i];
        if (std::string why = spec.apply(c, v); !why.empty())
            throw UsageError{spec.name + (spec.kind == Kind::flag ? "=" : " ") + v + ": " + why};
    }

    if (const std::string* gpu = g.value("--gpu")) c.gpu_id = *gpu;
    if (!find_gpu(c.gpu_id)) throw UsageError{"--gpu: " + unknown_gpu(c.gpu_id)};
    if (c.model.kind == ModelKind::catalog && !find_model(c.model.id))
        throw UsageError{"--model: " + unknown_model(c.model.id)};
    return b;
}

// The architecture, --train-layers (which may need the layer count) and the core's checks.
Architecture resolve_and_check(TrainingConfig& c, const Given& g) {
    Result<Architecture> a = resolve_model(c.model);
    if (!a) throw UsageError{one_line(a.error)};
    if (const std::string* tl = g.value("--train-layers")) {
        const int64_t layers = a->total_layers();
        const auto r = parse_train_layers(*tl, layers);
        if (!r || (layers > 0 && r->begin >= layers) || (layers > 0 && r->end > layers))
            throw UsageError{"--train-layers " + *tl + ": must be all, A-B (0-based, inclusive), first:N, last:N or from:A within the model's " +
                             num(layers) + " layers (0-" + num(layers > 0 ? layers - 1 : 0) + ")"};
        c.train_layer_begin = r->begin;
        c.train_layer_end = r->end;
    }
    if (std::string why = validate(c, *a); !why.empty()) throw UsageError{one_line(why)};
    return *a.value;
}

// ---------------------------------------------------------------------------------------------
// 4. Commands
// ---------------------------------------------------------------------------------------------
int cmd_estimate(const Given& g, std::ostream& out) {
    const View v = make_view(g);
    Built b = build_config(g);
    const Architecture a = resolve_and_check(b.config, g);
    Result<Estimate> e = estimate(b.config);
    if (!e) throw UsageError{one_line(e.error)};
    cli::print_estimate(out, b.config, a, *find_gpu(b.config.gpu_id), *e.value, v);
    return 0;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> parts;
    std::string cur;
    for (const char ch : s) {
        if (ch == ',') {
            if (!cur.empty()) parts.push_back(cur);
            cur.clear();
        } else if (ch != ' ') {
            cur += ch;
        }
    }
    if (!cur.empty()) parts.push_back(cur);
    return parts;
}

int cmd_grid(const Given& g, std::ostream& out) {
    View v = make_view(g);
    if (g.examples) {
        cli::print_seeds(out, v);
        return 0;
    }
    Built b = build_config(g);
    Rule rule = Rule::none;
    if (!g.rule.empty()) {
        const auto r = parse_enum<Rule>(g.rule);
        if (!r) throw UsageError{"--rule " + g.rule + ": must be one of " + enum_choices<Rule>()};
        rule = *r;
    }
    if (!g.models.empty() && !g.sizes.empty()) throw UsageError{"choose one of --models and --sizes, not both"};

    std::vector<GridColumn> cols;
    if (!g.models.empty()) {
        for (const auto& id : split_list(g.models)) {
            if (!find_model(id)) throw UsageError{"--models: " + unknown_model(id)};
            GridColumn col;
            col.label = id;
            col.model.id = id;
            cols.push_back(col);
        }
    } else if (!g.sizes.empty()) {
        for (const auto& s : split_list(g.sizes)) {
            const auto n = parse_count(s);
            if (!n || *n < limits::kMinParams || *n > limits::kMaxParams)
                throw UsageError{"--sizes: '" + s + "' must be a count such as 7B, 7e9 or 7000000000, 1M..100T"};
            GridColumn col;
            col.label = s;
            col.model.kind = ModelKind::params;
            col.model.params_total = *n;
            cols.push_back(col);
        }
    } else if (b.model_given) {
        GridColumn col;
        col.model = b.config.model;
        col.label = col.model.kind == ModelKind::catalog      ? col.model.id
                    : col.model.kind == ModelKind::params     ? format_count(col.model.params_total)
                                                              : (col.model.arch.name.empty() ? "custom" : col.model.arch.name);
        cols.push_back(col);
    } else {
        cols = default_grid_columns();
    }
    if (cols.empty()) throw UsageError{"the grid has no columns; give --models a,b or --sizes 7B,13B"};
    if (cols.size() > 64) throw UsageError{"at most 64 grid columns"};

    // The base configuration's own checks (those that do not depend on the cell).
    if (b.model_given) resolve_and_check(b.config, g);
    const Grid grid = make_grid(b.config, default_grid_rows(), cols, rule);
    // When no cell can be estimated the options are wrong for every model: say why, as estimate
    // does (an all-blank table with exit 0 hid it; csv dropped the reasons entirely).
    if (!grid.cells.empty() && std::none_of(grid.cells.begin(), grid.cells.end(), [](const GridCell& c) { return c.ok; }))
        throw UsageError{"no grid cell can be estimated; " + grid.rows.front().label + ", " + grid.columns.front().label +
                         ": " + one_line(grid.cells.front().error)};
    cli::print_grid(out, grid, b.config, v);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// 5. run_cli
// ---------------------------------------------------------------------------------------------
// CLI11 parses the arguments reversed and lists the unexpected ones in that order ("2 --gpus"
// for "--gpus 2"): put them back in the order they were typed.
std::string in_given_order(const std::string& list) {
    std::vector<std::string> words;
    size_t start = 0;
    while (start <= list.size()) {
        const size_t sp = list.find(' ', start);
        words.push_back(list.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
        if (sp == std::string::npos) break;
        start = sp + 1;
    }
    std::string out;
    for (auto it = words.rbegin(); it != words.rend(); ++it) out += (out.empty() ? "" : " ") + *it;
    return out;
}

int run(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    CLI::App app{"vramcalc — GPU memory, time and cost of training and fine-tuning LLMs", "vramcalc"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "vramcalc 0.1.0");
    app.footer("Run `vramcalc estimate --help` for every option with its default.");

    Given ge, gg, gm, gu, gs;
    CLI::App* est = app.add_subcommand("estimate", "estimate one configuration");
    add_config_options(*est, ge);
    add_view_options(*est, ge, true);
    est->add_flag("--explain", ge.explain, "text/md: show each component's formula (default false)");

    CLI::App* grid = app.add_subcommand("grid", "the VRAM-by-method grid: methods x model sizes or catalog models");
    add_config_options(*grid, gg);
    add_view_options(*grid, gg, true);
    grid->add_option("--rule", gg.rule, "print a seed article's rule-of-thumb figure: " + enum_choices<Rule>() + " (default none)")
        ->type_name("R");
    grid->add_option("--models", gg.models, "catalog models as columns, e.g. llama-3.1-8b,qwen2.5-7b (default 7B,13B,30B,70B,110B)")
        ->type_name("IDS");
    grid->add_option("--sizes", gg.sizes, "bare parameter counts as columns, e.g. 7B,13B (default 7B,13B,30B,70B,110B)")
        ->type_name("COUNTS");
    grid->add_flag("--examples", gg.examples, "print the seed articles' worked examples instead (as `vramcalc seeds`) (default false)");

    CLI::App* models_cmd = app.add_subcommand("models", "list the model catalog");
    add_view_options(*models_cmd, gm, true);
    CLI::App* gpus_cmd = app.add_subcommand("gpus", "list the GPU catalog");
    add_view_options(*gpus_cmd, gu, true);
    CLI::App* seeds_cmd = app.add_subcommand("seeds", "the seed articles' worked figures beside the detailed estimate");
    add_view_options(*seeds_cmd, gs, true);

    std::vector<std::string> reversed(args.rbegin(), args.rend());   // CLI11 takes them reversed
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion&) {
        out << "vramcalc 0.1.0\n";
        return 0;
    } catch (const CLI::ParseError& e) {
        std::string what = one_line(e.what());
        if (what.find("subcommand") != std::string::npos && args.empty())
            what = "a command is required: estimate, grid, models, gpus or seeds (vramcalc --help)";
        else if (what.find("subcommand") != std::string::npos)
            what = "unknown command '" + args[0] + "': use estimate, grid, models, gpus or seeds (vramcalc --help)";
        else if (const std::string prefix = "The following argument was not expected: "; what.starts_with(prefix))
            what = "unknown option or stray value '" + what.substr(prefix.size()) +
                   "' (`vramcalc <command> --help` lists the options)";
        else if (const std::string prefix2 = "The following arguments were not expected: "; what.starts_with(prefix2))
            what = "unknown options or stray values '" + in_given_order(what.substr(prefix2.size())) +
                   "' (`vramcalc <command> --help` lists the options)";
        else if (const std::string conv = "Could not convert: "; what.starts_with(conv)) {
            // CLI11: "Could not convert: --explain = maybe" (a flag given a value that is no boolean).
            std::string rest = what.substr(conv.size());
            if (const size_t eq = rest.find(" = "); eq != std::string::npos) rest.replace(eq, 3, "=");
            what = rest + ": must be true or false (1 or 0)";
        } else if (const size_t req = what.find(": 1 required "); req != std::string::npos && what.starts_with("--") &&
                   what.ends_with(" missing"))
            // CLI11: "--gpus: 1 required N missing".
            what = what.substr(0, req) + " needs a value (" +
                   what.substr(req + 13, what.size() - req - 13 - 8) + ")";
        else
            what += " (`vramcalc <command> --help` lists the options)";
        err << "vramcalc: error: " << what << "\n";
        return 2;
    }

    try {
        if (est->parsed()) return cmd_estimate(ge, out);
        if (grid->parsed()) return cmd_grid(gg, out);
        if (models_cmd->parsed()) {
            cli::print_models(out, make_view(gm));
            return 0;
        }
        if (gpus_cmd->parsed()) {
            cli::print_gpus(out, make_view(gu));
            return 0;
        }
        if (seeds_cmd->parsed()) {
            cli::print_seeds(out, make_view(gs));
            return 0;
        }
    } catch (const UsageError& e) {
        err << "vramcalc: error: " << one_line(e.message) << "\n";
        return 2;
    }
    err << "vramcalc: error: a command is required: estimate, grid, models, gpus or seeds\n";
    return 2;
}

}  // namespace

int run_cli(std::span<const std::string> args, std::ostream& out, std::ostream& err) {
    try {
        return run(args, out, err);
    } catch (const std::exception& e) {
        err << "vramcalc: internal error: " << one_line(e.what()) << "\n";
        return 1;
    }
}

}  // namespace vramcalc
