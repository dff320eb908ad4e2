// PGP: armored private keys without a passphrase, and opening an `enc` entry (an armored PGP message
// whose literal data is the data key) with them, through the openpgp package. The entry names the
// primary-key fingerprint; the message names the encryption subkey, which openpgp matches itself.

import { decrypt, type PrivateKey, readMessage, readPrivateKey } from "openpgp";
import { SopsKeyError } from "./errors.js";
import type { PgpKeyEntry } from "./metadata.js";

const PRIVATE_BLOCK = /-----BEGIN PGP PRIVATE KEY BLOCK-----[\s\S]*?-----END PGP PRIVATE KEY BLOCK-----/g;

/** Every private key in an armored text (an export may hold several blocks, and public blocks, which are skipped). */
export async function readPgpPrivateKeys(armored: string, source: string): Promise<PrivateKey[]> {
  const blocks = armored.replaceAll("\r\n", "\n").match(PRIVATE_BLOCK) ?? [];
  if (blocks.length === 0) throw new SopsKeyError(source, "holds no armored PGP private key block");
  const keys: PrivateKey[] = [];
  for (const block of blocks) {
    let key: PrivateKey;
    try {
      key = await readPrivateKey({ armoredKey: block });
    } catch {
      throw new SopsKeyError(source, "holds a PGP private key block that cannot be read");
    }
    if (!key.isDecrypted()) {
      throw new SopsKeyError(
        source,
        `PGP key ${key.getFingerprint().toUpperCase()} is protected by a passphrase; bosun needs keys exported without one`,
      );
    }
    keys.push(key);
  }
  return keys;
}

export async function openPgpEntry(entry: PgpKeyEntry, keys: readonly PrivateKey[]): Promise<Uint8Array> {
  if (keys.length === 0) throw new Error(`no PGP private key was given for ${entry.fp}`);
  try {
    const message = await readMessage({ armoredMessage: entry.enc });
    const { data } = await decrypt({ message, decryptionKeys: [...keys], format: "binary" });
    return data;
  } catch (cause) {
    throw new Error(`no PGP key given opens the entry for ${entry.fp}`, { cause });
  }
}
