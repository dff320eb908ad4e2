import assert from "node:assert/strict";
import { test } from "node:test";
import { parseListenAddress } from "./listen-address.js";

test("--listen takes host and port, either alone", () => {
  assert.deepEqual(parseListenAddress("127.0.0.1:8080"), { host: "127.0.0.1", port: 8080 });
  assert.deepEqual(parseListenAddress("0.0.0.0:9000"), { host: "0.0.0.0", port: 9000 });
  assert.deepEqual(parseListenAddress(":9000"), { host: "127.0.0.1", port: 9000 });
  assert.deepEqual(parseListenAddress("9000"), { host: "127.0.0.1", port: 9000 });
  assert.deepEqual(parseListenAddress("localhost"), { host: "localhost", port: 8080 });
  assert.deepEqual(parseListenAddress("[::1]:8081"), { host: "::1", port: 8081 });
});

test("--listen refuses what is no address", () => {
  assert.equal(parseListenAddress("host:port"), undefined);
  assert.equal(parseListenAddress("127.0.0.1:70000"), undefined);
  assert.equal(parseListenAddress("::1:80"), undefined);
});
