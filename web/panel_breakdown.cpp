// panel_breakdown.cpp — the verdict (fits or not, by how much, fewest GPUs, what to change), the
// stacked per-GPU memory bar against the GPU's capacity line, and the table of components.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "catalog.h"
#include "panels.h"
#include "ui.h"

using namespace vramcalc;

static const char* gpu_short(const AppState& s) {
    const Gpu* g = find_gpu(s.cfg.gpu_id);
    return g ? g->name.c_str() : s.cfg.gpu_id.c_str();
}

// A suggestion from core ("turn on full gradient checkpointing (75.9 GiB)") as a sentence.
static std::string sentence(const std::string& t) {
    std::string out = t;
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
    return out;
}

static void verdict_line(AppState& s, const char* text, bool bullet, bool strong = false) {
    if (bullet) ImGui::Bullet();
    if (strong) ui::push_strong();
    ImGui::TextWrapped("%s", text);
    if (strong) ui::pop_strong();
    s.verdict.emplace_back(text);
}

void draw_verdict(AppState& s) {
    s.verdict.clear();
    if (!s.has_est) {
        ui::large_text(ui::kBad, "This configuration cannot be estimated");
        s.verdict.emplace_back("This configuration cannot be estimated");
        verdict_line(s, s.error.c_str(), false);
        if (s.has_last_good) {
            const bool undo = ImGui::Button("Undo: back to the last configuration that worked");
            record_rect(s, UiRect::undo);
            ui::help("Restores every input as it was before the last edit that made the estimate fail.");
            if (undo) {
                s.cfg = s.last_good;
                sync_text_fields(s);
                mark_changed(s);
            }
        }
        return;
    }
    const Estimate& e = s.est;
    char buf[320];
    const double share = e.gpu_memory > 0 ? 100.0 * double(e.device_used) / double(e.gpu_memory) : 0;
    if (e.fits) {
        std::snprintf(buf, sizeof buf, "Fits: %s of %s per GPU (%.0f%%), %s to spare", ui::bytes(s, e.device_used, 1).c_str(),
                      ui::bytes(s, e.gpu_memory, 0).c_str(), share, ui::bytes(s, e.headroom, 1).c_str());
        ui::large_text(ui::kGood, buf);
    } else {
        std::snprintf(buf, sizeof buf, "Does not fit: needs %s per GPU, %s more than the %s it has", ui::bytes(s, e.device_used, 1).c_str(),
                      ui::bytes(s, -e.headroom, 1).c_str(), ui::bytes(s, e.gpu_memory, 0).c_str());
        ui::large_text(ui::kBad, buf);
    }
    s.verdict.emplace_back(buf);
    ImGui::TextDisabled("on %d x %s%s", s.cfg.gpus, gpu_short(s), s.cfg.gpus > 1 ? " (per GPU figures)" : "");
    char zero[32] = "";
    if (e.gpus_needed > 1 && e.gpus_needed_zero > 0) std::snprintf(zero, sizeof zero, " with ZeRO-%d", e.gpus_needed_zero);
    if (e.fits) {
        if (e.gpus_needed > 0 && e.gpus_needed < s.cfg.gpus) {
            std::snprintf(buf, sizeof buf, "It would also fit on %d x %s%s%s.", e.gpus_needed, gpu_short(s), zero,
                          e.gpus_needed_offload ? " (with CPU offload)" : "");
            verdict_line(s, buf, true);
        }
        return;
    }
    if (e.gpus_needed > 0) {
        std::snprintf(buf, sizeof buf, "Fewest %s that fit: %d%s%s, everything else as it is.", gpu_short(s), e.gpus_needed, zero,
                      e.gpus_needed_offload ? " (with CPU offload)" : "");
    } else {
        std::snprintf(buf, sizeof buf, "No number of %s fits this configuration as it stands.", gpu_short(s));
    }
    verdict_line(s, buf, false, true);
    bool any = false;
    for (const auto& sug : e.suggestions) {
        if (!any) verdict_line(s, "To make it fit, change one of these (per-GPU total after the change):", false, true);
        any = true;
        verdict_line(s, sentence(sug).c_str(), true);
    }
    if (!any && e.gpus_needed == 0)
        verdict_line(s, "No single change found: try a smaller model, a shorter sequence or a GPU with more memory.", true);
}

