// The served page: it renders (screenshot not blank, saved to docs/screenshot.png), the numbers it
// shows equal the CLI's for the same state, share links restore and round-trip, clicking a grid
// cell loads that configuration, and no request leaves the page's own origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, serve, newPage, state, waitReady, waitState, assertAlive, cliJson, pngLooksDrawn,
  foreignRequests, root, clickAt, center } from './lib.mjs';

let browser, server;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Links covering the methods, an MoE, parallelism and non-default options.
const LINKS = [
  '#v=1',
  '#v=1&m=llama-3.1-70b&meth=full&prec=bf16-mixed&n=8&z=3&ck=full&mb=2&s=4096',
  '#v=1&m=qwen3-30b-a3b&meth=qlora&r=64',
  '#v=1&m=mixtral-8x7b&meth=freeze&gpu=a100-sxm-80gb&opt=adamw-8bit',
  '#v=1&m=llama-3.2-1b&meth=full&prec=fp32&opt=sgd&mb=8&s=1024&attn=eager&gpu=rtx-4090',
  '#v=1&m=llama-2-7b&gpu=a10g-24gb',
  '#v=1&m=llama-2-7b&gpu=a10g-24gb&tf=125&price=1.2',
  '#v=1&meth=qlora&s=78475&ck=full&flce=1&aoff=1&fw=unsloth&gpu=rtx-4090',
  '#v=1&m=llama-2-7b&meth=qlora&fw=litgpt&mb=2&s=512&gpu=a10g-24gb',
  '#v=1&m=qwen2.5-7b&ldo=1&dora=1&ck=full&gpu=rtx-4090',
  '#v=1&m=llama-2-7b&meth=full&opt=galore-adamw-8bit&gr=1024&ck=full&gpu=rtx-4090',
  '#v=1&m=llama-3.2-3b&meth=qlora&r=32&tg=q,v&lfa=1&bnbold=1&opt=muon',
  '#v=1&m=llama-3.2-3b&r=256&tg=q,v&ad=vera',
  '#v=1&m=llama-3.2-3b&tg=k,v,down&ad=ia3&mb=4&s=768',
  '#v=1&m=llama-3.2-3b&r=32&tg=q,v&ad=loha&mb=4&s=768',
  '#v=1&m=llama-3.2-3b&r=32&tg=q,v&ad=oft&mb=4&s=768',
  '#v=1&m=llama-3.2-3b&ad=prompt&vt=200&mb=4&s=768',
  '#v=1&m=llama-3.2-3b&meth=qlora&ad=prefix&vt=200',
  '#v=1&m=llama-2-7b&ad=llama-adapter-v2&vt=10&fw=litgpt&s=1304&gpu=a100-sxm-40gb',
  '#v=1&m=llama-3.2-3b&ad=trainable-tokens&tt=2&mb=4&s=768',
  '#v=1&m=llama-3.2-3b&tt=3',
];

function close(a, b, what) {
  const tol = Math.max(1e-9 * Math.abs(b), 1e-12);
  assert.ok(Math.abs(a - b) <= tol, `${what}: page ${a} vs CLI ${b}`);
}

function compareWithCli(s) {
  const c = cliJson(s.link);
  for (const k of ['total', 'trainable', 'active']) assert.equal(s.params[k], c.params[k], `params.${k} (${s.link})`);
  assert.equal(c.link, s.link, 'the CLI reads the link as the page does');
  for (const [k, v] of Object.entries(s.per_gpu_bytes)) {
    // totals are in the CLI's per_gpu_bytes; components in its per_gpu_parts_bytes (part_table keys)
    const cv = ['peak', 'peak_reserved', 'device_used'].includes(k) ? c.per_gpu_bytes[k] : c.per_gpu_parts_bytes[k];
    assert.equal(v, cv, `per_gpu_bytes.${k} (${s.link})`);
  }
  assert.equal(s.fits, c.fits, `fits (${s.link})`);
  assert.equal(s.gpus_needed, c.gpus_needed, `gpus_needed (${s.link})`);
  // The CLI writes null for what is unknown (no compute figure: no time; no price: no cost);
  // the page's state keeps 0 beside time_known.
  assert.equal(s.time_known, c.time_hours !== null, `time_known (${s.link})`);
  close(s.time_hours, c.time_hours ?? 0, 'time_hours');
  close(s.cost_usd, c.cost_usd ?? 0, 'cost_usd');
  close(s.energy_kwh, c.energy_kwh ?? 0, 'energy_kwh');
}

