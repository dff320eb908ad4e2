/**
 * A revision as people quote it: a commit SHA's first 7 characters; a chart's `VERSION@sha256:…` as its
 * version and the digest's first 7 hex digits; several sources' revisions (joined by commas) each so.
 */
export function shortRevision(revision: string): string {
  if (revision.includes(",")) return revision.split(",").map(shortRevision).join(",");
  const at = revision.indexOf("@sha256:");
  return at >= 0 ? `${revision.slice(0, at)}@${revision.slice(at + 8, at + 15)}` : revision.slice(0, 7);
}
