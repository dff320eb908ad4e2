// The controller's sealing keys: parsed from their Secrets (Bitnami's layout: type kubernetes.io/tls,
// `tls.key` PKCS#1 PEM, `tls.crt` PEM, label sealedsecrets.bitnami.com/sealed-secrets-key=active), kept
// in a registry where the newest certificate seals and every key decrypts. Pure.
import { createHash, type KeyObject, X509Certificate } from "node:crypto";
import type { KubeObject } from "../../api/index.js";
import { parsePrivateKey } from "./certificate.js";
import { SealingKeyError } from "./errors.js";
import { SEALING_KEY_LABEL, SEALING_KEY_LABEL_VALUE, SEALING_KEY_PREFIX } from "./names.js";

export interface SealingKey {
  /** The Secret holding it. */
  secretName: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificatePem: string;
  notBefore: Date;
  notAfter: Date;
  /** The Secret's creationTimestamp (tie-breaker). */
  createdAt: string;
  /** SHA-256 of the public key's DER (SPKI), hex: how logs and status name a key. */
  fingerprint: string;
}

function decodeField(secret: KubeObject, field: string): string {
  const data = secret.data as Record<string, unknown> | undefined;
  const value = data?.[field];
  if (typeof value !== "string" || value === "")
    throw new SealingKeyError(`key Secret ${secret.metadata.name ?? "<no name>"} has no data.${field}`);
  return Buffer.from(value, "base64").toString("utf8");
}

/** A sealing key from its Secret; SealingKeyError (naming the Secret, never its contents) when unusable. */
export function sealingKeyFromSecret(secret: KubeObject): SealingKey {
  const secretName = secret.metadata.name ?? "<no name>";
  const privateKey = (() => {
    try {
      return parsePrivateKey(decodeField(secret, "tls.key"));
    } catch (err) {
      if (err instanceof SealingKeyError) throw err;
      throw new SealingKeyError(`key Secret ${secretName}: tls.key is not an RSA private key`);
    }
  })();
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(decodeField(secret, "tls.crt"));
  } catch (err) {
    if (err instanceof SealingKeyError) throw err;
    throw new SealingKeyError(`key Secret ${secretName}: tls.crt is not a certificate`);
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw new SealingKeyError(`key Secret ${secretName}: tls.crt does not belong to tls.key`);
  const spki = certificate.publicKey.export({ type: "spki", format: "der" });
  return {
    secretName,
    privateKey,
    publicKey: certificate.publicKey,
    certificatePem: certificate.toString(),
    notBefore: new Date(certificate.validFrom),
    notAfter: new Date(certificate.validTo),
    createdAt: secret.metadata.creationTimestamp ?? "",
    fingerprint: createHash("sha256").update(spki).digest("hex"),
  };
}

/** The Secret a new key is stored in, as the Bitnami controller writes it (the server picks the name). */
export function sealingKeySecret(
  key: { privateKeyPem: string; certificatePem: string },
  namespace: string,
): KubeObject & { type: string; data: Record<string, string> } {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      generateName: SEALING_KEY_PREFIX,
      namespace,
      labels: { [SEALING_KEY_LABEL]: SEALING_KEY_LABEL_VALUE },
    },
    type: "kubernetes.io/tls",
    data: {
      "tls.crt": Buffer.from(key.certificatePem, "utf8").toString("base64"),
      "tls.key": Buffer.from(key.privateKeyPem, "utf8").toString("base64"),
    },
  };
}

/** Is this Secret one of the controller's key Secrets (labelled active, or the legacy fixed name)? */
export function isSealingKeySecret(secret: KubeObject): boolean {
  return (
    secret.metadata.labels?.[SEALING_KEY_LABEL] === SEALING_KEY_LABEL_VALUE ||
    secret.metadata.name === SEALING_KEY_PREFIX
  );
}

/** Newest first: certificate NotBefore, then the Secret's creation time, then its name. */
export function compareNewestFirst(a: SealingKey, b: SealingKey): number {
  return (
    b.notBefore.getTime() - a.notBefore.getTime() ||
    b.createdAt.localeCompare(a.createdAt) ||
    b.secretName.localeCompare(a.secretName)
  );
}

/** The loaded keys by Secret name. The newest seals; all decrypt. */
export class SealingKeyRegistry {
  private readonly keys = new Map<string, SealingKey>();

  /** Adds or replaces the key held by a Secret; false when that Secret already held this very key. */
  set(key: SealingKey): boolean {
    const existing = this.keys.get(key.secretName);
    this.keys.set(key.secretName, key);
    return existing?.fingerprint !== key.fingerprint;
  }

  delete(secretName: string): boolean {
    return this.keys.delete(secretName);
  }

  get size(): number {
    return this.keys.size;
  }

  /** The key new values are sealed with and whose certificate is served. */
  latest(): SealingKey | undefined {
    return this.all()[0];
  }

  /** Every key, newest first (the order decryption tries them in). */
  all(): SealingKey[] {
    return [...this.keys.values()].sort(compareNewestFirst);
  }

  privateKeys(): KeyObject[] {
    return this.all().map((k) => k.privateKey);
  }
}
