// What a Project allows an Application: its repository, the namespace it lives in, its destination, and
// every object it renders (hooks included). Pure: the project and the objects in, denials out.
//
// Grants are globs (`*`, `?`), with two protections that no glob lifts: the agent's own namespace and
// bosun's own kinds (group bosun.dev, and their CRDs) are matched only by an entry that names them
// literally. Blacklists are plain globs. A leading `!` on a repository or destination entry denies.
import {
  type ApplicationDestination,
  destinationServer,
  GROUP,
  type GroupKind,
  IN_CLUSTER,
  type KubeObject,
  type ObjectRef,
  type Project,
  type ProjectDestination,
} from "../api/index.js";

export { IN_CLUSTER };

export interface DestinationCluster {
  server: string;
  name: string;
}

/** A rendered object (or the Application itself) and the rule that refuses it. */
export interface Denial {
  ref: ObjectRef;
  rule: string;
}

export interface PolicyContext {
  project: Project;
  /** The agent's namespace: where Applications, Projects and the agent's own Secrets live. */
  agentNamespace: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

function globRegExp(pattern: string): RegExp {
  let source = "";
  for (const c of pattern) source += c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  return new RegExp(`^${source}$`, "s");
}

const compiled = new Map<string, RegExp>();

/** `*` matches any run of characters (also `/`), `?` one character; everything else is literal. */
export function globMatch(pattern: string, value: string): boolean {
  if (!GLOB_CHARS.test(pattern)) return pattern === value;
  let re = compiled.get(pattern);
  if (!re) {
    re = globRegExp(pattern);
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(value);
}

/** A grant: protected values are matched only by the same literal text. */
function grants(pattern: string, value: string, protectedValue: boolean): boolean {
  return protectedValue ? pattern === value : globMatch(pattern, value);
}

/** Patterns with `!` deny, the others allow; allowed when some allowing pattern matches and no denying one. */
function allowedBy(patterns: readonly string[], matches: (pattern: string) => boolean): boolean {
  let allowed = false;
  for (const p of patterns) {
    if (p.startsWith("!")) {
      if (matches(p.slice(1))) return false;
    } else if (matches(p)) allowed = true;
  }
  return allowed;
}

/**
 * The cluster an Application's destination names among the known ones (the agent's own cluster is always
 * known), or undefined. No name and no server is the agent's own cluster; both must name the same one.
 */
export function destinationCluster(
  dest: ApplicationDestination,
  known: readonly DestinationCluster[] = [],
): DestinationCluster | undefined {
  const found = findDestination(dest, [IN_CLUSTER, ...known]);
  return found ? { server: found.server, name: found.name } : undefined;
}

/** The candidate cluster (connection, view, …) a destination names, by the rules of destinationCluster. */
export function findDestination<T extends DestinationCluster>(
  dest: ApplicationDestination,
  candidates: readonly T[],
): T | undefined {
  const server = destinationServer(dest) ?? (dest.name ? undefined : IN_CLUSTER.server);
  const name = dest.name || undefined;
  return candidates.find(
    (c) => (server === undefined || c.server === server) && (name === undefined || c.name === name),
  );
}

function entryCluster(entry: ProjectDestination, cluster: DestinationCluster): boolean {
  if (entry.server === undefined && entry.name === undefined) return cluster.server === IN_CLUSTER.server;
  if (entry.server !== undefined && !globMatch(entry.server, cluster.server)) return false;
  if (entry.name !== undefined && !globMatch(entry.name, cluster.name)) return false;
  return true;
}

/** Whether the project lets its Applications deploy into `namespace` of `cluster`. */
function namespacePermitted(ctx: PolicyContext, cluster: DestinationCluster, namespace: string): boolean {
  const isAgents = namespace === ctx.agentNamespace;
  const entries = (ctx.project.spec.destinations ?? []).filter((d) => entryCluster(d, cluster));
  return allowedBy(
    entries.map((d) => d.namespace ?? "*"),
    (p) => grants(p, namespace, isAgents),
  );
}

const name = (ctx: PolicyContext) => `project ${ctx.project.metadata.name}`;

/** bosun's own kinds and their definitions: granted only by a literal entry. */
function isBosunKind(ref: ObjectRef, object?: KubeObject): boolean {
  if (ref.group === GROUP) return true;
  if (ref.group !== "apiextensions.k8s.io" || ref.kind !== "CustomResourceDefinition") return false;
  const spec = object?.spec as { group?: unknown } | undefined;
  return ref.name.endsWith(`.${GROUP}`) || spec?.group === GROUP;
}

function listed(list: readonly GroupKind[], gk: GroupKind, literalOnly: boolean): boolean {
  return list.some((e) => grants(e.group, gk.group, literalOnly) && grants(e.kind, gk.kind, literalOnly));
}

const gkText = (gk: GroupKind) => (gk.group ? `${gk.kind}.${gk.group}` : gk.kind);

/** Why the project refuses a kind, or undefined. */
function kindRule(ctx: PolicyContext, ref: ObjectRef, object: KubeObject | undefined): string | undefined {
  const spec = ctx.project.spec;
  const gk = { group: ref.group, kind: ref.kind };
  const namespaced = ref.namespace !== "";
  const own = isBosunKind(ref, object);
  const [whitelist, blacklist, field] = namespaced
    ? [spec.namespaceResourceWhitelist, spec.namespaceResourceBlacklist, "namespaceResourceWhitelist"]
    : [spec.clusterResourceWhitelist, spec.clusterResourceBlacklist, "clusterResourceWhitelist"];
  if (blacklist && listed(blacklist, gk, false))
    return `${gkText(gk)} is in ${name(ctx)}'s ${namespaced ? "namespace" : "cluster"}ResourceBlacklist`;
  // An absent namespaced whitelist allows every kind, as a `*` entry would: never bosun's own.
  const granted = whitelist ? listed(whitelist, gk, own) : namespaced && !own;
  if (granted) return undefined;
  if (own) return `${gkText(gk)} is one of bosun's own kinds: ${name(ctx)} must list it literally in ${field}`;
  return namespaced
    ? `${gkText(gk)} is not in ${name(ctx)}'s namespaceResourceWhitelist`
    : `cluster-scoped ${gkText(gk)} is not in ${name(ctx)}'s clusterResourceWhitelist`;
}

function namespaceRule(ctx: PolicyContext, cluster: DestinationCluster, namespace: string): string | undefined {
  if (namespacePermitted(ctx, cluster, namespace)) return undefined;
  if (namespace === ctx.agentNamespace)
    return `namespace ${namespace} is the agent's namespace: ${name(ctx)} must name it literally in destinations`;
  return `namespace ${namespace} is not a destination of ${name(ctx)}`;
}

/** Why the project refuses one object (a namespaced object by its namespace and kind, a Namespace by its name too). */
export function objectDenial(
  ctx: PolicyContext,
  cluster: DestinationCluster,
  ref: ObjectRef,
  object?: KubeObject,
): Denial | undefined {
  const where = ref.namespace !== "" ? ref.namespace : ref.group === "" && ref.kind === "Namespace" ? ref.name : "";
  const rule = (where !== "" ? namespaceRule(ctx, cluster, where) : undefined) ?? kindRule(ctx, ref, object);
  return rule ? { ref, rule } : undefined;
}

/** `.` and `..` path segments (also percent-encoded): a glob over the URL could be walked out of. */
const DOT_SEGMENT = /(^|[/:\\])(\.|%2e){1,2}([/\\]|$)/i;

/** Why the project refuses a repository URL, or undefined. */
export function sourceRule(ctx: PolicyContext, repoURL: string): string | undefined {
  if (DOT_SEGMENT.test(repoURL)) return `repository ${repoURL} has "." or ".." path segments`;
  if (allowedBy(ctx.project.spec.sourceRepos ?? [], (p) => globMatch(p, repoURL))) return undefined;
  return `repository ${repoURL} is not in ${name(ctx)}'s sourceRepos`;
}

/** Why the project refuses an Application living in `namespace` (outside the agent's namespace), or undefined. */
export function appNamespaceRule(ctx: PolicyContext, namespace: string): string | undefined {
  if (namespace === ctx.agentNamespace) return undefined;
  if (allowedBy(ctx.project.spec.sourceNamespaces ?? [], (p) => globMatch(p, namespace))) return undefined;
  return `Applications of ${name(ctx)} may not live in namespace ${namespace} (not in its sourceNamespaces)`;
}

/** Why the project refuses the Application's destination (its namespace in that cluster), or undefined. */
export function destinationRule(
  ctx: PolicyContext,
  cluster: DestinationCluster,
  dest: ApplicationDestination,
): string | undefined {
  if (!(ctx.project.spec.destinations ?? []).some((d) => entryCluster(d, cluster)))
    return `cluster ${cluster.name} (${cluster.server}) is not a destination of ${name(ctx)}`;
  return dest.namespace ? namespaceRule(ctx, cluster, dest.namespace) : undefined;
}
