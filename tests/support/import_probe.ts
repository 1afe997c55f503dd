// Run as a child process by tests/faults.test.ts (`deno run` with no
// permission flag, `bun`, `node`): turns every global livemem could touch
// into a trap that records each read, imports mod.ts, then uses it, and
// prints as JSON what the import touched, what it added to the global
// scope, and what the use touched (which shows the traps work).

const NAMES = [
  "process",
  "Deno",
  "Bun",
  "performance",
  "navigator",
  "document",
  "WebSocketPair",
  "WorkerGlobalScope",
  "setTimeout",
  "setInterval",
  "queueMicrotask",
  "addEventListener",
  "Symbol",
];

const touched: string[] = [];
const trapped: string[] = [];
const saved = new Map<string, PropertyDescriptor>();
for (const name of NAMES) {
  const d = Object.getOwnPropertyDescriptor(globalThis, name);
  if (d === undefined || !d.configurable) continue;
  saved.set(name, d);
  let value = d.get ? d.get.call(globalThis) : d.value;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: d.enumerable,
    get() {
      touched.push(name);
      return value;
    },
    set(v) {
      touched.push(name + "=");
      value = v;
    },
  });
  trapped.push(name);
}

const before = new Set(Reflect.ownKeys(globalThis));
const mod = await import("../../mod.ts");
const atImport = [...touched];
const added = Reflect.ownKeys(globalThis).filter((k) => !before.has(k))
  .map(String);

touched.length = 0;
const text = String(new mod.LiveMemUse());
const atUse = [...new Set(touched)];

for (const [name, d] of saved) Object.defineProperty(globalThis, name, d);
console.log(JSON.stringify({ trapped, atImport, added, atUse, text }));
