// Offline: the single self-contained vramcalc.html works from file:// with the network blocked,
// and the served page's service worker serves a reload with the server stopped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, serve, newPage, state, waitReady, assertAlive, pngLooksDrawn, foreignRequests, pageDir,
  cliJson, tmpDir } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('vramcalc.html works from file:// with the network blocked', async () => {
  // A copy alone in an empty folder: nothing next to it to load.
  const dir = tmpDir('vramcalc-single-');
  const file = path.join(dir, 'vramcalc.html');
  fs.copyFileSync(path.join(pageDir, 'vramcalc.html'), file);
  const { page, log, ctx } = await newPage(browser);
  const blocked = [];
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('file:') || u.startsWith('data:')) return route.continue();
    blocked.push(u);
    return route.abort();
  });
  const link = '#v=1&m=qwen2.5-7b&meth=qlora';
  await page.goto(pathToFileURL(file).href + link, { timeout: 30000 });
  await waitReady(page);
  const s = await state(page);
  assert.equal(s.link, link);
  assert.equal(s.per_gpu_bytes.device_used, cliJson(link).per_gpu_bytes.device_used);
  assert.ok(pngLooksDrawn(await page.screenshot()));
  await assertAlive(page);
  assert.deepEqual(blocked, [], 'no request tried to leave the file');
  assert.deepEqual(log.requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(log.errors, []);
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the service worker serves a reload with the server stopped', async () => {
  const server = await serve();
  const dir = tmpDir('vramcalc-profile-');
  const { chromium } = await import('playwright-core');
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, timeout: 60000, viewport: { width: 1280, height: 720 },
    args: ['--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
      '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const { page, log } = await newPage(null, { context: ctx });
    await page.goto(server.url + '#v=1&r=8', { timeout: 30000 });
    await waitReady(page);
    // Installed, activated and controlling this page, with every asset cached.
    await page.evaluate(() => navigator.serviceWorker.ready, null, { timeout: 20000 });
    await page.waitForFunction(async () => {
      const keys = await caches.keys(); if (!keys.length) return false;
      const c = await caches.open(keys[0]);
      return (await c.keys()).length >= 4;
    }, null, { timeout: 20000, polling: 200 });
    assert.deepEqual(foreignRequests(log, server.origin), []);
    await server.stop();
    const r = await page.reload({ timeout: 30000 });
    assert.ok(r === null || r.ok() || r.fromServiceWorker(), 'reload answered');
    await waitReady(page);
    const s = await state(page);
    assert.equal(s.link, '#v=1&r=8');
    assert.ok(s.per_gpu_bytes.device_used > 0);
    await assertAlive(page);
    assert.deepEqual(log.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)), []);
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
