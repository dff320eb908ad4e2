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
  assert.equal(builtinPrinter("rbac.authorization.k8s.io", "Role"), undefined);
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
