// The sealing keys in the cluster: Secrets in the controller's namespace, read and created through the API.
import type { KubeObject } from "../../api/index.js";
import type { KubeClient } from "../../cluster/index.js";
import { type GenerateKeyOptions, generateSealingKey } from "./certificate.js";
import { SealingKeyError } from "./errors.js";
import { SEALING_KEY_LABEL, SEALING_KEY_LABEL_VALUE, SEALING_KEY_PREFIX } from "./names.js";
import { compareNewestFirst, type SealingKey, sealingKeyFromSecret, sealingKeySecret } from "./sealing-keys.js";

export interface LoadedKeys {
  keys: SealingKey[];
  /** Key Secrets that could not be used, with why (names and reasons only). */
  invalid: SealingKeyError[];
}

/** The labelled key Secrets of a namespace, plus the legacy one named exactly `sealed-secrets-key`. */
export async function loadSealingKeys(
  client: KubeClient,
  namespace: string,
  signal?: AbortSignal,
): Promise<LoadedKeys> {
  const { items } = await client.list("v1", "Secret", {
    namespace,
    labelSelector: `${SEALING_KEY_LABEL}=${SEALING_KEY_LABEL_VALUE}`,
    signal,
  });
  const secrets: KubeObject[] = [...items];
  if (!secrets.some((s) => s.metadata.name === SEALING_KEY_PREFIX)) {
    const legacy = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name: SEALING_KEY_PREFIX }, signal);
    if (legacy) secrets.push(legacy);
  }
  const keys: SealingKey[] = [];
  const invalid: SealingKeyError[] = [];
  for (const secret of secrets) {
    try {
      keys.push(sealingKeyFromSecret(secret));
    } catch (err) {
      if (!(err instanceof SealingKeyError)) throw err;
      invalid.push(err);
    }
  }
  return { keys: keys.sort(compareNewestFirst), invalid };
}

/** Generates a key and stores it in a new Secret (the server names it `sealed-secrets-key<random>`). */
export async function createSealingKey(
  client: KubeClient,
  namespace: string,
  options: GenerateKeyOptions = {},
): Promise<SealingKey> {
  const generated = await generateSealingKey(options);
  const info = await client.discovery.lookup("v1", "Secret", options.signal);
  if (!info) throw new SealingKeyError("the API server does not serve v1 Secrets");
  const created = await client.create(sealingKeySecret(generated, namespace), { signal: options.signal });
  return sealingKeyFromSecret(created.object);
}

/** The certificate new values are sealed with, read from the key Secrets (needs read access to them). */
export async function fetchSealingCertificate(
  client: KubeClient,
  namespace: string,
  signal?: AbortSignal,
): Promise<string> {
  const { keys, invalid } = await loadSealingKeys(client, namespace, signal);
  const latest = keys[0];
  if (!latest) {
    const why = invalid.length > 0 ? ` (unusable: ${invalid.map((e) => e.message).join("; ")})` : "";
    throw new SealingKeyError(
      `no sealing key Secret in namespace ${namespace}${why}: is the controller running there?`,
    );
  }
  return latest.certificatePem;
}
