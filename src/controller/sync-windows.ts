// Sync windows (a Project's spec.syncWindows, as in Argo CD's AppProject): when automated and manual syncs
// may start. Pure: the windows, the Application and an instant in, a verdict out.
//
// A window fires on a five-field cron schedule read in its time zone and stays open for its duration after
// each firing: active at t when some firing s has s <= t < s + duration. Of the windows that apply to an
// Application, an active deny window blocks; allow windows, when there are any, block while none is active.
// Schedules are searched minute by minute in local wall-clock time, skipping whole months, days and hours
// that cannot match, so a look seven days ahead costs a few hundred steps rather than ten thousand.
import type { SyncWindow } from "../api/index.js";
import { parseDuration } from "../source/index.js";
import { globMatch } from "./project-policy.js";

export interface SyncWindowTarget {
  name: string;
  namespace: string;
  cluster: string;
}

export interface SyncWindowVerdict {
  /** An automated sync may start now. */
  automated: boolean;
  /** A sync asked for by hand may start now. */
  manual: boolean;
  /** Why syncs are blocked, for status and Events; "" when nothing blocks. */
  message: string;
  /** When `automated` next changes (ISO 8601, UTC, whole minutes), looking at most 7 days ahead; absent when it does not change within that. */
  nextChange?: string;
  /** The windows that apply to this Application (any kind), and whether each is active now, for status. */
  windows: Array<{ kind: "allow" | "deny"; schedule: string; duration: string; active: boolean }>;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const HORIZON_MS = 7 * DAY_MINUTES * MINUTE_MS;
/** Steps of one schedule search; far more than any real search takes (a year is ~500 steps). */
const MAX_STEPS = 100_000;

// ---------------------------------------------------------------------------------------------------------
// Cron

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  /** Upper end of `*` and of an open `a/n` (day-of-week: 6, though 7 is accepted as Sunday). */
  top: number;
  /** Names for values, the first standing for `min`. */
  names?: readonly string[];
}

const FIELD_SPECS: readonly FieldSpec[] = [
  { name: "minute", min: 0, max: 59, top: 59 },
  { name: "hour", min: 0, max: 23, top: 23 },
  { name: "day-of-month", min: 1, max: 31, top: 31 },
  {
    name: "month",
    min: 1,
    max: 12,
    top: 12,
    names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  },
  { name: "day-of-week", min: 0, max: 7, top: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
];

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

interface Cron {
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  /** Day-of-month or day-of-week is `*`: a day must match both; otherwise either (standard cron). */
  eitherDayField: boolean;
  /** Per minute m: the smallest allowed minute >= m, or -1. */
  nextMinute: number[];
  /** Per minute m: the largest allowed minute <= m, or -1. */
  prevMinute: number[];
}

interface ParsedField {
  set: boolean[];
  /** Written as `*` or `?` (without a step above 1). */
  any: boolean;
}

function fieldValue(spec: FieldSpec, text: string): number | string {
  let n: number;
  if (/^\d+$/.test(text)) n = Number(text);
  else {
    const i = spec.names?.indexOf(text.toUpperCase()) ?? -1;
    if (i < 0) return `"${text}" is not a number${spec.names ? " or name" : ""}`;
    n = spec.min + i;
  }
  return n < spec.min || n > spec.max ? `${text} is outside ${spec.min}-${spec.max}` : n;
}

/** One comma-separated item: the values it covers, or what is wrong with it. */
function parseItem(spec: FieldSpec, item: string, set: boolean[]): { any: boolean } | string {
  const [range = "", stepText, extra] = item.split("/");
  if (extra !== undefined) return "more than one /";
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) < 1) return `step "${stepText}" is not a positive number`;
    step = Number(stepText);
  }
  let lo: number | string = spec.min;
  let hi: number | string = spec.top;
  const any = range === "*" || range === "?";
  if (!any) {
    const [from = "", to, more] = range.split("-");
    if (more !== undefined) return "more than one -";
    lo = fieldValue(spec, from);
    hi = to !== undefined ? fieldValue(spec, to) : stepText !== undefined ? spec.top : lo;
    if (typeof lo === "string") return lo;
    if (typeof hi === "string") return hi;
    if (lo > hi) return `range ${range} runs backwards`;
  }
  for (let v = lo; v <= hi; v += step) set[v] = true;
  return { any: any && step === 1 };
}

