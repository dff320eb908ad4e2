// The small app the fleet benchmarks deploy many times: a Deployment, a Service and a ConfigMap under app/.

const doc = (o: object) => JSON.stringify(o);
const labels = { app: "web" };

export const SMALL_APP_FILES: Readonly<Record<string, string>> = {
  "app/deployment.yaml": doc({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: "web", image: "registry.example/web:1" }] } },
    },
  }),
  "app/service.yaml": doc({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { selector: labels, ports: [{ port: 80 }] },
  }),
  "app/config.yaml": doc({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "web" }, data: { on: "yes" } }),
};
