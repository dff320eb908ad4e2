// Who is logged in: the token (kept in sessionStorage, so it goes when the tab closes) and its role.
import type { ApiClient } from "./api-client.js";
import type { WhoAmI } from "./model.js";

export const TOKEN_KEY = "bosun.token";

export interface Session {
  api: ApiClient;
  me: WhoAmI;
}

export const READ_ONLY_HINT = "needs the admin role; this token is read-only";

export function mayAct(session: Session): boolean {
  return session.me.role === "admin";
}
