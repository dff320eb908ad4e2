// What of an Application's spec bosun refuses before doing anything with it: durations it cannot read or
// that would make it spin (an interval under a second), a destination namespace no API server accepts,
// sync options bosun does not know, health checks whose CEL does not compile. Pure.
import { type Application, type ApplicationSource, errorMessage, rendersObjects } from "../api/index.js";
import { compileHealthChecks } from "../health/index.js";
import { parseDuration } from "../source/index.js";
import { appOptionProblems, parseSyncOptions } from "../sync/index.js";
import { driftPolicyProblems } from "./drift-policy.js";

/** The shortest interval an Application may ask to be polled at. */
export const MIN_INTERVAL_MS = 1000;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why a namespace name is not one, or undefined. */
export function namespaceProblem(name: string): string | undefined {
  if (name.length <= 63 && DNS_LABEL.test(name)) return undefined;
  return `"${name}" is not a valid namespace name: lower-case letters, digits and "-", starting and ending with a letter or digit, at most 63 characters`;
}

function durationProblem(field: string, value: string | undefined, minMs = 0): string | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (err) {
    return `${field}: ${errorMessage(err)}`;
  }
  return ms < minMs ? `${field}: ${value} is shorter than ${minMs / 1000}s` : undefined;
}

/** A chart source names its chart and no path (an oci:// source without a chart is an artifact of manifests). */
function sourceProblem(source: ApplicationSource, field: string): string | undefined {
  const { chart, path, kustomize, directory } = source;
  if (chart === undefined) return undefined;
  if (chart === "") return `${field}.chart: empty`;
  if (path !== undefined && path !== "" && path !== ".") {
    return `${field}.path: a chart from a repository takes no path (the chart is the source)`;
  }
  if (kustomize !== undefined || directory !== undefined) {
    return `${field}: a chart is rendered with helm; kustomize and directory do not apply`;
  }
  return undefined;
}

const REF_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/** spec.source or spec.sources, not both; refs named once; `$ref/…` value files name a ref. */
function sourcesProblems(app: Application): Array<string | undefined> {
  const { source, sources } = app.spec;
  if (sources === undefined || sources.length === 0) {
    return source ? [sourceProblem(source, "spec.source")] : ["spec.source: required (or spec.sources)"];
  }
  // A source filled in from sources on read (withPrimarySource) is one of them, not a second one.
  if (source !== undefined && !sources.includes(source)) return ["spec.source and spec.sources: give one of them"];
  const refs = new Set<string>();
  const problems: Array<string | undefined> = [];
  sources.forEach((s, i) => {
    problems.push(sourceProblem(s, `spec.sources[${i}]`));
    if (s.ref === undefined) return;
    if (!REF_NAME.test(s.ref)) problems.push(`spec.sources[${i}].ref: ${JSON.stringify(s.ref)} is not a name`);
    else if (refs.has(s.ref)) problems.push(`spec.sources[${i}].ref: ${s.ref} is named twice`);
    refs.add(s.ref);
  });
  if (!sources.some(rendersObjects)) problems.push("spec.sources: every source is only a ref; nothing would render");
  sources.forEach((s, i) => {
    for (const file of s.helm?.valueFiles ?? []) {
      const ref = /^\$([^/]+)\//.exec(file)?.[1];
      if (ref !== undefined && !refs.has(ref)) {
        problems.push(`spec.sources[${i}].helm.valueFiles: ${file} names no source with ref ${ref}`);
      }
    }
  });
  return problems;
}

/** Every problem of the spec, in field order; empty when bosun can work with it. */
export function specProblems(app: Application): string[] {
  const policy = app.spec.syncPolicy;
  const dest = app.spec.destination?.namespace;
  const destProblem = dest ? namespaceProblem(dest) : undefined;
  return [
    ...sourcesProblems(app),
    durationProblem("spec.syncPolicy.interval", policy?.interval, MIN_INTERVAL_MS),
    durationProblem("spec.syncPolicy.timeout", policy?.timeout, MIN_INTERVAL_MS),
    durationProblem("spec.syncPolicy.retry.backoff.duration", policy?.retry?.backoff?.duration),
    durationProblem("spec.syncPolicy.retry.backoff.maxDuration", policy?.retry?.backoff?.maxDuration),
    destProblem ? `spec.destination.namespace: ${destProblem}` : undefined,
    ...appOptionProblems(parseSyncOptions(policy?.syncOptions ?? [], "app").problems),
    ...compileHealthChecks(app.spec.healthChecks).problems,
    ...driftPolicyProblems(app.spec.driftPolicy).map((p) => `spec.${p}`),
  ].filter((p): p is string => typeof p === "string");
}
