// events.k8s.io/v1, differentially: Events are one storage served under two groups, converted both ways in
// reads, writes, watches and field selectors; an Event created through events.k8s.io/v1 gets its strict
// checks; errors and tables are those of kube-apiserver.
import assert from "node:assert/strict";
import { test } from "node:test";
import { answeredAlike, type RawAnswer, rawLine, rawRequest } from "./differential.js";

const EVENT_TIME = "2026-12-06T08:00:00.000000Z";

function eventsV1(name: string, ns: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: "events.k8s.io/v1",
    kind: "Event",
    metadata: { name },
    eventTime: EVENT_TIME,
    reportingController: "bosun.dev/agent",
    reportingInstance: "agent-1",
    action: "Sync",
    reason: "Synced",
    type: "Normal",
    regarding: { kind: "Pod", namespace: ns, name: "web-1" },
    note: "synced",
    ...fields,
  };
}

const coreEvent = (name: string, ns: string) => ({
  apiVersion: "v1",
  kind: "Event",
  metadata: { name },
  involvedObject: { kind: "Deployment", namespace: ns, name: "web" },
  reason: "ScalingReplicaSet",
  message: "Scaled up replica set web-1 from 0 to 2",
  source: { component: "deployment-controller" },
  firstTimestamp: "2026-12-06T08:00:00Z",
  lastTimestamp: "2026-12-06T08:01:00Z",
  count: 2,
  type: "Normal",
});

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}

/**
 * The object of an answer without what each server makes up (uid, times, versions) or names per target; of
 * its field ownership the version and the top-level fields (the embedded server's nested FieldsV1 of an Event
 * is not kube-apiserver's: docs/embedded-differences.md).
 */
function comparable(answer: RawAnswer, ns: string): string {
  const obj = JSON.parse(answer.text) as { metadata: Record<string, unknown> };
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, managedFields, ...metadata } = obj.metadata;
  const fields = (managedFields as Array<{ apiVersion: string; fieldsV1: object }> | undefined)?.map(
    (m) => `${m.apiVersion} ${Object.keys(m.fieldsV1).sort().join(",")}`,
  );
  return JSON.stringify(sortedKeys({ ...obj, metadata: { ...metadata, fields } })).replaceAll(ns, "NS");
}

test("events.k8s.io/v1 and core/v1 Events are one storage, converted both ways, as kube-apiserver does", async (t) => {
  await answeredAlike(t, async (_client, ns) => {
    const n = ns.name;
    const core = `/api/v1/namespaces/${n}/events`;
    const events = `/apis/events.k8s.io/v1/namespaces/${n}/events`;
    const post = (path: string, body: unknown) =>
      rawRequest(ns.kubeconfig, "POST", path, { body: JSON.stringify(body) });
    const get = (path: string) => rawRequest(ns.kubeconfig, "GET", path);
    const out: string[] = [];
    out.push(rawLine("create through events.k8s.io", await post(events, eventsV1("new", n))));
    out.push(rawLine("create through core", await post(core, coreEvent("old", n))));
    out.push(rawLine("again through events.k8s.io", await post(events, eventsV1("new", n))));
    out.push(rawLine("a missing one", await get(`${events}/nope`)));
    out.push(`new as core: ${comparable(await get(`${core}/new`), n)}`);
    out.push(`new as events.k8s.io: ${comparable(await get(`${events}/new`), n)}`);
    out.push(`old as events.k8s.io: ${comparable(await get(`${events}/old`), n)}`);
    out.push(`old as core: ${comparable(await get(`${core}/old`), n)}`);
    const names = async (path: string) => {
      const answer = await get(path);
      if (answer.code !== 200) return rawLine(path.replace(n, "NS"), answer);
      const list = JSON.parse(answer.text) as { kind: string; items: Array<{ metadata: { name: string } }> };
      return `${path.replace(n, "NS")}: ${list.kind} ${list.items.map((i) => i.metadata.name).join(",")}`;
    };
    out.push(await names(`${events}?fieldSelector=regarding.name=web-1`));
    out.push(await names(`${events}?fieldSelector=regarding.kind=Deployment,reason=ScalingReplicaSet`));
    out.push(await names(`${events}?fieldSelector=reportingController=bosun.dev/agent`));
    out.push(await names(`${events}?fieldSelector=involvedObject.name=web-1`));
    out.push(await names(`${core}?fieldSelector=involvedObject.name=web-1`));
    out.push(await names(`${core}?fieldSelector=regarding.name=web-1`));
    // A watch through events.k8s.io sees an Event written through core, in its own shape.
    const listed = JSON.parse((await get(events)).text) as { metadata: { resourceVersion: string } };
    await post(core, { ...coreEvent("later", n), message: "written through core" });
    const watched = await get(
      `${events}?watch=true&timeoutSeconds=1&resourceVersion=${listed.metadata.resourceVersion}`,
    );
    for (const line of watched.text.trim().split("\n")) {
      const e = JSON.parse(line) as { type: string; object: { apiVersion: string; note?: string; message?: string } };
      out.push(`watched: ${e.type} ${e.object.apiVersion} note=${e.object.note} message=${e.object.message}`);
    }
    // kubectl prints both as kube-apiserver's Event printer does.
    out.push(ns.kubectl(["-n", n, "get", "events.events.k8s.io", "new"]).split("\n")[0] ?? "");
    return out;
  });
});

test("an Event created through events.k8s.io/v1 is checked strictly, with kube-apiserver's messages", async (t) => {
  const answers = await answeredAlike(t, async (_client, ns) => {
    const n = ns.name;
    const path = `/apis/events.k8s.io/v1/namespaces/${n}/events`;
    const bodies: Array<[string, unknown]> = [
      ["nothing but a name", { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "a" } }],
      [
        "no reporter",
        { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "b" }, eventTime: EVENT_TIME },
      ],
      ["an unknown type", eventsV1("c", n, { type: "Info" })],
      ["deprecated fields", eventsV1("d", n, { deprecatedCount: 3, deprecatedSource: { host: "h" } })],
      [
        "a regarding namespace of another",
        { ...eventsV1("e", n), eventTime: undefined, regarding: { namespace: "other" } },
      ],
      [
        "too long, a bad name, a short series",
        eventsV1("Bad_Name", n, {
          reportingInstance: "i".repeat(130),
          action: "a".repeat(130),
          note: "n".repeat(1100),
          regarding: {},
          series: { count: 1 },
          deprecatedFirstTimestamp: "2026-12-06T08:00:00Z",
        }),
      ],
    ];
    const out: string[] = [];
    const core = `/api/v1/namespaces/${n}/events`;
    const coreBodies: Array<[string, unknown]> = [
      ["core: an object of another namespace", { ...coreEvent("f", n), involvedObject: { namespace: "other" } }],
      ["core: eventTime without a reporter", { ...coreEvent("g", n), eventTime: EVENT_TIME }],
    ];
    for (const [what, body] of coreBodies)
      out.push(
        rawLine(what, await rawRequest(ns.kubeconfig, "POST", core, { body: JSON.stringify(body) })).replaceAll(
          n,
          "NS",
        ),
      );
    for (const [what, body] of bodies)
      out.push(
        rawLine(what, await rawRequest(ns.kubeconfig, "POST", path, { body: JSON.stringify(body) })).replaceAll(
          n,
          "NS",
        ),
      );
    return out;
  });
  assert.equal(
    answers[2],
    'nothing but a name: 422 Event "a" is invalid: [involvedObject.namespace: Invalid value: "": does not match event.namespace, eventTime: Required value, type: Invalid value: "": has invalid value: ]',
  );
});
