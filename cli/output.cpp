// output.cpp — text, markdown, csv and json renderings of estimates, grids, catalogs and seeds.
//
// Sections
//   1. Numbers     — clamped (never NaN, never negative) and printed with snprintf
//   2. Tables      — one small table type rendered as aligned text, markdown or csv
//   3. Estimate    — breakdown, verdict, the three totals, time/cost/energy, assumptions
//   4. Grid        — methods x sizes; with a rule, the article's figure (csv: only it)
//   5. Catalogs    — models, gpus
//   6. Seeds       — each article's worked figure beside the detailed estimate
#include "output.h"

#include <nlohmann/json.hpp>

#include <cassert>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "link.h"
#include "rules.h"

namespace vramcalc::cli {

using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// 1. Numbers
// ---------------------------------------------------------------------------------------------
double clean(double v) {
    assert(std::isfinite(v));
    return (std::isfinite(v) && v > 0) ? v : 0.0;
}
int64_t clean(int64_t v) { return v > 0 ? v : 0; }

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, clean(v));
    return buf;
}

std::string in_units(int64_t bytes, Units u) {
    return fixed(to_units(clean(bytes), u), 2) + " " + std::string(name_of(u));
}

namespace {

std::string unit_name(Units u) { return std::string(name_of(u)); }

// "67", "4.5": the article's figures as it prints them.
std::string shortest(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", clean(v));
    return buf;
}

std::string with_commas(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f", clean(v));
    std::string s = buf, out;
    const size_t n = s.size();
    for (size_t i = 0; i < n; ++i) {
        out += s[i];
        if ((n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
    }
    return out;
}

std::string gpu_count_text(int n) { return std::to_string(n) + "\xc3\x97 "; }   // "4× "

// ---------------------------------------------------------------------------------------------
// 2. Tables
// ---------------------------------------------------------------------------------------------
struct Table {
    std::vector<std::string> header;
    std::vector<bool> right;                 // right-align column (numbers)
    std::vector<std::vector<std::string>> rows;
};

size_t display_width(const std::string& s) {   // UTF-8 code points
    size_t n = 0;
    for (const char ch : s)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
    return n;
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (const char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

std::string md_cell(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        if (ch == '|') out += '\\';
        out += ch;
    }
    return out;
}

void print_table(std::ostream& out, const Table& t, Format f) {
    const size_t cols = t.header.size();
    if (f == Format::csv) {
        for (size_t c = 0; c < cols; ++c) out << (c ? "," : "") << csv_cell(t.header[c]);
        out << "\n";
        for (const auto& r : t.rows) {
            for (size_t c = 0; c < cols; ++c) out << (c ? "," : "") << csv_cell(c < r.size() ? r[c] : "");
            out << "\n";
        }
        return;
    }
    if (f == Format::md) {
        out << "|";
        for (const auto& h : t.header) out << " " << md_cell(h) << " |";
        out << "\n|";
        for (size_t c = 0; c < cols; ++c) out << (c < t.right.size() && t.right[c] ? "---:|" : "---|");
        out << "\n";
        for (const auto& r : t.rows) {
            out << "|";
            for (size_t c = 0; c < cols; ++c) out << " " << md_cell(c < r.size() ? r[c] : "") << " |";
            out << "\n";
        }
        return;
    }
    std::vector<size_t> w(cols, 0);
    for (size_t c = 0; c < cols; ++c) w[c] = display_width(t.header[c]);
    for (const auto& r : t.rows)
        for (size_t c = 0; c < cols && c < r.size(); ++c) w[c] = std::max(w[c], display_width(r[c]));
    const auto line = [&](const std::vector<std::string>& r) {
        std::string s;
        for (size_t c = 0; c < cols; ++c) {
            const std::string cell = c < r.size() ? r[c] : "";
            const std::string pad(w[c] - display_width(cell), ' ');
            const bool right = c < t.right.size() && t.right[c];
            s += (c ? "  " : "") + (right ? pad + cell : cell + (c + 1 < cols ? pad : ""));
        }
        while (!s.empty() && s.back() == ' ') s.pop_back();
        out << s << "\n";
    };
    line(t.header);
    std::vector<std::string> rule;
    for (size_t c = 0; c < cols; ++c) rule.emplace_back(w[c], '-');
    line(rule);
    for (const auto& r : t.rows) line(r);
}

void heading(std::ostream& out, Format f, const std::string& title) {
    if (f == Format::md) out << "\n### " << title << "\n\n";
    else out << "\n" << title << "\n";
}

// ---------------------------------------------------------------------------------------------
// 3. Estimate
// ---------------------------------------------------------------------------------------------
struct Group {
    const char* key;
    std::vector<Part> parts;
};
// The components the JSON contract names; together they are every part.
const std::vector<Group>& groups() {
    static const std::vector<Group> g = {
        {"weights", {Part::weights_trainable, Part::weights_frozen, Part::weights_quantized, Part::adapters}},
        {"gradients", {Part::gradients}},
        {"optimizer_states", {Part::optimizer_states}},
        {"master_weights", {Part::master_weights}},
        {"activations", {Part::activations}},
        {"logits", {Part::logits}},
        {"overhead", {Part::optimizer_temp, Part::buffers, Part::cuda_context, Part::allocator_reserve}},
    };
    return g;
}

std::string model_name(const TrainingConfig& c, const Architecture& a) {
    if (c.model.kind == ModelKind::params) {
        std::string s = format_count(c.model.params_total) + " parameters";
        if (c.model.params_active > 0) s += " (" + format_count(c.model.params_active) + " active)";
        return s;
    }
    return a.name.empty() ? (a.id.empty() ? c.model.id : a.id) : a.name;
}

std::string model_id(const TrainingConfig& c) {
    if (c.model.kind == ModelKind::catalog) return c.model.id;
    if (c.model.kind == ModelKind::params) return "params:" + std::to_string(c.model.params_total);
    return "custom";
}

std::string method_text(const TrainingConfig& c) {
    const bool adapters = c.method == Method::lora || c.method == Method::qlora;
    if (adapters && c.adapter == Adapter::tokens)
        return std::to_string(c.trainable_tokens) + " trainable tokens" +
               (c.method == Method::qlora ? ", " + std::to_string(c.quant_bits) + "-bit base" : "");
    std::string s(adapters && c.adapter != Adapter::lora ? label_of(c.adapter) : label_of(c.method));
    if (adapters && prompt_learning(c.adapter)) s += ", " + std::to_string(c.virtual_tokens) + " virtual tokens";
    else if (adapters && adapts_linears(c.adapter)) s += " r=" + std::to_string(c.lora_rank);
    if (adapters && c.trainable_tokens > 0) s += ", " + std::to_string(c.trainable_tokens) + " trainable tokens";
    if (c.method == Method::qlora) s += ", " + std::to_string(c.quant_bits) + "-bit base";
    return s;
}

std::string verdict(const TrainingConfig& c, const Gpu& g, const Estimate& e, Units u) {
    const std::string paged_note =
        e.paged_bytes > 0
            ? " (not counting " + in_units(e.paged_bytes, u) + " of paged optimizer states, which page out to CPU RAM under pressure)"
            : "";
    if (e.fits)
        return "fits on " + gpu_count_text(c.gpus) + g.name + " with " + in_units(e.headroom, u) + " to spare" +
               (c.gpus > 1 ? " per GPU" : "") + paged_note;
    std::string s = "does not fit: short by " + in_units(-e.headroom, u) + (c.gpus > 1 ? " per GPU" : "") + paged_note + "; ";
    if (e.gpus_needed > 0) {
        s += "fewest GPUs that fit: " + std::to_string(e.gpus_needed) + " with ZeRO-" + std::to_string(e.gpus_needed_zero);
        if (e.gpus_needed_offload) s += " and CPU offload";
    } else {
        s += "no count of " + g.name + " up to 4096 fits this configuration";
    }
    return s;
}

json estimate_json(const TrainingConfig& c, const Architecture& a, const Gpu& g, const Estimate& e) {
    json j;
    j["model"] = {{"id", model_id(c)}, {"name", model_name(c, a)}, {"layers", clean(a.total_layers())}};
    j["gpu"] = {{"id", g.id}, {"name", g.name}, {"memory_bytes", clean(g.memory_bytes)}, {"count", clean(int64_t{c.gpus})}};
    j["method"] = std::string(name_of(c.method));
    j["precision"] = std::string(name_of(c.precision));
    j["optimizer"] = std::string(name_of(c.optimizer));
    j["link"] = to_link(c);
    j["params"] = {{"total", clean(e.params.total)},         {"trainable", clean(e.params.trainable)},
                   {"active", clean(e.params.active)},       {"frozen", clean(e.params.frozen)},
                   {"adapters", clean(e.params.adapters)}};
    json per = json::object();
    for (const auto& grp : groups()) {
        int64_t sum = 0;
        for (const Part p : grp.parts) sum += clean(e.bytes(p));
        per[grp.key] = sum;
    }
    per["peak"] = clean(e.peak);
    per["peak_reserved"] = clean(e.peak_reserved);
    per["device_used"] = clean(e.device_used);
    j["per_gpu_bytes"] = per;
    json parts = json::object();
    for (const auto& info : part_table()) parts[std::string(info.key)] = clean(e.bytes(info.part));
    j["per_gpu_parts_bytes"] = parts;
    json phases = json::object();
    for (const Phase ph : {Phase::forward, Phase::backward, Phase::optimizer})
        phases[std::string(name_of_phase(ph))] = clean(e.phase_peak[static_cast<int>(ph)]);
    j["phase_peak_bytes"] = phases;
    j["peak_phase"] = std::string(name_of_phase(e.peak_phase));
    j["cpu_bytes"] = clean(e.cpu_bytes);
    j["gpu_memory_bytes"] = clean(e.gpu_memory);
    j["fits"] = e.fits;
    // Paged optimizer states (bitsandbytes) are in device_used but page out to CPU RAM under
    // pressure, so `fits` is decided on device_used - paged_bytes.
    j["paged_bytes"] = clean(e.paged_bytes);
    j["spare_bytes"] = clean(e.headroom);
    j["short_bytes"] = clean(-e.headroom);
    j["gpus_needed"] = clean(int64_t{e.gpus_needed});
    j["gpus_needed_zero"] = clean(int64_t{e.gpus_needed_zero});
    j["gpus_needed_offload"] = e.gpus_needed_offload;
    j["flops_per_token"] = clean(e.flops_per_token);
    // Unknown is null, not 0: a GPU without a compute figure has no time (nor cost, nor energy),
    // and one without a price no cost.
    const auto known = [](bool k, double v) { return k ? json(clean(v)) : json(nullptr); };
    const bool timed = e.time_known();
    j["tokens_per_second"] = known(timed, e.tokens_per_second);
    j["tokens"] = clean(c.tokens);
    j["mfu"] = clean(e.mfu);
    j["peak_tflops"] = known(e.peak_tflops > 0, e.peak_tflops);
    j["time_hours"] = known(timed, e.time_hours);
    j["gpu_hours"] = known(timed, e.gpu_hours);
    j["price_per_gpu_hour"] = known(e.price_per_gpu_hour > 0, e.price_per_gpu_hour);
    j["cost_usd"] = known(e.cost_known(), e.cost_usd);
    j["energy_kwh"] = known(e.energy_known(), e.energy_kwh);
    j["assumptions"] = e.assumptions;
    j["suggestions"] = e.suggestions;
    return j;
}

}  // namespace

void print_estimate(std::ostream& out, const TrainingConfig& c, const Architecture& a, const Gpu& g,
                    const Estimate& e, const View& v) {
    const Units u = v.units;
    if (v.format == Format::json) {
        out << estimate_json(c, a, g, e).dump(2) << "\n";
        return;
    }
    if (v.format == Format::csv) {
        Table t;
        const std::string us = "_" + unit_name(u);
        t.header = {"model", "gpu", "gpus", "method", "precision", "optimizer", "micro_batch", "seq_len",
                    "params_total", "params_trainable", "params_active"};
        std::vector<std::string> r = {model_id(c), g.id, std::to_string(c.gpus), std::string(name_of(c.method)),
                                      std::string(name_of(c.precision)), std::string(name_of(c.optimizer)),
                                      std::to_string(c.micro_batch), std::to_string(c.seq_len),
                                      std::to_string(clean(e.params.total)), std::to_string(clean(e.params.trainable)),
                                      std::to_string(clean(e.params.active))};
        for (const auto& info : part_table()) {
            t.header.push_back(std::string(info.key) + us);
            r.push_back(fixed(to_units(clean(e.bytes(info.part)), u), 3));
        }
        for (const auto& [key, val] : {std::pair<const char*, int64_t>{"peak", e.peak}, {"peak_reserved", e.peak_reserved},
                                       {"device_used", e.device_used}, {"cpu", e.cpu_bytes}}) {
            t.header.push_back(std::string(key) + us);
            r.push_back(fixed(to_units(clean(val), u), 3));
        }
        t.header.insert(t.header.end(), {"fits", "gpus_needed", "time_hours", "cost_usd", "energy_kwh"});
        r.insert(r.end(), {e.fits ? "true" : "false", std::to_string(clean(int64_t{e.gpus_needed})),
                           e.time_known() ? fixed(e.time_hours, 3) : "",
                           e.cost_known() ? fixed(e.cost_usd, 2) : "",
                           e.energy_known() ? fixed(e.energy_kwh, 2) : ""});
        t.rows.push_back(r);
        print_table(out, t, Format::csv);
        return;
    }

    const Format f = v.format;
    const bool md = f == Format::md;
    const std::string title = model_name(c, a) + " \xe2\x80\x94 " + method_text(c) + ", " +
                              std::string(label_of(c.precision)) + ", " + std::string(label_of(c.optimizer)) +
                              ", micro-batch " + std::to_string(c.micro_batch) + " \xc3\x97 " +
                              std::to_string(c.seq_len) + " tokens, " + gpu_count_text(c.gpus) + g.name;
    out << (md ? "## " : "") << title << "\n";
    out << (md ? "\n" : "") << "Parameters: " << format_count(clean(e.params.total)) << " total, "
        << format_count(clean(e.params.active)) << " active per token, " << format_count(clean(e.params.trainable))
        << " trainable\n";

    Table t;
    t.header = {"component", unit_name(u) + (c.gpus > 1 ? " per GPU" : ""), "share"};
    t.right = {false, true, true};
    if (v.explain) {
        t.header.push_back("formula");
        t.right.push_back(false);
    }
    const double total = static_cast<double>(std::max<int64_t>(clean(e.device_used), 1));
    for (const auto& info : part_table()) {
        const int64_t b = clean(e.bytes(info.part));
        if (b == 0) continue;
        std::vector<std::string> r = {std::string(info.label), fixed(to_units(b, u), 2),
                                      fixed(100.0 * static_cast<double>(b) / total, 1) + "%"};
        if (v.explain) r.push_back(e.parts[static_cast<int>(info.part)].formula);
        t.rows.push_back(r);
    }
    heading(out, f, "Memory per GPU");
    print_table(out, t, f);

    out << "\n" << (md ? "**" : "") << verdict(c, g, e, u) << (md ? "**" : "") << "\n";

    heading(out, f, "Totals");
    Table tt;
    tt.header = {"total", unit_name(u), "what it is"};
    tt.right = {false, true, false};
    tt.rows = {
        {"peak allocated", fixed(to_units(clean(e.peak), u), 2),
         "tensors alive at the worst moment (" + std::string(name_of_phase(e.peak_phase)) +
             "); torch.cuda.max_memory_allocated()"},
        {"peak reserved", fixed(to_units(clean(e.peak_reserved), u), 2),
         "plus the caching allocator's spare blocks; torch.cuda.max_memory_reserved()"},
        {"device used", fixed(to_units(clean(e.device_used), u), 2),
         "plus the CUDA context; what nvidia-smi shows and what must fit in " + in_units(e.gpu_memory, u)},
    };
    if (e.cpu_bytes > 0)
        tt.rows.push_back({"CPU RAM", fixed(to_units(clean(e.cpu_bytes), u), 2), "offloaded states, parameters or activations"});
    print_table(out, tt, f);

    heading(out, f, "Time, cost, energy");
    const std::string bullet = md ? "- " : "  ";
    if (!e.time_known()) {
        out << bullet << "time, cost, energy: unknown — the catalog has no compute figure for this GPU (set --tflops, its dense peak TFLOPS)\n";
    } else {
        out << bullet << "time: " << fixed(e.time_hours, 1) << " h for " << format_count(static_cast<int64_t>(clean(c.tokens)))
            << " tokens on " << c.gpus << " GPU" << (c.gpus > 1 ? "s" : "") << " (" << with_commas(e.tokens_per_second)
            << " tokens/s at " << fixed(100 * e.mfu, 0) << "% MFU of " << shortest(e.peak_tflops) << " TFLOPS; "
            << fixed(e.gpu_hours, 1) << " GPU-hours)\n";
        if (e.cost_known())
            out << bullet << "cost: $" << fixed(e.cost_usd, 2) << " at $" << fixed(e.price_per_gpu_hour, 2) << " per GPU-hour\n";
        else
            out << bullet << "cost: no price known for this GPU (set --price USD per GPU-hour)\n";
        if (e.energy_known())
            out << bullet << "energy: " << fixed(e.energy_kwh, 1) << " kWh (" << fixed(100 * c.gpu_power_fraction, 0)
                << "% of TDP, PUE " << shortest(c.pue) << ")\n";
        else
            out << bullet << "energy: unknown — no TDP known for this GPU\n";
    }

    if (!e.fits && !e.suggestions.empty()) {
        heading(out, f, "To make it fit");
        for (const auto& s : e.suggestions) out << (md ? "- " : "  - ") << s << "\n";
    }
    if (!e.assumptions.empty()) {
        heading(out, f, "Assumptions");
        for (const auto& s : e.assumptions) out << (md ? "- " : "  - ") << s << "\n";
    }
    out << (md ? "\n" : "\n") << "Share link: " << to_link(c) << "\n";
}

// ---------------------------------------------------------------------------------------------
// 4. Grid
// ---------------------------------------------------------------------------------------------
namespace {
// "Full 16-bit" -> ("Full", "16"): the article's two leading columns.
std::pair<std::string, std::string> row_words(const GridRow& r) {
    const size_t sp = r.label.find(' ');
    return {sp == std::string::npos ? r.label : r.label.substr(0, sp), std::to_string(r.quant_bits)};
}
std::string rule_text(const RuleFigure& f) { return shortest(f.value) + f.unit; }
}  // namespace

void print_grid(std::ostream& out, const Grid& grid, const TrainingConfig& base, const View& v) {
    const Units u = v.units;
    const bool rule = grid.rule != Rule::none;
    if (v.format == Format::json) {
        json j;
        j["rule"] = std::string(name_of(grid.rule));
        j["units"] = unit_name(u);
        j["gpu"] = base.gpu_id;
        j["columns"] = json::array();
        for (const auto& col : grid.columns) j["columns"].push_back(col.label);
        j["rows"] = json::array();
        for (size_t r = 0; r < grid.rows.size(); ++r) {
            json row = {{"label", grid.rows[r].label}, {"method", std::string(name_of(grid.rows[r].method))},
                        {"quant_bits", grid.rows[r].quant_bits}, {"cells", json::array()}};
            for (size_t c = 0; c < grid.columns.size(); ++c) {
                const GridCell& cell = grid.at(r, c);
                json jc = {{"column", grid.columns[c].label}, {"ok", cell.ok}};
                if (!cell.ok) jc["error"] = cell.error;
                jc["peak"] = clean(cell.peak);
                jc["peak_reserved"] = clean(cell.peak_reserved);
                jc["device_used"] = clean(cell.device_used);
                jc["fits"] = cell.fits;
                jc["gpus_needed"] = clean(int64_t{cell.gpus_needed});
                if (rule && cell.rule.available)
                    jc["rule"] = {{"value", clean(cell.rule.value)}, {"unit", cell.rule.unit},
                                  {"bytes", clean(cell.rule.bytes)}, {"formula", cell.rule.formula},
                                  {"why_differs", cell.rule.why_differs}};
                row["cells"].push_back(jc);
            }
            j["rows"].push_back(row);
        }
        out << j.dump(2) << "\n";
        return;
    }

    if (v.format == Format::csv) {
        Table t;
        t.header = {"Method", "Precision"};
        for (const auto& col : grid.columns) t.header.push_back(rule ? col.label : col.label + " (" + unit_name(u) + ")");
        for (size_t r = 0; r < grid.rows.size(); ++r) {
            const auto [method, bits] = row_words(grid.rows[r]);
            std::vector<std::string> row = {method, bits};
            bool any = false;
            for (size_t c = 0; c < grid.columns.size(); ++c) {
                const GridCell& cell = grid.at(r, c);
                if (rule) {
                    row.push_back(cell.rule.available ? rule_text(cell.rule) : "");
                    any = any || cell.rule.available;
                } else {
                    row.push_back(cell.ok ? fixed(to_units(clean(cell.device_used), u), 2) : "");
                    any = true;
                }
            }
            if (any) t.rows.push_back(row);   // with a rule: rows the article gives no figure for are left out
        }
        print_table(out, t, Format::csv);
        return;
    }

    const Format f = v.format;
    const bool md = f == Format::md;
    const Gpu* g = find_gpu(base.gpu_id);
    out << (md ? "## " : "") << "GPU memory by method (device used per GPU, " << unit_name(u) << ")"
        << (rule ? " beside " + std::string(label_of(grid.rule)) : "") << "\n";
    out << (md ? "\n" : "") << std::string(label_of(base.precision)) << ", " << label_of(base.optimizer) << ", micro-batch "
        << base.micro_batch << " \xc3\x97 " << base.seq_len << " tokens, checkpointing "
        << name_of(base.grad_checkpointing) << ", LoRA r=" << base.lora_rank << ", " << gpu_count_text(base.gpus)
        << (g ? g->name : base.gpu_id) << "\n\n";
    Table t;
    t.header = {"Method", "Precision"};
    t.right = {false, true};
    for (const auto& col : grid.columns) {
        t.header.push_back(col.label);
        t.right.push_back(true);
    }
    for (size_t r = 0; r < grid.rows.size(); ++r) {
        const auto [method, bits] = row_words(grid.rows[r]);
        std::vector<std::string> row = {method, bits};
        for (size_t c = 0; c < grid.columns.size(); ++c) {
            const GridCell& cell = grid.at(r, c);
            std::string s = cell.ok ? fixed(to_units(clean(cell.device_used), u), 1) : "n/a";
            if (cell.ok && !cell.fits)
                s += cell.gpus_needed > 0 ? " (" + std::to_string(cell.gpus_needed) + " GPUs)" : std::string(" (no fit)");
            if (rule) s += " | " + (cell.rule.available ? rule_text(cell.rule) : std::string("-"));
            row.push_back(s);
        }
        t.rows.push_back(row);
    }
    print_table(out, t, f);
    out << "\n" << (rule ? "Each cell: detailed estimate | the article's figure. " : "")
        << "(N GPUs): fewest GPUs of this kind that fit; (no fit): none up to 4096.\n";

    // Why cells are n/a, and (with a rule) each row's formula (first column) and why it differs.
    std::set<std::string> seen;
    std::vector<std::string> notes;
    for (size_t r = 0; r < grid.rows.size(); ++r) {
        bool explained = false;
        for (size_t c = 0; c < grid.columns.size(); ++c) {
            const GridCell& cell = grid.at(r, c);
            std::string n;
            if (!cell.ok) {
                n = grid.rows[r].label + ", " + grid.columns[c].label + ": " + cell.error;
            } else if (rule && cell.rule.available && !explained) {
                n = grid.rows[r].label + " (" + grid.columns[c].label + "): " + cell.rule.formula +
                    (cell.rule.why_differs.empty() ? "" : ". " + cell.rule.why_differs);
                explained = true;
            }
            if (!n.empty() && seen.insert(n).second) notes.push_back(n);
        }
    }
    if (!notes.empty()) {
        heading(out, f, rule ? "The rule and why it differs" : "Notes");
        for (const auto& n : notes) out << (md ? "- " : "  - ") << n << "\n";
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Catalogs
// ---------------------------------------------------------------------------------------------
void print_models(std::ostream& out, const View& v) {
    if (v.format == Format::json) {
        json arr = json::array();
        for (const auto& m : models()) {
            const ParamCounts pc = count_params(m.arch);
            arr.push_back({{"id", m.arch.id},
                           {"name", m.arch.name},
                           {"family", m.arch.family},
                           {"hf_repo", m.hf_repo},
                           {"params_total", clean(pc.total())},
                           {"params_active", clean(pc.active)},
                           {"published_total", m.published_total},
                           {"published_active", m.published_active},
                           {"layers", clean(m.arch.total_layers())},
                           {"hidden_size", clean(m.arch.hidden_size)},
                           {"attention_heads", clean(m.arch.num_attention_heads)},
                           {"kv_heads", clean(m.arch.kv_heads())},
                           {"vocab_size", clean(m.arch.vocab_size)},
                           {"experts", clean(m.arch.num_experts)},
                           {"experts_per_token", clean(m.arch.num_experts_per_tok)},
                           {"source", m.source}});
        }
        out << arr.dump(2) << "\n";
        return;
    }
    Table t;
    t.header = {"id", "name", "params", "active", "layers", "hidden", "heads", "kv", "experts", "vocab"};
    t.right = {false, false, true, true, true, true, true, true, true, true};
    const bool csv = v.format == Format::csv;
    for (const auto& m : models()) {
        const ParamCounts pc = count_params(m.arch);
        const auto count = [&](int64_t n) { return csv ? std::to_string(clean(n)) : format_count(clean(n)); };
        t.rows.push_back({m.arch.id, m.arch.name, count(pc.total()), count(pc.active),
                          std::to_string(clean(m.arch.total_layers())), std::to_string(clean(m.arch.hidden_size)),
                          std::to_string(clean(m.arch.num_attention_heads)), std::to_string(clean(m.arch.kv_heads())),
                          m.arch.num_experts > 0 ? std::to_string(m.arch.num_experts) + " (top-" +
                                                       std::to_string(m.arch.num_experts_per_tok) + ")"
                                                 : (csv ? "0" : "-"),
                          std::to_string(clean(m.arch.vocab_size))});
    }
    print_table(out, t, v.format);
}

void print_gpus(std::ostream& out, const View& v) {
    if (v.format == Format::json) {
        json arr = json::array();
        for (const auto& g : gpus())
            arr.push_back({{"id", g.id},
                           {"name", g.name},
                           {"vendor", g.vendor},
                           {"generation", g.generation},
                           {"memory_bytes", clean(g.memory_bytes)},
                           {"memory_marketed", g.memory_marketed},
                           {"bandwidth_gbs", clean(g.bandwidth_gbs)},
                           {"bf16_tflops", clean(g.bf16_tflops)},
                           {"fp16_tflops", clean(g.fp16_tflops)},
                           {"fp8_tflops", clean(g.fp8_tflops)},
                           {"fp32_tflops", clean(g.fp32_tflops)},
                           {"tdp_w", clean(g.tdp_w)},
                           {"price_per_hour", clean(g.price_per_hour)},
                           {"price_source", g.price_source}});
        out << arr.dump(2) << "\n";
        return;
    }
    Table t;
    t.header = {"id", "name", "memory (" + unit_name(v.units) + ")", "marketed", "bf16 TFLOPS", "GB/s", "TDP W", "$/h"};
    t.right = {false, false, true, false, true, true, true, true};
    // A figure the catalog lacks is "-" (empty in CSV), not 0.
    const std::string none = v.format == Format::csv ? "" : "-";
    const auto or_none = [&](double x) { return x > 0 ? shortest(x) : none; };
    for (const auto& g : gpus())
        t.rows.push_back({g.id, g.name, fixed(to_units(clean(g.memory_bytes), v.units), 1), g.memory_marketed,
                          or_none(g.bf16_tflops), or_none(g.bandwidth_gbs), or_none(g.tdp_w),
                          g.price_per_hour > 0 ? fixed(g.price_per_hour, 2) : none});
    print_table(out, t, v.format);
}

// ---------------------------------------------------------------------------------------------
// 6. Seeds
// ---------------------------------------------------------------------------------------------
namespace {
// The detailed figure that matches an article's named figure, in bytes (or -1 if none does).
int64_t detailed_figure(const std::string& name, const Estimate& e) {
    for (const auto& grp : groups()) {
        if (name != grp.key) continue;
        int64_t sum = 0;
        for (const Part p : grp.parts) sum += clean(e.bytes(p));
        return sum;
    }
    for (const auto& info : part_table())
        if (name == info.key) return clean(e.bytes(info.part));
    if (name == "peak") return clean(e.peak);
    if (name == "peak_reserved") return clean(e.peak_reserved);
    if (name == "total" || name == "device_used") return clean(e.device_used);
    return -1;
}
}  // namespace

void print_seeds(std::ostream& out, const View& v) {
    const Units u = v.units;
    json arr = json::array();
    Table t;
    t.header = {"seed", "example", "figure", "article", "detailed (" + unit_name(u) + ")", "correction"};
    t.right = {false, false, false, true, true, false};
    for (const SeedExample& ex : seed_examples()) {
        EstimateOptions opts;
        opts.explain = false;
        const Result<Estimate> e = estimate(ex.config, opts);
        json je = {{"seed", std::string(name_of(ex.seed))}, {"label", ex.label}, {"unit", ex.article_unit},
                   {"correction", ex.correction}, {"link", to_link(ex.config)}, {"figures", json::array()}};
        if (!e) je["error"] = e.error;
        for (const auto& [name, value] : ex.article_figures) {
            const int64_t d = e ? detailed_figure(name, *e.value) : -1;
            je["figures"].push_back({{"name", name}, {"article", clean(value)}, {"detailed_bytes", clean(d)}});
            t.rows.push_back({std::string(name_of(ex.seed)), ex.label, name, shortest(value) + " " + ex.article_unit,
                              d >= 0 ? fixed(to_units(d, u), 2) : "-", ex.correction});
        }
        arr.push_back(je);
    }
    if (v.format == Format::json) {
        out << arr.dump(2) << "\n";
        return;
    }
    if (v.format == Format::csv) {
        print_table(out, t, v.format);
        return;
    }
    const bool md = v.format == Format::md;
    out << (md ? "## " : "") << "The seed articles' worked figures beside the detailed estimate\n";
    size_t row = 0;
    for (const SeedExample& ex : seed_examples()) {
        heading(out, v.format, std::string(name_of(ex.seed)) + ": " + ex.label);
        Table b;
        b.header = {"figure", "article", "detailed (" + unit_name(u) + ")"};
        b.right = {false, true, true};
        for (size_t i = 0; i < ex.article_figures.size() && row < t.rows.size(); ++i, ++row)
            b.rows.push_back({t.rows[row][2], t.rows[row][3], t.rows[row][4]});
        print_table(out, b, v.format);
        if (!ex.correction.empty()) out << (md ? "\n" : "") << "Correction: " << ex.correction << "\n";
    }
}

}  // namespace vramcalc::cli
