// Errors of SOPS decryption. Every message names the file; none carries a plaintext value, a data key,
// an identity or a private key (test/secrets and errors.test.ts grep for them).

/** Base class: something about one SOPS file went wrong. `file` is the name the caller gave (or "<input>"). */
export class SopsError extends Error {
  override readonly name: string = "SopsError";
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${message}`, options);
  }
}

/** The document is not SOPS-encrypted, or it (or its `sops` metadata) is malformed. */
export class SopsFormatError extends SopsError {
  override readonly name: string = "SopsFormatError";
}

/** The document uses something bosun does not implement (Shamir over several key groups, a key type…). */
export class SopsUnsupportedError extends SopsError {
  override readonly name: string = "SopsUnsupportedError";
}

/** The recipients a file's data key was encrypted for, as its metadata lists them (public, never secret). */
export interface SopsRecipients {
  /** age recipients (`age1…`, `age1pq1…`, `ssh-…`). */
  age: string[];
  /** PGP primary-key fingerprints, uppercase hex. */
  pgp: string[];
  /** Key sources bosun does not handle (KMS, Vault, …), as `type: id`. */
  other: string[];
}

/** None of the keys given could unwrap the file's data key. */
export class SopsNoKeyError extends SopsError {
  override readonly name: string = "SopsNoKeyError";
  constructor(
    file: string,
    readonly recipients: SopsRecipients,
    given: { age: number; pgp: number },
    options?: { cause?: unknown; detail?: string | undefined },
  ) {
    const detail = options?.detail ? `; ${options.detail}` : "";
    super(
      file,
      `no usable key to decrypt the SOPS data key: ${describeRecipients(recipients)}; ${describeGiven(given)}${detail}`,
      { cause: options?.cause },
    );
  }
}

/** A value (or the MAC) does not authenticate under the data key: tampered, or encrypted for another path. */
export class SopsDecryptError extends SopsError {
  override readonly name: string = "SopsDecryptError";
}

/** The MAC is missing or does not match the decrypted values: the file was tampered with. */
export class SopsMacError extends SopsError {
  override readonly name: string = "SopsMacError";
}

/** Key material given to bosun (a Secret entry, an identity file) could not be read. Names the entry, never its content. */
export class SopsKeyError extends Error {
  override readonly name: string = "SopsKeyError";
  constructor(
    readonly entry: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${entry}: ${message}`, options);
  }
}

function describeRecipients(r: SopsRecipients): string {
  const parts: string[] = [];
  if (r.age.length > 0) parts.push(`age recipients ${r.age.join(", ")}`);
  if (r.pgp.length > 0) parts.push(`PGP fingerprints ${r.pgp.join(", ")}`);
  if (r.other.length > 0) parts.push(`key sources bosun does not support (${r.other.join(", ")})`);
  return parts.length > 0 ? `the file is encrypted for ${parts.join("; ")}` : "the file lists no recipients";
}

function describeGiven(given: { age: number; pgp: number }): string {
  const identities = `${given.age} age ${given.age === 1 ? "identity" : "identities"}`;
  const pgpKeys = `${given.pgp} PGP private ${given.pgp === 1 ? "key" : "keys"}`;
  return `bosun was given ${identities} and ${pgpKeys}`;
}
