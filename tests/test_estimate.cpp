// Tests of the memory model: each component against a hand-computed value, the phases, the
// three totals, the GPU search, and the invariants that hold for every configuration.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "catalog.h"
#include "estimate.h"

using namespace vramcalc;

namespace {
constexpr int64_t kLlama2_7B = 6'738'415'616;   // 32000x4096x2 + 32x(4x4096^2 + 3x4096x11008 + 2x4096) + 4096

Estimate run(const TrainingConfig& c) {
    const Result<Estimate> r = estimate(c);
    INFO(r.error);
    REQUIRE(r);
    return *r.value;
}

// Whether validate() refuses the configuration (with one message).
bool rejected(const TrainingConfig& c) { return !validate(c, *resolve_model(c.model).value).empty(); }

TrainingConfig llama2_full() {
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::full;
    c.precision = Precision::bf16_mixed;
    c.optimizer = Optimizer::adamw;
    c.framework = Framework::deepspeed;   // fused optimizer step: no foreach temporaries
    c.micro_batch = 1;
    c.seq_len = 512;
    c.grad_checkpointing = Checkpointing::full;
    return c;
}

// A configuration from the fields that tests vary most; the rest keep TrainingConfig's defaults.
TrainingConfig cfg(const char* model, Method method, Precision precision, Framework framework, int seq_len) {
    TrainingConfig c;
    c.model.id = model;
    c.method = method;
    c.precision = precision;
    c.framework = framework;
    c.seq_len = seq_len;
    return c;
}

// A configuration estimated without and with one change, and what the change adds at the end
// of forward.
struct Toggled {
    Estimate off, on;
    int64_t forward_delta = 0;
};
template <class Set>
Toggled toggled(TrainingConfig c, Set set) {
    Toggled t;
    t.off = run(c);
    set(c);
    t.on = run(c);
    const auto fw = static_cast<int>(Phase::forward);
    t.forward_delta = t.on.phase_peak[fw] - t.off.phase_peak[fw];
    return t;
}

// Llama-3.2-3B with a rank-32 LoRA on q and v, PEFT's MetaMathQA setting, at 1024 tokens.
TrainingConfig llama32_qv_r32(Framework framework = Framework::hf) {
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, framework, 1024);
    c.lora_rank = 32;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    return c;
}

int64_t allocated_sum(const Estimate& e) {
    int64_t s = 0;
    for (const auto& p : part_table())
        if (p.allocated) s += e.bytes(p.part);
    return s;
}
}  // namespace

TEST_CASE("mixed-precision AdamW model states are 2 + 2 + 8 + 4 bytes per parameter", "[estimate]") {
    // ZeRO paper (Rajbhandari et al. 2020) §3.1: 16 bytes per parameter for mixed-precision Adam.
    const Estimate e = run(llama2_full());
    CHECK(e.params.total == kLlama2_7B);
    CHECK(e.params.trainable == kLlama2_7B);
    CHECK(e.bytes(Part::weights_trainable) == 2 * kLlama2_7B);
    CHECK(e.bytes(Part::optimizer_states) == 8 * kLlama2_7B);
    CHECK(e.bytes(Part::master_weights) == 4 * kLlama2_7B);
    CHECK(e.bytes(Part::weights_frozen) == 0);
    CHECK(e.bytes(Part::adapters) == 0);
}

TEST_CASE("the backward phase holds all gradients plus one recomputed layer", "[estimate]") {
    // Full checkpointing, 512 tokens. One Llama-2-7B layer saves per token (16-bit):
    //   norms: fp32 inputs 2 x 4h + normalized outputs 2 x 2h + the 16-bit x_normed that each
    //   trained weight's mul keeps (LlamaRMSNorm: weight * x_normed.to(bf16)) 2 x 2h = 16h = 65,536 B
    //   q, k, v, attention output: 8h = 32,768 B (SDPA; MHA here anyway)
    //   o_proj's input, SDPA's output transposed into a copy: 2h = 8,192 B
    //   SwiGLU: gate out, silu, up out, silu*up: 8 x 11008 = 88,064 B
    //   = 194,560 B per token; x 512 tokens = 99,614,720 B — the one layer being recomputed.
    // Peak = 16 B x P (weights, grads, states, master) + 99,614,720 B.
    const Estimate e = run(llama2_full());
    CHECK(e.peak_phase == Phase::backward);
    CHECK(e.bytes(Part::gradients) == 2 * kLlama2_7B);
    CHECK(e.bytes(Part::activations) == 99'614'720);
    CHECK(e.peak == 16 * kLlama2_7B + 99'614'720);
    CHECK(allocated_sum(e) == e.peak);
}

TEST_CASE("checkpointed activations keep each layer's input only", "[estimate]") {
    // Forward end, full checkpointing: 32 layer inputs x 512 tokens x 4096 x 2 B = 134,217,728 B.
    // Logits under DeepSpeed (HF model, Trainer-style loss): 512 x 32000 x 8 B (saved fp32
    // log-softmax + its gradient) = 131,072,000 B.
    const Estimate e = run(llama2_full());
    CHECK(e.phase_peak[static_cast<int>(Phase::forward)] == 14 * kLlama2_7B + 134'217'728 + 131'072'000);
    TrainingConfig c = llama2_full();
    const int fw = static_cast<int>(Phase::forward);
    c.framework = Framework::torchtune;   // 3 fp32 copies: 12 B per token per vocab entry
    CHECK(run(c).phase_peak[fw] == 14 * kLlama2_7B + 134'217'728 + 512LL * 32000 * 12);
    c.chunked_ce = true;                  // bf16 logits + their gradient: 4 B
    CHECK(run(c).phase_peak[fw] == 14 * kLlama2_7B + 134'217'728 + 512LL * 32000 * 4);
    // Fused linear cross-entropy (Liger): inc = ceil(32000 / 4096) = 8, chunk = 2^ceil(log2(512 / 8))
    // = 64 tokens of bf16 logits (64 x 32000 x 2 = 4,096,000) + grad_input and an fp32 loss per token
    // (512 x (4096 x 2 + 4) = 4,196,352) = 8,292,352 B. It wins over chunking.
    c.fused_linear_ce = true;
    CHECK(run(c).phase_peak[fw] == 14 * kLlama2_7B + 134'217'728 + 8'292'352);
}

