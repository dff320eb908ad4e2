// The Helm chart repository harness against the pinned helm: charts packaged and indexed by helm, served over
// TLS with basic auth, fetched and rendered by helm; conditional GETs, path escapes and pushing a new version.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdir, readFile, symlink, unlink, writeFile } from "node:fs/promises";
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse, parseAllDocuments } from "yaml";
import { TempDirs } from "../source/git-fixture.js";
import { runHelm } from "./helm-cli.js";
import { buildChartRepo, type ChartSpec, type HelmRepoServer, startHelmRepoServer } from "./helm-repo-server.js";

const signal = AbortSignal.timeout(180_000);
const auth = { username: "u", password: "p" };
const basic = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

function demoChart(version: string): ChartSpec {
  return {
    name: "demo",
    version,
    appVersion: version,
    files: {
      "values.yaml": `greeting: hello from ${version}\n`,
      "templates/cm.yaml": [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: {{ .Release.Name }}-greeting",
        "data:",
        "  greeting: {{ .Values.greeting | quote }}",
        "  release: {{ .Release.Name | quote }}",
        "",
      ].join("\n"),
    },
  };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request with the path sent exactly as given (no normalisation), trusting the server's CA. */
async function raw(
  server: HelmRepoServer,
  path: string,
  options: { method?: string; headers?: Record<string, string>; agent?: HttpAgent } = {},
): Promise<RawResponse> {
  const url = new URL(server.url);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return await new Promise((resolve, reject) => {
    const req = send(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        agent: options.agent ?? false,
        signal,
        ...(server.caCert === "" ? {} : { ca: server.caCert }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}

function versionsIn(indexYaml: string, chart: string): string[] {
  const index: unknown = parse(indexYaml);
  assert.ok(index !== null && typeof index === "object" && "entries" in index, "index.yaml has entries");
  const entries: unknown = index.entries;
  assert.ok(entries !== null && typeof entries === "object");
  const list: unknown = (entries as Record<string, unknown>)[chart];
  assert.ok(Array.isArray(list), `index.yaml lists ${chart}`);
  return list
    .map((entry: unknown) => (entry !== null && typeof entry === "object" && "version" in entry ? entry.version : ""))
    .map(String)
    .sort();
}

function renderedConfigMaps(stdout: string): unknown[] {
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as unknown)
    .filter((obj) => obj !== null && typeof obj === "object" && "kind" in obj && obj.kind === "ConfigMap");
}

describe("helm repo server: the pinned helm against a TLS chart repository with basic auth", () => {
  const temp = new TempDirs();
  let parent: string;
  let repoDir: string;
  let caFile: string;
  let server: HelmRepoServer;

  before(async () => {
    parent = await temp.make("bosun-helm-repo-");
    repoDir = join(parent, "repo");
    await buildChartRepo(repoDir, [demoChart("1.0.0"), demoChart("1.1.0")], { signal });
    server = await startHelmRepoServer({ dir: repoDir, auth });
    caFile = join(parent, "ca.crt");
    await writeFile(caFile, server.caCert);
  });
  after(async () => {
    await server?.close();
    await temp.cleanup();
  });

  const helm = async (home: string, args: string[]) => await runHelm(args, { home: join(parent, home), signal });
  const addRepo = async (home: string, password: string) =>
    await helm(home, [
      "repo",
      "add",
      "demo",
      server.url,
      "--username",
      "u",
      "--password",
      password,
      "--ca-file",
      caFile,
    ]);

  test("helm adds the repository with the CA and credentials and renders a chart version from it", async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.caCert, /^-----BEGIN CERTIFICATE-----/);
    const seen = server.requests.length;

    const added = await addRepo("home-render", "p");
    assert.equal(added.exitCode, 0, added.stderr);
    const rendered = await helm("home-render", ["template", "rel", "demo/demo", "--version", "1.0.0"]);
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    assert.deepEqual(renderedConfigMaps(rendered.stdout), [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "rel-greeting" },
        data: { greeting: "hello from 1.0.0", release: "rel" },
      },
    ]);

    const requests = server.requests.slice(seen);
    assert.ok(
      requests.some((r) => r.method === "GET" && r.path === "/index.yaml" && r.status === 200 && r.user === "u"),
      JSON.stringify(requests),
    );
    assert.ok(
      requests.some((r) => r.method === "GET" && r.path === "/demo-1.0.0.tgz" && r.status === 200 && r.user === "u"),
      JSON.stringify(requests),
    );
    assert.ok(!requests.some((r) => r.path === "/demo-1.1.0.tgz"), "only the asked-for version is downloaded");
  });

  test("a wrong password: helm repo add fails and the server answered 401 to user u", async () => {
    const seen = server.requests.length;
    const added = await addRepo("home-wrong-password", "not-p");
    assert.notEqual(added.exitCode, 0, added.stdout);
    const requests = server.requests.slice(seen);
    assert.ok(
      requests.some((r) => r.path === "/index.yaml" && r.status === 401 && r.user === "u"),
      JSON.stringify(requests),
    );
    assert.ok(!requests.some((r) => r.status === 200), JSON.stringify(requests));
  });

  test("without the CA file helm refuses the serving certificate", async () => {
    const added = await helm("home-no-ca", ["repo", "add", "demo", server.url, "--username", "u", "--password", "p"]);
    assert.notEqual(added.exitCode, 0);
    assert.match(added.stderr, /certificate|x509/i);
  });

  test("a conditional GET of index.yaml with its ETag or Last-Modified answers 304", async () => {
    const headers = { Authorization: basic("u", "p") };
    const first = await raw(server, "/index.yaml", { headers });
    assert.equal(first.status, 200);
    assert.equal(first.headers["content-type"], "application/yaml");
    const onDisk = await readFile(join(repoDir, "index.yaml"));
    assert.equal(first.body, onDisk.toString("utf8"));
    assert.equal(first.headers.etag, `"sha256-${createHash("sha256").update(onDisk).digest("hex")}"`);
    const etag = first.headers.etag ?? "";
    const lastModified = first.headers["last-modified"] ?? "";
    assert.ok(!Number.isNaN(Date.parse(lastModified)), lastModified);

    const byEtag = await raw(server, "/index.yaml", { headers: { ...headers, "If-None-Match": etag } });
    assert.equal(byEtag.status, 304);
    assert.equal(byEtag.body, "");
    assert.equal(byEtag.headers.etag, etag);
    assert.deepEqual(server.requests.at(-1), {
      method: "GET",
      path: "/index.yaml",
      status: 304,
      user: "u",
      conditional: true,
    });

    const otherEtag = await raw(server, "/index.yaml", { headers: { ...headers, "If-None-Match": '"sha256-00"' } });
    assert.equal(otherEtag.status, 200);
    assert.equal(otherEtag.body, first.body);

    const byDate = await raw(server, "/index.yaml", { headers: { ...headers, "If-Modified-Since": lastModified } });
    assert.equal(byDate.status, 304);
    const olderDate = new Date(Date.parse(lastModified) - 1000).toUTCString();
    const byOlderDate = await raw(server, "/index.yaml", { headers: { ...headers, "If-Modified-Since": olderDate } });
    assert.equal(byOlderDate.status, 200);

    const unauthenticated = await raw(server, "/index.yaml", { headers: { "If-None-Match": etag } });
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.headers["www-authenticate"], 'Basic realm="charts"');
  });

  test("paths that leave the directory or go through a symlink answer 404", async () => {
    const secret = "outside the repository\n";
    await writeFile(join(parent, "secret.txt"), secret);
    await mkdir(join(parent, "elsewhere"), { recursive: true });
    await writeFile(join(parent, "elsewhere", "demo-9.9.9.tgz"), secret);
    await symlink(join(parent, "secret.txt"), join(repoDir, "linked.txt"));
    await symlink(join(parent, "elsewhere"), join(repoDir, "linked-dir"));
    try {
      const headers = { Authorization: basic("u", "p") };
      for (const path of [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/../../../../../../etc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/linked.txt",
        "/linked-dir/demo-9.9.9.tgz",
        "/",
        "/%zz",
      ]) {
        const res = await raw(server, path, { headers });
        assert.equal(res.status, 404, `${path} answered ${res.status}`);
        assert.ok(!res.body.includes(secret.trim()), path);
        assert.equal(server.requests.at(-1)?.path, path, "the raw path is recorded");
      }
      assert.equal((await raw(server, "/demo-1.1.0.tgz", { headers })).status, 200, "a file inside is still served");
    } finally {
      await unlink(join(repoDir, "linked.txt"));
      await unlink(join(repoDir, "linked-dir"));
    }
  });

  test("pushing chart 1.2.0 with merge: index.yaml lists all three and helm repo update sees the new version", async () => {
    const headers = { Authorization: basic("u", "p") };
    const before = await raw(server, "/index.yaml", { headers });
    const added = await addRepo("home-push", "p");
    assert.equal(added.exitCode, 0, added.stderr);
    const tooEarly = await helm("home-push", ["template", "rel", "demo/demo", "--version", "1.2.0"]);
    assert.notEqual(tooEarly.exitCode, 0, "1.2.0 is not in the repository yet");

    await buildChartRepo(repoDir, [demoChart("1.2.0")], { merge: true, signal });
    assert.deepEqual(versionsIn(await readFile(join(repoDir, "index.yaml"), "utf8"), "demo"), [
      "1.0.0",
      "1.1.0",
      "1.2.0",
    ]);
    const stale = await raw(server, "/index.yaml", {
      headers: { ...headers, "If-None-Match": before.headers.etag ?? "" },
    });
    assert.equal(stale.status, 200, "the old ETag no longer matches");
    assert.notEqual(stale.headers.etag, before.headers.etag);

    const updated = await helm("home-push", ["repo", "update", "demo"]);
    assert.equal(updated.exitCode, 0, updated.stderr);
    const rendered = await helm("home-push", ["template", "rel", "demo/demo", "--version", "1.2.0"]);
    assert.equal(rendered.exitCode, 0, rendered.stderr);
    assert.deepEqual(renderedConfigMaps(rendered.stdout), [
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "rel-greeting" },
        data: { greeting: "hello from 1.2.0", release: "rel" },
      },
    ]);
  });
});

