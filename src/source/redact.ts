// Redaction of credentials from text that may reach an error message or a log.
import { redactUrl } from "./repo-url.js";

export const REDACTED = "***";

/** Strip user information from URLs, then replace every occurrence of every secret (longest first). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = redactUrl(text);
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  for (const secret of ordered) out = out.split(secret).join(REDACTED);
  return out;
}