TEST_CASE("LitGPT QLoRA: the previous micro-batch's 4-bit inputs are still held when the next forward ends", "[estimate]") {
    // Llama-2-7B (h 4096, i 11008, 32 layers), LitGPT hub QLoRA: micro-batch 2 x 512 = 1024 tokens.
    // bitsandbytes' MatMul4Bit keeps its input on ctx: per layer the qkv input, o_proj's, the MLP
    // input (fc_1 and fc_2 read one tensor) and down's, 2 x (3 x 4096 + 11008) = 46,592 B per token;
    // x 32 layers x 1024 = 1,526,726,656 B, + the 4-bit head's input 1024 x 4096 x 2 = 8,388,608 B:
    // 1,535,115,264 B held, beside the 16-bit logits the forward returns, 1024 x 32000 x 2 = 65,536,000.
    // Backward starts with one layer's working set (1024 x 11008 x 2 x 2 = 45,088,768) and LitGPT's
    // 8 B logits (262,144,000) instead, so the end of forward is higher by
    // 1,535,115,264 + 65,536,000 - 45,088,768 - 262,144,000 = 1,293,418,496 B.
    TrainingConfig c = cfg("llama-2-7b", Method::qlora, Precision::bf16, Framework::litgpt, 512);
    c.micro_batch = 2;
    c.grad_accum = 4;
    c.lora_rank = 32;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.lora_dropout = true;
    c.double_quant = false;
    c.optimizer = Optimizer::paged_adamw;
    c.bnb_pre_044 = true;   // the hub's runs (2024) predate bitsandbytes 0.44
    const Estimate e = run(c);
    const int fw = static_cast<int>(Phase::forward), bw = static_cast<int>(Phase::backward);
    CHECK(e.peak_phase == Phase::forward);
    CHECK(e.bytes(Part::logits) == 65'536'000);
    CHECK(e.phase_peak[fw] - e.phase_peak[bw] == 1'293'418'496);
    CHECK(e.parts[static_cast<size_t>(Part::activations)].formula.find("+ 1.43 GiB of the previous micro-batch") !=
          std::string::npos);
    // bitsandbytes >= 0.44 keeps only the weight on ctx: nothing of the old graph's inputs is held,
    // and each layer keeps 46,592 B per token less (x 32 x 1024 + the head's 8,388,608).
    c.bnb_pre_044 = false;
    const Estimate now = run(c);
    CHECK(now.parts[static_cast<size_t>(Part::activations)].formula.find("previous micro-batch") == std::string::npos);
    CHECK(now.peak < e.peak);
    c.bnb_pre_044 = true;
    // Checkpointed layers are recomputed inside backward: nothing of theirs outlives it.
    c.grad_checkpointing = Checkpointing::full;
    CHECK(run(c).parts[static_cast<size_t>(Part::activations)].formula.find("previous micro-batch") == std::string::npos);
    // HF Trainer drops the step's outputs: the old graph dies before the next forward.
    c.grad_checkpointing = Checkpointing::none;
    c.framework = Framework::hf;
    CHECK(run(c).parts[static_cast<size_t>(Part::activations)].formula.find("previous micro-batch") == std::string::npos);
}

TEST_CASE("bitsandbytes before 0.44 keeps every 4-bit layer's input, since then only the weight", "[estimate]") {
    // Llama-2-7B QLoRA under HF in pure bf16, an adapter on q only, 1024 tokens, no checkpointing.
    // MatMul4Bit before 0.44 (ctx.tensors = (A, B)) keeps the attention input (2h, shared by q, k,
    // v), SDPA's transposed output that o_proj reads (2h), the MLP input (2h) and down's input
    // (2i): 6 x 4096 + 2 x 11008 = 46,592 B per token per layer -> x 1024 x 32 = 1,526,726,656 B.
    TrainingConfig c = cfg("llama-2-7b", Method::qlora, Precision::bf16, Framework::hf, 1024);
    c.lora_targets = target_bit(LinearKind::q);
    c.bnb_pre_044 = false;
    const Estimate now = run(c);
    c.bnb_pre_044 = true;
    const Estimate old = run(c);
    const auto fw = static_cast<int>(Phase::forward);
    CHECK(old.phase_peak[fw] - now.phase_peak[fw] == 1'526'726'656);
    // torchtune's NF4 (torchao LinearNF4) keeps only the weight either way.
    c.framework = Framework::torchtune;
    const int64_t tt_old = run(c).peak;
    c.bnb_pre_044 = false;
    CHECK(run(c).peak == tt_old);
}

TEST_CASE("fused linear cross-entropy rounds its token chunk up to a power of two", "[estimate]") {
    // Llama-3.1-8B (h 4096, vocab 128256) at 78,475 tokens (Unsloth's 24 GB context): inc =
    // ceil(128256 / 4096) = 32, ceil(78475 / 32) = 2453 -> chunk 4096 tokens: 4096 x 128256 x 2 =
    // 1,050,673,152 B; grad_input + loss 78475 x 8196 = 643,181,100 B; 1,693,854,252 B = 1.58 GiB,
    // where Unsloth's own fused loss kernel (16-bit logits, 2 B) holds 78475 x 128256 x 2 = 20.13 GB.
    TrainingConfig c = cfg("llama-3.1-8b", Method::qlora, Precision::bf16, Framework::unsloth, 78475);
    c.grad_checkpointing = Checkpointing::full;
    c.activation_offload = true;
    c.gpu_id = "rtx-4090";
    const Estimate plain = run(c);
    CHECK(plain.bytes(Part::logits) == 78475LL * 128256 * 2);
    // 20 GB of logits do not fit a 24 GB card; chunking cannot help Unsloth's 16-bit logits, so
    // the fused loss is what is suggested.
    CHECK_FALSE(plain.fits);
    bool suggested = false;
    for (const auto& sg : plain.suggestions) suggested |= sg.find("fused linear cross-entropy") != std::string::npos;
    CHECK(suggested);
    c.fused_linear_ce = true;
    const Estimate e = run(c);
    CHECK(e.fits);
    CHECK(e.bytes(Part::logits) == 1'693'854'252);
    CHECK(e.parts[static_cast<size_t>(Part::logits)].formula.find("one chunk of 4.1K tokens") != std::string::npos);
    // A batch shorter than the vocabulary's factor is one token per chunk: 10 tokens, chunk 1 ->
    // 1 x 128256 x 2 + 10 x 8196 = 338,472 B, against 10 x 128256 x 2 = 2,565,120 B unfused: the
    // end of forward (where the logits are counted) is 2,226,648 B lower.
    c.seq_len = 10;
    const int fw = static_cast<int>(Phase::forward);
    const Estimate fused = run(c);
    CHECK(fused.parts[static_cast<size_t>(Part::logits)].formula.find("one chunk of 1 tokens") != std::string::npos);
    c.fused_linear_ce = false;
    CHECK(run(c).phase_peak[fw] - fused.phase_peak[fw] == 2'226'648);
    c.fused_linear_ce = true;
    // A classifier has no vocabulary logits to fuse.
    c.task = Task::classification;
    CHECK(run(c).bytes(Part::logits) == 0);
}

TEST_CASE("precision sets bytes per parameter of weights, gradients, states and master", "[estimate]") {
    struct Row {
        Precision p;
        int64_t w, g, s, m;
    };
    const Row rows[] = {
        {Precision::fp32, 4, 4, 8, 0},      {Precision::amp_bf16, 4, 4, 8, 0}, {Precision::bf16_mixed, 2, 2, 8, 4},
        {Precision::fp16_mixed, 2, 2, 8, 4}, {Precision::bf16, 2, 2, 4, 0},     {Precision::fp8_mixed, 2, 2, 8, 4},
    };
    for (const Row& r : rows) {
        TrainingConfig c = llama2_full();
        c.precision = r.p;
        c.gpu_id = "h100-sxm-80gb";
        c.grad_accum = 2;   // gradients stay allocated through every phase
        const Estimate e = run(c);
        INFO(name_of(r.p));
        CHECK(e.bytes(Part::weights_trainable) == r.w * kLlama2_7B);
        CHECK(e.bytes(Part::gradients) == r.g * kLlama2_7B);
        CHECK(e.bytes(Part::optimizer_states) == r.s * kLlama2_7B);
        CHECK(e.bytes(Part::master_weights) == r.m * kLlama2_7B);
    }
}

TEST_CASE("optimizer states per parameter", "[estimate]") {
    // fp32 states (bf16-mixed): SGD 0, momentum 4, Lion 4, AdamW 8; 8-bit AdamW 2 x (1 + 4/2048).
    struct Row {
        Optimizer o;
        double per;
    };
    const Row rows[] = {{Optimizer::sgd, 0},  {Optimizer::sgd_momentum, 4}, {Optimizer::lion, 4},
                        {Optimizer::adamw, 8}, {Optimizer::adamw_8bit, 2 * (1 + 4.0 / 2048)}};
    for (const Row& r : rows) {
        TrainingConfig c = llama2_full();
        c.optimizer = r.o;
        const Estimate e = run(c);
        INFO(name_of(r.o));
        CHECK(std::llabs(e.bytes(Part::optimizer_states) - static_cast<int64_t>(r.per * kLlama2_7B)) <= 1);
    }
}

TEST_CASE("paged 8-bit states are seen by nvidia-smi but not by torch's allocator", "[estimate]") {
    TrainingConfig c = llama2_full();
    c.optimizer = Optimizer::adamw_8bit;
    const Estimate plain = run(c);
    c.optimizer = Optimizer::paged_adamw_8bit;
    const Estimate paged = run(c);
    const int64_t states = static_cast<int64_t>(2 * (1 + 4.0 / 2048) * kLlama2_7B);
    CHECK(paged.bytes(Part::optimizer_states) == 0);
    CHECK(std::llabs((plain.peak - paged.peak) - states) <= 1);
    CHECK(paged.device_used > paged.peak_reserved + states - 2);
}

TEST_CASE("paged states page out under pressure: they count in nvidia-smi, not in the fit", "[estimate]") {
    // Llama-2-7B full, paged 32-bit AdamW (8 B/param = 53,907,324,928 B of states): device used
    // is above an 80 GB card, the rest is not, so it fits and the headroom leaves the states out.
    TrainingConfig c = llama2_full();
    c.optimizer = Optimizer::paged_adamw;
    const Estimate e = run(c);
    const int64_t states = 8 * kLlama2_7B;
    REQUIRE(e.device_used > e.gpu_memory);
    CHECK(e.fits);
    CHECK(e.headroom == e.gpu_memory - (e.device_used - states));
    CHECK(e.headroom >= 0);
}

TEST_CASE("QLoRA: NF4 with double quantization is 0.5 + 1/64 + 4/16384 bytes per linear weight", "[estimate]") {
    // Dettmers et al. 2023 §2: 8-bit absmax per 64 weights + fp32 per 256 absmax blocks.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::qlora;
    c.quant_bits = 4;
    c.double_quant = true;
    const Estimate e = run(c);
    // Linear weights of Llama-2-7B: 32 x (4 x 4096^2 + 3 x 4096 x 11008) = 6,476,005,376.
    const double linear = 6'476'005'376.0;
    CHECK(std::llabs(e.bytes(Part::weights_quantized) - static_cast<int64_t>(linear * (0.5 + 1.0 / 64 + 4.0 / 16384))) <= 1);
    // Embeddings + head + norms (262,410,240) stay unquantized in bf16; under AMP they are fp32
    // (what PEFT's prepare_model_for_kbit_training does before a bf16=True Trainer run).
    CHECK(e.bytes(Part::weights_frozen) == 2 * (kLlama2_7B - 6'476'005'376));
    TrainingConfig amp = c;
    amp.precision = Precision::amp_bf16;
    CHECK(run(amp).bytes(Part::weights_frozen) == 4 * (kLlama2_7B - 6'476'005'376));
    c.double_quant = false;
    const Estimate e2 = run(c);
    CHECK(std::llabs(e2.bytes(Part::weights_quantized) - static_cast<int64_t>(linear * (0.5 + 4.0 / 64))) <= 1);
    c.quant_bits = 8;
    const Estimate e8 = run(c);
    CHECK(e8.bytes(Part::weights_quantized) > static_cast<int64_t>(linear));
    CHECK(e8.bytes(Part::weights_quantized) < static_cast<int64_t>(linear * 1.001));
}

TEST_CASE("QLoRA under FSDP: the 4-bit data shards, its quantization state does not", "[estimate]") {
    // Llama-2-7B, 2 GPUs, FSDP full shard, NF4 without double quantization. The 4-bit data is a
    // parameter: 6,476,005,376 x 0.5 / 2 = 1,619,001,344 B per GPU. bitsandbytes keeps absmax in a
    // QuantState beside it, whole on every rank: 6,476,005,376 x 4 / 64 = 404,750,336 B.
    TrainingConfig c = cfg("llama-2-7b", Method::qlora, Precision::bf16, Framework::hf, 2048);
    c.double_quant = false;
    c.gpus = 2;
    c.zero_stage = 3;
    CHECK(run(c).bytes(Part::weights_quantized) == 1'619'001'344 + 404'750'336);
    // FSDP's CPU offload moves parameters, not the QuantState: only the state stays on the GPU.
    c.offload_params = true;
    CHECK(run(c).bytes(Part::weights_quantized) == 404'750'336);
    // torchao's NF4Tensor (torchtune) shards its scalers with the data, and is always double-
    // quantized: 6,476,005,376 x (0.5 + 1/64 + 4/16384) / 2 = 1,670,385,664.
    c.offload_params = false;
    c.framework = Framework::torchtune;
    CHECK(run(c).bytes(Part::weights_quantized) == 1'670'385'664);
}

TEST_CASE("LoRA adapters: rank x (in + out) per adapted matrix, fp32 under PEFT", "[estimate]") {
    // Llama-2-7B, r = 8 on q and v: 32 layers x 2 x 8 x (4096 + 4096) = 4,194,304 parameters.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    c.lora_rank = 8;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.grad_accum = 2;
    Estimate e = run(c);
    CHECK(e.params.adapters == 4'194'304);
    CHECK(e.params.trainable == 4'194'304);
    CHECK(e.bytes(Part::adapters) == 4 * 4'194'304);
    CHECK(e.bytes(Part::gradients) == 4 * 4'194'304);
    CHECK(e.bytes(Part::optimizer_states) == 8 * 4'194'304);
    CHECK(e.bytes(Part::weights_frozen) == 2 * kLlama2_7B);
    // torchtune keeps adapters in the model dtype (bf16): 2 B weights and grads, 4 B of states.
    c.framework = Framework::torchtune;
    e = run(c);
    CHECK(e.bytes(Part::adapters) == 2 * 4'194'304);
    CHECK(e.bytes(Part::optimizer_states) == 4 * 4'194'304);
}

TEST_CASE("ZeRO stages shard states, then gradients, then parameters", "[estimate]") {
    TrainingConfig c = llama2_full();
    c.gpus = 8;
    c.grad_accum = 2;
    for (int z = 0; z <= 3; ++z) {
        c.zero_stage = z;
        const Estimate e = run(c);
        INFO("zero " << z);
        CHECK(e.bytes(Part::optimizer_states) == (z >= 1 ? 8 * kLlama2_7B / 8 : 8 * kLlama2_7B));
        CHECK(e.bytes(Part::master_weights) == (z >= 1 ? 4 * kLlama2_7B / 8 : 4 * kLlama2_7B));
        CHECK(e.bytes(Part::gradients) == (z >= 2 ? 2 * kLlama2_7B / 8 : 2 * kLlama2_7B));
        CHECK(e.bytes(Part::weights_trainable) == (z >= 3 ? 2 * kLlama2_7B / 8 : 2 * kLlama2_7B));
    }
}

TEST_CASE("eager attention adds the s^2 softmax in fp32 plus its 16-bit copy", "[estimate]") {
    // Per layer per sample: heads x s^2 x 6 B = 32 x 512^2 x 6 = 50,331,648 B; x 32 layers. Its
    // output is a plain matmul result nobody keeps, unlike SDPA's: - 2 B x 4096 x 512 = 4,194,304 B
    // per layer.
    TrainingConfig c = llama2_full();
    c.grad_checkpointing = Checkpointing::none;
    c.attention = Attention::sdpa;
    const Estimate sdpa = run(c);
    c.attention = Attention::eager;
    const Estimate eager = run(c);
    const int fw = static_cast<int>(Phase::forward);
    CHECK(eager.phase_peak[fw] - sdpa.phase_peak[fw] == 32LL * (50'331'648 - 4'194'304));
    // fp32: the softmax output is the matmul's input itself, 4 B per score: 32 x 512^2 x 4
    // = 33,554,432 B, less SDPA's fp32 output 4 x 4096 x 512 = 8,388,608 B, per layer.
    c.precision = Precision::fp32;
    c.attention = Attention::sdpa;
    const Estimate sdpa32 = run(c);
    c.attention = Attention::eager;
    CHECK(run(c).phase_peak[fw] - sdpa32.phase_peak[fw] == 32LL * (33'554'432 - 8'388'608));
}

TEST_CASE("offloading the optimizer moves states and master weights to CPU RAM", "[estimate]") {
    TrainingConfig c = llama2_full();
    c.offload_optimizer = true;
    const Estimate e = run(c);
    CHECK(e.bytes(Part::optimizer_states) == 0);
    CHECK(e.bytes(Part::master_weights) == 0);
    // states 8 + master 4 + fp32 gradients 4 = 16 B per parameter on the host (ZeRO-Offload).
    CHECK(e.cpu_bytes == 16 * kLlama2_7B);
}

TEST_CASE("freezing the bottom layers keeps no activations below the lowest trained layer", "[estimate]") {
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::freeze;
    c.grad_checkpointing = Checkpointing::none;
    c.train_layer_begin = 0;
    const Estimate all = run(c);
    c.train_layer_begin = 24;   // last 8 layers
    const Estimate top = run(c);
    const int fw = static_cast<int>(Phase::forward);
    // Weights only move between trainable and frozen; the optimizer states shrink with the
    // trainable set, and 24 layers x 2048 tokens x 194,560 B of saved activations disappear (the
    // full-fine-tune layer of "the backward phase holds ...", trained norms included).
    CHECK(all.phase_peak[fw] - top.phase_peak[fw] - (all.bytes(Part::optimizer_states) - top.bytes(Part::optimizer_states)) ==
          24LL * 2048 * 194'560);
}

TEST_CASE("the three totals are ordered and the allocated parts sum to the peak", "[estimate]") {
    for (const ModelEntry& m : models()) {
        for (Method meth : {Method::full, Method::lora, Method::qlora, Method::freeze}) {
            TrainingConfig c;
            c.model.id = m.arch.id;
            c.method = meth;
            if (meth == Method::freeze) c.train_layer_begin = 0;
            const Result<Estimate> r = estimate(c);
            INFO(m.arch.id << " " << name_of(meth) << " " << r.error);
            REQUIRE(r);
            const Estimate& e = *r.value;
            CHECK(allocated_sum(e) == e.peak);
            CHECK(e.peak > 0);
            CHECK(e.peak <= e.peak_reserved);
            CHECK(e.peak_reserved < e.device_used);
            CHECK(e.fits == (e.device_used <= e.gpu_memory));
            for (const auto& p : part_table()) CHECK(e.bytes(p.part) >= 0);
            CHECK(std::isfinite(e.time_hours));
            CHECK(e.time_hours > 0);
            CHECK(std::isfinite(e.cost_usd));
            CHECK(e.cost_usd >= 0);
            CHECK(!e.assumptions.empty());
        }
    }
}

TEST_CASE("fewest GPUs: that count fits and one fewer does not", "[estimate]") {
    TrainingConfig c;
    c.model.id = "llama-3.1-70b";
    c.method = Method::full;
    c.precision = Precision::bf16_mixed;
    c.grad_checkpointing = Checkpointing::full;
    const Estimate e = run(c);
    CHECK_FALSE(e.fits);
    REQUIRE(e.gpus_needed > 1);
    CHECK(!e.suggestions.empty());
    // The fewest-GPUs answer is gpus_needed, not a suggestion that says it again.
    for (const auto& sg : e.suggestions) {
        INFO(sg);
        CHECK(sg.find("use " + std::to_string(e.gpus_needed) + " GPUs") == std::string::npos);
    }
    TrainingConfig at = c;
    at.gpus = e.gpus_needed;
    at.zero_stage = e.gpus_needed_zero;
    CHECK(run(at).fits);
    at.gpus = e.gpus_needed - 1;
    CHECK_FALSE(run(at).fits);
}

// 1e9 tokens of Llama-2-7B, seq 512, no checkpointing, 50 % MFU: FLOPs/token = 6 x 6,738,415,616 +
// 12 x 32 layers x 512 x 4096 = 40,430,493,696 + 805,306,368 = 41,235,800,064.
namespace {
TrainingConfig llama2_timed() {
    TrainingConfig c = llama2_full();
    c.grad_checkpointing = Checkpointing::none;
    c.mfu = 0.5;
    c.tokens = 1e9;
    return c;
}
}  // namespace

TEST_CASE("time: 6N FLOPs per token for full training at the chosen MFU", "[estimate]") {
    // H100 SXM bf16 dense 989 TFLOP/s x 50 % MFU -> 11,992.49 tokens/s -> 23.16 h.
    TrainingConfig c = llama2_timed();
    c.price_per_gpu_hour = 2;
    const Estimate e = run(c);
    CHECK(e.flops_per_token == Approx(41'235'800'064.0));
    const double hours = 1e9 / (989e12 * 0.5 / 41'235'800'064.0) / 3600;
    CHECK(e.time_hours == Approx(hours));
    CHECK(e.cost_usd == Approx(hours * 2));
    // energy: 700 W x 0.8 x PUE 1.3 per GPU-hour
    CHECK(e.energy_kwh == Approx(hours * 700 * 0.8 * 1.3 / 1000));
}

TEST_CASE("time: a GPU without a compute figure gives no time until --tflops names its peak", "[estimate]") {
    // The A10G's catalog entry has no TFLOPS (AWS publishes none). The same run as above
    // (41,235,800,064 FLOPs per token) on it: unknown, not "0.0 h".
    TrainingConfig c = llama2_timed();
    c.gpu_id = "a10g-24gb";
    c.price_per_gpu_hour = 1;
    const Estimate none = run(c);
    CHECK_FALSE(none.time_known());
    CHECK(none.peak_tflops == 0);
    CHECK(none.time_hours == 0);
    CHECK(none.cost_usd == 0);
    CHECK(std::any_of(none.assumptions.begin(), none.assumptions.end(),
                      [](const std::string& s) { return s.find("--tflops") != std::string::npos; }));
    // --tflops 125: 125e12 x 0.5 / 41,235,800,064 = 1,515.67 tokens/s -> 183.27 h; 300 W x 0.8 x 1.3.
    c.peak_tflops = 125;
    const Estimate set = run(c);
    REQUIRE(set.time_known());
    CHECK(set.tokens_per_second == Approx(1515.673).epsilon(1e-5));
    CHECK(set.time_hours == Approx(183.2702).epsilon(1e-5));
    CHECK(set.cost_usd == Approx(183.2702).epsilon(1e-5));
    CHECK(set.energy_kwh == Approx(183.2702 * 300 * 0.8 * 1.3 / 1000).epsilon(1e-5));
    // It replaces a catalog figure too: the H100's 989 -> 500 scales the time by 989 / 500.
    c.gpu_id = "h100-sxm-80gb";
    c.peak_tflops = 0;
    const double h100 = run(c).time_hours;
    c.peak_tflops = 500;
    CHECK(run(c).time_hours == Approx(h100 * 989 / 500));
    // The GB200 has a compute figure but no TDP in the catalog: time yes, energy unknown.
    c.gpu_id = "gb200-per-gpu";
    const Estimate gb = run(c);
    CHECK(gb.time_known());
    CHECK_FALSE(gb.energy_known());
    CHECK(set.energy_known());
    // Out of range is refused, not estimated.
    c.peak_tflops = -1;
    CHECK(rejected(c));
}

TEST_CASE("impossible configurations give one clear error", "[estimate]") {
    TrainingConfig c;
    c.tp = 3;
    c.gpus = 3;
    Result<Estimate> r = estimate(c);
    REQUIRE_FALSE(r);
    CHECK(r.error.find("--tp 3") != std::string::npos);
    CHECK(r.error.find("1, 2, 4, 8") != std::string::npos);
    c = TrainingConfig{};
    c.seq_len = 0;
    CHECK_FALSE(estimate(c));
    c = TrainingConfig{};
    c.model.id = "llama-3.1-8c";
    r = estimate(c);
    REQUIRE_FALSE(r);
    CHECK(r.error.find("llama-3.1-8b") != std::string::npos);
    c = TrainingConfig{};
    c.zero_stage = 3;   // ZeRO-3 on one GPU is fine
    CHECK(estimate(c));
    c = TrainingConfig{};
    c.precision = Precision::fp8_mixed;
    c.gpu_id = "a100-sxm-80gb";
    CHECK_FALSE(estimate(c));
}

TEST_CASE("a bare parameter count is taken exactly", "[estimate]") {
    TrainingConfig c;
    c.model.kind = ModelKind::params;
    c.model.params_total = 7'000'000'000;
    CHECK(run(c).params.total == 7'000'000'000);
    c.model.params_total = 235'000'000'000;
    c.model.params_active = 22'000'000'000;
    c.model.params_shared = 7'800'000'000;
    const Estimate e = run(c);
    CHECK(e.params.total == 235'000'000'000);
    CHECK(e.params.active == Approx(22e9).epsilon(0.02));
}

TEST_CASE("LitGPT FSDP LoRA keeps sharded gradients for the frozen weights of each Block", "[estimate]") {
    // Llama-2-7B, LoRA r=8 on q,v (4,194,304 params, bf16 under LitGPT), 2 GPUs, FSDP full shard,
    // no accumulation: adapter grads 4,194,304 x 2 B / 2 + the Blocks' frozen flat-parameter
    // grads (6,738,415,616 - 2 x 131,072,000 embedding and head = 6,476,271,616) x 2 B / 2.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    c.lora_rank = 8;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.framework = Framework::litgpt;
    c.gpus = 2;
    c.zero_stage = 3;
    c.seq_len = 1;   // so that the peak phase is the one with every gradient alive
    c.grad_accum = 1;
    CHECK(run(c).bytes(Part::gradients) == 4'194'304 + 6'476'271'616);
    // Accumulating (grad_accum 2): FSDP no_sync keeps them unsharded, twice as much.
    c.grad_accum = 2;
    CHECK(run(c).bytes(Part::gradients) == 2 * (4'194'304 + 6'476'271'616));
    c.framework = Framework::hf;   // PEFT's fsdp_auto_wrap_policy puts adapters in units of their own
    CHECK(run(c).bytes(Part::gradients) == 4 * 4'194'304 / 2);
}

TEST_CASE("LitGPT FSDP full fine-tuning accumulates unsharded gradients under no_sync", "[estimate]") {
    // Llama-2-7B full, bf16, 4 GPUs FSDP: 6,738,415,616 x 2 B / 4 per rank without accumulation;
    // with grad_accum 4 every rank holds the whole bf16 gradient, 13,476,831,232 B.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::full;
    c.framework = Framework::litgpt;
    c.gpus = 4;
    c.zero_stage = 3;
    c.seq_len = 1;   // so that the peak phase is the one with every gradient alive
    CHECK(run(c).bytes(Part::gradients) == 2 * kLlama2_7B / 4);
    c.grad_accum = 4;
    CHECK(run(c).bytes(Part::gradients) == 2 * kLlama2_7B);
    c.framework = Framework::torchtune;   // FSDP2 reduce-scatters every micro-batch
    CHECK(run(c).bytes(Part::gradients) == 2 * kLlama2_7B / 4);
}

TEST_CASE("ZeRO-3 under pipeline parallelism keeps stage weights and gradients gathered", "[estimate]") {
    // 4 GPUs = 2 pipeline stages x 2 data-parallel ranks: each stage holds P/2 parameters;
    // weights and gradients stay whole on the stage (2 B each), states and master shard over 2.
    TrainingConfig c = llama2_full();
    c.gpus = 4;
    c.pp = 2;
    c.zero_stage = 3;
    c.grad_accum = 4;
    const Estimate e = run(c);
    CHECK(e.bytes(Part::weights_trainable) == 2 * kLlama2_7B / 2);
    CHECK(e.bytes(Part::gradients) == 2 * kLlama2_7B / 2);
    CHECK(e.bytes(Part::optimizer_states) == 8 * kLlama2_7B / 2 / 2);
    CHECK(e.bytes(Part::master_weights) == 4 * kLlama2_7B / 2 / 2);
}

TEST_CASE("foreach AdamW allocates one state-sized temporary in the optimizer step", "[estimate]") {
    // torch.optim.AdamW (foreach): exp_avg_sq.sqrt() for all parameters at once. Pure bf16,
    // HF framework: weights 2P + grads 2P + states 4P + temporary 2P = 10P at the step.
    TrainingConfig c = llama2_full();
    c.precision = Precision::bf16;
    c.framework = Framework::hf;
    const Estimate e = run(c);
    CHECK(e.phase_peak[static_cast<int>(Phase::optimizer)] == 10 * kLlama2_7B);
    c.framework = Framework::torchtune;   // fused step: no temporary
    CHECK(run(c).phase_peak[static_cast<int>(Phase::optimizer)] == 8 * kLlama2_7B);
}

TEST_CASE("the optimizer step's temporaries follow its implementation", "[estimate]") {
    // Pure bf16 Llama-2-7B under HF: weights 2P + grads 2P + states 4P = 8P at the step, plus
    //   foreach: sqrt(exp_avg_sq) for every parameter, 2P;
    //   for-loop (foreach=False, transformers' AdamW): one tensor's temporary, the largest matrix
    //     (the 32000 x 4096 embedding) x 4 B = 524,288,000 B;
    //   fused: none.
    TrainingConfig c = llama2_full();
    c.precision = Precision::bf16;
    c.framework = Framework::hf;
    const int opt = static_cast<int>(Phase::optimizer);
    c.optimizer_impl = OptimizerImpl::for_loop;
    CHECK(run(c).phase_peak[opt] == 8 * kLlama2_7B + 524'288'000);
    c.optimizer_impl = OptimizerImpl::fused;
    CHECK(run(c).phase_peak[opt] == 8 * kLlama2_7B);
    c.framework = Framework::torchtune;   // its default is fused; forcing foreach brings the 2P back
    c.optimizer_impl = OptimizerImpl::foreach;
    CHECK(run(c).phase_peak[opt] == 10 * kLlama2_7B);
    c.optimizer = Optimizer::adamw_8bit;   // bitsandbytes steps in place, whatever the setting
    CHECK(run(c).bytes(Part::optimizer_temp) == 0);

    // Where foreach's temporary is what breaks the card, a fused step is the first suggestion:
    // 15.5B parameters in pure bf16 on an H200 (140.4 GiB): 10P = 144.4 GiB at the step, 8P fits.
    TrainingConfig big;
    big.model.kind = ModelKind::params;
    big.model.params_total = 15'500'000'000;
    big.method = Method::full;
    big.precision = Precision::bf16;
    big.grad_checkpointing = Checkpointing::full;
    big.seq_len = 512;
    big.gpu_id = "h200-sxm-141gb";
    const Estimate e = run(big);
    REQUIRE_FALSE(e.fits);
    CHECK(e.peak_phase == Phase::optimizer);
    REQUIRE_FALSE(e.suggestions.empty());
    CHECK(e.suggestions.front().find("fused AdamW step") != std::string::npos);
    big.optimizer_impl = OptimizerImpl::fused;
    CHECK(run(big).fits);
}

TEST_CASE("zero_grad(set_to_none=False) keeps the gradients through forward and backward", "[estimate]") {
    // llama2_full, one micro-batch. With set_to_none (the default) the forward end holds
    // weights 2P + states 8P + master 4P + checkpoints + logits, and the backward peak is its end:
    // 16P + one recomputed layer (99,614,720 B). Zeroed in place, the 2P of bf16 gradients exist
    // from the start, so the forward end is 2P higher and backward peaks at its start:
    // 16P + checkpoints 512 x 4096 x 2 B x 32 layers (134,217,728) + the recomputed layer
    // + logits 512 x 32000 x 8 B (131,072,000).
    TrainingConfig c = llama2_full();
    const Estimate freed = run(c);
    CHECK(freed.peak == 16 * kLlama2_7B + 99'614'720);
    c.grads_set_to_none = false;
    const Estimate kept = run(c);
    const int fwd = static_cast<int>(Phase::forward);
    CHECK(kept.phase_peak[fwd] - freed.phase_peak[fwd] == 2 * kLlama2_7B);
    CHECK(kept.peak_phase == Phase::backward);
    CHECK(kept.peak == 16 * kLlama2_7B + 134'217'728 + 99'614'720 + 131'072'000);
    // Where that is what breaks the card, freeing them is the first suggestion: BERT-large fp32
    // at 5 x 512 tokens on a T4 (15 GiB) fits only without the 1.34 GB of held gradients.
    TrainingConfig b = cfg("bert-large-uncased", Method::full, Precision::fp32, Framework::hf, 512);
    b.task = Task::classification;
    b.attention = Attention::eager;
    b.micro_batch = 5;
    b.gpu_id = "t4-16gb";
    b.grads_set_to_none = false;
    const Estimate held = run(b);
    REQUIRE_FALSE(held.fits);
    REQUIRE_FALSE(held.suggestions.empty());
    CHECK(held.suggestions.front().find("zero_grad(set_to_none=True)") != std::string::npos);
    b.grads_set_to_none = true;
    CHECK(run(b).fits);
    // Accumulating micro-batches hold the gradients anyway: no difference there.
    c.grad_accum = 4;
    const int64_t accum_kept = run(c).peak;
    c.grads_set_to_none = true;
    CHECK(run(c).peak == accum_kept);
}

TEST_CASE("Unsloth trains embedding and head copies in fp32 under fp16 and moves the originals to CPU", "[estimate]") {
    // Mistral-7B v0.3: embedding and lm_head are 32768 x 4096 = 134,217,728 parameters each.
    // PEFT's modules_to_save keeps both frozen originals on the GPU beside 16-bit trained copies;
    // Unsloth moves the originals to CPU RAM (2 x 134,217,728 x 2 B = 536,870,912 B) and, on an
    // fp16 GPU (T4), trains the copies in fp32: weights 1,073,741,824 B and gradients of the same size.
    TrainingConfig c = cfg("mistral-7b-v0.3", Method::qlora, Precision::fp16_mixed, Framework::hf, 512);
    c.train_embeddings = true;
    c.train_lm_head = true;
    c.optimizer = Optimizer::adamw_8bit;
    c.grad_checkpointing = Checkpointing::full;
    c.grad_accum = 2;   // gradients held through the step, so the peak shows all of them
    const Estimate peft = run(c);
    CHECK(peft.bytes(Part::weights_trainable) == 536'870'912);
    c.framework = Framework::unsloth;
    const Estimate uns = run(c);
    CHECK(uns.bytes(Part::weights_trainable) == 1'073'741'824);
    CHECK(peft.bytes(Part::weights_frozen) - uns.bytes(Part::weights_frozen) == 536'870'912);
    CHECK(uns.bytes(Part::gradients) - peft.bytes(Part::gradients) == 536'870'912);
    CHECK(uns.cpu_bytes - peft.cpu_bytes == 536'870'912);
    // On a bf16 GPU the copies stay in bf16; the originals still leave.
    c.precision = Precision::bf16;
    CHECK(run(c).bytes(Part::weights_trainable) == 536'870'912);
}

TEST_CASE("DDP keeps a second gradient-sized bucket buffer", "[estimate]") {
    // 2 GPUs, no ZeRO: backward end = weights 2P + states 8P + master 4P + grads 2P
    //   + buckets 2P + the recomputed layer 99,614,720 B.
    TrainingConfig c = llama2_full();
    c.gpus = 2;
    CHECK(run(c).peak == 18 * kLlama2_7B + 99'614'720);
}

TEST_CASE("ZeRO-3 gathers the current and the next layer, and one layer's gradients", "[estimate]") {
    // 2 GPUs, ZeRO-3: weights P, grads P, states 4P, master 2P per GPU; one layer's 16-bit
    // weights = 2P / 32 layers = 421,150,976 B; backward keeps 3 of them (current, prefetched,
    // unsharded gradients) = 1,263,452,928 B; + the recomputed layer.
    TrainingConfig c = llama2_full();
    c.gpus = 2;
    c.zero_stage = 3;
    const Estimate e = run(c);
    CHECK(e.peak == 8 * kLlama2_7B + 1'263'452'928 + 99'614'720);
    // The all-gather stream's pool: about two gathered layers more reserved than allocated.
    CHECK(e.peak_reserved - e.peak > 2 * 421'150'976);
}

TEST_CASE("FSDP mixed precision shards fp32 parameters and fp32 gradients, no 16-bit shard", "[estimate]") {
    // 2 GPUs, PyTorch FSDP with param_dtype bf16 (torchtitan's MixedPrecisionPolicy): per GPU the
    // fp32 shard 4P/2 (the master weights), fp32 gradient shards 4P/2, AdamW moments 8P/2, and no
    // bf16 shard (DeepSpeed's 2P/2). Backward end: 8P + three gathered bf16 layers
    // (3 x 421,150,976) + the root unit in bf16 (embedding + lm_head, 2 x 131,072,000 x 2 B =
    // 524,288,000) + the lm_head's unsharded bf16 gradient (262,144,000) + the recomputed layer.
    TrainingConfig c = llama2_full();
    c.framework = Framework::pytorch;
    c.gpus = 2;
    c.zero_stage = 3;
    const Estimate e = run(c);
    CHECK(e.bytes(Part::weights_trainable) == 0);
    CHECK(e.bytes(Part::master_weights) == 2 * kLlama2_7B);
    CHECK(e.bytes(Part::gradients) == 2 * kLlama2_7B);
    CHECK(e.bytes(Part::optimizer_states) == 4 * kLlama2_7B);
    CHECK(e.peak == 8 * kLlama2_7B + 1'263'452'928 + 524'288'000 + 262'144'000 + 99'614'720);
    CHECK(e.phase_peak[static_cast<int>(Phase::optimizer)] == 8 * kLlama2_7B);

    // LitGPT LoRA under Fabric's bf16-mixed FSDP: the frozen base stays fp32 (4P / 2 per GPU), and
    // the Blocks' flat gradients cover their frozen weights in fp32 too: (P - embedding - lm_head)
    // = 6,476,271,616 params / 2 x 4 B = 12,952,543,232 B, beside the adapters' fp32 gradients.
    TrainingConfig lit = c;
    lit.framework = Framework::litgpt;
    lit.method = Method::lora;
    const Estimate l = run(lit);
    CHECK(l.bytes(Part::weights_frozen) == 2 * kLlama2_7B);
    CHECK(l.bytes(Part::gradients) == 2 * l.params.adapters + 12'952'543'232);
}

TEST_CASE("FSDP parameter offload takes the optimizer states along, DeepSpeed's does not", "[estimate]") {
    // 2 GPUs, ZeRO-3 with parameter offload only. PyTorch FSDP (mixed precision): the fp32 shards
    // (2P per GPU) and the AdamW moments (4P per GPU) go to the CPU with the parameters, next to
    // the offloaded gradient shards (2P): 8P on the host. DeepSpeed's offload_param keeps the
    // moments and the fp32 master on the GPU (4P + 2P) and offloads the bf16 shards and gradients.
    TrainingConfig c = llama2_full();
    c.gpus = 2;
    c.zero_stage = 3;
    c.offload_params = true;
    c.framework = Framework::pytorch;
    const Estimate fsdp = run(c);
    CHECK(fsdp.bytes(Part::optimizer_states) == 0);
    CHECK(fsdp.bytes(Part::master_weights) == 0);
    CHECK(fsdp.cpu_bytes == 8 * kLlama2_7B);
    c.framework = Framework::deepspeed;
    const Estimate ds = run(c);
    CHECK(ds.bytes(Part::optimizer_states) == 4 * kLlama2_7B);
    CHECK(ds.bytes(Part::master_weights) == 2 * kLlama2_7B);
    CHECK(ds.cpu_bytes == 2 * kLlama2_7B);
}

TEST_CASE("Megatron accumulates gradients in fp32 main_grad buffers", "[estimate]") {
    TrainingConfig c = llama2_full();
    c.framework = Framework::megatron;
    c.grad_accum = 2;
    CHECK(run(c).bytes(Part::gradients) == 4 * kLlama2_7B);
}

TEST_CASE("LitGPT keeps lm_head apart from a tied embedding and quantizes it under QLoRA", "[estimate]") {
    // Llama-3.2-1B ties lm_head to the embedding: 1,235,814,400 params in HF. LitGPT's GPT has an
    // nn.Linear lm_head of its own: + 128,256 x 2,048 = 262,668,288 -> 1,498,482,688.
    TrainingConfig c;
    c.model.id = "llama-3.2-1b";
    c.method = Method::lora;
    c.precision = Precision::bf16;
    c.framework = Framework::litgpt;
    Estimate e = run(c);
    CHECK(e.params.total == 1'498'482'688);
    CHECK(e.params.active == 1'498'482'688);
    CHECK(e.bytes(Part::weights_frozen) == 2 * 1'498'482'688LL);
    c.framework = Framework::hf;
    CHECK(run(c).params.total == 1'235'814'400);
    // QLoRA: the 16 layers' linears (973,078,528) and lm_head (262,668,288) in NF4 at 0.5625 B
    // = 695,107,584 B; embedding + norms (262,668,288 + 67,584) stay bf16 = 525,471,744 B. The
    // widest dequantized matrix is lm_head, as fp16 + its bf16 cast: 4 B x 262,668,288.
    c.framework = Framework::litgpt;
    c.method = Method::qlora;
    c.quant_bits = 4;
    c.double_quant = false;
    e = run(c);
    CHECK(e.bytes(Part::weights_quantized) == 695'107'584);
    CHECK(e.bytes(Part::weights_frozen) == 525'471'744);
    CHECK(e.bytes(Part::buffers) == 4 * 262'668'288LL);
}

TEST_CASE("Gemma 2 soft-capping: LitGPT's explicit attention keeps s^2 scores, tanh keeps a logits copy", "[estimate]") {
    // Gemma-2-2B under LitGPT, LoRA, 512 tokens, bf16, SDPA requested. Soft-capped scores cannot
    // go through torch SDPA: per layer 8 heads x 512 x 512 x (fp32 softmax 4 + bf16 copy 2 + tanh
    // output 2) = 16,777,216 B, x 26 layers = 436,207,616 B more activations than without the cap,
    // less SDPA's kept output, which the explicit path does not keep: 2 B x 8 heads x 256 x 512
    // x 26 = 54,525,952 B -> 381,681,664 B.
    // Final-logit capping keeps tanh's bf16 output: + 512 x 256,000 x 2 = 262,144,000 B of logits.
    const ModelEntry* g = find_model("gemma-2-2b");
    REQUIRE(g != nullptr);
    REQUIRE(g->arch.attn_softcap);
    REQUIRE(g->arch.final_softcap);
    TrainingConfig c;
    c.model.kind = ModelKind::architecture;
    c.model.arch = g->arch;
    c.method = Method::lora;
    c.precision = Precision::bf16;
    c.framework = Framework::litgpt;
    c.seq_len = 512;
    const Estimate capped = run(c);
    c.model.arch.attn_softcap = false;
    c.model.arch.final_softcap = false;
    const Estimate plain = run(c);
    CHECK(capped.bytes(Part::activations) - plain.bytes(Part::activations) == 381'681'664);
    CHECK(capped.bytes(Part::logits) - plain.bytes(Part::logits) == 262'144'000);
    // HF with SDPA simply drops the attention cap (no s^2 term); the logits cap stays.
    c.framework = Framework::hf;
    const Estimate hf_plain = run(c);
    c.model.arch.attn_softcap = true;
    CHECK(run(c).bytes(Part::activations) == hf_plain.bytes(Part::activations));
}

TEST_CASE("DTensor tensor parallelism keeps the gathered norm outputs whole, Megatron keeps the shard", "[estimate]") {
    // Llama-2-7B, TP 2, no checkpointing, 8192 tokens, bf16 compute. Per token per layer: two fp32
    // RMSNorm inputs 8h + two bf16 norm outputs 4h + q, k, v, attention output 8h + o_proj's
    // input copy 2h + gated MLP (gate, silu, up, silu*up) 8i = 22 x 4096 + 8 x 11008 = 178,176 B;
    // / TP 2 x 8192 x 32 layers = 23,353,884,672 B. Backward working set: 2 x b*s*i x 2 B / TP
    // = 180,355,072 B. (At this length backward peaks at its start, above Megatron's fp32
    // gradients at its end.)
    // PyTorch TP saves the all-gathered norm outputs whole on each rank: + 4h x (1 - 1/2) x 8192 x 32
    // = 2,147,483,648 B; and its eager nn.RMSNorm keeps the 16-bit x_normed its trained weight
    // multiplies (Megatron's fused norm does not): + 4h / TP 2 x 8192 x 32 = 2,147,483,648 B.
    TrainingConfig c = llama2_full();
    c.grad_checkpointing = Checkpointing::none;
    c.seq_len = 8192;
    c.gpus = 2;
    c.tp = 2;
    c.framework = Framework::megatron;
    const Estimate mega = run(c);
    REQUIRE(mega.peak_phase == Phase::backward);
    CHECK(mega.bytes(Part::activations) == 23'353'884'672 + 180'355'072);
    c.framework = Framework::pytorch;
    const Estimate dtensor = run(c);
    REQUIRE(dtensor.peak_phase == Phase::backward);
    CHECK(dtensor.bytes(Part::activations) == 23'353'884'672 + 180'355'072 + 2 * 2'147'483'648LL);
}

TEST_CASE("FSDP2 under pipeline parallelism accumulates unsharded gradients in fp32", "[estimate]") {
    // Llama-2-7B, 4 GPUs as PP 2 x DP 2, ZeRO-3, bf16-mixed, 4 micro-batches. Each stage keeps its
    // 6,738,415,616 / 2 weights gathered; torchtitan's schedule syncs gradients on the last
    // micro-batch only and FSDP2 accumulates them unsharded in fp32: 4 B x P / 2 = 2 x P.
    TrainingConfig c = llama2_full();
    c.gpus = 4;
    c.pp = 2;
    c.zero_stage = 3;
    c.grad_accum = 4;
    c.framework = Framework::pytorch;
    CHECK(run(c).bytes(Part::gradients) == 2 * kLlama2_7B);
    // DeepSpeed-style accounting keeps them in bf16: 2 B x P / 2.
    c.framework = Framework::deepspeed;
    CHECK(run(c).bytes(Part::gradients) == kLlama2_7B);
}

TEST_CASE("PyTorch FSDP keeps the root unit gathered, DeepSpeed ZeRO-3 does not", "[estimate]") {
    // Llama-2-7B, 2 GPUs, ZeRO-3, bf16-mixed. The root unit = embeddings + lm_head (the final norm
    // is 4,096 weights, not counted) = 2 x 32000 x 4096 = 262,144,000 params, gathered in bf16:
    // 524,288,000 B through forward and backward. In backward also the lm_head's unsharded bf16
    // gradient, 131,072,000 x 2 = 262,144,000 B. Backward peaks at its end here (the sharded
    // gradients, 6.7 GB, outweigh the checkpoints and logits of 512 tokens), where DeepSpeed holds
    // no separate lm_head gradient either.
    TrainingConfig c = llama2_full();
    c.gpus = 2;
    c.zero_stage = 3;
    const Estimate ds = run(c);
    c.framework = Framework::hf;   // HF Trainer + accelerate FSDP; same logits and adapters as DeepSpeed
    const Estimate fsdp = run(c);
    auto phase = [](const Estimate& e, Phase p) { return e.phase_peak[static_cast<int>(p)]; };
    // FSDP mixed precision keeps only the fp32 shards, where DeepSpeed keeps a bf16 shard beside its
    // fp32 master: 2 B x P / 2 = 6,738,415,616 B less at the forward end.
    CHECK(phase(fsdp, Phase::forward) - phase(ds, Phase::forward) == 524'288'000 - kLlama2_7B);
    CHECK(phase(fsdp, Phase::backward) - phase(ds, Phase::backward) == 524'288'000 + 262'144'000);
    // A tied head (Llama-3.2-1B): the root is the embedding, 128,256 x 2,048 = 262,668,288 params,
    // 525,336,576 B gathered; its gradient (the tied head's) as much again in backward.
    TrainingConfig tied = llama2_full();
    tied.model.id = "llama-3.2-1b";
    tied.gpus = 2;
    tied.zero_stage = 3;
    const Estimate tds = run(tied);
    tied.framework = Framework::hf;
    const Estimate tfsdp = run(tied);
    // less the bf16 shard of 1,235,814,400 params / 2: 1,235,814,400 B
    CHECK(phase(tfsdp, Phase::forward) - phase(tds, Phase::forward) == 525'336'576 - 1'235'814'400);
    CHECK(phase(tfsdp, Phase::backward) - phase(tds, Phase::backward) == 2 * 525'336'576LL);
    // Under pipeline parallelism every stage's weights stay gathered already: no root term.
    c.gpus = 4;
    c.pp = 2;
    const Estimate pp_fsdp = run(c);
    c.framework = Framework::deepspeed;
    CHECK(phase(pp_fsdp, Phase::forward) == phase(run(c), Phase::forward));
}

TEST_CASE("optimizer offload: ZeRO-Offload streams gradient buckets, Megatron keeps its main_grad buffer", "[estimate]") {
    // DeepSpeed ZeRO-Offload: only the reduce buckets (5e8 elements x 2 B) stay on the GPU.
    TrainingConfig c = llama2_full();
    c.offload_optimizer = true;
    CHECK(run(c).bytes(Part::gradients) == 1'000'000'000);
    CHECK(run(c).bytes(Part::optimizer_states) == 0);
    // Megatron's HybridDeviceOptimizer: fp32 main_grad for every parameter, 4 B x 6,738,415,616.
    c.framework = Framework::megatron;
    c.grad_accum = 2;
    CHECK(run(c).bytes(Part::gradients) == 4 * kLlama2_7B);
    CHECK(run(c).bytes(Part::optimizer_states) == 0);
}

TEST_CASE("expert parallelism splits routed experts, the rest is replicated", "[estimate]") {
    // Mixtral-8x7B: 46,702,792,704 params, of which routed experts 32 x 8 x 3 x 4096 x 14336
    // = 45,097,156,608. 8 GPUs, EP 8, ZeRO-1: weights per GPU = 2 B x (1,605,636,096 + 45,097,156,608 / 8).
    TrainingConfig c;
    c.model.id = "mixtral-8x7b";
    c.method = Method::full;
    c.precision = Precision::bf16_mixed;
    c.gpus = 8;
    c.ep = 8;
    c.zero_stage = 1;
    const Estimate e = run(c);
    CHECK(e.bytes(Part::weights_trainable) == 2 * (1'605'636'096 + 45'097'156'608 / 8));
    // Optimizer states shard over all 8 ranks either way: dense / 8 + experts / 8 / (8 / 8).
    CHECK(e.bytes(Part::optimizer_states) == 8 * 46'702'792'704 / 8);
}

TEST_CASE("selective recomputation follows torchtitan's op-level policy: every other matmul output and attention's", "[estimate]") {
    // Llama-2-7B per token per layer (h = q = kv = 4096, i = 11008), SDPA: the block input 2h = 8,192
    // + the 1st, 3rd, 5th and 7th matmul outputs q, v, gate, down: 2 x (4096 + 4096 + 11008 + 4096)
    // = 46,592 + SDPA's output 2 x 4096 and fp32 logsumexp 4 x 32 heads = 8,320 -> 63,104 B;
    // x 512 tokens x 32 layers = 1,033,895,936 B.
    TrainingConfig c = llama2_full();
    c.grad_checkpointing = Checkpointing::selective;
    const int fw = static_cast<int>(Phase::forward);
    CHECK(run(c).phase_peak[fw] == 14 * kLlama2_7B + 1'033'895'936 + 131'072'000);
    // Compiled, the partitioner keeps only what backward reads: down's output (read by the
    // residual add alone) goes, 2 x 4096 x 512 x 32 = 134,217,728 B.
    c.compile = true;
    CHECK(run(c).phase_peak[fw] == 14 * kLlama2_7B + 1'033'895'936 - 134'217'728 + 131'072'000);
    // Backward recomputes the unsaved k, o and up: 2 x 32 x (4096^2 + 4096^2 + 4096 x 11008)
    // = 5,033,164,800 FLOPs per token more than without checkpointing.
    const double selective = run(c).flops_per_token;
    c.grad_checkpointing = Checkpointing::none;
    CHECK(selective - run(c).flops_per_token == Approx(5'033'164'800.0));
}

TEST_CASE("Megatron's selective recompute drops only the core attention", "[estimate]") {
    // --recompute-granularity selective recomputes core attention: against no checkpointing, SDPA's
    // own output (2 x 4096 B per token per layer) is not kept: 512 x 32 x 8,192 = 134,217,728 B.
    TrainingConfig c = llama2_full();
    c.framework = Framework::megatron;
    c.grad_checkpointing = Checkpointing::none;
    const int fw = static_cast<int>(Phase::forward);
    const int64_t none = run(c).phase_peak[fw];
    c.grad_checkpointing = Checkpointing::selective;
    CHECK(none - run(c).phase_peak[fw] == 134'217'728);
}

TEST_CASE("fused kernels (torch.compile) keep 16-bit norm inputs and only gate and up", "[estimate]") {
    // Saves per token per layer 2 norms x 2h (fp32 -> 16-bit inputs) + 2 x 11008 (silu output)
    // = 16,384 + 22,016 = 38,400 B, and the fused norm needs no 16-bit x_normed for its weight's
    // gradient (2 x 2h = 16,384 B): 54,784 B x 512 tokens x 32 layers = 897,581,056 B at the forward end.
    TrainingConfig c = llama2_full();
    c.grad_checkpointing = Checkpointing::none;
    const int fw = static_cast<int>(Phase::forward);
    const int64_t eager = run(c).phase_peak[fw];
    c.compile = true;
    CHECK(eager - run(c).phase_peak[fw] == 897'581'056);
}

TEST_CASE("tensor parallelism splits weights by tp", "[estimate]") {
    TrainingConfig c = llama2_full();
    c.gpus = 2;
    c.tp = 2;
    CHECK(run(c).bytes(Part::weights_trainable) == kLlama2_7B);
}

TEST_CASE("LoRA training FLOPs: 4N + 2 N_adapter + attention", "[estimate]") {
    // Llama-2-7B, LoRA r=8 on q,v (4,194,304), seq 512, no checkpointing:
    // 4 x 6,738,415,616 + 2 x 4,194,304 + 12 x 32 x 512 x 4096 = 27,767,357,440.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    c.lora_rank = 8;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.seq_len = 512;
    CHECK(run(c).flops_per_token == Approx(27'767'357'440.0));
}

TEST_CASE("nvidia-smi adds the CUDA context to the reserved peak", "[estimate]") {
    // Calibrated: 700 MiB on Hopper, 600 MiB on Ampere/Ada, 1343 MiB on Volta/Turing (HF docs, V100).
    TrainingConfig c = llama2_full();
    Estimate e = run(c);
    CHECK(e.device_used - e.peak_reserved == 700LL << 20);
    c.gpu_id = "a100-sxm-80gb";
    e = run(c);
    CHECK(e.device_used - e.peak_reserved == 600LL << 20);
    c.gpus = 2;   // + NCCL communicators
    e = run(c);
    CHECK(e.device_used - e.peak_reserved == 1000LL << 20);
}

TEST_CASE("absurd sizes are refused or saturate: no total wraps, nothing fits by overflow", "[estimate]") {
    // 65536 x 10,000,000 tokens in one micro-batch: refused with the product named.
    TrainingConfig c;
    c.model.id = "llama-3.1-405b";
    c.method = Method::full;
    c.micro_batch = 65536;
    c.seq_len = 10'000'000;
    const Result<Estimate> refused = estimate(c);
    REQUIRE_FALSE(refused);
    CHECK(refused.error.find("655360000000 tokens per micro-batch") != std::string::npos);
    // At the limit (2^30 tokens) Llama-3.1-405B's logits alone are 2^30 x 128256 x 8 B ~ 1.1e15 B
    // and its activations ~1e17 B: every total stays ordered, positive and below kMaxBytes.
    c.micro_batch = 1024;
    c.seq_len = 1 << 20;
    const Estimate e = run(c);
    CHECK(e.peak > int64_t{1'000'000'000'000'000});
    CHECK(e.peak <= e.peak_reserved);
    CHECK(e.peak_reserved <= e.device_used);
    CHECK(e.device_used <= kMaxBytes);
    CHECK_FALSE(e.fits);
    CHECK(e.gpus_needed == 0);
    // Parts that saturate (kMaxBytes / 16 each) still add up to the totals exactly.
    TrainingConfig big;
    big.model.kind = ModelKind::params;
    big.model.params_total = 1'000'000'000'000;
    big.method = Method::full;
    big.attention = Attention::eager;
    big.micro_batch = 8;
    big.seq_len = 12'500'000;   // 1e8 tokens per micro-batch; eager s^2 scores alone pass 62.5 PB
    big.gpus = 8;
    big.zero_stage = 3;
    const Estimate s = run(big);
    CHECK(s.bytes(Part::activations) == kMaxBytes / 16);
    int64_t sum = 0;
    for (const auto& p : part_table()) sum += s.bytes(p.part);
    CHECK(sum == s.device_used);
    CHECK(allocated_sum(s) == s.peak);
    CHECK(s.device_used < kMaxBytes);
}

TEST_CASE("embeddings and lm_head trained next to LoRA: PEFT trains a copy, others the module", "[estimate]") {
    // Mistral-7B-v0.3: embed_tokens and lm_head are 32,768 x 4,096 = 134,217,728 params each.
    TrainingConfig c;
    c.model.id = "mistral-7b-v0.3";
    c.method = Method::lora;
    c.precision = Precision::bf16;
    c.train_embeddings = true;
    c.train_lm_head = true;
    const int64_t copies = 2 * 134'217'728LL;
    // HF + PEFT modules_to_save: the originals stay frozen beside bf16 trained copies; the copies'
    // AdamW moments are bf16 (2 x 2 B), the fp32 adapters' fp32 (2 x 4 B).
    c.framework = Framework::hf;
    const Estimate peft = run(c);
    CHECK(peft.params.trainable == copies + peft.params.adapters);
    CHECK(peft.params.frozen == peft.params.total);
    CHECK(peft.bytes(Part::weights_trainable) == 2 * copies);
    CHECK(peft.bytes(Part::weights_frozen) == 2 * peft.params.total);
    CHECK(peft.bytes(Part::optimizer_states) == 4 * copies + 8 * peft.params.adapters);
    // torchtune-style requires_grad on the modules themselves: no copy, the frozen part shrinks.
    c.framework = Framework::torchtune;
    const Estimate tt = run(c);
    CHECK(tt.params.frozen == tt.params.total - copies);
    CHECK(tt.bytes(Part::weights_trainable) + tt.bytes(Part::weights_frozen) == 2 * tt.params.total);
}

TEST_CASE("torchtune's NF4 (torchao) always double-quantizes its scalers", "[estimate]") {
    // Llama-2-7B's 32 layers of linears: 32 x (4 x 4096^2 + 3 x 4096 x 11008) = 6,476,005,376 params.
    // bitsandbytes without double quantization: 0.5 + 4/64 B = 3,642,753,024 B; torchao NF4Tensor
    // (int8 scalers per 64, an fp32 factor per 256 scalers): 0.5 + 1/64 + 4/16384 B = 3,340,771,328 B.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::qlora;
    c.quant_bits = 4;
    c.double_quant = false;
    c.framework = Framework::hf;
    CHECK(run(c).bytes(Part::weights_quantized) == 3'642'753'024);
    c.framework = Framework::torchtune;
    CHECK(run(c).bytes(Part::weights_quantized) == 3'340'771'328);
}

TEST_CASE("frozen-base kinds: torchao NF4 keeps no input, fused modules read theirs once", "[estimate]") {
    TrainingConfig c;
    c.precision = Precision::bf16;
    c.seq_len = 512;
    // torchtune QLoRA: torchao's LinearNF4 saves only the weight, so QLoRA keeps what LoRA keeps.
    c.model.id = "llama-2-7b";
    c.framework = Framework::torchtune;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.method = Method::lora;
    const int64_t lora_act = run(c).bytes(Part::activations);
    c.method = Method::qlora;
    c.quant_bits = 4;
    CHECK(run(c).bytes(Part::activations) == lora_act);
    // Phi-3's qkv_proj and gate_up_proj are one module each: one PEFT adapter, one fp32 cast.
    c.model.id = "phi-3-mini-4k";
    c.framework = Framework::hf;
    c.method = Method::lora;
    c.lora_targets = target_bit(LinearKind::q);
    const int64_t q_only = run(c).bytes(Part::activations);
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::k) | target_bit(LinearKind::v);
    CHECK(run(c).bytes(Part::activations) == q_only);
}

TEST_CASE("MoE experts: gate and up each cast the gathered token for their adapter", "[estimate]") {
    // Mixtral-8x7B, PEFT LoRA in pure bf16, 512 tokens, no checkpointing. Adapters on the experts
    // add, per routed token (top-2) per layer, two fp32 casts of its 4096-wide copy (gate, up) and
    // one of the 14336-wide down input: 2 x (2 x 4 x 4096 + 4 x 14336) = 180,224 B; x 512 x 32.
    TrainingConfig c = cfg("mixtral-8x7b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.lora_targets = target_bit(LinearKind::q);
    const int64_t without = run(c).bytes(Part::activations);
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::expert);
    CHECK(run(c).bytes(Part::activations) - without == 180'224LL * 512 * 32);
}

TEST_CASE("freeze: layers above the trained range keep only what a frozen layer keeps", "[estimate]") {
    // Llama-2-7B, layers 0-1 train, 2-31 frozen but on the gradient path; bf16, HF, 512 tokens.
    // Trained layer per token: norms 8h + norm outputs 4h + the trained norms' 16-bit x_normed 4h +
    // q, k, v, out 8h + o input 2h + MLP 6i + down input 2i = 26h + 8i = 194,560 B. Frozen layer:
    // 8h + 8h + 6i = 131,584 B.
    // 512 x (2 x 194,560 + 30 x 131,584) = 2,220,359,680 B + working set 512 x 11008 x 4 = 22,544,384 B.
    TrainingConfig c = cfg("llama-2-7b", Method::freeze, Precision::bf16, Framework::hf, 512);
    c.train_layer_begin = 0;
    c.train_layer_end = 2;
    const Estimate e = run(c);
    REQUIRE(e.peak_phase == Phase::backward);
    CHECK(e.bytes(Part::activations) == 2'220'359'680 + 22'544'384);
}

TEST_CASE("HF training dropout (BERT): a mask per residual branch and per attention weight", "[estimate]") {
    // bert-large-uncased (24 layers, h 1024, 16 heads), full fine-tune in fp32 under HF, eager
    // attention, 512 tokens. Dropout adds per token per layer two 1-byte masks of h (attention and
    // MLP outputs) = 2,048 B, and per attention weight a 1-byte mask plus the dropped-out fp32 copy
    // the matmul with v keeps (5 B): 16 heads x 512 x 5 = 40,960 B per token. 512 x 24 x 43,008
    // = 528,482,304 B.
    TrainingConfig c = cfg("bert-large-uncased", Method::full, Precision::fp32, Framework::hf, 512);
    c.attention = Attention::eager;
    c.grad_checkpointing = Checkpointing::none;
    const ModelEntry* b = find_model("bert-large-uncased");
    REQUIRE(b != nullptr);
    REQUIRE(b->arch.dropout);
    c.model.kind = ModelKind::architecture;
    c.model.arch = b->arch;
    const int fw = static_cast<int>(Phase::forward);
    const int64_t with = run(c).phase_peak[fw];
    c.model.arch.dropout = false;
    CHECK(with - run(c).phase_peak[fw] == 528'482'304);
    // LitGPT / torchtune models carry no dropout layers: the flag changes nothing there.
    c.framework = Framework::torchtune;
    const int64_t tt = run(c).phase_peak[fw];
    c.model.arch.dropout = true;
    CHECK(run(c).phase_peak[fw] == tt);
}

TEST_CASE("a classification head: no LM head, no vocabulary logits", "[estimate]") {
    // Llama-2-7B for sequence classification: the 32,000 x 4,096 = 131,072,000-param lm_head gives
    // way to a score layer of a few x 4,096 (not counted), and no logits over the vocabulary.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    c.task = Task::classification;
    const Estimate e = run(c);
    CHECK(e.params.total == kLlama2_7B - 131'072'000);
    CHECK(e.bytes(Part::logits) == 0);
    c.task = Task::causal_lm;
    CHECK(run(c).bytes(Part::logits) > 0);
}

TEST_CASE("fp32 training keeps 4-byte activations, the fp32 norm terms counted once", "[estimate]") {
    // Llama-2-7B full fine-tune in fp32, no checkpointing, 8192 tokens, SDPA. Per token per layer:
    // RMSNorm inputs 2 x 4h + norm outputs 2 x 4h + x_normed kept for the norm weights' gradients
    // 2 x 4h + q, k, v, attention output 4 x 4h + o_proj's input copy 4h + SwiGLU gate, silu, up
    // 3 x 4i + down's input 4i = 44h + 16i = 180,224 + 176,128 = 356,352 B; x 8192 x 32 =
    // 93,415,538,688 B, + the backward working set
    // (two fp32 gradients of the widest intermediate) 2 x 8192 x 11008 x 4 B = 721,420,288 B.
    TrainingConfig c = llama2_full();
    c.precision = Precision::fp32;
    c.grad_checkpointing = Checkpointing::none;
    c.seq_len = 8192;
    const Estimate e = run(c);
    REQUIRE(e.peak_phase == Phase::backward);
    CHECK(e.bytes(Part::activations) == 93'415'538'688 + 721'420'288);
}

TEST_CASE("a frozen nn.Linear keeps nothing of its input, and since bitsandbytes 0.44 neither does a 4-bit one", "[estimate]") {
    // Llama-2-7B under LitGPT, LoRA on q,v without dropout, no checkpointing, 512 tokens, bf16.
    // Per token per layer: two fp32 RMSNorm inputs 8h; the norm output, shared by the adapter's
    // lora_A 2h; SDPA's q, k, v and output 8h; v is a view into the fused qkv output, so that stays
    // alive whole: + 2 x (q + kv) = 4h; SwiGLU gate, silu, up 6i; the frozen proj, fc_1, fc_2 and
    // down keep nothing: 22h + 6i = 90,112 + 66,048 = 156,160 B -> x 512 x 32 = 2,558,525,440 B,
    // + the backward working set 2 x 512 x 11008 x 2 B = 22,544,384 B.
    TrainingConfig c = cfg("llama-2-7b", Method::lora, Precision::bf16, Framework::litgpt, 512);
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    const Estimate lora = run(c);
    REQUIRE(lora.peak_phase == Phase::backward);
    CHECK(lora.bytes(Part::activations) == 2'558'525'440 + 22'544'384);
    // QLoRA with bitsandbytes >= 0.44: MatMul4Bit keeps only the weight (ctx.tensors = (None, B)),
    // so the 4-bit proj, fc_1, fc_2 and down keep nothing either: the same activations. (Before 0.44
    // they kept their inputs: see "bitsandbytes before 0.44 keeps every 4-bit layer's input".)
    c.method = Method::qlora;
    c.quant_bits = 4;
    c.bnb_pre_044 = false;
    const Estimate q = run(c);
    REQUIRE(q.peak_phase == Phase::backward);
    CHECK(q.bytes(Part::activations) == lora.bytes(Part::activations));
}

TEST_CASE("a LoRA adapter keeps its own input copy: fp32 under PEFT, dropped out with a mask", "[estimate]") {
    // Llama-2-7B, LoRA on q,v, no checkpointing, 512 tokens, 32 layers, h = 4096, pure bf16. The
    // frozen q and v keep nothing of their input; each adapter's lora_A keeps what it is fed.
    // PEFT (fp32 adapters): the fp32 cast of x (4 B), with dropout the fp32 dropped-out copy
    //   (4 B) + its mask (1 B): +1 B x 2h per token per layer -> 8,192 x 512 x 32 = 134,217,728 B.
    // LitGPT (bf16 adapters, fused qkv): without dropout lora_A shares the norm output (2 B x h);
    //   with it one copy (2 B) + mask (1 B): +1 B x h -> 67,108,864 B.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    c.precision = Precision::bf16;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.seq_len = 512;
    for (auto [fw, extra] : {std::pair{Framework::hf, int64_t{134'217'728}}, std::pair{Framework::litgpt, int64_t{67'108'864}}}) {
        c.framework = fw;
        c.lora_dropout = false;
        const int64_t without = run(c).bytes(Part::activations);
        c.lora_dropout = true;
        CHECK(run(c).bytes(Part::activations) - without == extra);
    }
}

TEST_CASE("DoRA: magnitude per output feature, kept base and LoRA outputs, weight-norm temporaries", "[estimate]") {
    // Llama-3.2-3B (28 layers, h 3072, 8 KV heads of 128), LoRA r32 on q,v — PEFT's MetaMathQA
    // DoRA run prints 9,289,728 trainable parameters:
    //   LoRA   28 x 32 x ((3072 + 3072) + (3072 + 1024)) = 9,175,040
    //   DoRA   28 x (3072 + 1024) magnitudes             =   114,688
    TrainingConfig c = llama32_qv_r32();
    const Toggled d = toggled(c, [](TrainingConfig& t) { t.use_dora = true; });
    c.use_dora = true;
    CHECK(d.off.params.adapters == 9'175'040);
    CHECK(d.on.params.adapters == 9'289'728);
    // End of forward, 1024 tokens, no checkpointing, fp32 PEFT adapters over a bf16 base:
    //   kept per token per layer: (3072 + 1024) x (2 B base output + 4 B LoRA output) = 24,576 B
    //     -> 1024 x 28 x 24,576                                                   = 704,643,072
    //   weight-norm temporaries of the largest adapted matrix (q, 3072 x 3072, fp32):
    //     eye 3072^2 x 4 + 3072^2 x (3 x 4 + 4 for the cast of the bf16 W)          = 188,743,680
    //   the magnitudes' fp32 storage and AdamW states: 114,688 x (4 + 8)             =   1,376,256
    const auto fw = static_cast<int>(Phase::forward);
    CHECK(d.forward_delta == 704'643'072 + 188'743'680 + 1'376'256);
    // With lora_dropout PEFT recomputes the base output from the dropped-out input in fp32, and
    // F.linear keeps that fp32 cast of W: per layer (3072^2 + 3072 x 1024) x 4 = 50,331,648 B
    // (x 28 layers), and the base output is then fp32 (+2 B x 4096 per token per layer).
    c.lora_dropout = true;
    const Estimate dora_drop = run(c);
    c.use_dora = false;
    const Estimate lora_drop = run(c);
    CHECK(dora_drop.phase_peak[fw] - lora_drop.phase_peak[fw] ==
          704'643'072 + 1024LL * 28 * 4096 * 2 + 28LL * 50'331'648 + 188'743'680 + 1'376'256);
    // ... and that recomputed base output costs one more matmul forward and one backward:
    // 4 x 28 x (3072^2 + 3072 x 1024) FLOPs per token, beside 2 x the 114,688 trained magnitudes.
    CHECK(dora_drop.flops_per_token - lora_drop.flops_per_token == 4.0 * 28 * (3072.0 * 3072 + 3072.0 * 1024) + 2.0 * 114'688);
    // Over a 24 GB card DoRA's own costs come first among the fixes: dropping the dropout (the
    // kept fp32 copy of W) before the usual settings, plain LoRA before a 4-bit base.
    {
        TrainingConfig q = cfg("qwen2.5-7b", Method::lora, Precision::bf16, Framework::hf, 2048);
        q.lora_targets = kAllLinearTargets;
        q.use_dora = true;
        q.lora_dropout = true;
        q.grad_checkpointing = Checkpointing::full;
        q.gpu_id = "rtx-4090";
        const Estimate e = run(q);
        REQUIRE_FALSE(e.fits);
        REQUIRE(e.suggestions.size() >= 3);
        CHECK(e.suggestions.front().find("lora_dropout 0 with DoRA") == 0);
        auto pos = [&](const char* s) {
            for (size_t i = 0; i < e.suggestions.size(); ++i)
                if (e.suggestions[i].find(s) == 0) return static_cast<int>(i);
            return -1;
        };
        CHECK(pos("plain LoRA instead of DoRA") > 0);
        CHECK(pos("plain LoRA instead of DoRA") < pos("QLoRA (4-bit base)"));
        q.lora_dropout = false;
        CHECK(run(q).fits);
    }
    // torchtune's DoRALinear reuses the base output under dropout too: no copy of W, no extra matmul.
    {
        TrainingConfig t = llama32_qv_r32(Framework::torchtune);
        auto delta = [&](bool dropout) {
            t.lora_dropout = dropout;
            t.use_dora = false;
            const Estimate a = run(t);
            t.use_dora = true;
            const Estimate b = run(t);
            return std::pair{b.phase_peak[static_cast<int>(Phase::forward)] - a.phase_peak[static_cast<int>(Phase::forward)],
                             b.flops_per_token - a.flops_per_token};
        };
        const auto [mem_off, flops_off] = delta(false);
        const auto [mem_on, flops_on] = delta(true);
        CHECK(mem_on == mem_off);
        CHECK(flops_on == flops_off);
    }
    // DoRA outside LoRA changes nothing.
    c.method = Method::full;
    const int64_t full = run(c).peak;
    c.use_dora = true;
    CHECK(run(c).peak == full);
}

TEST_CASE("LoRA-FA: A frozen, only B trains, no adapter input kept", "[estimate]") {
    // Llama-3.2-3B, r32 on q,v under HF in bf16 (fp32 PEFT adapters), 1024 tokens, no checkpointing.
    //   B alone: 28 x 32 x (3072 + 1024) = 3,670,016 trained of 9,175,040 adapter parameters
    //   kept per token per layer without A's gradient: the q and v adapters' fp32 casts of the
    //   attention input, 2 x 4 x 3072 = 24,576 B -> x 1024 x 28 = 704,643,072 B
    //   AdamW moments of A no longer kept: 5,505,024 x 8 B = 44,040,192 B
    const Toggled fa = toggled(llama32_qv_r32(), [](TrainingConfig& t) { t.lora_fa = true; });
    CHECK(fa.on.params.adapters == 9'175'040);
    CHECK(fa.on.params.trainable == 3'670'016);
    CHECK(-fa.forward_delta == 704'643'072 + 44'040'192);
}

TEST_CASE("GaLore: projected moments and projectors per layer matrix, full moments for the rest", "[estimate]") {
    // Llama-2-7B, rank 1024, 8-bit GaLore (bitsandbytes moments: 1 B + fp32 absmax per 2048):
    //   moments per layer: q,k,v,o (4096^2): 4 x 2 x 1024 x 4096 = 33,554,432; gate, up, down
    //     (11008 x 4096): 3 x 2 x 1024 x 11008 = 67,633,152 -> x 32 = 3,238,002,688 elements
    //     -> x (1 + 4/2048) = 3,244,326,912 B
    //   projectors r x min(m, n) in the bf16 gradient dtype: 32 x 7 x 1024 x 4096 x 2 B = 1,879,048,192 B
    //   the rest (embeddings, lm_head, norms): 6,738,415,616 - 32 x 202,375,168 = 262,410,240 params
    //     x 2 x (1 + 4/2048) = 525,845,520 B
    TrainingConfig c = llama2_full();
    c.precision = Precision::bf16;
    c.framework = Framework::hf;
    c.optimizer = Optimizer::galore_adamw_8bit;
    c.galore_rank = 1024;
    CHECK(run(c).bytes(Part::optimizer_states) == 3'244'326'912LL + 1'879'048'192LL + 525'845'520LL);
    // A rank above a matrix's shorter side is that side (the SVD has no more): rank 8192 gives
    // the full 2 x m x n moments and an n x n projector for the square ones.
    c.optimizer = Optimizer::galore_adamw;   // bf16 moments
    c.galore_rank = 4096;
    const int64_t r4096 = run(c).bytes(Part::optimizer_states);
    c.galore_rank = 8192;
    CHECK(run(c).bytes(Part::optimizer_states) == r4096);
    // Over a 24 GB card a full fine-tune is offered GaLore before LoRA: its per-layer mode here,
    // since plain GaLore still holds every bf16 gradient (12.55 GiB for Llama-2-7B).
    {
        TrainingConfig f = llama2_full();
        f.precision = Precision::bf16;
        f.framework = Framework::hf;
        f.gpu_id = "rtx-4090";
        const Estimate e = run(f);
        REQUIRE_FALSE(e.fits);
        REQUIRE_FALSE(e.suggestions.empty());
        CHECK(e.suggestions.front().find("GaLore 8-bit per layer") == 0);
        f.optimizer = Optimizer::galore_adamw_8bit;
        f.galore_rank = 1024;
        // plain GaLore over the card: more GPUs cannot help (it refuses ZeRO), its per-layer mode can
        const Estimate g = run(f);
        REQUIRE_FALSE(g.fits);
        CHECK(g.gpus_needed == 0);
        REQUIRE_FALSE(g.suggestions.empty());
        CHECK(g.suggestions.front().find("GaLore's per-layer mode") == 0);
        f.optimizer_in_backward = true;
        CHECK(run(f).fits);
    }
    // GaLore needs whole gradients.
    c.gpus = 2;
    c.zero_stage = 2;
    const Result<Estimate> z = estimate(c);
    REQUIRE_FALSE(z);
    CHECK(z.error.find("GaLore needs whole gradients") != std::string::npos);
}

TEST_CASE("Muon: one momentum per layer matrix, AdamW for the rest, Newton-Schulz one matrix at a time", "[estimate]") {
    // Llama-2-7B in pure bf16: the 32 x 7 layer matrices hold 6,476,005,376 weights (one bf16
    // momentum each); embeddings, lm_head and norms, 262,410,240, keep AdamW's two:
    //   6,476,005,376 x 2 + 262,410,240 x 4 = 14,001,651,712 B
    TrainingConfig c = llama2_full();
    c.precision = Precision::bf16;
    c.framework = Framework::hf;
    c.optimizer = Optimizer::muon;
    const Estimate e = run(c);
    CHECK(e.bytes(Part::optimizer_states) == 14'001'651'712LL);
    // The step's temporary: Newton-Schulz on 11008 x 4096 needs 2 x (4 x 4096 x 11008 + 4 x 4096^2)
    // = 494,927,872 B, less than AdamW's step on the 32000 x 4096 embedding (x 4 B = 524,288,000).
    const auto op = static_cast<int>(Phase::optimizer);
    c.optimizer = Optimizer::adamw;
    c.optimizer_impl = OptimizerImpl::for_loop;
    const Estimate adam = run(c);
    CHECK(e.phase_peak[op] - adam.phase_peak[op] ==
          14'001'651'712LL - adam.bytes(Part::optimizer_states));
    // A fused matrix is one 2D weight to Muon: Phi-3-mini's qkv_proj (3072 x 9216) and gate_up_proj
    // (3072 x 16384) each get one momentum. Per layer 28,311,552 + 9,437,184 (o) + 50,331,648 +
    // 25,165,824 (down) = 113,246,208 -> x 32 = 3,623,878,656 weights at 2 B; embeddings, head and
    // norms, 197,200,896, at AdamW's 4 B: 8,036,560,896 B (to a byte: the share is a fraction).
    TrainingConfig p = cfg("phi-3-mini-4k", Method::full, Precision::bf16, Framework::hf, 2048);
    p.optimizer = Optimizer::muon;
    CHECK(std::llabs(run(p).bytes(Part::optimizer_states) - 8'036'560'896LL) <= 1);
}

TEST_CASE("logits and loss buffers: tokens x vocab x bytes by framework habit", "[estimate]") {
    // Llama-3.1-8B (vocab 128,256), LoRA, 1 x 2048 tokens: 2048 x 128,256 = 262,668,288 logits.
    //   HF Trainer: saved fp32 log-softmax + its gradient, 8 B     -> 2,101,346,304 B
    //   torchtune / plain PyTorch: bf16 logits + fp32 upcast + log-softmax (+ grad), 12 B -> 3,152,019,456 B
    //   chunked cross-entropy: the bf16 logits and their gradient, 4 B -> 1,050,673,152 B
    //   (compiled, torchtune: the saved bf16 chunks only, 2 B)
    //   Unsloth's fused CE: the bf16 logits only, 2 B               ->   525,336,576 B
    //   Megatron vocab-parallel CE, 6 B; fp32 training, 16 B
    TrainingConfig c;
    c.model.id = "llama-3.1-8b";
    c.method = Method::lora;
    c.seq_len = 2048;
    const int64_t n = 2048LL * 128256;
    auto logits = [&](Framework fw, bool chunked, Precision p) {
        c.framework = fw;
        c.chunked_ce = chunked;
        c.precision = p;
        return run(c).bytes(Part::logits);
    };
    CHECK(logits(Framework::hf, false, Precision::bf16) == 8 * n);
    CHECK(logits(Framework::torchtune, false, Precision::bf16) == 12 * n);
    CHECK(logits(Framework::torchtune, true, Precision::bf16) == 4 * n);
    // torchtune compiles the chunked loss too: the bf16 logits alone are saved, 2 B -> 525,336,576 B
    c.compile = true;
    CHECK(logits(Framework::torchtune, true, Precision::bf16) == 2 * n);
    c.compile = false;
    CHECK(logits(Framework::unsloth, false, Precision::bf16) == 2 * n);
    CHECK(logits(Framework::megatron, false, Precision::bf16) == 6 * n);
    // Megatron's fused cross-entropy keeps the same fp32 softmax (4) and 16-bit gradient (2)
    CHECK(logits(Framework::megatron, true, Precision::bf16) == 6 * n);
    CHECK(logits(Framework::hf, false, Precision::fp32) == 16 * n);
}

TEST_CASE("reserved = allocated + 3 % + 12 % of the activation-like part + 64 MiB (calibrated)", "[estimate]") {
    // The caching allocator's kept blocks, calibrated on the benchmark's reserved/allocated pairs:
    // reserve = 0.03 x peak + 0.12 x (activations + logits) + 64 MiB on one GPU.
    TrainingConfig c;
    c.model.id = "llama-2-7b";
    c.method = Method::lora;
    const Estimate e = run(c);
    REQUIRE(e.peak_phase == Phase::backward);
    const double act = static_cast<double>(e.bytes(Part::activations) + e.bytes(Part::logits));
    const double expected = 0.03 * static_cast<double>(e.peak) + 0.12 * act + 64.0 * 1024 * 1024;
    CHECK(std::abs(static_cast<double>(e.peak_reserved - e.peak) - expected) <= 1.0);
    CHECK(e.bytes(Part::allocator_reserve) == e.peak_reserved - e.peak);
}

TEST_CASE("PEFT's AdaLoRA, VeRA and IA3: their trainable counts as PEFT prints them", "[estimate]") {
    // Llama-3.2-3B: 28 layers, h = q = 3072, kv = 1024, MLP 8192 (PEFT MetaMathQA logs).
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    // AdaLoRA init_r 64: P and Q as LoRA r64, 64 x 28 x ((3072 + 3072) + (3072 + 1024)) =
    // 18,350,080, + Lambda 64 per matrix x 56 = 3,584 -> 18,353,664.
    c.adapter = Adapter::adalora;
    c.lora_rank = 64;
    CHECK(run(c).params.trainable == 18'353'664);
    // VeRA r256: lambda_d (256) + lambda_b (out) per matrix, 28 x ((256 + 3072) + (256 + 1024)) =
    // 129,024 trained; the shared frozen vera_A 256 x 3072 and vera_B 3072 x 256 add 1,572,864.
    c.adapter = Adapter::vera;
    c.lora_rank = 256;
    const Estimate v = run(c);
    CHECK(v.params.trainable == 129'024);
    CHECK(v.params.adapters == 129'024 + 1'572'864);
    // IA3 on k, v (one scale per output) and down (one per input): 28 x (1024 + 1024 + 8192).
    c.adapter = Adapter::ia3;
    c.lora_targets = target_bit(LinearKind::k) | target_bit(LinearKind::v) | target_bit(LinearKind::down);
    CHECK(run(c).params.trainable == 286'720);
}

TEST_CASE("PEFT's LoHa and OFT: trainable counts as PEFT prints them, and what each adapted linear keeps", "[estimate]") {
    // Llama-3.2-3B under HF in pure bf16, no checkpointing: 28 layers, h = q = 3072, kv = 1024;
    // 8 x 512 tokens, so that backward (the logits' gradient) stays the peak phase over LoHa's forward build.
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.grad_checkpointing = Checkpointing::none;
    c.micro_batch = 8;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.lora_rank = 32;
    const Estimate lora = run(c);
    REQUIRE(lora.peak_phase == Phase::backward);
    // LoHa r32: two (out x r, r x in) pairs, 2 x 32 x 28 x ((3072 + 3072) + (3072 + 1024)) =
    // 18,350,080 (the PEFT MetaMathQA log's count).
    c.adapter = Adapter::loha;
    const Estimate loha = run(c);
    CHECK(loha.params.trainable == 18'350'080);
    // Beside LoRA's fp32 input casts, each layer keeps q's and v's fp32 delta weights:
    // (3072 x 3072 + 1024 x 3072) x 4 B = 50,331,648 B, x 28 layers = 1,409,286,144 B.
    REQUIRE(loha.peak_phase == Phase::backward);
    CHECK(loha.bytes(Part::activations) - lora.bytes(Part::activations) == 1'409'286'144);
    // OFT r32: 32 blocks of 3072 / 32 = 96, each 96 x 95 / 2 = 4,560 entries: 145,920 per matrix,
    // x 56 matrices = 8,171,520 (the log's count).
    c.adapter = Adapter::oft;
    const Estimate oft = run(c);
    CHECK(oft.params.trainable == 8'171'520);
    // The Cayley-Neumann terms: 4 fp32 tensors of 32 x 96 x 96 per matrix = 4,718,592 B; 2 matrices
    // x 28 layers = 264,241,152 B beyond LoRA's fp32 input casts.
    REQUIRE(oft.peak_phase == Phase::backward);
    CHECK(oft.bytes(Part::activations) - lora.bytes(Part::activations) == 264'241'152);
    // r that does not divide in: PEFT takes the nearest divisor, the lower on a tie. r = 5 on 3072
    // -> 4 (3072 % 4 == 0) against 6: 4 blocks of 768, 4 x 768 x 767 / 2 = 1,178,112 per matrix,
    // x 56 = 65,974,272.
    c.lora_rank = 5;
    CHECK(run(c).params.trainable == 65'974'272);
    // Neither has an input dropout.
    c.lora_dropout = true;
    CHECK(rejected(c));
    c.adapter = Adapter::loha;
    CHECK(rejected(c));
}

TEST_CASE("PEFT prompt and prefix tuning: virtual tokens through a frozen model", "[estimate]") {
    // Llama-3.2-3B under HF in pure bf16, no checkpointing, 1 x 512 tokens: 28 layers, h = 3072,
    // 8 kv heads x 128, MLP 8192, vocab 128256.
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.grad_checkpointing = Checkpointing::none;
    c.adapter = Adapter::prompt;
    c.virtual_tokens = 200;
    // Prompt tuning: 200 x 3072 = 614,400 (the PEFT MetaMathQA log's count).
    const Estimate p200 = run(c);
    CHECK(p200.params.trainable == 614'400);
    c.virtual_tokens = 100;
    const Estimate p100 = run(c);
    REQUIRE(p100.peak_phase == Phase::backward);
    REQUIRE(p200.peak_phase == Phase::backward);
    // Each virtual token is one more position everywhere. A frozen pass-through layer keeps per
    // token the two RMSNorms' fp32 inputs (2 x 4 x 3072), q, k, v expanded and SDPA's output
    // (2 x 4 x 3072) and the MLP's gate, silu, up (3 x 2 x 8192): 98,304 B; x 28 layers + the
    // backward working set (2 x 2 x 8192) = 2,785,280 B; 100 more tokens = 278,528,000 B.
    CHECK(p200.bytes(Part::activations) - p100.bytes(Part::activations) == 278'528'000);
    // and the logits over them too: 100 x 128256 x 8 B = 102,604,800 B.
    CHECK(p200.bytes(Part::logits) - p100.bytes(Part::logits) == 102'604'800);
    // Compute: 612 positions for 512 tokens of data: (4N + 2 x 307,200 + 12 x 28 x 612 x 3072) x 612 / 512.
    const double n_active = static_cast<double>(p100.params.active);
    CHECK(p100.flops_per_token == Approx((4 * n_active + 2 * 307'200.0 + 12.0 * 28 * 612 * 3072) * 612 / 512));
    // Prefix tuning: a key and a value per virtual token per layer, 200 x 28 x 2 x 8 x 128 =
    // 11,468,800 (the log's count).
    c.adapter = Adapter::prefix;
    c.virtual_tokens = 200;
    const Estimate f200 = run(c);
    CHECK(f200.params.trainable == 11'468'800);
    c.virtual_tokens = 100;
    const Estimate f100 = run(c);
    // The sequence stays 512; per layer 100 more virtual keys and values as attention keeps them
    // (expanded to 24 heads: 2 x 3072 x 2 B) and as the cache holds them (2 x 1024 x 2 B):
    // 100 x 16,384 B x 28 layers = 45,875,200 B; the logits do not change.
    CHECK(f200.bytes(Part::activations) - f100.bytes(Part::activations) == 45'875'200);
    CHECK(f200.bytes(Part::logits) == f100.bytes(Part::logits));
    // No input dropout, no target modules needed, nothing else trained.
    c.lora_targets = 0;
    CHECK_FALSE(rejected(c));
    c.lora_dropout = true;
    CHECK(rejected(c));
    c.lora_dropout = false;
    c.virtual_tokens = 0;
    CHECK(rejected(c));
}

TEST_CASE("LitGPT's LLaMA-Adapter v1 and v2: the resource tables' trainable counts and what v2 keeps", "[estimate]") {
    // Llama-2-7B under LitGPT bf16-true, no checkpointing, 1 x 1304 tokens (the Alpaca longest
    // sample of the resource tables): 32 layers, h = 4096, 32 heads, MLP 11008, vocab 32000.
    TrainingConfig c = cfg("llama-2-7b", Method::lora, Precision::bf16, Framework::litgpt, 1304);
    c.grad_checkpointing = Checkpointing::none;
    c.adapter = Adapter::llama_adapter;
    c.virtual_tokens = 10;
    // v1: layers 2..31 each train a 10 x 4096 prompt and 32 gating factors: 30 x 40,992 = 1,229,760.
    const Estimate v1 = run(c);
    CHECK(v1.params.trainable == 1'229'760);
    // v2 adds a bias and a scale per output of every linear, 32 x 2 x (3 x 4096 + 4096 + 2 x 11008 +
    // 4096) = 2,719,744, and of the head, 2 x 32000 = 64,000, and trains the norms, 65 x 4096 = 266,240:
    // 4,279,744 as the table states.
    c.adapter = Adapter::llama_adapter_v2;
    const Estimate v2 = run(c);
    CHECK(v2.params.trainable == 4'279'744);
    REQUIRE(v1.peak_phase == Phase::backward);
    REQUIRE(v2.peak_phase == Phase::backward);
    // v1's gradients stop at layer 2; v2's reach layer 0. Per token a v1 layer keeps the two RMSNorms'
    // fp32 inputs (2 x 4 x 4096), q, k, v and SDPA's output (4 x 2 x 4096), the fused qkv output that
    // v's view holds (2 x 2 x 4096), the MLP's gate, silu, up (3 x 2 x 11008) and the prompt
    // attention's output + fp32 logsumexp (2 x 4096 + 4 x 32): 156,288 B. v2 adds every linear's
    // output, 2 x (12288 + 4096 + 2 x 11008 + 4096) = 84,992 B, and the norms' fp32 x_normed,
    // 2 x 4 x 4096 = 32,768 B: 1304 x (32 x 117,760 + 2 x 156,288) = 5,321,488,384 B more.
    CHECK(v2.bytes(Part::activations) - v1.bytes(Part::activations) == 5'321'488'384);
    // and the head's kept linear(x) + bias: 1304 x 32000 x 2 B = 83,456,000 B more logits.
    CHECK(v2.bytes(Part::logits) - v1.bytes(Part::logits) == 83'456'000);
    // LitGPT's own: not a PEFT tuner.
    c.framework = Framework::hf;
    CHECK(rejected(c));
}

TEST_CASE("PEFT trainable tokens: embedding rows, and the merged weight a tied head keeps", "[estimate]") {
    // Llama-3.2-3B (tied head: vocab 128256 x hidden 3072) under HF in pure bf16, 4 x 512 tokens.
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.grad_checkpointing = Checkpointing::none;
    c.micro_batch = 4;
    c.adapter = Adapter::prompt;
    c.virtual_tokens = 1;
    const Estimate frozen = run(c);   // the frozen model on 1 more position: the pass-through baseline
    c.adapter = Adapter::tokens;
    c.trainable_tokens = 2;
    const Estimate tok = run(c);
    // sos + eos: 2 x 3072 = 6,144 (the PEFT MetaMathQA log's count).
    CHECK(tok.params.trainable == 6'144);
    REQUIRE(tok.peak_phase == Phase::backward);
    REQUIRE(frozen.peak_phase == Phase::backward);
    // The head is F.linear(x, W.index_copy(...)): it keeps the merged 128256 x 3072 bf16 weight,
    // 788,004,864 B, and x, 2048 x 3072 x 2 = 12,582,912 B; the baseline has 4 more positions (one per
    // sequence), 4 x (28 x 98,304 + 32,768) = 11,141,120 B of frozen pass-through layers.
    CHECK(tok.bytes(Part::activations) - frozen.bytes(Part::activations) == 788'004'864 + 12'582'912 - 11'141'120);
    // Beside LoRA the rows add 6,144 trained parameters and the same kept head weight.
    c.adapter = Adapter::lora;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.lora_rank = 8;
    const Estimate lt = run(c);
    c.trainable_tokens = 0;
    const Estimate l0 = run(c);
    CHECK(lt.params.trainable - l0.params.trainable == 6'144);
    CHECK(lt.bytes(Part::activations) - l0.bytes(Part::activations) == 788'004'864 + 12'582'912);
    // An untied model keeps no merged copy.
    TrainingConfig u = cfg("llama-2-7b", Method::lora, Precision::bf16, Framework::hf, 512);
    const Estimate u0 = run(u);
    u.trainable_tokens = 2;
    CHECK(run(u).bytes(Part::activations) == u0.bytes(Part::activations));
    // Rows are PEFT's, need a count under --adapter trainable-tokens, and give way to whole embeddings.
    c.adapter = Adapter::tokens;
    CHECK(rejected(c));
    c.adapter = Adapter::lora;
    c.trainable_tokens = 2;
    c.train_embeddings = true;
    CHECK(rejected(c));
    c.train_embeddings = false;
    c.framework = Framework::torchtune;
    CHECK(rejected(c));
}

TEST_CASE("VeRA and IA3 keep outputs where LoRA keeps its input, AdaLoRA its importance tensors", "[estimate]") {
    // Llama-3.2-3B under HF in pure bf16, no checkpointing, 512 tokens x 28 layers = 14,336.
    TrainingConfig c = cfg("llama-3.2-3b", Method::lora, Precision::bf16, Framework::hf, 512);
    c.grad_checkpointing = Checkpointing::none;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    c.lora_rank = 256;
    const Estimate lora = run(c);
    REQUIRE(lora.peak_phase == Phase::backward);
    // LoRA: q's and v's adapters each keep the fp32 cast of the layer input, 2 x 4 x 3072 = 24,576 B.
    // VeRA: each keeps its two frozen projections' fp32 outputs, q 4 x (256 + 3072) + v 4 x
    // (256 + 1024) = 18,432 B: 6,144 B less per token per layer = 88,080,384 B.
    c.adapter = Adapter::vera;
    const Estimate vera = run(c);
    REQUIRE(vera.peak_phase == Phase::backward);
    CHECK(lora.bytes(Part::activations) - vera.bytes(Part::activations) == 88'080'384);
    // IA3 on k, v, down: k's and v's bf16 outputs 2 x 2 x 1024 + down's fp32 input 4 x 8192 =
    // 36,864 B, 12,288 B more than LoRA on q, v: 176,160,768 B.
    c.adapter = Adapter::ia3;
    c.lora_targets = target_bit(LinearKind::k) | target_bit(LinearKind::v) | target_bit(LinearKind::down);
    const Estimate ia3 = run(c);
    REQUIRE(ia3.peak_phase == Phase::backward);
    CHECK(ia3.bytes(Part::activations) - lora.bytes(Part::activations) == 176'160'768);
    // AdaLoRA r64 on q, v: AdamW's two fp32 moments + ipt, its EMA and the uncertainty EMA in the
    // adapters' fp32: 20 B x 18,353,664 = 367,073,280 B.
    c.adapter = Adapter::adalora;
    c.lora_rank = 64;
    c.lora_targets = target_bit(LinearKind::q) | target_bit(LinearKind::v);
    CHECK(run(c).bytes(Part::optimizer_states) == 367'073'280);
    // PEFT tuners only, and DoRA / LoRA-FA belong to LoRA.
    c.framework = Framework::torchtune;
    CHECK(rejected(c));
    c.framework = Framework::hf;
    c.use_dora = true;
    CHECK(rejected(c));
}
