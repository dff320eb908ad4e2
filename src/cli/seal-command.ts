// `bosun seal` (kubeseal's job: a Secret in, a SealedSecret out; --raw for one value; --fetch-cert) and
// `bosun sealed-secrets-controller` (the Sealed Secrets controller on its own). Nothing here prints a value.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { pino } from "pino";
import { parseAllDocuments, stringify } from "yaml";
import { KubeClient, loadClusterConfig } from "../cluster/index.js";
import {
  CertificateError,
  DEFAULT_CONTROLLER_NAMESPACE,
  DEFAULT_CONTROLLER_PORT,
  DEFAULT_KEY_RENEW_PERIOD_MS,
  fetchSealingCertificate,
  isSealingScope,
  ObjectShapeError,
  parseSecret,
  SEALING_SCOPES,
  SealedSecretController,
  SealInputError,
  type SealingScope,
  sealingPublicKey,
  sealSecret,
  sealValue,
} from "../secrets/index.js";
import { parseDuration } from "../source/index.js";
import { CommandFailedError, UsageError } from "./output.js";
import type { Io } from "./program.js";

/** The CLI's I/O plus standard input, which tests replace. */
export interface SealIo extends Io {
  readStdin?: (signal: AbortSignal) => Promise<Buffer>;
}

export interface SealOptions {
  cert?: string;
  scope?: string;
  name?: string;
  namespace?: string;
  output: string;
  raw?: boolean;
  fromFile?: string;
  fetchCert?: boolean;
  kubeconfig?: string;
  context?: string;
  controllerNamespace: string;
  allowEmptyData?: boolean;
}

const FETCH_TIMEOUT_MS = 30_000;

async function processStdin(signal: AbortSignal): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    signal.throwIfAborted();
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

/** The certificate PEM from --cert (a file or an http(s) URL), or from the key Secrets through the API. */
export async function loadCertificate(options: SealOptions, signal: AbortSignal): Promise<string> {
  const source = options.cert;
  if (source && /^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, {
        headers: { accept: "application/x-pem-file, */*" },
        signal: AbortSignal.any([signal, AbortSignal.timeout(FETCH_TIMEOUT_MS)]),
      });
    } catch (err) {
      throw new CertificateError(`cannot fetch the certificate from ${source}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const text = await res.text();
    if (!res.ok) throw new CertificateError(`cannot fetch the certificate from ${source}: HTTP ${res.status}`);
    return text;
  }
  if (source) {
    try {
      return await readFile(source, { encoding: "utf8", signal });
    } catch (err) {
      throw new CertificateError(`cannot read the certificate ${source}: ${(err as Error).message}`, { cause: err });
    }
  }
  const client = new KubeClient(loadClusterConfig({ kubeconfig: options.kubeconfig, context: options.context }));
  return await fetchSealingCertificate(client, options.controllerNamespace, signal);
}

function scopeOption(value: string | undefined): SealingScope | undefined {
  if (value === undefined) return undefined;
  if (!isSealingScope(value)) throw new UsageError(`unknown scope "${value}": use ${SEALING_SCOPES.join(", ")}`);
  return value;
}

function checkFlags(options: SealOptions): void {
  if (options.output !== "yaml" && options.output !== "json")
    throw new UsageError(`unknown output format "${options.output}": use yaml or json`);
  if (options.fromFile !== undefined && !options.raw) throw new UsageError("--from-file goes with --raw");
  if (options.fetchCert && options.raw) throw new UsageError("--fetch-cert and --raw cannot be combined");
  if (options.raw) {
    const scope = scopeOption(options.scope) ?? "strict";
    if (scope !== "cluster-wide" && !options.namespace)
      throw new UsageError(`--raw with scope ${scope} needs --namespace`);
    if (scope === "strict" && !options.name) throw new UsageError("--raw with scope strict needs --name");
  }
}

function parseSecretInput(input: Buffer): ReturnType<typeof parseSecret> {
  const docs = parseAllDocuments(input.toString("utf8")).filter((d) => d.contents !== null);
  if (docs.length !== 1)
    throw new SealInputError(`expected one Secret on standard input (YAML or JSON), got ${docs.length} documents`);
  const doc = docs[0];
  if (!doc || doc.errors.length > 0)
    throw new SealInputError(`standard input is not YAML or JSON: ${doc?.errors[0]?.message ?? "empty"}`);
  return parseSecret(doc.toJS());
}

/** Runs `bosun seal`; returns the text to print. */
export async function runSeal(options: SealOptions, io: SealIo, signal: AbortSignal): Promise<string> {
  checkFlags(options);
  const stdin = io.readStdin ?? processStdin;
  const pem = await loadCertificate(options, signal);
  const publicKey = sealingPublicKey(pem);
  if (options.fetchCert) return pem.endsWith("\n") ? pem : `${pem}\n`;
  if (options.raw) {
    const value =
      options.fromFile === undefined || options.fromFile === "-" || options.fromFile === "/dev/stdin"
        ? await stdin(signal)
        : await readFile(options.fromFile, { signal });
    const scope = scopeOption(options.scope) ?? "strict";
    return `${sealValue(value, { publicKey, scope, namespace: options.namespace, name: options.name })}\n`;
  }
  const secret = parseSecretInput(await stdin(signal));
  const sealed = sealSecret(secret, {
    publicKey,
    scope: scopeOption(options.scope),
    name: options.name,
    namespace: options.namespace,
    allowEmptyData: options.allowEmptyData,
  });
  return options.output === "json" ? `${JSON.stringify(sealed, null, 2)}\n` : stringify(sealed);
}

/** Input problems are failures (exit 1) with their message; flag problems stay usage errors (exit 2). */
function asCommandError(err: unknown): unknown {
  if (err instanceof SealInputError || err instanceof ObjectShapeError || err instanceof CertificateError)
    return new CommandFailedError(err.message, { cause: err });
  return err;
}

interface ControllerFlags {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  namespace: string;
  port: string;
  host: string;
  keyRenewPeriod: string;
  logLevel: string;
}

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${value} is not a port`);
  return port;
}

