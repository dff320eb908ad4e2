import assert from "node:assert/strict";
import { test } from "node:test";
import { formatRfc3339, formatRfc3339Nano, parseRfc3339, parseYamlTimestamp } from "./go-time.js";

const nano = (s: string): string | undefined => {
  const t = parseYamlTimestamp(s);
  return t && formatRfc3339Nano(t);
};

test("a YAML timestamp is read as go-yaml reads it and written as Go's MarshalText", () => {
  assert.equal(nano("2024-01-02T03:04:05Z"), "2024-01-02T03:04:05Z");
  assert.equal(nano("2024-01-02T03:04:05.120+02:00"), "2024-01-02T03:04:05.12+02:00");
  assert.equal(nano("2024-01-02t03:04:05+00:00"), "2024-01-02T03:04:05Z");
  assert.equal(nano("2024-1-2T3:4:5Z"), "2024-01-02T03:04:05Z");
  assert.equal(nano("2024-01-02 03:04:05"), "2024-01-02T03:04:05Z");
  assert.equal(nano("2024-01-02 03:04:05.5"), "2024-01-02T03:04:05.5Z");
  assert.equal(nano("2024-01-02"), "2024-01-02T00:00:00Z");
  assert.equal(nano("2024-01-02T03:04:05.1234567891Z"), "2024-01-02T03:04:05.123456789Z");
  assert.equal(nano("2024-01-02T03:04:05.000Z"), "2024-01-02T03:04:05Z");
  assert.equal(nano("2024-02-29"), "2024-02-29T00:00:00Z");
});

test("what is not a timestamp for go-yaml stays undefined", () => {
  for (const s of [
    "2023-02-29",
    "2024-13-01",
    "2024-01-02T25:00:00Z",
    "24-01-02",
    "2024-01-02T03:04Z",
    "2024-01-02 x",
  ]) {
    assert.equal(parseYamlTimestamp(s), undefined, s);
  }
});

test("RFC 3339 is strict, and formatRfc3339 drops the fraction (the MAC's AAD)", () => {
  const t = parseRfc3339("2025-08-06T18:55:05.75+01:30");
  assert.ok(t);
  assert.equal(formatRfc3339(t), "2025-08-06T18:55:05+01:30");
  assert.equal(formatRfc3339Nano(t), "2025-08-06T18:55:05.75+01:30");
  assert.equal(parseRfc3339("2025-8-6T18:55:05Z"), undefined);
  assert.equal(parseRfc3339("2025-08-06 18:55:05Z"), undefined);
  assert.equal(parseRfc3339("2025-08-06T18:55:05+24:00"), undefined);
});
