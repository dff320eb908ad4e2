import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../api/index.js";
import { ApiStatusError } from "../errors.js";
import {
  forbiddenError,
  impersonatedUser,
  type RbacObjects,
  type RequestAttributes,
  rbacAllows,
  requestVerb,
  ruleAllows,
} from "./rbac.js";

const deployer = impersonatedUser({ "impersonate-user": "system:serviceaccount:team-a:deployer" });
const attrs = (extra: Partial<RequestAttributes>): RequestAttributes => ({
  verb: "patch",
  apiGroup: "",
  resource: "configmaps",
  namespace: "team-a",
  name: "settings",
  ...extra,
});

const obj = (
  kind: string,
  name: string,
  namespace: string | undefined,
  extra: Record<string, unknown>,
): KubeObject => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  ...extra,
});

const rbac: RbacObjects = {
  clusterRoles: [
    obj("ClusterRole", "read-nodes", undefined, {
      rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] }],
    }),
    obj("ClusterRole", "scale", undefined, {
      rules: [{ apiGroups: ["apps"], resources: ["*/scale"], verbs: ["patch"] }],
    }),
  ],
  clusterRoleBindings: [
    obj("ClusterRoleBinding", "nodes", undefined, {
      roleRef: { kind: "ClusterRole", name: "read-nodes" },
      subjects: [{ kind: "Group", name: "system:serviceaccounts:team-a" }],
    }),
  ],
  roles: [
    obj("Role", "configmaps", "team-a", {
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "patch", "create"] }],
    }),
    obj("Role", "one-secret", "team-a", {
      rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: ["db"], verbs: ["get", "list"] }],
    }),
  ],
  roleBindings: [
    obj("RoleBinding", "deployer", "team-a", {
      roleRef: { kind: "Role", name: "configmaps" },
      subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "team-a" }],
    }),
    obj("RoleBinding", "secret", "team-a", {
      roleRef: { kind: "Role", name: "one-secret" },
      subjects: [{ kind: "ServiceAccount", name: "deployer" }],
    }),
    obj("RoleBinding", "scale", "team-a", {
      roleRef: { kind: "ClusterRole", name: "scale" },
      subjects: [{ kind: "User", name: "system:serviceaccount:team-a:deployer" }],
    }),
  ],
};

test("a service account impersonated without groups gets its own, and everyone is authenticated", () => {
  assert.deepEqual(deployer, {
    name: "system:serviceaccount:team-a:deployer",
    groups: ["system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"],
  });
  assert.deepEqual(impersonatedUser({ "impersonate-user": "jane", "impersonate-group": ["devs", "ops"] }), {
    name: "jane",
    groups: ["devs", "ops", "system:authenticated"],
  });
  assert.equal(impersonatedUser({ authorization: "Bearer x" }), undefined);
  assert.throws(
    () => impersonatedUser({ "impersonate-group": "devs" }),
    (e: unknown) => e instanceof ApiStatusError && e.code === 400,
  );
});

test("verbs from methods, as the real server names them", () => {
  assert.equal(requestVerb("GET", { named: true, watch: false }), "get");
  assert.equal(requestVerb("GET", { named: false, watch: false }), "list");
  assert.equal(requestVerb("GET", { named: false, watch: true }), "watch");
  assert.equal(requestVerb("DELETE", { named: false, watch: false }), "deletecollection");
  assert.equal(requestVerb("PATCH", { named: true, watch: false }), "patch");
});

test("RoleBindings grant in their namespace, ClusterRoleBindings everywhere; subjects by user, group, account", () => {
  const user = deployer as NonNullable<typeof deployer>;
  assert.ok(rbacAllows(user, attrs({}), rbac));
  assert.ok(!rbacAllows(user, attrs({ verb: "delete" }), rbac));
  assert.ok(!rbacAllows(user, attrs({ namespace: "team-b" }), rbac), "a Role grants in its namespace only");
  assert.ok(!rbacAllows(user, attrs({ resource: "secrets", name: "creds" }), rbac));
  assert.ok(rbacAllows(user, attrs({ resource: "secrets", name: "db", verb: "get" }), rbac), "resourceNames");
  assert.ok(
    !rbacAllows(user, attrs({ resource: "secrets", name: "", verb: "list" }), rbac),
    "names never grant a list",
  );
  assert.ok(rbacAllows(user, attrs({ resource: "nodes", namespace: "", name: "", verb: "list" }), rbac), "by group");
  assert.ok(
    rbacAllows(user, attrs({ apiGroup: "apps", resource: "deployments", subresource: "scale", name: "web" }), rbac),
    "*/scale",
  );
  assert.ok(!rbacAllows(user, attrs({ apiGroup: "apps", resource: "deployments", name: "web" }), rbac));
  const stranger = { name: "system:serviceaccount:team-b:deployer", groups: ["system:authenticated"] };
  assert.ok(!rbacAllows(stranger, attrs({}), rbac));
});

test("* matches every verb, group and resource, subresources included", () => {
  const all = { verbs: ["*"], apiGroups: ["*"], resources: ["*"] };
  assert.ok(ruleAllows(all, attrs({ apiGroup: "apps", resource: "deployments", subresource: "status" })));
  assert.ok(
    !ruleAllows(
      { ...all, resources: ["deployments"] },
      attrs({ apiGroup: "apps", resource: "deployments", subresource: "status" }),
    ),
  );
});

test("403 messages are shaped like kube-apiserver's", () => {
  const user = deployer as NonNullable<typeof deployer>;
  const named = forbiddenError(user, attrs({ resource: "secrets", name: "creds" }));
  assert.equal(named.code, 403);
  assert.equal(
    named.message,
    'secrets "creds" is forbidden: User "system:serviceaccount:team-a:deployer" cannot patch resource "secrets" in API group "" in the namespace "team-a"',
  );
  assert.deepEqual(named.toStatus().details, { name: "creds", kind: "secrets" });
  const cluster = forbiddenError(
    user,
    attrs({ verb: "list", apiGroup: "apps", resource: "deployments", namespace: "", name: "" }),
  );
  assert.equal(
    cluster.message,
    'deployments.apps is forbidden: User "system:serviceaccount:team-a:deployer" cannot list resource "deployments" in API group "apps" at the cluster scope',
  );
  const sub = forbiddenError(
    user,
    attrs({ apiGroup: "apps", resource: "deployments", subresource: "scale", name: "web" }),
  );
  assert.match(
    sub.message,
    /^deployments\.apps "web" is forbidden: .* cannot patch resource "deployments\/scale" in API group "apps"/,
  );
});
