// One SOPS value: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<t>]`, AES-256-GCM under the data
// key with AAD = the value's path joined by ':' plus a final ':' (the MAC's AAD is `lastmodified`).

import { createDecipheriv } from "node:crypto";
import { parseGoBool, parseGoDecimalInt, parseGoFloat } from "./go-number.js";
import { formatRfc3339Nano, parseRfc3339 } from "./go-time.js";
import type { GoScalar } from "./tree.js";

// SOPS's own pattern (greedy, as Go's regexp is): ^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]
const ENCRYPTED = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface EncryptedValue {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: string;
}

/** Why a value could not be opened; never carries the value itself. */
export class ValueCipherError extends Error {
  override readonly name: string = "ValueCipherError";
}

export function looksEncrypted(text: string): boolean {
  return ENCRYPTED.test(text);
}

function base64(field: string, text: string): Buffer {
  if (!BASE64.test(text)) throw new ValueCipherError(`the ${field} is not standard base64`);
  return Buffer.from(text, "base64");
}

export function parseEncryptedValue(text: string): EncryptedValue {
  const m = ENCRYPTED.exec(text);
  if (!m) throw new ValueCipherError("the value does not have SOPS's ENC[AES256_GCM,…] form");
  const [, data = "", iv = "", tag = "", type = ""] = m;
  const parsed = { data: base64("data", data), iv: base64("iv", iv), tag: base64("tag", tag), type };
  if (parsed.iv.length === 0) throw new ValueCipherError("the iv is empty");
  if (parsed.tag.length !== 16) throw new ValueCipherError(`the tag is ${parsed.tag.length} bytes, not 16`);
  return parsed;
}

/** Decrypts and authenticates one value; throws ValueCipherError when the tag does not verify. */
export function openValue(value: EncryptedValue, key: Uint8Array, aad: string): Uint8Array {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, value.iv, { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(value.tag);
    return Buffer.concat([decipher.update(value.data), decipher.final()]);
  } catch (cause) {
    throw new ValueCipherError("the value does not authenticate under the data key and its path", { cause });
  }
}

export type OpenedValue =
  | { kind: "value"; value: Exclude<GoScalar, { kind: "null" }> }
  | { kind: "comment"; text: string };

const utf8 = new TextDecoder();

/** The typed value of decrypted bytes, as SOPS's AES cipher returns it (`str`, `int`, `float`, `bool`, `time`, `bytes`, `comment`). */
export function decodeOpened(type: string, bytes: Uint8Array): OpenedValue {
  const text = utf8.decode(bytes);
  switch (type) {
    case "str":
      return { kind: "value", value: { kind: "str", value: text, raw: bytes } };
    case "int": {
      const value = parseGoDecimalInt(text);
      if (value === undefined) throw new ValueCipherError("a value of type int does not hold a 64-bit integer");
      return { kind: "value", value: { kind: "int", value } };
    }
    case "float": {
      const value = parseGoFloat(text);
      if (value === undefined) throw new ValueCipherError("a value of type float does not hold a float");
      return { kind: "value", value: { kind: "float", value } };
    }
    case "bool": {
      const value = parseGoBool(text);
      if (value === undefined) throw new ValueCipherError("a value of type bool does not hold a bool");
      return { kind: "value", value: { kind: "bool", value } };
    }
    case "time": {
      const value = parseRfc3339(text);
      if (value === undefined) throw new ValueCipherError("a value of type time does not hold an RFC 3339 time");
      return { kind: "value", value: { kind: "time", value: formatRfc3339Nano(value) } };
    }
    case "bytes":
      return { kind: "value", value: { kind: "bytes", value: bytes } };
    case "comment":
      return { kind: "comment", text };
    default:
      throw new ValueCipherError(`unknown value type ${JSON.stringify(type.slice(0, 20))}`);
  }
}