void draw_memory_bar(AppState& s) {
    if (!s.has_est) return;
    const Estimate& e = s.est;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = ImGui::GetContentRegionAvail().x;
    const float h = ImGui::GetFontSize() * 2.0f;
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float label_h = ImGui::GetTextLineHeight();
    const double total = double(std::max<int64_t>(e.device_used, 1));
    const double scale_max = std::max(total, double(e.gpu_memory)) * 1.04;
    const float px = float(w / scale_max);
    const ImVec2 b0(p0.x, p0.y + label_h + 2), b1(p0.x + w, p0.y + label_h + 2 + h);
    dl->AddRectFilled(b0, b1, IM_COL32(40, 45, 54, 255), 4);
    float x = b0.x;
    int hovered = -1;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (const auto& pi : part_table()) {
        const int64_t bytes = e.bytes(pi.part);
        if (bytes <= 0) continue;
        const float seg = float(double(bytes) * px);
        const int idx = static_cast<int>(pi.part);
        dl->AddRectFilled(ImVec2(x, b0.y), ImVec2(x + seg, b1.y), ui::part_color(idx));
        if (seg > 2) dl->AddLine(ImVec2(x + seg, b0.y), ImVec2(x + seg, b1.y), IM_COL32(28, 32, 38, 255), 1);
        if (mouse.x >= x && mouse.x < x + seg && mouse.y >= b0.y && mouse.y < b1.y) hovered = idx;
        if (seg > ImGui::CalcTextSize(pi.label.data()).x + 8) {
            dl->AddText(ImVec2(x + 4, b0.y + (h - label_h) / 2), IM_COL32(15, 18, 22, 255), pi.label.data());
        }
        x += seg;
    }
    // The capacity line
    const float cap_x = b0.x + float(double(e.gpu_memory) * px);
    const ImU32 cap_col = e.fits ? IM_COL32(235, 235, 240, 255) : ui::kBad;
    dl->AddLine(ImVec2(cap_x, b0.y - 3), ImVec2(cap_x, b1.y + 3), cap_col, 2.5f);
    char cap[96];
    std::snprintf(cap, sizeof cap, "%s capacity", ui::bytes(s, e.gpu_memory, 0).c_str());
    const float tw = ImGui::CalcTextSize(cap).x;
    dl->AddText(ImVec2(std::clamp(cap_x - tw / 2, p0.x, p0.x + w - tw), p0.y), cap_col, cap);
    char used[96];
    std::snprintf(used, sizeof used, "%s used", ui::bytes(s, e.device_used, 1).c_str());
    const float uw = ImGui::CalcTextSize(used).x;
    const float ux = b0.x + float(total * px);
    if (std::fabs(ux - cap_x) > (uw + tw) / 2 + 10)
        dl->AddText(ImVec2(std::clamp(ux - uw / 2, p0.x, p0.x + w - uw), p0.y), IM_COL32(200, 205, 215, 255), used);
    ImGui::Dummy(ImVec2(w, label_h + 2 + h + 4));
    if (hovered >= 0 && ImGui::BeginTooltip()) {
        const auto& pi = part_table()[static_cast<size_t>(hovered)];
        const auto& d = e.parts[static_cast<size_t>(hovered)];
        ui::heading(pi.label.data());
        ImGui::Text("%s (%.1f%% of device use)", ui::bytes(s, d.bytes).c_str(), 100.0 * double(d.bytes) / total);
        if (!d.formula.empty()) {
            ImGui::PushTextWrapPos(ui::wrap_em(30.0f));
            ImGui::TextDisabled("%s", d.formula.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::EndTooltip();
    }
}

void draw_memory_legend(AppState& s) {
    if (!s.has_est) return;
    const Estimate& e = s.est;
    const float sz = ImGui::GetTextLineHeight() * 0.7f;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    bool first = true;
    char buf[96];
    for (const auto& pi : part_table()) {
        const int64_t b = e.bytes(pi.part);
        if (b <= 0) continue;
        std::snprintf(buf, sizeof buf, "%.*s %s", static_cast<int>(pi.label.size()), pi.label.data(), ui::bytes(s, b, 1).c_str());
        const float w = sz + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(buf).x;
        if (!first) {
            ImGui::SameLine(0, ImGui::GetFontSize());
            if (ImGui::GetCursorScreenPos().x + w > right) ImGui::NewLine();
        }
        first = false;
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float off = (ImGui::GetTextLineHeight() - sz) / 2;
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + off), ImVec2(p.x + sz, p.y + off + sz),
                                                  ui::part_color(static_cast<int>(pi.part)), 2);
        ImGui::Dummy(ImVec2(sz, ImGui::GetTextLineHeight()));
        ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::TextDisabled("%s", buf);
    }
}

