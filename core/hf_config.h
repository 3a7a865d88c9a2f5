// hf_config.h — a Hugging Face config.json (text) -> Architecture.
//
// Families: llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe, deepseek_v2,
// deepseek_v3 (MLA), gemma, gemma2, gemma3_text (and gemma3 via text_config), phi3, phimoe,
// gpt_oss, olmoe, gpt2, falcon, bloom. One small table of field names and defaults per family.
// Never throws; a broken or unsupported file gives one sentence naming what is wrong.
#pragma once

#include <string_view>

#include "architecture.h"
#include "config.h"

namespace vramcalc {

Result<Architecture> parse_hf_config(std::string_view json_text);

}  // namespace vramcalc
