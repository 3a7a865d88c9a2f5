// link.h — TrainingConfig <-> URL fragment ("#v=1&m=llama-3.1-8b&meth=lora&r=16"), versioned.
// One key vocabulary serves the page's share links and the CLI's --link. Only non-default
// values are written. Parsing never fails as a whole: unknown keys are ignored and bad values
// fall back to the default, each named in `ignored` so the page can show a notice.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config.h"

namespace vramcalc {

inline constexpr int kLinkVersion = 1;

std::string to_link(const TrainingConfig& c);        // "#v=1&..." (always starts with "#v=1")

struct LinkParse {
    TrainingConfig config;
    std::vector<std::string> ignored;                 // "r=-5: rank must be 1..4096", "zz: unknown key"
};
LinkParse from_link(std::string_view fragment, const TrainingConfig& defaults = {});

}  // namespace vramcalc