static void total_row(AppState& s, const char* name, int64_t bytes, const char* source, const char* what) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ui::push_strong();
    ImGui::TextUnformatted(name);
    ui::pop_strong();
    ui::help(what);
    ImGui::TableSetColumnIndex(1);
    ui::push_strong();
    ImGui::TextUnformatted(ui::bytes(s, bytes).c_str());
    ui::pop_strong();
    ui::help(what);
    ImGui::TableSetColumnIndex(2);
    if (s.est.gpu_memory > 0) ImGui::TextDisabled("%.0f%% of GPU", 100.0 * double(bytes) / double(s.est.gpu_memory));
    ImGui::TableSetColumnIndex(3);
    ImGui::TextDisabled("%s", source);
    ui::help(what);
}

void draw_breakdown_table(AppState& s) {
    if (!s.has_est) return;
    const Estimate& e = s.est;
    const double total = double(std::max<int64_t>(e.device_used, 1));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("breakdown", 4, flags)) {
        ImGui::TableSetupColumn("Component (per GPU)", ImGuiTableColumnFlags_WidthStretch, 4.2f);
        ImGui::TableSetupColumn(s.units == Units::GiB ? "GiB" : "GB", ImGuiTableColumnFlags_WidthStretch, 1.2f);
        ImGui::TableSetupColumn("Share", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn("Counted in", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableHeadersRow();
        for (const auto& pi : part_table()) {
            const auto& d = e.parts[static_cast<size_t>(pi.part)];
            if (d.bytes <= 0) continue;
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float sz = ImGui::GetTextLineHeight() * 0.7f;
            const float off = (ImGui::GetTextLineHeight() - sz) / 2;
            ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + off), ImVec2(p.x + sz, p.y + off + sz),
                                                      ui::part_color(static_cast<int>(pi.part)), 2);
            ImGui::Dummy(ImVec2(sz, 0));
            ImGui::SameLine();
            ImGui::Selectable(pi.label.data(), false, ImGuiSelectableFlags_SpanAllColumns);
            if (ImGui::IsItemHovered() && ImGui::BeginTooltip()) {
                ui::heading(pi.label.data());
                ImGui::Text("%s = %lld bytes", ui::bytes(s, d.bytes, 3).c_str(), static_cast<long long>(d.bytes));
                ImGui::PushTextWrapPos(ui::wrap_em(32.0f));
                if (!d.formula.empty()) ImGui::TextUnformatted(d.formula.c_str());
                ImGui::TextDisabled(pi.allocated ? "Counts toward torch.cuda.max_memory_allocated."
                                                 : "Not in torch's allocated counter; nvidia-smi sees it.");
                ImGui::PopTextWrapPos();
                ImGui::EndTooltip();
            }
            ImGui::TableSetColumnIndex(1);
            ImGui::Text("%.2f", to_units(d.bytes, s.units));
            ImGui::TableSetColumnIndex(2);
            const float frac = float(double(d.bytes) / total);
            char pct[16];
            std::snprintf(pct, sizeof pct, "%.1f%%", frac * 100);
            {   // a share bar drawn by hand: ProgressBar would shift the row's text baseline (the next column sat lower)
                const ImVec2 q = ImGui::GetCursorScreenPos();
                const float bw = ImGui::GetContentRegionAvail().x, bh = ImGui::GetTextLineHeight();
                ImDrawList* dl = ImGui::GetWindowDrawList();
                dl->AddRectFilled(q, ImVec2(q.x + bw, q.y + bh), IM_COL32(40, 45, 54, 255), 2);
                dl->AddRectFilled(q, ImVec2(q.x + bw * std::clamp(frac, 0.0f, 1.0f), q.y + bh),
                                  ui::part_color(static_cast<int>(pi.part)), 2);
                const float tw = ImGui::CalcTextSize(pct).x;
                const float tx = std::min(q.x + bw * std::clamp(frac, 0.0f, 1.0f) + 4, q.x + bw - tw - 2);
                dl->AddText(ImVec2(std::max(tx, q.x + 2), q.y), IM_COL32(230, 233, 238, 255), pct);
                ImGui::Dummy(ImVec2(bw, bh));
            }
            ImGui::TableSetColumnIndex(3);
            ImGui::TextDisabled(pi.allocated ? "allocated" : (pi.part == Part::cuda_context ? "nvidia-smi" : "reserved"));
        }
        total_row(s, "Allocated peak", e.peak, "max_memory_allocated",
                  "torch.cuda.max_memory_allocated(): the most memory live tensors held at once, at the peak phase of a step.");
        total_row(s, "Reserved peak", e.peak_reserved, "max_memory_reserved",
                  "torch.cuda.max_memory_reserved(): what PyTorch's caching allocator held from the driver (allocated + "
                  "fragmentation and cached blocks).");
        total_row(s, "nvidia-smi shows", e.device_used, "nvidia-smi / must fit",
                  "Reserved + CUDA context and kernels (not visible to torch). This is what must fit in the GPU.");
        ImGui::EndTable();
    }
    ImGui::TextDisabled("Peak phase: %s.  Phase peaks: forward %s, backward %s, optimizer step %s.",
                        name_of_phase(e.peak_phase).data(), ui::bytes(s, e.phase_peak[0], 1).c_str(),
                        ui::bytes(s, e.phase_peak[1], 1).c_str(), ui::bytes(s, e.phase_peak[2], 1).c_str());
    if (e.cpu_bytes > 0) ImGui::TextDisabled("CPU RAM for offloaded data: %s.", ui::bytes(s, e.cpu_bytes, 1).c_str());
    ImGui::TextDisabled("Parameters: %s total, %s trainable (%.2f%%)%s%s.", format_count(e.params.total).c_str(),
                        format_count(e.params.trainable).c_str(),
                        e.params.total > 0 ? 100.0 * double(e.params.trainable) / double(e.params.total) : 0.0,
                        e.params.active != e.params.total ? ", active per token " : "",
                        e.params.active != e.params.total ? format_count(e.params.active).c_str() : "");
}

