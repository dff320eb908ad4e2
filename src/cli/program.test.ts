import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { buildProgram } from "./program.js";

const pkgVersion = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

async function runCli(args: string[]): Promise<{ out: string; err: string; exitCode: number }> {
  let out = "";
  let err = "";
  const program = buildProgram({ out: (s) => (out += s), err: (s) => (err += s) });
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(args, { from: "user" });
    return { out, err, exitCode: 0 };
  } catch (e) {
    return { out, err, exitCode: (e as { exitCode?: number }).exitCode ?? 1 };
  }
}

test("bosun version prints the package version", async () => {
  const text = await runCli(["version"]);
  assert.equal(text.exitCode, 0);
  assert.match(text.out, new RegExp(`^bosun ${pkgVersion.replaceAll(".", "\\.")} \\(node `));
  const json = await runCli(["version", "-o", "json"]);
  assert.equal((JSON.parse(json.out) as { bosun: string }).bosun, pkgVersion);
});

test("bosun version rejects an unknown output format", async () => {
  const r = await runCli(["version", "-o", "yaml"]);
  assert.notEqual(r.exitCode, 0);
  assert.match(r.err, /unknown output format "yaml"/);
});

test("bosun --help lists the commands", async () => {
  const r = await runCli(["--help"]);
  assert.equal(r.exitCode, 0);
  assert.match(r.out, /Usage: bosun/);
  assert.match(r.out, /version/);
});

test("bosun install --dashboard-url passes an http(s) URL to the agent and refuses anything else", async () => {
  const printed = await runCli(["install", "--dry-run", "-o", "json", "--dashboard-url", "https://bosun.example/"]);
  assert.equal(printed.exitCode, 0, printed.err);
  const list = JSON.parse(printed.out) as {
    items: Array<{ kind: string; spec?: { template?: { spec?: { containers?: Array<{ args: string[] }> } } } }>;
  };
  const args = list.items.find((o) => o.kind === "Deployment")?.spec?.template?.spec?.containers?.[0]?.args ?? [];
  assert.equal(args[args.indexOf("--dashboard-url") + 1], "https://bosun.example/");
  const program = buildProgram({ out: () => undefined, err: () => undefined });
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  await assert.rejects(
    program.parseAsync(["install", "--dry-run", "--dashboard-url", "ftp://bosun.example/"], { from: "user" }),
    /--dashboard-url must be an http or https URL: ftp:\/\/bosun\.example\//,
  );
});
