// lib.mjs — shared helpers of the browser tests: Debian's /usr/bin/chromium through playwright-core
// (never a downloaded browser), a local static server for build-wasm/page/, request tracking, and
// bounded waits. Every wait has a timeout so a broken page fails the test instead of hanging it.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pageDir = path.join(root, 'build-wasm/page');
export const cli = process.env.VRAMCALC_CLI || path.join(root, 'build/vramcalc');

// WebGL2 without a GPU: SwiftShader through ANGLE (../shared/notes/toolchain.md §10).
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-dev-shm-usage'];

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, timeout: 60000 });
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
    srv.on('error', reject);
  });
}

// python3 -m http.server bound to 127.0.0.1 (what scripts/start.sh serves with).
export async function serve(dir = pageDir) {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir],
    { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    try { const r = await fetch(origin + '/index.html'); if (r.ok) break; } catch { /* not up yet */ }
    if (Date.now() - t0 > 15000) { proc.kill(); throw new Error('static server did not start'); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { origin, url: origin + '/index.html', stop: () => new Promise((r) => { proc.once('exit', r); proc.kill(); }) };
}

// A page with its requests, console errors and crashes recorded.
export async function newPage(browser, { width = 1280, height = 720, dpr = 1, context } = {}) {
  const ctx = context || await browser.newContext({ viewport: { width, height }, deviceScaleFactor: dpr });
  const page = await ctx.newPage();
  const log = { requests: [], errors: [], crashed: false };
  page.on('request', (r) => log.requests.push(r.url()));
  page.on('pageerror', (e) => log.errors.push(String(e && e.message || e)));
  page.on('crash', () => { log.crashed = true; });
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text()); });
  return { ctx, page, log };
}

export async function state(page) {
  return JSON.parse(await page.evaluate(() => globalThis.vramcalc_state_json()));
}

// Until the first frame with numbers has been drawn.
export async function waitReady(page, timeout = 30000) {
  await page.waitForFunction(() => globalThis.__vramcalc_first_numbers_ms > 0 && globalThis.vramcalc_state_json,
    null, { timeout, polling: 50 });
}

// Until the page's state satisfies pred (polled from node; bounded).
export async function waitState(page, pred, timeout = 10000) {
  const t0 = Date.now();
  let s;
  for (;;) {
    s = await state(page);
    if (pred(s)) return s;
    if (Date.now() - t0 > timeout) throw new Error('state wait timed out; last state: ' + JSON.stringify(s).slice(0, 600));
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The page keeps running: frames advance (no hang, no crash).
export async function assertAlive(page, ms = 400) {
  const a = (await state(page)).frames.total;
  await page.waitForTimeout(ms);
  const b = (await state(page)).frames.total;
  if (!(b > a)) throw new Error(`page stopped running (frames ${a} -> ${b})`);
}

export function cliJson(link) {
  const out = execFileSync(cli, ['estimate', '--link', link, '--format', 'json'], { encoding: 'utf8', timeout: 30000 });
  return JSON.parse(out);
}

// Not blank: a screenshot with real content has many distinct filtered scanline bytes.
export function pngLooksDrawn(buf) {
  let off = 8; const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off); const type = buf.toString('ascii', off + 4, off + 8);
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const seen = new Set();
  for (let i = 0; i < raw.length; i += 7) seen.add(raw[i]);
  return seen.size > 64 && buf.length > 20000;
}

export function tmpDir(prefix) { return fs.mkdtempSync(path.join(os.tmpdir(), prefix)); }

// Every request a page made stays on its own origin (or is a data:/blob: URL).
export function foreignRequests(log, origin) {
  return log.requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')));
}

// A click as a person makes it: move, then press and release over a few frames. (Dear ImGui reads
// input once per frame; a synthetic click whose move/press/release land in one frame can be lost
// while the page is in the middle of settling.)
export async function clickAt(page, x, y) {
  await page.mouse.move(x, y);
  await page.waitForTimeout(120);
  await page.mouse.down();
  await page.waitForTimeout(80);
  await page.mouse.up();
}
export const center = (r) => [(r[0] + r[2]) / 2, (r[1] + r[3]) / 2];
