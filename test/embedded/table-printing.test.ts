// Server-side Table printing, differentially: the same objects listed as meta.k8s.io/v1 Tables from the real
// control plane and from the embedded server. Column definitions must be equal field by field; cells equal
// where they do not depend on the server (cluster IPs, controllers' status) or the clock (ages: both durations).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { request } from "node:https";
import { test } from "node:test";
import type { KubeObject } from "../../src/api/index.js";
import { KubeClient, loadClusterConfig } from "../../src/cluster/index.js";
import { type ClusterTarget, type TestNamespace, testNamespace } from "../harness/cluster-fixture.js";

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

interface Table {
  columnDefinitions: Array<Record<string, unknown>>;
  rows: Array<{ cells: unknown[]; object: { metadata?: { name?: string } } }>;
}

async function getTable(kubeconfig: string, path: string): Promise<Table> {
  const config = loadClusterConfig({ kubeconfig });
  const base = await config.requestOptions();
  const headers = { ...(base.headers as Record<string, string> | undefined), accept: TABLE };
  const { code, text } = await new Promise<{ code: number; text: string }>((resolve, reject) => {
    const req = request(`${config.server}${path}`, { ...base, method: "GET", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ code: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
  assert.equal(code, 200, `${path}: ${text}`);
  const body = JSON.parse(text) as Table & { kind?: string };
  assert.equal(body.kind, "Table", path);
  return body;
}

const labels = { app: "shop" };
const template = {
  metadata: { labels },
  spec: { containers: [{ name: "app", image: "registry.example/shop:1" }] },
};

/** Cluster-scoped objects are named alike on both servers, and apart from other runs' on the shared cluster. */
const RUN = `table-${randomBytes(3).toString("hex")}`;
const RBAC = "rbac.authorization.k8s.io";

/** The objects each server gets, and the columns of each kind whose cells must be equal. */
const KINDS: Array<{
  kind: string;
  path: (ns: string) => string;
  objects: Array<Record<string, unknown>>;
  /** Names of the rows to compare (others, such as the real controllers' events, are ignored). */
  deterministic: string[];
  /** Created without a namespace, and deleted when the test ends. */
  clusterScoped?: true;
}> = [
  {
    kind: "ConfigMap",
    path: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
    objects: [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { a: "1", b: "2" } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "blobs" }, binaryData: { c: "AA==" } },
    ],
    deterministic: ["Name", "Data"],
  },
  {
    kind: "Secret",
    path: (ns) => `/api/v1/namespaces/${ns}/secrets`,
    objects: [
      { apiVersion: "v1", kind: "Secret", metadata: { name: "opaque" }, stringData: { password: "x", user: "y" } },
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "tls" },
        type: "kubernetes.io/tls",
        data: { "tls.crt": "", "tls.key": "" },
      },
    ],
    deterministic: ["Name", "Type", "Data"],
  },
  {
    kind: "Service",
    path: (ns) => `/api/v1/namespaces/${ns}/services`,
    objects: [
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "web" },
        spec: {
          selector: labels,
          ports: [
            { name: "http", port: 80 },
            { name: "dns", port: 53, protocol: "UDP" },
          ],
        },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "db" },
        spec: { type: "ExternalName", externalName: "db.example.com" },
      },
    ],
    deterministic: ["Name", "Type", "External-IP", "Port(s)", "Selector"],
  },
  {
    kind: "Deployment",
    path: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
    objects: [
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "shop" },
        spec: { replicas: 0, selector: { matchLabels: labels }, template },
      },
    ],
    deterministic: ["Name", "Ready", "Containers", "Images", "Selector"],
  },
  {
    kind: "ReplicaSet",
    path: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`,
    objects: [
      {
        apiVersion: "apps/v1",
        kind: "ReplicaSet",
        metadata: { name: "standalone" },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: "standalone" } },
          template: { ...template, metadata: { labels: { app: "standalone" } } },
        },
      },
    ],
    deterministic: ["Name", "Desired", "Containers", "Images", "Selector"],
  },
  {
    kind: "Event",
    path: (ns) => `/api/v1/namespaces/${ns}/events`,
    objects: [
      {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: "settings.synced" },
        involvedObject: { apiVersion: "v1", kind: "ConfigMap", name: "settings", fieldPath: "data" },
        reason: "Synced",
        message: "  synced from git  ",
        type: "Normal",
        source: { component: "bosun", host: "laptop" },
        firstTimestamp: "2026-01-01T00:00:00Z",
        lastTimestamp: "2026-01-02T00:00:00Z",
        count: 3,
      },
    ],
    deterministic: ["Type", "Reason", "Object", "Subobject", "Source", "Message", "Count", "Name"],
  },
  {
    kind: "ServiceAccount",
    path: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts`,
    objects: [{ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "builder" } }],
    deterministic: ["Name"],
  },
  {
    kind: "StatefulSet",
    path: (ns) => `/apis/apps/v1/namespaces/${ns}/statefulsets`,
    objects: [
      {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "db" },
        spec: { replicas: 0, serviceName: "db", selector: { matchLabels: labels }, template },
      },
    ],
    deterministic: ["Name", "Ready", "Containers", "Images"],
  },
  {
    kind: "DaemonSet",
    path: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
    objects: [],
    deterministic: [],
  },
  {
    kind: "Job",
    path: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
    objects: [
      {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: { name: "migrate" },
        spec: { suspend: true, completions: 2, template: { spec: { ...template.spec, restartPolicy: "Never" } } },
      },
    ],
    deterministic: ["Name", "Completions", "Containers", "Images"],
  },
  {
    kind: "CronJob",
    path: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`,
    objects: [
      {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "nightly" },
        spec: {
          schedule: "0 3 * * *",
          suspend: true,
          jobTemplate: { spec: { template: { spec: { ...template.spec, restartPolicy: "Never" } } } },
        },
      },
    ],
    deterministic: ["Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Containers", "Images"],
  },
  {
    kind: "PersistentVolumeClaim",
    path: (ns) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`,
    objects: [
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "data" },
        spec: {
          accessModes: ["ReadWriteOnce"],
          storageClassName: "manual",
          resources: { requests: { storage: "1Gi" } },
        },
      },
    ],
    // The embedded simulator binds claims (the real control plane has no provisioner); it does not default
    // spec.volumeMode to Filesystem.
    deterministic: ["Name", "StorageClass", "VolumeAttributesClass"],
  },
  {
    kind: "Ingress",
    path: (ns) => `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses`,
    objects: [
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: { name: "web" },
        spec: {
          rules: [
            {
              host: "shop.example.com",
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name: "web", port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      },
    ],
    // Address is an ingress controller's: the real control plane has none, the embedded simulator publishes one.
    deterministic: ["Name", "Class", "Hosts", "Ports"],
  },
  {
    kind: "Pod",
    path: (ns) => `/api/v1/namespaces/${ns}/pods`,
    objects: [
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "probe" },
        spec: { readinessGates: [{ conditionType: "example.com/ready" }], ...template.spec },
      },
    ],
    // The real control plane's kwok node runs the pod at once (all conditions True, an IP); the embedded
    // simulator's kubelet takes a moment (ContainerCreating, no IP yet).
    deterministic: ["Name", "Restarts", "Nominated Node"],
  },
  {
    kind: "Endpoints",
    path: (ns) => `/api/v1/namespaces/${ns}/endpoints`,
    // No Service of these names: the endpoints controller leaves them alone.
    objects: [
      {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { name: "external-db" },
        subsets: [
          {
            addresses: [{ ip: "192.0.2.10" }, { ip: "192.0.2.11" }],
            notReadyAddresses: [{ ip: "192.0.2.12" }],
            ports: [
              { name: "sql", port: 5432 },
              { name: "metrics", port: 9187 },
            ],
          },
          { addresses: [{ ip: "2001:db8::1" }], ports: [{ name: "sql", port: 5432 }] },
        ],
      },
      {
        apiVersion: "v1",
        kind: "Endpoints",
        metadata: { name: "external-v6" },
        subsets: [{ addresses: [{ ip: "2001:db8::1" }], ports: [{ port: 443 }] }],
      },
    ],
    deterministic: ["Name", "Endpoints"],
  },
  {
    kind: "NetworkPolicy",
    path: (ns) => `/apis/networking.k8s.io/v1/namespaces/${ns}/networkpolicies`,
    objects: [
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "deny-all" },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "web-ingress" },
        spec: {
          podSelector: {
            matchLabels: labels,
            matchExpressions: [
              { key: "tier", operator: "In", values: ["web", "edge"] },
              { key: "canary", operator: "DoesNotExist" },
            ],
          },
          ingress: [{ ports: [{ port: 80 }] }],
        },
      },
    ],
    deterministic: ["Name", "Pod-Selector"],
  },
  {
    kind: "Role",
    path: (ns) => `/apis/${RBAC}/v1/namespaces/${ns}/roles`,
    objects: [
      {
        apiVersion: `${RBAC}/v1`,
        kind: "Role",
        metadata: { name: "config-reader" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
      },
    ],
    deterministic: ["Name"],
  },
  {
    kind: "RoleBinding",
    path: (ns) => `/apis/${RBAC}/v1/namespaces/${ns}/rolebindings`,
    objects: [
      {
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name: "read-config" },
        roleRef: { apiGroup: RBAC, kind: "Role", name: "config-reader" },
        subjects: [
          { kind: "User", apiGroup: RBAC, name: "alice" },
          { kind: "ServiceAccount", name: "builder", namespace: "ci" },
          { kind: "Group", apiGroup: RBAC, name: "devs" },
          { kind: "User", apiGroup: RBAC, name: "bob" },
        ],
      },
      {
        apiVersion: `${RBAC}/v1`,
        kind: "RoleBinding",
        metadata: { name: "nobody" },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
      },
    ],
    deterministic: ["Name", "Role", "Users", "Groups", "ServiceAccounts"],
  },
  {
    kind: "ClusterRole",
    path: () => `/apis/${RBAC}/v1/clusterroles`,
    objects: [
      {
        apiVersion: `${RBAC}/v1`,
        kind: "ClusterRole",
        metadata: { name: `${RUN}-reader` },
        rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get"] }],
      },
    ],
    deterministic: ["Name"],
    clusterScoped: true,
  },
  {
    kind: "ClusterRoleBinding",
    path: () => `/apis/${RBAC}/v1/clusterrolebindings`,
    objects: [
      {
        apiVersion: `${RBAC}/v1`,
        kind: "ClusterRoleBinding",
        metadata: { name: `${RUN}-readers` },
        roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: `${RUN}-reader` },
        subjects: [
          { kind: "Group", apiGroup: RBAC, name: "system:authenticated" },
          { kind: "ServiceAccount", name: "bosun", namespace: "kube-system" },
          { kind: "ServiceAccount", name: "agent", namespace: "bosun-system" },
        ],
      },
    ],
    deterministic: ["Name", "Role", "Users", "Groups", "ServiceAccounts"],
    clusterScoped: true,
  },
  {
    kind: "PodDisruptionBudget",
    path: (ns) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
    // No pod matches: the real disruption controller allows no disruption, as the unset status reads.
    objects: [
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "web-min" },
        spec: { minAvailable: 2, selector: { matchLabels: { app: "nothing" } } },
      },
      {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "web-max" },
        spec: { maxUnavailable: "25%", selector: { matchLabels: { app: "nothing" } } },
      },
    ],
    deterministic: ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions"],
  },
  {
    kind: "HorizontalPodAutoscaler",
    path: (ns) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`,
    // Their targets do not exist: both controllers fail to get the scale, so no current metrics and no
    // replicas. minReplicas and metrics are given: the embedded server does not default them.
    objects: [
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "web" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "absent" },
          minReplicas: 2,
          maxReplicas: 10,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
            // Printed canonical: 512Mi.
            { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "0.5Gi" } } },
            {
              type: "Pods",
              pods: { metric: { name: "requests_per_second" }, target: { type: "AverageValue", averageValue: "1000" } },
            },
          ],
        },
      },
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "queue" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "absent" },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [
            {
              type: "External",
              external: { metric: { name: "queue_depth" }, target: { type: "AverageValue", averageValue: "30" } },
            },
            {
              type: "Object",
              object: {
                describedObject: { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "web" },
                metric: { name: "hits" },
                target: { type: "Value", value: "1.5k" },
              },
            },
          ],
        },
      },
    ],
    deterministic: ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas"],
  },
  {
    kind: "Lease",
    path: (ns) => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`,
    objects: [
      {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: "bosun-leader" },
        spec: { holderIdentity: "bosun-0_7f3c", leaseDurationSeconds: 15 },
      },
      { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: "unheld" }, spec: {} },
    ],
    deterministic: ["Name", "Holder"],
  },
];

