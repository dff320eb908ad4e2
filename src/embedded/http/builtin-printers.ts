// kube-apiserver 1.36's server-side printers for built-in kinds, ported from
// k8s.io/kubernetes/pkg/printers/internalversion/printers.go: each kind's column definitions and the cells
// of one object's row. The server always prints wide (priority 1 columns included). Objects are the v1
// JSON as stored; where the Go code reads an internal type, the v1→internal conversion is mirrored
// (status.podIP into podIPs, Secret stringData into data); a missing field reads as Go's zero value.
// Quantities print as Go's Quantity.String() does after the server's JSON round trip (canonical, mostly),
// since the embedded store keeps them as written. Role and ClusterRole have no printer in Go: their rows are
// the generic server's default Table convertor's (name, creation time).

import type { JsonRecord } from "../../api/index.js";
import { isRecord } from "../../api/index.js";
import { DOCS } from "./builtin-column-docs.js";

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export type TableCell = string | number;

export interface TableRowCondition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

export interface BuiltinPrinter {
  columns: readonly TableColumnDefinition[];
  cells(obj: JsonRecord, now: Date): TableCell[];
  /** Row conditions (a Pod that has Succeeded or Failed is Completed). */
  conditions?(obj: JsonRecord): TableRowCondition[] | undefined;
}

// ---- duration --------------------------------------------------------------------------------------

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration: ~2-3 significant figures, of milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** A timestamp's time since `now`, or `<unknown>` when it is unset (translateTimestampSince). */
function since(timestamp: unknown, now: Date): string {
  const t = typeof timestamp === "string" && timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now.getTime() - t);
}

// ---- reading plain JSON as Go's zero values ---------------------------------------------------------

function rec(value: unknown): JsonRecord {
  return isRecord(value) ? value : {};
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}
function int(value: unknown): number {
  return typeof value === "number" ? value : 0;
}
function size(value: unknown): number {
  return isRecord(value) ? Object.keys(value).length : 0;
}
function time(value: unknown): number | undefined {
  const t = typeof value === "string" && value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(t) ? undefined : t;
}
const spec = (obj: JsonRecord): JsonRecord => rec(obj.spec);
const status = (obj: JsonRecord): JsonRecord => rec(obj.status);
const meta = (obj: JsonRecord): JsonRecord => rec(obj.metadata);
const name = (obj: JsonRecord): string => str(meta(obj).name);
const age = (obj: JsonRecord, now: Date): string => since(meta(obj).creationTimestamp, now);

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** labels.FormatLabels: sorted `k=v` pairs, or `<none>`. */
function formatLabels(labels: unknown): string {
  const pairs = Object.entries(rec(labels)).map(([k, v]) => `${k}=${str(v)}`);
  return pairs.length ? pairs.sort(byCodePoint).join(",") : "<none>";
}

const OPERATORS: Readonly<Record<string, string>> = {
  In: " in ",
  NotIn: " notin ",
  Exists: "",
  DoesNotExist: "",
};

/** metav1.LabelSelectorAsSelector(...).String(); undefined for an operator it does not know. */
function selectorString(selector: unknown): string | undefined {
  if (!isRecord(selector)) return "";
  const reqs: Array<[key: string, text: string]> = Object.entries(rec(selector.matchLabels)).map(([k, v]) => [
    k,
    `${k}=${str(v)}`,
  ]);
  for (const e of arr(selector.matchExpressions)) {
    const expr = rec(e);
    const key = str(expr.key);
    const op = str(expr.operator);
    const infix = OPERATORS[op];
    if (infix === undefined) return undefined;
    const values = arr(expr.values).map(str);
    if (op === "Exists") reqs.push([key, key]);
    else if (op === "DoesNotExist") reqs.push([key, `!${key}`]);
    else {
      const list = values.length === 1 ? values : [...values].sort(byCodePoint);
      reqs.push([key, `${key}${infix}(${list.join(",")})`]);
    }
  }
  return reqs
    .sort((a, b) => byCodePoint(a[0], b[0]))
    .map(([, text]) => text)
    .join(",");
}

/** metav1.FormatLabelSelector. */
function formatLabelSelector(selector: unknown): string {
  const s = selectorString(selector);
  if (s === undefined) return "<error>";
  return s || "<none>";
}

/** layoutContainerCells: the containers' names and images, comma-separated. */
function containerCells(podSpec: unknown): [names: string, images: string] {
  const containers = arr(rec(podSpec).containers).map(rec);
  return [containers.map((c) => str(c.name)).join(","), containers.map((c) => str(c.image)).join(",")];
}
const templateSpec = (obj: JsonRecord): JsonRecord => rec(rec(spec(obj).template).spec);

/** The sorted, de-duplicated IPs (or hostnames) of a load balancer status. */
function loadBalancerIngress(lb: unknown): string {
  const result = new Set<string>();
  for (const i of arr(rec(lb).ingress).map(rec)) {
    if (str(i.ip)) result.add(str(i.ip));
    else if (str(i.hostname)) result.add(str(i.hostname));
  }
  return [...result].sort(byCodePoint).join(",");
}

// ---- resource.Quantity ------------------------------------------------------------------------------

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64 = 2n ** 63n - 1n;
const NANO = -9;

type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** An exact quantity: `unscaled` × 10^`exponent`, and the format its suffix asked for. */
interface ParsedQuantity {
  unscaled: bigint;
  exponent: number;
  format: QuantityFormat;
  /** Whether ParseQuantity's fast path keeps the text as written (it took it for canonical). */
  verbatim: boolean;
}

interface QuantitySuffix {
  format: QuantityFormat;
  /** The power of ten (decimal and exponent formats) or of two (binary) the suffix stands for. */
  exponent: number;
}

