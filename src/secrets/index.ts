// secrets/: SOPS decryption (age, PGP), and Sealed Secrets (Bitnami-compatible sealing, controller, keys).

export {
  type CertServer,
  type CertServerKeys,
  type CertServerOptions,
  startCertServer,
} from "./sealed/cert-server.js";
export {
  derToPem,
  type GeneratedKey,
  type GenerateKeyOptions,
  generateSealingKey,
  parsePrivateKey,
  sealingPublicKey,
} from "./sealed/certificate.js";
export {
  SealedSecretController,
  type SealedSecretControllerOptions,
  type SealedSecretsLogger,
} from "./sealed/controller.js";
export { sealedSecretCrd } from "./sealed/crd.js";
export {
  CertificateError,
  SealedSecretsError,
  SealedValueError,
  SealInputError,
  SealingKeyError,
  UnsealError,
} from "./sealed/errors.js";
export { hybridDecrypt, hybridEncrypt } from "./sealed/hybrid-crypto.js";
export { createSealingKey, fetchSealingCertificate, type LoadedKeys, loadSealingKeys } from "./sealed/key-store.js";
export {
  DEFAULT_CONTROLLER_NAMESPACE,
  DEFAULT_CONTROLLER_PORT,
  DEFAULT_KEY_RENEW_PERIOD_MS,
  SEALED_SECRET_API_VERSION,
  SEALED_SECRET_GROUP,
  SEALED_SECRET_KIND,
  SEALED_SECRET_PLURAL,
  SEALED_SECRETS_ANNOTATIONS,
  SEALING_KEY_LABEL,
  SEALING_KEY_LABEL_VALUE,
  SEALING_KEY_PREFIX,
  SYNCED_CONDITION,
} from "./sealed/names.js";
export { resealSecret } from "./sealed/reseal.js";
export {
  encryptionLabel,
  isSealingScope,
  SEALING_SCOPES,
  type SealingScope,
  scopeFromAnnotations,
  withScopeAnnotations,
} from "./sealed/scope.js";
export { type SealSecretOptions, type SealValueOptions, sealSecret, sealValue } from "./sealed/seal.js";
export {
  type SealingKey,
  SealingKeyRegistry,
  sealingKeyFromSecret,
  sealingKeySecret,
} from "./sealed/sealing-keys.js";
export {
  ObjectShapeError,
  parseSealedSecret,
  parseSecret,
  type SealedSecret,
  type SealedSecretCondition,
  type SealedSecretSpec,
  type SealedSecretStatus,
  type SealedSecretTemplate,
  type SecretObject,
} from "./sealed/types.js";
export { unsealSecret } from "./sealed/unseal.js";
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
