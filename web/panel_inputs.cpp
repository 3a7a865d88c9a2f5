// panel_inputs.cpp — every input of the configuration, each with a tooltip (what it is, its
// default, what frameworks call it). Edits go straight into s.cfg and mark_changed().
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>

#include "catalog.h"
#include "link.h"
#include "panels.h"
#include "platform_web.h"
#include "ui.h"

using namespace vramcalc;

namespace {

constexpr const char* kFromModel = "the current model's value";

template <class E>
bool enum_combo(const char* id, E& v) {
    bool changed = false;
    if (ImGui::BeginCombo(id, label_of(v).data())) {
        for (const auto& nv : enum_table<E>()) {
            const bool sel = nv.value == v;
            ImGui::PushID(nv.name.data());
            if (ImGui::Selectable(nv.label.data(), sel)) {
                v = nv.value;
                changed = true;
            }
            ui::help(nv.help.data());
            if (sel) ImGui::SetItemDefaultFocus();
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    return changed;
}

// Case-insensitive substring match over several fields.
bool matches(const char* filter, std::string_view a, std::string_view b = {}) {
    if (!filter[0]) return true;
    auto has = [&](std::string_view hay) {
        const size_t n = std::strlen(filter);
        if (n > hay.size()) return false;
        for (size_t i = 0; i + n <= hay.size(); ++i) {
            size_t k = 0;
            while (k < n && std::tolower(static_cast<unsigned char>(hay[i + k])) ==
                                std::tolower(static_cast<unsigned char>(filter[k])))
                ++k;
            if (k == n) return true;
        }
        return false;
    };
    return has(a) || has(b);
}

bool int_input(const char* id, int& v, int lo, int hi, int step = 1, int step_fast = 0) {
    int x = v;
    if (ImGui::InputInt(id, &x, step, step_fast)) {
        x = std::clamp(x, lo, hi);
        if (x != v) { v = x; return true; }
    }
    return false;
}

bool i64_input(const char* id, int64_t& v, int64_t lo, int64_t hi) {
    long long x = v;
    if (ImGui::InputScalar(id, ImGuiDataType_S64, &x)) {
        x = std::clamp<long long>(x, lo, hi);
        if (x != v) { v = x; return true; }
    }
    return false;
}

// The embedding and LM head trained beside the rest: under LoRA as PEFT's modules_to_save (a
// trained copy), under freeze by requires_grad on the module. The same two fields either way.
bool embeddings_and_head(TrainingConfig& c, bool lora) {
    bool ch = ImGui::Checkbox("embeddings", &c.train_embeddings);
    ui::help(lora ? "Train the input embedding next to the adapters (new tokens, continued pretraining)."
                  : "The input embedding trains too.",
             "off",
             lora ? "modules_to_save=[\"embed_tokens\"] (PEFT: a trained copy beside the frozen original)"
                  : "embed_tokens.requires_grad; freeze_extra_modules");
    ImGui::SameLine();
    ch |= ImGui::Checkbox("LM head", &c.train_lm_head);
    ui::help(lora ? "Train the output projection next to the adapters." : "The output projection (LM head) trains too.",
             "off",
             lora ? "modules_to_save=[\"lm_head\"] (PEFT: a trained copy beside the frozen original)"
                  : "lm_head.requires_grad; modules_to_save (PEFT)");
    return ch;
}

bool count_field(const char* id, char* buf, size_t n, int64_t& v, bool allow_zero) {
    if (ImGui::InputText(id, buf, n, ImGuiInputTextFlags_CharsNoBlank)) {
        auto c = parse_count(buf);
        if (c && (*c > 0 || allow_zero) && *c != v) { v = *c; return true; }
        if (!buf[0] && allow_zero && v != 0) { v = 0; return true; }
    }
    return false;
}

void section_model(AppState& s) {
    TrainingConfig& c = s.cfg;
    ModelSpec& m = c.model;
    int kind = static_cast<int>(m.kind);
    bool changed = false;
    changed |= ImGui::RadioButton("Catalog", &kind, static_cast<int>(ModelKind::catalog));
    ui::help("Pick a model from the built-in catalog (configs from each model's Hugging Face config.json).",
             "Llama-3.1-8B", "model_name_or_path / --model");
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Custom", &kind, static_cast<int>(ModelKind::architecture));
    ui::help("Describe the architecture yourself: hidden size, layers, heads, experts. Starts from the current model.",
             "off (Catalog)", "the fields of a Hugging Face config.json (AutoConfig)");
    ImGui::SameLine();
    changed |= ImGui::RadioButton("Parameter count", &kind, static_cast<int>(ModelKind::params));
    ui::help("Only a size, as the rules of thumb use it (\"7B\"). A Llama-like shape is assumed. For MoE give "
             "active and shared counts too.",
             "off (Catalog)", "the \"7B\" in a model's name; num_parameters() / model.num_parameters()");
    if (changed && kind != static_cast<int>(m.kind)) {
        if (kind == static_cast<int>(ModelKind::architecture)) {
            m.arch = s.arch;
            m.arch.id = "custom";
            m.arch.reference_total_params = m.arch.reference_active_params = 0;
            s.loaded_name.clear();
        }
        if (kind == static_cast<int>(ModelKind::params) && m.params_total <= 0 && s.has_est) {
            m.params_total = s.est.params.total;
            m.params_active = s.arch.is_moe() ? s.est.params.active : 0;
        }
        m.kind = static_cast<ModelKind>(kind);
        sync_text_fields(s);
        mark_changed(s);
    }

    if (m.kind == ModelKind::catalog) {
        const ModelEntry* cur = find_model(m.id);
        ImGui::SetNextItemWidth(-FLT_MIN);
        if (ImGui::BeginCombo("##model", cur ? cur->arch.name.c_str() : m.id.c_str(), ImGuiComboFlags_HeightLarge)) {
            if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
            ImGui::SetNextItemWidth(-FLT_MIN);
            ImGui::InputTextWithHint("##mfilter", "search: llama, qwen, moe, 70b ...", s.model_filter, sizeof s.model_filter);
            for (const auto& e : models()) {
                if (!matches(s.model_filter, e.arch.name, e.arch.id) && !matches(s.model_filter, e.arch.family, e.published_total))
                    continue;
                const bool sel = e.arch.id == m.id;
                ImGui::PushID(e.arch.id.c_str());
                if (ImGui::Selectable(e.arch.name.c_str(), sel)) {
                    m.id = e.arch.id;
                    mark_changed(s);
                }
                if (ImGui::IsItemHovered() && ImGui::BeginTooltip()) {
                    ImGui::Text("%s", e.hf_repo.c_str());
                    ImGui::TextDisabled("%s params%s%s", format_count(e.catalog_total_params).c_str(),
                                        e.arch.is_moe() ? ", active " : "",
                                        e.arch.is_moe() ? format_count(e.catalog_active_params).c_str() : "");
                    ImGui::EndTooltip();
                }
                ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 4.5f);
                ImGui::TextDisabled("%s%s", e.published_total.c_str(), e.arch.is_moe() ? " MoE" : "");
                if (sel) ImGui::SetItemDefaultFocus();
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        ui::help("The model to train. Type to search by name, family or size.", "Llama-3.1-8B",
                 "HF model_name_or_path; torchtune model component; LitGPT checkpoint");
    } else if (m.kind == ModelKind::architecture) {
        Architecture& a = m.arch;
        if (!s.loaded_name.empty()) ImGui::TextDisabled("From config.json: %s", s.loaded_name.c_str());
        bool ch = false;
        ui::label("hidden_size");
        ch |= i64_input("##h", a.hidden_size, 1, 1 << 20);
        ui::help("Model width (d_model).", kFromModel, "hidden_size / n_embd / d_model");
        ui::label("layers");
        ch |= i64_input("##L", a.num_hidden_layers, 1, 100000);
        ui::help("Transformer blocks.", kFromModel, "num_hidden_layers / n_layer");
        ui::label("heads");
        ch |= i64_input("##a", a.num_attention_heads, 1, 100000);
        ui::help("Attention heads.", kFromModel, "num_attention_heads / n_head");
        ui::label("KV heads");
        ch |= i64_input("##kv", a.num_key_value_heads, 0, 100000);
        ui::help("Key/value heads (GQA). 0 = same as heads (MHA).", "0", "num_key_value_heads");
        ui::label("FFN size");
        ch |= i64_input("##f", a.intermediate_size, 0, 1 << 22);
        ui::help("Dense MLP width.", kFromModel, "intermediate_size / n_inner / ffn_dim");
        ui::label("vocab");
        ch |= i64_input("##V", a.vocab_size, 1, 1 << 24);
        ui::help("Vocabulary size (embedding and LM head rows).", kFromModel, "vocab_size");
        ui::label("experts");
        ch |= i64_input("##E", a.num_experts, 0, 100000);
        ui::help("Routed experts per MoE layer; 0 = dense.", "0", "num_local_experts / num_experts / n_routed_experts");
        if (a.num_experts > 0) {
            ui::label("top-k");
            ch |= i64_input("##k", a.num_experts_per_tok, 1, a.num_experts);
            ui::help("Experts each token is routed to.", kFromModel, "num_experts_per_tok / top_k");
            ui::label("expert FFN");
            ch |= i64_input("##fe", a.moe_intermediate_size, 0, 1 << 22);
            ui::help("Width of one routed expert (0 = FFN size).", kFromModel, "moe_intermediate_size");
            ui::label("shared experts");
            ch |= i64_input("##se", a.n_shared_experts, 0, 64);
            ui::help("Always-on experts (DeepSeek).", "0", "n_shared_experts");
        }
        ch |= ImGui::Checkbox("tied embeddings", &a.tie_word_embeddings);
        ui::help("Input embedding and LM head share one matrix.", kFromModel, "tie_word_embeddings");
        if (ch) mark_changed(s);
    } else {
        bool ch = false;
        ui::label("total");
        ch |= count_field("##pt", s.count_total, sizeof s.count_total, m.params_total, false);
        ui::help("All parameters, e.g. 7B, 70e9, 1.5M.", "the current model's count",
                 "the \"7B\" in a model's name; model.num_parameters()");
        ui::label("active (MoE)");
        ch |= count_field("##pa", s.count_active, sizeof s.count_active, m.params_active, true);
        ui::help("Parameters used per token; empty for a dense model.", "empty (dense)", "\"A3B\" in Qwen3-30B-A3B");
        ui::label("shared (MoE)");
        ch |= count_field("##ps", s.count_shared, sizeof s.count_shared, m.params_shared, true);
        ui::help("Always-on part of an MoE: attention, embeddings, shared experts. Empty = estimate it.", "empty (estimated)",
                 "no config.json field: the non-expert parameters of model cards");
        if (ch) mark_changed(s);
    }
    if (ImGui::Button("Paste or drop a config.json...")) web::open_config_dialog();
    ui::help("Load a Hugging Face config.json: paste its text, pick the file, or drop it anywhere on the page. "
             "Llama, Mistral, Mixtral, Qwen 2/3 (MoE), DeepSeek V2/V3, Gemma 1-3, Phi-3, gpt-oss, OLMoE, GPT-2, Falcon, BLOOM.");
    if (s.has_est) {
        const Architecture& a = s.arch;
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        ImGui::TextWrapped("%s params%s%s, %lld layers, hidden %lld, %lld heads (%lld KV), vocab %lld%s",
                           format_count(s.est.params.total).c_str(), a.is_moe() ? ", " : "",
                           a.is_moe() ? (format_count(s.est.params.active) + " active").c_str() : "",
                           static_cast<long long>(a.num_hidden_layers), static_cast<long long>(a.hidden_size),
                           static_cast<long long>(a.num_attention_heads), static_cast<long long>(a.kv_heads()),
                           static_cast<long long>(a.vocab_size), a.is_moe() ? ", MoE" : "");
        ImGui::PopStyleColor();
    }
}

// Embedding rows trained (PEFT trainable tokens), for new special tokens.
bool trainable_tokens_input(TrainingConfig& c) {
    ui::label("trainable tokens");
    const bool ch = int_input("##tt", c.trainable_tokens, c.adapter == Adapter::tokens ? 1 : 0, limits::kMaxTrainableTokens, 1, 10);
    ui::help("Embedding rows that train (new special tokens).", "0", "trainable_token_indices (PEFT)");
    return ch;
}

// QLoRA's base: 4 or 8 bits, double quantization, the bitsandbytes habit.
bool quant_inputs(TrainingConfig& c) {
    bool ch = false;
    ui::label("base bits");
    int bits = c.quant_bits;
    if (ImGui::RadioButton("4-bit NF4", &bits, 4)) ch = true;
    ImGui::SameLine();
    if (ImGui::RadioButton("8-bit", &bits, 8)) ch = true;
    c.quant_bits = bits;
    ui::help("Quantization of the frozen base weights.", "4 (NF4)",
             "BitsAndBytesConfig(load_in_4bit / load_in_8bit, bnb_4bit_quant_type=\"nf4\")");
    if (c.quant_bits == 4) {
        ch |= ImGui::Checkbox("double quantization", &c.double_quant);
        ui::help("Quantize the absmax constants too (about 0.37 bits/param saved). torchtune's torchao "
                 "NF4 always does.", "on", "bnb_4bit_use_double_quant");
        if (c.framework != Framework::torchtune) {
            ch |= ImGui::Checkbox("bitsandbytes < 0.44", &c.bnb_pre_044);
            ui::help("Before 0.44 each 4-bit layer kept its input for backward.", "off (current bitsandbytes)",
                     "pip show bitsandbytes");
        }
    }
    return ch;
}

void section_method(AppState& s) {
    TrainingConfig& c = s.cfg;
    bool ch = false;
    ui::label("method");
    ch |= enum_combo("##method", c.method);
    ui::help("How the model trains: all weights, low-rank adapters on a frozen base (LoRA), adapters on a "
             "quantized base (QLoRA), or only some layers (freeze).",
             "LoRA", "HF Trainer + PEFT; torchtune full/lora/qlora recipes; LLaMA-Factory finetuning_type");
    if (c.method == Method::lora || c.method == Method::qlora) {
        ui::label("adapter");
        if (enum_combo("##adapter", c.adapter)) {
            if (c.adapter != Adapter::lora) c.use_dora = c.lora_fa = false;   // LoRA's own variants
            if (!has_input_dropout(c.adapter)) c.lora_dropout = false;
            if (!adapts_linears(c.adapter)) c.train_embeddings = c.train_lm_head = false;   // only their tokens train
            if (prompt_learning(c.adapter)) c.trainable_tokens = 0;
            if (c.adapter == Adapter::tokens && c.trainable_tokens < 1) c.trainable_tokens = 2;   // e.g. two new special tokens
            ch = true;
        }
        ui::help("What trains over the frozen base: LoRA or another PEFT tuner (rank = its r; AdaLoRA: init_r; OFT: blocks), "
                 "virtual tokens, embedding rows, or LitGPT's LLaMA-Adapter.",
                 "LoRA", "get_peft_model(model, <Tuner>Config(...))");
    }
    if ((c.method == Method::lora || c.method == Method::qlora) && prompt_learning(c.adapter)) {
        ui::label("virtual tokens");
        ch |= int_input("##vt", c.virtual_tokens, 1, limits::kMaxVirtualTokens, 10, 100);
        ui::help(c.adapter == Adapter::prompt   ? "Virtual tokens put before every sequence: the model runs on seq + these."
                 : c.adapter == Adapter::prefix ? "Virtual keys and values per layer: attention reads seq + these."
                                                : "Length of each layer's adaption prompt (from layer 2 up).",
                 llama_adapter(c.adapter) ? "10 (LitGPT)" : "20",
                 llama_adapter(c.adapter) ? "adapter_prompt_length (LitGPT)" : "num_virtual_tokens (PEFT)");
        if (c.method == Method::qlora) ch |= quant_inputs(c);
    } else if ((c.method == Method::lora || c.method == Method::qlora) && c.adapter == Adapter::tokens) {
        ch |= trainable_tokens_input(c);
        if (c.method == Method::qlora) ch |= quant_inputs(c);
    } else if (c.method == Method::lora || c.method == Method::qlora) {
        ui::label("rank r");
        ch |= int_input("##r", c.lora_rank, 1, 4096, 8, 64);
        ui::help("Adapter rank: each targeted d_in x d_out weight gets r x (d_in + d_out) trainable parameters.",
                 "16", "LoraConfig(r=...); lora_rank (torchtune); --lora_rank");
        ui::label("alpha");
        float alpha = static_cast<float>(c.lora_alpha);
        if (ImGui::InputFloat("##alpha", &alpha, 1, 8, "%.0f")) {
            c.lora_alpha = std::clamp(alpha, 0.0f, 1e6f);
            ch = true;
        }
        ui::help("Scaling of the adapter output (alpha / r). Changes the training, not the memory.", "32",
                 "lora_alpha");
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted("targets");
        ui::help("Which linear layers get adapters.", "all-linear (q,k,v,o,gate,up,down + experts, shared)",
                 "target_modules (PEFT), lora_attn_modules + apply_lora_to_mlp (torchtune)");
        static const struct { LinearKind k; const char* name; const char* tip; } kinds[] = {
            {LinearKind::q, "q", "q_proj"}, {LinearKind::k, "k", "k_proj"}, {LinearKind::v, "v", "v_proj"},
            {LinearKind::o, "o", "o_proj"}, {LinearKind::gate, "gate", "gate_proj (w1)"},
            {LinearKind::up, "up", "up_proj (w3)"}, {LinearKind::down, "down", "down_proj (w2)"},
            {LinearKind::expert, "experts", "every routed expert's gate/up/down (MoE)"},
            {LinearKind::shared_expert, "shared", "shared experts (MoE)"},
            {LinearKind::router, "router", "the router / gate linear (MoE)"}};
        int n = 0;
        for (const auto& k : kinds) {
            const bool moe_only = k.k == LinearKind::expert || k.k == LinearKind::shared_expert || k.k == LinearKind::router;
            if (moe_only && !s.arch.is_moe()) continue;
            if (n++ % 4 != 0) ImGui::SameLine();
            bool on = (c.lora_targets & target_bit(k.k)) != 0;
            if (ImGui::Checkbox(k.name, &on)) {
                c.lora_targets = on ? (c.lora_targets | target_bit(k.k)) : (c.lora_targets & ~target_bit(k.k));
                ch = true;
            }
            ui::help("Put a LoRA adapter on this linear layer.", "on (all-linear)", k.tip);
        }
        if (s.arch.is_moe() && (c.lora_targets & target_bit(LinearKind::expert))) {
            ui::label("experts w/ LoRA");
            ch |= int_input("##lexp", c.lora_experts, -1, static_cast<int>(std::max<int64_t>(s.arch.num_experts, 1)));
            ui::help("Routed experts per layer that get adapters; -1 = all.", "-1 (all)", "target_modules regex over experts.N");
        }
        ui::label("also train");
        if (embeddings_and_head(c, true)) {
            ch = true;
            if (c.train_embeddings) c.trainable_tokens = 0;   // every row trains now
        }
        if (!c.train_embeddings) ch |= trainable_tokens_input(c);
        if (has_input_dropout(c.adapter)) {
            ch |= ImGui::Checkbox("LoRA dropout", &c.lora_dropout);
            ui::help("PEFT keeps a dropped-out copy of each adapter input for backward.", "off (lora_dropout = 0)",
                     "LoraConfig(lora_dropout=...); lora_dropout (torchtune, LLaMA-Factory)");
        }
        if (c.adapter == Adapter::lora) {
            ch |= ImGui::Checkbox("LoRA-FA (frozen A)", &c.lora_fa);
            ui::help("Only B trains; the adapters keep none of their inputs.", "off", "create_lorafa_optimizer (PEFT)");
            ch |= ImGui::Checkbox("DoRA", &c.use_dora);
            ui::help("Weight-decomposed LoRA: a trained magnitude per output feature; adapted linears keep their outputs.",
                     "off", "LoraConfig(use_dora=True); use_dora (torchtune, LLaMA-Factory, ms-swift)");
        }
        if (c.method == Method::qlora) ch |= quant_inputs(c);
    } else if (c.method == Method::freeze) {
        const int L = static_cast<int>(std::max<int64_t>(s.arch.num_hidden_layers, 1));
        int end = c.train_layer_end < 0 ? L : c.train_layer_end;
        ui::label("train layers");
        int range[2] = {c.train_layer_begin, end};
        if (ImGui::DragInt2("##layers", range, 0.2f, 0, L)) {
            range[0] = std::clamp(range[0], 0, L);
            range[1] = std::clamp(range[1], range[0], L);
            c.train_layer_begin = range[0];
            c.train_layer_end = range[1] >= L ? -1 : range[1];
            ch = true;
        }
        ui::help("Layers [first, last) that train; the rest are frozen.", "all layers",
                 "freeze_trainable_layers (LLaMA-Factory); requires_grad=False");
        if (s.arch.is_moe()) {
            ui::label("experts trained");
            ch |= int_input("##texp", c.train_experts, -1, static_cast<int>(s.arch.num_experts));
            ui::help("Routed experts per trained layer that train; -1 = all.", "-1 (all)",
                     "requires_grad on mlp.experts.N (no framework option)");
        }
        ch |= ImGui::Checkbox("attention", &c.train_attention);
        ui::help("The trained layers' attention projections (q, k, v, o) receive gradients.", "on",
                 "self_attn.*.requires_grad; freeze_trainable_modules (LLaMA-Factory)");
        ImGui::SameLine();
        ch |= ImGui::Checkbox("MLP", &c.train_mlp);
        ui::help("The trained layers' dense MLP (and shared experts) receive gradients.", "on",
                 "mlp.*.requires_grad; freeze_trainable_modules (LLaMA-Factory)");
        ImGui::SameLine();
        ch |= ImGui::Checkbox("norms", &c.train_norms);
        ui::help("The trained layers' RMSNorm / LayerNorm weights receive gradients.", "on", "*norm*.requires_grad");
        ch |= ImGui::Checkbox("router", &c.train_router);
        ui::help("The MoE router (gate) of the trained layers receives gradients.", "on", "mlp.gate.requires_grad");
        ImGui::SameLine();
        ch |= embeddings_and_head(c, false);
    }
    if (ch) mark_changed(s);
}

void section_precision(AppState& s) {
    TrainingConfig& c = s.cfg;
    bool ch = false;
    ui::label("precision");
    ch |= enum_combo("##prec", c.precision);
    ui::help("Dtypes of weights, gradients, master weights and activations, as frameworks really do it.",
             "bf16 (pure)", "Trainer bf16=True / fp16=True; DeepSpeed bf16.enabled; torch_dtype; precision= (Lightning)");
    ui::label("optimizer");
    ch |= enum_combo("##opt", c.optimizer);
    ui::help("The optimizer decides the state bytes per trainable parameter.", "AdamW",
             "optim= (HF), optimizer._component_ (torchtune)");
    if (is_galore(c.optimizer)) {
        ui::label("GaLore rank");
        ch |= int_input("##grank", c.galore_rank, 1, 65536, 64, 256);
        ui::help("Rank of GaLore's gradient projections.",
                 "128", "optim_args=\"rank=...\" (HF), galore_rank (ms-swift, LLaMA-Factory)");
    }
    ui::label("state dtype");
    ch |= enum_combo("##sd", c.state_dtype);
    ui::help("Dtype of the optimizer moments.", "auto", "torch.optim keeps the parameter dtype");
    ui::label("step kernel");
    ch |= enum_combo("##oimp", c.optimizer_impl);
    ui::help("How the optimizer step runs: foreach AdamW allocates a state-sized temporary for all parameters at "
             "once; fused kernels none; a for-loop one parameter's.", "framework default",
             "optim=adamw_torch | adamw_torch_fused | adamw_hf (HF); torch.optim.AdamW(foreach=, fused=)");
    ch |= ImGui::Checkbox("zero_grad frees gradients", &c.grads_set_to_none);
    ui::help("Gradients are freed after each step, so the next forward runs without them. Off: they are zeroed in "
             "place and stay allocated all step.", "on",
             "optimizer.zero_grad(set_to_none=True), the PyTorch default since 2.0 (before: False)");
    if (ch) mark_changed(s);
}

void section_batch(AppState& s) {
    TrainingConfig& c = s.cfg;
    bool ch = false;
    ui::label("micro-batch");
    ch |= int_input("##mb", c.micro_batch, 1, 65536, 1, 8);
    ui::help("Sequences per GPU per forward/backward.", "1",
             "per_device_train_batch_size; batch_size (torchtune); micro_batch_size");
    ui::label("sequence length");
    ch |= int_input("##seq", c.seq_len, 1, 4 << 20, 512, 4096);
    record_rect(s, UiRect::input_seq);
    ui::help("Tokens per sequence (after packing/padding).", "2048", "max_seq_length / max_length / cutoff_len");
    ui::label("grad accumulation");
    ch |= int_input("##ga", c.grad_accum, 1, 1 << 20, 1, 8);
    ui::help("Micro-batches per optimizer step. Changes the global batch and time, not the peak memory.", "1",
             "gradient_accumulation_steps");
    ui::label("checkpointing");
    ch |= enum_combo("##ckpt", c.grad_checkpointing);
    ui::help("Activation (gradient) checkpointing: keep less, recompute in backward (~+33% compute for full).",
             "none", "gradient_checkpointing=True; enable_activation_checkpointing; --recompute-granularity");
    ui::label("attention");
    ch |= enum_combo("##attn", c.attention);
    ui::help("Eager attention stores b x heads x s x s scores; SDPA and FlashAttention do not.", "SDPA",
             "attn_implementation=\"eager\" | \"sdpa\" | \"flash_attention_2\"");
    ui::label("output head");
    ch |= enum_combo("##task", c.task);
    ui::help("Causal LM: vocabulary logits for every token. Classification: a few class scores per sequence, "
             "no LM head.", "causal LM", "AutoModelForCausalLM | AutoModelForSequenceClassification");
    ui::label("framework");
    ch |= enum_combo("##fw", c.framework);
    ui::help("The training stack: changes habits that really differ (logits upcast, chunked loss, CUDA context).",
             "HF Trainer + PEFT", "the library you launch with: transformers Trainer / TRL, torchtune, Megatron, ...");
    ch |= ImGui::Checkbox("chunked cross-entropy", &c.chunked_ce);
    ui::help("Compute the loss in chunks: no full batch x seq x vocab fp32 logits (the 16-bit logits stay).", "off",
             "torchtune loss=CEWithChunkedOutputLoss; LitGPT chunked_cross_entropy");
    ImGui::SameLine();
    ch |= ImGui::Checkbox("fused linear CE", &c.fused_linear_ce);
    ui::help("Fuse the output head with the loss, a chunk of tokens at a time: the logits of the whole batch never "
             "exist. Wins over chunked cross-entropy.", "off",
             "use_liger_kernel=True (HF Trainer, TRL); enable_liger_kernel (LLaMA-Factory); "
             "liger_fused_linear_cross_entropy (axolotl); Unsloth since Dec 2024 (Apple Cut Cross-Entropy)");
    ch |= ImGui::Checkbox("offload activations", &c.activation_offload);
    ui::help("Keep checkpointed activations in CPU RAM.", "off",
             "enable_activation_offloading (torchtune); use_gradient_checkpointing=\"unsloth\"");
    ImGui::SameLine();
    ch |= ImGui::Checkbox("fused kernels", &c.compile);
    ui::help("torch.compile or fused kernels: fused norms and SwiGLU keep fewer intermediate activations.", "off",
             "torch_compile=True (HF); compile=True (torchtune); Liger kernels; Unsloth");
    ch |= ImGui::Checkbox("optimizer in backward", &c.optimizer_in_backward);
    ui::help("Step each parameter as soon as its gradient arrives, so full gradients never coexist.", "off",
             "optimizer_in_bwd=True (torchtune)");
    if (ch) mark_changed(s);
}

void section_parallel(AppState& s) {
    TrainingConfig& c = s.cfg;
    bool ch = false;
    ui::label("GPUs");
    ch |= int_input("##gpus", c.gpus, 1, 65536, 1, 8);
    ui::help("Total GPUs = data-parallel x TP x PP.", "1", "--nproc_per_node x nodes; world_size");
    ui::label("ZeRO stage");
    static const char* zero_names[] = {"0: none (DDP)", "1: shard optimizer", "2: + gradients", "3: + parameters (FSDP)"};
    int z = std::clamp(c.zero_stage, 0, 3);
    if (ImGui::Combo("##zero", &z, zero_names, 4)) {
        c.zero_stage = z;
        ch = true;
    }
    ui::help("Shard optimizer states (1), gradients (2) and parameters (3) across the data-parallel GPUs. "
             "Stage 3 is PyTorch FSDP (its root unit stays gathered) unless the framework is DeepSpeed.", "0",
             "DeepSpeed zero_optimization.stage; FSDP SHARD_GRAD_OP = 2, FULL_SHARD = 3");
    ch |= ImGui::Checkbox("offload optimizer", &c.offload_optimizer);
    ui::help("Optimizer states and master weights in CPU RAM.", "off", "offload_optimizer.device=cpu; FSDP CPUOffload");
    ImGui::SameLine();
    ch |= ImGui::Checkbox("offload params", &c.offload_params);
    ui::help("Parameters in CPU RAM (ZeRO-3 / FSDP only).", "off", "offload_param.device=cpu");
    ui::label("TP / PP / EP");
    int v[3] = {c.tp, c.pp, c.ep};
    if (ImGui::InputInt3("##tpppep", v)) {
        c.tp = std::clamp(v[0], 1, 4096);
        c.pp = std::clamp(v[1], 1, 4096);
        c.ep = std::clamp(v[2], 1, 4096);
        ch = true;
    }
    ui::help("Tensor, pipeline and expert parallel sizes.", "1 / 1 / 1",
             "--tensor-model-parallel-size, --pipeline-model-parallel-size, --expert-model-parallel-size");
    if (ch) mark_changed(s);
}

void section_hardware(AppState& s) {
    TrainingConfig& c = s.cfg;
    bool ch = false;
    ui::label("GPU");
    const Gpu* cur = find_gpu(c.gpu_id);
    if (ImGui::BeginCombo("##gpu", cur ? cur->name.c_str() : c.gpu_id.c_str(), ImGuiComboFlags_HeightLarge)) {
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-FLT_MIN);
        ImGui::InputTextWithHint("##gfilter", "search: h100, 4090, 24gb ...", s.gpu_filter, sizeof s.gpu_filter);
        for (const auto& g : gpus()) {
            if (!matches(s.gpu_filter, g.name, g.id)) continue;
            const bool sel = g.id == c.gpu_id;
            ImGui::PushID(g.id.c_str());
            if (ImGui::Selectable(g.name.c_str(), sel)) {
                c.gpu_id = g.id;
                ch = true;
            }
            ImGui::SameLine(ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5.0f);
            ImGui::TextDisabled("%s", format_bytes(g.memory_bytes, s.units, 0).c_str());
            if (sel) ImGui::SetItemDefaultFocus();
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    ui::help("The GPU type: its memory is the capacity line; its TFLOPS, power and price drive time, energy and cost.",
             "NVIDIA H100 SXM5 80GB", "torch.cuda.get_device_name(); nvidia-smi --query-gpu=name,memory.total");
    ui::label("training tokens");
    int64_t tok = static_cast<int64_t>(c.tokens);
    if (count_field("##tok", s.tokens_text, sizeof s.tokens_text, tok, false)) {
        c.tokens = static_cast<double>(tok);
        ch = true;
    }
    ui::help("Tokens processed over the whole run (dataset tokens x epochs), e.g. 1B, 300M.", "1B",
             "num_train_epochs x dataset tokens");
    ui::label("MFU");
    float mfu = static_cast<float>(c.mfu);
    char fmt[48];
    if (c.mfu <= 0) std::snprintf(fmt, sizeof fmt, "auto (%.0f%%)", s.has_est ? s.est.mfu * 100 : 0.0);
    else std::snprintf(fmt, sizeof fmt, "%%.2f");
    if (ImGui::SliderFloat("##mfu", &mfu, 0.0f, 0.8f, fmt)) {
        c.mfu = mfu < 0.005f ? 0 : mfu;
        ch = true;
    }
    ui::help("Model FLOPs utilisation: share of the GPU's dense bf16 peak the run achieves. 0 = a typical value "
             "for this method and GPU.",
             "auto", "MFU in Megatron/torchtitan logs");
    ui::label("peak TFLOPS");
    float tf = static_cast<float>(c.peak_tflops);
    char tfmt[48];
    if (c.peak_tflops <= 0) {
        if (s.has_est && s.est.peak_tflops > 0) std::snprintf(tfmt, sizeof tfmt, "catalog (%.0f)", s.est.peak_tflops);
        else std::snprintf(tfmt, sizeof tfmt, "catalog (none: set one)");
    } else {
        std::snprintf(tfmt, sizeof tfmt, "%%.1f");
    }
    if (ImGui::DragFloat("##tflops", &tf, 1.0f, 0.0f, static_cast<float>(limits::kMaxTflops), tfmt, ImGuiSliderFlags_AlwaysClamp)) {
        c.peak_tflops = tf < 0.5f ? 0 : tf;
        ch = true;
    }
    ui::help("The GPU's dense peak TFLOPS at the run's precision, for time, cost and energy. 0 = the catalog's figure "
             "(some GPUs, such as the AWS A10G, have none published).",
             "the catalog's", "the vendor datasheet's dense (not sparse) bf16/fp16 tensor TFLOPS");
    ui::label("$ per GPU-hour");
    float price = static_cast<float>(c.price_per_gpu_hour);
    char pfmt[48];
    if (c.price_per_gpu_hour < 0) std::snprintf(pfmt, sizeof pfmt, "catalog ($%.2f)", s.has_est ? s.est.price_per_gpu_hour : 0.0);
    else std::snprintf(pfmt, sizeof pfmt, "$%%.2f");
    if (ImGui::DragFloat("##price", &price, 0.05f, -1.0f, 1000.0f, pfmt)) {
        c.price_per_gpu_hour = price < 0 ? -1 : price;
        ch = true;
    }
    ui::help("Rental price per GPU-hour. Drag below 0 for the catalog's price.", "the catalog's price",
             "on-demand price per GPU per hour on a cloud's pricing page");
    ui::label("PUE / power");
    float pw[2] = {static_cast<float>(c.pue), static_cast<float>(c.gpu_power_fraction)};
    if (ImGui::DragFloat2("##pue", pw, 0.01f, 0.0f, 3.0f, "%.2f")) {
        c.pue = std::clamp(pw[0], 1.0f, 3.0f);
        c.gpu_power_fraction = std::clamp(pw[1], 0.05f, 1.0f);
        ch = true;
    }
    ui::help("Data-centre power usage effectiveness, and the GPUs' average draw as a share of their TDP.",
             "1.3 / 0.8", "PUE in data-centre reports; nvidia-smi power.draw / power.limit");
    if (ch) mark_changed(s);
}

bool header(const char* title) {
    ui::push_strong();
    const bool open = ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen);
    ui::pop_strong();
    return open;
}

}  // namespace

void draw_inputs(AppState& s) {
    if (header("Model")) section_model(s);
    if (header("Method")) section_method(s);
    if (header("Precision and optimizer")) section_precision(s);
    if (header("Batch and activations")) section_batch(s);
    if (header("Parallelism")) section_parallel(s);
    if (header("GPU, time and cost")) section_hardware(s);
    ImGui::Spacing();
    if (ImGui::Button("Reset to defaults")) {
        s.cfg = TrainingConfig{};
        s.notices.clear();
        sync_text_fields(s);
        mark_changed(s);
    }
    ui::help("Back to the first screen: Llama-3.1-8B, LoRA r=16, bf16, AdamW, batch 1, seq 2048, one H100 80GB.");
}