/** Cluster-scoped kinds: only the column definitions are compared (the objects are the servers' own). */
const CLUSTER_PATHS = ["/api/v1/nodes"];

const DURATION = /^(\d+[smhdy])+$/;
/** The default Table convertor's Created At (Go's time.RFC3339, UTC). */
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

interface Listed {
  tables: Map<string, Table>;
  namespaceTable: Table;
  headers: string;
  /** `kubectl get` of the kinds ported later. */
  moreHeaders: string;
}

async function listAll(t: { after: (fn: () => void) => void }, target: ClusterTarget): Promise<Listed> {
  const ns: TestNamespace = await testNamespace(t, target);
  // An Event's involved object must be in the Event's namespace (the real server checks it).
  const items = KINDS.flatMap((k) =>
    k.objects.map((o) => {
      if (k.clusterScoped) return o;
      const namespaced = { ...o, metadata: { ...(o.metadata as object), namespace: ns.name } };
      if (o.kind !== "Event") return namespaced;
      return { ...namespaced, involvedObject: { ...(o.involvedObject as object), namespace: ns.name } };
    }),
  ) as KubeObject[];
  const client = new KubeClient(loadClusterConfig({ kubeconfig: ns.kubeconfig }), { defaultNamespace: ns.name });
  const clusterScoped = items.filter((o) => o.metadata.namespace === undefined);
  t.after(async () => {
    for (const o of clusterScoped)
      await client.delete({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? "" }).catch(() => false);
  });
  for (const o of items) await client.create(o);
  const tables = new Map<string, Table>();
  for (const k of KINDS) tables.set(k.kind, await getTable(ns.kubeconfig, k.path(ns.name)));
  for (const path of CLUSTER_PATHS) tables.set(path, await getTable(ns.kubeconfig, path));
  const namespaceTable = await getTable(ns.kubeconfig, `/api/v1/namespaces/${ns.name}`);
  const headers = ns.kubectl(["get", "pods,svc,deploy,events"]);
  const moreHeaders = ns.kubectl(["get", "endpoints,networkpolicies,roles,rolebindings,pdb,hpa,leases"]);
  return { tables, namespaceTable, headers, moreHeaders };
}

