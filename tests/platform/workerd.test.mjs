// The real workerd binary serves examples/edge.ts (bundled) on 127.0.0.1 in
// several configurations; each must answer `unavailable`, never a fake 0B.
//
//   node_modules/.bin/node --test tests/platform/workerd.test.mjs
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { bundle, root } from "../../scripts/bundle.mjs";
import {
  freePort,
  get,
  startProcess,
  tempDir,
  waitForPort,
} from "./helpers.mjs";

const workerd = join(root, "node_modules", ".bin", "workerd");

// Found by experiment with workerd 2026-11-17: nodejs_compat is on by default
// from 2026-08-04; the full `process` (enable_nodejs_process_v2, with
// memoryUsage) comes with nodejs_compat from 2025-09-15.
const configs = [
  {
    name: "no nodejs_compat (2026-08-03)",
    date: "2026-08-03",
    flags: [],
    raw: { typeofProcess: "undefined" },
  },
  {
    name: "nodejs_compat, old date (2025-09-14)",
    date: "2025-09-14",
    flags: ["nodejs_compat"],
    raw: { typeofProcess: "object", typeofMemoryUsage: "undefined" },
  },
  {
    name: "nodejs_compat, current date (2026-11-17)",
    date: "2026-11-17",
    flags: ["nodejs_compat"],
    raw: { typeofProcess: "object", typeofMemoryUsage: "function" },
    zeros: true,
  },
  {
    name: "no_nodejs_compat, current date (2026-11-17)",
    date: "2026-11-17",
    flags: ["no_nodejs_compat"],
    raw: { typeofProcess: "object", typeofMemoryUsage: "undefined" },
  },
];

function capnp({ date, flags }) {
  const list = flags.map((f) => JSON.stringify(f)).join(", ");
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);

const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${date}",
  compatibilityFlags = [ ${list} ],
);
`;
}

let tmp;
before(async () => {
  tmp = tempDir("livemem-workerd-");
  const code = await bundle({
    entry: "tests/platform/fixtures/workerd_worker.mjs",
  });
  writeFileSync(join(tmp.dir, "worker.js"), code);
});
after(() => tmp?.remove());

/** Serves the worker under `config` and gives the answers to two requests. */
async function serve(config) {
  const file = join(tmp.dir, `config-${configs.indexOf(config)}.capnp`);
  writeFileSync(file, capnp(config));
  const port = await freePort();
  const proc = startProcess(workerd, [
    "serve",
    file,
    "--socket-addr",
    `http=127.0.0.1:${port}`,
  ], { cwd: tmp.dir });
  try {
    await waitForPort(port, proc, { tries: 150, delayMs: 100 });
    const first = await get(`http://127.0.0.1:${port}/first`);
    const second = await get(`http://127.0.0.1:${port}/second`);
    await proc.stop();
    return { first, second, log: proc.output() };
  } finally {
    await proc.stop();
  }
}

function checkAnswer(config, { status, body }) {
  assert.equal(status, 200, body);
  const answer = JSON.parse(body);
  assert.equal(answer.error, undefined, answer.error);
  assert.equal(answer.status, 200);
  assert.deepEqual(
    Object.fromEntries(Object.keys(config.raw).map((k) => [k, answer.raw[k]])),
    config.raw,
  );
  if (config.zeros) {
    const mu = answer.raw.memoryUsage;
    assert.ok(mu && Object.keys(mu).length >= 4, JSON.stringify(mu));
    for (const [k, v] of Object.entries(mu)) assert.equal(v, 0, `raw ${k}`);
  }
  assert.equal(answer.edge.mem, "unavailable");
  // No figure at all, in particular no fake 0: only the runtime.
  assert.deepEqual(answer.edge.json, { runtime: "workerd" });
  return answer;
}

for (const config of configs) {
  test(`workerd: ${config.name}`, { timeout: 60_000 }, async (t) => {
    const { first, second, log } = await serve(config);
    const answer = checkAnswer(config, first);
    checkAnswer(config, second);
    assert.match(log, /GET \/first mem=unavailable/);
    assert.match(log, /GET \/second mem=unavailable/);
    assert.doesNotMatch(log, /Uncaught|Error:/);
    t.diagnostic(`raw: ${JSON.stringify(answer.raw)}`);
    t.diagnostic(`text: ${answer.edge.mem}`);
    t.diagnostic(`json: ${JSON.stringify(answer.edge.json)}`);
  });
}
