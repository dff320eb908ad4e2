// ChartSource against real servers: a Helm repository packaged and indexed by the pinned helm, served over
// HTTPS with basic auth; the pinned CNCF distribution registry with htpasswd auth, charts pushed by the
// pinned helm. Ranges, revalidation, a new version, wrong credentials, tampering, an unreachable source.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ChartSource, FetchError, RevisionNotFoundError } from "../../src/source/index.js";
import { runHelm } from "../harness/helm-cli.js";
import {
  buildChartRepo,
  type ChartSpec,
  type HelmRepoServer,
  startHelmRepoServer,
} from "../harness/helm-repo-server.js";
import { helmPush, type OciRegistry, startOciRegistry } from "../harness/oci-registry.js";
import { TempDirs } from "./git-fixture.js";

const signal = AbortSignal.timeout(300_000);
const AUTH = { username: "charts-reader", password: "s3cret-for-charts" };

function greetingChart(name: string, version: string): ChartSpec {
  return {
    name,
    version,
    files: {
      "values.yaml": `greeting: hello from ${version}\n`,
      "templates/cm.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeting\ndata:\n  greeting: {{ .Values.greeting | quote }}\n",
    },
  };
}

const temp = new TempDirs();
after(async () => await temp.cleanup());

describe("a Helm repository over HTTPS with basic auth", () => {
  let repoDir: string;
  let server: HelmRepoServer;
  let credentials: { username: string; password: string; caCert: string };
  before(async () => {
    repoDir = await temp.make("bosun-chart-repo-");
    await buildChartRepo(repoDir, [greetingChart("demo", "1.0.0"), greetingChart("demo", "1.1.0")], { signal });
    server = await startHelmRepoServer({ dir: repoDir, auth: AUTH });
    credentials = { ...AUTH, caCert: server.caCert };
  });
  after(async () => await server?.close());

  test("a range resolves to its highest version, unpacked, with the index's digest; a second look revalidates", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    const resolved = await charts.resolve(server.url, "demo", "1.x", { credentials, signal });
    assert.equal(resolved.version, "1.1.0");
    const archive = await readFile(join(repoDir, "demo-1.1.0.tgz"));
    assert.equal(resolved.digest, `sha256:${createHash("sha256").update(archive).digest("hex")}`);
    assert.equal(resolved.sha, `1.1.0@${resolved.digest}`);
    assert.equal(resolved.path, "demo");
    assert.match(await readFile(join(resolved.root, resolved.path, "values.yaml"), "utf8"), /hello from 1\.1\.0/);
    const before304 = server.requests.length;
    const again = await charts.resolve(server.url, "demo", "1.x", { credentials, signal });
    assert.equal(again.sha, resolved.sha);
    const revalidation = server.requests.slice(before304);
    assert.deepEqual(
      revalidation.map((r) => [r.path, r.status, r.conditional]),
      [["/index.yaml", 304, true]],
      "the index is revalidated and the unpacked chart reused: no download",
    );
    const quiet = server.requests.length;
    await charts.resolve(server.url, "demo", "1.x", { credentials, signal, freshSince: Date.now() - 60_000 });
    assert.equal(server.requests.length, quiet, "an answer within freshSince asks nobody");
  });

  test("a new version in the index is picked up; the older one stays reachable pinned", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    const first = await charts.resolve(server.url, "demo", ">=1.0.0 <2", { credentials, signal });
    assert.equal(first.version, "1.1.0");
    await buildChartRepo(repoDir, [greetingChart("demo", "1.2.0")], { merge: true, signal });
    const next = await charts.resolve(server.url, "demo", ">=1.0.0 <2", { credentials, signal });
    assert.equal(next.version, "1.2.0");
    const pinned = await charts.resolve(server.url, "demo", first.sha, { credentials, signal });
    assert.equal(pinned.version, "1.1.0");
    assert.equal(pinned.digest, first.digest);
  });

  test("wrong credentials, an unknown chart and a range nothing matches are errors naming the repository", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    await assert.rejects(
      charts.resolve(server.url, "demo", "*", { credentials: { ...credentials, password: "wrong" }, signal }),
      (e: unknown) => e instanceof FetchError && e.reason === "auth" && e.message.includes(server.url),
    );
    await assert.rejects(
      charts.resolve(server.url, "nginx", "*", { credentials, signal }),
      (e: unknown) => e instanceof RevisionNotFoundError && /has no chart named nginx/.test(e.message),
    );
    await assert.rejects(
      charts.resolve(server.url, "demo", ">=7", { credentials, signal }),
      (e: unknown) =>
        e instanceof RevisionNotFoundError && /no version of chart demo matches; it has 1\.2\.0/.test(e.message),
    );
    await assert.rejects(
      charts.resolve(server.url, "demo", "*", { credentials: { ...AUTH }, signal }),
      (e: unknown) => e instanceof FetchError && /TLS/.test(e.message),
      "without the repository's CA the server is not trusted",
    );
  });

  test("an archive that does not match the index's digest is refused", async () => {
    const dir = await temp.make("bosun-chart-repo-tampered-");
    await buildChartRepo(dir, [greetingChart("demo", "2.0.0")], { signal });
    const tampered = await startHelmRepoServer({ dir });
    try {
      const tgz = join(dir, "demo-2.0.0.tgz");
      await buildChartRepo(await temp.make("bosun-other-"), [greetingChart("demo", "2.0.0")], { signal });
      await writeFile(tgz, Buffer.concat([await readFile(tgz), Buffer.from([0])]));
      const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
      await assert.rejects(
        charts.resolve(tampered.url, "demo", "2.0.0", { credentials: { caCert: tampered.caCert }, signal }),
        /demo 2\.0\.0: the archive's digest sha256:[0-9a-f]{64} is not the index's sha256:[0-9a-f]{64}/,
      );
    } finally {
      await tampered.close();
    }
  });

  test("a bearer token is sent as Authorization: Bearer; a wrong one is refused", async () => {
    const dir = await temp.make("bosun-chart-repo-bearer-");
    await buildChartRepo(dir, [greetingChart("demo", "4.0.0")], { signal });
    const bearer = await startHelmRepoServer({ dir, bearerToken: "a-token-for-charts" });
    try {
      const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
      const resolved = await charts.resolve(bearer.url, "demo", "*", {
        credentials: { token: "a-token-for-charts", caCert: bearer.caCert },
        signal,
      });
      assert.equal(resolved.version, "4.0.0");
      await assert.rejects(
        new ChartSource({ cacheDir: await temp.make("bosun-charts-") }).resolve(bearer.url, "demo", "*", {
          credentials: { token: "wrong", caCert: bearer.caCert },
          signal,
        }),
        (e: unknown) => e instanceof FetchError && e.reason === "auth",
      );
    } finally {
      await bearer.close();
    }
  });

  test("a client certificate is presented to a repository that asks for one (mutual TLS)", async () => {
    const dir = await temp.make("bosun-chart-repo-mtls-");
    await buildChartRepo(dir, [greetingChart("demo", "5.0.0")], { signal });
    const mutual = await startHelmRepoServer({ dir, requireClientCert: true });
    try {
      const tls = { caCert: mutual.caCert, clientCert: mutual.clientCert, clientKey: mutual.clientKey };
      const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
      assert.equal((await charts.resolve(mutual.url, "demo", "*", { credentials: tls, signal })).version, "5.0.0");
      await assert.rejects(
        new ChartSource({ cacheDir: await temp.make("bosun-charts-") }).resolve(mutual.url, "demo", "*", {
          credentials: { caCert: mutual.caCert },
          signal,
        }),
        (e: unknown) => e instanceof FetchError,
        "without the client certificate the server closes the connection",
      );
    } finally {
      await mutual.close();
    }
  });

  test("cleanup removes an unpacked chart no answer refers to any more, and keeps the current one", async () => {
    const dir = await temp.make("bosun-chart-repo-cleanup-");
    await buildChartRepo(dir, [greetingChart("demo", "6.0.0")], { signal });
    const server6 = await startHelmRepoServer({ dir });
    try {
      const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
      const options = { credentials: { caCert: server6.caCert }, signal };
      const first = await charts.resolve(server6.url, "demo", "6.x", options);
      await buildChartRepo(dir, [greetingChart("demo", "6.1.0")], { merge: true, signal });
      const second = await charts.resolve(server6.url, "demo", "6.x", options);
      assert.notEqual(first.root, second.root);
      assert.deepEqual(await charts.cleanup({ unusedForMs: 0, signal }), [first.root]);
      assert.match(await readFile(join(second.root, second.path, "values.yaml"), "utf8"), /6\.1\.0/);
      await assert.rejects(readFile(join(first.root, first.path, "values.yaml")), { code: "ENOENT" });
      assert.deepEqual(await charts.cleanup({ unusedForMs: 60_000, signal }), [], "nothing unused long enough");
    } finally {
      await server6.close();
    }
  });

  test("when the repository goes away, its last answer serves with the error attached", async () => {
    const dir = await temp.make("bosun-chart-repo-gone-");
    await buildChartRepo(dir, [greetingChart("demo", "3.0.0")], { signal });
    const going = await startHelmRepoServer({ dir });
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-"), timeoutMs: 5_000 });
    const options = { credentials: { caCert: going.caCert }, signal };
    const first = await charts.resolve(going.url, "demo", "*", options);
    assert.equal(first.fetchError, undefined);
    await going.close();
    const later = await charts.resolve(going.url, "demo", "*", options);
    assert.equal(later.sha, first.sha);
    assert.ok(later.fetchError instanceof FetchError && later.fetchError.reason === "unreachable");
    const fresh = new ChartSource({ cacheDir: await temp.make("bosun-charts-"), timeoutMs: 5_000 });
    await assert.rejects(fresh.resolve(going.url, "demo", "*", options), (e: unknown) => {
      return e instanceof FetchError && e.reason === "unreachable";
    });
  });
});

