// The embedded catalog: sizes, lookups, suggestions, GPU facts, and that assets/*.json are what
// tools/gen_catalog.py makes from ../shared/catalog (when that folder is present).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "catalog.h"

using namespace vramcalc;

TEST_CASE("catalog sizes and ids", "[catalog]") {
    CHECK(models().size() == 55);
    CHECK(gpus().size() == 28);
    std::set<std::string> ids;
    for (const ModelEntry& m : models()) {
        INFO(m.arch.id);
        CHECK(ids.insert(m.arch.id).second);
        CHECK_FALSE(m.arch.name.empty());
        CHECK_FALSE(m.arch.family.empty());
        CHECK_FALSE(m.source.empty());
        CHECK(m.catalog_total_params > 0);
        CHECK(m.catalog_active_params > 0);
        CHECK(m.catalog_active_params <= m.catalog_total_params);
    }
    std::set<std::string> gids;
    for (const Gpu& g : gpus()) {
        INFO(g.id);
        CHECK(gids.insert(g.id).second);
        CHECK_FALSE(g.name.empty());
        CHECK_FALSE(g.generation.empty());
        CHECK_FALSE(g.source.empty());
        CHECK(g.memory_bytes > 8LL * 1024 * 1024 * 1024);
        CHECK(g.price_per_hour >= 0);
    }
}

