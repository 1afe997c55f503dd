// Headless Chromium (Debian's package) loads the bundle from a page on
// 127.0.0.1: the page reports performance.memory, a Web Worker `unavailable`.
//
//   node_modules/.bin/node --test tests/platform/chromium.test.mjs
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { test } from "node:test";
import { bundle } from "../../scripts/bundle.mjs";
import { pageHtml, probeJs, workerJs } from "./fixtures/browser.mjs";

// Loaded through require, like esbuild in scripts/bundle.mjs: with a static
// npm import next to node: ones, `deno check tests/` looks for @types/node.
const { chromium } = createRequire(import.meta.url)("playwright-core");

const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Serves the page, the probe, the worker and the bundle; resolves when listening. */
async function startServer(routes) {
  const server = createServer((req, res) => {
    const route = routes[new URL(req.url, "http://x").pathname];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": route.type,
      "cache-control": "no-store",
    });
    res.end(route.body);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return server;
}

async function load(url) {
  const browser = await chromium.launch({
    executablePath,
    args,
    headless: true,
    timeout: 60_000,
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on(
      "console",
      (m) => m.type() === "error" && errors.push(`console: ${m.text()}`),
    );
    await page.goto(url, { timeout: 30_000 });
    try {
      await page.waitForFunction(() => globalThis.__livemem, null, {
        timeout: 30_000,
      });
    } catch (e) {
      throw new Error(`${e.message}\npage errors: ${errors.join("\n")}`);
    }
    const result = await page.evaluate(() => globalThis.__livemem);
    return { result, errors, version: browser.version() };
  } finally {
    await browser.close();
  }
}

const js = "text/javascript; charset=utf-8";

async function runInChromium() {
  const server = await startServer({
    "/": { type: "text/html; charset=utf-8", body: pageHtml },
    "/livemem.js": { type: js, body: await bundle() },
    "/probe.js": { type: js, body: probeJs },
    "/worker.js": { type: js, body: workerJs },
    "/favicon.ico": { type: "image/x-icon", body: "" },
  });
  try {
    return await load(`http://127.0.0.1:${server.address().port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const prefixes = ["", "Ki", "Mi", "Gi", "Ti"];

/** The value of a `%.1f` iec figure such as `4,096.0MiB` or `3.9GiB`. */
function parseIec(text) {
  const m = /^(-?[\d,]+\.\d)(Ki|Mi|Gi|Ti|)B$/.exec(text);
  assert.ok(m, `not an iec figure: ${text}`);
  return Number(m[1].replaceAll(",", "")) * 1024 ** prefixes.indexOf(m[2]);
}

function checkPage(page) {
  assert.equal(page.typeofPerformanceMemory, "object");
  const { raw, text } = page;
  assert.ok(raw.usedJSHeapSize > 0 && raw.jsHeapSizeLimit > raw.usedJSHeapSize);
  const m = /^heap=(\S+) \(used:(\S+) \+ free:(\S+)\) ; limit=(\S+)$/.exec(
    text,
  );
  assert.ok(m, `page text: ${text}`);
  const [, heap, used, , limit] = m;
  assert.equal(limit, page.limitText);
  // Independently of the formatter: the figure is the raw limit to 0.05 units.
  const unit = 1024 ** Math.floor(Math.log2(raw.jsHeapSizeLimit) / 10);
  assert.ok(Math.abs(parseIec(limit) - raw.jsHeapSizeLimit) <= 0.05 * unit + 1);
  assert.ok(parseIec(used) > 0, `heap used: ${used}`);
  assert.ok(parseIec(heap) > 0, `heap: ${heap}`);
  const { json } = page;
  assert.equal(json.runtime, "browser");
  assert.equal(json.heapLimit, raw.jsHeapSizeLimit);
  assert.ok(json.heapUsed > 0);
  assert.equal(json.heapTotal, json.heapUsed + json.heapFree);
  assert.equal(json.rss, undefined, "a page has no rss");
  assert.equal(
    page.cached,
    text,
    "a second read within the interval is cached",
  );
  assert.doesNotMatch(text, /unavailable/);
}

function checkWorker(worker) {
  assert.equal(worker.error, undefined, worker.error);
  const w = worker.result;
  assert.equal(w.typeofPerformanceMemory, "undefined");
  assert.equal(w.raw, null);
  assert.equal(w.text, "unavailable");
  assert.equal(w.cached, "unavailable");
  assert.deepEqual(w.json, { runtime: "browser" });
}

test("chromium: page shows performance.memory, a Web Worker unavailable", {
  timeout: 180_000,
}, async (t) => {
  const { result, errors, version } = await runInChromium();
  t.diagnostic(`chromium ${version}`);
  t.diagnostic(`page: ${JSON.stringify(result.page)}`);
  t.diagnostic(`worker: ${JSON.stringify(result.worker)}`);
  assert.equal(result.pageError, undefined, result.pageError);
  assert.deepEqual(errors, []);
  checkPage(result.page);
  checkWorker(result.worker);
});
