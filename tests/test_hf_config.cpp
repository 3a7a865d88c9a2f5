// parse_hf_config: one config.json fixture per family (tests/fixtures/hf/<family>.json, written
// from the catalog's facts) parses to the right shape and, for catalog models, the same count.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "catalog.h"
#include "hf_config.h"

using namespace vramcalc;

namespace {
std::string fixture(const std::string& name) {
    std::ifstream f(std::string(VRAMCALC_SOURCE_DIR) + "/tests/fixtures/hf/" + name + ".json");
    REQUIRE(f.good());
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

Architecture parsed(const std::string& name) {
    const Result<Architecture> r = parse_hf_config(fixture(name));
    INFO(name << ": " << r.error);
    REQUIRE(r);
    return *r.value;
}
}  // namespace

TEST_CASE("every family's fixture gives the catalog's parameter count", "[hf_config]") {
    struct Case {
        const char* fixture;
        const char* model;
    };
    const Case cases[] = {
        {"llama", "llama-2-7b"},           {"mistral", "mistral-7b-v0.3"},  {"mixtral", "mixtral-8x7b"},
        {"qwen2", "qwen2.5-0.5b"},         {"qwen2_moe", "qwen1.5-moe-a2.7b"}, {"qwen3", "qwen3-0.6b"},
        {"qwen3_moe", "qwen3-30b-a3b"},    {"deepseek_v2", "deepseek-v2-lite"}, {"deepseek_v3", "deepseek-v3"},
        {"gemma2", "gemma-2-2b"},          {"gemma3_text", "gemma-3-1b"},   {"gemma3", "gemma-3-4b"},
        {"phi3", "phi-3-mini-4k"},         {"gpt_oss", "gpt-oss-20b"},      {"olmoe", "olmoe-1b-7b"},
        {"gpt2", "gpt2-124m"},             {"falcon", "falcon-7b"},         {"falcon_40b", "falcon-40b"},
        {"bloom", "bloom-7b1"},
    };
    for (const Case& c : cases) {
        INFO(c.fixture);
        const Architecture a = parsed(c.fixture);
        const ModelEntry* m = find_model(c.model);
        REQUIRE(m != nullptr);
        const ParamCounts p = count_params(a);
        CHECK(p.total() == m->catalog_total_params);
        CHECK(p.active == m->catalog_active_params);
        CHECK(a.hidden_size == m->arch.hidden_size);
        CHECK(a.num_hidden_layers == m->arch.num_hidden_layers);
        CHECK(a.kv_heads() == m->arch.kv_heads());
        CHECK(a.num_experts == m->arch.num_experts);
        CHECK(a.tie_word_embeddings == m->arch.tie_word_embeddings);
        CHECK(a.attn_softcap == m->arch.attn_softcap);
        CHECK(a.final_softcap == m->arch.final_softcap);
        CHECK(a.dropout == m->arch.dropout);
    }
}

TEST_CASE("soft-capping is read from the config: on for a positive cap, off for null or absent", "[hf_config]") {
    const Architecture g2 = parsed("gemma2");   // attn_logit_softcapping 50.0, final 30.0
    CHECK(g2.attn_softcap);
    CHECK(g2.final_softcap);
    CHECK_FALSE(parsed("gemma3_text").attn_softcap);
    CHECK_FALSE(parsed("llama").final_softcap);
    std::string text = fixture("gemma2");
    const auto at = text.find("\"attn_logit_softcapping\": 50.0");
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string("\"attn_logit_softcapping\": 50.0").size(), "\"attn_logit_softcapping\": null");
    const Result<Architecture> r = parse_hf_config(text);
    REQUIRE(r);
    CHECK_FALSE(r.value->attn_softcap);
    CHECK(r.value->final_softcap);
}