describe("an OCI registry with htpasswd auth, charts pushed by helm", () => {
  let registry: OciRegistry;
  let pushed: Map<string, string>;
  before(async () => {
    registry = await startOciRegistry({ auth: AUTH });
    pushed = new Map();
    const dir = await temp.make("bosun-oci-charts-");
    await buildChartRepo(
      dir,
      [greetingChart("web", "0.1.0"), greetingChart("web", "0.2.0"), greetingChart("web", "1.0.0")],
      {
        signal,
      },
    );
    for (const version of ["0.1.0", "0.2.0", "1.0.0"]) {
      const { digest } = await helmPush(registry, join(dir, `web-${version}.tgz`), "charts", AUTH);
      pushed.set(version, digest);
    }
  });
  after(async () => await registry?.stop());

  const credentials = { ...AUTH, insecure: true };

  test("a range resolves over the tags; the digest is the manifest's helm push printed", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    const resolved = await charts.resolve(`${registry.url}/charts`, "web", ">=0.1 <1", {
      credentials,
      insecure: true,
      signal,
    });
    assert.equal(resolved.version, "0.2.0");
    assert.equal(resolved.digest, pushed.get("0.2.0"));
    assert.match(await readFile(join(resolved.root, resolved.path, "values.yaml"), "utf8"), /hello from 0\.2\.0/);
    const latest = await charts.resolve(`${registry.url}/charts`, "web", undefined, {
      credentials,
      insecure: true,
      signal,
    });
    assert.equal(latest.version, "1.0.0");
    const pinned = await charts.resolve(`${registry.url}/charts`, "web", resolved.sha, {
      credentials,
      insecure: true,
      signal,
    });
    assert.equal(pinned.version, "0.2.0");
  });

  test("the unpacked chart renders as helm template renders the registry's chart", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    const resolved = await charts.resolve(`${registry.url}/charts`, "web", "0.1.0", {
      credentials,
      insecure: true,
      signal,
    });
    const home = await temp.make("bosun-helm-home-");
    const login = await runHelm(
      ["registry", "login", registry.host, "--username", AUTH.username, "--password-stdin", "--plain-http"],
      { home, stdin: AUTH.password, signal },
    );
    assert.equal(login.exitCode, 0, login.stderr);
    const fromRegistry = await runHelm(
      ["template", "rel", `${registry.url}/charts/web`, "--version", "0.1.0", "--plain-http"],
      { home, signal },
    );
    assert.equal(fromRegistry.exitCode, 0, fromRegistry.stderr);
    const fromUnpacked = await runHelm(["template", "rel", join(resolved.root, resolved.path)], { home, signal });
    assert.equal(fromUnpacked.stdout, fromRegistry.stdout);
    assert.match(fromUnpacked.stdout, /greeting: "hello from 0\.1\.0"/);
  });

  test("plain http needs insecure; wrong credentials and an unknown chart name the registry", async () => {
    const charts = new ChartSource({ cacheDir: await temp.make("bosun-charts-") });
    const base = `${registry.url}/charts`;
    await assert.rejects(charts.resolve(base, "web", "*", { credentials, signal }), /TLS|unreachable|EPROTO/);
    await assert.rejects(
      charts.resolve(base, "web", "*", { credentials: { ...credentials, password: "nope" }, insecure: true, signal }),
      (e: unknown) =>
        e instanceof FetchError && e.reason === "auth" && e.message.includes(`${registry.host}/charts/web`),
    );
    await assert.rejects(
      charts.resolve(base, "api", "*", { credentials, insecure: true, signal }),
      (e: unknown) => e instanceof FetchError && e.reason === "not-found" && /NAME_UNKNOWN/.test(e.message),
    );
    await assert.rejects(
      charts.resolve(base, "web", "*", { credentials: { ...AUTH }, insecure: true, signal }),
      /credentials are sent only over https/,
    );
  });
});
