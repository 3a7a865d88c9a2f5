// test_cli.cpp — the CLI contract: formats, exit codes, one-line errors, --link, --help, the
// seed-002 table, and one run of the real binary.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "cli.h"
#include "config.h"
#include "link.h"

using namespace vramcalc;
using nlohmann::json;

namespace {

struct Run {
    int rc = -1;
    std::string out, err;
};

Run run(std::vector<std::string> args) {
    std::ostringstream out, err;
    Run r;
    r.rc = run_cli(args, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

size_t count_lines(const std::string& s) {
    size_t n = 0;
    for (const char ch : s)
        if (ch == '\n') ++n;
    return n;
}

// Exit 2, nothing on stdout, exactly one line on stderr holding every `needle`.
void check_usage_error(const std::vector<std::string>& args, const std::vector<std::string>& needles) {
    const Run r = run(args);
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    INFO(cmd << "\nstderr: " << r.err);
    CHECK(r.rc == 2);
    CHECK(r.out.empty());
    CHECK(count_lines(r.err) == 1);
    CHECK(r.err.back() == '\n');
    for (const auto& n : needles) CHECK(r.err.find(n) != std::string::npos);
}

// Every number in a JSON tree is finite and non-negative; bytes are integers.
void check_numbers(const json& j, const std::string& path = "") {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it) check_numbers(it.value(), path + "." + it.key());
    } else if (j.is_array()) {
        for (const auto& x : j) check_numbers(x, path + "[]");
    } else if (j.is_number()) {
        INFO(path);
        CHECK(std::isfinite(j.get<double>()));
        CHECK(j.get<double>() >= 0);
        if (j.is_number_integer()) CHECK(j.get<int64_t>() >= 0);
    }
}

json estimate_json(std::vector<std::string> args) {
    args.insert(args.begin(), "estimate");
    args.push_back("--format");
    args.push_back("json");
    const Run r = run(args);
    INFO(r.err);
    REQUIRE(r.rc == 0);
    return json::parse(r.out);
}

bool has_nan_or_inf(const std::string& s) {
    std::string lower;
    for (const char ch : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const char* bad : {"nan", "inf "}) {
        size_t pos = 0;
        while ((pos = lower.find(bad, pos)) != std::string::npos) {
            const bool word_start = pos == 0 || !std::isalpha(static_cast<unsigned char>(lower[pos - 1]));
            const bool word_end = pos + 3 >= lower.size() || !std::isalpha(static_cast<unsigned char>(lower[pos + 3]));
            if (word_start && word_end) return true;
            ++pos;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("cli: --format json has every contract key, all integers non-negative", "[cli]") {
    const json j = estimate_json({});
    for (const char* k : {"params", "per_gpu_bytes", "cpu_bytes", "fits", "gpus_needed", "time_hours", "cost_usd",
                          "energy_kwh", "assumptions"})
        CHECK(j.contains(k));
    for (const char* k : {"total", "trainable", "active"}) {
        REQUIRE(j["params"].contains(k));
        CHECK(j["params"][k].is_number_integer());
    }
    for (const char* k : {"weights", "gradients", "optimizer_states", "master_weights", "activations", "logits",
                          "overhead", "peak", "peak_reserved", "device_used"}) {
        INFO(k);
        REQUIRE(j["per_gpu_bytes"].contains(k));
        CHECK(j["per_gpu_bytes"][k].is_number_integer());
    }
    CHECK(j["fits"].is_boolean());
    CHECK(j["assumptions"].is_array());
    CHECK_FALSE(j["assumptions"].empty());
    CHECK(j["cpu_bytes"].is_number_integer());
    CHECK(j["gpus_needed"].is_number_integer());
    check_numbers(j);

    // The components add up to what nvidia-smi shows.
    const json& p = j["per_gpu_bytes"];
    int64_t sum = 0;
    for (const char* k : {"weights", "gradients", "optimizer_states", "master_weights", "activations", "logits", "overhead"})
        sum += p[k].get<int64_t>();
    CHECK(sum == p["device_used"].get<int64_t>());
    CHECK(p["peak"].get<int64_t>() <= p["peak_reserved"].get<int64_t>());
    CHECK(p["peak_reserved"].get<int64_t>() <= p["device_used"].get<int64_t>());
}

TEST_CASE("cli: hand-computed parameter counts", "[cli]") {
    // Llama-2-7B: 32 x (4 x 4096^2 + 3 x 4096 x 11008 + 2 x 4096) + 2 x 32000 x 4096 + 4096.
    json j = estimate_json({"--model", "llama-2-7b"});
    CHECK(j["params"]["total"].get<int64_t>() == 6738415616);
    CHECK(j["params"]["active"].get<int64_t>() == 6738415616);
    // LoRA r=16 on every linear: 32 layers x 16 x (4 x (4096 + 4096) + 2 x (4096 + 11008) + (11008 + 4096)).
    CHECK(j["params"]["trainable"].get<int64_t>() == 39976960);
    // A bare count: 7B, 7e9 and 7000000000 are the same model (a synthesized shape within 0.01 %).
    j = estimate_json({"--params", "7B", "--method", "full"});
    CHECK(j["params"]["total"].get<double>() == Approx(7e9).epsilon(1e-4));
    CHECK(j["params"]["trainable"].get<int64_t>() == j["params"]["total"].get<int64_t>());
    CHECK(estimate_json({"--params", "7e9", "--method", "full"}) == j);
    CHECK(estimate_json({"--params", "7000000000", "--method", "full"}) == j);
    // Full fine-tuning in pure bf16: 2 bytes of weights per parameter, whole model on one GPU.
    j = estimate_json({"--model", "llama-2-7b", "--method", "full", "--precision", "bf16"});
    CHECK(j["per_gpu_bytes"]["weights"].get<int64_t>() == 2 * int64_t{6738415616});
    CHECK(j["per_gpu_bytes"]["gradients"].get<int64_t>() == 2 * int64_t{6738415616});
}

TEST_CASE("cli: text, md and csv look right", "[cli]") {
    Run r = run({"estimate"});
    REQUIRE(r.rc == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("fits on 1\xc3\x97 ") != std::string::npos);
    CHECK(r.out.find("to spare") != std::string::npos);
    for (const char* s : {"peak allocated", "peak reserved", "device used", "time:", "cost:", "energy:", "Assumptions",
                          "GiB", "share"})
        CHECK(r.out.find(s) != std::string::npos);
    CHECK_FALSE(has_nan_or_inf(r.out));

    r = run({"estimate", "--units", "GB"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find(" GB") != std::string::npos);

    r = run({"estimate", "--model", "llama-3.1-70b", "--method", "full", "--grad-checkpointing", "full"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("does not fit: short by ") != std::string::npos);
    CHECK(r.out.find("fewest GPUs that fit: ") != std::string::npos);

    r = run({"estimate", "--explain"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("formula") != std::string::npos);

    // The headline names the adapter and what sizes it.
    r = run({"estimate", "--method", "qlora", "--adapter", "prefix", "--virtual-tokens", "30"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("prefix tuning, 30 virtual tokens, 4-bit base") != std::string::npos);
    r = run({"estimate", "--adapter", "oft", "--lora-rank", "32"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("OFT r=32") != std::string::npos);

    r = run({"estimate", "--format", "md"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("| component |") != std::string::npos);
    CHECK(r.out.find("|---|") != std::string::npos);

    r = run({"estimate", "--format", "csv"});
    REQUIRE(r.rc == 0);
    REQUIRE(count_lines(r.out) == 2);
    const std::string header = r.out.substr(0, r.out.find('\n'));
    const std::string row = r.out.substr(r.out.find('\n') + 1);
    CHECK(std::count(header.begin(), header.end(), ',') == std::count(row.begin(), row.end(), ','));
    CHECK(header.find("device_used_GiB") != std::string::npos);
    // No negative numbers (ids hold dashes, so look at the fields that are numbers).
    std::stringstream fields(row);
    for (std::string field; std::getline(fields, field, ',');) {
        char* end = nullptr;
        const double x = std::strtod(field.c_str(), &end);
        if (end != field.c_str() && *end == '\0') CHECK(x >= 0);
    }
}

TEST_CASE("cli: errors exit 2 with one line naming the problem and what is valid", "[cli]") {
    check_usage_error({"estimate", "--model", "llama-3.1-9b"}, {"llama-3.1-9b", "llama-3.1-8b", "vramcalc models"});
    check_usage_error({"estimate", "--gpu", "h100-sxm-8gb"}, {"h100-sxm-8gb", "h100", "vramcalc gpus"});
    check_usage_error({"estimate", "--tp", "3", "--gpus", "3"}, {"--tp 3", "32", "1, 2, 4, 8"});
    check_usage_error({"estimate", "--seq-len", "0"}, {"--seq-len", "1..10000000"});
    check_usage_error({"estimate", "--method", "bogus"}, {"--method bogus", enum_choices<Method>()});
    check_usage_error({"estimate", "--micro-batch", "-1"}, {"--micro-batch -1", "1..65536"});
    check_usage_error({"estimate", "--params", "abc"}, {"--params abc", "7B"});
    check_usage_error({"estimate", "--precision", "fp64"}, {"--precision", enum_choices<Precision>()});
    check_usage_error({"estimate", "--optimizer", "adam"}, {"--optimizer", enum_choices<Optimizer>()});
    check_usage_error({"estimate", "--grad-checkpointing", "yes"}, {"--grad-checkpointing", "none|full|selective"});
    check_usage_error({"estimate", "--attention", "xformers"}, {"--attention", "eager|sdpa|flash"});
    check_usage_error({"estimate", "--zero", "4"}, {"--zero", "0..3"});
    check_usage_error({"estimate", "--lora-rank", "1000000000"}, {"--lora-rank", "1..65536"});
    check_usage_error({"estimate", "--mfu", "nan"}, {"--mfu"});
    check_usage_error({"estimate", "--tokens", "-5"}, {"--tokens"});
    check_usage_error({"estimate", "--units", "MB"}, {"--units", "GiB|GB"});
    check_usage_error({"estimate", "--format", "xml"}, {"--format", "text|md|csv|json"});
    check_usage_error({"estimate", "--bogus"}, {"--bogus"});
    check_usage_error({"estimate", "--active-params", "2B"}, {"--active-params", "--params"});
    check_usage_error({"estimate", "--model", "llama-2-7b", "--params", "7B"}, {"--model", "--params"});
    check_usage_error({"estimate", "--method", "freeze", "--train-layers", "30-40", "--model", "llama-2-7b"},
                      {"--train-layers", "32 layers"});
    check_usage_error({"estimate", "--link", "#v=1&r=-5"}, {"--link", "r=-5"});
    check_usage_error({"estimate", "--link", "#v=1&zz=1"}, {"--link", "zz"});
    check_usage_error({"grid", "--rule", "seed-009"}, {"--rule", "seed-000|seed-001|seed-002"});
    check_usage_error({"grid", "--models", "llama-2-7b,nope-1b"}, {"nope-1b"});
    check_usage_error({"grid", "--sizes", "7B,huge"}, {"huge"});
    check_usage_error({"frobnicate"}, {"estimate, grid"});
    check_usage_error({}, {"estimate, grid"});
    check_usage_error({"models", "--format", "yaml"}, {"--format"});
}

TEST_CASE("cli: a broken or missing --config file is a usage error", "[cli]") {
    const std::string path = "vramcalc_test_broken_config.json";
    {
        std::ofstream f(path);
        f << "{ \"model_type\": \"llama\", \"hidden_size\": ";
    }
    check_usage_error({"estimate", "--config", path}, {"--config", path});
    {
        std::ofstream f(path);
        f << "{\"model_type\": \"llama\"}";   // valid JSON, no shape
    }
    check_usage_error({"estimate", "--config", path}, {"--config"});
    std::remove(path.c_str());
    check_usage_error({"estimate", "--config", "/no/such/config.json"}, {"--config", "cannot read"});
}

TEST_CASE("cli: every config.json fixture estimates, and its share link gives the same JSON", "[cli]") {
    const std::filesystem::path dir = std::filesystem::path(VRAMCALC_SOURCE_DIR) / "tests" / "fixtures" / "hf";
    if (!std::filesystem::is_directory(dir)) return;
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        INFO(entry.path().string());
        const json a = estimate_json({"--config", entry.path().string()});
        check_numbers(a);
        CHECK(a["model"]["id"] == "custom");
        const json b = estimate_json({"--link", a["link"].get<std::string>()});
        CHECK(a == b);
        ++n;
    }
    CHECK(n > 0);
}

TEST_CASE("cli: --zero 3 with one GPU is fine", "[cli]") {
    const Run r = run({"estimate", "--zero", "3", "--gpus", "1", "--method", "full"});
    INFO(r.err);
    CHECK(r.rc == 0);
    CHECK(r.err.empty());
}

TEST_CASE("cli: grid --rule seed-002 --format csv prints the article's table exactly", "[cli]") {
    const Run r = run({"grid", "--rule", "seed-002", "--format", "csv"});
    INFO(r.err);
    REQUIRE(r.rc == 0);
    CHECK(r.out ==
          "Method,Precision,7B,13B,30B,70B,110B\n"
          "Full,16,67GB,125GB,288GB,672GB,1056GB\n"
          "LoRA,16,15GB,28GB,63GB,146GB,229GB\n"
          "QLoRA,8,9GB,17GB,38GB,88GB,138GB\n"
          "QLoRA,4,5GB,9GB,20GB,46GB,72GB\n");
}

TEST_CASE("cli: grid formats", "[cli]") {
    Run r = run({"grid", "--format", "csv"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.rfind("Method,Precision,7B (GiB),13B (GiB),30B (GiB),70B (GiB),110B (GiB)\n", 0) == 0);
    CHECK(count_lines(r.out) == 6);   // header + Full, LoRA, QLoRA 8, QLoRA 4, Freeze
    CHECK_FALSE(has_nan_or_inf(r.out));

    r = run({"grid", "--format", "csv", "--units", "GB", "--models", "llama-2-7b,qwen2.5-7b"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.rfind("Method,Precision,llama-2-7b (GB),qwen2.5-7b (GB)\n", 0) == 0);

    r = run({"grid", "--sizes", "1B,3B"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("3B") != std::string::npos);

    r = run({"grid", "--rule", "seed-002"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("67GB") != std::string::npos);
    CHECK(r.out.find("why it differs") != std::string::npos);

    r = run({"grid", "--rule", "seed-000", "--format", "md"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("| Method |") != std::string::npos);

    r = run({"grid", "--format", "json"});
    REQUIRE(r.rc == 0);
    const json j = json::parse(r.out);
    CHECK(j["rows"].size() == 5);
    CHECK(j["columns"].size() == 5);
    check_numbers(j);
}

TEST_CASE("cli: --link and the equivalent flags give the same JSON", "[cli]") {
    const std::string link = "#v=1&m=llama-2-7b&meth=qlora&r=64&qb=8&mb=4&s=4096&ck=full&n=2&z=2&gpu=a100-sxm-80gb";
    const json a = estimate_json({"--link", link});
    const json b = estimate_json({"--model", "llama-2-7b", "--method", "qlora", "--lora-rank", "64", "--quant-bits", "8",
                                  "--micro-batch", "4", "--seq-len", "4096", "--grad-checkpointing", "full", "--gpus",
                                  "2", "--zero", "2", "--gpu", "a100-sxm-80gb"});
    CHECK(a == b);
    CHECK(a["link"] == link);
    // Later flags override the link.
    const json c = estimate_json({"--link", link, "--micro-batch", "1"});
    const json d = estimate_json({"--link", link});
    CHECK(c["per_gpu_bytes"]["activations"].get<int64_t>() < d["per_gpu_bytes"]["activations"].get<int64_t>());
    // The link the CLI prints reads back to the same estimate.
    const json e = estimate_json({"--params", "13B", "--method", "full", "--precision", "bf16-mixed", "--gpus", "8",
                                  "--zero", "3", "--optimizer", "adamw-8bit", "--tokens", "2B", "--price", "2.5"});
    const json f = estimate_json({"--link", e["link"].get<std::string>()});
    CHECK(e == f);
}

TEST_CASE("cli: unknown time and cost are null in JSON, and --tflops travels in the link", "[cli]") {
    // The A10G has no compute figure and no price in the catalog.
    const json a = estimate_json({"--model", "llama-2-7b", "--method", "lora", "--gpu", "a10g-24gb"});
    for (const char* k : {"time_hours", "gpu_hours", "tokens_per_second", "cost_usd", "energy_kwh", "peak_tflops"}) {
        INFO(k);
        CHECK(a[k].is_null());
    }
    const json b = estimate_json({"--model", "llama-2-7b", "--method", "lora", "--gpu", "a10g-24gb", "--tflops", "125"});
    CHECK(b["peak_tflops"].get<double>() == 125);
    CHECK(b["time_hours"].get<double>() > 0);
    CHECK(b["cost_usd"].is_null());   // still no price
    CHECK(b["link"].get<std::string>().find("tf=125") != std::string::npos);
    CHECK(estimate_json({"--link", b["link"].get<std::string>()}) == b);
    const Run t = run({"estimate", "--model", "llama-2-7b", "--gpu", "a10g-24gb"});
    CHECK(t.out.find("time, cost, energy: unknown") != std::string::npos);
    CHECK(t.out.find("0.0 h") == std::string::npos);
    CHECK(run({"estimate", "--model", "llama-2-7b", "--tflops", "1e6"}).rc == 2);
    // No TDP (GB200): energy is null and says unknown; the GPU list shows '-' for what it lacks.
    CHECK(estimate_json({"--gpu", "gb200-per-gpu"})["energy_kwh"].is_null());
    CHECK(run({"estimate", "--gpu", "gb200-per-gpu"}).out.find("energy: unknown") != std::string::npos);
    const std::string list = run({"gpus"}).out;
    const size_t at = list.find("a10g-24gb");
    REQUIRE(at != std::string::npos);
    const std::string line = list.substr(at, list.find('\n', at) - at);
    CHECK(line.find(" 0 ") == std::string::npos);
    CHECK(line.find(" - ") != std::string::npos);
}

TEST_CASE("cli: --help lists every option with its default", "[cli]") {
    const Run r = run({"estimate", "--help"});
    REQUIRE(r.rc == 0);
    const std::string& h = r.out;
    for (const char* opt :
         {"--model", "--config", "--params", "--active-params", "--shared-params", "--method", "--lora-rank",
          "--lora-alpha", "--lora-targets", "--quant-bits", "--double-quant", "--train-layers", "--train-experts",
          "--precision", "--optimizer", "--micro-batch", "--seq-len", "--grad-accum", "--grad-checkpointing",
          "--attention", "--gpus", "--zero", "--offload-optimizer", "--offload-params", "--tp", "--pp", "--ep", "--gpu",
          "--tokens", "--mfu", "--tflops", "--price", "--units", "--format", "--framework", "--chunked-ce", "--fused-linear-ce", "--activation-offload",
          "--lora-experts", "--lora-dropout", "--lora-fa", "--dora", "--bnb-pre-0.44", "--galore-rank", "--state-dtype", "--optimizer-impl", "--set-to-none", "--train-attention", "--train-mlp", "--train-router",
          "--train-norms", "--train-embeddings", "--train-lm-head", "--pue", "--power-fraction", "--link",
          "--explain"}) {
        INFO(opt);
        const std::string key = std::string("  ") + opt + " ";
        size_t pos = h.find(key);
        if (pos == std::string::npos) pos = h.find(std::string("  ") + opt + "\n");
        REQUIRE(pos != std::string::npos);
        const size_t next = h.find("\n  --", pos + 1);
        const std::string entry = h.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        CHECK(entry.find("default") != std::string::npos);
    }
    // The enum choices come from core's tables.
    CHECK(h.find(enum_choices<Precision>()) != std::string::npos);
    CHECK(h.find(enum_choices<Optimizer>()) != std::string::npos);
    CHECK(h.find(enum_choices<Framework>()) != std::string::npos);

    const Run g = run({"grid", "--help"});
    REQUIRE(g.rc == 0);
    for (const char* opt : {"--rule", "--models", "--sizes", "--examples"}) CHECK(g.out.find(opt) != std::string::npos);
    const Run top = run({"--help"});
    CHECK(top.rc == 0);
    for (const char* cmd : {"estimate", "grid", "models", "gpus", "seeds"}) CHECK(top.out.find(cmd) != std::string::npos);
}

TEST_CASE("cli: the catalogs in every format", "[cli]") {
    for (const char* what : {"models", "gpus"}) {
        INFO(what);
        Run r = run({what, "--format", "json"});
        REQUIRE(r.rc == 0);
        const json j = json::parse(r.out);
        REQUIRE(j.is_array());
        CHECK(j.size() > 10);
        CHECK(j[0].contains("id"));
        CHECK(j[0].contains("name"));
        check_numbers(j);
        for (const char* f : {"text", "md", "csv"}) {
            r = run({what, "--format", f});
            CHECK(r.rc == 0);
            CHECK(count_lines(r.out) > 10);
        }
    }
    const json m = json::parse(run({"models", "--format", "json"}).out);
    bool found = false;
    for (const auto& x : m)
        if (x["id"] == "llama-2-7b") {
            found = true;
            CHECK(x["params_total"].get<int64_t>() == 6738415616);
        }
    CHECK(found);
    const std::string gcsv = run({"gpus", "--format", "csv"}).out;
    CHECK(gcsv.find("h100-sxm-80gb,") != std::string::npos);
}

TEST_CASE("cli: seeds and grid --examples", "[cli]") {
    Run r = run({"seeds"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("seed-001") != std::string::npos);
    CHECK_FALSE(has_nan_or_inf(r.out));
    r = run({"seeds", "--format", "json"});
    REQUIRE(r.rc == 0);
    const json j = json::parse(r.out);
    CHECK(j.is_array());
    CHECK_FALSE(j.empty());
    check_numbers(j);
    CHECK(run({"grid", "--examples"}).out == run({"seeds"}).out);
}

TEST_CASE("cli: freeze layer ranges, MoE counts, offload and every enum value run", "[cli]") {
    json j = estimate_json({"--model", "mixtral-8x7b", "--method", "freeze", "--train-layers", "last:6",
                            "--train-experts", "2"});
    CHECK(j["link"].get<std::string>().find("tl=from:26") != std::string::npos);
    j = estimate_json({"--params", "47B", "--active-params", "13B", "--shared-params", "1.6B", "--method", "lora"});
    CHECK(j["params"]["total"].get<double>() == Approx(47e9).epsilon(1e-4));
    j = estimate_json({"--method", "full", "--gpus", "8", "--zero", "3", "--offload-optimizer", "--offload-params"});
    CHECK(j["cpu_bytes"].get<int64_t>() > 0);
    check_numbers(j);
    for (const auto& nv : enum_table<Precision>()) check_numbers(estimate_json({"--precision", std::string(nv.name)}));
    for (const auto& nv : enum_table<Optimizer>())
        check_numbers(estimate_json({"--method", "full", "--optimizer", std::string(nv.name)}));
    for (const auto& nv : enum_table<Framework>()) check_numbers(estimate_json({"--framework", std::string(nv.name)}));
    for (const auto& nv : enum_table<Checkpointing>())
        check_numbers(estimate_json({"--grad-checkpointing", std::string(nv.name)}));
    for (const auto& nv : enum_table<Attention>()) check_numbers(estimate_json({"--attention", std::string(nv.name)}));
    for (const auto& nv : enum_table<Method>()) check_numbers(estimate_json({"--method", std::string(nv.name)}));
    // Flags accept =false.
    j = estimate_json({"--method", "qlora", "--double-quant=false"});
    CHECK(j["link"].get<std::string>().find("dq=0") != std::string::npos);
}

TEST_CASE("cli: the real binary exits with the documented codes", "[cli]") {
    const std::string bin = VRAMCALC_CLI_PATH;
    const auto shell = [](const std::string& cmd, std::string& out) {
        out.clear();
        FILE* p = popen(cmd.c_str(), "r");
        REQUIRE(p != nullptr);
        char buf[4096];
        size_t n = 0;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
        const int status = pclose(p);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    };
    std::string out;
    CHECK(shell("'" + bin + "' estimate --model llama-2-7b --format json", out) == 0);
    const json j = json::parse(out);
    CHECK(j["params"]["total"].get<int64_t>() == 6738415616);
    CHECK(shell("'" + bin + "' estimate --seq-len 0 2>/dev/null", out) == 2);
    CHECK(out.empty());
    CHECK(shell("'" + bin + "' estimate --seq-len 0 2>&1", out) == 2);
    CHECK(count_lines(out) == 1);
    CHECK(shell("'" + bin + "' grid --rule seed-002 --format csv", out) == 0);
    CHECK(out.rfind("Method,Precision,7B,13B,30B,70B,110B\nFull,16,67GB,", 0) == 0);
}

// Found by tests/fuzz_cli.py: each of these crashed, printed a wrong figure or lost state.
TEST_CASE("cli: --tp x --pp beyond int range is a usage error, not a division by zero", "[cli][fuzz]") {
    // 65536 x 65536 wrapped to 0 in int: SIGFPE (exit 136). 32768 x 65536 printed a negative product.
    check_usage_error({"estimate", "--tp", "65536", "--pp", "65536"},
                      {"--gpus 1 is not a multiple of --tp x --pp = 4294967296"});
    check_usage_error({"estimate", "--tp", "32768", "--pp", "65536"},
                      {"--gpus 1 is not a multiple of --tp x --pp = 2147483648"});
    check_usage_error({"estimate", "--model", "mixtral-8x7b", "--gpus", "1048576", "--tp", "65536", "--pp", "65536",
                       "--ep", "2"},
                      {"--gpus 1048576 is not a multiple of --tp x --pp = 4294967296"});
}

TEST_CASE("cli: a config.json name with control characters prints on one line and its link reads back", "[cli][fuzz]") {
    const std::string path = "vramcalc_test_name_config.json";
    {
        std::ofstream f(path);
        f << "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_hidden_layers\": 32, "
             "\"num_attention_heads\": 32, \"intermediate_size\": 11008, \"vocab_size\": 32000, "
             "\"_name_or_path\": \"evil\\nname\\u001b[2J" << std::string(200, 'x') << "\"}";
    }
    const Run text = run({"estimate", "--config", path});
    REQUIRE(text.rc == 0);
    CHECK(text.out.rfind("evil name [2Jxxx", 0) == 0);
    CHECK(text.out.find('\x1b') == std::string::npos);
    const json a = estimate_json({"--config", path});
    CHECK(a["model"]["name"].get<std::string>().size() == 120);
    // The printed link was refused on the way back ("nm: value too long" / control characters).
    const json b = estimate_json({"--link", a["link"].get<std::string>()});
    CHECK(a == b);
    std::remove(path.c_str());
}

TEST_CASE("cli: a grid where no cell can be estimated is a usage error", "[cli][fuzz]") {
    // Was exit 0 with every cell blank (csv) or n/a (text).
    check_usage_error({"grid", "--pp", "100", "--gpus", "100", "--format", "csv"},
                      {"no grid cell can be estimated; Full 16-bit, 7B: --pp 100 exceeds the 32 layers"});
    check_usage_error({"grid", "--ep", "2", "--gpus", "2"},
                      {"no grid cell can be estimated", "--ep needs a mixture-of-experts model"});
    check_usage_error({"grid", "--micro-batch", "65536", "--seq-len", "16385", "--format", "json"},
                      {"tokens per micro-batch; must be at most 1073741824"});
    // Some cells valid: the grid prints, the others say why.
    const Run r = run({"grid", "--tp", "3", "--gpus", "3"});
    CHECK(r.rc == 0);
    CHECK(r.out.find("--tp 3 does not divide the 32 attention heads") != std::string::npos);
}

TEST_CASE("cli: control characters echoed from a bad value are neutralised in the error line", "[cli][fuzz]") {
    const Run r = run({"estimate", "--model", "a\x1b[2Jb\tc"});
    CHECK(r.rc == 2);
    CHECK(r.err.find("unknown model 'a?[2Jb c'") != std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
    CHECK(count_lines(r.err) == 1);
}

TEST_CASE("cli: --config refuses a directory and an endless file with one line", "[cli][fuzz]") {
    // A directory was "not valid JSON"; /dev/zero was read until memory ran out.
    const std::string dir = std::string(VRAMCALC_SOURCE_DIR) + "/tests";
    check_usage_error({"estimate", "--config", dir}, {"--config " + dir + ": is a directory"});
    if (std::filesystem::exists("/dev/zero"))
        check_usage_error({"estimate", "--config", "/dev/zero"}, {"--config /dev/zero: is larger than 64 MiB"});
}

TEST_CASE("cli: a tiny --mfu is refused instead of printing an infinite time as 0.0 h", "[cli][fuzz]") {
    // --mfu 1e-308 gave time_hours inf, printed "time: 0.0 h" and json 0.0.
    check_usage_error({"estimate", "--mfu", "1e-308"},
                      {"--mfu 1e-308: must be 0 (the GPU's typical figure) or a fraction 0.001..1"});
    check_usage_error({"estimate", "--tokens", "1e17"}, {"--tokens 1e17", "at most 1e16"});
    check_usage_error({"estimate", "--power-fraction", "0"}, {"--power-fraction 0: must be a number above 0 and at most 1.5"});
    const json j = estimate_json({"--mfu", "0.001", "--tokens", "1e16", "--price", "10000", "--power-fraction", "1.5"});
    CHECK(j["time_hours"].get<double>() > 1e9);
    CHECK(std::isfinite(j["cost_usd"].get<double>()));
}

TEST_CASE("cli: CLI11's parse errors read as typed", "[cli][fuzz]") {
    // Were "stray values '2 -g'" (reversed), "Could not convert: --explain = maybe" and
    // "--gpus: 1 required N missing".
    check_usage_error({"estimate", "-g", "2"}, {"unknown options or stray values '-g 2'"});
    check_usage_error({"estimate", "--bogus", "x", "y"}, {"'--bogus x y'"});
    check_usage_error({"estimate", "--explain=maybe"}, {"--explain=maybe: must be true or false (1 or 0)"});
    check_usage_error({"estimate", "--gpus"}, {"--gpus needs a value (N)"});
}

TEST_CASE("cli: --params and --sizes name the range resolve_model() takes", "[cli][fuzz]") {
    check_usage_error({"estimate", "--params", "500T"}, {"--params 500T", "1M..100T"});
    check_usage_error({"estimate", "--params", "1"}, {"--params 1", "1M..100T"});
    check_usage_error({"grid", "--sizes", "7B,500T"}, {"--sizes: '500T'", "1M..100T"});
    // The synthesized shape may overshoot a bare count by a few parts per million (resolve_model
    // only carries an undershoot as extra parameters).
    const int64_t total = estimate_json({"--params", "100T"})["params"]["total"].get<int64_t>();
    CHECK(total >= 100'000'000'000'000);
    CHECK(total <= 100'001'000'000'000);
}

TEST_CASE("cli: the verdict names paged optimizer states it leaves out of the fit", "[cli]") {
    // Llama-3.1-8B full with paged 32-bit AdamW: 8 B x 8,030,261,248 = 64,242,089,984 B = 59.83 GiB
    // of paged states, in nvidia-smi's figure but not in the headroom.
    const Run r = run({"estimate", "--method", "full", "--optimizer", "paged-adamw"});
    REQUIRE(r.rc == 0);
    CHECK(r.out.find("not counting 59.83 GiB of paged optimizer states") != std::string::npos);
    const Run plain = run({"estimate", "--method", "full", "--optimizer", "adamw"});
    CHECK(plain.out.find("paged optimizer states, which") == std::string::npos);
    // The JSON names them too, so a reader can decide `fits` as the CLI does.
    const Run j = run({"estimate", "--method", "full", "--optimizer", "paged-adamw", "--format", "json"});
    REQUIRE(j.rc == 0);
    CHECK(j.out.find("\"paged_bytes\": 64242089984") != std::string::npos);
    const Run jp = run({"estimate", "--method", "full", "--optimizer", "adamw", "--format", "json"});
    CHECK(jp.out.find("\"paged_bytes\": 0") != std::string::npos);
}