TEST_CASE("family-specific fields", "[hf_config]") {
    // Gemma 2B (not in the catalog): 256000*2048 + 18*(2048*2048*2 + 2*2048*256 + 3*2048*16384
    //   + 2*2048) + 2048 = 524,288,000 + 18*110,104,576 + 2048 = 2,506,172,416 (keras-hub gemma_2b_en)
    const Architecture g = parsed("gemma");
    CHECK(g.head_dim == 256);
    CHECK(g.tie_word_embeddings);   // GemmaConfig default
    CHECK(count_params(g).total() == 2'506'172'416);

    // GPT-2: n_inner null -> 4 * n_embd; learned positions; fused c_attn.
    const Architecture g2 = parsed("gpt2");
    CHECK(g2.intermediate_size == 3072);
    CHECK(g2.learned_pos_emb);
    CHECK(g2.max_position_embeddings == 1024);
    CHECK(g2.norm == NormKind::layernorm);
    CHECK(g2.mlp == MlpKind::plain);

    // Falcon-7B: multi_query -> 1 KV head, one shared LayerNorm; 40B: 8 groups, two norms.
    const Architecture f7 = parsed("falcon");
    CHECK(f7.kv_heads() == 1);
    CHECK(f7.norms_per_layer == 1);
    CHECK(f7.parallel_attn_mlp);
    CHECK(parsed("falcon_40b").norms_per_layer == 2);

    // Gemma 3 multimodal: text_config with class defaults (8 heads, 4 KV heads, head_dim 256).
    const Architecture g3 = parsed("gemma3");
    CHECK(g3.family == "gemma3");
    CHECK(g3.num_attention_heads == 8);
    CHECK(g3.kv_heads() == 4);
    CHECK(g3.head_dim == 256);
    CHECK(g3.norms_per_layer == 4);
    CHECK(g3.qk_norm);

    // DeepSeek: MLA fields, q_lora_rank null on V2-Lite, V3 router bias.
    const Architecture v2 = parsed("deepseek_v2");
    CHECK(v2.is_mla());
    CHECK(v2.q_lora_rank == 0);
    CHECK_FALSE(v2.router_bias);
    CHECK(parsed("deepseek_v3").router_bias);
    CHECK(parsed("deepseek_v3").q_lora_rank == 1536);

    // Qwen: q/k/v biases (Qwen2), shared expert + gate (Qwen2-MoE), q/k norms (Qwen3).
    CHECK(parsed("qwen2").qkv_bias);
    CHECK_FALSE(parsed("qwen2").o_bias);
    CHECK(parsed("qwen2_moe").shared_expert_gate);
    CHECK(parsed("qwen3").qk_norm);
    CHECK(parsed("olmoe").qk_norm_full);

    // gpt-oss: sinks (one per head), biases, experts_per_token.
    const Architecture oss = parsed("gpt_oss");
    CHECK(oss.attention_sinks == 64);
    CHECK(oss.num_experts_per_tok == 4);
    CHECK(oss.expert_bias);

    // PhiMoE as modeling_phimoe.py builds it: LayerNorm (weight + bias) where the catalog's
    // derived count sizes the norms as RMSNorm; the difference is one h per norm, (2L + 1) * h.
    const Architecture pm = parsed("phimoe");
    CHECK(pm.norm == NormKind::layernorm);
    CHECK(count_params(pm).total() == find_model("phi-3.5-moe")->catalog_total_params + (2 * 32 + 1) * 4096);
}

TEST_CASE("broken config.json gives one sentence, never a crash", "[hf_config][errors]") {
    auto fails = [](const std::string& text, const char* needle) {
        const Result<Architecture> r = parse_hf_config(text);
        INFO(text << " -> " << r.error);
        CHECK_FALSE(r);
        CHECK(r.error.find(needle) != std::string::npos);
    };
    fails("", "not valid JSON");
    fails("{\"model_type\": \"llama\", ", "not valid JSON");
    fails("[1, 2, 3]", "JSON object");
    fails("{\"hidden_size\": 4096}", "model_type");
    fails("{\"model_type\": \"mamba\", \"hidden_size\": 4096}", "llama, mistral");
    fails("{\"model_type\": \"llama\", \"num_hidden_layers\": 32, \"num_attention_heads\": 32, "
          "\"intermediate_size\": 11008}",
          "hidden_size");
    fails("{\"model_type\": \"llama\", \"hidden_size\": -4096, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "negative");
    fails("{\"model_type\": \"llama\", \"hidden_size\": 4096000000, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "hidden_size");
    fails("{\"model_type\": \"llama\", \"hidden_size\": \"4096\", \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "whole number");
    fails("{\"model_type\": \"llama\", \"hidden_size\": 4096.5, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "whole number");
    fails("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"num_key_value_heads\": 5, \"intermediate_size\": 11008}",
          "num_key_value_heads");
    fails("{\"model_type\": \"mixtral\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 14336, \"num_local_experts\": 8, "
          "\"num_experts_per_tok\": 9}",
          "num_experts_per_tok");
    fails("{\"model_type\": \"gemma3\"}", "text_config");
    fails("{\"model_type\": \"deepseek_v3\", \"hidden_size\": 7168, \"num_hidden_layers\": 61, "
          "\"num_attention_heads\": 128, \"intermediate_size\": 18432}",
          "n_routed_experts");
    fails("{\"model_type\": 7}", "model_type");
    // 2^63 and above: was read as a negative number ("is negative (-9223372036854775808)").
    fails("{\"model_type\": \"llama\", \"hidden_size\": 9223372036854775808, \"num_hidden_layers\": 32, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "\"hidden_size\" = 9223372036854775808 is not a plausible model size");
    fails("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 18446744073709551615, "
          "\"num_attention_heads\": 32, \"intermediate_size\": 11008}",
          "\"num_hidden_layers\" = 18446744073709551615 is not a plausible model size");

    // A float that is a whole number is accepted (some exporters write 4096.0).
    const Result<Architecture> ok = parse_hf_config(
        "{\"model_type\": \"llama\", \"hidden_size\": 4096.0, \"num_hidden_layers\": 32, "
        "\"num_attention_heads\": 32, \"intermediate_size\": 11008, \"vocab_size\": 32000}");
    REQUIRE(ok);
    CHECK(count_params(*ok.value).total() == 6'738'415'616);
}

TEST_CASE("_name_or_path becomes one line of at most 120 bytes of UTF-8", "[hf_config][errors]") {
    const auto name_of_config = [](const std::string& name_json) {
        const Result<Architecture> r = parse_hf_config(
            "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, "
            "\"num_attention_heads\": 32, \"intermediate_size\": 11008, \"_name_or_path\": " +
            name_json + "}");
        REQUIRE(r);
        return r.value->name;
    };
    // A newline and an escape sequence printed raw broke the text header and the printed link.
    CHECK(name_of_config("\"evil\\nname\\u001b[31m\\t \"") == "evil name [31m");
    CHECK(name_of_config("\"" + std::string(300, 'x') + "\"") == std::string(120, 'x'));
    // Cut at a character boundary: 61 two-byte characters are 122 bytes, 60 fit.
    std::string e61, e60;
    for (int i = 0; i < 61; ++i) e61 += "\xc3\xa9";
    for (int i = 0; i < 60; ++i) e60 += "\xc3\xa9";
    CHECK(name_of_config("\"" + e61 + "\"") == e60);
    CHECK(name_of_config("\"\\n\\n\"") == "llama");   // nothing left: the family
    CHECK(name_of_config("\"meta-llama/Llama-2-7b-hf\"") == "meta-llama/Llama-2-7b-hf");
}
