// What every format (YAML, JSON, dotenv, binary, an already-parsed object) gives the decryption: the
// documents as trees without their `sops` block, that block as plain values, and a way to write the
// decrypted trees back out.

import type { TreeMap } from "./tree.js";

export interface ParsedSopsFile {
  /** The documents in order, each without its top-level `sops` key; the walk decrypts them in place. */
  documents: TreeMap[];
  /** The first document's `sops` block as plain values, or undefined when there is none. */
  metadata: unknown;
  /** The plaintext of the (by then decrypted) documents. */
  emit(): string | Uint8Array;
}
