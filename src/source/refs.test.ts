import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseLsRemote, parseShowRef, sameRefState } from "./refs.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const T = "7".repeat(40);

describe("parseLsRemote", () => {
  test("reads branches, tags (unpeeled) and a symbolic HEAD", () => {
    const out = [
      "ref: refs/heads/main\tHEAD",
      `${A}\tHEAD`,
      `${A}\trefs/heads/main`,
      `${B}\trefs/heads/dev`,
      `${T}\trefs/tags/v1.0.0`,
      `${A}\trefs/tags/v1.0.0^{}`,
      `${B}\trefs/pull/1/head`,
      "",
    ].join("\n");
    const state = parseLsRemote(out);
    assert.deepEqual(state.head, { kind: "symbolic", target: "refs/heads/main" });
    assert.deepEqual(
      [...state.refs],
      [
        ["refs/heads/main", A],
        ["refs/heads/dev", B],
        ["refs/tags/v1.0.0", T],
      ],
    );
  });

  test("a HEAD without symref is detached; no HEAD is none", () => {
    assert.deepEqual(parseLsRemote(`${B}\tHEAD\n`).head, { kind: "detached", sha: B });
    assert.deepEqual(parseLsRemote("").head, { kind: "none" });
  });
});

describe("parseShowRef", () => {
  test("peels annotated tags in the table and keeps them unpeeled in refs", () => {
    const out = `${A} HEAD\n${A} refs/heads/main\n${T} refs/tags/v1\n${A} refs/tags/v1^{}\n${B} refs/bosun/remote-head\n`;
    const { refs, table } = parseShowRef(out);
    assert.equal(table.get("refs/tags/v1"), A);
    assert.equal(table.get("HEAD"), A);
    assert.equal(refs.get("refs/tags/v1"), T);
    assert.equal(refs.has("refs/bosun/remote-head"), false);
  });
});

describe("sameRefState", () => {
  const local = {
    refs: new Map([
      ["refs/heads/main", A],
      ["refs/tags/v1", T],
    ]),
    head: { kind: "symbolic", target: "refs/heads/main" } as const,
  };
  test("equal refs and HEAD need no fetch", () => {
    assert.ok(sameRefState({ refs: new Map(local.refs), head: local.head }, local));
  });
  test("a moved branch, a new or deleted ref, or a new default branch needs one", () => {
    assert.ok(!sameRefState({ refs: new Map([...local.refs, ["refs/heads/main", B]]), head: local.head }, local));
    assert.ok(!sameRefState({ refs: new Map([...local.refs, ["refs/heads/dev", B]]), head: local.head }, local));
    assert.ok(!sameRefState({ refs: new Map([["refs/heads/main", A]]), head: local.head }, local));
    assert.ok(!sameRefState({ refs: local.refs, head: { kind: "symbolic", target: "refs/heads/dev" } }, local));
    assert.ok(!sameRefState({ refs: local.refs, head: { kind: "detached", sha: A } }, local));
  });
});
