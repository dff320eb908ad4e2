import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { ApiStatusError } from "../errors.js";
import type { RbacObjects } from "./rbac.js";
import { answerReview, REVIEW_RESOURCES, reviewResource, TOKEN_HOLDER } from "./reviews.js";

const obj = (kind: string, name: string, rest: Record<string, unknown>, namespace?: string): KubeObject => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...rest,
});

const RBAC: RbacObjects = {
  clusterRoles: [
    obj("ClusterRole", "health", { rules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics/*"] }] }),
  ],
  clusterRoleBindings: [
    obj("ClusterRoleBinding", "health", {
      roleRef: { kind: "ClusterRole", name: "health" },
      subjects: [{ kind: "Group", name: "ops" }],
    }),
  ],
  roles: [obj("Role", "reader", { rules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }] }, "team")],
  roleBindings: [
    obj(
      "RoleBinding",
      "reader",
      { roleRef: { kind: "Role", name: "reader" }, subjects: [{ kind: "User", name: "bob" }] },
      "team",
    ),
  ],
};
const rbacOf = (namespace: string): RbacObjects => ({
  ...RBAC,
  roles: RBAC.roles.filter((r) => r.metadata.namespace === namespace),
  roleBindings: RBAC.roleBindings.filter((r) => r.metadata.namespace === namespace),
});
const bob = { name: "bob", groups: ["ops", "system:authenticated"] };
const review = (plural: string) => {
  const r = REVIEW_RESOURCES.find((x) => x.plural === plural);
  assert.ok(r);
  return r;
};
const allowed = (answer: Record<string, unknown>) => (answer.status as { allowed: boolean }).allowed;
const ssar = (spec: Record<string, unknown>, user = bob) =>
  allowed(answerReview(review("selfsubjectaccessreviews"), { spec }, user, "", rbacOf));

test("a self access review is decided by the caller's bindings, in the namespace it names", () => {
  assert.equal(ssar({ resourceAttributes: { verb: "get", resource: "pods", namespace: "team" } }), true);
  assert.equal(ssar({ resourceAttributes: { verb: "delete", resource: "pods", namespace: "team" } }), false);
  assert.equal(ssar({ resourceAttributes: { verb: "get", resource: "pods", namespace: "other" } }), false);
  assert.equal(ssar({ nonResourceAttributes: { verb: "get", path: "/metrics/cadvisor" } }), true);
  assert.equal(ssar({ nonResourceAttributes: { verb: "get", path: "/readyz" } }), false);
  assert.equal(ssar({ resourceAttributes: { verb: "delete", resource: "nodes" } }, TOKEN_HOLDER), true);
  assert.throws(() => ssar({}), ApiStatusError);
});

test("whoami, the rules review and a review of another user", () => {
  const whoami = answerReview(review("selfsubjectreviews"), {}, bob, "", rbacOf);
  assert.deepEqual(whoami.status, { userInfo: { username: "bob", groups: bob.groups } });
  assert.equal(whoami.apiVersion, "authentication.k8s.io/v1");
  const rules = answerReview(review("selfsubjectrulesreviews"), { spec: { namespace: "team" } }, bob, "", rbacOf);
  assert.deepEqual(rules.status, {
    resourceRules: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }],
    nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/metrics/*"] }],
    incomplete: false,
  });
  const sar = (user: string) =>
    allowed(
      answerReview(
        review("subjectaccessreviews"),
        { spec: { user, resourceAttributes: { verb: "list", resource: "pods", namespace: "team" } } },
        TOKEN_HOLDER,
        "",
        rbacOf,
      ),
    );
  assert.equal(sar("bob"), true);
  assert.equal(sar("eve"), false);
  assert.throws(
    () =>
      answerReview(
        review("localsubjectaccessreviews"),
        { spec: { user: "bob", resourceAttributes: { verb: "get", resource: "pods", namespace: "elsewhere" } } },
        TOKEN_HOLDER,
        "team",
        rbacOf,
      ),
    /must match metadata.namespace/,
  );
  assert.equal(reviewResource("authorization.k8s.io", "pods"), undefined);
});
