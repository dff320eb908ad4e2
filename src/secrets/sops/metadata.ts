// The `sops` block of an encrypted document: who can unwrap the data key, which values are encrypted,
// and the MAC. Read from plain values (YAML and dotenv give every scalar as a string, JSON gives
// numbers and booleans), the way SOPS's loose decoding reads them.

import { SopsFormatError, type SopsRecipients, SopsUnsupportedError } from "./errors.js";
import { parseGoBool } from "./go-number.js";
import { formatRfc3339, parseRfc3339 } from "./go-time.js";

export interface AgeKeyEntry {
  recipient: string;
  /** Armored age file whose payload is the data key (or a Shamir part). */
  enc: string;
}

export interface PgpKeyEntry {
  /** Primary-key fingerprint, uppercase hex. */
  fp: string;
  /** Armored PGP message whose literal data is the data key (or a Shamir part). */
  enc: string;
}

export interface KeyGroup {
  age: AgeKeyEntry[];
  pgp: PgpKeyEntry[];
  /** Key sources bosun does not handle, as `type: id`. */
  other: string[];
}

/** Which leaves are encrypted. At most one rule is set; with none, SOPS uses `unencrypted_suffix: _unencrypted`. */
export type SelectionRule =
  | { kind: "unencrypted_suffix"; suffix: string }
  | { kind: "encrypted_suffix"; suffix: string }
  | { kind: "unencrypted_regex"; regex: RegExp }
  | { kind: "encrypted_regex"; regex: RegExp }
  | { kind: "unencrypted_comment_regex"; regex: RegExp }
  | { kind: "encrypted_comment_regex"; regex: RegExp };

export interface SopsMetadata {
  keyGroups: KeyGroup[];
  shamirThreshold: number;
  /** AAD of the MAC: `lastmodified` parsed and written again as RFC 3339 (no fractional seconds). */
  macAad: string;
  /** The encrypted MAC, or undefined when the file has none (which is refused). */
  mac: string | undefined;
  macOnlyEncrypted: boolean;
  rule: SelectionRule;
  version: string;
}

export const DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

/** Keys only a SOPS metadata block has; a `sops` map with any of them is treated as one. */
const METADATA_KEYS = [
  "mac",
  "lastmodified",
  "version",
  "age",
  "pgp",
  "key_groups",
  "kms",
  "gcp_kms",
  "azure_kv",
  "hc_vault",
];

