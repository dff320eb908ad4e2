import assert from "node:assert/strict";
import { test } from "node:test";
import type { JsonRecord } from "../../api/index.js";
import { type BuiltinPrinter, builtinPrinter, humanDuration } from "./builtin-printers.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MS = 1;

const now = new Date("2026-03-01T12:00:00Z");
const ago = (ms: number): string => new Date(now.getTime() - ms).toISOString().replace(/\.\d+Z$/, "Z");
const created = (name: string, extra: JsonRecord = {}): JsonRecord => ({
  name,
  namespace: "ns",
  creationTimestamp: ago(5 * MINUTE),
  ...extra,
});

function printer(group: string, kind: string): BuiltinPrinter {
  const p = builtinPrinter(group, kind);
  assert.ok(p, `${group}/${kind}`);
  return p;
}

/** The cells by column name, so the expectations read like `kubectl get -o wide`. */
function row(group: string, kind: string, obj: JsonRecord): Record<string, unknown> {
  const p = printer(group, kind);
  const cells = p.cells(obj, now);
  assert.equal(cells.length, p.columns.length, "one cell per column");
  return Object.fromEntries(p.columns.map((c, i) => [c.name, cells[i]]));
}

test("humanDuration: duration_test.go's TestHumanDuration", () => {
  const cases: Array<[number, string]> = [
    [SECOND, "1s"],
    [70 * SECOND, "70s"],
    [190 * SECOND, "3m10s"],
    [70 * MINUTE, "70m"],
    [47 * HOUR, "47h"],
    [49 * HOUR, "2d1h"],
    [(8 * 24 + 2) * HOUR, "8d"],
    [367 * 24 * HOUR, "367d"],
    [(365 * 2 * 24 + 25) * HOUR, "2y1d"],
    [(365 * 8 * 24 + 2) * HOUR, "8y"],
  ];
  for (const [d, want] of cases) assert.equal(humanDuration(d), want, `${d}ms`);
});

test("humanDuration: duration_test.go's TestHumanDurationBoundaries", () => {
  const Y = 365 * DAY;
  const cases: Array<[number, string]> = [
    [-2 * SECOND, "<invalid>"],
    [-2 * SECOND + MS, "0s"],
    [0, "0s"],
    [SECOND - MS, "0s"],
    [2 * MINUTE - MS, "119s"],
    [2 * MINUTE, "2m"],
    [2 * MINUTE + SECOND, "2m1s"],
    [10 * MINUTE - MS, "9m59s"],
    [10 * MINUTE, "10m"],
    [10 * MINUTE + SECOND, "10m"],
    [3 * HOUR - MS, "179m"],
    [3 * HOUR, "3h"],
    [3 * HOUR + MINUTE, "3h1m"],
    [8 * HOUR - MS, "7h59m"],
    [8 * HOUR, "8h"],
    [8 * HOUR + 59 * MINUTE, "8h"],
    [2 * DAY - MS, "47h"],
    [2 * DAY, "2d"],
    [2 * DAY + HOUR, "2d1h"],
    [8 * DAY - MS, "7d23h"],
    [8 * DAY, "8d"],
    [8 * DAY + 23 * HOUR, "8d"],
    [2 * Y - MS, "729d"],
    [2 * Y, "2y"],
    [2 * Y + 23 * HOUR, "2y"],
    [2 * Y + 23 * HOUR + 59 * MINUTE, "2y"],
    [2 * Y + DAY - MS, "2y"],
    [2 * Y + DAY, "2y1d"],
    [3 * Y, "3y"],
    [4 * Y, "4y"],
    [5 * Y, "5y"],
    [6 * Y, "6y"],
    [7 * Y, "7y"],
    [8 * Y - MS, "7y364d"],
    [8 * Y, "8y"],
    [8 * Y + 364 * DAY, "8y"],
    [9 * Y, "9y"],
  ];
  for (const [d, want] of cases) assert.equal(humanDuration(d), want, `${d}ms`);
});

test("every printer's first column is the name (Event's last), with the name format, and priorities 0 or 1", () => {
  const kinds: Array<[string, string]> = [
    ["", "Pod"],
    ["", "Service"],
    ["apps", "Deployment"],
    ["apps", "ReplicaSet"],
    ["", "Event"],
    ["", "Namespace"],
    ["", "ConfigMap"],
    ["", "Secret"],
    ["", "ServiceAccount"],
    ["apps", "StatefulSet"],
    ["apps", "DaemonSet"],
    ["batch", "Job"],
    ["batch", "CronJob"],
    ["", "Node"],
    ["", "PersistentVolumeClaim"],
    ["networking.k8s.io", "Ingress"],
    ["discovery.k8s.io", "EndpointSlice"],
    ["", "Endpoints"],
    ["networking.k8s.io", "NetworkPolicy"],
    ["rbac.authorization.k8s.io", "Role"],
    ["rbac.authorization.k8s.io", "ClusterRole"],
    ["rbac.authorization.k8s.io", "RoleBinding"],
    ["rbac.authorization.k8s.io", "ClusterRoleBinding"],
    ["policy", "PodDisruptionBudget"],
    ["autoscaling", "HorizontalPodAutoscaler"],
    ["coordination.k8s.io", "Lease"],
  ];
  for (const [group, kind] of kinds) {
    const cols = printer(group, kind).columns;
    const nameCol = kind === "Event" ? cols.at(-1) : cols[0];
    assert.equal(nameCol?.name, "Name", kind);
    assert.equal(nameCol?.format, "name", kind);
    assert.match(nameCol?.description ?? "", /^Name must be unique within a namespace\. Is required/);
    for (const c of cols) assert.ok(c.priority === 0 || c.priority === 1, `${kind} ${c.name}`);
  }
  assert.equal(builtinPrinter("events.k8s.io", "Event"), undefined, "events.k8s.io Events print differently");
  assert.equal(builtinPrinter("example.com", "Widget"), undefined);
});

