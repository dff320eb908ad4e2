// Bearer-token authentication of API requests: two roles, compared in constant time. Pure.
import { createHash, timingSafeEqual } from "node:crypto";

export type Role = "admin" | "readonly";

/** The API's credentials, as stored in the Secret `bosun-api-tokens`. */
export interface ApiTokens {
  admin: string;
  readonly: string;
  /** Shared secret of the git hosts' push webhooks. */
  webhookSecret: string;
}

/** Who made a request: the token's name (recorded in Events) and its role. */
export interface Caller {
  name: string;
  role: Role;
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

/** The caller an Authorization header identifies, or undefined (no header, not bearer, unknown token). */
export function authenticate(tokens: ApiTokens, header: string | undefined): Caller | undefined {
  const token = bearerToken(header);
  if (token === undefined || token === "") return undefined;
  // Both comparisons run every time, so timing does not tell which role a near-miss was close to.
  const admin = tokens.admin !== "" && sameSecret(token, tokens.admin);
  const readonly = tokens.readonly !== "" && sameSecret(token, tokens.readonly);
  if (admin) return { name: "admin", role: "admin" };
  if (readonly) return { name: "readonly", role: "readonly" };
  return undefined;
}

/** Whether a caller may change things (sync, refresh, rollback, suspend, resume). */
export function mayAct(caller: Caller): boolean {
  return caller.role === "admin";
}
