// platform_web.cpp — every call into JavaScript lives here (EM_JS); see platform_web.h.
// The test getter vramcalc_state_json() is exported from app_state.cpp and wrapped here as
// globalThis.vramcalc_state_json() for the browser tests.
#include "platform_web.h"

#include <cstdlib>
#include <emscripten.h>
#include <emscripten/html5.h>

// clang-format off
EM_JS(void, js_install, (), {
  globalThis.__vramcalc_main_ms = performance.now();
  globalThis.__vramcalc_hash_changed = 0;
  globalThis.__vramcalc_loaded_text = null;
  window.addEventListener('hashchange', function () { globalThis.__vramcalc_hash_changed = 1; });
  // A dropped config.json anywhere on the page.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) {
    e.preventDefault();
    var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (f) f.text().then(function (t) { globalThis.__vramcalc_loaded_text = t; });
  });
  // Tests and bench/web read the state through this.
  globalThis.vramcalc_state_json = function () { return UTF8ToString(_vramcalc_state_json()); };
  globalThis.vramcalc_load_text = function (t) { globalThis.__vramcalc_loaded_text = String(t); };
  if (globalThis.vramcalcShell && vramcalcShell.ready) vramcalcShell.ready();
});
EM_JS(char*, js_read_fragment, (), {
  var s = String(location.hash);
  if (s.length > 200000) s = s.substring(0, 200000);   // the core caps it too; keep the copy small
  var n = lengthBytesUTF8(s) + 1; var p = _malloc(n); stringToUTF8(s, p, n); return p;
});
EM_JS(void, js_replace_fragment, (const char* s), {
  var h = UTF8ToString(s);
  if (location.hash === h) return;
  try { history.replaceState(null, document.title, h); } catch (e) { }
});
EM_JS(int, js_take_hash_changed, (), {
  var c = globalThis.__vramcalc_hash_changed; globalThis.__vramcalc_hash_changed = 0; return c;
});
EM_JS(char*, js_take_loaded_text, (), {
  var t = globalThis.__vramcalc_loaded_text;
  if (t === null || t === undefined) return 0;
  globalThis.__vramcalc_loaded_text = null;
  if (t.length > 4000000) t = t.substring(0, 4000000);
  var n = lengthBytesUTF8(t) + 1; var p = _malloc(n); stringToUTF8(t, p, n); return p;
});
EM_JS(void, js_copy, (const char* s), {
  var t = UTF8ToString(s);
  if (t.charAt(0) === '#') t = location.href.split('#')[0] + t;   // the full address of this page
  function fallback() {
    var a = document.createElement('textarea'); a.value = t; a.style.position = 'fixed'; a.style.opacity = '0';
    document.body.appendChild(a); a.select();
    try { document.execCommand('copy'); } catch (e) { }
    document.body.removeChild(a);
  }
  globalThis.__vramcalc_copied = t;
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(fallback);
  else fallback();
});
EM_JS(void, js_download, (), {
  var a = document.createElement('a');
  a.href = 'vramcalc.html'; a.download = 'vramcalc.html';
  document.body.appendChild(a); a.click(); document.body.removeChild(a);
});
EM_JS(int, js_is_file, (), { return location.protocol === 'file:' ? 1 : 0; });
EM_JS(void, js_open_dialog, (), { if (globalThis.vramcalcShell) vramcalcShell.openConfigDialog(); });
EM_JS(void, js_mark_first_frame, (int with_numbers), {
  var t = performance.now();
  if (!globalThis.__vramcalc_first_frame_ms) globalThis.__vramcalc_first_frame_ms = t;
  if (with_numbers && !globalThis.__vramcalc_first_numbers_ms) globalThis.__vramcalc_first_numbers_ms = t;
});
EM_JS(void, js_mark, (const char* name), { performance.mark(UTF8ToString(name)); });
EM_JS(void, js_hide_loading, (), { if (globalThis.vramcalcShell) vramcalcShell.started(); });
// clang-format on

namespace web {

void install() { js_install(); }

static std::string take(char* p) {
    if (!p) return {};
    std::string s(p);
    std::free(p);
    return s;
}

std::string read_fragment() { return take(js_read_fragment()); }
void replace_fragment(const std::string& link) { js_replace_fragment(link.c_str()); }
bool take_fragment_changed() { return js_take_hash_changed() != 0; }
bool take_loaded_text(std::string& out) {
    char* p = js_take_loaded_text();
    if (!p) return false;
    out = take(p);
    return true;
}
void copy_to_clipboard(const std::string& text) { js_copy(text.c_str()); }
void download_offline_copy() { js_download(); }
bool is_file_protocol() { return js_is_file() != 0; }
void open_config_dialog() { js_open_dialog(); }
double device_pixel_ratio() { return emscripten_get_device_pixel_ratio(); }
void mark_first_frame(bool with_numbers) { js_mark_first_frame(with_numbers ? 1 : 0); }
void hide_loading() { js_hide_loading(); }
double now_ms() { return emscripten_get_now(); }
void mark(const char* name) { js_mark(name); }

}  // namespace web
