// Times the way Go reads and writes them. SOPS (since 3.10) keeps an unquoted YAML timestamp as a
// time.Time, encrypts it as `type:time` and feeds `MarshalText` (RFC 3339 with nanoseconds, trailing
// zeros dropped) into the MAC; `lastmodified` is re-formatted as RFC 3339 to be the MAC's AAD.

/** A wall-clock time with its UTC offset, as Go's time.Time prints it. */
export interface GoTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0…999 999 999 */
  nanos: number;
  /** Offset from UTC in seconds; 0 prints as "Z". */
  offsetSeconds: number;
}

function pad(n: number, width: number): string {
  return n.toString().padStart(width, "0");
}

function formatOffset(offsetSeconds: number): string {
  if (offsetSeconds === 0) return "Z";
  const sign = offsetSeconds < 0 ? "-" : "+";
  const abs = Math.abs(offsetSeconds);
  return `${sign}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor((abs % 3600) / 60), 2)}`;
}

function formatBase(t: GoTime): string {
  return `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`;
}

/** `t.Format(time.RFC3339Nano)`, which is also `t.MarshalText()`. */
export function formatRfc3339Nano(t: GoTime): string {
  const fraction = t.nanos === 0 ? "" : `.${pad(t.nanos, 9).replace(/0+$/, "")}`;
  return `${formatBase(t)}${fraction}${formatOffset(t.offsetSeconds)}`;
}

/** `t.Format(time.RFC3339)`: no fractional seconds. */
export function formatRfc3339(t: GoTime): string {
  return `${formatBase(t)}${formatOffset(t.offsetSeconds)}`;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Go's parseNanoseconds: at most nine digits count, the rest are dropped. */
function nanosOf(digits: string | undefined): number {
  if (!digits) return 0;
  return Number(digits.slice(0, 9).padEnd(9, "0"));
}

function parseOffset(zone: string | undefined, maxHour: number, maxMinute: number): number | undefined {
  if (zone === undefined || zone === "Z") return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (hours > maxHour || minutes > maxMinute) return undefined;
  const seconds = (hours * 60 + minutes) * 60;
  return zone.startsWith("-") ? -seconds : seconds;
}

function build(fields: Array<string | undefined>, zone: string | undefined, strictZone: boolean): GoTime | undefined {
  const [year, month, day, hour, minute, second] = [0, 1, 2, 3, 4, 5].map((i) => Number(fields[i] ?? "0"));
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return undefined;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetSeconds = strictZone ? parseOffset(zone, 23, 59) : parseOffset(zone, 24, 60);
  if (offsetSeconds === undefined) return undefined;
  return { year, month, day, hour, minute, second, nanos: nanosOf(fields[6]), offsetSeconds };
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** `time.Parse(time.RFC3339, s)` / `UnmarshalText`: fixed-width fields, optional fraction, Z or ±hh:mm. */
export function parseRfc3339(s: string): GoTime | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  return build(m.slice(1, 8), m[8], true);
}

// go-yaml v3's allowedTimestampFormats, in its order: "2006-1-2T15:4:5.999999999Z07:00" (and with a
// lower-case t), "2006-1-2 15:4:5.999999999" (UTC), "2006-1-2" (UTC midnight).
const YAML_DATE_TIME_ZONE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;
const YAML_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?$/;
const YAML_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** go-yaml v3's parseTimestamp: what an unquoted YAML scalar must look like to become a time.Time. */
export function parseYamlTimestamp(s: string): GoTime | undefined {
  const zoned = YAML_DATE_TIME_ZONE.exec(s);
  if (zoned) return build(zoned.slice(1, 8), zoned[8], false);
  const local = YAML_DATE_TIME.exec(s);
  if (local) return build(local.slice(1, 8), undefined, false);
  const date = YAML_DATE.exec(s);
  if (date) return build([date[1], date[2], date[3]], undefined, false);
  return undefined;
}