describe("buildChartRepo: merge keeps entries whose archive is no longer in the directory", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test("with merge the old entry stays; without it the index only lists archives on disk", async () => {
    const dir = join(await temp.make("bosun-helm-repo-merge-"), "repo");
    await buildChartRepo(dir, [demoChart("1.0.0")], { signal });
    await unlink(join(dir, "demo-1.0.0.tgz"));
    await buildChartRepo(dir, [demoChart("1.1.0")], { merge: true, signal });
    assert.deepEqual(versionsIn(await readFile(join(dir, "index.yaml"), "utf8"), "demo"), ["1.0.0", "1.1.0"]);

    await unlink(join(dir, "demo-1.1.0.tgz"));
    await buildChartRepo(dir, [demoChart("1.2.0")], { signal });
    assert.deepEqual(versionsIn(await readFile(join(dir, "index.yaml"), "utf8"), "demo"), ["1.2.0"]);
  });

  test("an absolute --url is written into the chart URLs, and helm's errors are thrown", async () => {
    const dir = join(await temp.make("bosun-helm-repo-url-"), "repo");
    await buildChartRepo(dir, [demoChart("1.0.0")], { url: "https://charts.example.test/stable", signal });
    const index = await readFile(join(dir, "index.yaml"), "utf8");
    assert.match(index, /- https:\/\/charts\.example\.test\/stable\/demo-1\.0\.0\.tgz\n/);
    await assert.rejects(
      buildChartRepo(dir, [{ ...demoChart("1.0.0"), version: "not-a-version" }], { signal }),
      /helm package .* failed: .*not-a-version/,
    );
  });
});

