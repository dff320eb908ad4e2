// Go's number texts, which the SOPS MAC hashes. Expected strings are what Go's strconv prints
// (the 'f' ones are confirmed by the MACs of real sops files in fixtures.test.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  formatFloatF,
  formatFloatG,
  parseGoBool,
  parseGoDecimalInt,
  parseGoFloat,
  parseGoIntBase0,
} from "./go-number.js";

test("formatFloatF writes the shortest round-trip digits without an exponent, as FormatFloat(v, 'f', -1, 64)", () => {
  const cases: Array<[number, string]> = [
    [1.5, "1.5"],
    [0.1, "0.1"],
    [1e21, "1000000000000000000000"],
    [1e23, "100000000000000000000000"],
    [1e-7, "0.0000001"],
    [1.234e-6, "0.000001234"],
    [Number("123456789.123456789"), "123456789.12345679"],
    [1234568000, "1234568000"],
    [25.4, "25.4"],
    [1, "1"],
    [0, "0"],
    [-0, "-0"],
    [-2.5, "-2.5"],
    [2 ** 63, "9223372036854776000"],
    [5e-324, `0.${"0".repeat(323)}5`],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
    [Number.NaN, "NaN"],
  ];
  for (const [value, text] of cases) assert.equal(formatFloatF(value), text, `formatFloatF(${value})`);
});

test("formatFloatG switches to an exponent from 1e+06 and below 1e-04, as FormatFloat(v, 'g', -1, 64)", () => {
  const cases: Array<[number, string]> = [
    [1.5, "1.5"],
    [100000, "100000"],
    [123456.7, "123456.7"],
    [1e6, "1e+06"],
    [1e21, "1e+21"],
    [1e-7, "1e-07"],
    [0.0001, "0.0001"],
    [0.00001234, "1.234e-05"],
    [Number("123456789.123456789"), "1.2345678912345679e+08"],
    [1234568000, "1.234568e+09"],
    [-1e100, "-1e+100"],
    [-0, "-0"],
  ];
  for (const [value, text] of cases) assert.equal(formatFloatG(value), text, `formatFloatG(${value})`);
});

test("parseGoIntBase0 reads prefixes and a leading-0 octal, and reports the int64 range", () => {
  assert.deepEqual(parseGoIntBase0("0x1F", { unsigned: false }), { ok: true, value: 31n });
  assert.deepEqual(parseGoIntBase0("0o17", { unsigned: false }), { ok: true, value: 15n });
  assert.deepEqual(parseGoIntBase0("017", { unsigned: false }), { ok: true, value: 15n });
  assert.deepEqual(parseGoIntBase0("0b101", { unsigned: false }), { ok: true, value: 5n });
  assert.deepEqual(parseGoIntBase0("-0x10", { unsigned: false }), { ok: true, value: -16n });
  assert.deepEqual(parseGoIntBase0("+7", { unsigned: false }), { ok: true, value: 7n });
  assert.deepEqual(parseGoIntBase0("08", { unsigned: false }), { ok: false, reason: "syntax" });
  assert.deepEqual(parseGoIntBase0("0x", { unsigned: false }), { ok: false, reason: "syntax" });
  assert.deepEqual(parseGoIntBase0("9223372036854775807", { unsigned: false }), {
    ok: true,
    value: 9223372036854775807n,
  });
  assert.deepEqual(parseGoIntBase0("9223372036854775808", { unsigned: false }), { ok: false, reason: "range" });
  assert.deepEqual(parseGoIntBase0("9223372036854775808", { unsigned: true }), {
    ok: true,
    value: 9223372036854775808n,
  });
  assert.deepEqual(parseGoIntBase0("-1", { unsigned: true }), { ok: false, reason: "syntax" });
});

test("parseGoDecimalInt is strconv.Atoi: decimal only, within int64", () => {
  assert.equal(parseGoDecimalInt("42"), 42n);
  assert.equal(parseGoDecimalInt("+42"), 42n);
  assert.equal(parseGoDecimalInt("-9223372036854775808"), -9223372036854775808n);
  assert.equal(parseGoDecimalInt("9223372036854775808"), undefined);
  assert.equal(parseGoDecimalInt("0x1F"), undefined);
  assert.equal(parseGoDecimalInt("1.0"), undefined);
});

test("parseGoFloat accepts what FormatFloat writes, inf and nan, and refuses out-of-range values", () => {
  assert.equal(parseGoFloat("1234568000"), 1234568000);
  assert.equal(parseGoFloat("0.0000001"), 1e-7);
  assert.equal(parseGoFloat("1e21"), 1e21);
  assert.ok(Object.is(parseGoFloat("-0"), -0));
  assert.equal(parseGoFloat("+Inf"), Number.POSITIVE_INFINITY);
  assert.equal(parseGoFloat("-inf"), Number.NEGATIVE_INFINITY);
  assert.equal(parseGoFloat("Infinity"), Number.POSITIVE_INFINITY);
  assert.ok(Number.isNaN(parseGoFloat("NaN")));
  assert.equal(parseGoFloat("1e400"), undefined);
  assert.equal(parseGoFloat("abc"), undefined);
  assert.equal(parseGoFloat(""), undefined);
});

test("parseGoBool is strconv.ParseBool", () => {
  for (const t of ["1", "t", "T", "TRUE", "true", "True"]) assert.equal(parseGoBool(t), true);
  for (const f of ["0", "f", "F", "FALSE", "false", "False"]) assert.equal(parseGoBool(f), false);
  for (const other of ["yes", "on", "tRue", ""]) assert.equal(parseGoBool(other), undefined);
});