TEST_CASE("model lookups", "[catalog]") {
    const ModelEntry* m = find_model("llama-3.1-8b");
    REQUIRE(m != nullptr);
    CHECK(m->arch.hidden_size == 4096);
    CHECK(m->arch.num_key_value_heads == 8);
    CHECK(m->arch.vocab_size == 128256);
    CHECK(m->hf_repo == "meta-llama/Llama-3.1-8B");
    CHECK(m->arch.reference_total_params == 8'030'261'248);
    CHECK(find_model("LLAMA-3.1-8B") == m);   // ids match case-insensitively
    CHECK(find_model("llama-9") == nullptr);
    CHECK(find_model("") == nullptr);

    const ModelEntry* ds = find_model("deepseek-v3");
    REQUIRE(ds != nullptr);
    CHECK(ds->arch.is_mla());
    CHECK(ds->arch.num_experts == 256);
    CHECK(ds->arch.first_k_dense_replace == 3);
    CHECK(ds->published_total.find("671B") != std::string::npos);

    const ModelEntry* t5 = find_model("flan-t5-xl");
    REQUIRE(t5 != nullptr);
    CHECK(t5->arch.num_encoder_layers == 24);
    CHECK(t5->arch.num_hidden_layers == 24);

    // Llama 3.2: keras-hub's figure counts an untied lm_head copy, so it is no reference here.
    CHECK(find_model("llama-3.2-1b")->arch.reference_total_params == 0);
    CHECK(find_model("llama-3.2-1b")->arch.tie_word_embeddings);
}

TEST_CASE("GPU facts", "[catalog]") {
    const Gpu* h100 = find_gpu("h100-sxm-80gb");
    REQUIRE(h100 != nullptr);
    CHECK(h100->memory_bytes == 81559LL * 1024 * 1024);   // nvidia-smi total, not 80e9
    CHECK(h100->generation == "hopper");
    CHECK(h100->vendor == "NVIDIA");
    CHECK(h100->bf16_tflops == Approx(989));
    CHECK(h100->fp8_tflops == Approx(1979));
    CHECK(h100->bandwidth_gbs == Approx(3350));
    CHECK(h100->price_per_hour == Approx(3.99));
    CHECK_FALSE(h100->price_source.empty());

    const Gpu* mi300 = find_gpu("mi300x-192gb");
    REQUIRE(mi300 != nullptr);
    CHECK(mi300->memory_bytes == 192LL * 1024 * 1024 * 1024);   // marketed, no smi reading
    CHECK(mi300->generation == "cdna3");
    CHECK(mi300->price_per_hour == 0);                        // unknown
    CHECK(find_gpu("v100-sxm2-16gb")->fp8_tflops == 0);
    CHECK(find_gpu("a100-sxm-40gb")->memory_bytes == 40960LL * 1024 * 1024);
    CHECK(find_gpu("rtx-4090")->generation == "ada");
    CHECK(find_gpu("b200-sxm-180gb")->generation == "blackwell");
    CHECK(find_gpu("H100-SXM-80GB") == h100);
    CHECK(find_gpu("h100") == nullptr);
}

TEST_CASE("suggestions for misspelt ids", "[catalog]") {
    CHECK(suggest_model("lama-3.1-8b").find("llama-3.1-8b") == 0);   // closest first
    CHECK(suggest_model("mixtral").find("mixtral-8x7b") != std::string::npos);
    const std::string s = suggest_model("qwen3");
    CHECK(std::count(s.begin(), s.end(), ',') == 2);                // at most three
    CHECK(suggest_gpu("h100").find("h100-") != std::string::npos);
    CHECK(suggest_gpu("a100-sxm-80").find("a100-sxm-80gb") == 0);
    CHECK(suggest_model("zzzzzzzzzzzzzzzzzzzzzzzzzz").empty());
}

TEST_CASE("assets/*.json are up to date with ../shared/catalog", "[catalog][gen]") {
    const std::filesystem::path src(VRAMCALC_SOURCE_DIR);
    const std::filesystem::path shared = src / ".." / "shared" / "catalog" / "models.csv";
    std::error_code ec;
    if (!std::filesystem::exists(shared, ec)) {
        WARN("../shared/catalog not present; gen_catalog.py --check skipped");
        return;
    }
    const std::string cmd = "python3 \"" + (src / "tools" / "gen_catalog.py").string() + "\" --check";
    CHECK(std::system(cmd.c_str()) == 0);

    // A stale copy is caught: --check against a folder whose gpus.json was edited by hand.
    const std::filesystem::path tmp = std::filesystem::temp_directory_path() / "vramcalc_gen_catalog_check";
    std::filesystem::create_directories(tmp, ec);
    std::filesystem::copy_file(src / "assets" / "models.json", tmp / "models.json",
                               std::filesystem::copy_options::overwrite_existing, ec);
    {
        std::ofstream stale(tmp / "gpus.json");
        stale << "{}\n";
    }
    const std::string stale_cmd = cmd + " --out \"" + tmp.string() + "\" 2> /dev/null";
    CHECK(std::system(stale_cmd.c_str()) != 0);
    std::filesystem::remove_all(tmp, ec);
}

namespace {
// The code points assets/fonts/make-subset.sh keeps (its --unicodes='U+XXXX,U+XXXX-YYYY,...').
std::vector<std::pair<unsigned, unsigned>> font_ranges() {
    std::ifstream in(std::string(VRAMCALC_SOURCE_DIR) + "/assets/fonts/make-subset.sh");
    const std::string sh((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t b = sh.find("--unicodes='");
    std::vector<std::pair<unsigned, unsigned>> out;
    if (b == std::string::npos) return out;
    const size_t e = sh.find('\'', b + 12);
    std::string list = sh.substr(b + 12, e - b - 12) + ",";
    for (size_t p = 0, q; (q = list.find(',', p)) != std::string::npos; p = q + 1) {
        const std::string item = list.substr(p, q - p);   // U+XXXX or U+XXXX-YYYY
        const size_t dash = item.find('-');
        const unsigned lo = static_cast<unsigned>(std::stoul(item.substr(2, dash == std::string::npos ? std::string::npos : dash - 2), nullptr, 16));
        const unsigned hi = dash == std::string::npos ? lo : static_cast<unsigned>(std::stoul(item.substr(dash + 1), nullptr, 16));
        out.emplace_back(lo, hi);
    }
    return out;
}
}  // namespace

TEST_CASE("the page's subset font covers every character the core's and the page's sources use", "[catalog]") {
    // A glyph missing from the embedded font draws as ImGui's fallback box, so any symbol added to
    // a text in core/ or web/ must be added to the subset too (assets/fonts/make-subset.sh).
    const auto ranges = font_ranges();
    REQUIRE(ranges.size() >= 2);
    auto covered = [&](unsigned cp) {
        return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) { return cp >= r.first && cp <= r.second; });
    };
    int files = 0;
    for (const char* dir : {"core", "web"}) {
        for (const auto& f : std::filesystem::directory_iterator(std::string(VRAMCALC_SOURCE_DIR) + "/" + dir)) {
            const std::string ext = f.path().extension().string();
            if (ext != ".cpp" && ext != ".h") continue;
            ++files;
            std::ifstream in(f.path(), std::ios::binary);
            const std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            for (size_t i = 0; i < t.size();) {
                const auto c = static_cast<unsigned char>(t[i]);
                if (c < 0x80) { ++i; continue; }
                const int n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;   // UTF-8 lead byte
                unsigned cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
                for (int k = 1; k < n && i + static_cast<size_t>(k) < t.size(); ++k)
                    cp = (cp << 6) | (static_cast<unsigned char>(t[i + static_cast<size_t>(k)]) & 0x3F);
                INFO(f.path().filename().string() << " uses U+" << std::hex << cp);
                CHECK(covered(cp));
                i += static_cast<size_t>(n);
            }
        }
    }
    CHECK(files > 20);
    CHECK(covered(0x2014));
    CHECK_FALSE(covered(0x03C3));   // σ left the subset with the other unused symbols
}