describe("helm repo server: bearer token over plain HTTP", () => {
  const temp = new TempDirs();
  let server: HelmRepoServer;
  before(async () => {
    const dir = join(await temp.make("bosun-helm-repo-bearer-"), "repo");
    await buildChartRepo(dir, [demoChart("1.0.0")], { signal });
    server = await startHelmRepoServer({ dir, bearerToken: "s3cret-token", tls: false });
  });
  after(async () => {
    await server?.close();
    await temp.cleanup();
  });

  test("requests need the token; HEAD and the archive content type; other methods are refused", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.caCert, "");
    const missing = await raw(server, "/index.yaml");
    assert.equal(missing.status, 401);
    assert.equal(missing.headers["www-authenticate"], 'Bearer realm="charts"');
    assert.equal((await raw(server, "/index.yaml", { headers: { Authorization: "Bearer wrong" } })).status, 401);
    assert.equal(
      (await raw(server, "/index.yaml", { headers: { Authorization: basic("u", "s3cret-token") } })).status,
      401,
    );

    const headers = { Authorization: "Bearer s3cret-token" };
    const head = await raw(server, "/demo-1.0.0.tgz", { method: "HEAD", headers });
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-type"], "application/gzip");
    assert.ok(Number(head.headers["content-length"]) > 0);
    assert.equal(head.body, "");
    const post = await raw(server, "/index.yaml", { method: "POST", headers });
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
    assert.deepEqual(
      server.requests.map((r) => [r.method, r.status, r.user]),
      [
        ["GET", 401, undefined],
        ["GET", 401, undefined],
        ["GET", 401, "u"],
        ["HEAD", 200, undefined],
        ["POST", 405, undefined],
      ],
    );
  });

  test("close() resolves with a kept-alive connection open, and the port stops answering", async () => {
    const agent = new HttpAgent({ keepAlive: true });
    try {
      const res = await raw(server, "/index.yaml", { headers: { Authorization: "Bearer s3cret-token" }, agent });
      assert.equal(res.status, 200);
      await server.close();
      await assert.rejects(raw(server, "/index.yaml", { headers: { Authorization: "Bearer s3cret-token" } }), {
        code: "ECONNREFUSED",
      });
    } finally {
      agent.destroy();
    }
  });
});
