import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../api/index.js";
import { LAST_APPLIED_ANNOTATION } from "./normalize.js";
import {
  isSecret,
  maskSecret,
  maskSecretValues,
  SECRET_ANNOTATION_PLACEHOLDER,
  SECRET_PLACEHOLDER,
  SECRET_PLACEHOLDER_DESIRED,
  SECRET_PLACEHOLDER_LIVE,
} from "./secret-mask.js";

const fixture = (name: string): KubeObject =>
  parse(readFileSync(new URL(`./fixtures/${name}.yaml`, import.meta.url), "utf8")) as KubeObject;

/** Every secret value the fixtures hold, base64 and decoded, including those inside last-applied annotations. */
function secretValuesOf(...objects: KubeObject[]): string[] {
  const values = new Set<string>();
  const visit = (obj: Record<string, unknown>) => {
    for (const [field, decode] of [
      ["data", true],
      ["stringData", false],
    ] as const) {
      const map = obj[field];
      if (typeof map !== "object" || map === null) continue;
      for (const v of Object.values(map)) {
        if (typeof v !== "string") continue;
        values.add(v);
        if (decode) values.add(Buffer.from(v, "base64").toString("utf8"));
      }
    }
  };
  for (const obj of objects) {
    visit(obj);
    const lastApplied = obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    if (lastApplied) visit(JSON.parse(lastApplied) as Record<string, unknown>);
  }
  return [...values];
}

function assertNoSecretIn(text: string, secrets: string[]): void {
  for (const s of secrets) assert.equal(text.includes(s), false, `output contains a secret value (${s.length} chars)`);
}

describe("maskSecret on real Secrets", () => {
  const live = fixture("secret-password-patched-by-kubectl");
  const desired = fixture("secret-dry-run-after-patch");
  const secrets = secretValuesOf(live, desired, fixture("secret-manifest-from-git"));

  test("the fixtures hold recognisable secrets (guards the leak checks)", () => {
    for (const s of ["s3cr3t-Purple-Hippo", "Leaked-Orange-Walrus", "Extra-Teal-Otter", "czNjcjN0LVB1cnBsZS1IaXBwbw=="])
      assert.ok(
        secrets.some((v) => v.includes(s)),
        s,
      );
    assert.ok(JSON.stringify(live).includes("TGVha2VkLU9yYW5nZS1XYWxydXM="));
  });

  test("per key: unchanged, one side only, changed", () => {
    const masked = maskSecret(live, desired);
    assert.deepEqual(masked.live.data, {
      dsn: SECRET_PLACEHOLDER,
      extra: SECRET_PLACEHOLDER,
      password: SECRET_PLACEHOLDER_LIVE,
      username: SECRET_PLACEHOLDER,
    });
    assert.deepEqual(masked.desired.data, {
      dsn: SECRET_PLACEHOLDER,
      extra: SECRET_PLACEHOLDER,
      password: SECRET_PLACEHOLDER_DESIRED,
      username: SECRET_PLACEHOLDER,
    });
  });

  test("no value survives anywhere in either masked object", () => {
    const masked = maskSecret(live, desired);
    assertNoSecretIn(JSON.stringify(masked), secrets);
  });

  test("the inputs are not touched", () => {
    const before = structuredClone({ live, desired });
    maskSecret(live, desired);
    assert.deepEqual({ live, desired }, before);
  });

  test("the last-applied annotation of a client-side applied Secret is masked key by key, stringData too", () => {
    const csaLive = fixture("secret-client-side-applied-by-kubectl");
    const csaDesired = fixture("secret-dry-run-after-client-side-apply");
    const all = secretValuesOf(csaLive, csaDesired);
    assert.ok(csaLive.metadata.annotations?.[LAST_APPLIED_ANNOTATION]?.includes("s3cr3t-Purple-Hippo"));
    const masked = maskSecret(csaLive, csaDesired);
    assertNoSecretIn(JSON.stringify(masked), all);
    const annotation = masked.live.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
    assert.ok(annotation);
    const parsed = JSON.parse(annotation) as { data: Record<string, string>; stringData?: unknown; kind: string };
    assert.equal(parsed.kind, "Secret");
    assert.equal(parsed.stringData, undefined);
    assert.deepEqual(Object.keys(parsed.data).sort(), ["dsn", "password", "username"]);
    for (const v of Object.values(parsed.data)) assert.equal(v, SECRET_PLACEHOLDER);
  });

  test("stringData is compared by content with data: the manifest and its dry-run hold the same values", () => {
    const manifest = fixture("secret-manifest-from-git");
    const dryRun = fixture("secret-dry-run-after-client-side-apply");
    assert.ok(manifest.stringData);
    const masked = maskSecret(dryRun, manifest);
    assert.equal(masked.desired.stringData, undefined);
    assert.deepEqual(masked.desired.data, masked.live.data);
    assert.deepEqual(masked.desired.data, {
      username: SECRET_PLACEHOLDER,
      password: SECRET_PLACEHOLDER,
      dsn: SECRET_PLACEHOLDER,
    });
    assertNoSecretIn(JSON.stringify(masked), secretValuesOf(manifest, dryRun));
  });
});

