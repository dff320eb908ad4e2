// The data key: unwrapped from the first key group entry one of the given keys opens (age first, then
// PGP, SOPS's default order), or combined from several key groups' Shamir parts.

import type { PrivateKey } from "openpgp";
import { type AgeIdentity, checkAgeIdentity, openAgeEntry, parseAgeIdentities } from "./age-key.js";
import { SopsFormatError, SopsNoKeyError } from "./errors.js";
import { type KeyGroup, recipientsOf, type SopsMetadata } from "./metadata.js";
import { openPgpEntry, readPgpPrivateKeys } from "./pgp-key.js";
import { combineShamirParts, ShamirError } from "./shamir.js";

/** Keys as bosun is given them: age identities (or whole age key files) and armored PGP private keys. */
export interface SopsKeys {
  /** `AGE-SECRET-KEY-1…` identities, or the text of age key files (comments allowed). */
  age: string[];
  /** Armored PGP private keys without a passphrase (one text may hold several blocks). */
  pgp: string[];
}

/** Keys parsed once, for many files. */
export interface PreparedKeys {
  age: AgeIdentity[];
  pgp: PrivateKey[];
}

const DATA_KEY_BYTES = 32;

export async function prepareKeys(keys: SopsKeys): Promise<PreparedKeys> {
  const age: AgeIdentity[] = [];
  for (const [index, text] of keys.age.entries()) {
    const source = `age key ${index + 1}`;
    for (const identity of parseAgeIdentities(text, source)) age.push(await checkAgeIdentity(identity, source));
  }
  const pgp: PrivateKey[] = [];
  for (const [index, text] of keys.pgp.entries()) pgp.push(...(await readPgpPrivateKeys(text, `PGP key ${index + 1}`)));
  return { age, pgp };
}

export interface UnwrappedKey {
  key: Uint8Array;
  /** The age recipient or PGP fingerprint whose entry opened it (for several groups, each group's). */
  unwrappedBy: string;
}

type GroupResult = { part: Uint8Array; by: string } | { errors: Error[] };

async function openGroup(group: KeyGroup, keys: PreparedKeys): Promise<GroupResult> {
  const errors: Error[] = [];
  for (const entry of group.age) {
    try {
      return { part: await openAgeEntry(entry, keys.age), by: entry.recipient };
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  for (const entry of group.pgp) {
    try {
      return { part: await openPgpEntry(entry, keys.pgp), by: entry.fp };
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
    }
  }
  return { errors };
}

export async function unwrapDataKey(meta: SopsMetadata, keys: PreparedKeys, file: string): Promise<UnwrappedKey> {
  const results: GroupResult[] = [];
  for (const group of meta.keyGroups) results.push(await openGroup(group, keys));
  const opened = results.flatMap((r) => ("part" in r ? [r] : []));
  const noKey = (detail?: string): SopsNoKeyError => {
    const errors = results.flatMap((r) => ("errors" in r ? r.errors : []));
    return new SopsNoKeyError(
      file,
      recipientsOf(meta),
      { age: keys.age.length, pgp: keys.pgp.length },
      { cause: new AggregateError(errors, "the key entries that could not be opened"), detail },
    );
  };
  let key: Uint8Array;
  if (meta.keyGroups.length <= 1) {
    const [first] = opened;
    if (!first) throw noKey();
    key = first.part;
  } else {
    const needed = Math.max(meta.shamirThreshold, 2);
    if (opened.length < needed) {
      throw noKey(
        `the data key is split over ${meta.keyGroups.length} key groups and needs ${needed}; the keys given open ${opened.length}`,
      );
    }
    try {
      key = combineShamirParts(opened.map((o) => o.part));
    } catch (cause) {
      const reason = cause instanceof ShamirError ? cause.message : "they do not combine";
      throw new SopsFormatError(file, `the key groups' Shamir parts do not give a data key: ${reason}`);
    }
  }
  if (key.length !== DATA_KEY_BYTES) {
    throw new SopsFormatError(file, `the unwrapped data key is ${key.length} bytes, not ${DATA_KEY_BYTES}`);
  }
  return { key, unwrappedBy: opened.map((o) => o.by).join(" + ") };
}