function interpretSuffix(suffix: string): QuantitySuffix | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix) && decimal !== undefined)
    return { format: "DecimalSI", exponent: decimal };
  const binary = BINARY_SUFFIXES[suffix];
  if (Object.hasOwn(BINARY_SUFFIXES, suffix) && binary !== undefined) return { format: "BinarySI", exponent: binary };
  if (/^[eE][-+]?\d{1,9}$/.test(suffix)) return { format: "DecimalExponent", exponent: Number(suffix.slice(1)) };
  return undefined;
}

/**
 * ParseQuantity's int64 fast path keeps the text it was given (sign, leading zeros and all) when the digits
 * look canonical: a scale that is a multiple of three without trailing `000` (decimal), or an integral binary
 * amount not a multiple of eight.
 */
function keepsText(digits: string, fraction: string, suffix: QuantitySuffix): boolean {
  if (suffix.format === "BinarySI") {
    const precision = 15 - digits.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
    if (fraction !== "" || precision < 0) return false;
    const value = BigInt(digits);
    return value * 2n ** BigInt(suffix.exponent) <= MAX_INT64 && value % 8n !== 0n;
  }
  const shifted = digits + fraction;
  const scale = suffix.exponent - fraction.length;
  return (
    shifted.length <= 18 && scale >= NANO && scale % 3 === 0 && !shifted.endsWith("000") && !shifted.startsWith("0")
  );
}

const QUANTITY_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[-+]?\d*)$/;

/** resource.ParseQuantity: the value rounded up (away from zero) to nano units, binary ones capped at int64. */
function parseQuantity(text: string): ParsedQuantity | undefined {
  const m = QUANTITY_TEXT.exec(text);
  const suffix = interpretSuffix(m?.[4] ?? "");
  if (!m || text === "" || !suffix) return undefined;
  const [, sign = "", whole = "", fraction = ""] = m;
  const digits = whole.replace(/^0+/, "") || "0";
  let format = suffix.format;
  const exponent2 = format === "BinarySI" ? suffix.exponent : 0;
  let abs = BigInt(digits + fraction) * 2n ** BigInt(exponent2);
  let exponent = (format === "BinarySI" ? 0 : suffix.exponent) - fraction.length;
  if (exponent < NANO) {
    // Dividing by a power of ten longer than the digits rounds up to 1 (and spares a huge power).
    const shift = NANO - exponent;
    if (shift >= abs.toString().length) abs = abs > 0n ? 1n : 0n;
    else {
      const divisor = 10n ** BigInt(shift);
      abs = abs / divisor + (abs % divisor === 0n ? 0n : 1n);
    }
    exponent = NANO;
  }
  if (format === "BinarySI") {
    // Its exponent is the fraction's digits': between -9 and 0.
    const scale = 10n ** BigInt(-exponent);
    if (abs > MAX_INT64 * scale) [abs, exponent] = [MAX_INT64, 0];
    else if (abs > 0n && abs < scale) format = "DecimalSI";
  }
  const verbatim = text === "0" || keepsText(digits, fraction, suffix);
  return { unscaled: sign === "-" ? -abs : abs, exponent, format, verbatim };
}

/** A binary quantity in base 1024 (`1536Mi`); undefined when it is under 1024 or fractional (printed decimal). */
function binaryQuantity(unscaled: bigint, exponent: number): string | undefined {
  // A binary quantity's exponent is between -9 and 0.
  const scale = 10n ** BigInt(-exponent);
  const abs = unscaled < 0n ? -unscaled : unscaled;
  if (abs < 1024n * scale || abs % scale !== 0n) return undefined;
  let value = unscaled / scale;
  let power = 0;
  while (value % 1024n === 0n && power < 6) {
    value /= 1024n;
    power++;
  }
  return `${value}${["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][power]}`;
}

/** Quantity.String(): the canonical form, the same whatever form the quantity was written in. */
function canonicalQuantity({ unscaled, exponent, format }: ParsedQuantity): string {
  if (unscaled === 0n) return "0";
  if (format === "BinarySI") {
    const binary = binaryQuantity(unscaled, exponent);
    if (binary !== undefined) return binary;
  }
  let mantissa = unscaled;
  let e = exponent;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    e++;
  }
  while (e % 3 !== 0) {
    mantissa *= 10n;
    e--;
  }
  if (format === "DecimalExponent") return e === 0 ? `${mantissa}` : `${mantissa}e${e}`;
  // A decimal exponent beyond the suffixes' range gets no suffix, as in Go.
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, x]) => x === e)?.[0] ?? "";
  return `${mantissa}${suffix}`;
}

/** A Quantity field as Go prints it: canonical; `absent` when unset (a nil *Quantity prints `<nil>`). */
function quantity(value: unknown, absent = "<nil>"): string {
  if (typeof value !== "string" && typeof value !== "number") return absent;
  const text = String(value).trim();
  const parsed = parseQuantity(text);
  return parsed && !parsed.verbatim ? canonicalQuantity(parsed) : text;
}

// ---- column definitions ----------------------------------------------------------------------------

function col(name: string, type: string, description: string, priority = 0, format = ""): TableColumnDefinition {
  return { name, type, format, description, priority };
}
const NAME = col("Name", "string", DOCS["ObjectMeta.name"], 0, "name");
const AGE = col("Age", "string", DOCS["ObjectMeta.creationTimestamp"]);
const CONTAINERS = col("Containers", "string", "Names of each container in the template.", 1);
const IMAGES = col("Images", "string", "Images referenced by each container in the template.", 1);

// ---- Pod -------------------------------------------------------------------------------------------

function isRestartable(container: JsonRecord | undefined): boolean {
  return container?.restartPolicy === "Always";
}

/** A container state's `terminated`/`waiting`/`running`, when set. */
function stateOf(value: unknown, which: "terminated" | "waiting" | "running"): JsonRecord | undefined {
  const s = rec(value)[which];
  return isRecord(s) ? s : undefined;
}

