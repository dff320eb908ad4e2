// Go's text of a typed value: SOPS's `ToBytes`, what the MAC hashes and what a value encrypts to.

import { formatFloatF, formatGoBool } from "./go-number.js";
import type { GoScalar } from "./tree.js";

const utf8 = new TextEncoder();

/** Bytes SOPS hashes for a value. `null` is never hashed; callers skip it. */
export function goBytes(s: Exclude<GoScalar, { kind: "null" }>): Uint8Array {
  switch (s.kind) {
    case "str":
      return s.raw ?? utf8.encode(s.value);
    case "int":
      return utf8.encode(s.value.toString());
    case "float":
      return utf8.encode(formatFloatF(s.value));
    case "bool":
      return utf8.encode(formatGoBool(s.value));
    case "time":
      return utf8.encode(s.value);
    case "bytes":
      return s.value;
  }
}