function parseField(spec: FieldSpec, text: string): ParsedField | string {
  const set = new Array<boolean>(spec.max + 1).fill(false);
  let any = false;
  for (const item of text.split(",")) {
    const parsed = item === "" ? "empty list item" : parseItem(spec, item, set);
    if (typeof parsed === "string") return `${spec.name} "${text}": ${parsed}`;
    any ||= parsed.any;
  }
  if (spec.name === "day-of-week" && set[7]) set[0] = true;
  return { set, any };
}

function minuteIndexes(minutes: readonly boolean[]): { next: number[]; prev: number[] } {
  const next = new Array<number>(60).fill(-1);
  const prev = new Array<number>(60).fill(-1);
  for (let m = 59, n = -1; m >= 0; m--) {
    if (minutes[m]) n = m;
    next[m] = n;
  }
  for (let m = 0, p = -1; m < 60; m++) {
    if (minutes[m]) p = m;
    prev[m] = p;
  }
  return { next, prev };
}

/** A schedule, or what is wrong with it. */
function parseCron(schedule: unknown): Cron | string {
  if (typeof schedule !== "string") return "must be a string";
  let text = schedule.trim();
  if (text.startsWith("@")) {
    const macro = MACROS[text.toLowerCase()];
    if (macro === undefined) return `unknown macro "${text}" (use @yearly, @monthly, @weekly, @daily or @hourly)`;
    text = macro;
  }
  const parts = text === "" ? [] : text.split(/\s+/);
  if (parts.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  const fields: ParsedField[] = [];
  for (const [i, spec] of FIELD_SPECS.entries()) {
    const field = parseField(spec, parts[i] ?? "");
    if (typeof field === "string") return field;
    fields.push(field);
  }
  const [minute, hour, dom, month, dow] = fields as [ParsedField, ParsedField, ParsedField, ParsedField, ParsedField];
  const { next, prev } = minuteIndexes(minute.set);
  return {
    minutes: minute.set,
    hours: hour.set,
    days: dom.set,
    months: month.set,
    weekdays: dow.set,
    eitherDayField: !dom.any && !dow.any,
    nextMinute: next,
    prevMinute: prev,
  };
}

const cronCache = new Map<string, Cron | string>();

function cachedCron(schedule: unknown): Cron | string {
  if (typeof schedule !== "string") return parseCron(schedule);
  let cron = cronCache.get(schedule);
  if (cron === undefined) {
    cron = parseCron(schedule);
    if (cronCache.size > 500) cronCache.clear();
    cronCache.set(schedule, cron);
  }
  return cron;
}

// ---------------------------------------------------------------------------------------------------------
// Time zones: an instant (whole minutes) and its wall-clock fields in one zone

interface Moment {
  ms: number;
  /** Local wall-clock time minus UTC, in milliseconds. */
  offset: number;
  minute: number;
  hour: number;
  day: number;
  /** 1-12. */
  month: number;
  /** 0 (Sunday) - 6. */
  weekday: number;
  daysInMonth: number;
}

type Zone = (ms: number) => Moment;

function momentAt(ms: number, local: number): Moment {
  const d = new Date(local);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  return {
    ms,
    offset: local - ms,
    minute: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    day: d.getUTCDate(),
    month: month + 1,
    weekday: d.getUTCDay(),
    daysInMonth: new Date(Date.UTC(year, month + 1, 0)).getUTCDate(),
  };
}

const utcZone: Zone = (ms) => momentAt(ms, ms);
const zones = new Map<string, Zone>();
/** Instants remembered per zone. */
const MOMENT_CACHE = 4096;

/** The zone of a window's `timeZone` (absent or "" is UTC), or what is wrong with it. */
function zoneFor(timeZone: unknown): Zone | string {
  if (timeZone === undefined || timeZone === "" || timeZone === "UTC") return utcZone;
  if (typeof timeZone !== "string") return "must be a string";
  const cached = zones.get(timeZone);
  if (cached) return cached;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  } catch {
    return `unknown time zone "${timeZone}" (use an IANA name such as Europe/Berlin)`;
  }
  // Intl is the slow part (several µs a call) and searches revisit instants: remember recent ones.
  const seen = new Map<number, Moment>();
  const zone: Zone = (ms) => {
    let moment = seen.get(ms);
    if (moment) return moment;
    const f: Record<string, number> = {};
    for (const part of format.formatToParts(ms)) if (part.type !== "literal") f[part.type] = Number(part.value);
    const local = Date.UTC(f.year ?? 1970, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0);
    moment = momentAt(ms, local);
    if (seen.size >= MOMENT_CACHE) seen.clear();
    seen.set(ms, moment);
    return moment;
  };
  if (zones.size > 100) zones.clear();
  zones.set(timeZone, zone);
  return zone;
}

