// panel_cost.cpp — time, GPU-hours, cost and energy of the run, with what they rest on.
#include <cstdio>

#include "catalog.h"
#include "panels.h"
#include "ui.h"

using namespace vramcalc;

static void row(const char* name, const std::string& value, const char* how) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(name);
    ImGui::TableSetColumnIndex(1);
    ui::push_strong();
    ImGui::TextUnformatted(value.c_str());
    ui::pop_strong();
    ImGui::TableSetColumnIndex(2);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", how);
    ImGui::PopStyleColor();
}

void draw_cost(AppState& s) {
    if (!s.has_est) return;
    const Estimate& e = s.est;
    const Gpu* g = find_gpu(s.cfg.gpu_id);
    char buf[64], how[256];
    if (ImGui::BeginTable("cost", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 4.0f);
        std::snprintf(buf, sizeof buf, "%s tokens", format_count(static_cast<int64_t>(s.cfg.tokens)).c_str());
        row("Training tokens", buf, "Set under GPU, time and cost.");
        std::snprintf(buf, sizeof buf, "%.3g GFLOP", e.flops_per_token / 1e9);
        row("FLOPs per token", buf, "Forward + backward (+ recompute with checkpointing); about 6 x active params for full "
                                    "training, less for LoRA (no weight gradients for the frozen base).");
        if (!e.time_known()) {
            row("Time, cost, energy", "unknown",
                "The catalog has no compute figure for this GPU: set its dense peak TFLOPS under GPU, time and cost.");
            ImGui::EndTable();
            return;
        }
        std::snprintf(buf, sizeof buf, "%.0f%%", e.mfu * 100);
        std::snprintf(how, sizeof how, "Share of %s's dense peak (%.4g TFLOPS%s) the run achieves%s.", g ? g->name.c_str() : "the GPU",
                      e.peak_tflops, s.cfg.peak_tflops > 0 ? ", as set" : "", s.cfg.mfu <= 0 ? ": a typical value for this method" : ", as set");
        row("MFU", buf, how);
        std::snprintf(buf, sizeof buf, "%.0f tok/s", e.tokens_per_second);
        if (s.cfg.gpus > 1) std::snprintf(how, sizeof how, "All %d GPUs together: GPUs x peak x MFU / FLOPs per token.", s.cfg.gpus);
        else std::snprintf(how, sizeof how, "One GPU: peak x MFU / FLOPs per token.");
        row("Throughput", buf, how);
        row("Wall-clock time", ui::hours(e.time_hours), "Tokens / throughput. No data loading, evaluation or checkpoint saving.");
        std::snprintf(buf, sizeof buf, "%.1f", e.gpu_hours);
        row("GPU-hours", buf, "Time x GPUs.");
        if (e.cost_known()) {
            std::snprintf(how, sizeof how, "GPU-hours x $%.2f per GPU-hour%s.", e.price_per_gpu_hour,
                          s.cfg.price_per_gpu_hour < 0 ? (g && !g->price_source.empty() ? (" (" + g->price_source + ")").c_str() : " (catalog)") : " (as set)");
            row("Cost", ui::money(e.cost_usd), how);
        } else {
            row("Cost", "unknown", "No price known for this GPU: set $ per GPU-hour under GPU, time and cost.");
        }
        if (e.energy_known()) {
            std::snprintf(buf, sizeof buf, "%.1f kWh", e.energy_kwh);
            std::snprintf(how, sizeof how, "GPU-hours x %.0f W TDP x %.0f%% average draw x PUE %.2f. GPUs only: no CPUs, network or cooling beyond PUE.",
                          e.gpu_tdp_w, s.cfg.gpu_power_fraction * 100, s.cfg.pue);
            row("Energy", buf, how);
        } else {
            row("Energy", "unknown", "The catalog has no TDP for this GPU.");
        }
        ImGui::EndTable();
    }
}
