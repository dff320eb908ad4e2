// A named API token at rest: one Secret in the agent's namespace holding the token's SHA-256 (never the
// token), its role, optionally the one project it may see and act on, and when it was made. Pure.
import { type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import type { TokenEntry } from "./auth.js";

/** A named token as `bosun token list` shows it: no secret material but the hash (which it does not show). */
export interface NamedToken extends TokenEntry {
  /** RFC 3339 time the token (its current value) was made. */
  created?: string;
}

export const NAMED_TOKEN_PREFIX = "bosun-token-";
/** Data keys of a named token's Secret: a contract with users' clusters. */
export const NAMED_TOKEN_KEYS = {
  name: "name",
  role: "role",
  project: "project",
  sha256: "sha256",
  created: "created",
} as const;
/** The label selector of every named token's Secret. */
export const NAMED_TOKEN_SELECTOR = `${LABELS.secretType}=${SECRET_TYPES.apiToken}`;

/** The built-in tokens' names: a named token may not take them (Events and history would not tell them apart). */
const RESERVED = new Set(["admin", "readonly"]);
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Why a token name cannot be used (a DNS-1123 label that is not a built-in's), or undefined. */
export function tokenNameProblem(name: string): string | undefined {
  if (RESERVED.has(name)) return `"${name}" is a built-in token's name (bosun token --role ${name} prints that one)`;
  // The Secret's name is the prefix and the token's name: it has to fit in 253 characters, the label in 63.
  if (name.length > 63 || !DNS_LABEL.test(name))
    return `"${name}" is not a valid token name: a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`;
  return undefined;
}

/** Why a project name cannot be a token's scope (Projects are named like any Kubernetes object), or undefined. */
export function projectNameProblem(project: string): string | undefined {
  const labels = project.split(".");
  if (project.length > 253 || labels.some((l) => !DNS_LABEL.test(l)))
    return `"${project}" is not a valid project name: a DNS-1123 subdomain (lower-case letters, digits, "-" and ".")`;
  return undefined;
}

export function namedTokenSecretName(name: string): string {
  return `${NAMED_TOKEN_PREFIX}${name}`;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const unb64 = (value: unknown) => (typeof value === "string" ? Buffer.from(value, "base64").toString("utf8") : "");

/** The Secret that stores a named token: its hash, role, project and creation time, labelled for the server's watch. */
export function namedTokenSecret(namespace: string, token: NamedToken): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: namedTokenSecretName(token.name),
      namespace,
      labels: { [LABELS.secretType]: SECRET_TYPES.apiToken, "app.kubernetes.io/part-of": "bosun" },
    },
    type: "Opaque",
    data: {
      [NAMED_TOKEN_KEYS.name]: b64(token.name),
      [NAMED_TOKEN_KEYS.role]: b64(token.role),
      [NAMED_TOKEN_KEYS.sha256]: b64(token.sha256),
      ...(token.project ? { [NAMED_TOKEN_KEYS.project]: b64(token.project) } : {}),
      ...(token.created ? { [NAMED_TOKEN_KEYS.created]: b64(token.created) } : {}),
    },
  };
}

/**
 * The token a Secret describes; undefined for one that is not a well-formed named token's (unlabelled, named
 * unlike its data, a reserved or invalid name, an unknown role, a hash that is not one): ignored, never trusted.
 */
export function namedTokenOf(secret: KubeObject): NamedToken | undefined {
  if (secret.metadata.labels?.[LABELS.secretType] !== SECRET_TYPES.apiToken) return undefined;
  const data = (typeof secret.data === "object" && secret.data !== null ? secret.data : {}) as Record<string, unknown>;
  const name = unb64(data[NAMED_TOKEN_KEYS.name]);
  const role = unb64(data[NAMED_TOKEN_KEYS.role]);
  const sha256 = unb64(data[NAMED_TOKEN_KEYS.sha256]);
  const project = unb64(data[NAMED_TOKEN_KEYS.project]);
  const created = unb64(data[NAMED_TOKEN_KEYS.created]);
  if (tokenNameProblem(name) || secret.metadata.name !== namedTokenSecretName(name)) return undefined;
  if ((role !== "admin" && role !== "readonly") || !SHA256_HEX.test(sha256)) return undefined;
  if (project && projectNameProblem(project)) return undefined;
  return { name, role, sha256, ...(project ? { project } : {}), ...(created ? { created } : {}) };
}
