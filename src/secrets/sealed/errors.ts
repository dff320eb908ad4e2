// Errors of Sealed Secrets. No message carries a plaintext value, a session key or a private key: they name
// objects, item keys (the names under `data`) and scopes only.
import { describeRef, type ObjectRef } from "../../api/index.js";

/** Base class of every Sealed Secrets error. */
export class SealedSecretsError extends Error {
  override readonly name: string = "SealedSecretsError";
}

/** One sealed value cannot be opened: truncated, altered, sealed for another scope, or with an unknown key. */
export class SealedValueError extends SealedSecretsError {
  override readonly name: string = "SealedValueError";
}

/** A SealedSecret cannot be unsealed into its Secret; names the object. */
export class UnsealError extends SealedSecretsError {
  override readonly name: string = "UnsealError";
  constructor(
    readonly ref: ObjectRef,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${describeRef(ref)}: ${message}`, options);
  }
}

/** The input to sealing is not a Secret bosun can seal (wrong kind, no name, no namespace, no data). */
export class SealInputError extends SealedSecretsError {
  override readonly name: string = "SealInputError";
}

/** A certificate or public key to seal with could not be read or parsed. */
export class CertificateError extends SealedSecretsError {
  override readonly name: string = "CertificateError";
}

/** A key Secret in the controller's namespace is not a usable sealing key. */
export class SealingKeyError extends SealedSecretsError {
  override readonly name: string = "SealingKeyError";
}
