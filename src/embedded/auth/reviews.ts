// The review APIs kubectl's `auth` commands create: SelfSubjectReview (`kubectl auth whoami`),
// SelfSubjectAccessReview (`auth can-i`), SelfSubjectRulesReview (`auth can-i --list`), and
// SubjectAccessReview / LocalSubjectAccessReview for another user. Answered from the caller's identity
// and the cluster's RBAC objects; nothing is stored. Pure: the caller reads the roles and bindings.

import { isRecord } from "../../api/index.js";
import { badRequest } from "../errors.js";
import {
  boundRules,
  nonResourceRuleAllows,
  type RbacObjects,
  type RequestAttributes,
  type Rule,
  rbacAllows,
  type UserInfo,
} from "./rbac.js";

export interface ReviewResource {
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const REVIEW_RESOURCES: readonly ReviewResource[] = [
  {
    group: "authentication.k8s.io",
    version: "v1",
    plural: "selfsubjectreviews",
    kind: "SelfSubjectReview",
    namespaced: false,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "localsubjectaccessreviews",
    kind: "LocalSubjectAccessReview",
    namespaced: true,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "selfsubjectaccessreviews",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "selfsubjectrulesreviews",
    kind: "SelfSubjectRulesReview",
    namespaced: false,
  },
  {
    group: "authorization.k8s.io",
    version: "v1",
    plural: "subjectaccessreviews",
    kind: "SubjectAccessReview",
    namespaced: false,
  },
];

/** The roles and bindings that can grant a request in a namespace ("" for cluster-wide ones only). */
export type RbacOf = (namespace: string) => RbacObjects;

export function reviewResource(group: string, plural: string): ReviewResource | undefined {
  return REVIEW_RESOURCES.find((r) => r.group === group && r.plural === plural);
}

/** The bearer token's holder: the cluster admin, in the group the real server never checks. */
export const TOKEN_HOLDER: UserInfo = { name: "bosun-admin", groups: ["system:masters", "system:authenticated"] };

const isAdmin = (user: UserInfo) => user.groups.includes("system:masters");

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Whether `user` may do what a SubjectAccessReviewSpec's attributes describe. */
function decide(user: UserInfo, spec: Record<string, unknown>, rbacOf: RbacOf): boolean {
  if (isAdmin(user)) return true;
  const resource = spec.resourceAttributes;
  if (isRecord(resource)) {
    const rbac = rbacOf(text(resource.namespace));
    const attrs: RequestAttributes = {
      verb: text(resource.verb),
      apiGroup: text(resource.group),
      resource: text(resource.resource),
      namespace: text(resource.namespace),
      name: text(resource.name),
      ...(text(resource.subresource) ? { subresource: text(resource.subresource) } : {}),
    };
    return rbacAllows(user, attrs, rbac);
  }
  const nonResource = spec.nonResourceAttributes;
  if (isRecord(nonResource))
    return boundRules(user, "", rbacOf("")).some((r) =>
      nonResourceRuleAllows(r, text(nonResource.path), text(nonResource.verb)),
    );
  throw badRequest("exactly one of nonResourceAttributes or resourceAttributes must be specified");
}

function rulesReviewStatus(user: UserInfo, namespace: string, rbac: RbacObjects): Record<string, unknown> {
  const rules: Rule[] = isAdmin(user)
    ? [
        { verbs: ["*"], apiGroups: ["*"], resources: ["*"] },
        { verbs: ["*"], nonResourceURLs: ["*"] },
      ]
    : boundRules(user, namespace, rbac);
  const resourceRules = rules
    .filter((r) => (r.resources ?? []).length > 0)
    .map(({ verbs, apiGroups, resources, resourceNames }) => ({
      verbs: verbs ?? [],
      apiGroups: apiGroups ?? [],
      resources: resources ?? [],
      ...(resourceNames?.length ? { resourceNames } : {}),
    }));
  const nonResourceRules = rules
    .filter((r) => (r.nonResourceURLs ?? []).length > 0)
    .map(({ verbs, nonResourceURLs }) => ({ verbs: verbs ?? [], nonResourceURLs: nonResourceURLs ?? [] }));
  return { resourceRules, nonResourceRules, incomplete: false };
}

/** The answered review: the request with its status, as the API server returns it (201, never stored). */
export function answerReview(
  resource: ReviewResource,
  body: unknown,
  caller: UserInfo,
  namespace: string,
  rbacOf: RbacOf,
): Record<string, unknown> {
  const request = isRecord(body) ? body : {};
  const spec = isRecord(request.spec) ? request.spec : {};
  const out = {
    kind: resource.kind,
    apiVersion: `${resource.group}/${resource.version}`,
    metadata: { creationTimestamp: null, ...(isRecord(request.metadata) ? request.metadata : {}) },
  };
  switch (resource.kind) {
    case "SelfSubjectReview":
      return { ...out, status: { userInfo: { username: caller.name, groups: caller.groups } } };
    case "SelfSubjectRulesReview":
      return { ...out, spec, status: rulesReviewStatus(caller, text(spec.namespace), rbacOf(text(spec.namespace))) };
    case "SelfSubjectAccessReview":
      return { ...out, spec, status: { allowed: decide(caller, spec, rbacOf) } };
    default: {
      // SubjectAccessReview and LocalSubjectAccessReview ask for another user, named in the spec.
      const subject: UserInfo = { name: text(spec.user), groups: strings(spec.groups) };
      if (
        resource.namespaced &&
        isRecord(spec.resourceAttributes) &&
        text(spec.resourceAttributes.namespace) !== namespace
      )
        throw badRequest(`spec.resourceAttributes.namespace must match metadata.namespace: "${namespace}"`);
      return { ...out, spec, status: { allowed: decide(subject, spec, rbacOf) } };
    }
  }
}
