// bench/web/bench.mjs — printed figures for the page (targets from the issue in brackets):
//   transfer size of each file, raw and gzip -9             [<= 350 KB gzip in all]
//   navigation -> first drawn frame / first frame with numbers, headless Chromium, localhost [<= 300 ms]
//   frame CPU time while idle and while typing              [<= 2 ms; idle frames: no recompute, no allocation]
// Run after the page is built: node bench/web/bench.mjs (scripts/web-test.sh does).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, serve, newPage, state, waitReady, waitState, clickAt, center, pageDir, root } from '../../tests/web/lib.mjs';

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + ' KB';
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };

console.log('== transfer size (raw / gzip -9) ==');
let served = 0;
for (const f of ['index.html', 'index.js', 'index.wasm', 'sw.js', 'manifest.webmanifest', 'icon.svg']) {
  const b = fs.readFileSync(path.join(pageDir, f)); const gz = zlib.gzipSync(b, { level: 9 }).length; served += gz;
  console.log(`${f.padEnd(22)}${kb(b.length)} ${kb(gz)}`);
}
const font = fs.readFileSync(path.join(root, 'assets/fonts/Inter-Regular-subset.otf'));
console.log(`${'font (inside the wasm)'.padEnd(22)}${kb(font.length)} ${kb(zlib.gzipSync(font, { level: 9 }).length)}`);
const single = fs.readFileSync(path.join(pageDir, 'vramcalc.html'));
console.log(`${'vramcalc.html (single)'.padEnd(22)}${kb(single.length)} ${kb(zlib.gzipSync(single, { level: 9 }).length)}`);
console.log(`${'served page in all'.padEnd(22)}${' '.repeat(11)}${kb(served)}   [target <= 350 KB]`);

const server = await serve();
const browser = await launch();
try {
  console.log('\n== time from navigation to first frame (headless Chromium, SwiftShader WebGL2, localhost) ==');
  const first = [], numbers = [], phases = [];
  for (let i = 0; i < 6; i++) {
    const { page, ctx } = await newPage(browser);
    await page.goto(server.url, { timeout: 30000 });
    await waitReady(page);
    const t = await page.evaluate(() => [globalThis.__vramcalc_first_frame_ms, globalThis.__vramcalc_first_numbers_ms,
      globalThis.__vramcalc_shell_ms, performance.getEntriesByType('mark').map((m) => `${m.name.replace('vramcalc:', '')} ${m.startTime.toFixed(0)}`).join(', '),
      performance.getEntriesByType('resource').filter((e) => /index\.(js|wasm)$/.test(e.name)).map((e) => [e.name.split('/').pop(), e.startTime, e.responseEnd])]);
    if (i > 0) phases.push(t);
    if (i > 0) { first.push(t[0]); numbers.push(t[1]); }   // run 0 warms the HTTP and compile caches of the browser
    await ctx.close();
  }
  console.log(`first drawn frame         median ${median(first).toFixed(0)} ms, min ${Math.min(...first).toFixed(0)}, max ${Math.max(...first).toFixed(0)}  (${first.length} runs)`);
  const p = phases[phases.length - 1];
  console.log(`  last run: shell script ${p[2].toFixed(0)} ms, ${p[4].map((r) => `${r[0]} ${r[1].toFixed(0)}-${r[2].toFixed(0)} ms`).join(', ')}, ${p[3]}, first frame ${p[0].toFixed(0)} ms`);
  console.log(`first frame with numbers  median ${median(numbers).toFixed(0)} ms, min ${Math.min(...numbers).toFixed(0)}, max ${Math.max(...numbers).toFixed(0)}   [target <= 300 ms]`);

  console.log('\n== frame CPU time (inside the frame callback: events, ImGui, estimate, GL calls) ==');
  const { page, ctx } = await newPage(browser);
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  await page.waitForTimeout(3000);               // let it settle into idle
  await page.evaluate(() => _vramcalc_reset_frame_stats());
  await page.waitForTimeout(3000);
  let f = (await state(page)).frames;
  console.log(`idle (3 s):    ${f.total} frames, ${f.drawn} drawn, ${f.recomputes} recomputes, ${f.avg_ms_idle.toFixed(3)} ms average, heap growth ${f.idle_heap_growth} B`);

  const s0 = await state(page);
  await page.evaluate(() => _vramcalc_reset_frame_stats());
  const t0 = Date.now(); let moves = 0;
  while (Date.now() - t0 < 2000) { await page.mouse.move(500 + (moves % 40) * 15, 300 + (moves % 7) * 20); moves++; await page.waitForTimeout(16); }
  f = (await state(page)).frames;
  console.log(`mouse moving:  ${f.drawn} frames drawn, ${f.recomputes} recomputes, ${f.avg_ms_drawn.toFixed(2)} ms average, ${f.max_ms_drawn.toFixed(2)} ms max`);

  // The sequence-length field can sit below the first screen of the inputs panel: wheel it into
  // view first (ImGui scrolls with the wheel), else the keys would land nowhere.
  let s1 = await state(page);
  for (let k = 0; k < 20 && s1.ui.input_seq[3] > 720 - 8; k++) {
    await page.mouse.move(200, 400);
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(120);
    s1 = await state(page);
  }
  await clickAt(page, ...center(s1.ui.input_seq));
  await page.waitForTimeout(300);
  await page.evaluate(() => _vramcalc_reset_frame_stats());
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Backspace', { delay: 30 });
    await page.keyboard.type(String(i % 10), { delay: 60 });
    await page.waitForTimeout(60);
  }
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  f = (await state(page)).frames;
  const st = await state(page);
  if (f.recomputes === 0) console.log('typing: WARNING no recompute: the keys did not reach the sequence-length field');
  console.log(`typing:        ${f.drawn} frames drawn, ${f.recomputes} recomputes, ${f.avg_ms_drawn.toFixed(2)} ms average, ${f.max_ms_drawn.toFixed(2)} ms max   [target <= 2 ms]  (link now ${st.link})`);
  console.log(`   typing split: estimate ${(f.ms_recompute / f.drawn).toFixed(2)} ms, ImGui ${(f.ms_ui / f.drawn).toFixed(2)} ms, GL ${(f.ms_gl / f.drawn).toFixed(2)} ms per drawn frame`);
  await ctx.close();
} finally {
  await browser.close();
  await server.stop();
}
