import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { type Header, pack } from "tar-stream";
import { ChartArchiveError, readChartArchive } from "./chart-archive.js";

type Entry = Partial<Header> & { name: string; body?: string };

async function tgz(entries: Entry[]): Promise<Buffer> {
  const out = pack();
  const chunks: Buffer[] = [];
  out.on("data", (c) => chunks.push(c as Buffer));
  const done = new Promise<void>((resolve) => out.on("end", () => resolve()));
  for (const { body, ...header } of entries) {
    await new Promise<void>((resolve, reject) =>
      out.entry(header, body ?? "", (err) => (err ? reject(err) : resolve())),
    );
  }
  out.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

const signal = AbortSignal.timeout(10_000);

test("a chart archive unpacks to its top-level directory and its files", async () => {
  const archive = await tgz([
    { name: "web/Chart.yaml", body: "name: web\nversion: 1.0.0\n" },
    { name: "web/templates/", type: "directory" },
    { name: "web/templates/cm.yaml", body: "kind: ConfigMap\n" },
  ]);
  const { top, files } = await readChartArchive(archive, "web-1.0.0.tgz", signal);
  assert.equal(top, "web");
  assert.deepEqual(
    files.map((f) => [f.path, f.data.toString()]),
    [
      ["web/Chart.yaml", "name: web\nversion: 1.0.0\n"],
      ["web/templates/cm.yaml", "kind: ConfigMap\n"],
    ],
  );
});

test("links, paths above the chart, a second top-level directory and garbage are refused by name", async () => {
  const refused = async (entries: Entry[], pattern: RegExp) =>
    await assert.rejects(readChartArchive(await tgz(entries), "bad.tgz", signal), (e: unknown) => {
      assert.ok(e instanceof ChartArchiveError, String(e));
      assert.match(e.message, pattern);
      return true;
    });
  await refused(
    [
      { name: "web/Chart.yaml", body: "x" },
      { name: "web/secrets", type: "symlink", linkname: "/etc/shadow" },
    ],
    /"web\/secrets" is a symlink; a chart holds only files and directories/,
  );
  await refused(
    [
      { name: "web/Chart.yaml", body: "x" },
      { name: "web/hard", type: "link", linkname: "web/Chart.yaml" },
    ],
    /is a link/,
  );
  await refused([{ name: "web/../../evil.yaml", body: "x" }], /points outside the chart/);
  await refused([{ name: "/etc/evil.yaml", body: "x" }], /points outside the chart/);
  await refused(
    [
      { name: "web/Chart.yaml", body: "x" },
      { name: "other/Chart.yaml", body: "y" },
    ],
    /outside the chart's directory web\//,
  );
  await assert.rejects(
    readChartArchive(Buffer.from("<html>not found</html>"), "page.tgz", signal),
    /chart archive page\.tgz is not a gzipped tar file/,
  );
});

test("an artifact of manifests is a tree: files at its root and below, still nothing above it and no links", async () => {
  const archive = await tgz([
    { name: "./", type: "directory" },
    { name: "./deploy.yaml", body: "kind: Deployment\n" },
    { name: "prod/settings.yaml", body: "kind: ConfigMap\n" },
  ]);
  const { top, files } = await readChartArchive(archive, "oci://r/m:1", signal, { layout: "tree" });
  assert.equal(top, "");
  assert.deepEqual(
    files.map((f) => f.path),
    ["deploy.yaml", "prod/settings.yaml"],
  );
  await assert.rejects(
    readChartArchive(await tgz([{ name: "../up.yaml", body: "x" }]), "oci://r/m:2", signal, { layout: "tree" }),
    /artifact oci:\/\/r\/m:2: "\.\.\/up\.yaml" points outside the chart/,
  );
  await assert.rejects(
    readChartArchive(await tgz([{ name: "l", type: "symlink", linkname: "/etc" }]), "oci://r/m:3", signal, {
      layout: "tree",
    }),
    /is a symlink/,
  );
});
