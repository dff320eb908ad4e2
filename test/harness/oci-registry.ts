// A real OCI registry for tests: the pinned CNCF distribution (`registry serve`) on 127.0.0.1 at a free port,
// plain HTTP, filesystem storage in a temp dir, behind htpasswd basic auth when asked. Also helmPush, which
// pushes a packaged chart to it with the pinned helm and a helm home of its own, and orasPushManifests, which
// pushes a directory's YAML files as one gzipped tar layer (what `flux push artifact` makes) with the pinned oras.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import bcrypt from "bcryptjs";
import { pack } from "tar-stream";
import { stringify } from "yaml";
import { toolPath } from "../../src/tools/index.js";
import { runHelm, runProcess } from "./helm-cli.js";
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

/** Flux's media types (RFC-0003), as `flux push artifact` writes them. */
export const FLUX_CONFIG_MEDIA_TYPE = "application/vnd.cncf.flux.config.v1+json";
export const FLUX_CONTENT_MEDIA_TYPE = "application/vnd.cncf.flux.content.v1.tar+gzip";
/** The plain OCI image layer type, which other tools give a tarball of manifests. */
export const OCI_LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

export interface OrasPushManifestsOptions {
  /** Directory whose `*.yaml`/`*.yml` files (at any depth) go into the layer, by their paths relative to it. */
  dir: string;
  /** Repository path in the registry, e.g. `team/manifests`. */
  repository: string;
  tag: string;
  auth?: RegistryCredentials;
  /** The layer's media type: Flux's content type (default) or the plain OCI image layer. */
  mediaType?: "flux" | "oci-layer";
  signal?: AbortSignal;
}

/** The YAML files under dir (symlinks not followed), as slash-separated paths relative to it, sorted. */
async function yamlFiles(dir: string, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await yamlFiles(dir, path)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/**
 * A reproducible .tar.gz of `files` (relative to dir): regular files only, in name order, mode 0644, owner 0:0,
 * mtime 0, no directory entries. Built with tar-stream rather than the system tar, so it does not depend on
 * GNU tar's --sort/--mtime flags and holds exactly the YAML files, picked in code.
 */
async function tarGzip(dir: string, files: string[]): Promise<Buffer> {
  const out = pack();
  const chunks: Buffer[] = [];
  out.on("data", (chunk) => chunks.push(chunk as Buffer));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", () => resolve());
    out.on("error", reject);
  });
  for (const name of files) {
    const body = await readFile(join(dir, ...name.split("/")));
    await new Promise<void>((resolve, reject) =>
      out.entry({ name, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), type: "file" }, body, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }
  out.finalize();
  await ended;
  return gzipSync(Buffer.concat(chunks));
}

/** Runs the pinned oras with HOME and DOCKER_CONFIG in `home` (never the user's), in cwd; rejects unless it exits 0. */
async function runOras(
  args: string[],
  options: { home: string; cwd: string; stdin?: string; signal?: AbortSignal },
): Promise<string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: options.home,
    DOCKER_CONFIG: join(options.home, "docker"),
  };
  const result = await runProcess(toolPath("oras"), args, {
    env,
    cwd: options.cwd,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const code = result.exitCode;
  const output = `${result.stdout}\n${result.stderr}`;
  if (code !== 0) throw new Error(`oras ${args[0]} exited ${code}:\n${output.trim()}`);
  return output;
}

/**
 * Pushes the YAML files under `dir` to `HOST/REPOSITORY:TAG` as one gzipped tar layer, as `flux push artifact`
 * does: `oras push HOST/REPO:TAG manifests.tar.gz:<layer type> --config config.json:<flux config type>
 * --annotation org.opencontainers.image.created=1970-01-01T00:00:00Z --plain-http`, the config being `{}`.
 * With --config and no --artifact-type oras writes the image-spec v1.0 shape flux does: an OCI image manifest
 * with no artifactType, the config's media type saying what it is; the layer is titled `manifests.tar.gz`.
 * The same files give the same digest. Credentials, when given, go on `--username`/`--password-stdin`; oras's
 * `--registry-config`, HOME and DOCKER_CONFIG are in a temp dir. Resolves to the manifest digest oras printed.
 */
export async function orasPushManifests(
  registry: OciRegistry,
  options: OrasPushManifestsOptions,
): Promise<{ digest: string }> {
  const files = await yamlFiles(options.dir);
  if (files.length === 0) throw new Error(`orasPushManifests: no YAML files under ${options.dir}`);
  const layerType = options.mediaType === "oci-layer" ? OCI_LAYER_MEDIA_TYPE : FLUX_CONTENT_MEDIA_TYPE;
  const home = await mkdtemp(join(tmpdir(), "bosun-oras-push-"));
  try {
    const work = join(home, "work");
    await mkdir(work);
    await writeFile(join(work, "manifests.tar.gz"), await tarGzip(options.dir, files));
    await writeFile(join(work, "config.json"), "{}");
    const target = `${registry.host}/${options.repository.replace(/^\/+|\/+$/g, "")}:${options.tag}`;
    const args = [
      "push",
      target,
      `manifests.tar.gz:${layerType}`,
      "--config",
      `config.json:${FLUX_CONFIG_MEDIA_TYPE}`,
      // oras stamps the push time otherwise, so the same files would get a new digest only across a second.
      "--annotation",
      "org.opencontainers.image.created=1970-01-01T00:00:00Z",
      "--plain-http",
      "--registry-config",
      join(home, "registry-config.json"),
    ];
    if (options.auth) args.push("--username", options.auth.username, "--password-stdin");
    const output = await runOras(args, {
      home,
      cwd: work,
      ...(options.auth ? { stdin: options.auth.password } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const digest = /^Digest: (sha256:[0-9a-f]{64})$/m.exec(output)?.[1];
    if (!digest) throw new Error(`oras push ${target} printed no digest:\n${output.trim()}`);
    return { digest };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
