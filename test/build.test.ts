// `npm run build` produces JavaScript that runs without tsx.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

test("npm run build emits a runnable bosun CLI", () => {
  execFileSync("npm", ["run", "-s", "build"], { stdio: "pipe" });
  const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
  const out = execFileSync(process.execPath, ["dist/cli/main.js", "version", "-o", "json"], { encoding: "utf8" });
  assert.equal((JSON.parse(out) as { bosun: string }).bosun, version);
  const help = execFileSync(process.execPath, ["dist/cli/main.js", "--help"], { encoding: "utf8" });
  assert.match(help, /^Usage: bosun /);
});