test("Pod: running with one of two containers ready and three restarts, the last five minutes ago", () => {
  const pod = {
    metadata: created("web-1"),
    spec: { nodeName: "node-a", containers: [{ name: "app" }, { name: "sidecar" }] },
    status: {
      phase: "Running",
      podIP: "10.0.0.7",
      podIPs: [{ ip: "10.0.0.7" }],
      conditions: [{ type: "Ready", status: "False" }],
      containerStatuses: [
        {
          name: "app",
          ready: true,
          restartCount: 3,
          state: { running: { startedAt: ago(5 * MINUTE) } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * MINUTE) } },
        },
        { name: "sidecar", ready: false, restartCount: 0, state: { waiting: { reason: "" } } },
      ],
    },
  };
  assert.deepEqual(row("", "Pod", pod), {
    Name: "web-1",
    Ready: "1/2",
    Status: "Running",
    Restarts: "3 (5m ago)",
    Age: "5m",
    IP: "10.0.0.7",
    Node: "node-a",
    "Nominated Node": "<none>",
    "Readiness Gates": "<none>",
  });
  assert.equal(printer("", "Pod").conditions?.(pod), undefined);
});

test("Pod: pending, crash-looping, init containers, completed and terminating", () => {
  const pending = { metadata: created("p"), spec: { containers: [{ name: "a" }] }, status: { phase: "Pending" } };
  assert.deepEqual(printer("", "Pod").cells(pending, now).slice(1, 4), ["0/1", "Pending", "0"]);
  assert.deepEqual(printer("", "Pod").cells(pending, now).slice(5), ["<none>", "<none>", "<none>", "<none>"]);

  const crashLoop = {
    metadata: created("c"),
    spec: { containers: [{ name: "a" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        {
          name: "a",
          restartCount: 4,
          state: { waiting: { reason: "CrashLoopBackOff" } },
          lastState: { terminated: { exitCode: 2, finishedAt: ago(90 * SECOND) } },
        },
      ],
    },
  };
  assert.deepEqual(printer("", "Pod").cells(crashLoop, now).slice(1, 4), ["0/1", "CrashLoopBackOff", "4 (90s ago)"]);

  const initializing = {
    metadata: created("i"),
    spec: { initContainers: [{ name: "one" }, { name: "two" }], containers: [{ name: "a" }] },
    status: {
      phase: "Pending",
      initContainerStatuses: [
        { name: "one", state: { terminated: { exitCode: 0 } } },
        { name: "two", state: { running: {} } },
      ],
      containerStatuses: [{ name: "a", state: { waiting: { reason: "PodInitializing" } } }],
    },
  };
  assert.equal(printer("", "Pod").cells(initializing, now)[2], "Init:1/2");

  const sidecar = {
    metadata: created("s"),
    spec: { initContainers: [{ name: "proxy", restartPolicy: "Always" }], containers: [{ name: "a" }] },
    status: {
      phase: "Running",
      conditions: [{ type: "Initialized", status: "True" }],
      initContainerStatuses: [{ name: "proxy", started: true, ready: true, state: { running: {} } }],
      containerStatuses: [{ name: "a", ready: true, state: { running: {} } }],
    },
  };
  assert.deepEqual(printer("", "Pod").cells(sidecar, now).slice(1, 3), ["2/2", "Running"]);

  const completed = {
    metadata: created("done"),
    spec: { containers: [{ name: "a" }] },
    status: {
      phase: "Succeeded",
      containerStatuses: [{ name: "a", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
    },
  };
  assert.equal(printer("", "Pod").cells(completed, now)[2], "Completed");
  assert.deepEqual(printer("", "Pod").conditions?.(completed), [
    { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
  ]);

  const terminating = { ...pending, metadata: created("t", { deletionTimestamp: ago(0) }) };
  assert.equal(printer("", "Pod").cells(terminating, now)[2], "Terminating");
});

test("Service: ClusterIP, NodePort, LoadBalancer pending, ExternalName", () => {
  const svc = (name: string, spec: JsonRecord, status: JsonRecord = {}): JsonRecord => ({
    metadata: created(name),
    spec,
    status,
  });
  assert.deepEqual(
    row(
      "",
      "Service",
      svc("web", {
        type: "ClusterIP",
        clusterIP: "10.96.0.10",
        clusterIPs: ["10.96.0.10"],
        ports: [
          { port: 80, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
        selector: { tier: "web", app: "shop" },
      }),
    ),
    {
      Name: "web",
      Type: "ClusterIP",
      "Cluster-IP": "10.96.0.10",
      "External-IP": "<none>",
      "Port(s)": "80/TCP,53/UDP",
      Age: "5m",
      Selector: "app=shop,tier=web",
    },
  );
  const nodePort = svc("np", {
    type: "NodePort",
    clusterIPs: ["10.96.0.11"],
    ports: [{ port: 80, nodePort: 30080, protocol: "TCP" }],
  });
  assert.deepEqual(printer("", "Service").cells(nodePort, now).slice(3, 5), ["<none>", "80:30080/TCP"]);
  assert.equal(printer("", "Service").cells(nodePort, now)[6], "<none>");
  const lb = svc("lb", { type: "LoadBalancer", clusterIPs: ["10.96.0.12"], ports: [] });
  assert.deepEqual(printer("", "Service").cells(lb, now).slice(3, 5), ["<pending>", "<none>"]);
  const lbReady = svc(
    "lb2",
    { type: "LoadBalancer", externalIPs: ["5.6.7.8"] },
    { loadBalancer: { ingress: [{ ip: "9.9.9.9" }, { hostname: "lb.example.com" }] } },
  );
  assert.equal(printer("", "Service").cells(lbReady, now)[3], "9.9.9.9,lb.example.com,5.6.7.8");
  const ext = svc("ext", { type: "ExternalName", externalName: "db.example.com" });
  assert.deepEqual(printer("", "Service").cells(ext, now).slice(1, 4), ["ExternalName", "<none>", "db.example.com"]);
});

test("Deployment and ReplicaSet: replicas, containers, images, selectors", () => {
  const template = {
    spec: {
      containers: [
        { name: "app", image: "shop:1" },
        { name: "proxy", image: "envoy:2" },
      ],
    },
  };
  const selector = {
    matchLabels: { app: "shop" },
    matchExpressions: [{ key: "tier", operator: "In", values: ["web", "api"] }],
  };
  assert.deepEqual(
    row("apps", "Deployment", {
      metadata: created("shop"),
      spec: { replicas: 3, selector, template },
      status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    }),
    {
      Name: "shop",
      Ready: "2/3",
      "Up-to-date": 3,
      Available: 2,
      Age: "5m",
      Containers: "app,proxy",
      Images: "shop:1,envoy:2",
      Selector: "app=shop,tier in (api,web)",
    },
  );
  assert.deepEqual(
    row("apps", "ReplicaSet", {
      metadata: created("shop-6d4b"),
      spec: { replicas: 2, selector: { matchLabels: { app: "shop", "pod-template-hash": "6d4b" } }, template },
      status: { replicas: 2, readyReplicas: 1 },
    }),
    {
      Name: "shop-6d4b",
      Desired: 2,
      Current: 2,
      Ready: 1,
      Age: "5m",
      Containers: "app,proxy",
      Images: "shop:1,envoy:2",
      Selector: "app=shop,pod-template-hash=6d4b",
    },
  );
  // No selector: FormatLabelSelector prints <none>; the Deployment printer the bare selector string.
  assert.equal(printer("apps", "ReplicaSet").cells({ metadata: created("x") }, now)[7], "<none>");
  assert.equal(printer("apps", "Deployment").cells({ metadata: created("x") }, now)[7], "");
  const odd = {
    matchExpressions: [
      { key: "a", operator: "Exists" },
      { key: "b", operator: "DoesNotExist" },
    ],
  };
  assert.equal(
    printer("apps", "Deployment").cells({ metadata: created("x"), spec: { selector: odd } }, now)[7],
    "a,!b",
  );
});

test("Event: last seen, object, source, count; a series and an eventTime-only event", () => {
  assert.deepEqual(
    row("", "Event", {
      metadata: created("web-1.17a"),
      involvedObject: { kind: "Pod", name: "web-1", fieldPath: "spec.containers{app}" },
      reason: "BackOff",
      message: "  Back-off restarting failed container\n",
      type: "Warning",
      source: { component: "kubelet", host: "node-a" },
      firstTimestamp: ago(3 * HOUR),
      lastTimestamp: ago(2 * MINUTE + 30 * SECOND),
      count: 12,
    }),
    {
      "Last Seen": "2m30s",
      Type: "Warning",
      Reason: "BackOff",
      Object: "pod/web-1",
      Subobject: "spec.containers{app}",
      Source: "kubelet, node-a",
      Message: "Back-off restarting failed container",
      "First Seen": "3h",
      Count: 12,
      Name: "web-1.17a",
    },
  );
  const series = printer("", "Event").cells(
    {
      metadata: created("s"),
      involvedObject: { kind: "Deployment" },
      eventTime: "2026-03-01T11:40:00.000000Z",
      series: { count: 7, lastObservedTime: "2026-03-01T11:59:00.000000Z" },
      reportingComponent: "deployment-controller",
    },
    now,
  );
  assert.deepEqual(series, ["60s", "", "", "deployment", "", "deployment-controller", "", "20m", 7, "s"]);
  const singleton = printer("", "Event").cells({ metadata: created("one"), eventTime: ago(10 * SECOND) }, now);
  assert.deepEqual([singleton[0], singleton[7], singleton[8]], ["10s", "10s", 1]);
});

test("Namespace, ConfigMap, Secret, ServiceAccount", () => {
  assert.deepEqual(row("", "Namespace", { metadata: created("shop"), status: { phase: "Terminating" } }), {
    Name: "shop",
    Status: "Terminating",
    Age: "5m",
  });
  assert.deepEqual(
    row("", "ConfigMap", { metadata: created("cfg"), data: { a: "1", b: "2" }, binaryData: { c: "AA==" } }),
    { Name: "cfg", Data: 3, Age: "5m" },
  );
  assert.deepEqual(row("", "ConfigMap", { metadata: created("empty") }).Data, 0);
  assert.deepEqual(
    row("", "Secret", {
      metadata: created("tls"),
      type: "kubernetes.io/tls",
      data: { "tls.crt": "", "tls.key": "" },
      stringData: { "tls.key": "x", "ca.crt": "y" },
    }),
    { Name: "tls", Type: "kubernetes.io/tls", Data: 3, Age: "5m" },
  );
  assert.deepEqual(row("", "ServiceAccount", { metadata: created("builder") }), { Name: "builder", Age: "5m" });
  assert.equal(row("", "ServiceAccount", { metadata: { name: "no-timestamp" } }).Age, "<unknown>");
});

test("StatefulSet and DaemonSet", () => {
  const template = { spec: { containers: [{ name: "db", image: "postgres:16" }], nodeSelector: { disk: "ssd" } } };
  assert.deepEqual(
    row("apps", "StatefulSet", {
      metadata: created("db"),
      spec: { replicas: 3, template },
      status: { readyReplicas: 1 },
    }),
    { Name: "db", Ready: "1/3", Age: "5m", Containers: "db", Images: "postgres:16" },
  );
  assert.deepEqual(
    row("apps", "DaemonSet", {
      metadata: created("agent"),
      spec: { selector: { matchLabels: { app: "agent" } }, template },
      status: {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      },
    }),
    {
      Name: "agent",
      Desired: 3,
      Current: 3,
      Ready: 2,
      "Up-to-date": 3,
      Available: 2,
      "Node Selector": "disk=ssd",
      Age: "5m",
      Containers: "db",
      Images: "postgres:16",
      Selector: "app=agent",
    },
  );
});

test("Job and CronJob", () => {
  const template = { spec: { containers: [{ name: "migrate", image: "shop:1" }] } };
  assert.deepEqual(
    row("batch", "Job", {
      metadata: created("migrate"),
      spec: {
        completions: 1,
        parallelism: 1,
        template,
        selector: { matchLabels: { "batch.kubernetes.io/job-name": "migrate" } },
      },
      status: {
        succeeded: 1,
        startTime: ago(5 * MINUTE),
        completionTime: ago(5 * MINUTE - 42 * SECOND),
        conditions: [
          { type: "SuccessCriteriaMet", status: "True" },
          { type: "Complete", status: "True" },
        ],
      },
    }),
    {
      Name: "migrate",
      Status: "Complete",
      Completions: "1/1",
      Duration: "42s",
      Age: "5m",
      Containers: "migrate",
      Images: "shop:1",
      Selector: "batch.kubernetes.io/job-name=migrate",
    },
  );
  const running = printer("batch", "Job").cells(
    { metadata: created("r"), spec: { parallelism: 3 }, status: { startTime: ago(3 * MINUTE + 20 * SECOND) } },
    now,
  );
  assert.deepEqual(running.slice(1, 4), ["Running", "0/1 of 3", "3m20s"]);
  const notStarted = printer("batch", "Job").cells({ metadata: created("n"), spec: { completions: 5 } }, now);
  assert.deepEqual(notStarted.slice(1, 4), ["Running", "0/5", ""]);
  const failed = { metadata: created("f"), status: { conditions: [{ type: "Failed", status: "True" }] } };
  assert.equal(printer("batch", "Job").cells(failed, now)[1], "Failed");

  assert.deepEqual(
    row("batch", "CronJob", {
      metadata: created("nightly"),
      spec: { schedule: "0 3 * * *", timeZone: "Etc/UTC", suspend: false, jobTemplate: { spec: { template } } },
      status: { active: [{ name: "nightly-1" }], lastScheduleTime: ago(9 * HOUR) },
    }),
    {
      Name: "nightly",
      Schedule: "0 3 * * *",
      Timezone: "Etc/UTC",
      Suspend: "False",
      Active: 1,
      "Last Schedule": "9h",
      Age: "5m",
      Containers: "migrate",
      Images: "shop:1",
      Selector: "<none>",
    },
  );
  const bare = printer("batch", "CronJob").cells({ metadata: created("b"), spec: { schedule: "@daily" } }, now);
  assert.deepEqual(bare.slice(2, 6), ["<none>", "<unset>", 0, "<none>"]);
});

test("Node: ready, roles, versions, addresses", () => {
  assert.deepEqual(
    row("", "Node", {
      metadata: created("node-a", {
        labels: { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "etcd", other: "x" },
      }),
      spec: { unschedulable: true },
      status: {
        conditions: [
          { type: "MemoryPressure", status: "False" },
          { type: "Ready", status: "True" },
        ],
        addresses: [
          { type: "Hostname", address: "node-a" },
          { type: "InternalIP", address: "172.18.0.2" },
        ],
        nodeInfo: {
          kubeletVersion: "v1.36.3",
          osImage: "Debian GNU/Linux 12",
          kernelVersion: "6.8.0",
          architecture: "amd64",
          containerRuntimeVersion: "containerd://2.1.0",
        },
      },
    }),
    {
      Name: "node-a",
      Status: "Ready,SchedulingDisabled",
      Roles: "control-plane,etcd",
      Age: "5m",
      Version: "v1.36.3",
      "Internal-IP": "172.18.0.2",
      "External-IP": "<none>",
      "OS-Image": "Debian GNU/Linux 12",
      "Kernel-Version": "6.8.0 (amd64)",
      "Container-Runtime": "containerd://2.1.0",
    },
  );
  const bare = printer("", "Node").cells({ metadata: created("new") }, now);
  assert.deepEqual(bare.slice(1, 3), ["Unknown", "<none>"]);
  assert.deepEqual(bare.slice(7), ["<unknown>", "<unknown>", "<unknown>"]);
});

test("PersistentVolumeClaim: pending and bound", () => {
  assert.deepEqual(
    row("", "PersistentVolumeClaim", {
      metadata: created("data"),
      spec: { storageClassName: "standard", volumeMode: "Filesystem", resources: { requests: { storage: "1Gi" } } },
      status: { phase: "Pending" },
    }),
    {
      Name: "data",
      Status: "Pending",
      Volume: "",
      Capacity: "",
      "Access Modes": "",
      StorageClass: "standard",
      VolumeAttributesClass: "<unset>",
      Age: "5m",
      VolumeMode: "Filesystem",
    },
  );
  const bound = printer("", "PersistentVolumeClaim").cells(
    {
      metadata: created("data", { annotations: { "volume.beta.kubernetes.io/storage-class": "beta" } }),
      spec: { volumeName: "pv-1", storageClassName: "standard" },
      status: {
        phase: "Bound",
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
      },
    },
    now,
  );
  assert.deepEqual(bound.slice(1, 6), ["Bound", "pv-1", "10Gi", "RWO,RWX", "beta"]);
  assert.equal(bound[8], "<unset>");
  const capacity = (storage: unknown): unknown =>
    printer("", "PersistentVolumeClaim").cells(
      { metadata: created("data"), spec: { volumeName: "pv-1" }, status: { capacity: { storage } } },
      now,
    )[3];
  assert.equal(capacity("1024Mi"), "1Gi", "a quantity prints canonical");
  assert.equal(capacity(undefined), "0", "an absent quantity prints as zero");
});

test("Ingress and EndpointSlice", () => {
  assert.deepEqual(
    row("networking.k8s.io", "Ingress", {
      metadata: created("web"),
      spec: {
        ingressClassName: "nginx",
        rules: [{ host: "a.example.com" }, {}, { host: "b.example.com" }, { host: "c.example.com" }, { host: "d" }],
        tls: [{ hosts: ["a.example.com"] }],
      },
      status: { loadBalancer: { ingress: [{ ip: "10.1.0.5" }, { hostname: "lb.example.com" }] } },
    }),
    {
      Name: "web",
      Class: "nginx",
      Hosts: "a.example.com,b.example.com,c.example.com + 2 more...",
      Address: "10.1.0.5,lb.example.com",
      Ports: "80, 443",
      Age: "5m",
    },
  );
  assert.deepEqual(
    printer("networking.k8s.io", "Ingress")
      .cells({ metadata: created("x") }, now)
      .slice(1, 5),
    ["<none>", "*", "", "80"],
  );
  assert.deepEqual(
    row("discovery.k8s.io", "EndpointSlice", {
      metadata: created("web-abc"),
      addressType: "IPv4",
      ports: [{ port: 80 }, { name: "metrics" }, {}, { port: 9090 }],
      endpoints: [{ addresses: ["10.0.0.1"] }, { addresses: ["10.0.0.2", "10.0.0.3"] }],
    }),
    {
      Name: "web-abc",
      AddressType: "IPv4",
      Ports: "80,metrics,* + 1 more...",
      Endpoints: "10.0.0.1,10.0.0.2,10.0.0.3",
      Age: "5m",
    },
  );
  assert.deepEqual(
    printer("discovery.k8s.io", "EndpointSlice")
      .cells({ metadata: created("e"), addressType: "IPv6" }, now)
      .slice(2, 4),
    ["<unset>", "<unset>"],
  );
});

test("Endpoints: ip:port of each ready address and port, IPv6 in brackets, headless, + N more...", () => {
  const endpoints = (subsets: unknown): unknown =>
    row("", "Endpoints", { metadata: created("web"), ...(subsets === undefined ? {} : { subsets }) });
  assert.deepEqual(
    endpoints([
      {
        addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }],
        notReadyAddresses: [{ ip: "10.0.0.9" }],
        ports: [
          { name: "http", port: 80 },
          { name: "https", port: 443 },
        ],
      },
      { addresses: [{ ip: "10.0.1.1" }], ports: [{ port: 8080 }] },
    ]),
    { Name: "web", Endpoints: "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", Age: "5m" },
  );
  const cell = (subsets: unknown): unknown => (endpoints(subsets) as Record<string, unknown>).Endpoints;
  assert.equal(cell([{ addresses: [{ ip: "fd00::1" }], ports: [{ port: 8080 }] }]), "[fd00::1]:8080");
  assert.equal(cell([{ addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }] }]), "10.0.0.1,10.0.0.2", "no ports");
  assert.equal(
    cell([{ addresses: [{ ip: "a" }, { ip: "b" }, { ip: "c" }] }, { addresses: [{ ip: "d" }], ports: [{ port: 1 }] }]),
    "a,b,c + 1 more...",
  );
  assert.equal(cell([{ addresses: [{ ip: "a" }, { ip: "b" }, { ip: "c" }] }]), "a,b,c", "exactly three");
  assert.equal(cell(undefined), "<none>");
  assert.equal(cell([]), "<none>");
  assert.equal(cell([{ notReadyAddresses: [{ ip: "10.0.0.9" }], ports: [{ port: 80 }] }]), "", "none ready");
});

test("NetworkPolicy: the pod selector", () => {
  assert.deepEqual(
    row("networking.k8s.io", "NetworkPolicy", {
      metadata: created("deny"),
      spec: {
        podSelector: {
          matchLabels: { app: "web" },
          matchExpressions: [
            { key: "tier", operator: "In", values: ["db", "cache"] },
            { key: "canary", operator: "DoesNotExist" },
          ],
        },
        policyTypes: ["Ingress"],
      },
    }),
    { Name: "deny", "Pod-Selector": "app=web,!canary,tier in (cache,db)", Age: "5m" },
  );
  const selector = (spec: JsonRecord | undefined): unknown =>
    printer("networking.k8s.io", "NetworkPolicy").cells(
      { metadata: created("all"), ...(spec ? { spec } : {}) },
      now,
    )[1];
  assert.equal(selector({ podSelector: {} }), "<none>", "an empty selector selects every pod");
  assert.equal(selector(undefined), "<none>");
  assert.equal(selector({ podSelector: { matchExpressions: [{ key: "a", operator: "Gt" }] } }), "<error>");
});

test("Role and ClusterRole: the default Table convertor's name and creation time", () => {
  for (const kind of ["Role", "ClusterRole"]) {
    const p = printer("rbac.authorization.k8s.io", kind);
    assert.deepEqual(
      p.columns.map((c) => [c.name, c.type, c.format, c.priority]),
      [
        ["Name", "string", "name", 0],
        ["Created At", "date", "", 0],
      ],
    );
    assert.match(p.columns[1]?.description ?? "", /^CreationTimestamp is a timestamp/);
    assert.deepEqual(p.cells({ metadata: { name: "reader", creationTimestamp: "2026-01-02T03:04:05Z" } }, now), [
      "reader",
      "2026-01-02T03:04:05Z",
    ]);
    assert.deepEqual(p.cells({ metadata: { name: "x", creationTimestamp: "2026-01-02T03:04:05.987Z" } }, now), [
      "x",
      "2026-01-02T03:04:05Z",
    ]);
    assert.deepEqual(p.cells({ metadata: { name: "x" } }, now), ["x", "0001-01-01T00:00:00Z"], "Go's zero time");
  }
});

test("RoleBinding and ClusterRoleBinding: role, users, groups, service accounts", () => {
  const subjects = [
    { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" },
    { kind: "ServiceAccount", name: "builder", namespace: "ci" },
    { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "devs" },
    { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "bob" },
    { kind: "ServiceAccount", name: "no-namespace" },
    { kind: "Robot", name: "r2" },
    { kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "system:authenticated" },
  ];
  assert.deepEqual(
    row("rbac.authorization.k8s.io", "RoleBinding", {
      metadata: created("read"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
      subjects,
    }),
    {
      Name: "read",
      Role: "ClusterRole/view",
      Age: "5m",
      Users: "alice, bob",
      Groups: "devs, system:authenticated",
      ServiceAccounts: "ci/builder, /no-namespace",
    },
  );
  assert.deepEqual(
    row("rbac.authorization.k8s.io", "ClusterRoleBinding", {
      metadata: created("admins"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
    }),
    { Name: "admins", Role: "ClusterRole/cluster-admin", Age: "5m", Users: "", Groups: "", ServiceAccounts: "" },
  );
  const rb = printer("rbac.authorization.k8s.io", "RoleBinding").columns;
  const crb = printer("rbac.authorization.k8s.io", "ClusterRoleBinding").columns;
  assert.deepEqual(
    rb.map((c) => [c.name, c.priority, c.description.slice(0, 40)]),
    [
      ["Name", 0, "Name must be unique within a namespace. "],
      ["Role", 0, "RoleRef can reference a Role in the curr"],
      ["Age", 0, "CreationTimestamp is a timestamp represe"],
      ["Users", 1, "Users in the roleBinding"],
      ["Groups", 1, "Groups in the roleBinding"],
      ["ServiceAccounts", 1, "ServiceAccounts in the roleBinding"],
    ],
  );
  assert.match(crb[1]?.description ?? "", /^RoleRef can only reference a ClusterRole/);
  assert.equal(crb[5]?.description, "ServiceAccounts in the clusterRoleBinding");
});

test("PodDisruptionBudget: min available or max unavailable, as numbers or percentages", () => {
  assert.deepEqual(
    row("policy", "PodDisruptionBudget", {
      metadata: created("web"),
      spec: { minAvailable: 2, selector: { matchLabels: { app: "web" } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    }),
    { Name: "web", "Min Available": "2", "Max Unavailable": "N/A", "Allowed Disruptions": 1, Age: "5m" },
  );
  const cells = (pdbSpec: JsonRecord): unknown[] =>
    printer("policy", "PodDisruptionBudget")
      .cells({ metadata: created("p"), spec: pdbSpec }, now)
      .slice(1, 4);
  assert.deepEqual(cells({ maxUnavailable: "25%" }), ["N/A", "25%", 0]);
  assert.deepEqual(cells({ minAvailable: "50%" }), ["50%", "N/A", 0]);
  assert.deepEqual(cells({ maxUnavailable: 0 }), ["N/A", "0", 0], "zero is set");
  assert.deepEqual(cells({}), ["N/A", "N/A", 0]);
});

test("HorizontalPodAutoscaler: reference, targets of each metric type, min and max pods, replicas", () => {
  assert.deepEqual(
    row("autoscaling", "HorizontalPodAutoscaler", {
      metadata: created("web"),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
        ],
      },
      status: {
        currentReplicas: 3,
        desiredReplicas: 3,
        currentMetrics: [
          { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 45, averageValue: "90m" } } },
        ],
      },
    }),
    {
      Name: "web",
      Reference: "Deployment/web",
      Targets: "cpu: 45%/80%",
      MinPods: "2",
      MaxPods: 10,
      Replicas: 3,
      Age: "5m",
    },
  );
  const hpa = (metrics: unknown, currentMetrics?: unknown, extra: JsonRecord = {}): unknown[] =>
    printer("autoscaling", "HorizontalPodAutoscaler").cells(
      {
        metadata: created("h"),
        spec: { scaleTargetRef: { kind: "StatefulSet", name: "db" }, maxReplicas: 4, metrics, ...extra },
        ...(currentMetrics === undefined ? {} : { status: { currentMetrics } }),
      },
      now,
    );
  const targets = (metrics: unknown, currentMetrics?: unknown): unknown => hpa(metrics, currentMetrics)[2];

  assert.deepEqual(hpa(undefined), ["h", "StatefulSet/db", "<none>", "<unset>", 4, 0, "5m"]);
  // No status yet: every current value is unknown.
  const cpu = { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } };
  const memory = {
    type: "Resource",
    resource: { name: "memory", target: { type: "AverageValue", averageValue: "1Gi" } },
  };
  assert.equal(targets([cpu]), "cpu: <unknown>/50%");
  assert.equal(targets([memory]), "memory: <unknown>/1Gi");
  assert.equal(
    targets([memory], [{ type: "Resource", resource: { name: "memory", current: { averageValue: "1073741824" } } }]),
    "memory: 1073741824/1Gi",
  );
  assert.equal(
    targets([memory], [{ type: "Resource", resource: { name: "memory", current: { averageValue: "1024Mi" } } }]),
    "memory: 1Gi/1Gi",
    "quantities print canonical",
  );
  assert.equal(
    targets([memory], [{ type: "Resource", resource: { name: "memory", current: {} } }]),
    "memory: <nil>/1Gi",
    "a status without the value: Go prints a nil Quantity",
  );
  assert.equal(
    targets([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization" } } }]),
    "cpu: <unknown>/<auto>",
  );
  assert.equal(
    targets([cpu], [{ type: "Resource", resource: { name: "cpu", current: { averageValue: "10m" } } }]),
    "cpu: <unknown>/50%",
    "a status without utilization",
  );
  assert.equal(
    targets([cpu], [{ type: "Pods", pods: { current: { averageValue: "1" } } }]),
    "cpu: <unknown>/50%",
    "statuses are matched by index; another type's is unknown",
  );
  assert.equal(
    targets([
      {
        type: "ContainerResource",
        containerResource: { name: "cpu", container: "app", target: { type: "Utilization", averageUtilization: 60 } },
      },
      {
        type: "ContainerResource",
        containerResource: {
          name: "memory",
          container: "app",
          target: { type: "AverageValue", averageValue: "0.5Gi" },
        },
      },
    ]),
    "cpu: <unknown>/60%, memory: <unknown>/512Mi",
  );

  const pods = {
    type: "Pods",
    pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "1k" } },
  };
  assert.equal(targets([pods]), "<unknown>/1k");
  assert.equal(
    targets([pods], [{ type: "Pods", pods: { metric: { name: "qps" }, current: { averageValue: "0.5" } } }]),
    "500m/1k",
  );

  const object = (target: JsonRecord): JsonRecord => ({
    type: "Object",
    object: { describedObject: { kind: "Ingress", name: "web" }, metric: { name: "rps" }, target },
  });
  assert.equal(targets([object({ type: "Value", value: "10k" })]), "<unknown>/10k");
  assert.equal(
    targets([object({ type: "Value", value: "10k" })], [{ type: "Object", object: { current: { value: "12000" } } }]),
    "12k/10k",
  );
  assert.equal(
    targets([object({ type: "Value", value: "10k" })], [{ type: "Object", object: { current: {} } }]),
    "<nil>/10k",
  );
  assert.equal(targets([object({ type: "AverageValue", averageValue: "30" })]), "<unknown>/30 (avg)");
  assert.equal(
    targets(
      [object({ type: "AverageValue", averageValue: "30" })],
      [{ type: "Object", object: { current: { value: "9" } } }],
    ),
    "<unknown>/30 (avg)",
    "an average target with a status lacking the average",
  );

  const external = (target: JsonRecord): JsonRecord => ({
    type: "External",
    external: { metric: { name: "queue_depth" }, target },
  });
  assert.equal(
    targets(
      [external({ type: "AverageValue", averageValue: "20" })],
      [{ type: "External", external: { current: { averageValue: "15" } } }],
    ),
    "15/20 (avg)",
  );
  assert.equal(
    targets(
      [external({ type: "Value", value: "100" })],
      [{ type: "External", external: { current: { value: "250m" } } }],
    ),
    "250m/100",
  );

  assert.equal(targets([{ type: "Custom" }]), "<unknown type>");
  assert.equal(
    targets([cpu, memory, pods, external({ type: "Value", value: "1" })]),
    "cpu: <unknown>/50%, memory: <unknown>/1Gi + 2 more...",
  );
  assert.equal(targets([cpu, memory]), "cpu: <unknown>/50%, memory: <unknown>/1Gi", "exactly two");
  assert.equal(hpa([cpu], undefined, { minReplicas: 0 })[3], "0");
});

test("Quantities print as Go's Quantity.String() after a round trip through the server (checked against Go)", () => {
  // Inputs and what kube-apiserver 1.36 prints for them (resource.ParseQuantity, JSON round trip, String()).
  const cases: Array<[string | number, string]> = [
    ["0.5", "500m"],
    ["1000m", "1"],
    ["1.5Gi", "1536Mi"],
    ["1024Ki", "1Mi"],
    ["1025Ki", "1025Ki"],
    ["0.5Ki", "512"],
    ["0.1Ki", "102400m"],
    ["1e3", "1e3"],
    ["1E3", "1E3"],
    ["1.5e3", "1500"],
    ["5e-3", "5e-3"],
    ["1000", "1k"],
    ["1000000", "1M"],
    ["0.0000000001", "1n"],
    ["-0.0000000001", "-1n"],
    ["1000E", "1"],
    ["+5", "+5"],
    ["05", "05"],
    ["1.500", "1.500"],
    ["1.5", "1500m"],
    ["16Ei", "9223372036854775807"],
    ["4096Mi", "4Gi"],
    ["8Ki", "8Ki"],
    ["0.5Mi", "512Ki"],
    ["-1.5Gi", "-1536Mi"],
    ["1.2345678901e2", "123456789010e-9"],
    ["12.345e-7", "1235e-9"],
    ["100e-3", "100e-3"],
    ["1000e-3", "1"],
    ["000.000", "0"],
    [" 2Gi ", "2Gi"],
    [250, "250"],
    [0.25, "250m"],
  ];
  const p = printer("autoscaling", "HorizontalPodAutoscaler");
  for (const [input, want] of cases) {
    const metric = { type: "Pods", pods: { target: { averageValue: input } } };
    assert.equal(p.cells({ spec: { metrics: [metric] } }, now)[2], `<unknown>/${want}`, JSON.stringify(input));
  }
});

test("Lease: the holder", () => {
  assert.deepEqual(
    row("coordination.k8s.io", "Lease", {
      metadata: created("bosun-leader"),
      spec: { holderIdentity: "bosun-0_abc", leaseDurationSeconds: 15 },
    }),
    { Name: "bosun-leader", Holder: "bosun-0_abc", Age: "5m" },
  );
  assert.deepEqual(printer("coordination.k8s.io", "Lease").cells({ metadata: created("free"), spec: {} }, now), [
    "free",
    "",
    "5m",
  ]);
});
