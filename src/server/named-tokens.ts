// Named API tokens: one Secret each in the agent's namespace, holding the token's SHA-256 (never the
// token), its role and optionally the one project it may see and act on. Pure helpers and their I/O.
import { createHash, randomBytes } from "node:crypto";
import { type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import { ApiError, type KubeClient } from "../controller/index.js";
import type { Role, TokenEntry } from "./auth.js";

/** A token's entry as the server reads it: no secret material but the hash. */
export interface NamedToken extends TokenEntry {
  created?: string;
}

export const NAMED_TOKEN_PREFIX = "bosun-token-";
/** The built-in tokens' names: a named token may not take them. */
const RESERVED = new Set(["admin", "readonly"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a token name cannot be used, or undefined. */
export function tokenNameProblem(name: string): string | undefined {
  if (RESERVED.has(name)) return `"${name}" is a built-in token (bosun token --role ${name} prints it)`;
  if (name.length > 63 || !DNS_LABEL.test(name))
    return `"${name}" is not a valid token name: lower-case letters, digits and "-", at most 63 characters`;
  return undefined;
}

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export const newTokenValue = (): string => randomBytes(32).toString("base64url");

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const unb64 = (text: unknown) => (typeof text === "string" ? Buffer.from(text, "base64").toString("utf8") : "");

export function namedTokenSecret(namespace: string, token: Omit<NamedToken, "created">, now: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `${NAMED_TOKEN_PREFIX}${token.name}`,
      namespace,
      labels: { [LABELS.secretType]: SECRET_TYPES.apiToken, "app.kubernetes.io/part-of": "bosun" },
    },
    type: "Opaque",
    data: {
      name: b64(token.name),
      role: b64(token.role),
      sha256: b64(token.sha256),
      created: b64(now),
      ...(token.project ? { project: b64(token.project) } : {}),
    },
  };
}

/** The token a labelled Secret describes; undefined for one that is not well-formed (ignored, never trusted). */
export function namedTokenOf(secret: KubeObject): NamedToken | undefined {
  if (secret.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.apiToken) return undefined;
  const data = (secret.data ?? {}) as Record<string, unknown>;
  const name = unb64(data.name);
  const role = unb64(data.role);
  const sha256 = unb64(data.sha256);
  const project = unb64(data.project);
  const created = unb64(data.created);
  if (secret.metadata.name !== `${NAMED_TOKEN_PREFIX}${name}` || tokenNameProblem(name)) return undefined;
  if ((role !== "admin" && role !== "readonly") || !/^[0-9a-f]{64}$/.test(sha256)) return undefined;
  return { name, role, sha256, ...(project ? { project } : {}), ...(created ? { created } : {}) };
}

export class TokenExistsError extends Error {
  override readonly name = "TokenExistsError";
}

/**
 * Creates (or, with rotate, replaces) a named token and returns its value: the only time it is seen.
 * The Secret holds its hash.
 */
export async function createNamedToken(
  client: KubeClient,
  namespace: string,
  options: { name: string; role: Role; project?: string; rotate?: boolean; signal: AbortSignal },
): Promise<string> {
  const problem = tokenNameProblem(options.name);
  if (problem) throw new Error(problem);
  const token = newTokenValue();
  const secret = namedTokenSecret(
    namespace,
    {
      name: options.name,
      role: options.role,
      sha256: hashToken(token),
      ...(options.project ? { project: options.project } : {}),
    },
    new Date().toISOString(),
  );
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  try {
    await client.rest.request({ method: "POST", path, body: secret, signal: options.signal });
  } catch (err) {
    if (!(err instanceof ApiError && err.isConflict)) throw err;
    if (!options.rotate) throw new TokenExistsError(`token ${options.name} exists; --rotate replaces it`);
    await client.rest.request({
      method: "PUT",
      path: `${path}/${encodeURIComponent(secret.metadata.name ?? "")}`,
      body: secret,
      signal: options.signal,
    });
  }
  return token;
}

export async function listNamedTokens(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
): Promise<NamedToken[]> {
  const { items } = await client.list("v1", "Secret", {
    namespace,
    labelSelector: `${LABELS.secretType}=${SECRET_TYPES.apiToken}`,
    signal,
  });
  return items
    .map(namedTokenOf)
    .filter((t): t is NamedToken => t !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Deletes a named token; false when there was none of that name. */
export async function deleteNamedToken(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<boolean> {
  return await client.delete(
    { apiVersion: "v1", kind: "Secret", namespace, name: `${NAMED_TOKEN_PREFIX}${name}` },
    { signal },
  );
}
