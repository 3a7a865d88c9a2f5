// bench_speed — how long one estimate and the default grid take natively. Prints figures;
// asserts nothing (speed goals live here, never in timed tests).
#include <chrono>
#include <cstdio>

#include "catalog.h"
#include "estimate.h"
#include "grid.h"

using namespace vramcalc;

namespace {
template <class F>
double ns_per_call(int n, F&& f) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) f(i);
    const auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / n;
}
volatile int64_t sink = 0;
}  // namespace

int main() {
    TrainingConfig c;   // the page's first screen: Llama-3.1-8B LoRA on one H100
    const Result<Architecture> a = resolve_model(c.model);
    const Gpu* g = find_gpu(c.gpu_id);
    if (!a || !g) {
        std::fprintf(stderr, "bench_speed: default model or GPU missing from the catalog\n");
        return 1;
    }
    EstimateOptions quiet;
    quiet.explain = false;
    quiet.search_gpus = false;
    const double hot = ns_per_call(200000, [&](int i) {
        TrainingConfig x = c;
        x.micro_batch = 1 + (i & 7);
        sink = sink + estimate_resolved(x, *a, *g, quiet).peak;
    });
    const double full = ns_per_call(2000, [&](int i) {
        TrainingConfig x = c;
        x.micro_batch = 1 + (i & 7);
        sink = sink + estimate(x).value->device_used;
    });
    const double grid = ns_per_call(20, [&](int) {
        const Grid gr = make_grid(c, default_grid_rows(), default_grid_columns(), Rule::seed_002);
        sink = sink + gr.cells[0].device_used;
    });
    std::printf("bench_speed: estimate_resolved (no words, no search): %.0f ns per estimate\n", hot);
    std::printf("bench_speed: estimate() with assumptions and GPU search: %.1f us\n", full / 1000);
    std::printf("bench_speed: default grid (5 methods x 5 sizes, with search): %.2f ms\n", grid / 1e6);
    return 0;
}
