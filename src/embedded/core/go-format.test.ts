import assert from "node:assert/strict";
import { test } from "node:test";
import { goValue } from "./go-format.js";

test("values print as Go's %v prints them decoded from JSON", () => {
  assert.equal(goValue({ bogus: 1 }), "map[bogus:1]");
  assert.equal(
    goValue({ spec: { replicas: 2, paused: true }, data: { b: "x y", a: null }, list: [1, "two", [3]] }),
    "map[data:map[a:<nil> b:x y] list:[1 two [3]] spec:map[paused:true replicas:2]]",
  );
  assert.equal(goValue(1.5), "1.5");
  assert.equal(goValue(1500000.5), "1.5000005e+06");
  assert.equal(goValue(0.00001), "1e-05");
  assert.equal(goValue(123456789), "123456789", "a whole number is an int64 in unstructured JSON");
  assert.equal(goValue({ B: 1, a: 2 }), "map[B:1 a:2]", "keys sort by bytes, upper case first");
});
