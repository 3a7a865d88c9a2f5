// rules.h — the seed articles' rules of thumb, reproduced exactly, each beside the detailed
// figure with the reason they differ.
//
//   seed-000  ../shared/seeds/000_e43ab45858b2a7a2.txt  (70B ≈ 1 TB full, 13B ≈ 200 GB, LoRA 70B
//             ≈ 160 GB, MoE "as a dense model of active + shared", MoE LoRA ≈ 110 GB)
//   seed-001  ../shared/seeds/001_f7319a89d3f8981f.txt  (16 B/param with Adam: 2+2+8+4; 2B and
//             Mixtral-8x7B cases A, B, C)
//   seed-002  ../shared/seeds/002_2e95ffc387e0dc29.txt  (16 GB per 1B; the table k x N_billions)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "architecture.h"
#include "config.h"
#include "estimate.h"

namespace vramcalc {

enum class Rule : uint8_t { none, seed_000, seed_001, seed_002 };
template <>
std::span<const NamedValue<Rule>> enum_table<Rule>();

struct RuleFigure {
    bool available = false;      // the article gives a rule for this method
    double value = 0;            // in the article's own unit, as it prints it
    std::string unit = "GB";     // the article's unit word ("GB"); what it means is in `formula`
    int64_t bytes = 0;           // value converted with the article's own GB definition
    std::string formula;         // "9.6 GB x 7 (B params), rounded to nearest"
    std::string why_differs;     // why the detailed figure is different
};

// The rule's figure for this configuration (model size from `a`, method from `c`).
RuleFigure rule_figure(Rule r, const TrainingConfig& c, const Architecture& a, const Estimate& detailed);

// The articles' worked examples: the article's number and the configuration it describes.
struct SeedExample {
    Rule seed = Rule::none;
    std::string label;           // "Mixtral-8x7B case B: bottom 6 layers x 2 experts + router"
    TrainingConfig config;       // expressed exactly
    std::vector<std::pair<std::string, double>> article_figures;   // ("weights", 4.23), ("total", 33.8)
    std::string article_unit;    // "GB"
    std::string correction;      // where the article is wrong, the reason (empty if it is right)
};
std::vector<SeedExample> seed_examples();

}  // namespace vramcalc