describe("maskSecret placeholders", () => {
  const secret = (data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "s", namespace: "ns" },
    data,
    ...extra,
  });

  test("placeholders do not depend on length or content", () => {
    const short = maskSecret(secret({ k: "YQ==" }), secret({ k: "Yg==" }));
    const long = maskSecret(secret({ k: "x".repeat(4096) }), secret({ k: "y".repeat(12) }));
    assert.deepEqual(short, long);
  });

  const cases: Array<
    [string, Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>]
  > = [
    ["same value", { k: "YQ==" }, { k: "YQ==" }, { k: SECRET_PLACEHOLDER }, { k: SECRET_PLACEHOLDER }],
    ["changed value", { k: "YQ==" }, { k: "Yg==" }, { k: SECRET_PLACEHOLDER_LIVE }, { k: SECRET_PLACEHOLDER_DESIRED }],
    ["removed key", { k: "YQ==" }, {}, { k: SECRET_PLACEHOLDER }, {}],
    ["added key", {}, { k: "YQ==" }, {}, { k: SECRET_PLACEHOLDER }],
    [
      "empty values are values too",
      { k: "" },
      { k: "YQ==" },
      { k: SECRET_PLACEHOLDER_LIVE },
      { k: SECRET_PLACEHOLDER_DESIRED },
    ],
  ];
  for (const [name, liveData, desiredData, maskedLive, maskedDesired] of cases) {
    test(name, () => {
      const out = maskSecret(secret(liveData), secret(desiredData));
      assert.deepEqual(out.live.data, maskedLive);
      assert.deepEqual(out.desired.data, maskedDesired);
    });
  }

  test("stringData wins over data for the same key, as on the server", () => {
    const desired = secret({ k: Buffer.from("old").toString("base64") }, { stringData: { k: "new" } });
    const live = secret({ k: Buffer.from("new").toString("base64") });
    const out = maskSecret(live, desired);
    assert.deepEqual(out.desired.data, { k: SECRET_PLACEHOLDER });
  });

  test("one side absent (Missing, Extraneous): every value is the plain placeholder", () => {
    const out = maskSecret(undefined, secret({ a: "YQ==" }, { stringData: { b: "hunter2" } }));
    assert.equal(out.live, undefined);
    assert.deepEqual(out.desired?.data, { a: SECRET_PLACEHOLDER, b: SECRET_PLACEHOLDER });
    assert.equal(JSON.stringify(out).includes("hunter2"), false);
  });

  test("data that is not a map is hidden whole", () => {
    const odd = { ...secret({}), data: "aHVudGVyMg==" } as KubeObject;
    const out = maskSecret(odd, odd);
    assert.equal(out.live.data, SECRET_PLACEHOLDER);
  });

  test("an unreadable last-applied annotation on a Secret is hidden whole", () => {
    const s = secret({}, {});
    s.metadata.annotations = { [LAST_APPLIED_ANNOTATION]: '{"data":{"k":"hunter2"' };
    const out = maskSecret(s, s);
    assert.equal(out.live.metadata.annotations?.[LAST_APPLIED_ANNOTATION], SECRET_ANNOTATION_PLACEHOLDER);
  });

  test("a last-applied annotation holding a Secret is masked even on an object that is not one", () => {
    const odd: KubeObject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "c",
        annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(secret({ k: "aHVudGVyMg==" })) },
      },
      data: { plain: "visible" },
    };
    const out = maskSecret(odd, undefined);
    assert.equal(JSON.stringify(out).includes("aHVudGVyMg=="), false);
    assert.deepEqual(out.live?.data, { plain: "visible" });
  });

  test("objects that are not core Secrets are copies, unchanged", () => {
    const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { k: "v" } };
    const lookalike: KubeObject = {
      apiVersion: "example.com/v1",
      kind: "Secret",
      metadata: { name: "x" },
      data: { k: "v" },
    };
    const lastApplied: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d", annotations: { [LAST_APPLIED_ANNOTATION]: '{"kind":"Deployment","spec":{}}' } },
    };
    for (const obj of [cm, lookalike, lastApplied]) {
      const out = maskSecret(obj, obj);
      assert.deepEqual(out.live, obj);
      assert.notEqual(out.live, obj);
    }
  });
});

describe("isSecret", () => {
  const cases: Array<[unknown, boolean]> = [
    [{ apiVersion: "v1", kind: "Secret" }, true],
    [{ apiVersion: "v1", kind: "ConfigMap" }, false],
    [{ apiVersion: "bitnami.com/v1alpha1", kind: "Secret" }, false],
    [{ kind: "Secret" }, true],
    [undefined, false],
    ["Secret", false],
  ];
  for (const [obj, expected] of cases) {
    test(`${JSON.stringify(obj)}: ${expected}`, () => {
      assert.equal(isSecret(obj), expected);
    });
  }
});

test("a refusal quoting a Secret's value says <secret> instead; other objects' messages are kept", () => {
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "db" },
    data: { token: Buffer.from("Hunter-Two-42").toString("base64") },
    stringData: { pin: 482913, nested: { deep: "Quokka-Lantern" }, ok: "no" },
  };
  const message =
    "failed to create typed patch object (/db; /v1, Kind=Secret): .stringData.pin: expected string, got " +
    '&value.valueUnstructured{Value:482913}; .stringData.nested: got map[string]interface {}{"deep":"Quokka-Lantern"}; ' +
    "token was Hunter-Two-42, which is no good";
  const masked = maskSecretValues(message, secret);
  for (const value of ["482913", "Quokka-Lantern", "Hunter-Two-42", secret.data.token])
    assert.equal(masked.includes(value), false, `${value} is masked`);
  assert.match(masked, /\{Value:<secret>\}/);
  assert.match(masked, /which is no good$/, "values of fewer than 3 characters are left (nothing to hide)");
  const configMap = { ...secret, kind: "ConfigMap" };
  assert.equal(maskSecretValues(message, configMap), message);
});
