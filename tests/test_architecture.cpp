// Parameter counts (count_params), LoRA-targetable linears, synthesized shapes and validation.
// Formulas: ../shared/catalog/derive_params.py; every catalog row is also checked against its
// derived_total_params / derived_active_params and, where one exists, the exact reference count.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>

#include "architecture.h"
#include "catalog.h"

using namespace vramcalc;

namespace {
const Architecture& arch(const char* id) {
    const ModelEntry* m = find_model(id);
    REQUIRE(m != nullptr);
    return m->arch;
}
const Linear& lin(const std::vector<Linear>& v, LinearKind k) { return v[static_cast<size_t>(k)]; }
}  // namespace

TEST_CASE("count_params reproduces every catalog model", "[architecture]") {
    REQUIRE(models().size() == 55);
    int with_reference = 0;
    for (const ModelEntry& m : models()) {
        INFO(m.arch.id);
        const ParamCounts c = count_params(m.arch);
        CHECK(c.total() == m.catalog_total_params);
        CHECK(c.active == m.catalog_active_params);
        if (m.arch.reference_total_params > 0) {
            ++with_reference;
            CHECK(c.total() == m.arch.reference_total_params);
        }
        CHECK(validate(m.arch).empty());
    }
    // keras-hub exact counts: GPT-2 x2, Llama 2 7B, Llama 3.1 8B, Mixtral 8x7B, Qwen2.5 x4, Qwen3
    // x6, Qwen3 MoE x2, Qwen1.5-MoE, Gemma 2 x3, Gemma 3 x4, Phi-3-mini, BERT-large, T0/Flan-T5
    // (Llama 3.2's keras figure counts an untied lm_head copy and is not used as a reference).
    CHECK(with_reference == 29);
}

