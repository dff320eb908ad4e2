// The example repository `bosun up` serves when given no --repo: a kustomize base and an overlay, in two
// sync waves (configuration first, then the workload), made once in the data directory as a real git
// repository, so that committing to it shows the whole loop.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const EXAMPLE_APP = "guestbook";
export const EXAMPLE_PATH = "overlays/laptop";

const FILES: Record<string, string> = {
  "README.md": `# The bosun example

An Application named ${EXAMPLE_APP} follows \`${EXAMPLE_PATH}\` of this repository. Change a file here and
commit: bosun picks the commit up within seconds and syncs it. Wave 0 (the ConfigMap) must be healthy
before wave 1 (the Deployment and its Service) starts.
`,
  "base/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - config.yaml
  - deployment.yaml
  - service.yaml
`,
  "base/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: guestbook-config
  annotations:
    bosun.dev/sync-wave: "0"
data:
  greeting: Hello from Git
`,
  "base/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: guestbook
  annotations:
    bosun.dev/sync-wave: "1"
spec:
  replicas: 2
  selector:
    matchLabels:
      app: guestbook
  template:
    metadata:
      labels:
        app: guestbook
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 80
          envFrom:
            - configMapRef:
                name: guestbook-config
`,
  "base/service.yaml": `apiVersion: v1
kind: Service
metadata:
  name: guestbook
  annotations:
    bosun.dev/sync-wave: "1"
spec:
  selector:
    app: guestbook
  ports:
    - port: 80
      targetPort: 80
`,
  [`${EXAMPLE_PATH}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
labels:
  - pairs:
      env: laptop
patches:
  - target:
      kind: Deployment
      name: guestbook
    patch: |
      - op: replace
        path: /spec/replicas
        value: 3
`,
};

function git(dir: string, args: string[]): void {
  execFileSync("git", args, {
    cwd: dir,
    stdio: "pipe",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "bosun",
      GIT_AUTHOR_EMAIL: "bosun@localhost",
      GIT_COMMITTER_NAME: "bosun",
      GIT_COMMITTER_EMAIL: "bosun@localhost",
    },
  });
}

/** Creates the example repository at `dir` unless it exists; returns whether it was made now. */
export function ensureExampleRepo(dir: string): boolean {
  if (existsSync(join(dir, ".git"))) return false;
  for (const [path, text] of Object.entries(FILES)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, text, { mode: 0o600 });
  }
  // It lives in bosun up's private data directory: git keeps its own files owner-only, also on later commits.
  git(dir, ["init", "--quiet", "--initial-branch", "main", "--shared=0600"]);
  git(dir, ["add", "--all"]);
  git(dir, ["commit", "--quiet", "--message", "guestbook: a ConfigMap (wave 0), a Deployment and a Service (wave 1)"]);
  return true;
}
