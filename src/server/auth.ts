// Bearer-token authentication of API requests: the built-in tokens and named ones, two roles, an optional
// project scope; compared in constant time. Pure.
import { createHash, timingSafeEqual } from "node:crypto";
import { type Application, DEFAULT_PROJECT } from "../api/index.js";

export type Role = "admin" | "readonly";

/** The API's credentials, as stored in the Secret `bosun-api-tokens`. */
export interface ApiTokens {
  admin: string;
  readonly: string;
  /** Shared secret of the git hosts' push webhooks. */
  webhookSecret: string;
}

/** Who made a request: the token's name (recorded in Events and history), its role and its project scope. */
export interface Caller {
  name: string;
  role: Role;
  /** The only project whose Applications the caller sees and acts on; all of them when absent. */
  project?: string;
}

/** A named token as authentication needs it: its hash, never its value. */
export interface TokenEntry {
  name: string;
  role: Role;
  project?: string;
  /** Hex SHA-256 of the token. */
  sha256: string;
}

/** The token of an `Authorization: Bearer <token>` header; undefined for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function sameSecret(a: string, b: string): boolean {
  // Hash both sides so the comparison takes the same time whatever the lengths.
  const x = createHash("sha256").update(a, "utf8").digest();
  const y = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(x, y);
}

/** The hex SHA-256 of a token: all the cluster keeps of a named token, and what a presented one is matched by. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The caller an Authorization header identifies, or undefined (no header, not bearer, unknown token): a
 * built-in token, or a named one matched by its hash. Two named tokens with the same hash identify nobody.
 */
export function authenticate(
  tokens: ApiTokens,
  header: string | undefined,
  named: readonly TokenEntry[] = [],
): Caller | undefined {
  const token = bearerToken(header);
  if (token === undefined || token === "") return undefined;
  // Both comparisons run every time, so timing does not tell which role a near-miss was close to.
  const admin = tokens.admin !== "" && sameSecret(token, tokens.admin);
  const readonly = tokens.readonly !== "" && sameSecret(token, tokens.readonly);
  if (admin) return { name: "admin", role: "admin" };
  if (readonly) return { name: "readonly", role: "readonly" };
  // Every entry is compared, in constant time, whichever matches.
  const digest = Buffer.from(hashToken(token), "utf8");
  const matches = named.filter((entry) => {
    const expected = Buffer.from(entry.sha256, "utf8");
    return expected.length === digest.length && timingSafeEqual(expected, digest);
  });
  const found = matches.length === 1 ? matches[0] : undefined;
  if (!found) return undefined;
  return { name: found.name, role: found.role, ...(found.project ? { project: found.project } : {}) };
}

/** The project an Application belongs to: the one it names, or `default`. */
export function projectOf(app: Pick<Application, "spec">): string {
  return app.spec?.project || DEFAULT_PROJECT;
}

/** Whether the caller may see Applications of a project: a caller without a project sees every project. */
export function seesProject(caller: Caller, project: string): boolean {
  return caller.project === undefined || caller.project === project;
}

/** Whether the caller may see (and, with mayAct, act on) an Application: its project is the caller's scope. */
export function maySee(caller: Caller | undefined, app: Pick<Application, "spec">): boolean {
  return caller !== undefined && seesProject(caller, projectOf(app));
}

/** Whether a caller may change things (sync, refresh, rollback, suspend, resume). */
export function mayAct(caller: Caller): boolean {
  return caller.role === "admin";
}