TEST_CASE("hand-computed parameter counts", "[architecture]") {
    // Llama-2-7B: 32000*4096*2 (embedding + untied head) + 32*(4*4096^2 + 3*4096*11008 + 2*4096)
    //   + 4096 (final norm) = 262,144,000 + 32*202,383,360 + 4096 = 6,738,415,616
    const ParamCounts l2 = count_params(arch("llama-2-7b"));
    CHECK(l2.total() == 6'738'415'616);
    CHECK(l2.embedding == 131'072'000);
    CHECK(l2.lm_head == 131'072'000);
    CHECK(l2.attention_per_layer == 4LL * 4096 * 4096);
    CHECK(l2.dense_mlp_per_layer == 3LL * 4096 * 11008);
    CHECK(l2.norms == 65 * 4096);

    // GPT-2 124M: wte 50257*768 = 38,597,376 + wpe 1024*768 = 786,432; per layer 12h^2 + 13h =
    // 7,087,872 (c_attn 3h^2+3h, c_proj h^2+h, c_fc 4h^2+4h, mlp c_proj 4h^2+h, 2 LayerNorms 4h);
    // x12 = 85,054,464; ln_f 2h = 1,536; tied head. Total 124,439,808.
    CHECK(count_params(arch("gpt2-124m")).total() == 124'439'808);

    // Mixtral 8x7B active: total 46,702,792,704 - 32 layers * 6 unused experts * 3*4096*14336
    //   (176,160,768) = 46,702,792,704 - 33,822,867,456 = 12,879,925,248
    const ParamCounts mx = count_params(arch("mixtral-8x7b"));
    CHECK(mx.expert_size == 3LL * 4096 * 14336);
    CHECK(mx.active == 12'879'925'248);
    CHECK(mx.router == 32LL * 4096 * 8);

    // Qwen3-0.6B (tied, head_dim 128 != 1024/16): per layer q 1024*2048 + k,v 2*1024*1024 +
    // o 2048*1024 + q/k norms 2*128 = 6,291,712; MLP 3*1024*3072 = 9,437,184; norms 2048.
    // 151936*1024 + 28*(6,291,712 + 9,437,184 + 2048) + 1024 = 155,582,464 + 440,466,432 + 1024
    //   = 596,049,920
    CHECK(count_params(arch("qwen3-0.6b")).total() == 596'049'920);

    // OLMoE q/k norms over the full width: 2048 + 2048 per layer (not 2*128).
    CHECK(count_params(arch("olmoe-1b-7b")).attention_per_layer == 4LL * 2048 * 2048 + 4096);

    // DeepSeek-V3 MLA attention per layer: q_a 7168*1536 + norm 1536 + q_b 1536*128*192 +
    // kv_a 7168*576 + norm 512 + kv_b 512*128*256 + o 128*128*7168
    //   = 11,010,048 + 1,536 + 37,748,736 + 4,128,768 + 512 + 16,777,216 + 117,440,512 = 187,107,328
    const Architecture& v3 = arch("deepseek-v3");
    CHECK(count_params(v3).attention_per_layer == 187'107'328);
    CHECK(v3.num_moe_layers() == 58);
    CHECK_FALSE(v3.is_moe_layer(2));
    CHECK(v3.is_moe_layer(3));
}

TEST_CASE("MoE layer placement", "[architecture]") {
    Architecture a = arch("qwen3-30b-a3b");
    CHECK(a.num_moe_layers() == 48);
    a.decoder_sparse_step = 2;   // HF qwen2_moe: sparse iff (i+1) % step == 0 -> layers 1,3,5,...
    CHECK(a.num_moe_layers() == 24);
    CHECK_FALSE(a.is_moe_layer(0));
    CHECK(a.is_moe_layer(1));
    int64_t n = 0;
    for (int64_t i = 0; i < a.num_hidden_layers; ++i) n += a.is_moe_layer(i) ? 1 : 0;
    CHECK(n == a.num_moe_layers());
    CHECK(arch("llama-2-7b").num_moe_layers() == 0);
}

TEST_CASE("linears: LoRA sums by target", "[architecture][lora]") {
    // Llama-2-7B, LoRA r=8 on q_proj,v_proj: 32 layers * 2 matrices * 8*(4096+4096) = 4,194,304
    // (the figure PEFT prints for this setup).
    const auto l2 = linears(arch("llama-2-7b"));
    REQUIRE(l2.size() == static_cast<size_t>(kLinearKinds));
    CHECK(8 * (lin(l2, LinearKind::q).lora_per_rank + lin(l2, LinearKind::v).lora_per_rank) == 4'194'304);
    CHECK(lin(l2, LinearKind::gate).matrices == 32);
    CHECK(lin(l2, LinearKind::down).params == 32LL * 11008 * 4096);
    CHECK(lin(l2, LinearKind::expert).matrices == 0);
    // All linear weights of a dense model = attention + MLP minus norms (no biases in Llama).
    int64_t w = 0;
    for (const Linear& l : l2) w += l.params;
    const ParamCounts c = count_params(arch("llama-2-7b"));
    CHECK(w == c.attention + c.dense_mlp);

    // Mixtral 8x7B expert LoRA r=16: 3*16*(4096+14336) = 884,736 per expert, x8 experts x32 layers
    //   = 226,492,416
    const auto mx = linears(arch("mixtral-8x7b"));
    CHECK(16 * lin(mx, LinearKind::expert).per_expert_lora_per_rank == 884'736);
    CHECK(16 * lin(mx, LinearKind::expert).lora_per_rank == 226'492'416);
    CHECK(lin(mx, LinearKind::expert).params == count_params(arch("mixtral-8x7b")).routed_experts);
    CHECK(lin(mx, LinearKind::router).params == 32LL * 4096 * 8);
    CHECK(lin(mx, LinearKind::gate).matrices == 0);   // no dense MLP layers

    // GPT-2 fused c_attn (768 -> 2304): LoRA on "q,k,v" = LoRA on c_attn:
    // 12 layers * 8 * (768 + 2304) = 294,912 (PEFT's figure for GPT-2 r=8 on c_attn).
    const auto g2 = linears(arch("gpt2-124m"));
    CHECK(8 * (lin(g2, LinearKind::q).lora_per_rank + lin(g2, LinearKind::k).lora_per_rank +
               lin(g2, LinearKind::v).lora_per_rank) == 294'912);
    CHECK(lin(g2, LinearKind::gate).matrices == 0);        // plain MLP: c_fc is "up"
    CHECK(lin(g2, LinearKind::up).lora_per_rank == 12LL * (768 + 3072));

    // DeepSeek-V3 MLA: k -> kv_a_proj_with_mqa (7168 -> 512+64), v -> kv_b_proj (512 -> 128*256);
    // shared expert = one MLP of width n_shared*2048 per MoE layer (58 layers).
    const auto v3 = linears(arch("deepseek-v3"));
    CHECK(lin(v3, LinearKind::k).lora_per_rank == 61LL * (7168 + 576));
    CHECK(lin(v3, LinearKind::v).params == 61LL * 512 * 128 * 256);
    CHECK(lin(v3, LinearKind::q).matrices == 2 * 61);
    CHECK(lin(v3, LinearKind::shared_expert).lora_per_rank == 58LL * 3 * (7168 + 2048));
    CHECK(lin(v3, LinearKind::gate).matrices == 3);        // first_k_dense_replace = 3

    // Qwen1.5-MoE: one shared expert of 5632 per layer: 24 * 3 * (2048 + 5632)
    const auto qm = linears(arch("qwen1.5-moe-a2.7b"));
    CHECK(lin(qm, LinearKind::shared_expert).lora_per_rank == 24LL * 3 * (2048 + 5632));

    // T5: decoder cross-attention counts as q/k/v/o too: 24 enc + 2*24 dec attention blocks.
    const auto t5 = linears(arch("flan-t5-xl"));
    CHECK(lin(t5, LinearKind::q).matrices == 72);
}

TEST_CASE("synthesize_architecture lands within 1 %", "[architecture][synth]") {
    const int64_t dense[] = {125'000'000, 1'000'000'000, 7'000'000'000, 13'000'000'000, 70'000'000'000,
                             180'000'000'000, 405'000'000'000, 1'000'000'000'000};
    for (int64_t t : dense) {
        INFO(t);
        const Architecture a = synthesize_architecture(t, 0, 0);
        CHECK(validate(a).empty());
        CHECK_FALSE(a.is_moe());
        CHECK(std::fabs(static_cast<double>(count_params(a).total()) / static_cast<double>(t) - 1.0) < 0.01);
    }
    CHECK(synthesize_architecture(70'000'000'000, 0, 0).num_key_value_heads == 8);   // GQA above 30B
    CHECK(synthesize_architecture(7'000'000'000, 0, 0).vocab_size == 32000);

    struct Moe {
        int64_t total, active, shared;
    };
    const Moe moes[] = {{46'700'000'000, 12'900'000'000, 0},
                        {671'000'000'000, 37'000'000'000, 0},
                        {30'500'000'000, 3'300'000'000, 0},
                        {16'000'000'000, 2'700'000'000, 1'500'000'000}};
    for (const Moe& m : moes) {
        INFO(m.total << " / " << m.active);
        const Architecture a = synthesize_architecture(m.total, m.active, m.shared);
        CHECK(validate(a).empty());
        CHECK(a.is_moe());
        const ParamCounts c = count_params(a);
        CHECK(std::fabs(static_cast<double>(c.total()) / static_cast<double>(m.total) - 1.0) < 0.01);
        CHECK(std::fabs(static_cast<double>(c.active) / static_cast<double>(m.active) - 1.0) < 0.05);
    }
}

TEST_CASE("validate rejects broken shapes with one sentence", "[architecture][validate]") {
    Architecture a = arch("llama-2-7b");
    CHECK(validate(a).empty());

    Architecture b = a;
    b.hidden_size = 2'000'000;
    CHECK(validate(b).find("hidden_size") != std::string::npos);
    b = a;
    b.num_hidden_layers = -3;
    CHECK(validate(b).find("negative") != std::string::npos);
    b = a;
    b.num_attention_heads = 30;   // 4096 % 30 != 0
    CHECK(validate(b).find("divide hidden_size") != std::string::npos);
    b.num_key_value_heads = 30;
    b.head_dim = 128;             // explicit head_dim makes it fine
    CHECK(validate(b).empty());
    b = a;
    b.num_key_value_heads = 5;
    CHECK(validate(b).find("num_key_value_heads") != std::string::npos);
    b = a;
    b.vocab_size = 0;
    CHECK_FALSE(validate(b).empty());

    Architecture m = arch("mixtral-8x7b");
    m.num_experts_per_tok = 9;
    CHECK(validate(m).find("num_experts_per_tok") != std::string::npos);
    m.num_experts_per_tok = 2;
    m.moe_intermediate_size = 0;
    CHECK_FALSE(validate(m).empty());

    Architecture z;   // default-constructed: nothing set
    CHECK_FALSE(validate(z).empty());
}
