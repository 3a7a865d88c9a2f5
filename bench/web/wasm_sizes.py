#!/usr/bin/env python3
"""Where the page's wasm bytes go: code by origin (SDL, ImGui, core, web app, nlohmann, libc/libc++)
and the data section, raw and gzip -9 (each group compressed on its own, so the sum is an upper bound).
Needs a wasm linked with --profiling-funcs (function names): bench/web/bench.mjs --sizes builds one.
Usage: wasm_sizes.py index.wasm [top-N functions]"""
import collections, sys, zlib

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def main():
    d = open(sys.argv[1], 'rb').read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    i = 8; secs = {}
    while i < len(d):
        sid = d[i]; i += 1; sz, i = leb(d, i); secs.setdefault(sid, []).append((i, sz)); i += sz
    imports = 0
    if 2 in secs:
        o, _ = secs[2][0]; n, j = leb(d, o)
        for _ in range(n):
            l, j = leb(d, j); j += l; l, j = leb(d, j); j += l; k = d[j]; j += 1
            if k == 0: _, j = leb(d, j); imports += 1
            elif k in (1, 2):
                if k == 1: j += 1
                f, j = leb(d, j); _, j = leb(d, j)
                if f & 1: _, j = leb(d, j)
            elif k == 3: j += 2
    names = {}
    for o, sz in secs.get(0, []):
        l, j = leb(d, o); nm = d[j:j + l]; j += l
        if nm != b'name': continue
        end = o + sz
        while j < end:
            t = d[j]; j += 1; s, j = leb(d, j); e = j + s
            if t == 1:
                n, j = leb(d, j)
                for _ in range(n):
                    idx, j = leb(d, j); l, j = leb(d, j); names[idx] = d[j:j + l].decode(errors='replace'); j += l
            j = e
    o, _ = secs[10][0]; n, j = leb(d, o)
    groups = collections.defaultdict(bytearray); funcs = []
    for k in range(n):
        s, j2 = leb(d, j); body = d[j2:j2 + s]; j = j2 + s; nm = names.get(imports + k, '?')
        if 'nlohmann' in nm: g = 'nlohmann'
        elif nm.startswith('ImGui_Impl'): g = 'imgui backends'
        elif 'ImGui' in nm or nm.startswith('Im') or 'stbtt' in nm or 'stb_' in nm or 'STB' in nm: g = 'imgui'
        elif 'SDL' in nm or 'Emscripten_' in nm: g = 'sdl'
        elif 'vramcalc' in nm: g = 'core'
        elif nm.startswith(('draw_', 'ui::', 'web::', '(anonymous namespace)::', 'main', 'vramcalc_')) or 'AppState' in nm: g = 'web app'
        elif 'std::' in nm: g = 'libc++'
        else: g = 'libc/other'
        groups[g] += body; funcs.append((s, nm))
    data = b''.join(d[o:o + sz] for o, sz in secs.get(11, []))
    print(f"{'group':16}{'raw':>10}{'gzip':>10}")
    for g, b in sorted(groups.items(), key=lambda x: -len(x[1])):
        print(f"{g:16}{len(b):10}{len(zlib.compress(bytes(b), 9)):10}")
    print(f"{'data section':16}{len(data):10}{len(zlib.compress(data, 9)):10}")
    print(f"{'whole file':16}{len(d):10}{len(zlib.compress(d, 9)):10}")
    for s, nm in sorted(funcs, reverse=True)[:top]: print(f"{s:8} {nm[:120]}")

if __name__ == '__main__':
    main()