/** Whether a value is shaped like a `sops` block, so a document carrying it must be decrypted, never passed through. */
export function looksLikeSopsMetadata(value: unknown): boolean {
  return isRecord(value) && METADATA_KEYS.some((k) => k in value);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return undefined;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

const OTHER_SOURCES: Record<string, string[]> = {
  kms: ["arn"],
  gcp_kms: ["resource_id"],
  azure_kv: ["vault_url", "name"],
  hc_vault: ["vault_address", "engine_path", "key_name"],
  hckms: ["key_id"],
};

function parseGroup(raw: Record<string, unknown>, file: string): KeyGroup {
  const age = list(raw.age).map((entry) => {
    const recipient = isRecord(entry) ? text(entry.recipient) : undefined;
    const enc = isRecord(entry) ? text(entry.enc) : undefined;
    if (recipient === undefined || enc === undefined) {
      throw new SopsFormatError(file, "an age entry of the sops metadata lacks recipient or enc");
    }
    return { recipient: recipient.trim(), enc };
  });
  const pgp = list(raw.pgp).map((entry) => {
    const fp = isRecord(entry) ? text(entry.fp) : undefined;
    const enc = isRecord(entry) ? text(entry.enc) : undefined;
    if (fp === undefined || enc === undefined) {
      throw new SopsFormatError(file, "a pgp entry of the sops metadata lacks fp or enc");
    }
    return { fp: fp.replace(/\s+/g, "").toUpperCase(), enc };
  });
  const other: string[] = [];
  for (const [source, idFields] of Object.entries(OTHER_SOURCES)) {
    for (const entry of list(raw[source])) {
      const id = isRecord(entry) ? idFields.map((f) => text(entry[f]) ?? "").join("/") : "";
      other.push(`${source}: ${id}`);
    }
  }
  return { age, pgp, other };
}

/** Go's regexp (RE2) pattern as a JavaScript RegExp; leading `(?i)`-style flags become RegExp flags. */
export function re2ToRegExp(pattern: string, field: string, file: string): RegExp {
  let source = pattern;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(source);
  if (lead) {
    if (lead[1]?.includes("U"))
      throw new SopsUnsupportedError(file, `${field} uses the (?U) flag, which bosun does not support`);
    flags = [...new Set(lead[1] ?? "")].join("");
    source = source.slice(lead[0].length);
  }
  source = source.replaceAll("(?P<", "(?<");
  try {
    return new RegExp(source, flags);
  } catch (cause) {
    throw new SopsUnsupportedError(
      file,
      `${field} ${JSON.stringify(pattern)} is not a regular expression bosun can run`,
      {
        cause,
      },
    );
  }
}

function parseRule(raw: Record<string, unknown>, file: string): SelectionRule {
  const rules: SelectionRule[] = [];
  const suffix = (name: "unencrypted_suffix" | "encrypted_suffix"): void => {
    const value = text(raw[name]);
    if (value) rules.push({ kind: name, suffix: value });
  };
  const regex = (
    name: "unencrypted_regex" | "encrypted_regex" | "unencrypted_comment_regex" | "encrypted_comment_regex",
  ): void => {
    const value = text(raw[name]);
    if (value) rules.push({ kind: name, regex: re2ToRegExp(value, name, file) });
  };
  suffix("unencrypted_suffix");
  suffix("encrypted_suffix");
  regex("unencrypted_regex");
  regex("encrypted_regex");
  regex("unencrypted_comment_regex");
  regex("encrypted_comment_regex");
  if (rules.length > 1) {
    throw new SopsFormatError(
      file,
      "the sops metadata sets more than one of encrypted_suffix, unencrypted_suffix, encrypted_regex, unencrypted_regex, encrypted_comment_regex, unencrypted_comment_regex",
    );
  }
  return rules[0] ?? { kind: "unencrypted_suffix", suffix: DEFAULT_UNENCRYPTED_SUFFIX };
}

function parseThreshold(raw: unknown, groups: number, file: string): number {
  const value = text(raw);
  if (value === undefined || value === "" || value === "0") return groups;
  if (!/^\d+$/.test(value)) throw new SopsFormatError(file, "shamir_threshold is not a number");
  return Number(value);
}

/** Reads the `sops` block (as plain values) into metadata; refuses a block it cannot trust. */
export function parseMetadata(raw: unknown, file: string): SopsMetadata {
  if (!isRecord(raw)) throw new SopsFormatError(file, "the sops metadata is not a map");
  const keyGroups = Array.isArray(raw.key_groups)
    ? raw.key_groups.map((g) => {
        if (!isRecord(g)) throw new SopsFormatError(file, "a key group of the sops metadata is not a map");
        return parseGroup(g, file);
      })
    : [parseGroup(raw, file)];
  const lastModified = text(raw.lastmodified);
  if (lastModified === undefined) throw new SopsFormatError(file, "the sops metadata has no lastmodified");
  const parsedTime = parseRfc3339(lastModified.trim());
  if (parsedTime === undefined)
    throw new SopsFormatError(file, "the sops metadata's lastmodified is not an RFC 3339 time");
  const macOnly = text(raw.mac_only_encrypted);
  const mac = text(raw.mac);
  return {
    keyGroups,
    shamirThreshold: parseThreshold(raw.shamir_threshold, keyGroups.length, file),
    macAad: formatRfc3339(parsedTime),
    mac: mac === "" ? undefined : mac,
    macOnlyEncrypted: macOnly !== undefined && parseGoBool(macOnly) === true,
    rule: parseRule(raw, file),
    version: text(raw.version) ?? "",
  };
}

/** Every recipient of every key group, for an error that says who the file was encrypted for. */
export function recipientsOf(meta: SopsMetadata): SopsRecipients {
  return {
    age: meta.keyGroups.flatMap((g) => g.age.map((a) => a.recipient)),
    pgp: meta.keyGroups.flatMap((g) => g.pgp.map((p) => p.fp)),
    other: meta.keyGroups.flatMap((g) => g.other),
  };
}

/**
 * The dotenv store flattens the metadata into `sops_`-prefixed keys: a map level is `__map_<key>`, a
 * list index `__list_<i>` (`sops_age__list_0__map_enc`). This builds the nested block back.
 */
export function unflattenMetadata(entries: Array<[string, string]>, prefix = "sops_"): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [flatKey, value] of entries) {
    if (!flatKey.startsWith(prefix)) continue;
    const [first = "", ...rest] = flatKey.slice(prefix.length).split("__");
    const steps: Array<string | number> = [first];
    for (const token of rest) {
      if (token.startsWith("list_")) steps.push(Number(token.slice(5)));
      else if (token.startsWith("map_")) steps.push(token.slice(4));
      else steps.push(token);
    }
    setPath(root, steps, value);
  }
  return root;
}

function setPath(root: Record<string, unknown>, steps: Array<string | number>, value: string): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string | number;
    const last = i === steps.length - 1;
    const nextIsIndex = typeof steps[i + 1] === "number";
    const container: Record<string | number, unknown> = node as unknown as Record<string | number, unknown>;
    if (last) {
      container[step] = value;
      return;
    }
    const existing = container[step];
    const child = typeof existing === "object" && existing !== null ? existing : nextIsIndex ? [] : {};
    container[step] = child;
    node = child as Record<string, unknown> | unknown[];
  }
}
