// Where a chart comes from: a Helm repository (`https://…`, its index.yaml) or an OCI registry
// (`oci://host/path`, the chart a repository named path/NAME), and which of its versions to take. Pure.
import semver from "semver";
import { InvalidRepoUrlError, InvalidRevisionError } from "./errors.js";
import { redactUrl } from "./repo-url.js";
import { validateRevision, versionOf } from "./revision.js";

export type ChartRef =
  | {
      kind: "helm-repository";
      /** The repository URL with a trailing slash (chart URLs in the index are relative to it). */
      base: URL;
      chart: string;
      /** The URL for messages, credentials stripped. */
      display: string;
    }
  | {
      kind: "oci";
      /** `https:` or, when insecure, `http:`. */
      protocol: "https:" | "http:";
      /** host[:port]. */
      host: string;
      /** The repository path of the chart inside the registry: `path/NAME`. */
      repository: string;
      chart: string;
      display: string;
    };

/** Chart names as helm accepts them in a repository; nothing that could step out of a path. */
const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;
/** OCI repository path components (distribution's grammar). */
const OCI_PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function parseChartRef(repoURL: string, chart: string, options: { insecure: boolean }): ChartRef {
  const display = redactUrl(repoURL);
  const invalid = (reason: string): never => {
    throw new InvalidRepoUrlError(display, reason);
  };
  if (!CHART_NAME.test(chart) || chart === "." || chart.includes("..")) {
    invalid(`chart name ${JSON.stringify(chart)} is not a valid chart name`);
  }
  let url: URL;
  try {
    url = new URL(repoURL);
  } catch {
    return invalid("not a URL");
  }
  if (url.username !== "" || url.password !== "") invalid("put credentials in a repository Secret, not in the URL");
  if (url.search !== "" || url.hash !== "") invalid("a chart repository URL takes no query or fragment");
  if (url.protocol === "oci:") {
    const path = url.pathname.replace(/^\/+|\/+$/g, "");
    const components = path === "" ? [] : path.split("/");
    for (const c of [...components, chart]) {
      if (!OCI_PATH_COMPONENT.test(c)) invalid(`${JSON.stringify(c)} is not a valid OCI repository path component`);
    }
    return {
      kind: "oci",
      protocol: options.insecure ? "http:" : "https:",
      host: url.host,
      repository: [...components, chart].join("/"),
      chart,
      display: `oci://${url.host}/${[...components, chart].join("/")}`,
    };
  }
  if (url.protocol === "http:" && !options.insecure) {
    invalid("plain http is refused; use https, or set spec.source.insecure: true for a lab or loopback repository");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    invalid(`a chart repository is https://… (a Helm repository) or oci://… (an OCI registry), not ${url.protocol}`);
  }
  const base = new URL(url.toString().endsWith("/") ? url.toString() : `${url.toString()}/`);
  return { kind: "helm-repository", base, chart, display: redactUrl(base.toString()) };
}

/** An OCI repository of an artifact of manifests: `oci://host/path`, the whole path the repository. */
export function parseArtifactRef(repoURL: string, options: { insecure: boolean }): Extract<ChartRef, { kind: "oci" }> {
  const display = redactUrl(repoURL);
  let url: URL;
  try {
    url = new URL(repoURL);
  } catch {
    throw new InvalidRepoUrlError(display, "not a URL");
  }
  if (url.protocol !== "oci:") throw new InvalidRepoUrlError(display, "an OCI artifact is named by an oci:// URL");
  if (url.username !== "" || url.password !== "") {
    throw new InvalidRepoUrlError(display, "put credentials in a repository Secret, not in the URL");
  }
  const components = url.pathname.replace(/^\/+|\/+$/g, "").split("/");
  for (const c of components) {
    if (!OCI_PATH_COMPONENT.test(c)) {
      throw new InvalidRepoUrlError(display, `${JSON.stringify(c)} is not a valid OCI repository path component`);
    }
  }
  const repository = components.join("/");
  return {
    kind: "oci",
    protocol: options.insecure ? "http:" : "https:",
    host: url.host,
    repository,
    chart: repository,
    display: `oci://${url.host}/${repository}`,
  };
}

/** What a chart revision asks for: the highest version in a range, or one version at one digest (a rollback). */
export type ChartRevision =
  | { kind: "range"; range: string }
  | { kind: "pinned"; version: string; digest: string; range: string };

const PINNED = /^(.+)@(sha256:[0-9a-f]{64})$/;

/**
 * A chart's revision: empty or `*` for the highest stable version, a version, or a semver range (`>=1.2 <2`,
 * `1.x`), as Argo CD's targetRevision and Flux's version; `VERSION@sha256:…` (what bosun records) pins both.
 */
export function parseChartRevision(revision: string | undefined): ChartRevision {
  const value = revision === undefined || revision === "" || revision === "HEAD" ? "*" : revision;
  validateRevision(value);
  const pinned = PINNED.exec(value);
  if (pinned?.[1] && pinned[2]) {
    const version = versionOf(pinned[1]);
    if (version === undefined) throw new InvalidRevisionError(value, `${pinned[1]} is not a semantic version`);
    return { kind: "pinned", version, digest: pinned[2], range: version };
  }
  if (semver.validRange(value) === null) {
    throw new InvalidRevisionError(
      value,
      "a chart revision is a version or a semver range (e.g. 1.2.3, >=1.2 <2, 1.x)",
    );
  }
  return { kind: "range", range: value };
}

/** The revision bosun records for a chart: its version and the digest of what was pulled. */
export function chartRevision(version: string, digest: string): string {
  return `${version}@${digest}`;
}

/** OCI tags cannot hold `+`: helm pushes `1.0.0+build` as the tag `1.0.0_build`. */
export function ociTagOf(version: string): string {
  return version.replaceAll("+", "_");
}

export function versionOfOciTag(tag: string): string {
  return tag.replaceAll("_", "+");
}
