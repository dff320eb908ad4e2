// Revisions: which strings bosun accepts, and how one is matched against a repository's refs. Pure.
import semver from "semver";
import { InvalidRevisionError } from "./errors.js";

/** A ref name (`HEAD`, `refs/heads/main`, `refs/tags/v1.2.0`) → the commit-ish it points to, tags peeled. */
export type RefTable = ReadonlyMap<string, string>;

export type RevisionMatch =
  /** A ref of the table matched by name. */
  | { kind: "ref"; ref: string; sha: string }
  /** The highest tag whose version satisfies the revision taken as a semver range. */
  | { kind: "semver"; ref: string; sha: string; version: string }
  /** A full or abbreviated object name to look up in the object database. */
  | { kind: "object"; objectName: string }
  | { kind: "none"; detail: string };

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const SHORT_SHA = /^[0-9a-f]{4,63}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export function isFullSha(value: string): boolean {
  return FULL_SHA.test(value);
}

/** Throws InvalidRevisionError unless the revision is a string bosun will look up. */
export function validateRevision(revision: string): void {
  const reject = (reason: string): never => {
    throw new InvalidRevisionError(revision, reason);
  };
  if (revision.length === 0) reject("empty");
  if (revision.length > 1024) reject("longer than 1024 characters");
  if (CONTROL.test(revision)) reject("contains control characters");
  if (revision.startsWith("-")) reject("starts with '-' and could be read as an option");
  if (revision.trim() !== revision) reject("has leading or trailing white space");
}

/**
 * Match a revision against a ref table, in this order: `HEAD`; a full commit SHA; a full ref name
 * (`refs/...`); a branch; a tag; a semver range over tags (`v` prefix optional, highest match wins);
 * an abbreviated SHA (4+ hex digits). The revision is never handed to git as revision syntax, so
 * `main~1` or `main@{1}` are plain names that do not exist.
 */
export function matchRevision(revision: string, refs: RefTable): RevisionMatch {
  validateRevision(revision);
  if (revision === "HEAD") {
    const sha = refs.get("HEAD");
    return sha === undefined
      ? { kind: "none", detail: "the repository has no HEAD" }
      : { kind: "ref", ref: "HEAD", sha };
  }
  if (FULL_SHA.test(revision)) return { kind: "object", objectName: revision };
  for (const ref of revision.startsWith("refs/") ? [revision] : [`refs/heads/${revision}`, `refs/tags/${revision}`]) {
    const sha = refs.get(ref);
    if (sha !== undefined) return { kind: "ref", ref, sha };
  }
  let semverDetail: string | undefined;
  if (semver.validRange(revision) !== null) {
    const best = highestTagInRange(revision, tagsOf(refs));
    if (best) {
      const ref = `refs/tags/${best.tag}`;
      return { kind: "semver", ref, sha: refs.get(ref) ?? "", version: best.version };
    }
    semverDetail = "no branch or tag has that name and no tag matches it as a semver range";
  }
  if (SHORT_SHA.test(revision)) return { kind: "object", objectName: revision };
  return { kind: "none", detail: semverDetail ?? "no branch, tag or commit has that name" };
}

function tagsOf(refs: RefTable): string[] {
  const tags: string[] = [];
  for (const ref of refs.keys()) if (ref.startsWith("refs/tags/")) tags.push(ref.slice("refs/tags/".length));
  return tags;
}

/** The version a tag names (`v1.2.3` or `1.2.3`), or undefined when it is not strict semver. */
export function tagVersion(tag: string): string | undefined {
  const bare = tag.startsWith("v") || tag.startsWith("V") ? tag.slice(1) : tag;
  const parsed = semver.parse(bare);
  return parsed === null ? undefined : parsed.version;
}

/**
 * The tag with the highest version satisfying `range` (npm semver rules: pre-releases only match a range
 * that names a pre-release of the same version). Ties between `v1.2.3` and `1.2.3` go to the name that
 * sorts first, so the answer never depends on the order of `tags`.
 */
export function highestTagInRange(range: string, tags: Iterable<string>): { tag: string; version: string } | undefined {
  let best: { tag: string; version: string } | undefined;
  for (const tag of tags) {
    const version = tagVersion(tag);
    if (version === undefined || !semver.satisfies(version, range)) continue;
    if (best === undefined) {
      best = { tag, version };
      continue;
    }
    const order = semver.compare(version, best.version);
    if (order > 0 || (order === 0 && tag < best.tag)) best = { tag, version };
  }
  return best;
}