function periodOption(value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new UsageError(`--key-renew-period: ${(err as Error).message}`);
  }
}

async function runController(flags: ControllerFlags): Promise<void> {
  const port = portOption(flags.port);
  const keyRenewPeriodMs = periodOption(flags.keyRenewPeriod);
  const log = pino({ level: flags.logLevel, base: { component: "bosun-sealed-secrets" } });
  const client = new KubeClient(
    loadClusterConfig({ kubeconfig: flags.kubeconfig, context: flags.context, inCluster: flags.inCluster }),
  );
  const stop = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort(new Error(`received ${sig}`)));
  const controller = new SealedSecretController({
    client,
    namespace: flags.namespace,
    port,
    host: flags.host,
    keyRenewPeriodMs,
    log,
  });
  // As Bitnami's controller: SIGUSR1 makes a new sealing key now.
  const rotate = () => {
    controller.rotateKey().catch((err: unknown) => log.error({ error: (err as Error).message }, "key rotation failed"));
  };
  process.on("SIGUSR1", rotate);
  try {
    await controller.start(stop.signal);
    await controller.done;
  } finally {
    process.off("SIGUSR1", rotate);
  }
}

export function registerSealCommands(program: Command, io: SealIo): void {
  program
    .command("seal")
    .description(
      "seal a Secret read on standard input into a SealedSecret (Bitnami-compatible), or one value with --raw",
    )
    .option("--cert <file|url>", "certificate (or public key) to seal with; default: read it through the API")
    .option("--scope <scope>", `${SEALING_SCOPES.join(", ")} (default: the Secret's annotations, else strict)`)
    .option("--name <name>", "the Secret's name (overrides metadata.name; needed for --raw with scope strict)")
    .option("--namespace <ns>", "the Secret's namespace (overrides metadata.namespace)")
    .option("-o, --output <format>", "yaml or json", "yaml")
    .option("--raw", "seal one value (from --from-file or standard input) and print it as base64")
    .option("--from-file <path>", "with --raw: the file holding the value ('-' for standard input)")
    .option("--fetch-cert", "print the certificate and exit")
    .option("--allow-empty-data", "seal a Secret that has no data")
    .option("--kubeconfig <path>", "kubeconfig file, to read the certificate when no --cert is given")
    .option("--context <name>", "kubeconfig context")
    .option("--controller-namespace <ns>", "namespace of the controller's key Secrets", DEFAULT_CONTROLLER_NAMESPACE)
    .action(async (opts: SealOptions) => {
      const signal = new AbortController().signal;
      try {
        io.out(await runSeal(opts, io, signal));
      } catch (err) {
        throw asCommandError(err);
      }
    });

  program
    .command("sealed-secrets-controller")
    .description("run the Sealed Secrets controller alone: unseal SealedSecrets, serve /v1/cert.pem, renew keys")
    .option("--kubeconfig <path>", "kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
    .option("--context <name>", "kubeconfig context")
    .option("--in-cluster", "use the in-cluster service account")
    .option("--namespace <ns>", "namespace of the sealing key Secrets", DEFAULT_CONTROLLER_NAMESPACE)
    .option("--port <port>", "HTTP port for /v1/cert.pem and /healthz", String(DEFAULT_CONTROLLER_PORT))
    .option("--host <address>", "address to listen on", "0.0.0.0")
    .option(
      "--key-renew-period <duration>",
      "a new sealing key this often (0: never)",
      `${DEFAULT_KEY_RENEW_PERIOD_MS / 3_600_000}h`,
    )
    .option("--log-level <level>", "trace, debug, info, warn or error", "info")
    .action(async (flags: ControllerFlags) => {
      await runController(flags);
    });
}
