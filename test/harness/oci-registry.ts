// A real OCI registry for tests: the pinned CNCF distribution (`registry serve`) on 127.0.0.1 at a free port,
// plain HTTP, filesystem storage in a temp dir, behind htpasswd basic auth when asked. Also helmPush, which
// pushes a packaged chart to it with the pinned helm and a helm home of its own.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { stringify } from "yaml";
import { toolPath } from "../../src/tools/index.js";
import { runHelm } from "./helm-cli.js";
import { freePort, httpStatus, waitFor } from "./net.js";
import { isOurs, type StartedProcess, stopProcess, tail } from "./processes.js";

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface OciRegistryOptions {
  /** One user the registry accepts (htpasswd, bcrypt); omit to serve without auth. */
  auth?: RegistryCredentials;
}

export interface OciRegistry {
  /** `127.0.0.1:<port>`, what `helm registry login` takes. */
  host: string;
  /** `oci://127.0.0.1:<port>`. */
  url: string;
  /** Stop the registry by its PID, wait for it to exit, and remove its storage and config. */
  stop(): Promise<void>;
}

// distribution checks every request's password against the bcrypt hash, so a low cost keeps pushes quick.
const BCRYPT_COST = 5;

/** An htpasswd line distribution accepts: bcrypt only, written with Apache's `$2y$` prefix. */
function htpasswdLine(auth: RegistryCredentials): string {
  const salt = bcrypt.genSaltSync(BCRYPT_COST).replace(/^\$2[ab]\$/, "$2y$");
  return `${auth.username}:${bcrypt.hashSync(auth.password, salt)}\n`;
}

/** The child's environment: no REGISTRY_* overrides of the config from ours, and no OpenTelemetry export. */
function registryEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("REGISTRY_") && !key.startsWith("OTEL_")) env[key] = value;
  }
  env.OTEL_TRACES_EXPORTER = "none";
  return env;
}

export async function startOciRegistry(options: OciRegistryOptions = {}): Promise<OciRegistry> {
  const dir = mkdtempSync(join(tmpdir(), "bosun-oci-registry-"));
  let child: ChildProcess | undefined;
  let killOnExit: (() => void) | undefined;
  try {
    const host = `127.0.0.1:${await freePort()}`;
    const storage = join(dir, "storage");
    mkdirSync(storage);
    const config: Record<string, unknown> = {
      version: 0.1,
      log: { level: "warn", formatter: "text", accesslog: { disabled: true } },
      storage: {
        filesystem: { rootdirectory: storage },
        delete: { enabled: true },
        maintenance: { uploadpurging: { enabled: false } },
      },
      http: { addr: host, secret: randomBytes(16).toString("hex") },
    };
    if (options.auth) {
      const htpasswd = join(dir, "htpasswd");
      writeFileSync(htpasswd, htpasswdLine(options.auth), { mode: 0o600 });
      config.auth = { htpasswd: { realm: "bosun-test-registry", path: htpasswd } };
    }
    const configFile = join(dir, "config.yml");
    writeFileSync(configFile, stringify(config));

    const binary = toolPath("registry");
    const args = ["serve", configFile];
    const log = join(dir, "registry.log");
    const fd = openSync(log, "a");
    const started = spawn(binary, args, { env: registryEnv(), stdio: ["ignore", fd, fd] });
    closeSync(fd);
    child = started;
    if (started.pid === undefined) throw new Error(`could not start ${binary}`);
    const proc: StartedProcess = { name: "registry", pid: started.pid, binary, args, log };
    const exited = new Promise<void>((resolve) => started.once("exit", () => resolve()));
    // A test that forgets stop() must not leave the registry running once this process ends.
    const onExit = () => {
      if (isOurs(proc)) process.kill(proc.pid, "SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    };
    killOnExit = onExit;
    process.once("exit", onExit);
    started.unref();

    const expected = options.auth ? 401 : 200;
    await waitFor(
      `the OCI registry at http://${host}/v2/ to answer ${expected}`,
      async () => {
        if (started.exitCode !== null || started.signalCode !== null) {
          throw new Error(`the OCI registry exited (${started.exitCode ?? started.signalCode}):\n${tail(log)}`);
        }
        return (await httpStatus(`http://${host}/v2/`)) === expected;
      },
      { timeoutMs: 30_000, intervalMs: 100, detail: () => tail(log) },
    );

    return {
      host,
      url: `oci://${host}`,
      stop: async () => {
        // Referenced again so this process lives until the registry's exit is seen (it may be all that is left).
        started.ref();
        try {
          await stopProcess(proc);
          await exited;
        } finally {
          process.removeListener("exit", onExit);
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    if (killOnExit) process.removeListener("exit", killOnExit);
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid, "SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export interface HelmPushed {
  /** `127.0.0.1:<port>/<repoPath>/<chart>:<version>`, as helm printed it. */
  ref: string;
  /** `sha256:…` of the chart's manifest. */
  digest: string;
}

/**
 * Runs `helm registry login HOST --username U --password-stdin --plain-http` (when auth is given), then
 * `helm push CHART_TGZ oci://HOST/REPO_PATH --plain-http`, in a throwaway helm home.
 */
export async function helmPush(
  registry: OciRegistry,
  chartTgz: string,
  repoPath: string,
  auth?: RegistryCredentials,
): Promise<HelmPushed> {
  const home = await mkdtemp(join(tmpdir(), "bosun-helm-push-"));
  try {
    if (auth) {
      const login = await runHelm(
        ["registry", "login", registry.host, "--username", auth.username, "--password-stdin", "--plain-http"],
        { home, stdin: auth.password },
      );
      if (login.exitCode !== 0) throw new Error(`helm registry login ${registry.host} failed: ${login.stderr.trim()}`);
    }
    const target = `${registry.url}/${repoPath.replace(/^\/+|\/+$/g, "")}`;
    const push = await runHelm(["push", chartTgz, target, "--plain-http"], { home });
    if (push.exitCode !== 0) throw new Error(`helm push ${chartTgz} ${target} failed: ${push.stderr.trim()}`);
    const output = `${push.stdout}\n${push.stderr}`;
    const ref = /^Pushed: (\S+)$/m.exec(output)?.[1];
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(output)?.[1];
    if (!ref || !digest) throw new Error(`helm push ${chartTgz} ${target} printed no reference and digest:\n${output}`);
    return { ref, digest };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
