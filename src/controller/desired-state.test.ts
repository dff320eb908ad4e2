import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Application } from "../api/index.js";
import type { KubeClient } from "../cluster/index.js";
import type { RenderRequest, RenderResult } from "../render/index.js";
import { FetchError, type GitSource, InvalidRepoUrlError, type ResolvedRevision } from "../source/index.js";
import { DesiredStateError, kubeVersionOf, loadDesiredState, RenderMemo } from "./desired-state.js";
import { type AgentObserver, type GitFetchedEvent, NO_OBSERVER, type RenderedEvent } from "./observer.js";
import { chartCredentialsFromSecret } from "./source-credentials.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

const application = (repoURL: string): Application => ({
  apiVersion: "bosun.dev/v1alpha1",
  kind: "Application",
  metadata: { name: "shop", namespace: "bosun" },
  spec: { source: { repoURL, path: "app" }, destination: { namespace: "shop" } },
});

const resolved = (extra: Partial<ResolvedRevision> = {}): ResolvedRevision => ({
  sha: SHA,
  message: "m",
  author: { name: "a", email: "a@example.org" },
  authoredAt: "2026-01-01T00:00:00Z",
  committer: { name: "a", email: "a@example.org" },
  committedAt: "2026-01-01T00:00:00Z",
  ...extra,
});

/** A fake git whose resolve answers `resolve`, a fake render, a clock that moves 5 ms a read, and what was heard. */
function setup(resolve: () => Promise<ResolvedRevision>, render?: () => Promise<RenderResult>) {
  const fetched: GitFetchedEvent[] = [];
  const rendered: RenderedEvent[] = [];
  const observe: AgentObserver = {
    ...NO_OBSERVER,
    gitFetched: (e) => void fetched.push(e),
    rendered: (e) => void rendered.push(e),
  };
  let t = 0;
  const git = { resolve, checkout: async () => ({ sha: SHA, dir: "/nowhere" }) } as unknown as GitSource;
  const deps = {
    client: {} as KubeClient,
    git,
    render: (_request: RenderRequest) =>
      render ? render() : Promise.resolve<RenderResult>({ objects: [], tool: "kustomize", fromCache: false }),
    isNamespaced: () => true,
    observe,
    clock: () => (t += 5),
  };
  return { deps, fetched, rendered };
}

const signal = AbortSignal.timeout(10_000);

describe("loadDesiredState tells its observer of fetches and renders", () => {
  test("a refresh: one fetch, then one render, each with its duration", async () => {
    const { deps, fetched, rendered } = setup(async () => resolved());
    await loadDesiredState(deps, application("https://git.example/org/deploy.git"), { refresh: true, signal });
    assert.deepEqual(fetched, [
      { app: { namespace: "bosun", name: "shop" }, repo: "https://git.example/org/deploy.git", durationMs: 5 },
    ]);
    assert.deepEqual(rendered, [
      { app: { namespace: "bosun", name: "shop" }, tool: "kustomize", durationMs: 5, fromCache: false },
    ]);
  });

  test("no refresh: no fetch to tell of; the render still is", async () => {
    const { deps, fetched, rendered } = setup(async () => resolved());
    await loadDesiredState(deps, application("file:///srv/git/shop"), { refresh: false, signal });
    assert.deepEqual(fetched, []);
    assert.equal(rendered.length, 1);
  });

  test("the remote unreachable, the last fetched state answering: a fetch with its error", async () => {
    const error = new FetchError("https://git.example/org/deploy.git", "unreachable", "connection refused");
    const { deps, fetched } = setup(async () => resolved({ fetchError: error }));
    await loadDesiredState(deps, application("https://git.example/org/deploy.git"), { refresh: true, signal });
    assert.equal(fetched.length, 1);
    assert.equal(fetched[0]?.error, "unreachable");
  });

  test("a refused fetch: the error's reason, and the source stage fails", async () => {
    const { deps, fetched, rendered } = setup(async () => {
      throw new FetchError("https://git.example/org/deploy.git", "auth", "Authentication failed");
    });
    await assert.rejects(
      loadDesiredState(deps, application("https://git.example/org/deploy.git"), { refresh: true, signal }),
      (err: unknown) => err instanceof DesiredStateError && err.stage === "source",
    );
    assert.deepEqual(
      fetched.map((e) => e.error),
      ["auth"],
    );
    assert.deepEqual(rendered, []);
  });

  test("a URL with credentials inside: the fetch is told of without them", async () => {
    const url = "https://deploy-bot:ghp_Sup3rS3cretT0ken@git.example/org/deploy.git";
    const { deps, fetched } = setup(async () => {
      throw new InvalidRepoUrlError("https://git.example/org/deploy.git", "credentials inside");
    });
    await assert.rejects(loadDesiredState(deps, application(url), { refresh: true, signal }), DesiredStateError);
    assert.deepEqual(fetched, [
      {
        app: { namespace: "bosun", name: "shop" },
        repo: "https://git.example/org/deploy.git",
        durationMs: 5,
        error: "invalid",
      },
    ]);
    assert.equal(JSON.stringify(fetched).includes("ghp_"), false);
  });

  test("a failed render is no render to time, and names the revision it failed at", async () => {
    const { deps, rendered } = setup(
      async () => resolved(),
      async () => {
        throw new Error("kustomize build failed");
      },
    );
    await assert.rejects(
      loadDesiredState(deps, application("file:///srv/git/shop"), { refresh: false, signal }),
      (err: unknown) => err instanceof DesiredStateError && err.stage === "render" && err.revision === SHA,
    );
    assert.deepEqual(rendered, []);
  });
});

