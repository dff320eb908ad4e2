// The pinned real kubectl against the embedded server: discovery, get (-o yaml, -l, -w), client-side and
// server-side apply, scale, patch in every type, delete, and a custom resource of a fresh CRD.

import assert from "node:assert/strict";
import { test } from "node:test";
import { parse as parseYaml } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import { startFixture } from "./embedded-fixture.js";

const deployment = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default, labels: {app: web}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: A, value: "1"}]
`;

test("kubectl: version and api-resources come from discovery", async (t) => {
  const { kubectl } = await startFixture(t);
  assert.match(await kubectl(["version"]), /Server Version: v1\.36\.3-bosun\.embedded/);
  const resources = await kubectl(["api-resources", "--no-headers"]);
  for (const line of [
    /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/m,
    /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false/m,
    /^leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease/m,
  ]) {
    assert.match(resources, line);
  }
});

test("kubectl: client-side apply, get -o yaml, scale, patch in three types, delete", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t, { simulator: false }); // exact managedFields: no controller writes
  assert.match(await kubectl(["apply", "-f", "-"], deployment(2)), /deployment.apps\/web created/);
  assert.match(await kubectl(["apply", "-f", "-"], deployment(2)), /deployment.apps\/web unchanged/);
  assert.match(await kubectl(["apply", "-f", "-"], deployment(3)), /deployment.apps\/web configured/);
  assert.match(await kubectl(["scale", "deployment/web", "--replicas=5"]), /scaled/);
  await kubectl([
    "patch",
    "deployment",
    "web",
    "-p",
    '{"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"B","value":"2"}]}]}}}}',
  ]);
  await kubectl(["patch", "deployment", "web", "--type=merge", "-p", '{"metadata":{"labels":{"tier":"front"}}}']);
  await kubectl([
    "patch",
    "deployment",
    "web",
    "--type=json",
    "-p",
    '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.28"}]',
  ]);
  const live = parseYaml(
    await kubectl(["get", "deployment", "web", "-o", "yaml", "--show-managed-fields"]),
  ) as KubeObject & {
    spec: {
      replicas: number;
      template: {
        spec: {
          containers: Array<{ image: string; env: Array<{ name: string }>; ports: Array<{ protocol: string }> }>;
        };
      };
    };
  };
  assert.equal(live.spec.replicas, 5);
  const [container] = live.spec.template.spec.containers;
  assert.deepEqual(
    container?.env.map((e) => e.name),
    ["B", "A"],
    "strategic merge kept A and added B (before it, as the real server does)",
  );
  assert.equal(container?.image, "nginx:1.28");
  assert.equal(container?.ports[0]?.protocol, "TCP", "defaulted");
  assert.equal(live.metadata.labels?.tier, "front");
  assert.equal(
    live.metadata.generation,
    5,
    "apply 3, scale, patch env, patch image bump the generation; the label does not",
  );
  const managers = (live.metadata.managedFields ?? []).map(
    (m) => `${m.manager}/${m.operation}${m.subresource ? `/${m.subresource}` : ""}`,
  );
  assert.deepEqual(managers.sort(), [
    "kubectl-client-side-apply/Update",
    "kubectl-patch/Update",
    "kubectl/Update/scale",
  ]);
  assert.ok(live.metadata.annotations?.["kubectl.kubernetes.io/last-applied-configuration"]);

  const bad = await kubectlResult([
    "patch",
    "deployment",
    "web",
    "--type=json",
    "-p",
    '[{"op":"test","path":"/spec/replicas","value":99}]',
  ]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /testing value \/spec\/replicas failed/);

  assert.match(await kubectl(["delete", "deployment", "web"]), /deleted/);
  const gone = await kubectlResult(["get", "deployment", "web"]);
  assert.match(gone.stderr, /Error from server \(NotFound\): deployments.apps "web" not found/);
});

test("kubectl: server-side apply with a conflict, then --force-conflicts", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t);
  assert.match(
    await kubectl(["apply", "--server-side", "--field-manager=alice", "-f", "-"], deployment(2)),
    /serverside-applied/,
  );
  await kubectl(["scale", "deployment/web", "--replicas=4"]);
  const conflict = await kubectlResult(["apply", "--server-side", "--field-manager=alice", "-f", "-"], deployment(3));
  assert.notEqual(conflict.code, 0);
  assert.match(
    conflict.stderr,
    /Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps\/v1: \.spec\.replicas/,
  );
  await kubectl(["apply", "--server-side", "--field-manager=alice", "--force-conflicts", "-f", "-"], deployment(3));
  assert.equal(await kubectl(["get", "deployment", "web", "-o", "jsonpath={.spec.replicas}"]), "3");
});

test("kubectl: get with label and field selectors, and get -w sees changes", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t);
  const cm = (name: string, tier: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, labels: {tier: ${tier}}}\ndata: {k: v}\n`;
  await kubectl(["apply", "-f", "-"], `${cm("a", "gold")}---\n${cm("b", "silver")}---\n${cm("c", "gold")}`);
  assert.equal(await kubectl(["get", "cm", "-l", "tier=gold", "-o", "name"]), "configmap/a\nconfigmap/c\n");
  assert.equal(await kubectl(["get", "cm", "-l", "tier notin (gold),tier", "-o", "name"]), "configmap/b\n");
  assert.equal(
    await kubectl(["get", "cm", "--field-selector", "metadata.name!=a", "-l", "tier", "-o", "name"]),
    "configmap/b\nconfigmap/c\n",
  );
  const watching = kubectlResult(
    [
      "get",
      "cm",
      "-l",
      "tier=gold",
      "-w",
      "--output-watch-events",
      "-o",
      'jsonpath={.type} {.object.metadata.name}{"\\n"}',
    ],
    undefined,
    6000,
  );
  await new Promise((r) => setTimeout(r, 2500));
  await kubectl(["label", "cm", "c", "extra=1"]);
  await kubectl(["delete", "cm", "a"]);
  await kubectl(["apply", "-f", "-"], cm("d", "silver"));
  const { stdout } = await watching;
  assert.deepEqual(stdout.trim().split("\n"), ["ADDED a", "ADDED c", "MODIFIED c", "DELETED a"]);
});