// ---------------------------------------------------------------------------------------------------------
// Searching a schedule

function dayMatches(cron: Cron, m: Moment): boolean {
  const dom = cron.days[m.day] === true;
  const dow = cron.weekdays[m.weekday] === true;
  return cron.eitherDayField ? dom || dow : dom && dow;
}

/** Minutes from `m` to the next instant that may match (0: `m` matches), skipping what cannot. */
function forwardStep(cron: Cron, m: Moment): number {
  const intoDay = m.hour * 60 + m.minute;
  if (!cron.months[m.month]) return (m.daysInMonth - m.day + 1) * DAY_MINUTES - intoDay;
  if (!dayMatches(cron, m)) return DAY_MINUTES - intoDay;
  if (!cron.hours[m.hour]) return 60 - m.minute;
  const next = cron.nextMinute[m.minute] ?? -1;
  return next < 0 ? 60 - m.minute : next - m.minute;
}

/** Minutes from `m` back to the previous instant that may match (0: `m` matches). */
function backwardStep(cron: Cron, m: Moment): number {
  const intoDay = m.hour * 60 + m.minute;
  if (!cron.months[m.month]) return (m.day - 1) * DAY_MINUTES + intoDay + 1;
  if (!dayMatches(cron, m)) return intoDay + 1;
  if (!cron.hours[m.hour]) return m.minute + 1;
  const prev = cron.prevMinute[m.minute] ?? -1;
  return prev < 0 ? m.minute + 1 : m.minute - prev;
}

/** `minutes` away in wall-clock terms; across an offset change, a shorter move (the skipped stretch must not match). */
function move(zone: Zone, from: Moment, minutes: number, dir: 1 | -1): Moment {
  let k = minutes;
  for (;;) {
    const to = zone(from.ms + dir * k * MINUTE_MS);
    if (!(k > 1) || to.offset === from.offset) return to;
    k = Math.max(1, Math.floor(k / 2));
  }
}

