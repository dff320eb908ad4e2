import assert from "node:assert/strict";
import { test } from "node:test";
import { fairShare, fnv1a32, isLive, type LeaseView, planShards, shardAnnotationProblem, shardOf } from "./shards.js";

const app = (namespace: string, name: string, shard?: string) => ({
  metadata: { namespace, name, ...(shard !== undefined ? { annotations: { "bosun.dev/shard": shard } } : {}) },
});

test("fnv1a32 is FNV-1a over UTF-8 (published test values)", () => {
  assert.equal(fnv1a32(""), 0x811c9dc5);
  assert.equal(fnv1a32("a"), 0xe40c292c);
  assert.equal(fnv1a32("foobar"), 0xbf9cf968);
});

test("shardOf: stable by namespace/name, spread over every shard, pinned by a valid annotation", () => {
  const counts = [0, 0, 0];
  for (let i = 0; i < 300; i++) {
    const k = shardOf(app("team", `app-${i}`), 3);
    assert.equal(shardOf(app("team", `app-${i}`), 3), k, "the same every time");
    counts[k] = (counts[k] ?? 0) + 1;
  }
  for (const c of counts) assert.ok(c > 60, `uneven: ${counts.join(", ")}`);
  assert.notEqual(
    [0, 1, 2, 3, 4, 5].map((i) => shardOf(app("a", `x${i}`), 3)).join(),
    [0, 1, 2, 3, 4, 5].map((i) => shardOf(app("b", `x${i}`), 3)).join(),
    "the namespace is part of the key",
  );
  assert.equal(shardOf(app("team", "web", "2"), 3), 2);
  assert.equal(shardOf(app("team", "web", " 0 "), 3), 0);
  for (const bad of ["3", "-1", "one", "1.5", ""]) {
    assert.equal(shardOf(app("team", "web", bad), 3), shardOf(app("team", "web"), 3), bad);
    assert.match(shardAnnotationProblem(app("team", "web", bad), 3) ?? "", /is not a shard from 0 to 2/);
  }
  assert.equal(shardAnnotationProblem(app("team", "web", "1"), 3), undefined);
});

test("fairShare splits shards evenly, rounding up", () => {
  assert.equal(fairShare(3, 1), 3);
  assert.equal(fairShare(3, 2), 2);
  assert.equal(fairShare(3, 3), 1);
  assert.equal(fairShare(3, 5), 1);
  assert.equal(fairShare(4, 0), 4);
});

const view = (holder: string, changedAtMs: number, durationMs = 15_000): LeaseView => ({
  holder,
  changedAtMs,
  durationMs,
});

test("isLive: held and changed within its duration, as observed", () => {
  assert.ok(isLive(view("a", 1000), 15_999));
  assert.ok(!isLive(view("a", 1000), 16_000));
  assert.ok(!isLive(view("", 1000), 2000), "released");
  assert.ok(!isLive(undefined, 0));
});

test("planShards: take a free shard below the fair share, give one back above it, else nothing", () => {
  const leases = new Map<number, LeaseView>();
  const base = { shards: 3, identity: "r1", nowMs: 100_000, leases };
  const first = planShards({ ...base, held: [], liveReplicas: 1 });
  assert.ok(first.acquire !== undefined && first.release === undefined);

  // Alone: takes all three, one per round.
  assert.ok(planShards({ ...base, held: [0, 1], liveReplicas: 1 }).acquire === 2);
  assert.deepEqual(planShards({ ...base, held: [0, 1, 2], liveReplicas: 1 }), {});

  // Two more replicas appear: gives back its highest shard until it holds one.
  assert.deepEqual(planShards({ ...base, held: [0, 1, 2], liveReplicas: 3 }), { release: 2 });
  assert.deepEqual(planShards({ ...base, held: [0, 1], liveReplicas: 3 }), { release: 1 });
  assert.deepEqual(planShards({ ...base, held: [0], liveReplicas: 3 }), {});

  // Shards held by live replicas are not taken; an expired or released one is.
  leases.set(0, view("r2", 99_000));
  leases.set(1, view("r3", 99_000));
  leases.set(2, view("r4", 99_000));
  assert.deepEqual(planShards({ ...base, held: [], liveReplicas: 3 }), {});
  leases.set(1, view("r3", 80_000)); // not renewed for 20 s
  assert.deepEqual(planShards({ ...base, held: [], liveReplicas: 3 }), { acquire: 1 });
  leases.set(1, view("", 99_900, 1000)); // released
  assert.deepEqual(planShards({ ...base, held: [], liveReplicas: 3 }), { acquire: 1 });
  leases.set(1, view("r1", 99_000)); // its own from before a restart under the same name
  assert.deepEqual(planShards({ ...base, held: [], liveReplicas: 3 }), { acquire: 1 });
});

test("planShards: replicas starting together reach for different shards first", () => {
  const firsts = new Set(
    ["bosun-agent-7f9c-a", "bosun-agent-7f9c-b", "bosun-agent-7f9c-c", "bosun-agent-7f9c-d"].map(
      (identity) => planShards({ shards: 3, identity, nowMs: 0, leases: new Map(), held: [], liveReplicas: 1 }).acquire,
    ),
  );
  assert.ok(firsts.size >= 2, `all chose ${[...firsts].join()}`);
});
