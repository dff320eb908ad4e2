// The API tokens and the webhook secret: generated at first start, kept in a Secret, read at every start.
import { randomBytes } from "node:crypto";
import { apiErrorOf, type KubeClient } from "../cluster/index.js";
import type { ApiTokens } from "./auth.js";

export const API_TOKENS_SECRET = "bosun-api-tokens";

/** Keys of the Secret. They are a contract with users' clusters (`bosun token` and webhooks read them). */
export const TOKEN_KEYS = { admin: "admin", readonly: "readonly", webhookSecret: "webhook-secret" } as const;

interface SecretBody {
  metadata: { resourceVersion?: string };
  data?: Record<string, string>;
}

const newToken = () => randomBytes(32).toString("base64url");
const decode = (value: string | undefined) => (value ? Buffer.from(value, "base64").toString("utf8") : "");
const secretAddress = (namespace: string) => ({ apiVersion: "v1", kind: "Secret", namespace, name: API_TOKENS_SECRET });

async function readSecret(client: KubeClient, namespace: string, signal: AbortSignal): Promise<SecretBody | undefined> {
  return (await client.get(secretAddress(namespace), signal)) as SecretBody | undefined;
}

function tokensOf(secret: SecretBody | undefined): ApiTokens {
  const data = secret?.data ?? {};
  return {
    admin: decode(data[TOKEN_KEYS.admin]),
    readonly: decode(data[TOKEN_KEYS.readonly]),
    webhookSecret: decode(data[TOKEN_KEYS.webhookSecret]),
  };
}

/** The entries a Secret lacks, freshly generated and base64-encoded; empty when it has them all. */
function missingData(tokens: ApiTokens): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [field, key] of Object.entries(TOKEN_KEYS) as Array<[keyof ApiTokens, string]>)
    if (tokens[field] === "") data[key] = Buffer.from(newToken(), "utf8").toString("base64");
  return data;
}

/**
 * Reads the tokens from the Secret `bosun-api-tokens` in namespace, creating the Secret (or the
 * entries it lacks) first. Safe when several replicas start at once: a lost create race rereads.
 */
export async function ensureApiTokens(client: KubeClient, namespace: string, signal: AbortSignal): Promise<ApiTokens> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const secret = await readSecret(client, namespace, signal);
    const tokens = tokensOf(secret);
    const data = missingData(tokens);
    if (Object.keys(data).length === 0) return tokens;
    try {
      if (secret) await patchSecret(client, namespace, secret, data, signal);
      else await createSecret(client, namespace, data, signal);
    } catch (err) {
      if (apiErrorOf(err)?.isConflict) continue;
      throw err;
    }
  }
  throw new Error(`could not create the Secret ${namespace}/${API_TOKENS_SECRET}: it kept changing`);
}

async function createSecret(
  client: KubeClient,
  namespace: string,
  data: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  await client.create(
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: API_TOKENS_SECRET, namespace, labels: { "app.kubernetes.io/part-of": "bosun" } },
      type: "Opaque",
      data,
    },
    { signal },
  );
}

async function patchSecret(
  client: KubeClient,
  namespace: string,
  secret: SecretBody,
  data: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  // The resourceVersion makes a concurrent writer's change a conflict instead of a silent overwrite.
  await client.mergePatch(
    secretAddress(namespace),
    { metadata: { resourceVersion: secret.metadata.resourceVersion }, data },
    { signal },
  );
}
