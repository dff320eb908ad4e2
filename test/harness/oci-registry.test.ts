// The OCI registry harness, proved with the pinned helm: login with the right password works and a wrong one
// is refused; a packaged chart pushes over plain HTTP and is then listed, behind basic auth, with helm's media
// types; without auth the registry takes pushes with no login; stop() leaves nothing answering. A directory of
// manifests pushed with orasPushManifests (the pinned oras) comes back as a manifest of Flux's media types whose
// one layer unpacks to the YAML files at their relative paths.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, type TestContext, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { extract } from "tar-stream";
import { runHelm } from "./helm-cli.js";
import { httpStatus } from "./net.js";
import { helmPush, type OciRegistry, orasPushManifests, startOciRegistry } from "./oci-registry.js";

const AUTH = { username: "bosun-pusher", password: "correct horse battery staple" };
const BASIC = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")}`;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

let registry: OciRegistry;
before(async () => {
  registry = await startOciRegistry({ auth: AUTH });
});
after(async () => {
  await registry?.stop();
});

function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `helm package` of a one-ConfigMap chart made in `dir`; resolves to the .tgz path. */
async function packageChart(dir: string, name: string, version: string): Promise<string> {
  const chart = join(dir, "src", name);
  mkdirSync(join(chart, "templates"), { recursive: true });
  writeFileSync(join(chart, "Chart.yaml"), `apiVersion: v2\nname: ${name}\nversion: ${version}\n`);
  writeFileSync(
    join(chart, "templates", "configmap.yaml"),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  greeting: hello\n",
  );
  const result = await runHelm(["package", chart, "--destination", dir], { home: join(dir, "helm-home") });
  assert.equal(result.exitCode, 0, `helm package failed:\n${result.stderr}`);
  const tgz = join(dir, `${name}-${version}.tgz`);
  assert.ok(existsSync(tgz), `helm package wrote no ${tgz}:\n${result.stdout}`);
  return tgz;
}

/** The value at `path` inside parsed JSON, or undefined where the shape does not fit. */
function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function login(home: string, password: string) {
  return runHelm(
    ["registry", "login", registry.host, "--username", AUTH.username, "--password-stdin", "--plain-http"],
    { home, stdin: password },
  );
}

test("helm registry login over plain HTTP succeeds with the right password and is refused with a wrong one", async (t) => {
  const good = join(tempDir(t, "bosun-oci-login-"), "home");
  const ok = await login(good, AUTH.password);
  assert.equal(ok.exitCode, 0, `login failed:\n${ok.stderr}`);
  assert.match(ok.stdout, /Login Succeeded/);
  const saved: unknown = JSON.parse(readFileSync(join(good, "registry", "config.json"), "utf8"));
  assert.equal(typeof at(saved, "auths", registry.host, "auth"), "string", "login stored no credential for the host");

  const bad = join(tempDir(t, "bosun-oci-login-"), "home");
  const refused = await login(bad, "not the password");
  assert.notEqual(refused.exitCode, 0, "a wrong password logged in");
  assert.match(refused.stderr, /401|unauthorized/i);
  assert.ok(!existsSync(join(bad, "registry", "config.json")), "a refused login stored a credential");
});

test("without a login helm push is refused by the registry", async (t) => {
  const dir = tempDir(t, "bosun-oci-nologin-");
  const tgz = await packageChart(dir, "anonymous", "0.1.0");
  const push = await runHelm(["push", tgz, `${registry.url}/charts`, "--plain-http"], { home: join(dir, "h") });
  assert.notEqual(push.exitCode, 0, `an anonymous push succeeded:\n${push.stdout}`);
  // helm (oras) reports either the registry's 401 or that it holds no basic credential for the challenge.
  assert.match(push.stderr, /401|unauthorized|basic credential not found/i);
  const tags = await fetch(`http://${registry.host}/v2/charts/anonymous/tags/list`, {
    headers: { authorization: BASIC },
  });
  assert.equal(tags.status, 404, "the refused chart's repository exists");
  await tags.body?.cancel();
});

test("a chart pushed with helmPush is listed with basic auth, 401 without, as an OCI manifest of helm's types", async (t) => {
  const dir = tempDir(t, "bosun-oci-push-");
  const tgz = await packageChart(dir, "tiny", "0.1.0");
  const pushed = await helmPush(registry, tgz, "charts", AUTH);
  assert.equal(pushed.ref, `${registry.host}/charts/tiny:0.1.0`);

  const tagsUrl = `http://${registry.host}/v2/charts/tiny/tags/list`;
  const listed = await fetch(tagsUrl, { headers: { authorization: BASIC } });
  assert.equal(listed.status, 200);
  assert.deepEqual(await listed.json(), { name: "charts/tiny", tags: ["0.1.0"] });
  const anonymous = await fetch(tagsUrl);
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get("www-authenticate") ?? "", /^Basic realm=/);
  await anonymous.body?.cancel();

  const res = await fetch(`http://${registry.host}/v2/charts/tiny/manifests/0.1.0`, {
    headers: { authorization: BASIC, accept: OCI_MANIFEST },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), OCI_MANIFEST);
  assert.equal(res.headers.get("docker-content-digest"), pushed.digest);
  const manifest: unknown = await res.json();
  assert.equal(at(manifest, "schemaVersion"), 2);
  assert.equal(at(manifest, "config", "mediaType"), "application/vnd.cncf.helm.config.v1+json");
  assert.equal(at(manifest, "layers", "length"), 1);
  assert.equal(at(manifest, "layers", 0, "mediaType"), "application/vnd.cncf.helm.chart.content.v1.tar+gzip");
  const chartBytes = readFileSync(tgz);
  assert.equal(at(manifest, "layers", 0, "digest"), `sha256:${createHash("sha256").update(chartBytes).digest("hex")}`);
  assert.equal(at(manifest, "layers", 0, "size"), chartBytes.length);
  assert.equal(at(manifest, "annotations", "org.opencontainers.image.title"), "tiny");
  assert.equal(at(manifest, "annotations", "org.opencontainers.image.version"), "0.1.0");
});

