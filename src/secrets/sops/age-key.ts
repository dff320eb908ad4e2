// age: the identities bosun is given, and opening an `enc` entry (an armored age file whose payload is
// the data key) with them. X25519 (`AGE-SECRET-KEY-1…`) and ML-KEM-768+X25519 hybrid
// (`AGE-SECRET-KEY-PQ-1…`) identities are supported, through the age-encryption package.

import { armor, Decrypter, identityToRecipient } from "age-encryption";
import { SopsKeyError } from "./errors.js";
import type { AgeKeyEntry } from "./metadata.js";

const IDENTITY = /^AGE-SECRET-KEY-(?:PQ-)?1[0-9A-Z]+$/;

/**
 * The identities in an age key file or a single identity: one per line, `#` comments and blank lines
 * skipped. `source` names the input in errors; the text itself never appears in one.
 */
export function parseAgeIdentities(text: string, source: string): string[] {
  const identities: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (!IDENTITY.test(line)) {
      const hint = line.startsWith("AGE-PLUGIN-") ? " (plugin identities are not supported)" : "";
      throw new SopsKeyError(source, `line ${index + 1} is not an age identity (AGE-SECRET-KEY-1…)${hint}`);
    }
    identities.push(line);
  });
  if (identities.length === 0) throw new SopsKeyError(source, "holds no age identity");
  return identities;
}

/** An identity checked by deriving its recipient (public, safe to name). */
export interface AgeIdentity {
  identity: string;
  recipient: string;
}

export async function checkAgeIdentity(identity: string, source: string): Promise<AgeIdentity> {
  try {
    return { identity, recipient: await identityToRecipient(identity) };
  } catch {
    // The library's message could quote the identity; say only which input it was.
    throw new SopsKeyError(source, "is not a valid age identity (bad Bech32 encoding or checksum)");
  }
}

/** Recipient kinds the age-encryption package can open; others (ssh, plugins) need tools bosun does not have. */
function isSupportedAgeRecipient(recipient: string): boolean {
  return /^age1pq1/.test(recipient) || /^age1[02-9ac-hj-np-z]{58}$/.test(recipient);
}

/** The payload of an age `enc` entry, or an error saying why none of the identities opened it. */
export async function openAgeEntry(entry: AgeKeyEntry, identities: readonly AgeIdentity[]): Promise<Uint8Array> {
  if (!isSupportedAgeRecipient(entry.recipient)) {
    throw new Error(`age recipient ${entry.recipient} is of a kind bosun cannot open (only X25519 and ML-KEM hybrid)`);
  }
  if (identities.length === 0) throw new Error(`no age identity was given for ${entry.recipient}`);
  let file: Uint8Array;
  try {
    file = armor.decode(entry.enc.trim());
  } catch (cause) {
    throw new Error(`the age entry for ${entry.recipient} is not an armored age file`, { cause });
  }
  const decrypter = new Decrypter();
  for (const { identity } of identities) decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(file);
  } catch (cause) {
    throw new Error(`no age identity given opens the entry for ${entry.recipient}`, { cause });
  }
}
