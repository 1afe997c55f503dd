// jsonSplicer (lib/integrations/splice.ts), which pinoOptions(), winston's
// "line" form and logtapeFormatter() share: the field's cached JSON text as
// the last member of a line that is one JSON object, and any other line
// left as it is. Pure logic: a fixed sampler and a hand-driven clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LiveMemUse } from "../mod.ts";
import { jsonSplicer } from "../lib/integrations/splice.ts";

function field(): { mem: LiveMemUse; clock: { t: number } } {
  const clock = { t: 0 };
  let n = 0;
  const mem = new LiveMemUse({
    interval: 10,
    now: () => clock.t,
    sampler: {
      runtime: "node",
      sample: () => ({ runtime: "node", rss: ++n, heapTotal: 1, heapUsed: 1 }),
    },
  });
  return { mem, clock };
}

test("splice: the member goes last, before the closing brace and the line ending", () => {
  const { mem } = field();
  const splice = jsonSplicer(mem, "mem");
  const text = mem.toJSONString();
  assert.equal(splice('{"a":1}\n'), `{"a":1,"mem":${text}}\n`);
  assert.equal(splice('{"a":1}\r\n'), `{"a":1,"mem":${text}}\r\n`);
  assert.equal(splice('{"a":1}'), `{"a":1,"mem":${text}}`);
  assert.equal(splice('{"a":1}  \n\n'), `{"a":1,"mem":${text}}  \n\n`);
  assert.equal(
    splice('{\n  "a": {}\n}\n'),
    `{\n  "a": {}\n,"mem":${text}}\n`,
  );
});

test("splice: an object with no member yet takes no comma", () => {
  const { mem } = field();
  const splice = jsonSplicer(mem, "mem");
  const text = mem.toJSONString();
  assert.equal(splice("{}\n"), `{"mem":${text}}\n`);
  assert.equal(splice("{ \n }"), `{ \n "mem":${text}}`);
  // A last member that is an empty object, or ends with a brace in a string.
  assert.equal(splice('{"a":{}}'), `{"a":{},"mem":${text}}`);
  assert.equal(splice('{"a":"{"}'), `{"a":"{","mem":${text}}`);
  assert.equal(splice("{ }\n"), `{ "mem":${text}}\n`);
  assert.equal(splice('{"a":1 }\n'), `{"a":1 ,"mem":${text}}\n`);
  for (
    const line of [
      "{}\n",
      '{"a":{}}',
      '{"a":"{"}',
      "{\n}\n",
      "{ }\n",
      '{"a":[] }\n',
    ]
  ) {
    assert.equal(JSON.parse(splice(line)).mem.rss, 1, line);
  }
});

test("splice: a line that is not one object is returned as it is", () => {
  const { mem } = field();
  const splice = jsonSplicer(mem, "mem");
  for (
    const line of [
      "",
      "\n",
      "plain text\n",
      "info: ends in a brace }\n",
      '[{"a":1}]\n',
      ' {"a":1}\n',
      '{"a":1}!\n',
      '"{}"',
    ]
  ) {
    assert.equal(splice(line), line);
  }
  // Not a string (a hook given something else): returned, no throw.
  assert.equal(splice(undefined as never), undefined);
  assert.equal(splice(42 as never), 42);
});

test("splice: the key is JSON-escaped; the text follows the field's samples", () => {
  const { mem, clock } = field();
  const splice = jsonSplicer(mem, 'a "key"\n');
  const first = JSON.parse(splice("{}"));
  assert.equal(first['a "key"\n'].rss, 1);
  clock.t = 10; // not strictly more than the interval
  assert.equal(JSON.parse(splice("{}"))['a "key"\n'].rss, 1);
  clock.t = 11;
  assert.equal(JSON.parse(splice("{}"))['a "key"\n'].rss, 2);
});

test("splice: an unavailable field still splices valid JSON", () => {
  const mem = new LiveMemUse({
    sampler: { runtime: "unknown", sample: () => undefined },
  });
  const line = jsonSplicer(mem, "mem")('{"a":1}\n');
  assert.deepEqual(JSON.parse(line), { a: 1, mem: { runtime: "unknown" } });
});
