// secrets/: SOPS decryption (age, PGP). Sealed Secrets will be exported here too.

export type { SopsKeys } from "./sops/data-key.js";
export {
  type DecryptSopsOptions,
  decryptSops,
  isSopsEncrypted,
  type SopsDecryptResult,
  type SopsFormat,
} from "./sops/decrypt.js";
export {
  SopsDecryptError,
  SopsError,
  SopsFormatError,
  SopsKeyError,
  SopsMacError,
  SopsNoKeyError,
  type SopsRecipients,
  SopsUnsupportedError,
} from "./sops/errors.js";
export { hasSopsMetadata, type SopsDocument, type SopsObjectDecryptor, sopsDecryptor } from "./sops/kube-decryptor.js";
export { keysFromSecretData } from "./sops/secret-keys.js";
