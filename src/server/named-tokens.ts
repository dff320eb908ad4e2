// Named API tokens in the cluster, as `bosun token create|list|delete` manage them: one Secret each in the
// agent's namespace (see named-token-secret.ts). A token's value exists only in what create returns.
import { randomBytes } from "node:crypto";
import { apiErrorOf, type KubeClient } from "../cluster/index.js";
import { hashToken, type Role } from "./auth.js";
import {
  NAMED_TOKEN_SELECTOR,
  type NamedToken,
  namedTokenOf,
  namedTokenSecret,
  namedTokenSecretName,
  projectNameProblem,
  tokenNameProblem,
} from "./named-token-secret.js";

/** A token name or project that cannot be used; the message says why. */
export class InvalidTokenNameError extends Error {
  override readonly name = "InvalidTokenNameError";
}

export class TokenExistsError extends Error {
  override readonly name = "TokenExistsError";
}

export class NoSuchTokenError extends Error {
  override readonly name = "NoSuchTokenError";
}

export interface CreateTokenOptions {
  name: string;
  role: Role;
  /** The only project the token sees and acts on; every project when absent. */
  project?: string;
  /** Replace the token of that name (its old value stops working) instead of failing. */
  rotate?: boolean;
  signal: AbortSignal;
}

/** 32 random bytes, base64url: the token's value. */
const newTokenValue = (): string => randomBytes(32).toString("base64url");

/**
 * Creates (or, with rotate, replaces) a named token in namespace and returns its value: the only time it is
 * seen. The Secret holds its SHA-256.
 */
export async function createNamedToken(
  client: KubeClient,
  namespace: string,
  options: CreateTokenOptions,
): Promise<string> {
  const problem =
    tokenNameProblem(options.name) ?? (options.project === undefined ? undefined : projectNameProblem(options.project));
  if (problem) throw new InvalidTokenNameError(problem);
  const token = newTokenValue();
  const secret = namedTokenSecret(namespace, {
    name: options.name,
    role: options.role,
    sha256: hashToken(token),
    ...(options.project ? { project: options.project } : {}),
    created: new Date().toISOString(),
  });
  try {
    await client.create(secret, { signal: options.signal });
  } catch (err) {
    if (!apiErrorOf(err)?.isConflict) throw err;
    if (!options.rotate)
      throw new TokenExistsError(`a token named ${options.name} exists in ${namespace}; --rotate replaces it`, {
        cause: err,
      });
    // An unconditional replace: whatever the Secret held, it now holds the new token's hash only.
    await client.replace(secret, { signal: options.signal });
  }
  return token;
}

/** The named tokens in namespace, by name (malformed Secrets left out). */
export async function listNamedTokens(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
): Promise<NamedToken[]> {
  const { items } = await client.list("v1", "Secret", { namespace, labelSelector: NAMED_TOKEN_SELECTOR, signal });
  return items
    .map(namedTokenOf)
    .filter((t): t is NamedToken => t !== undefined)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Deletes a named token: it stops working as soon as the server sees the deletion. Only a Secret that is a
 * named token's is deleted; NoSuchTokenError otherwise.
 */
export async function deleteNamedToken(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  const problem = tokenNameProblem(name);
  if (problem) throw new InvalidTokenNameError(problem);
  const secretName = namedTokenSecretName(name);
  const missing = () => new NoSuchTokenError(`no token named ${name} in ${namespace}`);
  const secret = await client.get({ apiVersion: "v1", kind: "Secret", namespace, name: secretName }, signal);
  if (!secret || !namedTokenOf(secret)) throw missing();
  // The uid precondition: a Secret recreated meanwhile under that name is not deleted unseen.
  try {
    const deleted = await client.delete(
      { apiVersion: "v1", kind: "Secret", namespace, name: secretName },
      { uid: secret.metadata.uid, signal },
    );
    if (!deleted) throw missing();
  } catch (err) {
    if (apiErrorOf(err)?.isNotFound) throw missing();
    throw err;
  }
}