/** The entries of a .tar.gz: name, type and contents, in archive order. */
async function untarGz(archive: Buffer): Promise<Array<{ name: string; type: string; body: string }>> {
  const entries: Array<{ name: string; type: string; body: string }> = [];
  const tar = extract();
  const done = (async () => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.push({ name: entry.header.name, type: entry.header.type, body: Buffer.concat(chunks).toString("utf8") });
    }
  })();
  tar.end(gunzipSync(archive));
  await done;
  return entries;
}

test("a directory of manifests pushed with orasPushManifests is a manifest of Flux's types whose layer holds the YAML files", async (t) => {
  const dir = tempDir(t, "bosun-oras-manifests-");
  const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: blue\n";
  const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n";
  writeFileSync(join(dir, "configmap.yaml"), configMap);
  mkdirSync(join(dir, "web"));
  writeFileSync(join(dir, "web", "service.yaml"), service);
  writeFileSync(join(dir, "README.md"), "not a manifest\n");

  const pushed = await orasPushManifests(registry, { dir, repository: "team/manifests", tag: "v1", auth: AUTH });
  assert.match(pushed.digest, /^sha256:[0-9a-f]{64}$/);

  const res = await fetch(`http://${registry.host}/v2/team/manifests/manifests/v1`, {
    headers: { authorization: BASIC, accept: OCI_MANIFEST },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), OCI_MANIFEST);
  const body = Buffer.from(await res.arrayBuffer());
  assert.equal(`sha256:${createHash("sha256").update(body).digest("hex")}`, pushed.digest);
  const manifest: unknown = JSON.parse(body.toString("utf8"));
  assert.equal(at(manifest, "mediaType"), OCI_MANIFEST);
  assert.equal(at(manifest, "artifactType"), undefined, "a flux push artifact manifest has no artifactType");
  assert.equal(at(manifest, "config", "mediaType"), "application/vnd.cncf.flux.config.v1+json");
  assert.equal(at(manifest, "layers", "length"), 1);
  assert.equal(at(manifest, "layers", 0, "mediaType"), "application/vnd.cncf.flux.content.v1.tar+gzip");
  assert.equal(at(manifest, "layers", 0, "annotations", "org.opencontainers.image.title"), "manifests.tar.gz");

  const layerDigest = at(manifest, "layers", 0, "digest");
  assert.equal(typeof layerDigest, "string");
  const blob = await fetch(`http://${registry.host}/v2/team/manifests/blobs/${String(layerDigest)}`, {
    headers: { authorization: BASIC },
  });
  assert.equal(blob.status, 200);
  const layer = Buffer.from(await blob.arrayBuffer());
  assert.equal(`sha256:${createHash("sha256").update(layer).digest("hex")}`, layerDigest);
  assert.deepEqual(await untarGz(layer), [
    { name: "configmap.yaml", type: "file", body: configMap },
    { name: "web/service.yaml", type: "file", body: service },
  ]);

  // The same files pushed again, as a plain OCI layer: the same layer bytes under the other media type.
  const again = await orasPushManifests(registry, {
    dir,
    repository: "team/manifests",
    tag: "oci",
    auth: AUTH,
    mediaType: "oci-layer",
  });
  assert.notEqual(again.digest, pushed.digest);
  const oci = await fetch(`http://${registry.host}/v2/team/manifests/manifests/oci`, {
    headers: { authorization: BASIC, accept: OCI_MANIFEST },
  });
  const ociManifest: unknown = await oci.json();
  assert.equal(at(ociManifest, "layers", 0, "mediaType"), "application/vnd.oci.image.layer.v1.tar+gzip");
  assert.equal(at(ociManifest, "layers", 0, "digest"), layerDigest);
});

test("without auth the registry answers /v2/ with 200, takes a push with no login, and stop() ends it", async (t) => {
  const open = await startOciRegistry({});
  let stopped = false;
  t.after(async () => {
    if (!stopped) await open.stop();
  });
  assert.equal(await httpStatus(`http://${open.host}/v2/`), 200);
  const dir = tempDir(t, "bosun-oci-open-");
  const pushed = await helmPush(open, await packageChart(dir, "open", "1.2.3"), "/team/charts/");
  assert.equal(pushed.ref, `${open.host}/team/charts/open:1.2.3`);
  const tags = await fetch(`http://${open.host}/v2/team/charts/open/tags/list`);
  assert.deepEqual(await tags.json(), { name: "team/charts/open", tags: ["1.2.3"] });

  await open.stop();
  stopped = true;
  assert.equal(await httpStatus(`http://${open.host}/v2/`), 0, "the registry still answers after stop()");
});
