// test_link.cpp — the share-link codec: round trips, defaults, and tampered input.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "estimate.h"
#include "link.h"

using namespace vramcalc;

namespace {

// Every configuration a link can carry reads back to the same link, with no notices.
void check_round_trip(const TrainingConfig& c) {
    const std::string link = to_link(c);
    INFO(link);
    REQUIRE(link.rfind("#v=1", 0) == 0);
    const LinkParse p = from_link(link);
    CHECK(p.ignored.empty());
    CHECK(to_link(p.config) == link);
}

// A parsed configuration is always within the limits, whatever the input.
void check_sane(const TrainingConfig& c) {
    CHECK(c.lora_rank >= 1);
    CHECK(c.lora_rank <= limits::kMaxRank);
    CHECK(c.micro_batch >= 1);
    CHECK(c.micro_batch <= limits::kMaxMicroBatch);
    CHECK(c.seq_len >= 1);
    CHECK(c.seq_len <= limits::kMaxSeqLen);
    CHECK(c.grad_accum >= 1);
    CHECK(c.gpus >= 1);
    CHECK(c.gpus <= limits::kMaxGpus);
    CHECK(c.zero_stage >= 0);
    CHECK(c.zero_stage <= 3);
    CHECK(c.tp >= 1);
    CHECK(c.pp >= 1);
    CHECK(c.ep >= 1);
    CHECK((c.quant_bits == 4 || c.quant_bits == 8));
    CHECK(std::isfinite(c.tokens));
    CHECK(c.tokens >= 0);
    CHECK(std::isfinite(c.mfu));
    CHECK(c.mfu >= 0);
    CHECK(c.mfu <= 1);
    CHECK(std::isfinite(c.pue));
    CHECK(std::isfinite(c.lora_alpha));
    CHECK(c.lora_alpha > 0);
    CHECK(std::isfinite(c.price_per_gpu_hour));
    CHECK(c.train_layer_begin >= 0);
    // Writing it and reading it back gives no notices: the link it makes is valid.
    const LinkParse again = from_link(to_link(c));
    CHECK(again.ignored.empty());
}

bool mentions(const std::vector<std::string>& notes, std::string_view what) {
    for (const auto& n : notes)
        if (n.find(what) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("link: the default configuration is exactly #v=1", "[link]") {
    CHECK(to_link(TrainingConfig{}) == "#v=1");
    const LinkParse p = from_link("#v=1");
    CHECK(p.ignored.empty());
    CHECK(to_link(p.config) == "#v=1");
    CHECK(from_link("").ignored.empty());
    CHECK(to_link(from_link("").config) == "#v=1");
}

TEST_CASE("link: only non-default values are written, with the documented keys", "[link]") {
    TrainingConfig c;
    c.lora_rank = 64;
    c.micro_batch = 4;
    c.seq_len = 4096;
    c.gpu_id = "a100-sxm-40gb";
    CHECK(to_link(c) == "#v=1&r=64&mb=4&s=4096&gpu=a100-sxm-40gb");

    TrainingConfig d;
    d.method = Method::qlora;
    d.precision = Precision::bf16_mixed;
    d.model.id = "llama-2-7b";
    CHECK(to_link(d) == "#v=1&m=llama-2-7b&meth=qlora&prec=bf16-mixed");
}

TEST_CASE("link: every enum value round-trips", "[link]") {
    for (const auto& nv : enum_table<Method>()) {
        TrainingConfig c;
        c.method = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.method == nv.value);
    }
    for (const auto& nv : enum_table<Precision>()) {
        TrainingConfig c;
        c.precision = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.precision == nv.value);
    }
    for (const auto& nv : enum_table<Optimizer>()) {
        TrainingConfig c;
        c.optimizer = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.optimizer == nv.value);
    }
    for (const auto& nv : enum_table<StateDtype>()) {
        TrainingConfig c;
        c.state_dtype = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.state_dtype == nv.value);
    }
    for (const auto& nv : enum_table<OptimizerImpl>()) {
        TrainingConfig c;
        c.optimizer_impl = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.optimizer_impl == nv.value);
    }
    for (const auto& nv : enum_table<Checkpointing>()) {
        TrainingConfig c;
        c.grad_checkpointing = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.grad_checkpointing == nv.value);
    }
    for (const auto& nv : enum_table<Attention>()) {
        TrainingConfig c;
        c.attention = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.attention == nv.value);
    }
    for (const auto& nv : enum_table<Framework>()) {
        TrainingConfig c;
        c.framework = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.framework == nv.value);
    }
    for (const auto& nv : enum_table<Adapter>()) {
        TrainingConfig c;
        c.adapter = nv.value;
        check_round_trip(c);
        CHECK(from_link(to_link(c)).config.adapter == nv.value);
    }
    CHECK(from_link("#v=1&ad=oft").config.adapter == Adapter::oft);
    CHECK(from_link("#v=1&ad=loha").config.adapter == Adapter::loha);
    const TrainingConfig tt = from_link("#v=1&ad=trainable-tokens&tt=2&vt=50").config;
    CHECK(tt.adapter == Adapter::tokens);
    CHECK(tt.trainable_tokens == 2);
    CHECK(tt.virtual_tokens == 50);
    CHECK(to_link(tt) == "#v=1&ad=trainable-tokens&tt=2&vt=50");
}

