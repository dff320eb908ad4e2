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

/**
 * The version a chart's version or an OCI tag names (`v1.2.3` or `1.2.3`), build metadata kept as helm keeps
 * it; undefined when it is not strict semver.
 */
export function versionOf(text: string): string | undefined {
  const parsed = semver.parse(text.startsWith("v") ? text.slice(1) : text);
  if (parsed === null) return undefined;
  return parsed.build.length > 0 ? `${parsed.version}+${parsed.build.join(".")}` : parsed.version;
}

/** A Git tag's version may also be written `V1.2.3`. */
const gitTag = (tag: string): string => (tag.startsWith("V") ? tag.slice(1) : tag);

/** The version a Git tag names (`v1.2.3`, `V1.2.3` or `1.2.3`), without build metadata; undefined when not semver. */
export function tagVersion(tag: string): string | undefined {
  const version = versionOf(gitTag(tag));
  return version === undefined ? undefined : version.replace(/\+.*$/, "");
}

/**
 * The highest version satisfying `range`, with the string it is listed under (`v1.2.3` stays `v1.2.3`, an OCI
 * tag `1.2.3_build` stays as it is). npm semver rules: pre-releases only match a range that names a
 * pre-release of the same version, as helm does. Ties between `v1.2.3` and `1.2.3` go to the string that sorts
 * first, so the answer never depends on the order of `listed`.
 */
export function highestVersion(
  range: string,
  listed: Iterable<string>,
  normalise: (listed: string) => string = (s) => s,
): { listed: string; version: string } | undefined {
  let best: { listed: string; version: string } | undefined;
  for (const entry of listed) {
    const version = versionOf(normalise(entry));
    if (version === undefined || !semver.satisfies(version, range)) continue;
    const order = best === undefined ? 1 : semver.compare(version, best.version);
    if (order > 0 || (order === 0 && best !== undefined && entry < best.listed)) best = { listed: entry, version };
  }
  return best;
}

/** The Git tag with the highest version satisfying `range` (see highestVersion). */
export function highestTagInRange(range: string, tags: Iterable<string>): { tag: string; version: string } | undefined {
  const best = highestVersion(range, tags, gitTag);
  return best && { tag: best.listed, version: tagVersion(best.listed) as string };
}
