// kubectl auth whoami / can-i, differentially: the review APIs answer for the caller (impersonated here) from
// the cluster's RBAC objects as kube-apiserver answers, and create-only reviews are listed in discovery.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { answeredAlike } from "./differential.js";
import { runKubectl, startFixture } from "./embedded-fixture.js";

test("kubectl auth can-i and whoami answer for an impersonated user as the real server does", async (t) => {
  const user = `bob-${randomBytes(3).toString("hex")}`;
  const answers = await answeredAlike(t, async (_client, ns) => {
    const k = (...args: string[]) => ns.kubectl(["-n", ns.name, ...args]);
    k("create", "role", "reader", "--verb=get,list", "--resource=pods,deployments.apps");
    k("create", "rolebinding", "reader", "--role=reader", `--user=${user}`);
    const canI = async (what: string, ...args: string[]) => {
      const r = await runKubectl(ns.kubeconfig, `${ns.kubeconfig}.cache`, ["auth", "can-i", ...args, "--as", user]);
      // can-i exits 1 for "no"; its stdout says so either way.
      return `${what}: ${r.code} ${r.stdout.trim()}`;
    };
    const own = ["-n", ns.name];
    return [
      await canI("get pods here", "get", "pods", ...own),
      await canI("list deployments here", "list", "deployments.apps", ...own),
      await canI("delete pods here", "delete", "pods", ...own),
      await canI("get pods in default", "get", "pods", "-n", "default"),
      await canI("get secrets here", "get", "secrets", ...own),
      ns.kubectl(["auth", "whoami", "--as", user, "--as-group", "dev"]),
    ];
  });
  assert.deepEqual(answers.slice(0, 5), [
    "get pods here: 0 yes",
    "list deployments here: 0 yes",
    "delete pods here: 1 no",
    "get pods in default: 1 no",
    "get secrets here: 1 no",
  ]);
  assert.match(answers[5] ?? "", new RegExp(`Username\\s+${user}\\s+Groups\\s+\\[dev system:authenticated\\]`));
});

test("the token holder is the cluster admin; can-i --list shows an impersonated user's rules; reviews are create-only", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t, { simulator: false });
  assert.match(
    await kubectl(["auth", "whoami"]),
    /Username\s+bosun-admin\s+Groups\s+\[system:masters system:authenticated\]/,
  );
  assert.equal((await kubectl(["auth", "can-i", "delete", "nodes"])).trim(), "yes");
  await kubectl(["create", "namespace", "team"]);
  await kubectl(["-n", "team", "create", "role", "reader", "--verb=get,list", "--resource=pods"]);
  await kubectl(["-n", "team", "create", "rolebinding", "reader", "--role=reader", "--user=bob"]);
  const list = await kubectl(["auth", "can-i", "--list", "-n", "team", "--as", "bob"]);
  assert.match(list, /^pods\s+\[\]\s+\[\]\s+\[get list\]$/m);
  assert.doesNotMatch(list, /^\*\.\*/m, "bob is not the admin");
  const resources = await kubectl(["api-resources", "--api-group=authorization.k8s.io", "--no-headers"]);
  assert.match(resources, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview/m);
  const get = await kubectlResult(["get", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]);
  assert.notEqual(get.code, 0, "a review cannot be read back");
});