describe("RenderMemo: the same inputs again need no checkout and no render", () => {
  test("a second load at the same commit reuses the objects; a new commit, scope change or spec change renders", async () => {
    let sha = SHA;
    let renders = 0;
    let checkouts = 0;
    const objects = [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }];
    const { deps, rendered } = setup(
      async () => resolved({ sha }),
      async () => {
        renders++;
        return { objects: structuredClone(objects), tool: "kustomize", fromCache: false };
      },
    );
    const git = deps.git as unknown as { checkout: () => Promise<unknown> };
    const checkout = git.checkout;
    git.checkout = async () => {
      checkouts++;
      return await checkout();
    };
    let generation = 0;
    const memoDeps = { ...deps, scopeGeneration: () => generation };
    const memo = new RenderMemo();
    const app = application("https://git.example/org/deploy.git");
    const load = (a = app) => loadDesiredState(memoDeps, a, { refresh: false, memo, signal });
    const first = await load();
    const second = await load();
    assert.equal(second.objects, first.objects, "the very same objects");
    assert.deepEqual([renders, checkouts], [1, 1]);
    assert.deepEqual(
      rendered.map((r) => [r.tool, r.fromCache]),
      [
        ["kustomize", false],
        ["kustomize", true],
      ],
    );
    sha = "fedcba9876543210fedcba9876543210fedcba98";
    await load();
    generation++;
    await load();
    await load({ ...app, spec: { ...app.spec, source: { ...app.spec.source, path: "other" } } });
    assert.equal(renders, 4, "a new commit, a new scope table and a new path each render");
    const sops = { ...app, spec: { ...app.spec, source: { ...app.spec.source, decryption: { provider: "sops" } } } };
    await load(sops as Application);
    await load(sops as Application);
    assert.equal(renders, 6, "an Application that decrypts is never memoized (its keys' Secret may change)");
  });
});

test("helm's --kube-version is the server's version without its v, pre-release or build", () => {
  assert.equal(kubeVersionOf("v1.36.3"), "1.36.3");
  assert.equal(kubeVersionOf("v1.31.2+k3s1"), "1.31.2");
  assert.equal(kubeVersionOf("v1.30.0-eks-1234"), "1.30.0");
  assert.equal(kubeVersionOf(undefined), undefined);
});

test("chart credentials take Flux's and Argo CD's key names; half a pair is an error naming the Secret", () => {
  assert.deepEqual(
    chartCredentialsFromSecret({ username: "u", password: "p", "ca.crt": "CA", insecure: "true" }, "charts"),
    { username: "u", password: "p", caCert: "CA", insecure: true },
  );
  assert.deepEqual(chartCredentialsFromSecret({ tlsClientCertData: "C", tlsClientCertKey: "K", token: "T" }, "s"), {
    token: "T",
    clientCert: "C",
    clientKey: "K",
  });
  assert.throws(
    () => chartCredentialsFromSecret({ username: "u" }, "charts"),
    /Secret charts has a username without a password/,
  );
  assert.throws(() => chartCredentialsFromSecret({ "tls.crt": "C" }, "charts"), /client certificate without its key/);
});
