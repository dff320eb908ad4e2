// Extracts the Kubernetes API's published schemas at the version pinned in tools/versions.json into
// api-schemas/kubernetes-api.json.gz, from the Go modules the control plane is built from:
// - OpenAPI v3 component schemas and v2 definitions of the stable group-versions
//   (k8s.io/kubernetes/api/openapi-spec);
// - the protobuf messages of k8s.io/api's stable group-versions and apimachinery's shared types
//   (generated.proto), with each field's pointer/omitempty read from the Go types.
// `--check` fails when the checked-in bundle differs from what the modules give.

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import {
  BUNDLE_FILE,
  type KubernetesApiBundle,
  type OpenApiSchema,
  type ProtoMessages,
} from "../src/embedded/schemas/bundle.js";
import {
  applyGoFacts,
  mergeMessages,
  parseGeneratedProto,
  readGoPackage,
} from "../src/embedded/schemas/extract-proto.js";
import { readToolVersions } from "../src/tools/versions.js";

function moduleDir(module: string): string {
  const out = execFileSync("go", ["mod", "download", "-json", module], { cwd: "/", encoding: "utf8" });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

const STABLE = /^v\d+$/;

const GVK = "x-kubernetes-group-version-kind";

/**
 * Merges one document's schemas. A schema is the same in every document, except that the shared
 * meta kinds (DeleteOptions, WatchEvent) list each document's group-version: those lists are joined.
 */
function mergeSchemas(into: Record<string, OpenApiSchema>, schemas: Record<string, OpenApiSchema>, from: string): void {
  for (const [name, schema] of Object.entries(schemas)) {
    const seen = into[name];
    if (!seen) {
      into[name] = schema;
      continue;
    }
    const { [GVK]: seenKinds, ...seenRest } = seen;
    const { [GVK]: kinds, ...rest } = schema;
    if (JSON.stringify(seenRest) !== JSON.stringify(rest))
      throw new Error(`${from}: schema ${name} differs from the one another document holds`);
    if (Array.isArray(seenKinds) && Array.isArray(kinds)) {
      const known = new Set(seenKinds.map((k) => JSON.stringify(k)));
      into[name] = { ...seen, [GVK]: [...seenKinds, ...kinds.filter((k) => !known.has(JSON.stringify(k)))] };
    }
  }
}

function openapi(kubernetesDir: string): Pick<KubernetesApiBundle, "openapiV3" | "openapiV2"> {
  const specDir = join(kubernetesDir, "api/openapi-spec");
  const openapiV3: Record<string, OpenApiSchema> = {};
  for (const file of readdirSync(join(specDir, "v3")).sort()) {
    const m = /^(?:api|apis__[\w.-]+)__(v\d+\w*)_openapi\.json$/.exec(file);
    if (!m || !STABLE.test(m[1] as string)) continue;
    const doc = JSON.parse(readFileSync(join(specDir, "v3", file), "utf8")) as {
      components: { schemas: Record<string, OpenApiSchema> };
    };
    mergeSchemas(openapiV3, doc.components.schemas, file);
  }
  const swagger = JSON.parse(readFileSync(join(specDir, "swagger.json"), "utf8")) as {
    definitions: Record<string, OpenApiSchema>;
  };
  return { openapiV3, openapiV2: swagger.definitions };
}

function goSources(dir: string): string[] {
  return readdirSync(dir)
    .filter(
      (f) => f.endsWith(".go") && !f.endsWith("_test.go") && !f.startsWith("zz_generated") && f !== "generated.pb.go",
    )
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

function protobuf(apiDir: string, machineryDir: string): KubernetesApiBundle["protobuf"] {
  const messages: ProtoMessages = {};
  const packages: Record<string, string> = {};
  const wrappers: string[] = [];
  const read = (dir: string, file: string) => {
    const parsed = parseGeneratedProto(readFileSync(join(dir, "generated.proto"), "utf8"), file);
    wrappers.push(...applyGoFacts(parsed, readGoPackage(goSources(dir))));
    mergeMessages(messages, parsed);
    return parsed.package;
  };
  for (const sub of ["apis/meta/v1", "runtime", "runtime/schema", "util/intstr", "api/resource"])
    read(join(machineryDir, "pkg", sub), `k8s.io/apimachinery/pkg/${sub}/generated.proto`);
  for (const group of readdirSync(apiDir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const version of readdirSync(join(apiDir, group.name)).sort()) {
      const dir = join(apiDir, group.name, version);
      if (!STABLE.test(version)) continue;
      let register: string;
      try {
        register = readFileSync(join(dir, "register.go"), "utf8");
      } catch {
        continue;
      }
      const groupName = /const GroupName = "([^"]*)"/.exec(register)?.[1];
      if (groupName === undefined) continue;
      const pkg = read(dir, `k8s.io/api/${group.name}/${version}/generated.proto`);
      packages[groupName ? `${groupName}/${version}` : version] = pkg;
    }
  }
  return { packages, messages, wrappers: wrappers.sort() };
}

export function buildBundle(): KubernetesApiBundle {
  const kubernetes = readToolVersions().kubernetes;
  const staging = `v0.${kubernetes.split(".").slice(1).join(".")}`;
  return {
    kubernetesVersion: kubernetes,
    ...openapi(moduleDir(`k8s.io/kubernetes@v${kubernetes}`)),
    protobuf: protobuf(moduleDir(`k8s.io/api@${staging}`), moduleDir(`k8s.io/apimachinery@${staging}`)),
  };
}

const text = `${JSON.stringify(buildBundle())}\n`;
if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = gunzipSync(readFileSync(BUNDLE_FILE)).toString("utf8");
  } catch {
    current = "";
  }
  if (current !== text) {
    console.error(`${BUNDLE_FILE} differs from the pinned Kubernetes modules: run \`npm run kube-api-schemas\``);
    process.exit(1);
  }
} else {
  mkdirSync(dirname(BUNDLE_FILE), { recursive: true });
  writeFileSync(BUNDLE_FILE, gzipSync(text, { level: 9 }));
  console.log(`wrote ${BUNDLE_FILE} (${text.length} bytes of JSON)`);
}
