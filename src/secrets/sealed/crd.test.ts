import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { sealedSecretCrd } from "./crd.js";

const VECTOR = fileURLToPath(
  new URL(
    "../../../../shared/vectors/sealed-secrets/bitnami-labs-sealed-secrets/bitnami.com_sealedsecrets.crd.yaml",
    import.meta.url,
  ),
);

/** The CRD without descriptions and controller-gen's annotation, which carry no meaning for the server. */
function withoutDescriptions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDescriptions);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== "description")
      .map(([k, v]) => [k, withoutDescriptions(v)]),
  );
}

test("the CRD bosun installs is Bitnami's, schema for schema", () => {
  assert.ok(existsSync(VECTOR), `missing vector ${VECTOR}`);
  const bitnami = parse(readFileSync(VECTOR, "utf8")) as { metadata: { annotations?: unknown } };
  delete bitnami.metadata.annotations;
  assert.deepEqual(sealedSecretCrd(), withoutDescriptions(bitnami));
});
