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

test("kubectl create namespace, configmap, secret and serviceaccount (sent as protobuf)", async (t) => {
  const { kubectl, kubectlResult } = await startFixture(t);
  await kubectl(["create", "namespace", "team"]);
  await kubectl(["-n", "team", "create", "configmap", "settings", "--from-literal=mode=prod"]);
  await kubectl(["-n", "team", "create", "secret", "generic", "creds", "--from-literal=password=hunter2"]);
  await kubectl(["-n", "team", "create", "serviceaccount", "robot"]);
  assert.equal(await kubectl(["-n", "team", "get", "configmap", "settings", "-o", "jsonpath={.data.mode}"]), "prod");
  const password = await kubectl(["-n", "team", "get", "secret", "creds", "-o", "jsonpath={.data.password}"]);
  assert.equal(Buffer.from(password, "base64").toString(), "hunter2");
  assert.equal(
    await kubectl(["-n", "team", "get", "serviceaccount", "-o", "name"]),
    "serviceaccount/default\nserviceaccount/robot\n",
  );
  const unsupported = await kubectlResult(["-n", "team", "create", "deployment", "web", "--image=nginx"]);
  assert.match(unsupported.stderr, /unknown format: application\/vnd.kubernetes.protobuf/);
});