TEST_CASE("link: many configurations round-trip field by field", "[link]") {
    TrainingConfig c;
    c.model.id = "mixtral-8x7b";
    c.method = Method::freeze;
    c.lora_rank = 8;
    c.lora_alpha = 12.5;
    c.lora_targets = kAttentionTargets;
    c.lora_experts = 2;
    c.lora_dropout = false;
    c.use_dora = true;
    c.lora_fa = true;
    c.adapter = Adapter::vera;
    c.bnb_pre_044 = true;
    c.galore_rank = 512;
    c.quant_bits = 8;
    c.double_quant = false;
    c.train_layer_begin = 26;
    c.train_layer_end = 32;
    c.train_experts = 2;
    c.train_attention = false;
    c.train_mlp = false;
    c.train_router = true;
    c.train_norms = false;
    c.train_embeddings = true;
    c.train_lm_head = true;
    c.precision = Precision::fp8_mixed;
    c.optimizer = Optimizer::paged_adamw_8bit;
    c.state_dtype = StateDtype::bf16;
    c.optimizer_impl = OptimizerImpl::for_loop;
    c.grads_set_to_none = false;
    c.micro_batch = 16;
    c.seq_len = 131072;
    c.grad_accum = 8;
    c.grad_checkpointing = Checkpointing::selective;
    c.attention = Attention::eager;
    c.chunked_ce = true;
    c.fused_linear_ce = true;
    c.activation_offload = true;
    c.framework = Framework::megatron;
    c.gpus = 64;
    c.zero_stage = 3;
    c.offload_optimizer = true;
    c.offload_params = true;
    c.tp = 8;
    c.pp = 2;
    c.ep = 4;
    c.gpu_id = "rtx-4090";
    c.tokens = 1.5e12;
    c.mfu = 0.42;
    c.price_per_gpu_hour = 2.49;
    c.pue = 1.1;
    c.gpu_power_fraction = 0.65;
    check_round_trip(c);

    const TrainingConfig r = from_link(to_link(c)).config;
    CHECK(r.model.kind == ModelKind::catalog);
    CHECK(r.model.id == "mixtral-8x7b");
    CHECK(r.method == Method::freeze);
    CHECK(r.lora_rank == 8);
    CHECK(r.lora_alpha == 12.5);
    CHECK(r.lora_targets == kAttentionTargets);
    CHECK(r.lora_experts == 2);
    CHECK_FALSE(r.lora_dropout);
    CHECK(r.use_dora);
    CHECK(r.lora_fa);
    CHECK(r.adapter == Adapter::vera);
    CHECK(r.bnb_pre_044);
    CHECK(r.galore_rank == 512);
    CHECK(r.quant_bits == 8);
    CHECK_FALSE(r.double_quant);
    CHECK(r.train_layer_begin == 26);
    CHECK(r.train_layer_end == 32);
    CHECK(r.train_experts == 2);
    CHECK_FALSE(r.train_attention);
    CHECK_FALSE(r.train_mlp);
    CHECK(r.train_router);
    CHECK_FALSE(r.train_norms);
    CHECK(r.train_embeddings);
    CHECK(r.train_lm_head);
    CHECK(r.precision == Precision::fp8_mixed);
    CHECK(r.optimizer == Optimizer::paged_adamw_8bit);
    CHECK(r.state_dtype == StateDtype::bf16);
    CHECK(r.optimizer_impl == OptimizerImpl::for_loop);
    CHECK_FALSE(r.grads_set_to_none);
    CHECK(r.micro_batch == 16);
    CHECK(r.seq_len == 131072);
    CHECK(r.grad_accum == 8);
    CHECK(r.grad_checkpointing == Checkpointing::selective);
    CHECK(r.attention == Attention::eager);
    CHECK(r.chunked_ce);
    CHECK(r.fused_linear_ce);
    CHECK(r.activation_offload);
    CHECK(r.framework == Framework::megatron);
    CHECK(r.gpus == 64);
    CHECK(r.zero_stage == 3);
    CHECK(r.offload_optimizer);
    CHECK(r.offload_params);
    CHECK(r.tp == 8);
    CHECK(r.pp == 2);
    CHECK(r.ep == 4);
    CHECK(r.gpu_id == "rtx-4090");
    CHECK(r.tokens == 1.5e12);
    CHECK(r.mfu == 0.42);
    CHECK(r.price_per_gpu_hour == 2.49);
    CHECK(r.pue == 1.1);
    CHECK(r.gpu_power_fraction == 0.65);

    // A sweep of single changes, each on its own.
    for (int rank : {1, 2, 4, 8, 32, 128, 256, 65536}) {
        TrainingConfig x;
        x.lora_rank = rank;
        check_round_trip(x);
    }
    for (int z = 0; z <= 3; ++z) {
        TrainingConfig x;
        x.zero_stage = z;
        x.gpus = 8;
        check_round_trip(x);
    }
    for (double alpha : {0.5, 1.0, 16.0, 0.1, 1e-3, 123456.789}) {
        TrainingConfig x;
        x.lora_alpha = alpha;
        check_round_trip(x);
        CHECK(from_link(to_link(x)).config.lora_alpha == alpha);
    }
    for (double tokens : {0.0, 1.0, 3e6, 2.5e9, 15e12, 1e16}) {   // 1e16: validate()'s limit
        TrainingConfig x;
        x.tokens = tokens;
        check_round_trip(x);
        CHECK(from_link(to_link(x)).config.tokens == tokens);
    }
    for (TargetMask m : {TargetMask{0}, kAttentionTargets, kMlpTargets, kAllLinearTargets,
                         target_bit(LinearKind::q) | target_bit(LinearKind::v),
                         kAllLinearTargets | target_bit(LinearKind::router)}) {
        TrainingConfig x;
        x.lora_targets = m;
        check_round_trip(x);
        CHECK(from_link(to_link(x)).config.lora_targets == m);
    }
    {
        TrainingConfig x;
        x.price_per_gpu_hour = 0;   // free, not "the catalog's price"
        check_round_trip(x);
        CHECK(from_link(to_link(x)).config.price_per_gpu_hour == 0);
    }
    {
        TrainingConfig x;
        x.method = Method::freeze;
        x.train_layer_begin = 20;   // through the last layer
        check_round_trip(x);
        CHECK(to_link(x).find("tl=from:20") != std::string::npos);
    }
}

