/**
 * A revision as people quote it: a commit SHA's first 7 characters; a chart's `VERSION@sha256:…` as its
 * version and the digest's first 7 hex digits.
 */
export function shortRevision(revision: string): string {
  const at = revision.indexOf("@sha256:");
  return at >= 0 ? `${revision.slice(0, at)}@${revision.slice(at + 8, at + 15)}` : revision.slice(0, 7);
}
