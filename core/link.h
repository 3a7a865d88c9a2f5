// link.h — TrainingConfig <-> URL fragment ("#v=1&m=llama-3.1-8b&meth=lora&r=16"), versioned.
// One key vocabulary serves the page's share links and the CLI's --link. Only non-default
// values are written. Parsing never fails as a whole: unknown keys are ignored and bad values
// fall back to the default, each named in `ignored` so the page can show a notice.
//
// Sections
//   1. Limits       — the sane range of every number a user types (shared by link and CLI)
//   2. Train layers — "all", "A-B", "first:N", "last:N", "from:A" <-> [begin, end)
//   3. Link         — to_link, from_link
//
// Keys (v1). Model: m (catalog id) | P, Pa, Ps (bare counts) | an architecture by its fields
// (V h ff L Le heads kv hd pos tie lpe ttv norm mlp npl qkvb ob mlpb qkn qknf par sink E k eff
// se sff seg fkd dss rb eb qlr kvlr nope rope vhd xp fam nm). Training: meth r a tg le ldo qb
// dq tl te tatt tmlp trt tnrm temb thd prec opt sd mb s ga ck attn cce aoff fw n z oo op tp pp
// ep gpu tok mfu tf price pue pw. Booleans are 1/0; enums use their enum_table names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace vramcalc {

// ---------------------------------------------------------------------------------------------
// 1. Limits. A value outside its range is refused by the CLI (exit 2) and dropped by the link.
// ---------------------------------------------------------------------------------------------
namespace limits {
inline constexpr int kMaxMicroBatch = 65536;         // micro_batch 1..
inline constexpr int kMaxSeqLen = 10'000'000;        // seq_len 1..
inline constexpr int kMaxGradAccum = 1'000'000;      // grad_accum 1..
inline constexpr int kMaxGpus = 1'048'576;           // gpus 1..
inline constexpr int kMaxParallel = 65536;           // tp, pp, ep 1..
inline constexpr int kMaxRank = 65536;
inline constexpr int kMaxVirtualTokens = 65536;
inline constexpr int kMaxTrainableTokens = 1'000'000;  // trainable_tokens 0..    // num_virtual_tokens 1..               // lora_rank 1..
inline constexpr double kMaxAlpha = 1e6;             // lora_alpha (0, ..]
inline constexpr int kMaxExperts = 65536;            // lora_experts, train_experts: -1 (all) or 0..
inline constexpr int kMaxLayers = 100'000;           // train layers 0..
// Bare counts (P; Pa and Ps from 0): resolve_model()'s range. P=1 and P=5e14 were taken and then
// refused there ("--params must be between 1M and 100T"), so the link failed to estimate.
inline constexpr int64_t kMinParams = 1'000'000;
inline constexpr int64_t kMaxParams = 100'000'000'000'000;
inline constexpr int64_t kMaxExtraParams = 1'000'000'000'000;   // xp: validate(Architecture)'s extra_params
// The next five are also validate()'s: a value the CLI or a link takes must estimate (tokens,
// price and power fraction were accepted up to 1e18, 1e5 and 2 here but refused above 1e16, 1e4
// and 1.5 there; an MFU of 1e-308 made the time infinite, printed as 0.0 h).
inline constexpr double kMaxTokens = 1e16;           // tokens 0..
inline constexpr double kMaxPrice = 1e4;             // USD per GPU-hour 0..
inline constexpr double kMinPue = 1.0, kMaxPue = 5.0;
inline constexpr double kMaxPowerFraction = 1.5;     // (0, ..]
inline constexpr double kMinMfu = 0.001;             // mfu: 0 (the GPU's typical figure) or kMinMfu..1
inline constexpr double kMaxTflops = 1e5;            // peak_tflops: 0 (the catalog's) or (0, ..]
}  // namespace limits

// ---------------------------------------------------------------------------------------------
// 2. Train layers (method freeze): [begin, end), end = -1 meaning "through the last layer".
//    "all" | "A-B" (inclusive, 0-based) | "first:N" | "from:A" | "last:N" (needs num_layers > 0).
// ---------------------------------------------------------------------------------------------
struct LayerRange {
    int begin = 0;
    int end = -1;
};
std::optional<LayerRange> parse_train_layers(std::string_view s, int64_t num_layers = 0);
std::string format_train_layers(int begin, int end);   // "all", "A-B", "from:A"

// ---------------------------------------------------------------------------------------------
// 3. Link
// ---------------------------------------------------------------------------------------------
inline constexpr int kLinkVersion = 1;

std::string to_link(const TrainingConfig& c);        // "#v=1&..." (always starts with "#v=1")

struct LinkParse {
    TrainingConfig config;
    std::vector<std::string> ignored;                 // "r=-5: rank must be 1..4096", "zz: unknown key"
};
LinkParse from_link(std::string_view fragment, const TrainingConfig& defaults = {});

}  // namespace vramcalc