TEST_CASE("link: bare parameter counts and custom architectures", "[link]") {
    TrainingConfig c;
    c.model.kind = ModelKind::params;
    c.model.params_total = 46'700'000'000;
    c.model.params_active = 12'900'000'000;
    c.model.params_shared = 1'600'000'000;
    check_round_trip(c);
    CHECK(to_link(c) == "#v=1&P=46700000000&Pa=12900000000&Ps=1600000000");
    const TrainingConfig r = from_link(to_link(c)).config;
    CHECK(r.model.kind == ModelKind::params);
    CHECK(r.model.params_total == 46'700'000'000);
    CHECK(r.model.params_active == 12'900'000'000);
    CHECK(r.model.params_shared == 1'600'000'000);

    // Counts as people write them.
    const LinkParse p = from_link("#v=1&P=7B");
    CHECK(p.ignored.empty());
    CHECK(p.config.model.kind == ModelKind::params);
    CHECK(p.config.model.params_total == 7'000'000'000);

    TrainingConfig a;
    a.model.kind = ModelKind::architecture;
    Architecture& m = a.model.arch;
    m.id = "custom";
    m.family = "qwen3_moe";
    m.name = "My MoE (test)";
    m.vocab_size = 151936;
    m.hidden_size = 2048;
    m.intermediate_size = 6144;
    m.num_hidden_layers = 48;
    m.num_attention_heads = 32;
    m.num_key_value_heads = 4;
    m.head_dim = 128;
    m.max_position_embeddings = 40960;
    m.qk_norm = true;
    m.num_experts = 128;
    m.num_experts_per_tok = 8;
    m.moe_intermediate_size = 768;
    m.norm = NormKind::layernorm;
    m.mlp = MlpKind::plain;
    m.norms_per_layer = 4;
    m.kv_lora_rank = 512;
    m.qk_rope_head_dim = 64;
    m.qk_nope_head_dim = 128;
    m.v_head_dim = 128;
    m.tie_word_embeddings = true;
    m.attn_softcap = true;
    m.final_softcap = true;
    m.dropout = true;
    a.task = Task::classification;
    check_round_trip(a);
    const std::string link = to_link(a);
    CHECK(link.find("nm=My%20MoE%20%28test%29") != std::string::npos);
    const TrainingConfig ra = from_link(link).config;
    CHECK(ra.model.kind == ModelKind::architecture);
    CHECK(ra.model.arch.name == "My MoE (test)");
    CHECK(ra.model.arch.family == "qwen3_moe");
    CHECK(ra.model.arch.hidden_size == 2048);
    CHECK(ra.model.arch.num_experts == 128);
    CHECK(ra.model.arch.norm == NormKind::layernorm);
    CHECK(ra.model.arch.mlp == MlpKind::plain);
    CHECK(ra.model.arch.norms_per_layer == 4);
    CHECK(ra.model.arch.tie_word_embeddings);
    CHECK(ra.model.arch.attn_softcap);
    CHECK(ra.model.arch.final_softcap);
    CHECK(ra.model.arch.dropout);
    CHECK(ra.task == Task::classification);
    CHECK(link.find("task=classification") != std::string::npos);

    // An architecture missing its essentials falls back to the default model, named.
    const LinkParse bad = from_link("#v=1&h=4096");
    CHECK(mentions(bad.ignored, "architecture"));
    CHECK(bad.config.model.kind == ModelKind::catalog);
    CHECK(bad.config.model.id == TrainingConfig{}.model.id);
}

TEST_CASE("link: parse_train_layers and format_train_layers", "[link]") {
    auto r = parse_train_layers("all");
    REQUIRE(r);
    CHECK(r->begin == 0);
    CHECK(r->end == -1);
    r = parse_train_layers("24-31");
    REQUIRE(r);
    CHECK(r->begin == 24);
    CHECK(r->end == 32);
    r = parse_train_layers("first:4");
    REQUIRE(r);
    CHECK(r->begin == 0);
    CHECK(r->end == 4);
    r = parse_train_layers("from:10");
    REQUIRE(r);
    CHECK(r->begin == 10);
    CHECK(r->end == -1);
    r = parse_train_layers("last:6", 32);
    REQUIRE(r);
    CHECK(r->begin == 26);
    CHECK(r->end == -1);
    CHECK_FALSE(parse_train_layers("last:6"));        // needs the layer count
    CHECK_FALSE(parse_train_layers("last:40", 32));
    CHECK_FALSE(parse_train_layers("5-3"));
    CHECK_FALSE(parse_train_layers("-3"));
    CHECK_FALSE(parse_train_layers("first:0"));
    CHECK_FALSE(parse_train_layers("abc"));
    CHECK_FALSE(parse_train_layers(""));
    CHECK(format_train_layers(0, -1) == "all");
    CHECK(format_train_layers(24, 32) == "24-31");
    CHECK(format_train_layers(10, -1) == "from:10");
}

TEST_CASE("link: bad values fall back to the default and are named", "[link]") {
    const TrainingConfig d;
    struct Case {
        const char* link;
        const char* key;
    };
    const Case cases[] = {
        {"#v=1&r=-5", "r="},
        {"#v=1&r=1000000000", "r="},
        {"#v=1&r=1e9", "r="},
        {"#v=1&r=99999999999999999999999999", "r="},
        {"#v=1&r=abc", "r="},
        {"#v=1&mb=-1", "mb="},
        {"#v=1&mb=0", "mb="},
        {"#v=1&s=0", "s="},
        {"#v=1&s=", "s="},
        {"#v=1&n=0", "n="},
        {"#v=1&z=4", "z="},
        {"#v=1&tp=-2", "tp="},
        {"#v=1&mfu=nan", "mfu="},
        {"#v=1&mfu=inf", "mfu="},
        {"#v=1&mfu=1.5", "mfu="},
        {"#v=1&a=inf", "a="},
        {"#v=1&a=-1", "a="},
        {"#v=1&a=0", "a="},
        {"#v=1&tok=-1", "tok="},
        {"#v=1&tok=1e300", "tok="},
        {"#v=1&pue=NaN", "pue="},
        {"#v=1&price=-3", "price="},
        {"#v=1&qb=3", "qb="},
        {"#v=1&meth=bogus", "meth="},
        {"#v=1&prec=fp64", "prec="},
        {"#v=1&m=no-such-model", "m="},
        {"#v=1&m=LLAMA", "m="},
        {"#v=1&gpu=h999", "gpu="},
        {"#v=1&tl=9-2", "tl="},
        {"#v=1&tg=qq", "tg="},
        {"#v=1&cce=maybe", "cce="},
        {"#v=1&P=-7B", "P="},
        {"#v=1&P=abc", "P="},
        {"#v=1&r", "r"},
    };
    for (const auto& tc : cases) {
        INFO(tc.link);
        const LinkParse p = from_link(tc.link);
        CHECK(p.ignored.size() == 1);
        CHECK(mentions(p.ignored, tc.key));
        CHECK(to_link(p.config) == to_link(d));
        check_sane(p.config);
    }
    // The error names the valid range.
    CHECK(mentions(from_link("#v=1&r=0").ignored, "1..65536"));
    CHECK(mentions(from_link("#v=1&meth=bogus").ignored, enum_choices<Method>()));
}

TEST_CASE("link: unknown keys are ignored and named, good keys beside them still apply", "[link]") {
    const LinkParse p = from_link("#v=1&zz=3&r=32&utm_source=x&mb=2");
    CHECK(p.ignored.size() == 2);
    CHECK(mentions(p.ignored, "zz: unknown key"));
    CHECK(mentions(p.ignored, "utm_source"));
    CHECK(p.config.lora_rank == 32);
    CHECK(p.config.micro_batch == 2);
    // Version other than 1 is named but read.
    const LinkParse v2 = from_link("#v=2&r=8");
    CHECK(mentions(v2.ignored, "v=2"));
    CHECK(v2.config.lora_rank == 8);
    // Without the leading '#', and from a full URL.
    CHECK(from_link("v=1&r=8").config.lora_rank == 8);
    CHECK(from_link("https://example.org/vramcalc/?x=1#v=1&r=8").config.lora_rank == 8);
    // Empty items and stray separators.
    const LinkParse e = from_link("#&&v=1&&r=8&&");
    CHECK(e.ignored.empty());
    CHECK(e.config.lora_rank == 8);
}

TEST_CASE("link: percent-decoding", "[link]") {
    LinkParse p = from_link("#v=1&m=llama%2D2%2d7b&%72=8");
    CHECK(p.ignored.empty());
    CHECK(p.config.model.id == "llama-2-7b");
    CHECK(p.config.lora_rank == 8);
    p = from_link("#v=1&tg=q%2Cv");
    CHECK(p.ignored.empty());
    CHECK(p.config.lora_targets == (target_bit(LinearKind::q) | target_bit(LinearKind::v)));
    // A broken escape stays as it is (and then fails as a value, named).
    p = from_link("#v=1&r=%ZZ");
    CHECK(p.ignored.size() == 1);
    p = from_link("#v=1&r=1%");
    CHECK(p.ignored.size() == 1);
    CHECK(p.config.lora_rank == 16);
}

TEST_CASE("link: the defaults argument fills what the link leaves out", "[link]") {
    TrainingConfig d;
    d.micro_batch = 8;
    d.gpu_id = "a100-sxm-40gb";
    const LinkParse p = from_link("#v=1&r=4", d);
    CHECK(p.ignored.empty());
    CHECK(p.config.micro_batch == 8);
    CHECK(p.config.gpu_id == "a100-sxm-40gb");
    CHECK(p.config.lora_rank == 4);
    // A bad value falls back to the given default, not to TrainingConfig{}'s.
    CHECK(from_link("#v=1&mb=-1", d).config.micro_batch == 8);
}

TEST_CASE("link: random bytes and huge fragments give a valid configuration, quickly", "[link]") {
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> len(0, 400);
    for (int i = 0; i < 300; ++i) {
        std::string s;
        const int n = len(rng);
        for (int j = 0; j < n; ++j) s += static_cast<char>(byte(rng));
        const LinkParse p = from_link(s);
        check_sane(p.config);
    }
    // Plausible-looking keys with random values.
    static const char* kKeys[] = {"r", "mb", "s", "n", "z", "tp", "mfu", "tok", "a", "P", "Pa", "h", "L",
                                  "meth", "prec", "tl", "tg", "pue", "price", "le", "te", "qb", "gpu", "m"};
    static const char* kValues[] = {"-1", "0", "1", "nan", "inf", "-inf", "1e400", "99999999999999999999",
                                    "7B", "%00", "%", "", "all", "1-2", "first:3", "3.5", "1e9", "-0"};
    std::uniform_int_distribution<size_t> kk(0, std::size(kKeys) - 1), vv(0, std::size(kValues) - 1);
    for (int i = 0; i < 300; ++i) {
        std::string s = "#v=1";
        for (int j = 0; j < 6; ++j) s += std::string("&") + kKeys[kk(rng)] + "=" + kValues[vv(rng)];
        INFO(s);
        check_sane(from_link(s).config);
    }

    // 100 KB fragments: many tiny unknown keys, one huge value, a run of '%'.
    std::string many = "#v=1";
    while (many.size() < 100'000) many += "&zz=1";
    std::string huge = "#v=1&r=" + std::string(100'000, '9');
    std::string percents = "#v=1&nm=" + std::string(100'000, '%');
    std::string amps(100'000, '&');
    const auto t0 = std::chrono::steady_clock::now();
    for (const std::string* s : {&many, &huge, &percents, &amps}) {
        const LinkParse p = from_link(*s);
        CHECK(p.ignored.size() <= 25);
        check_sane(p.config);
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms < 500);   // linear: a few ms in practice
    CHECK(mentions(from_link(many).ignored, "more"));
}

TEST_CASE("link: names and families must be UTF-8 text, a 120-byte name round-trips", "[link]") {
    const std::string arch = "#v=1&fam=llama&V=32000&h=4096&ff=11008&L=32&heads=32";
    // %FF was stored as the name, and `--format json` then failed with an internal error (exit 1).
    LinkParse p = from_link(arch + "&nm=%FF%FE");
    CHECK(mentions(p.ignored, "nm=??: must be UTF-8 text"));
    CHECK(p.config.model.kind == ModelKind::architecture);
    CHECK(p.config.model.arch.name == "custom");
    CHECK(mentions(from_link(arch + "&nm=%ED%A0%80").ignored, "must be UTF-8 text"));   // a surrogate
    CHECK(mentions(from_link(arch + "&nm=%C0%AF").ignored, "must be UTF-8 text"));      // overlong '/'
    CHECK(mentions(from_link(arch + "&nm=a%0Ab").ignored, "must not hold control characters"));
    CHECK(mentions(from_link(arch + "&nm=" + std::string(121, 'x')).ignored, "at most 120 bytes"));

    // A name of 120 bytes, all non-ASCII, is written as 360 characters and reads back (the value
    // limit was 256 characters: "nm: value too long").
    TrainingConfig c = from_link(arch).config;
    REQUIRE(c.model.kind == ModelKind::architecture);
    c.model.arch.name.clear();
    for (int i = 0; i < 60; ++i) c.model.arch.name += "\xc3\xa9";
    check_round_trip(c);
    CHECK(from_link(to_link(c)).config.model.arch.name == c.model.arch.name);
    CHECK(display_text_problem(c.model.arch.name).empty());
    CHECK(to_display_text("\xff" "a\x01\x01" "b ") == "?a b");
}

TEST_CASE("link: every value the link takes also estimates, beyond validate()'s ranges it is named", "[link]") {
    // tok=1e17, price=50000, pw=1.8 were taken without a notice and then refused by validate() (the
    // page showed an error instead of an estimate); mfu=1e-308 made the time infinite (0.0 h).
    struct Case {
        const char* link;
        const char* notice;
    };
    const Case cases[] = {
        {"#v=1&tok=1e17", "tok=1e17: tokens must be a count such as 1B or 2e9 (0..1e16)"},
        {"#v=1&price=50000", "price=50000: price per GPU-hour must be a number 0..10000"},
        {"#v=1&pw=1.8", "pw=1.8: power fraction must be a number above 0 and at most 1.5"},
        {"#v=1&mfu=1e-308", "mfu=1e-308: MFU must be 0 (the GPU's typical figure) or a fraction 0.001..1"},
        {"#v=1&mfu=0.0005", "MFU must be 0 (the GPU's typical figure) or a fraction 0.001..1"},
    };
    for (const auto& tc : cases) {
        INFO(tc.link);
        const LinkParse p = from_link(tc.link);
        CHECK(p.ignored.size() == 1);
        CHECK(mentions(p.ignored, tc.notice));
        CHECK(to_link(p.config) == "#v=1");
    }
    for (const char* ok : {"#v=1&tok=1e16", "#v=1&price=10000", "#v=1&pw=1.5", "#v=1&mfu=0.001", "#v=1&mfu=1"}) {
        INFO(ok);
        const LinkParse p = from_link(ok);
        CHECK(p.ignored.empty());
        CHECK(validate(p.config, *resolve_model(p.config.model).value).empty());
    }
}

TEST_CASE("link: bare counts within resolve_model()'s 1M..100T", "[link]") {
    // P=1 and P=5e14 were taken without a notice and then refused by resolve_model().
    for (const char* bad : {"#v=1&P=1", "#v=1&P=5e14", "#v=1&P=999999"}) {
        INFO(bad);
        const LinkParse p = from_link(bad);
        CHECK(mentions(p.ignored, "(1M..100T)"));
        CHECK(p.config.model.kind == ModelKind::catalog);
    }
    for (const char* ok : {"#v=1&P=1M", "#v=1&P=100T", "#v=1&P=7B&Pa=0"}) {
        INFO(ok);
        const LinkParse p = from_link(ok);
        CHECK(p.ignored.empty());
        REQUIRE(p.config.model.kind == ModelKind::params);
        CHECK(resolve_model(p.config.model));
    }
    CHECK(mentions(from_link("#v=1&fam=llama&V=32000&h=4096&ff=11008&L=32&heads=32&xp=1e13").ignored, "xp="));
}
