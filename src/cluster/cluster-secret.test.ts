import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { ClusterSecretError, clusterFromSecret, clusterSecretFromKubeconfig } from "./cluster-secret.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

function secret(data: Record<string, string>, encoded = true): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "prod", namespace: "bosun", labels: { "bosun.dev/secret-type": "cluster" } },
    ...(encoded
      ? { data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) }
      : { stringData: data }),
  } as KubeObject;
}

test("Argo CD's cluster Secret shape: name, server and a config with a bearer token and CA", async () => {
  const entry = clusterFromSecret(
    secret({
      name: "prod",
      server: "https://prod.example.test:6443/",
      config: JSON.stringify({ bearerToken: "tok3n", tlsClientConfig: { caData: b64(CA), serverName: "api.prod" } }),
    }),
  );
  assert.equal(entry.name, "prod");
  assert.equal(entry.server, "https://prod.example.test:6443");
  assert.equal(entry.config.server, "https://prod.example.test:6443");
  const opts = await entry.config.requestOptions();
  assert.equal((opts.headers as Record<string, string>).Authorization, "Bearer tok3n");
  assert.equal(String(opts.ca), CA);
  assert.equal(opts.servername, "api.prod");
});

test("a kubeconfig with inline data: its current context's server and credentials", async () => {
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- {name: a, cluster: {server: "https://a.example.test", certificate-authority-data: ${b64(CA)}}}`,
    "- {name: b, cluster: {server: 'https://b.example.test', insecure-skip-tls-verify: true}}",
    "users: [{name: u, user: {username: admin, password: s3cret}}]",
    "contexts: [{name: a, context: {cluster: a, user: u}}, {name: b, context: {cluster: b, user: u}}]",
    "current-context: b",
  ].join("\n");
  const entry = clusterFromSecret(secret({ name: "b", kubeconfig }, false));
  assert.equal(entry.server, "https://b.example.test");
  const opts = await entry.config.requestOptions();
  assert.equal(opts.rejectUnauthorized, false);
  assert.equal(opts.auth, "admin:s3cret");
});

test("credentials that name the agent's files, run commands or go through a proxy are refused", () => {
  const kubeconfig = (user: string, cluster = "server: https://x.example.test") =>
    [
      `clusters: [{name: c, cluster: {${cluster}}}]`,
      `users: [{name: u, user: {${user}}}]`,
      "contexts: [{name: c, context: {cluster: c, user: u}}]",
      "current-context: c",
    ].join("\n");
  const refused: Array<[Record<string, string>, RegExp]> = [
    [{ kubeconfig: kubeconfig("tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token") }, /tokenFile/],
    [{ kubeconfig: kubeconfig("exec: {command: sh, args: [-c, id]}") }, /field exec is not supported/],
    [{ kubeconfig: kubeconfig("client-certificate: /etc/ssl/agent.crt") }, /client-certificate/],
    [
      { kubeconfig: kubeconfig("token: t", "server: https://x.example.test, certificate-authority: /etc/ca") },
      /certificate-authority/,
    ],
    [
      { server: "https://x.example.test", config: JSON.stringify({ execProviderConfig: { command: "sh" } }) },
      /execProviderConfig/,
    ],
    [{ server: "https://x.example.test", config: JSON.stringify({ awsAuthConfig: {} }) }, /awsAuthConfig/],
    [
      { server: "https://x.example.test", config: '{"bearerToken": "s3cr3t" x}' },
      /config is not JSON \(at position \d+\)$/,
    ],
    [
      { kubeconfig: "users: [{name: u, user: {token: s3cr3t\nclusters: 2" },
      /kubeconfig is not YAML \(at line 2, column \d+\)$/,
    ],
    [{ server: "https://x.example.test" }, /neither config nor kubeconfig/],
    [{ config: "{}" }, /has no server/],
    [{ server: "https://u:p@x.example.test", config: "{}" }, /must not hold credentials/],
    [{ server: "file:///etc/passwd", config: "{}" }, /not an http\(s\) URL/],
    [{ name: "in-cluster", server: "https://x.example.test", config: "{}" }, /agent's own cluster/],
    [{ server: "https://kubernetes.default.svc", config: "{}" }, /agent's own cluster/],
  ];
  for (const [data, why] of refused) {
    assert.throws(
      () => clusterFromSecret(secret(data)),
      (err: unknown) =>
        err instanceof ClusterSecretError &&
        why.test(err.message) &&
        /bosun\/prod/.test(err.message) &&
        !err.message.includes("s3cr3t"),
      JSON.stringify(data),
    );
  }
});

test("bosun cluster add's Secret holds the context's files inline and reads back as the same cluster", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "bosun-kubeconfig-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "ca.crt"), CA);
  writeFileSync(
    join(dir, "kubeconfig"),
    [
      "apiVersion: v1",
      "kind: Config",
      "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443', certificate-authority: ca.crt}}]",
      "users: [{name: u, user: {token: abc}}, {name: e, user: {exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}}}]",
      "contexts: [{name: c, context: {cluster: c, user: u}}, {name: e, context: {cluster: c, user: e}}]",
      "current-context: c",
    ].join("\n"),
  );
  const made = clusterSecretFromKubeconfig({ name: "dev", namespace: "bosun", kubeconfig: join(dir, "kubeconfig") });
  assert.equal(made.metadata.name, "cluster-dev");
  assert.equal(made.metadata.labels?.["bosun.dev/secret-type"], "cluster");
  const entry = clusterFromSecret(made);
  assert.equal(entry.name, "dev");
  assert.equal(String((await entry.config.requestOptions()).ca), CA);
  assert.throws(
    () =>
      clusterSecretFromKubeconfig({
        name: "dev",
        namespace: "bosun",
        kubeconfig: join(dir, "kubeconfig"),
        context: "e",
      }),
    /authenticates with an exec plugin/,
  );
  assert.throws(
    () =>
      clusterSecretFromKubeconfig({
        name: "dev",
        namespace: "bosun",
        kubeconfig: join(dir, "kubeconfig"),
        context: "x",
      }),
    /context "x" is not in/,
  );
});