/** The later of a restart date so far (undefined: Go's zero time) and a last termination's finishedAt. */
function later(current: number | undefined, containerStatus: JsonRecord): number | undefined {
  const terminated = stateOf(containerStatus.lastState, "terminated");
  const t = terminated ? time(terminated.finishedAt) : undefined;
  return t !== undefined && (current === undefined || current < t) ? t : current;
}

/** What printPod accumulates over the container statuses. */
interface PodTally {
  reason: string;
  restarts: number;
  readyContainers: number;
  lastRestartDate: number | undefined;
}

/** The reason a container terminated: its reason, else `prefix` Signal:n or ExitCode:n. */
function terminatedReason(terminated: JsonRecord, prefix: string): string {
  if (str(terminated.reason)) return `${prefix}${str(terminated.reason)}`;
  if (int(terminated.signal) !== 0) return `${prefix}Signal:${int(terminated.signal)}`;
  return `${prefix}ExitCode:${int(terminated.exitCode)}`;
}

/**
 * The init containers, in order, up to the first still initializing (or failed). Returns whether the pod is
 * initializing, and the restarts of the restartable (sidecar) ones, which count once the pod is initialized.
 */
function tallyInitContainers(
  podSpec: JsonRecord,
  podStatus: JsonRecord,
  tally: PodTally,
): {
  initializing: boolean;
  sidecarRestarts: number;
  sidecarLastRestart: number | undefined;
} {
  const specs = arr(podSpec.initContainers).map(rec);
  const restartable = new Set(specs.filter(isRestartable).map((c) => str(c.name)));
  let sidecarRestarts = 0;
  let sidecarLastRestart: number | undefined;
  const statuses = arr(podStatus.initContainerStatuses).map(rec);
  for (const [i, container] of statuses.entries()) {
    const isSidecar = restartable.has(str(container.name));
    tally.restarts += int(container.restartCount);
    tally.lastRestartDate = later(tally.lastRestartDate, container);
    if (isSidecar) {
      sidecarRestarts += int(container.restartCount);
      sidecarLastRestart = later(sidecarLastRestart, container);
    }
    const terminated = stateOf(container.state, "terminated");
    const waiting = stateOf(container.state, "waiting");
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (isSidecar && container.started === true) {
      if (container.ready === true) tally.readyContainers++;
      continue;
    }
    if (terminated) tally.reason = terminatedReason(terminated, "Init:");
    else if (waiting && str(waiting.reason) && waiting.reason !== "PodInitializing")
      tally.reason = `Init:${str(waiting.reason)}`;
    else tally.reason = `Init:${i}/${specs.length}`;
    return { initializing: true, sidecarRestarts, sidecarLastRestart };
  }
  return { initializing: false, sidecarRestarts, sidecarLastRestart };
}

/** The app containers, last first (the first one's state wins the reason). */
function tallyContainers(podStatus: JsonRecord, conditions: readonly JsonRecord[], tally: PodTally): void {
  let hasRunning = false;
  let errorReason = "";
  const statuses = arr(podStatus.containerStatuses).map(rec);
  for (const container of statuses.reverse()) {
    tally.restarts += int(container.restartCount);
    tally.lastRestartDate = later(tally.lastRestartDate, container);
    const waiting = stateOf(container.state, "waiting");
    const terminated = stateOf(container.state, "terminated");
    if (waiting && str(waiting.reason)) tally.reason = str(waiting.reason);
    else if (terminated) {
      tally.reason = terminatedReason(terminated, "");
      if (int(terminated.exitCode) !== 0) errorReason = tally.reason;
    } else if (container.ready === true && stateOf(container.state, "running")) {
      hasRunning = true;
      tally.readyContainers++;
    }
  }
  // Back to Running if a container still runs.
  if (tally.reason === "Completed") {
    if (hasRunning && conditions.some((c) => c.type === "Ready" && c.status === "True")) tally.reason = "Running";
    else if (errorReason) tally.reason = errorReason;
    else if (hasRunning) tally.reason = "NotReady";
  }
}

function readinessGates(podSpec: JsonRecord, conditions: readonly JsonRecord[]): string {
  const gates = arr(podSpec.readinessGates).map(rec);
  if (gates.length === 0) return "<none>";
  const trueConditions = gates.filter(
    (gate) => conditions.find((c) => c.type === gate.conditionType)?.status === "True",
  ).length;
  return `${trueConditions}/${gates.length}`;
}

function isDeleting(obj: JsonRecord): boolean {
  const t = meta(obj).deletionTimestamp;
  return t !== undefined && t !== null;
}

