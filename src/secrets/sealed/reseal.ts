// Re-sealing (Bitnami's /v1/rotate, kubeseal --re-encrypt): every item opened with any key and sealed again,
// for the same scope, with the newest key. Pure apart from the random session keys.
import type { KeyObject } from "node:crypto";
import { refOf } from "../../api/index.js";
import { UnsealError } from "./errors.js";
import { hybridEncrypt } from "./hybrid-crypto.js";
import { encryptionLabel, scopeFromAnnotations } from "./scope.js";
import type { SealedSecret } from "./types.js";
import { unsealSecret } from "./unseal.js";

export function resealSecret(
  sealed: SealedSecret,
  privateKeys: readonly KeyObject[],
  publicKey: KeyObject,
): SealedSecret {
  if (sealed.spec.data && Object.keys(sealed.spec.encryptedData).length === 0)
    throw new UnsealError(refOf(sealed), "re-sealing the deprecated spec.data is not supported; seal the Secret again");
  const opened = unsealSecret(sealed, privateKeys);
  const label = encryptionLabel(
    scopeFromAnnotations(sealed.metadata.annotations),
    sealed.metadata.namespace ?? "",
    sealed.metadata.name ?? "",
  );
  const encryptedData: Record<string, string> = {};
  for (const [key, value] of Object.entries(opened.data ?? {})) {
    const plain = Buffer.from(value, "base64");
    encryptedData[key] = hybridEncrypt(publicKey, plain, label).toString("base64");
    plain.fill(0);
  }
  const { status: _status, ...rest } = sealed;
  return { ...rest, spec: { ...sealed.spec, encryptedData } };
}
