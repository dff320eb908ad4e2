// SOPS binary files: a JSON envelope `{"data": "ENC[…]", "sops": {…}}` whose one value (AAD `data:`)
// is the whole file. The plaintext is that value's bytes, exactly as decrypted (they need not be UTF-8).

import { SopsFormatError } from "./errors.js";
import { goBytes } from "./go-value.js";
import { parseJsonTree, splitJsonMetadata } from "./json-store.js";
import type { ParsedSopsFile } from "./store.js";

export function parseBinaryFile(content: string, file: string): ParsedSopsFile {
  const { document, metadata } = splitJsonMetadata(parseJsonTree(content, file));
  return {
    documents: [document],
    metadata,
    emit(): Uint8Array {
      for (const entry of document.entries) {
        if (entry.kind !== "pair" || entry.key !== "data") continue;
        if (entry.value.kind !== "leaf" || entry.value.value.kind === "null") break;
        return new Uint8Array(goBytes(entry.value.value));
      }
      throw new SopsFormatError(file, 'the binary envelope has no "data" value');
    },
  };
}