const floorMinute = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const ceilMinute = (ms: number): number => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/** The first firing in [from, limit] (dir 1) or the last in [limit, from] (dir -1). */
function seek(cron: Cron, zone: Zone, from: number, limit: number, dir: 1 | -1): number | undefined {
  let m = zone(dir === 1 ? ceilMinute(from) : floorMinute(from));
  for (let i = 0; i < MAX_STEPS; i++) {
    if (dir === 1 ? m.ms > limit : m.ms < limit) return undefined;
    const step = dir === 1 ? forwardStep(cron, m) : backwardStep(cron, m);
    if (step === 0) return m.ms;
    m = move(zone, m, step, dir);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Windows

interface Compiled {
  window: SyncWindow;
  cron: Cron;
  zone: Zone;
  durationMs: number;
}

function durationProblem(duration: unknown): { ms: number } | string {
  if (typeof duration !== "string") return "must be a string";
  let ms: number;
  try {
    ms = parseDuration(duration);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return ms > 0 ? { ms } : `must be positive, not "${duration}"`;
}

function compile(window: SyncWindow, index: number): { compiled?: Compiled; problems: string[] } {
  const at = `syncWindows[${index}]`;
  if (typeof window !== "object" || window === null) return { problems: [`${at}: must be an object`] };
  const problems: string[] = [];
  if (window.kind !== "allow" && window.kind !== "deny")
    problems.push(`${at}.kind: must be allow or deny, not ${JSON.stringify(window.kind ?? null)}`);
  const cron = cachedCron(window.schedule);
  if (typeof cron === "string") problems.push(`${at}.schedule: ${cron}`);
  const duration = durationProblem(window.duration);
  if (typeof duration === "string") problems.push(`${at}.duration: ${duration}`);
  const zone = zoneFor(window.timeZone);
  if (typeof zone === "string") problems.push(`${at}.timeZone: ${zone}`);
  if (typeof cron === "string" || typeof duration === "string" || typeof zone === "string" || problems.length > 0)
    return { problems };
  return { compiled: { window, cron, zone, durationMs: duration.ms }, problems };
}

function anyMatches(patterns: unknown, value: string): boolean {
  return Array.isArray(patterns) && patterns.some((p) => typeof p === "string" && globMatch(p, value));
}

function applies(window: SyncWindow, target: SyncWindowTarget): boolean {
  return (
    anyMatches(window.applications, target.name) ||
    anyMatches(window.namespaces, target.namespace) ||
    anyMatches(window.clusters, target.cluster)
  );
}

/** The latest firing s with t - duration < s <= t: the window is active at t. */
function firingCovering(w: Compiled, t: number): number | undefined {
  return seek(w.cron, w.zone, t, t - w.durationMs + 1, -1);
}

const isActive = (w: Compiled, t: number): boolean => firingCovering(w, t) !== undefined;

/** When the window, active at t, next closes (later firings inside an open stretch extend it); stops past `horizon`. */
function activeEnd(w: Compiled, t: number, horizon: number): number | undefined {
  const first = firingCovering(w, t);
  if (first === undefined) return undefined;
  let end = first + w.durationMs;
  while (end <= horizon) {
    const later = firingCovering(w, end);
    if (later === undefined) break;
    end = later + w.durationMs;
  }
  return end;
}

/** When none of `windows` is active any more, counting from t; undefined when none is active at t. */
function unionEnd(windows: readonly Compiled[], t: number, horizon: number): number | undefined {
  let end: number | undefined;
  for (const w of windows) {
    const e = activeEnd(w, t, horizon);
    if (e !== undefined && (end === undefined || e > end)) end = e;
  }
  let grew = end !== undefined;
  while (grew && end !== undefined && end <= horizon) {
    grew = false;
    for (const w of windows) {
      const e = activeEnd(w, end, horizon);
      if (e !== undefined && e > end) {
        end = e;
        grew = true;
      }
    }
  }
  return end;
}

/** The first firing of any of `windows` at or after t, up to `horizon`. */
function nextStart(windows: readonly Compiled[], t: number, horizon: number): number | undefined {
  let first: number | undefined;
  for (const w of windows) {
    const s = seek(w.cron, w.zone, t, first ?? horizon, 1);
    if (s !== undefined) first = s;
  }
  return first;
}

/** When an automated sync, blocked at `now`, is next allowed. */
function nextAllowed(denies: readonly Compiled[], allows: readonly Compiled[], now: number, horizon: number) {
  let t = now;
  for (let i = 0; i < MAX_STEPS; i++) {
    const denyEnd = unionEnd(denies, t, horizon);
    if (denyEnd !== undefined) t = denyEnd;
    if (t > horizon) return undefined;
    if (allows.length === 0 || allows.some((w) => isActive(w, t))) return t;
    const opens = nextStart(allows, t, horizon);
    if (opens === undefined) return undefined;
    t = opens;
  }
  return undefined;
}

/** When an automated sync, allowed at `now`, is next blocked. */
function nextBlocked(denies: readonly Compiled[], allows: readonly Compiled[], now: number, horizon: number) {
  const denyStarts = nextStart(denies, now, horizon);
  const allowEnds = allows.length > 0 ? unionEnd(allows, now, horizon) : undefined;
  const first = Math.min(denyStarts ?? Number.POSITIVE_INFINITY, allowEnds ?? Number.POSITIVE_INFINITY);
  return first <= horizon ? first : undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const label = (w: SyncWindow): string => `'${w.schedule}' (${w.duration})`;

function denyMessage(active: readonly Compiled[], end: number | undefined, horizon: number): string {
  const names = active.map((w) => label(w.window)).join(", ");
  const until = end === undefined || end > horizon ? `until after ${iso(horizon)}` : `until ${iso(end)}`;
  return `blocked by deny window${active.length > 1 ? "s" : ""} ${names} ${until}`;
}

function allowMessage(allows: readonly Compiled[], now: number, horizon: number): string {
  const opens = nextStart(allows, now, horizon);
  return opens === undefined
    ? `outside every allow window; none opens before ${iso(horizon)}`
    : `outside every allow window; the next opens at ${iso(opens)}`;
}

/** What is wrong with each window (bad cron, bad duration, unknown time zone, kind), as "syncWindows[i].schedule: …" messages; [] when all are fine. */
export function syncWindowProblems(windows: readonly SyncWindow[]): string[] {
  return windows.flatMap((w, i) => compile(w, i).problems);
}

/** The verdict for one Application at `now`. Windows with problems are ignored here (the caller reports them); only an invalid `now` throws. */
export function syncWindowVerdict(
  windows: readonly SyncWindow[],
  target: SyncWindowTarget,
  now: Date,
): SyncWindowVerdict {
  const t = now.getTime();
  if (!Number.isFinite(t)) throw new RangeError("syncWindowVerdict: now is an invalid Date");
  const horizon = t + HORIZON_MS;
  const applicable: Compiled[] = [];
  for (const [i, w] of windows.entries()) {
    const { compiled } = compile(w, i);
    if (compiled && applies(w, target)) applicable.push(compiled);
  }
  const active = applicable.map((w) => isActive(w, t));
  const listed = applicable.map(({ window: w }, i) => ({
    kind: w.kind,
    schedule: w.schedule,
    duration: w.duration,
    active: active[i] === true,
  }));
  if (applicable.length === 0) return { automated: true, manual: true, message: "", windows: listed };

  const denies = applicable.filter((w) => w.window.kind === "deny");
  const allows = applicable.filter((w) => w.window.kind === "allow");
  const activeDenies = applicable.filter((w, i) => w.window.kind === "deny" && active[i]);
  const allowOpen = applicable.some((w, i) => w.window.kind === "allow" && active[i]);
  const outsideAllows = allows.length > 0 && !allowOpen;
  const automated = activeDenies.length === 0 && !outsideAllows;

  let manual = true;
  let message = "";
  if (activeDenies.length > 0) {
    // Argo CD: every active deny window must allow manual syncs.
    manual = activeDenies.every((w) => w.window.manualSync === true);
    message = denyMessage(activeDenies, unionEnd(denies, t, horizon), horizon);
  } else if (outsideAllows) {
    // Argo CD: every (inactive) allow window must allow manual syncs.
    manual = allows.every((w) => w.window.manualSync === true);
    message = allowMessage(allows, t, horizon);
  }
  if (!automated && manual) message += "; manual syncs are allowed";

  const change = automated ? nextBlocked(denies, allows, t, horizon) : nextAllowed(denies, allows, t, horizon);
  const verdict: SyncWindowVerdict = { automated, manual, message, windows: listed };
  if (change !== undefined) verdict.nextChange = iso(ceilMinute(change));
  return verdict;
}
