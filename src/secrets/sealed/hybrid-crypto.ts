// Bitnami's hybrid encryption of one value, byte for byte (pkg/crypto HybridEncrypt/HybridDecrypt):
//   uint16 big-endian len(rsaCT) || rsaCT || AES-256-GCM(sessionKey, nonce = 12 zero bytes).Seal(plaintext)
// where rsaCT = RSA-OAEP(SHA-256, MGF1-SHA-256, label)(sessionKey) and the session key is 32 random bytes,
// used once (which is what makes the fixed nonce safe). Pure apart from the random session key.
import {
  constants,
  createCipheriv,
  createDecipheriv,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { SealedValueError } from "./errors.js";

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** Seals `plaintext` for the holder of `publicKey`'s private half, bound to `label`. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Uint8Array, label: Uint8Array): Buffer {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const wrapped = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label },
    sessionKey,
  );
  const cipher = createCipheriv("aes-256-gcm", sessionKey, GCM_NONCE);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(wrapped.length);
  sessionKey.fill(0);
  return Buffer.concat([length, wrapped, body]);
}

/**
 * Opens a sealed value with the first of `privateKeys` that passes both the RSA-OAEP and the GCM step.
 * Throws SealedValueError saying which step failed (never with key or value material).
 */
export function hybridDecrypt(privateKeys: readonly KeyObject[], sealed: Uint8Array, label: Uint8Array): Buffer {
  const input = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  if (input.length < 2) throw new SealedValueError("the sealed value is truncated (shorter than its 2-byte header)");
  const wrappedLength = input.readUInt16BE(0);
  if (input.length < 2 + wrappedLength + GCM_TAG_BYTES)
    throw new SealedValueError(
      `the sealed value is truncated (${input.length} bytes; its header announces a ${wrappedLength}-byte session key and a ${GCM_TAG_BYTES}-byte tag must follow)`,
    );
  if (privateKeys.length === 0) throw new SealedValueError("no sealing key is loaded");
  const wrapped = input.subarray(2, 2 + wrappedLength);
  const body = input.subarray(2 + wrappedLength);
  let sessionKeyOpened = false;
  for (const key of privateKeys) {
    let sessionKey: Buffer;
    try {
      sessionKey = privateDecrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: label },
        wrapped,
      );
    } catch {
      continue;
    }
    if (sessionKey.length !== SESSION_KEY_BYTES) continue;
    sessionKeyOpened = true;
    try {
      const decipher = createDecipheriv("aes-256-gcm", sessionKey, GCM_NONCE);
      decipher.setAuthTag(body.subarray(body.length - GCM_TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - GCM_TAG_BYTES)), decipher.final()]);
    } catch {
      // another key may hold a session key that authenticates; keep trying
    } finally {
      sessionKey.fill(0);
    }
  }
  throw new SealedValueError(
    sessionKeyOpened
      ? "the session key opened but the data failed authentication: the ciphertext was truncated or altered"
      : `no key could decrypt it (tried ${privateKeys.length} key${privateKeys.length === 1 ? "" : "s"}): it was sealed for another namespace, name or scope, or with a key this controller does not hold`,
  );
}