test("kubectl: a freshly applied CRD is served, its custom resources work, and go with it", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t);
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    subresources: {status: {}}
    additionalPrinterColumns: [{name: Size, type: string, jsonPath: .spec.size}]
`;
  await kubectl(["apply", "-f", "-"], crd);
  // kubectl wait watches through client-go's watch-list (sendInitialEvents) and its end-of-initial-events bookmark.
  assert.match(
    await kubectl(["wait", "--for=condition=Established", "--timeout=20s", "crd/widgets.example.com"]),
    /condition met/,
  );
  assert.match(await kubectl(["get", "crd"]), /widgets\.example\.com/);
  const established = await kubectl([
    "get",
    "crd",
    "widgets.example.com",
    "-o",
    'jsonpath={.status.conditions[?(@.type=="Established")].status}',
  ]);
  assert.equal(established, "True");
  const cr =
    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {size: large}\n";
  assert.match(await kubectl(["apply", "-f", "-"], cr), /widget.example.com\/w1 created/);
  assert.match(await kubectl(["get", "wd"]), /^NAME\s+SIZE\s+AGE\nw1\s+large\s+/);
  const taken = await kubectlResult(
    ["apply", "--server-side", "--field-manager=ops", "-f", "-"],
    cr.replace("large", "small"),
  );
  assert.match(taken.stderr, /conflict with "kubectl-client-side-apply" using example.com\/v1: \.spec\.size/);
  await kubectl(
    ["apply", "--server-side", "--field-manager=ops", "--force-conflicts", "-f", "-"],
    cr.replace("large", "small"),
  );
  const conflict = await kubectlResult(
    ["apply", "--server-side", "--field-manager=dev", "-f", "-"],
    cr.replace("large", "tiny"),
  );
  assert.match(conflict.stderr, /conflict with "ops" using example.com\/v1: \.spec\.size/);
  await kubectl(["delete", "crd", "widgets.example.com"]);
  const afterDelete = await kubectlResult(["get", "widgets.example.com"]);
  assert.notEqual(afterDelete.code, 0);
  assert.match(
    afterDelete.stderr,
    /the server doesn't have a resource type "widgets"|could not find the requested resource/,
  );
});

test("kubectl create of every kind it builds, sent as protobuf, decoded with pointer zeros kept", async (t) => {
  const { kubectl, client } = await startFixture(t, { simulator: false });
  await kubectl(["create", "namespace", "team"]);
  const ns = ["-n", "team"];
  await kubectl([...ns, "create", "configmap", "settings", "--from-literal=mode=prod"]);
  await kubectl([...ns, "create", "secret", "generic", "creds", "--from-literal=password=hunter2"]);
  await kubectl([...ns, "create", "serviceaccount", "robot"]);
  await kubectl([...ns, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=8080"]);
  await kubectl([...ns, "create", "job", "once", "--image=busybox", "--", "echo", "hi"]);
  await kubectl([...ns, "create", "cronjob", "nightly", "--image=busybox", "--schedule=0 3 * * *"]);
  await kubectl([...ns, "create", "service", "clusterip", "web", "--tcp=80:8080"]);
  await kubectl([...ns, "create", "role", "reader", "--verb=get,list", "--resource=pods"]);
  await kubectl([...ns, "create", "rolebinding", "reader", "--role=reader", "--user=bob"]);
  await kubectl(["create", "clusterrole", "system:bosun-test-reader", "--verb=get", "--resource=pods"]);
  await kubectl([...ns, "create", "poddisruptionbudget", "web", "--selector=app=web", "--min-available=1"]);
  await kubectl([...ns, "create", "ingress", "web", "--rule=web.example.com/=web:80"]);
  await kubectl([...ns, "create", "priorityclass", "high", "--value=1000"]).catch((err: Error) => {
    // PriorityClass is not served by the embedded server: discovery says so before anything is sent.
    assert.match(err.message, /doesn't have a resource type|could not find the requested resource/);
  });

  const get = (apiVersion: string, kind: string, name: string, namespace = "team") =>
    client.get({ apiVersion, kind, name, namespace });
  assert.equal(((await get("v1", "ConfigMap", "settings"))?.data as Record<string, string> | undefined)?.mode, "prod");
  const secret = (await get("v1", "Secret", "creds"))?.data as Record<string, string>;
  assert.equal(Buffer.from(secret.password ?? "", "base64").toString(), "hunter2");
  const deployment = (await get("apps/v1", "Deployment", "web")) as KubeObject & { spec: Record<string, unknown> };
  assert.equal(deployment.spec.replicas, 0, "an explicit zero replicas is kept, not defaulted to 1");
  assert.deepEqual(deployment.spec.selector, { matchLabels: { app: "web" } });
  const container = (deployment.spec.template as { spec: { containers: Record<string, unknown>[] } }).spec
    .containers[0];
  assert.equal(container?.image, "nginx:1.27");
  assert.deepEqual(container?.ports, [{ containerPort: 8080, protocol: "TCP" }]);
  const job = (await get("batch/v1", "Job", "once")) as KubeObject & { spec: { template: { spec: unknown } } };
  assert.deepEqual((job.spec.template.spec as { containers: { command: string[] }[] }).containers[0]?.command, [
    "echo",
    "hi",
  ]);
  assert.equal(
    ((await get("batch/v1", "CronJob", "nightly"))?.spec as { schedule: string } | undefined)?.schedule,
    "0 3 * * *",
  );
  const service = (await get("v1", "Service", "web"))?.spec as { ports: Record<string, unknown>[] };
  assert.deepEqual(service.ports[0], { name: "80-8080", port: 80, protocol: "TCP", targetPort: 8080 });
  const role = await get("rbac.authorization.k8s.io/v1", "Role", "reader");
  assert.deepEqual(role?.rules, [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
  const binding = await get("rbac.authorization.k8s.io/v1", "RoleBinding", "reader");
  assert.deepEqual(binding?.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "bob" }]);
  assert.ok(await get("rbac.authorization.k8s.io/v1", "ClusterRole", "system:bosun-test-reader", ""));
  const pdb = await get("policy/v1", "PodDisruptionBudget", "web");
  assert.deepEqual(pdb?.spec, { minAvailable: 1, selector: { matchLabels: { app: "web" } } });
  const ingress = (await get("networking.k8s.io/v1", "Ingress", "web"))?.spec as { rules: { host: string }[] };
  assert.equal(ingress.rules[0]?.host, "web.example.com");
  assert.equal(
    await kubectl([...ns, "get", "serviceaccount", "-o", "name"]),
    "serviceaccount/default\nserviceaccount/robot\n",
  );
});

test("kubectl explain reads the published schemas of built-in kinds and a CRD's own schema", async (t) => {
  const { kubectl } = await startFixture(t, { simulator: false });
  const replicas = await kubectl(["explain", "deployment.spec.replicas"]);
  assert.match(replicas, /FIELD: replicas <integer>/);
  assert.match(replicas, /Number of desired pods\. This is a pointer to distinguish between explicit\s+zero/);
  assert.match(await kubectl(["explain", "pods.spec.containers.resources"]), /limits\s+<map\[string\]Quantity>/);
  await kubectl(
    ["apply", "-f", "-"],
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gizmos.explain.example.com}
spec:
  group: explain.example.com
  scope: Namespaced
  names: {kind: Gizmo, plural: gizmos, singular: gizmo}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: A gizmo.
        properties:
          spec:
            type: object
            properties:
              size: {type: string, description: How big the gizmo is.}
`,
  );
  await kubectl(["wait", "--for=condition=Established", "crd/gizmos.explain.example.com"]);
  const size = await kubectl(["explain", "gizmos.spec.size"]);
  assert.match(size, /KIND:\s+Gizmo/);
  assert.match(size, /How big the gizmo is\./);
  assert.match(await kubectl(["explain", "gizmo.metadata.labels"]), /FIELD: labels <map\[string\]string>/);
});
