// Which Applications a push concerns: same repository, and a revision the push may have moved. Pure.
import { type Application, applicationSources } from "../api/index.js";
import type { PushEvent } from "../source/index.js";

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
/** A semver range rather than a tag name: operators, wildcards or spaces. */
const RANGE = /[<>=^~*|\s]|(?:^|\.)[xX](?:\.|$)/;

/**
 * Whether a push may change what `revision` resolves to. Unsure means yes: HEAD (the default branch,
 * which the payload does not name) and semver ranges on any tag push. A pinned commit never moves.
 */
export function revisionMayMove(revision: string | undefined, push: PushEvent): boolean {
  const rev = (revision ?? "").trim();
  if (rev === "" || rev === "HEAD") return true;
  if (FULL_SHA.test(rev)) return false;
  if (push.branch !== undefined && (rev === push.branch || rev === `refs/heads/${push.branch}`)) return true;
  if (push.tag !== undefined && (rev === push.tag || rev === `refs/tags/${push.tag}`)) return true;
  return push.tag !== undefined && RANGE.test(rev);
}

/** Keys (`namespace/name`) of the Applications a push concerns. */
export function appsForPush(
  apps: readonly Application[],
  push: PushEvent,
  sameRepo: (a: string, b: string) => boolean,
): string[] {
  return apps
    .filter((app) =>
      applicationSources(app).some(
        (source) =>
          push.repoUrls.some((url) => sameRepo(source.repoURL, url)) && revisionMayMove(source.revision, push),
      ),
    )
    .map((app) => `${app.metadata.namespace}/${app.metadata.name}`);
}
