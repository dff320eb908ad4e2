import assert from "node:assert/strict";
import { test } from "node:test";
import { ociTagOf, parseArtifactRef, parseChartRef, parseChartRevision, versionOfOciTag } from "./chart-ref.js";
import { InvalidRepoUrlError, InvalidRevisionError } from "./errors.js";
import { highestVersion } from "./revision.js";

test("an https URL is a Helm repository whose chart URLs resolve against it with a trailing slash", () => {
  const ref = parseChartRef("https://charts.example/stable", "web", { insecure: false });
  assert.equal(ref.kind, "helm-repository");
  assert.equal(ref.kind === "helm-repository" && ref.base.toString(), "https://charts.example/stable/");
  assert.equal(
    new URL("web-1.0.0.tgz", ref.kind === "helm-repository" ? ref.base : "").pathname,
    "/stable/web-1.0.0.tgz",
  );
});

test("an oci:// URL is a registry: the chart is the last path component, https unless insecure", () => {
  const ref = parseChartRef("oci://127.0.0.1:5000/charts/team", "web", { insecure: true });
  assert.deepEqual(ref, {
    kind: "oci",
    protocol: "http:",
    host: "127.0.0.1:5000",
    repository: "charts/team/web",
    chart: "web",
    display: "oci://127.0.0.1:5000/charts/team/web",
  });
  const secure = parseChartRef("oci://ghcr.io/org", "web", { insecure: false });
  assert.equal(secure.kind === "oci" && secure.protocol, "https:");
});

test("plain http, credentials in the URL, odd chart names and other schemes are refused", () => {
  const refused = (url: string, chart: string, pattern: RegExp) =>
    assert.throws(
      () => parseChartRef(url, chart, { insecure: false }),
      (e: unknown) => {
        assert.ok(e instanceof InvalidRepoUrlError);
        assert.match(e.message, pattern);
        return true;
      },
    );
  refused("http://charts.example/", "web", /plain http is refused/);
  refused("https://user:secret@charts.example/", "web", /credentials in a repository Secret/);
  refused("https://charts.example/", "../etc", /not a valid chart name/);
  refused("https://charts.example/", "a/b", /not a valid chart name/);
  refused("oci://registry.example/Charts", "web", /"Charts" is not a valid OCI repository path component/);
  refused("ssh://git.example/charts", "web", /not ssh:/);
  assert.doesNotThrow(() => parseChartRef("http://127.0.0.1:8080/", "web", { insecure: true }));
});

test("a chart revision is a range (empty and HEAD mean the highest stable), or a pinned version and digest", () => {
  assert.deepEqual(parseChartRevision(undefined), { kind: "range", range: "*" });
  assert.deepEqual(parseChartRevision("HEAD"), { kind: "range", range: "*" });
  assert.deepEqual(parseChartRevision(">=1.2 <2"), { kind: "range", range: ">=1.2 <2" });
  const digest = `sha256:${"0a".repeat(32)}`;
  assert.deepEqual(parseChartRevision(`v1.2.3@${digest}`), {
    kind: "pinned",
    version: "1.2.3",
    digest,
    range: "1.2.3",
  });
  assert.throws(() => parseChartRevision("main"), InvalidRevisionError);
  assert.throws(() => parseChartRevision("--help"), InvalidRevisionError);
});

test("the highest version in a range wins; pre-releases only when the range names one", () => {
  const listed = ["1.0.0", "v1.2.0", "1.10.0", "2.0.0-rc.1", "not-a-version", "1.9.9"];
  assert.deepEqual(highestVersion("*", listed), { listed: "1.10.0", version: "1.10.0" });
  assert.deepEqual(highestVersion("1.2.x", listed), { listed: "v1.2.0", version: "1.2.0" });
  assert.deepEqual(highestVersion(">=2.0.0-rc.0", listed), { listed: "2.0.0-rc.1", version: "2.0.0-rc.1" });
  assert.equal(highestVersion(">=3", listed), undefined);
});

test("OCI tags hold + as _, as helm push writes them", () => {
  assert.equal(ociTagOf("1.0.0+build.7"), "1.0.0_build.7");
  assert.equal(versionOfOciTag("1.0.0_build.7"), "1.0.0+build.7");
  assert.deepEqual(highestVersion("1.x", ["1.0.0_build.7", "0.9.0"], versionOfOciTag), {
    listed: "1.0.0_build.7",
    version: "1.0.0+build.7",
  });
});

test("an artifact's oci:// URL names the whole repository", () => {
  assert.deepEqual(parseArtifactRef("oci://127.0.0.1:5000/manifests/web", { insecure: true }), {
    kind: "oci",
    protocol: "http:",
    host: "127.0.0.1:5000",
    repository: "manifests/web",
    chart: "manifests/web",
    display: "oci://127.0.0.1:5000/manifests/web",
  });
  assert.throws(
    () => parseArtifactRef("https://r.example/m", { insecure: false }),
    /an OCI artifact is named by an oci:\/\/ URL/,
  );
  assert.throws(
    () => parseArtifactRef("oci://r.example/M", { insecure: false }),
    /"M" is not a valid OCI repository path component/,
  );
});
