// RBAC for impersonated requests, as kube-apiserver's RBAC authorizer decides them: who the request is made
// as (Impersonate-* headers), what it asks (verb, group, resource, subresource, namespace, name), and
// whether a Role or ClusterRole bound to that user or one of its groups allows it. Pure: the caller reads
// the bindings and roles. The token holder is the cluster admin and is never checked here.
import type { KubeObject } from "../../api/index.js";
import { ApiStatusError, badRequest } from "../errors.js";

export interface UserInfo {
  name: string;
  groups: string[];
}

/** What a resource request asks for, in the terms RBAC rules use. */
export interface RequestAttributes {
  verb: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  /** "" for cluster-scoped requests and requests across all namespaces. */
  namespace: string;
  /** "" for collection requests. */
  name: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const SERVICE_ACCOUNT = /^system:serviceaccount:([^:]+):([^:]+)$/;

/**
 * The user an impersonating request is made as, or undefined when it impersonates no one. A service
 * account given no groups gets its own (`system:serviceaccounts`, `system:serviceaccounts:NS`), and every
 * user but `system:anonymous` is `system:authenticated`, as the real server adds them.
 */
export function impersonatedUser(headers: Headers): UserInfo | undefined {
  const user = asList(headers["impersonate-user"])[0];
  const groups = asList(headers["impersonate-group"]);
  const extras = Object.keys(headers).filter((h) => h.startsWith("impersonate-extra-") || h === "impersonate-uid");
  if (user === undefined) {
    if (groups.length > 0 || extras.length > 0)
      throw badRequest(`requested ${groups.map((g) => `{Group ${g}}`).join(" ")} without impersonating a user`);
    return undefined;
  }
  const sa = SERVICE_ACCOUNT.exec(user);
  const all = groups.length === 0 && sa ? ["system:serviceaccounts", `system:serviceaccounts:${sa[1]}`] : [...groups];
  if (user !== "system:anonymous" && !all.includes("system:authenticated")) all.push("system:authenticated");
  return { name: user, groups: all };
}

/** The verb of a request, as the real server names it. */
export function requestVerb(method: string, options: { named: boolean; watch: boolean }): string {
  switch (method) {
    case "GET":
    case "HEAD":
      return options.watch ? "watch" : options.named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return options.named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

export interface Rule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** The roles and bindings that can grant a request: every cluster-wide one, and those of its namespace. */
export interface RbacObjects {
  clusterRoles: readonly KubeObject[];
  clusterRoleBindings: readonly KubeObject[];
  /** Those of other namespaces than the request's are ignored. */
  roles: readonly KubeObject[];
  roleBindings: readonly KubeObject[];
}

const rulesOf = (role: KubeObject | undefined): Rule[] => (role?.rules as Rule[] | undefined) ?? [];

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return subject.name === user.name;
    case "Group":
      return subject.name !== undefined && user.groups.includes(subject.name);
    case "ServiceAccount":
      return user.name === `system:serviceaccount:${subject.namespace || bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

function resourceMatches(rule: Rule, attrs: RequestAttributes): boolean {
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return (rule.resources ?? []).some(
    (r) => r === "*" || r === combined || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
}

/** Whether one rule allows the request (resourceNames never grant a request that names no object). */
export function ruleAllows(rule: Rule, attrs: RequestAttributes): boolean {
  const verbs = rule.verbs ?? [];
  const groups = rule.apiGroups ?? [];
  if (!verbs.includes("*") && !verbs.includes(attrs.verb)) return false;
  if (!groups.includes("*") && !groups.includes(attrs.apiGroup)) return false;
  if (!resourceMatches(rule, attrs)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== "" && names.includes(attrs.name));
}

/** Whether RBAC allows the request for the user: a rule bound to them, cluster-wide or in its namespace, allows it. */
export function rbacAllows(user: UserInfo, attrs: RequestAttributes, rbac: RbacObjects): boolean {
  return boundRules(user, attrs.namespace, rbac).some((rule) => ruleAllows(rule, attrs));
}

/** The real server's 403 for a request RBAC does not allow. */
export function forbiddenError(user: UserInfo, attrs: RequestAttributes): ApiStatusError {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const where = attrs.namespace ? `in the namespace "${attrs.namespace}"` : "at the cluster scope";
  const why = `User "${user.name}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" ${where}`;
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  const message = attrs.name
    ? `${qualified} "${attrs.name}" is forbidden: ${why}`
    : `${qualified} is forbidden: ${why}`;
  const details = {
    ...(attrs.name ? { name: attrs.name } : {}),
    ...(attrs.apiGroup ? { group: attrs.apiGroup } : {}),
    kind: attrs.resource,
  };
  return new ApiStatusError(403, "Forbidden", message, details);
}

/** Every rule bound to the user: by ClusterRoleBindings, and by the RoleBindings of `namespace` ("" for none). */
export function boundRules(user: UserInfo, namespace: string, rbac: RbacObjects): Rule[] {
  const byName = (list: readonly KubeObject[], name: string | undefined) => list.find((o) => o.metadata.name === name);
  const inNamespace = (o: KubeObject) => namespace !== "" && o.metadata.namespace === namespace;
  const out: Rule[] = [];
  const collect = (
    bindings: readonly KubeObject[],
    roleOf: (ref: { kind?: string; name?: string }) => KubeObject | undefined,
  ) => {
    for (const binding of bindings) {
      const subjects = (binding.subjects as Subject[] | undefined) ?? [];
      if (!subjects.some((s) => subjectMatches(s, user, binding.metadata.namespace ?? ""))) continue;
      out.push(...rulesOf(roleOf((binding.roleRef as { kind?: string; name?: string } | undefined) ?? {})));
    }
  };
  const clusterRole = (ref: { kind?: string; name?: string }) =>
    ref.kind === "ClusterRole" ? byName(rbac.clusterRoles, ref.name) : undefined;
  collect(rbac.clusterRoleBindings, clusterRole);
  const roles = rbac.roles.filter(inNamespace);
  collect(rbac.roleBindings.filter(inNamespace), (ref) =>
    ref.kind === "Role" ? byName(roles, ref.name) : clusterRole(ref),
  );
  return out;
}

/** Whether a rule allows a non-resource request (`/healthz`, `/api/*`), as RBAC matches nonResourceURLs. */
export function nonResourceRuleAllows(rule: Rule, path: string, verb: string): boolean {
  const verbs = rule.verbs ?? [];
  if (!verbs.includes("*") && !verbs.includes(verb)) return false;
  return (rule.nonResourceURLs ?? []).some(
    (url) => url === "*" || url === path || (url.endsWith("*") && path.startsWith(url.slice(0, -1))),
  );
}
