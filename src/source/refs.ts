// Parsing git's ref listings and comparing a remote's refs with a mirror's. Pure.
/** What a repository's HEAD is: a branch (symbolic), a detached commit, or nothing. */
export type HeadState = { kind: "symbolic"; target: string } | { kind: "detached"; sha: string } | { kind: "none" };

/** Branches and tags (unpeeled object names) and HEAD. */
export interface RefState {
  refs: ReadonlyMap<string, string>;
  head: HeadState;
}

const OBJECT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

function isTracked(ref: string): boolean {
  return (ref.startsWith("refs/heads/") || ref.startsWith("refs/tags/")) && !ref.endsWith("^{}");
}

/** `git ls-remote --symref` output → branches, tags and HEAD. */
export function parseLsRemote(output: string): RefState {
  const refs = new Map<string, string>();
  let symbolic: string | undefined;
  let headSha: string | undefined;
  for (const line of output.split("\n")) {
    if (line === "") continue;
    const tab = line.indexOf("\t");
    if (tab < 0) continue;
    const left = line.slice(0, tab);
    const name = line.slice(tab + 1);
    if (left.startsWith("ref: ")) {
      if (name === "HEAD") symbolic = left.slice("ref: ".length);
      continue;
    }
    if (!OBJECT.test(left)) continue;
    if (name === "HEAD") headSha = left;
    else if (isTracked(name)) refs.set(name, left);
  }
  const head: HeadState =
    symbolic !== undefined
      ? { kind: "symbolic", target: symbolic }
      : headSha !== undefined
        ? { kind: "detached", sha: headSha }
        : { kind: "none" };
  return { refs, head };
}

/**
 * `git show-ref --head --dereference` output → the unpeeled branches and tags, and a table of every ref
 * (HEAD included) to the object it finally points to (annotated tags peeled).
 */
export function parseShowRef(output: string): { refs: Map<string, string>; table: Map<string, string> } {
  const refs = new Map<string, string>();
  const table = new Map<string, string>();
  for (const line of output.split("\n")) {
    const space = line.indexOf(" ");
    if (space < 0) continue;
    const sha = line.slice(0, space);
    const name = line.slice(space + 1);
    if (!OBJECT.test(sha)) continue;
    if (name.endsWith("^{}")) {
      table.set(name.slice(0, -3), sha);
      continue;
    }
    if (!table.has(name)) table.set(name, sha);
    if (isTracked(name)) refs.set(name, sha);
  }
  return { refs, table };
}

/** True when the mirror already has exactly the remote's branches, tags and HEAD: no fetch needed. */
export function sameRefState(remote: RefState, local: RefState): boolean {
  if (remote.refs.size !== local.refs.size) return false;
  for (const [name, sha] of remote.refs) if (local.refs.get(name) !== sha) return false;
  switch (remote.head.kind) {
    case "none":
      return true;
    case "symbolic":
      return local.head.kind === "symbolic" && local.head.target === remote.head.target;
    case "detached":
      return local.head.kind === "detached" && local.head.sha === remote.head.sha;
  }
}
