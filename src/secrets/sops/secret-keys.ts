// Keys from a Kubernetes Secret, named as Flux names them: every `*.agekey` entry holds age identities
// (a key file, comments allowed), every `*.asc` entry an armored PGP private key. Other entries are ignored.

import { parseAgeIdentities } from "./age-key.js";
import type { SopsKeys } from "./data-key.js";
import { SopsKeyError } from "./errors.js";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeEntry(name: string, value: string): string {
  const compact = value.replace(/\s+/g, "");
  if (!BASE64.test(compact)) throw new SopsKeyError(name, "the Secret entry is not base64");
  return Buffer.from(compact, "base64").toString("utf8");
}

/** The SOPS keys in a Secret's `data` (base64 values). Errors name the entry, never its content. */
export function keysFromSecretData(data: Record<string, string>): SopsKeys {
  const keys: SopsKeys = { age: [], pgp: [] };
  for (const name of Object.keys(data).sort()) {
    const value = data[name] ?? "";
    if (name.endsWith(".agekey")) keys.age.push(...parseAgeIdentities(decodeEntry(name, value), name));
    else if (name.endsWith(".asc")) keys.pgp.push(decodeEntry(name, value));
  }
  return keys;
}