/** The header lines of `kubectl get a,b,c`, columns separated by ` | ` (widths depend on the data). */
function headerLines(out: string): string[] {
  return out
    .split("\n")
    .filter((line) => /^(NAME|LAST SEEN)\s/.test(line))
    .map((line) => line.trim().replace(/ {2,}/g, " | "));
}

function rowsByName(table: Table, key: string): Map<string, unknown[]> {
  const nameAt = table.columnDefinitions.findIndex((c) => c.format === "name");
  return new Map(table.rows.map((r) => [String(r.cells[nameAt] ?? key), r.cells]));
}

test("Tables of built-in kinds: the embedded server prints kube-apiserver's columns and cells", async (t) => {
  const [real, embedded] = await Promise.all([listAll(t, "real"), listAll(t, "embedded")]);
  assert.ok(real && embedded);

  for (const [key, realTable] of real.tables) {
    const embeddedTable = embedded.tables.get(key);
    assert.ok(embeddedTable, key);
    assert.deepEqual(embeddedTable.columnDefinitions, realTable.columnDefinitions, `${key}: column definitions`);
  }

  for (const k of KINDS) {
    const realTable = real.tables.get(k.kind);
    const embeddedTable = embedded.tables.get(k.kind);
    assert.ok(realTable && embeddedTable);
    const columns = realTable.columnDefinitions.map((c) => String(c.name));
    const realRows = rowsByName(realTable, k.kind);
    const embeddedRows = rowsByName(embeddedTable, k.kind);
    for (const o of k.objects) {
      const name = String((o.metadata as { name: string }).name);
      const r = realRows.get(name);
      const e = embeddedRows.get(name);
      assert.ok(r && e, `${k.kind} ${name} is listed by both`);
      assert.equal(e.length, r.length, `${k.kind} ${name}: cell count`);
      t.diagnostic(`${k.kind} ${name}: real ${JSON.stringify(r)} embedded ${JSON.stringify(e)}`);
      for (const [i, column] of columns.entries()) {
        if (k.deterministic.includes(column)) assert.deepEqual(e[i], r[i], `${k.kind} ${name}: ${column}`);
        else if (/^(Age|Last Seen|First Seen|Created At)$/.test(column)) {
          const format = column === "Created At" ? RFC3339 : DURATION;
          assert.match(String(r[i]), format, `${k.kind} ${name}: real ${column}`);
          assert.match(String(e[i]), format, `${k.kind} ${name}: embedded ${column}`);
        } else assert.equal(typeof e[i], typeof r[i], `${k.kind} ${name}: ${column} type`);
      }
    }
  }

  assert.deepEqual(embedded.namespaceTable.columnDefinitions, real.namespaceTable.columnDefinitions);
  assert.deepEqual(embedded.namespaceTable.rows[0]?.cells[1], "Active");
  assert.deepEqual(real.namespaceTable.rows[0]?.cells[1], "Active");

  assert.deepEqual(headerLines(embedded.headers), headerLines(real.headers), "kubectl get pods,svc,deploy,events");
  assert.deepEqual(headerLines(real.headers), [
    "NAME | READY | STATUS | RESTARTS | AGE",
    "NAME | TYPE | CLUSTER-IP | EXTERNAL-IP | PORT(S) | AGE",
    "NAME | READY | UP-TO-DATE | AVAILABLE | AGE",
    "LAST SEEN | TYPE | REASON | OBJECT | MESSAGE",
  ]);
  assert.deepEqual(
    headerLines(embedded.moreHeaders),
    headerLines(real.moreHeaders),
    "kubectl get endpoints,networkpolicies,roles,rolebindings,pdb,hpa,leases",
  );
  assert.deepEqual(headerLines(real.moreHeaders), [
    "NAME | ENDPOINTS | AGE",
    "NAME | POD-SELECTOR | AGE",
    "NAME | CREATED AT",
    "NAME | ROLE | AGE",
    "NAME | MIN AVAILABLE | MAX UNAVAILABLE | ALLOWED DISRUPTIONS | AGE",
    "NAME | REFERENCE | TARGETS | MINPODS | MAXPODS | REPLICAS | AGE",
    "NAME | HOLDER | AGE",
  ]);
});