void draw_estimate_tooltip(const AppState& s, const Estimate& e, const char* title) {
    ui::heading(title);
    ImGui::PushStyleColor(ImGuiCol_Text, ui::to_vec4(e.fits ? ui::kGood : ui::kBad));
    ImGui::Text("%s: %s of %s", e.fits ? "Fits" : "Does not fit", ui::bytes(s, e.device_used, 1).c_str(),
                ui::bytes(s, e.gpu_memory, 0).c_str());
    ImGui::PopStyleColor();
    if (ImGui::BeginTable("tt", 2, ImGuiTableFlags_SizingFixedFit)) {
        for (const auto& pi : part_table()) {
            const int64_t b = e.bytes(pi.part);
            if (b <= 0) continue;
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextColored(ui::to_vec4(ui::part_color(static_cast<int>(pi.part))), "%s", pi.label.data());
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(ui::bytes(s, b).c_str());
        }
        ImGui::EndTable();
    }
    ImGui::Text("Allocated %s, reserved %s", ui::bytes(s, e.peak, 1).c_str(), ui::bytes(s, e.peak_reserved, 1).c_str());
    if (!e.fits && e.gpus_needed > 0) ImGui::TextDisabled("Fewest GPUs of this kind that fit: %d", e.gpus_needed);
}