function podCells(pod: JsonRecord, now: Date): TableCell[] {
  const podSpec = spec(pod);
  const podStatus = status(pod);
  const conditions = arr(podStatus.conditions).map(rec);
  const podPhase = str(podStatus.phase);
  const tally: PodTally = {
    reason: str(podStatus.reason) || podPhase,
    restarts: 0,
    readyContainers: 0,
    lastRestartDate: undefined,
  };
  if (conditions.some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated"))
    tally.reason = "SchedulingGated";
  const totalContainers =
    arr(podSpec.containers).length + arr(podSpec.initContainers).map(rec).filter(isRestartable).length;

  const init = tallyInitContainers(podSpec, podStatus, tally);
  const initialized = conditions.find((c) => c.type === "Initialized")?.status === "True";
  if (!init.initializing || initialized) {
    tally.restarts = init.sidecarRestarts;
    tally.lastRestartDate = init.sidecarLastRestart;
    tallyContainers(podStatus, conditions, tally);
  }

  if (isDeleting(pod) && podStatus.reason === "NodeLost") tally.reason = "Unknown";
  else if (isDeleting(pod) && podPhase !== "Failed" && podPhase !== "Succeeded") tally.reason = "Terminating";

  let restarts = String(tally.restarts);
  if (tally.restarts !== 0 && tally.lastRestartDate !== undefined)
    restarts = `${tally.restarts} (${humanDuration(now.getTime() - tally.lastRestartDate)} ago)`;

  const podIPs = arr(podStatus.podIPs).map(rec);
  const podIP = podIPs.length > 0 ? str(podIPs[0]?.ip) : str(podStatus.podIP);
  return [
    name(pod),
    `${tally.readyContainers}/${totalContainers}`,
    tally.reason,
    restarts,
    age(pod, now),
    podIP || "<none>",
    str(podSpec.nodeName) || "<none>",
    str(podStatus.nominatedNodeName) || "<none>",
    readinessGates(podSpec, conditions),
  ];
}

function podConditions(pod: JsonRecord): TableRowCondition[] | undefined {
  switch (status(pod).phase) {
    case "Succeeded":
      return [
        { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
      ];
    case "Failed":
      return [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];
    default:
      return undefined;
  }
}

const POD: BuiltinPrinter = {
  columns: [
    NAME,
    col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
    col("Status", "string", "The aggregate status of the containers in this pod."),
    col(
      "Restarts",
      "string",
      "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
    ),
    AGE,
    col("IP", "string", DOCS["PodStatus.podIP"], 1),
    col("Node", "string", DOCS["PodSpec.nodeName"], 1),
    col("Nominated Node", "string", DOCS["PodStatus.nominatedNodeName"], 1),
    col("Readiness Gates", "string", DOCS["PodSpec.readinessGates"], 1),
  ],
  cells: podCells,
  conditions: podConditions,
};

// ---- Service ---------------------------------------------------------------------------------------

function serviceExternalIP(svc: JsonRecord): string {
  const s = spec(svc);
  const externalIPs = arr(s.externalIPs).map(str);
  switch (s.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lbIps = loadBalancerIngress(status(svc).loadBalancer);
      if (externalIPs.length > 0) return [...(lbIps ? lbIps.split(",") : []), ...externalIPs].join(",");
      return lbIps || "<pending>";
    }
    case "ExternalName":
      return str(s.externalName);
    default:
      return "<unknown>";
  }
}

const SERVICE: BuiltinPrinter = {
  columns: [
    NAME,
    col("Type", "string", DOCS["ServiceSpec.type"]),
    col("Cluster-IP", "string", DOCS["ServiceSpec.clusterIP"]),
    col("External-IP", "string", DOCS["ServiceSpec.externalIPs"]),
    col("Port(s)", "string", DOCS["ServiceSpec.ports"]),
    AGE,
    col("Selector", "string", DOCS["ServiceSpec.selector"], 1),
  ],
  cells(svc, now) {
    const s = spec(svc);
    const clusterIPs = arr(s.clusterIPs).map(str);
    const internalIP = clusterIPs[0] ?? "<none>";
    const ports = arr(s.ports)
      .map(rec)
      .map((p) =>
        int(p.nodePort) > 0
          ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol)}`
          : `${int(p.port)}/${str(p.protocol)}`,
      )
      .join(",");
    return [
      name(svc),
      str(s.type),
      internalIP,
      serviceExternalIP(svc),
      ports || "<none>",
      age(svc, now),
      formatLabels(s.selector),
    ];
  },
};

// ---- apps ------------------------------------------------------------------------------------------

const DEPLOYMENT: BuiltinPrinter = {
  columns: [
    NAME,
    col("Ready", "string", "Number of the pod with ready state"),
    col("Up-to-date", "string", DOCS["DeploymentStatus.updatedReplicas"]),
    col("Available", "string", DOCS["DeploymentStatus.availableReplicas"]),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", DOCS["DeploymentSpec.selector"], 1),
  ],
  cells(d, now) {
    const st = status(d);
    const [containers, images] = containerCells(templateSpec(d));
    return [
      name(d),
      `${int(st.readyReplicas)}/${int(spec(d).replicas)}`,
      int(st.updatedReplicas),
      int(st.availableReplicas),
      age(d, now),
      containers,
      images,
      selectorString(spec(d).selector) ?? "<invalid>",
    ];
  },
};

const REPLICA_SET: BuiltinPrinter = {
  columns: [
    NAME,
    col("Desired", "integer", DOCS["ReplicaSetSpec.replicas"]),
    col("Current", "integer", DOCS["ReplicaSetStatus.replicas"]),
    col("Ready", "integer", DOCS["ReplicaSetStatus.readyReplicas"]),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", DOCS["ReplicaSetSpec.selector"], 1),
  ],
  cells(rs, now) {
    const [containers, images] = containerCells(templateSpec(rs));
    return [
      name(rs),
      int(spec(rs).replicas),
      int(status(rs).replicas),
      int(status(rs).readyReplicas),
      age(rs, now),
      containers,
      images,
      formatLabelSelector(spec(rs).selector),
    ];
  },
};

const STATEFUL_SET: BuiltinPrinter = {
  columns: [NAME, col("Ready", "string", "Number of the pod with ready state"), AGE, CONTAINERS, IMAGES],
  cells(ss, now) {
    const [containers, images] = containerCells(templateSpec(ss));
    return [name(ss), `${int(status(ss).readyReplicas)}/${int(spec(ss).replicas)}`, age(ss, now), containers, images];
  },
};

const DAEMON_SET: BuiltinPrinter = {
  columns: [
    NAME,
    col("Desired", "integer", DOCS["DaemonSetStatus.desiredNumberScheduled"]),
    col("Current", "integer", DOCS["DaemonSetStatus.currentNumberScheduled"]),
    col("Ready", "integer", DOCS["DaemonSetStatus.numberReady"]),
    col("Up-to-date", "integer", DOCS["DaemonSetStatus.updatedNumberScheduled"]),
    col("Available", "integer", DOCS["DaemonSetStatus.numberAvailable"]),
    col("Node Selector", "string", DOCS["PodSpec.nodeSelector"]),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", DOCS["DaemonSetSpec.selector"], 1),
  ],
  cells(ds, now) {
    const st = status(ds);
    const [containers, images] = containerCells(templateSpec(ds));
    return [
      name(ds),
      int(st.desiredNumberScheduled),
      int(st.currentNumberScheduled),
      int(st.numberReady),
      int(st.updatedNumberScheduled),
      int(st.numberAvailable),
      formatLabels(templateSpec(ds).nodeSelector),
      age(ds, now),
      containers,
      images,
      formatLabelSelector(spec(ds).selector),
    ];
  },
};

// ---- batch -----------------------------------------------------------------------------------------

/** hasJobCondition: the first condition of the type, whether it is True. */
function hasJobCondition(conditions: readonly JsonRecord[], type: string): boolean {
  return conditions.find((c) => c.type === type)?.status === "True";
}

const JOB: BuiltinPrinter = {
  columns: [
    NAME,
    col("Status", "string", "Status of the job."),
    col("Completions", "string", DOCS["JobStatus.succeeded"]),
    col("Duration", "string", "Time required to complete the job."),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", DOCS["JobSpec.selector"], 1),
  ],
  cells(job, now) {
    const s = spec(job);
    const st = status(job);
    const succeeded = int(st.succeeded);
    let completions: string;
    if (typeof s.completions === "number") completions = `${succeeded}/${s.completions}`;
    else {
      const parallelism = int(s.parallelism);
      completions = parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
    }
    const start = time(st.startTime);
    const completion = time(st.completionTime);
    let jobDuration = "";
    if (start !== undefined) jobDuration = humanDuration((completion ?? now.getTime()) - start);
    const conditions = arr(st.conditions).map(rec);
    let jobStatus: string;
    if (hasJobCondition(conditions, "Complete")) jobStatus = "Complete";
    else if (hasJobCondition(conditions, "Failed")) jobStatus = "Failed";
    else if (isDeleting(job)) jobStatus = "Terminating";
    else if (hasJobCondition(conditions, "Suspended")) jobStatus = "Suspended";
    else if (hasJobCondition(conditions, "FailureTarget")) jobStatus = "FailureTarget";
    else if (hasJobCondition(conditions, "SuccessCriteriaMet")) jobStatus = "SuccessCriteriaMet";
    else jobStatus = "Running";
    const [containers, images] = containerCells(templateSpec(job));
    return [
      name(job),
      jobStatus,
      completions,
      jobDuration,
      age(job, now),
      containers,
      images,
      formatLabelSelector(s.selector),
    ];
  },
};

const CRON_JOB: BuiltinPrinter = {
  columns: [
    NAME,
    col("Schedule", "string", DOCS["CronJobSpec.schedule"]),
    col("Timezone", "string", DOCS["CronJobSpec.timeZone"]),
    col("Suspend", "boolean", DOCS["CronJobSpec.suspend"]),
    col("Active", "integer", DOCS["CronJobStatus.active"]),
    col("Last Schedule", "string", DOCS["CronJobStatus.lastScheduleTime"]),
    AGE,
    CONTAINERS,
    IMAGES,
    col("Selector", "string", DOCS["JobSpec.selector"], 1),
  ],
  cells(cj, now) {
    const s = spec(cj);
    const st = status(cj);
    const jobSpec = rec(rec(s.jobTemplate).spec);
    const suspend = typeof s.suspend === "boolean" ? (s.suspend ? "True" : "False") : "<unset>";
    const lastSchedule = st.lastScheduleTime ? since(st.lastScheduleTime, now) : "<none>";
    const [containers, images] = containerCells(rec(rec(jobSpec.template).spec));
    return [
      name(cj),
      str(s.schedule),
      typeof s.timeZone === "string" ? s.timeZone : "<none>",
      suspend,
      arr(st.active).length,
      lastSchedule,
      age(cj, now),
      containers,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};

// ---- core ------------------------------------------------------------------------------------------

const EVENT: BuiltinPrinter = {
  columns: [
    col("Last Seen", "string", DOCS["Event.lastTimestamp"]),
    col("Type", "string", DOCS["Event.type"]),
    col("Reason", "string", DOCS["Event.reason"]),
    col("Object", "string", DOCS["Event.involvedObject"]),
    col("Subobject", "string", DOCS["ObjectReference.fieldPath"], 1),
    col("Source", "string", DOCS["Event.source"], 1),
    col("Message", "string", DOCS["Event.message"]),
    col("First Seen", "string", DOCS["Event.firstTimestamp"], 1),
    col("Count", "string", DOCS["Event.count"], 1),
    col("Name", "string", DOCS["ObjectMeta.name"], 1, "name"),
  ],
  cells(ev, now) {
    const firstTimestamp = ev.firstTimestamp ? since(ev.firstTimestamp, now) : since(ev.eventTime, now);
    let lastTimestamp = ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstTimestamp;
    let count = int(ev.count);
    if (isRecord(ev.series)) {
      lastTimestamp = since(ev.series.lastObservedTime, now);
      count = int(ev.series.count);
    } else if (count === 0) count = 1;
    const involved = rec(ev.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    const source = rec(ev.source);
    const component = str(source.component) || str(ev.reportingComponent);
    const instance = str(source.host) || str(ev.reportingInstance);
    return [
      lastTimestamp,
      str(ev.type),
      str(ev.reason),
      target,
      str(involved.fieldPath),
      instance ? `${component}, ${instance}` : component,
      str(ev.message).trim(),
      firstTimestamp,
      count,
      name(ev),
    ];
  },
};

const NAMESPACE: BuiltinPrinter = {
  columns: [NAME, col("Status", "string", "The status of the namespace"), AGE],
  cells: (ns, now) => [name(ns), str(status(ns).phase), age(ns, now)],
};

const CONFIG_MAP: BuiltinPrinter = {
  columns: [NAME, col("Data", "string", DOCS["ConfigMap.data"]), AGE],
  cells: (cm, now) => [name(cm), size(cm.data) + size(cm.binaryData), age(cm, now)],
};

const SECRET: BuiltinPrinter = {
  columns: [NAME, col("Type", "string", DOCS["Secret.type"]), col("Data", "string", DOCS["Secret.data"]), AGE],
  // stringData is merged into data on conversion.
  cells: (s, now) => [
    name(s),
    str(s.type),
    new Set([...Object.keys(rec(s.data)), ...Object.keys(rec(s.stringData))]).size,
    age(s, now),
  ],
};

const SERVICE_ACCOUNT: BuiltinPrinter = {
  columns: [NAME, AGE],
  cells: (sa, now) => [name(sa), age(sa, now)],
};

function nodeRoles(labels: unknown): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(rec(labels))) {
    if (k.startsWith("node-role.kubernetes.io/")) {
      const role = k.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && str(v)) roles.add(str(v));
  }
  return [...roles].sort(byCodePoint).join(",") || "<none>";
}

const NODE: BuiltinPrinter = {
  columns: [
    NAME,
    col("Status", "string", "The status of the node"),
    col("Roles", "string", "The roles of the node"),
    AGE,
    col("Version", "string", DOCS["NodeSystemInfo.kubeletVersion"]),
    col("Internal-IP", "string", DOCS["NodeStatus.addresses"], 1),
    col("External-IP", "string", DOCS["NodeStatus.addresses"], 1),
    col("OS-Image", "string", DOCS["NodeSystemInfo.osImage"], 1),
    col("Kernel-Version", "string", DOCS["NodeSystemInfo.kernelVersion"], 1),
    col("Container-Runtime", "string", DOCS["NodeSystemInfo.containerRuntimeVersion"], 1),
  ],
  cells(node, now) {
    const st = status(node);
    // The last condition of a type wins (a map keyed by type).
    const ready = arr(st.conditions)
      .map(rec)
      .filter((c) => c.type === "Ready")
      .at(-1);
    const conditions: string[] = [];
    if (ready) conditions.push(ready.status === "True" ? "Ready" : "NotReady");
    if (conditions.length === 0) conditions.push("Unknown");
    if (spec(node).unschedulable === true) conditions.push("SchedulingDisabled");
    const info = rec(st.nodeInfo);
    const addresses = arr(st.addresses).map(rec);
    const address = (type: string): string => str(addresses.find((a) => a.type === type)?.address) || "<none>";
    let kernelVersion = str(info.kernelVersion) || "<unknown>";
    if (str(info.architecture)) kernelVersion += ` (${str(info.architecture)})`;
    return [
      name(node),
      conditions.join(","),
      nodeRoles(meta(node).labels),
      age(node, now),
      str(info.kubeletVersion),
      address("InternalIP"),
      address("ExternalIP"),
      str(info.osImage) || "<unknown>",
      kernelVersion,
      str(info.containerRuntimeVersion) || "<unknown>",
    ];
  },
};

/** helper.GetAccessModesAsString. */
function accessModes(modes: unknown): string {
  const set = new Set(arr(modes).map(str));
  const out: string[] = [];
  if (set.has("ReadWriteOnce")) out.push("RWO");
  if (set.has("ReadOnlyMany")) out.push("ROX");
  if (set.has("ReadWriteMany")) out.push("RWX");
  if (set.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

const PERSISTENT_VOLUME_CLAIM: BuiltinPrinter = {
  columns: [
    NAME,
    col("Status", "string", DOCS["PersistentVolumeClaimStatus.phase"]),
    col("Volume", "string", DOCS["PersistentVolumeClaimSpec.volumeName"]),
    col("Capacity", "string", DOCS["PersistentVolumeClaimStatus.capacity"]),
    col("Access Modes", "string", DOCS["PersistentVolumeClaimStatus.accessModes"]),
    col("StorageClass", "string", "StorageClass of the pvc"),
    col("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    AGE,
    col("VolumeMode", "string", DOCS["PersistentVolumeClaimSpec.volumeMode"], 1),
  ],
  cells(pvc, now) {
    const s = spec(pvc);
    const st = status(pvc);
    const volumeName = str(s.volumeName);
    let capacity = "";
    let modes = "";
    if (volumeName) {
      modes = accessModes(st.accessModes);
      // An absent quantity prints as zero.
      capacity = quantity(rec(st.capacity).storage, "0");
    }
    const annotations = rec(meta(pvc).annotations);
    const betaClass = annotations["volume.beta.kubernetes.io/storage-class"];
    const storageClass = typeof betaClass === "string" ? betaClass : str(s.storageClassName);
    return [
      name(pvc),
      isDeleting(pvc) ? "Terminating" : str(st.phase),
      volumeName,
      capacity,
      modes,
      storageClass,
      typeof s.volumeAttributesClassName === "string" ? s.volumeAttributesClassName : "<unset>",
      age(pvc, now),
      typeof s.volumeMode === "string" ? s.volumeMode : "<unset>",
    ];
  },
};

// ---- networking, discovery -------------------------------------------------------------------------

function formatHosts(rules: readonly JsonRecord[]): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules) {
    if (list.length === max) more = true;
    if (!more && str(rule.host)) list.push(str(rule.host));
  }
  if (list.length === 0) return "*";
  return more ? `${list.join(",")} + ${rules.length - max} more...` : list.join(",");
}

const INGRESS: BuiltinPrinter = {
  columns: [
    NAME,
    col("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    col("Ports", "string", "Ports of TLS configurations that open"),
    AGE,
  ],
  cells(ing, now) {
    const s = spec(ing);
    return [
      name(ing),
      typeof s.ingressClassName === "string" ? s.ingressClassName : "<none>",
      formatHosts(arr(s.rules).map(rec)),
      loadBalancerIngress(status(ing).loadBalancer),
      arr(s.tls).length !== 0 ? "80, 443" : "80",
      age(ing, now),
    ];
  },
};

/** listWithMoreString over the first three of `all`. */
function listWithMore(all: readonly string[]): string {
  const max = 3;
  const list = all.slice(0, max).join(",");
  if (all.length > max) return `${list} + ${all.length - max} more...`;
  return list || "<unset>";
}

const ENDPOINT_SLICE: BuiltinPrinter = {
  columns: [
    NAME,
    col("AddressType", "string", DOCS["EndpointSlice.addressType"]),
    col("Ports", "string", DOCS["EndpointSlice.ports"]),
    col("Endpoints", "string", DOCS["EndpointSlice.endpoints"]),
    AGE,
  ],
  cells(es, now) {
    const ports = arr(es.ports)
      .map(rec)
      .map((p) => (typeof p.port === "number" ? String(p.port) : typeof p.name === "string" ? p.name : "*"));
    const addresses = arr(es.endpoints).flatMap((e) => arr(rec(e).addresses).map(str));
    return [name(es), str(es.addressType), listWithMore(ports), listWithMore(addresses), age(es, now)];
  },
};

/** net.JoinHostPort: an IPv6 address in brackets. */
function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** formatEndpoints (all ports): up to three ip:port of the subsets' ready addresses, then `+ N more...`. */
function formatEndpoints(subsets: readonly JsonRecord[]): string {
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let count = 0;
  const add = (addresses: readonly JsonRecord[], port?: number): void => {
    count += addresses.length;
    for (const address of addresses) {
      if (list.length === max) return;
      list.push(port === undefined ? str(address.ip) : joinHostPort(str(address.ip), port));
    }
  };
  for (const subset of subsets) {
    const addresses = arr(subset.addresses).map(rec);
    const ports = arr(subset.ports).map(rec);
    // A headless service's endpoints may have no ports: the bare addresses.
    if (ports.length === 0) add(addresses);
    for (const port of ports) add(addresses, int(port.port));
  }
  return count > max ? `${list.join(",")} + ${count - max} more...` : list.join(",");
}

const ENDPOINTS: BuiltinPrinter = {
  columns: [NAME, col("Endpoints", "string", DOCS["Endpoints.subsets"]), AGE],
  cells: (ep, now) => [name(ep), formatEndpoints(arr(ep.subsets).map(rec)), age(ep, now)],
};

const NETWORK_POLICY: BuiltinPrinter = {
  columns: [NAME, col("Pod-Selector", "string", DOCS["NetworkPolicySpec.podSelector"]), AGE],
  cells: (np, now) => [name(np), formatLabelSelector(spec(np).podSelector), age(np, now)],
};

// ---- rbac ------------------------------------------------------------------------------------------

/**
 * Role and ClusterRole have no printer: kube-apiserver's default Table convertor prints the name and the
 * creation time (RFC 3339, UTC, whole seconds; Go's zero time when unset).
 */
const CREATED_AT: BuiltinPrinter = {
  columns: [NAME, col("Created At", "date", DOCS["ObjectMeta.creationTimestamp"])],
  cells(obj) {
    const t = time(meta(obj).creationTimestamp);
    const createdAt = t === undefined ? "0001-01-01T00:00:00Z" : new Date(t).toISOString().replace(/\.\d+Z$/, "Z");
    return [name(obj), createdAt];
  },
};

/** rbac.SubjectsStrings: the users, groups and service accounts (namespace/name), each list comma-separated. */
function subjectCells(subjects: unknown): [users: string, groups: string, serviceAccounts: string] {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of arr(subjects).map(rec)) {
    if (subject.kind === "ServiceAccount") serviceAccounts.push(`${str(subject.namespace)}/${str(subject.name)}`);
    else if (subject.kind === "User") users.push(str(subject.name));
    else if (subject.kind === "Group") groups.push(str(subject.name));
  }
  return [users.join(", "), groups.join(", "), serviceAccounts.join(", ")];
}

function bindingPrinter(binding: "roleBinding" | "clusterRoleBinding", roleRefDoc: string): BuiltinPrinter {
  return {
    columns: [
      NAME,
      col("Role", "string", roleRefDoc),
      AGE,
      col("Users", "string", `Users in the ${binding}`, 1),
      col("Groups", "string", `Groups in the ${binding}`, 1),
      col("ServiceAccounts", "string", `ServiceAccounts in the ${binding}`, 1),
    ],
    cells(rb, now) {
      const roleRef = rec(rb.roleRef);
      return [name(rb), `${str(roleRef.kind)}/${str(roleRef.name)}`, age(rb, now), ...subjectCells(rb.subjects)];
    },
  };
}

const ROLE_BINDING = bindingPrinter("roleBinding", DOCS["v1beta1.RoleBinding.roleRef"]);
const CLUSTER_ROLE_BINDING = bindingPrinter("clusterRoleBinding", DOCS["v1beta1.ClusterRoleBinding.roleRef"]);

// ---- policy, autoscaling, coordination -------------------------------------------------------------

/** An IntOrString as IntOrString.String() prints it, or `N/A` when unset. */
function intOrStringCell(value: unknown): string {
  if (typeof value === "number") return String(value);
  return typeof value === "string" ? value : "N/A";
}

const POD_DISRUPTION_BUDGET: BuiltinPrinter = {
  columns: [
    NAME,
    col("Min Available", "string", "The minimum number of pods that must be available."),
    col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    AGE,
  ],
  cells: (pdb, now) => [
    name(pdb),
    intOrStringCell(spec(pdb).minAvailable),
    intOrStringCell(spec(pdb).maxUnavailable),
    int(status(pdb).disruptionsAllowed),
    age(pdb, now),
  ],
};

/** A metric's current value, `<unknown>` when the status at the same index does not have this source. */
type CurrentOf = (read: (current: JsonRecord) => string) => string;

/** An Object or External metric: `current/target`, `(avg)` for an average value target. */
function valueMetric(source: JsonRecord, current: CurrentOf): string {
  const target = rec(source.target);
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const now = current((c) =>
      c.averageValue === undefined || c.averageValue === null ? "<unknown>" : quantity(c.averageValue),
    );
    return `${now}/${quantity(target.averageValue)} (avg)`;
  }
  return `${current((c) => quantity(c.value))}/${quantity(target.value)}`;
}

/** A Resource or ContainerResource metric: `name: current/target`, in percent for a utilization target. */
function resourceMetric(source: JsonRecord, current: CurrentOf): string {
  const target = rec(source.target);
  const resource = str(source.name);
  if (target.averageValue !== undefined && target.averageValue !== null)
    return `${resource}: ${current((c) => quantity(c.averageValue))}/${quantity(target.averageValue)}`;
  const now = current((c) => (typeof c.averageUtilization === "number" ? `${c.averageUtilization}%` : "<unknown>"));
  const goal = typeof target.averageUtilization === "number" ? `${target.averageUtilization}%` : "<auto>";
  return `${resource}: ${now}/${goal}`;
}

/** The metric source field of each MetricSourceType. */
const METRIC_SOURCES: Readonly<Record<string, string>> = {
  External: "external",
  Pods: "pods",
  Object: "object",
  Resource: "resource",
  ContainerResource: "containerResource",
};

function formatMetric(metric: JsonRecord, metricStatus: JsonRecord | undefined): string {
  const field = METRIC_SOURCES[str(metric.type)];
  if (field === undefined) return "<unknown type>";
  const source = rec(metric[field]);
  const statusSource = metricStatus?.[field];
  const current: CurrentOf = (read) => (isRecord(statusSource) ? read(rec(statusSource.current)) : "<unknown>");
  if (field === "pods")
    return `${current((c) => quantity(c.averageValue))}/${quantity(rec(source.target).averageValue)}`;
  if (field === "resource" || field === "containerResource") return resourceMetric(source, current);
  return valueMetric(source, current);
}

/** formatHPAMetrics: the first two metrics (status matched by index), then `+ N more...`. */
function formatHPAMetrics(metrics: readonly JsonRecord[], statuses: readonly JsonRecord[]): string {
  if (metrics.length === 0) return "<none>";
  const max = 2;
  const list = metrics.slice(0, max).map((m, i) => formatMetric(m, statuses[i]));
  return metrics.length > max ? `${list.join(", ")} + ${metrics.length - max} more...` : list.join(", ");
}

const HORIZONTAL_POD_AUTOSCALER: BuiltinPrinter = {
  columns: [
    NAME,
    col("Reference", "string", DOCS["HorizontalPodAutoscalerSpec.scaleTargetRef"]),
    col("Targets", "string", DOCS["HorizontalPodAutoscalerSpec.metrics"]),
    col("MinPods", "string", DOCS["HorizontalPodAutoscalerSpec.minReplicas"]),
    col("MaxPods", "string", DOCS["HorizontalPodAutoscalerSpec.maxReplicas"]),
    col("Replicas", "string", DOCS["HorizontalPodAutoscalerStatus.currentReplicas"]),
    AGE,
  ],
  cells(hpa, now) {
    const s = spec(hpa);
    const target = rec(s.scaleTargetRef);
    return [
      name(hpa),
      `${str(target.kind)}/${str(target.name)}`,
      formatHPAMetrics(arr(s.metrics).map(rec), arr(status(hpa).currentMetrics).map(rec)),
      typeof s.minReplicas === "number" ? String(s.minReplicas) : "<unset>",
      int(s.maxReplicas),
      int(status(hpa).currentReplicas),
      age(hpa, now),
    ];
  },
};

const LEASE: BuiltinPrinter = {
  columns: [NAME, col("Holder", "string", DOCS["LeaseSpec.holderIdentity"]), AGE],
  cells: (lease, now) => [name(lease), str(spec(lease).holderIdentity), age(lease, now)],
};

/** The printers by `group/Kind` (core kinds with an empty group: `/Pod`). */
const PRINTERS: ReadonlyMap<string, BuiltinPrinter> = new Map([
  ["/Pod", POD],
  ["/Service", SERVICE],
  ["apps/Deployment", DEPLOYMENT],
  ["apps/ReplicaSet", REPLICA_SET],
  ["/Event", EVENT],
  ["/Namespace", NAMESPACE],
  ["/ConfigMap", CONFIG_MAP],
  ["/Secret", SECRET],
  ["/ServiceAccount", SERVICE_ACCOUNT],
  ["apps/StatefulSet", STATEFUL_SET],
  ["apps/DaemonSet", DAEMON_SET],
  ["batch/Job", JOB],
  ["batch/CronJob", CRON_JOB],
  ["/Node", NODE],
  ["/PersistentVolumeClaim", PERSISTENT_VOLUME_CLAIM],
  ["networking.k8s.io/Ingress", INGRESS],
  ["discovery.k8s.io/EndpointSlice", ENDPOINT_SLICE],
  ["/Endpoints", ENDPOINTS],
  ["networking.k8s.io/NetworkPolicy", NETWORK_POLICY],
  ["rbac.authorization.k8s.io/Role", CREATED_AT],
  ["rbac.authorization.k8s.io/ClusterRole", CREATED_AT],
  ["rbac.authorization.k8s.io/RoleBinding", ROLE_BINDING],
  ["rbac.authorization.k8s.io/ClusterRoleBinding", CLUSTER_ROLE_BINDING],
  ["policy/PodDisruptionBudget", POD_DISRUPTION_BUDGET],
  ["autoscaling/HorizontalPodAutoscaler", HORIZONTAL_POD_AUTOSCALER],
  ["coordination.k8s.io/Lease", LEASE],
]);

/** The kube-apiserver printer of a built-in kind, if it is one ported here. */
export function builtinPrinter(group: string, kind: string): BuiltinPrinter | undefined {
  return PRINTERS.get(`${group}/${kind}`);
}
