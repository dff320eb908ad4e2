// The kustomize renderer: our own graph walk (path safety, remote bases), then the pinned `kustomize build`.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { stringify } from "yaml";
import { RenderError, ToolFailedError } from "./errors.js";
import { walkKustomization } from "./kustomize-graph.js";
import { hasOverrides, type InlinePatch, overlayKustomization } from "./kustomize-overlay.js";
import { parseManifests } from "./manifests.js";
import type { RepoRoot } from "./repo-root.js";
import { toolMessage } from "./tool-message.js";
import type { ToolRunner } from "./tool-runner.js";
import type { KustomizeSpec, RenderedDocument } from "./types.js";

export interface KustomizeRenderOptions {
  root: RepoRoot;
  /** The app directory (real path, inside the root), holding a kustomization. */
  dir: string;
  spec: KustomizeSpec;
  run: ToolRunner;
  /** Where the generated overlay and kustomize's HOME go: outside the checkout, which is never written. */
  tempDir: string;
  timeoutMs: number;
  signal: AbortSignal;
}

export interface KustomizeRender {
  documents: RenderedDocument[];
  /** A remote base was used: the output is not pinned by the commit. */
  usesRemote: boolean;
}

async function inlinePatches(options: KustomizeRenderOptions): Promise<InlinePatch[]> {
  const out: InlinePatch[] = [];
  for (const [i, p] of (options.spec.patches ?? []).entries()) {
    let patch = p.patch;
    if (p.path !== undefined) {
      const file = await options.root.resolve(options.dir, p.path, { what: `override patch ${i}` });
      patch = await readFile(file.real, { encoding: "utf8", signal: options.signal });
    }
    if (patch === undefined || patch.trim() === "") {
      throw new RenderError(`kustomize override patch ${i} has neither a patch nor a path`);
    }
    out.push({
      patch,
      ...(p.target !== undefined ? { target: p.target } : {}),
      ...(p.options !== undefined ? { options: p.options } : {}),
    });
  }
  return out;
}

/** Render a kustomization (with the spec's overrides, if any). */
export async function renderKustomize(options: KustomizeRenderOptions): Promise<KustomizeRender> {
  const { root, dir, signal } = options;
  const walk = await walkKustomization({ root, dir, allowRemote: options.spec.allowRemoteBases === true, signal });
  const work = await mkdtemp(join(options.tempDir, "bosun-kustomize-"));
  try {
    let target = dir;
    if (hasOverrides(options.spec)) {
      // The overlay lives in a temporary directory outside the (read-only) checkout and names the app
      // directory by a relative path (kustomize refuses absolute ones). The app directory is a *base*, which
      // kustomize's default load restrictor (LoadRestrictionsRootOnly) allows anywhere, so the overlay builds
      // without LoadRestrictionsNone: every kustomization keeps its files confined to its own directory, and
      // our walk above has checked every base it reaches is inside the repository. The overlay itself holds
      // only inline content (file patches are read by us, after the same path check).
      const overlay = join(work, "overlay");
      const resource = relative(overlay, dir).split(sep).join("/");
      const kustomization = overlayKustomization(options.spec, resource, await inlinePatches(options));
      await mkdir(overlay);
      await writeFile(join(overlay, "kustomization.yaml"), stringify(kustomization));
      target = overlay;
    }
    const output = await options.run({
      tool: "kustomize",
      args: ["build", target],
      cwd: work,
      env: { HOME: work, PATH: process.env.PATH ?? "/usr/bin:/bin" },
      timeoutMs: options.timeoutMs,
      signal,
    });
    if (output.exitCode !== 0) {
      const message = toolMessage(output.stderr, [root.real, work]);
      throw new ToolFailedError("kustomize", `kustomize build failed: ${message}`, {
        exitCode: output.exitCode,
        stderr: message,
        file: walk.kustomizations[0],
      });
    }
    const documents = parseManifests(output.stdout, { origin: "kustomize build output" });
    return { documents, usesRemote: walk.usesRemote };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