test('renders, shows the CLI\'s numbers, no foreign requests', async () => {
  const { page, log, ctx } = await newPage(browser);
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  await page.waitForTimeout(300);
  const shot = await page.screenshot();
  assert.ok(pngLooksDrawn(shot), 'screenshot looks blank');
  fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs/screenshot.png'), shot);
  const s = await state(page);
  assert.equal(s.link, '#v=1');
  assert.equal(s.error, '');
  compareWithCli(s);
  assert.deepEqual(foreignRequests(log, server.origin), []);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('share links restore the exact state and round-trip (and match the CLI)', async () => {
  const { page, log, ctx } = await newPage(browser);
  for (const link of LINKS) {
    await page.goto(server.url + link, { timeout: 30000 });
    await waitReady(page);
    // Between links only the fragment changes, so the page applies it on its next hashchange
    // frame: wait for that frame rather than read the previous link's state.
    const want = new URLSearchParams(link.slice(1));
    const s = await waitState(page, (st) => {
      const g = new URLSearchParams(st.link.slice(1));
      return [...want].every(([k, v]) => g.get(k) === v);
    }).catch(() => state(page));
    assert.deepEqual(s.notices, [], `no notice for a valid link ${link}`);
    // Restored exactly: the canonical link of the restored state names the same values.
    const got = new URLSearchParams(s.link.slice(1));
    for (const [k, v] of want) assert.equal(got.get(k), v, `${k} in ${s.link} (from ${link})`);
    compareWithCli(s);
    // Round trip: open the page's own link in a fresh page, get the same link and the same numbers.
    const { page: p2, ctx: c2 } = await newPage(browser);
    await p2.goto(server.url + s.link, { timeout: 30000 });
    await waitReady(p2);
    const s2 = await state(p2);
    assert.equal(s2.link, s.link);
    assert.deepEqual(s2.per_gpu_bytes, s.per_gpu_bytes);
    assert.equal(await p2.evaluate(() => location.hash), s.link === '#v=1' ? '#v=1' : s.link);
    await c2.close();
  }
  // Editing the fragment by hand (hashchange) is picked up too.
  await page.evaluate(() => { location.hash = '#v=1&r=64'; });
  await waitState(page, (s) => s.link === '#v=1&r=64');
  assert.deepEqual(foreignRequests(log, server.origin), []);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('"Copy link" copies the address of this exact configuration', async () => {
  const { page, ctx } = await newPage(browser);
  await page.goto(server.url + '#v=1&r=32', { timeout: 30000 });
  await waitReady(page);
  const s = await state(page);
  await clickAt(page, ...center(s.ui.copy_link));
  await page.waitForFunction(() => globalThis.__vramcalc_copied, null, { timeout: 5000 });
  const copied = await page.evaluate(() => globalThis.__vramcalc_copied);
  assert.equal(copied, server.url + '#v=1&r=32');
  await ctx.close();
});

test('clicking a grid cell loads that configuration', async () => {
  const { page, log, ctx } = await newPage(browser);
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  let s = await state(page);
  await clickAt(page, ...center(s.ui.tab_grid));
  await waitState(page, (st) => st.tab === 1 && st.grid.length > 0);
  await page.waitForTimeout(400);   // let the table settle its column widths
  s = await state(page);
  // A cell whose configuration differs from the current one: Full 16-bit, 13B.
  const cell = s.grid.find((c) => c.ok && c.link !== s.link && c.row === 0 && c.col === 1) || s.grid.find((c) => c.ok && c.link !== s.link);
  assert.ok(cell, 'a grid cell to click');
  await clickAt(page, cell.x, cell.y);
  s = await waitState(page, (st) => st.link === cell.link);
  assert.equal(await page.evaluate(() => location.hash), cell.link, 'the URL follows the edit');
  assert.equal(s.per_gpu_bytes.device_used, cell.device_used, 'the breakdown is the cell\'s');
  compareWithCli(s);
  // For the README: the grid with the breakdown of a neighbouring cell under the mouse.
  const other = s.grid.find((c) => c.ok && c.row === 1 && c.col === 2);
  if (other) { await page.mouse.move(other.x, other.y); await page.waitForTimeout(500); }
  await page.screenshot({ path: path.join(root, 'docs/screenshot-grid.png') });
  await assertAlive(page);
  assert.deepEqual(foreignRequests(log, server.origin), []);
  assert.deepEqual(log.errors, []);
  await ctx.close();
});

test('phone-sized viewport and devicePixelRatio 2 render', async () => {
  const { page, ctx } = await newPage(browser, { width: 390, height: 844, dpr: 2 });
  await page.goto(server.url, { timeout: 30000 });
  await waitReady(page);
  const size = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
  assert.deepEqual(size, [780, 1688], 'canvas backing store = CSS size x devicePixelRatio');
  const shot = await page.screenshot();
  assert.ok(pngLooksDrawn(shot));
  fs.writeFileSync(path.join(root, 'docs/screenshot-phone.png'), shot);
  await ctx.close();
});
