// rules.cpp — the seed articles' rules of thumb and worked examples (see rules.h for sources).
#include "rules.h"

#include <array>
#include <cmath>
#include <cstdio>

#include "grid.h"

namespace vramcalc {

namespace {
constexpr std::array<NamedValue<Rule>, 4> kRules{{
    {Rule::none, "none", "detailed only", "No rule of thumb beside the detailed estimate."},
    {Rule::seed_000, "seed-000", "Interview classic (000)", "≈1 TB for a 70B full fine-tune, scaled linearly; LoRA 70B ≈ 160 GB; MoE as a dense model of active + shared parameters."},
    {Rule::seed_001, "seed-001", "Multi-GPU notes (001)", "16 bytes per trainable parameter with Adam: 2 weights + 2 gradients + 8 Adam moments + 4 fp32 master."},
    {Rule::seed_002, "seed-002", "VRAM guide (002)", "GB = k x billions of parameters: k = 9.6 full (nearest), 2.08 LoRA, 1.25 QLoRA 8-bit, 0.65 QLoRA 4-bit (rounded up)."},
}};

std::string num(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string detailed_words(const Estimate& e) {
    return format_bytes(e.device_used, Units::GB, 1) + " (" + format_bytes(e.device_used, Units::GiB, 1) + ")";
}
}  // namespace

template <>
std::span<const NamedValue<Rule>> enum_table<Rule>() {
    return kRules;
}

RuleFigure rule_figure(Rule r, const TrainingConfig& c, const Architecture& a, const Estimate& detailed) {
    RuleFigure f;
    // The articles' rules take the nominal size ("7B"): a bare count as given, else the exact total.
    const double billions =
        static_cast<double>(c.model.kind == ModelKind::params ? c.model.params_total : detailed.params.total) / 1e9;
    switch (r) {
        case Rule::none: return f;
        case Rule::seed_002: {
            // 002_2e95ffc387e0dc29.txt, "VRAM requirements table": each cell is k x N_billions GB;
            // Full rounds to nearest (7 x 9.6 = 67.2 -> 67), the others round up (7 x 2.08 = 14.56 -> 15).
            double k = 0;
            bool round_up = true;
            if (c.method == Method::full) { k = 9.6; round_up = false; }
            else if (c.method == Method::lora) k = 2.08;
            else if (c.method == Method::qlora) k = c.quant_bits == 8 ? 1.25 : 0.65;
            if (k == 0) return f;
            f.available = true;
            const double raw = k * billions;
            f.value = round_up ? std::ceil(raw - 1e-9) : std::round(raw);
            f.formula = num(k, 2) + " GB x " + num(billions, 2) + "B params = " + num(raw, 2) + " -> " + num(f.value, 0) +
                        " GB (" + (round_up ? "rounded up" : "rounded to nearest") + ")";
            if (c.method == Method::full)
                f.why_differs = "The table's 9.6 GB per 1B contradicts the article's own 16 GB per 1B rule and leaves out activations and the fp32 logits; detailed: " + detailed_words(detailed) + ".";
            else
                f.why_differs = "A flat GB-per-billion factor ignores batch, sequence length, vocabulary (logits), adapter rank and the framework; detailed: " + detailed_words(detailed) + ".";
            break;
        }
        case Rule::seed_001: {
            // 001_f7319a89d3f8981f.txt §2-4: weights 2 + gradients 2 + Adam 8 + master 4 = 16 B per
            // trainable parameter; its Mixtral cases count only the trainable part.
            const double trainable = static_cast<double>(detailed.params.trainable);
            f.available = true;
            f.value = std::round(trainable * 16 / 1e9 * 100) / 100;
            f.formula = "16 B x " + format_count(detailed.params.trainable) + " trainable params = " + num(f.value, 2) + " GB";
            if (c.method == Method::full)
                f.why_differs = "Counts model states only; activations and logits come on top. Detailed: " + detailed_words(detailed) + ".";
            else
                f.why_differs = "Counts only the trainable parameters and leaves out the frozen or quantized base model, activations and logits; detailed: " + detailed_words(detailed) + ".";
            break;
        }
        case Rule::seed_000: {
            // 000_e43ab45858b2a7a2.txt: weights 2 + gradients 2 + AdamW 8 B/param plus "activation
            // memory, fragmentation and overhead" — its figures (70B ≈ 1 TB, 13B ≈ 200 GB, a
            // "30B-equivalent" MoE ≈ 500 GB) are 16 GB per billion rounded to one significant
            // figure. LoRA: 2 B/param of frozen weights + 16 B for the 1-2 % that trains (1.5 %):
            // 2.24 GB per billion, two significant figures (70B -> 156.8 -> ≈160 GB).
            // An MoE counts as a dense model of active + shared parameters (its own method).
            double n = billions;
            if (a.is_moe()) {
                const ParamCounts pc = count_params(a);
                const double routed_active =
                    static_cast<double>(pc.expert_size * a.num_experts_per_tok * a.num_moe_layers());
                const double active = static_cast<double>(detailed.params.active);
                n = (c.model.kind == ModelKind::params && c.model.params_active > 0)
                        ? static_cast<double>(c.model.params_active + c.model.params_shared) / 1e9
                        : (active + (active - routed_active)) / 1e9;
            }
            auto sig = [](double v, int digits) {
                if (v <= 0) return 0.0;
                const double p10 = std::pow(10.0, std::floor(std::log10(v)) - (digits - 1));
                return std::round(v / p10) * p10;
            };
            if (c.method == Method::full) {
                f.available = true;
                f.value = sig(16 * n, 1);
                f.formula = "16 GB x " + num(n, 1) + "B = " + num(16 * n, 0) + " GB, rounded to one significant figure";
            } else if (c.method == Method::lora) {
                f.available = true;
                f.value = sig(2.24 * n, 2);
                f.formula = "(2 GB frozen + 16 GB x 1.5 % trainable) x " + num(n, 1) + "B = " + num(2.24 * n, 1) +
                            " GB, rounded to two significant figures";
            } else {
                return f;   // the article gives no QLoRA or freeze figure
            }
            if (a.is_moe() && c.method == Method::full)
                f.why_differs = "Treating an MoE as a dense model of its active + shared parameters ignores that every expert has weights, gradients and optimizer states; detailed: " + detailed_words(detailed) + ".";
            else
                f.why_differs = "A per-parameter constant ignores batch, sequence length, vocabulary, precision and optimizer; detailed: " + detailed_words(detailed) + ".";
            break;
        }
    }
    f.bytes = static_cast<int64_t>(f.value * 1e9);
    return f;
}

namespace {
TrainingConfig bare(double billions, Method m) {
    TrainingConfig c;
    c.model.kind = ModelKind::params;
    c.model.params_total = static_cast<int64_t>(billions * 1e9);
    c.method = m;
    c.precision = Precision::bf16_mixed;
    c.optimizer = Optimizer::adamw;
    c.gpu_id = "h100-sxm-80gb";
    return c;
}
TrainingConfig catalog(const char* id, Method m) {
    TrainingConfig c;
    c.model.id = id;
    c.method = m;
    c.precision = Precision::bf16_mixed;
    return c;
}
}  // namespace

std::vector<SeedExample> seed_examples() {
    std::vector<SeedExample> out;
    // --- 000 -------------------------------------------------------------------------------
    {
        SeedExample s{Rule::seed_000, "70B dense, full fine-tuning, fp16 + AdamW", bare(70, Method::full),
                      {{"weights", 140}, {"gradients", 140}, {"optimizer_states", 560}, {"total", 1000}}, "GB",
                      "The article defines 1 GB = 1024^3 bytes, which makes 70e9 x 2 B = 130 GiB, not 140; mixed precision also keeps a 4 B fp32 master copy (280 GB) that it leaves out, and its 'four times the model memory' is AdamW's two fp32 moments (8 B/param)."};
        out.push_back(s);
        SeedExample s2{Rule::seed_000, "13B dense, full fine-tuning (≈1/5 of 70B)", bare(13, Method::full), {{"total", 200}}, "GB",
                       "Model states are 13B x 12 B = 156 GB (+ 52 GB of fp32 master weights the article leaves out); activations come on top."};
        out.push_back(s2);
        TrainingConfig q8 = bare(70, Method::qlora);
        q8.quant_bits = 8;
        out.push_back({Rule::seed_000, "70B weights quantized to 8-bit", q8, {{"weights", 70}}, "GB",
                       "Weights only; embeddings, norms and the head stay in 16-bit, and int8 adds row scales."});
        TrainingConfig q4 = bare(70, Method::qlora);
        q4.quant_bits = 4;
        out.push_back({Rule::seed_000, "70B weights quantized to 4-bit", q4, {{"weights", 35}}, "GB",
                       "Weights only; NF4 adds 0.0159-0.0625 B/param of absmax constants, and embeddings/head stay 16-bit."});
        out.push_back({Rule::seed_000, "70B LoRA (1-2 % trainable)", bare(70, Method::lora), {{"total", 160}}, "GB", ""});
        TrainingConfig moe = catalog("qwen3-235b-a22b", Method::full);
        out.push_back({Rule::seed_000, "Qwen3-235B-A22B full fine-tuning as a 30B dense model", moe,
                       {{"total", 500}, {"total_with_offload", 600}}, "GB",
                       "Wrong: every one of the 128 experts has weights, gradients and optimizer states, so model states alone are 235B x 16 B ≈ 3.8 TB; only activations scale with the 22B active parameters."});
        TrainingConfig moel = catalog("qwen3-235b-a22b", Method::lora);
        moel.lora_targets = kAttentionTargets | target_bit(LinearKind::expert);
        moel.lora_experts = 8;
        out.push_back({Rule::seed_000, "Qwen3-235B-A22B LoRA on selected experts", moel, {{"total", 110}}, "GB",
                       "Wrong: the frozen base alone is 235B x 2 B = 470 GB in bf16 (≈120 GB even in 4-bit); limiting adapters to a few experts saves only adapter memory."});
    }
    // --- 001 -------------------------------------------------------------------------------
    {
        out.push_back({Rule::seed_001, "2B model, Adam, bf16 + fp32 master", bare(2, Method::full),
                       {{"weights", 4}, {"gradients", 4}, {"optimizer_states", 16}, {"master_weights", 8}}, "GB",
                       "Model states are right (16 B/param); activations come on top and the article's '0.7-1.0 x weight size' ignores batch and sequence length."});
        TrainingConfig a = catalog("mixtral-8x7b", Method::freeze);
        a.train_attention = false;
        a.train_mlp = false;
        a.train_norms = false;
        a.train_experts = 0;
        a.train_router = true;
        out.push_back({Rule::seed_001, "Mixtral-8x7B case A: router only", a, {{"trainable_params_millions", 1.05}}, "M params",
                       "Right about the trainable part (32 x 4096 x 8); the frozen 46.7B-parameter model (93 GB in bf16) still has to fit, which a 44 GB card cannot hold."});
        TrainingConfig b = catalog("mixtral-8x7b", Method::freeze);
        b.train_layer_begin = 0;
        b.train_layer_end = 6;
        b.train_experts = 2;
        b.train_router = true;
        b.train_attention = false;
        b.train_mlp = false;
        b.train_norms = false;
        out.push_back({Rule::seed_001, "Mixtral-8x7B case B: bottom 6 layers x 2 experts + router", b,
                       {{"weights", 4.23}, {"gradients", 4.23}, {"optimizer_states", 16.9}, {"master_weights", 8.46}, {"total", 33.8}},
                       "GB",
                       "Trainable part right; the frozen rest of the model (≈89 GB in bf16) is left out, so it cannot fit a 44 GB card as claimed."});
        TrainingConfig cc = catalog("mixtral-8x7b", Method::qlora);
        cc.quant_bits = 4;
        cc.lora_rank = 16;
        cc.lora_targets = target_bit(LinearKind::expert);
        out.push_back({Rule::seed_001, "Mixtral-8x7B case C: 4-bit model + LoRA r=16 on the experts", cc,
                       {{"weights", 0.45}, {"gradients", 0.45}, {"optimizer_states_and_master", 2.72}, {"total", 3.6}}, "GB",
                       "Wrong total: 3.6 GB leaves out the 4-bit base model itself (46.7B x ≈0.52 B ≈ 24 GB, plus 16-bit embeddings and head), activations and logits."});
    }
    // --- 002 -------------------------------------------------------------------------------
    {
        TrainingConfig seven = bare(7, Method::full);
        seven.optimizer = Optimizer::adamw_8bit;
        seven.precision = Precision::fp16_mixed;
        out.push_back({Rule::seed_002, "7B full fine-tuning, half precision + 8-bit AdamW", seven,
                       {{"weights", 14}, {"optimizer_states", 42}, {"gradients", 14}, {"total", 70}}, "GB",
                       "The 42 GB is an fp32 master copy (28) + two 8-bit moments (14); activations and the fp32 logits are not 'small' at long sequences or large vocabularies."});
        out.push_back({Rule::seed_002, "16 GB per 1B parameters (7B)", bare(7, Method::full), {{"total", 112}}, "GB",
                       "The article's own table says 67 GB for the same 7B full fine-tune: the rule and the table disagree."});
    }
    return out;
}

}  // namespace vramcalc
