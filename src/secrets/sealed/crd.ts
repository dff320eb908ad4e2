// The SealedSecret CRD, schema for schema the one Bitnami's Helm chart installs (descriptions left out), so
// either controller can serve the other's objects.
import type { KubeObject } from "../../api/index.js";
import { SEALED_SECRET_GROUP, SEALED_SECRET_KIND, SEALED_SECRET_PLURAL } from "./names.js";

type Schema = Record<string, unknown>;

const str: Schema = { type: "string" };
const stringMap: Schema = { additionalProperties: str, type: "object" };
const dateTime: Schema = { format: "date-time", type: "string" };

const templateSchema: Schema = {
  properties: {
    data: { additionalProperties: str, nullable: true, type: "object" },
    immutable: { type: "boolean" },
    metadata: {
      nullable: true,
      properties: {
        annotations: stringMap,
        finalizers: { items: str, type: "array" },
        labels: stringMap,
        name: str,
        namespace: str,
      },
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
    },
    type: str,
  },
  type: "object",
};

const statusSchema: Schema = {
  properties: {
    conditions: {
      items: {
        properties: {
          lastTransitionTime: dateTime,
          lastUpdateTime: dateTime,
          message: str,
          reason: str,
          status: str,
          type: str,
        },
        required: ["status", "type"],
        type: "object",
      },
      type: "array",
    },
    observedGeneration: { format: "int64", type: "integer" },
  },
  type: "object",
};

/** sealedsecrets.bitnami.com: namespaced, v1alpha1, status subresource, Bitnami's printer columns. */
export function sealedSecretCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${SEALED_SECRET_PLURAL}.${SEALED_SECRET_GROUP}` },
    spec: {
      group: SEALED_SECRET_GROUP,
      names: {
        kind: SEALED_SECRET_KIND,
        listKind: `${SEALED_SECRET_KIND}List`,
        plural: SEALED_SECRET_PLURAL,
        singular: "sealedsecret",
      },
      scope: "Namespaced",
      versions: [
        {
          additionalPrinterColumns: [
            { jsonPath: ".status.conditions[0].message", name: "Status", type: "string" },
            { jsonPath: ".status.conditions[0].status", name: "Synced", type: "string" },
            { jsonPath: ".metadata.creationTimestamp", name: "Age", type: "date" },
          ],
          name: "v1alpha1",
          schema: {
            openAPIV3Schema: {
              properties: {
                apiVersion: str,
                kind: str,
                metadata: { type: "object" },
                spec: {
                  properties: {
                    data: { format: "byte", type: "string" },
                    encryptedData: { ...stringMap, "x-kubernetes-preserve-unknown-fields": true },
                    template: templateSchema,
                  },
                  required: ["encryptedData"],
                  type: "object",
                },
                status: statusSchema,
              },
              required: ["spec"],
              type: "object",
            },
          },
          served: true,
          storage: true,
          subresources: { status: {} },
        },
      ],
    },
  };
}
