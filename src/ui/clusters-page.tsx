// The clusters the agent deploys to: whether it reaches each, its Kubernetes version, and how many of the
// Applications this token sees deploy there (a link to the list filtered by it); the cluster Secrets the
// agent could not use. Re-read as the clock ticks and when the event stream reconnects.
import { listHref } from "./hash-route.js";
import { type ClusterView, decodeClusters } from "./model.js";
import type { Session } from "./session.js";
import { useApiGet } from "./use-api.js";
import { Badge, ErrorNote, Time } from "./widgets.js";

function ClusterRow({ cluster, now }: { cluster: ClusterView; now: number }) {
  const count = cluster.applications;
  return (
    <tr aria-label={`Cluster ${cluster.name}`}>
      <td data-label="Cluster" class="wrap">
        <strong>{cluster.name}</strong>
        <div class="muted small">
          <code>{cluster.server}</code>
        </div>
      </td>
      <td data-label="State">
        <Badge status={cluster.state} label="State" />
        {cluster.since ? (
          <div class="muted small">
            since <Time iso={cluster.since} now={now} />
          </div>
        ) : null}
      </td>
      <td data-label="Version">{cluster.version ? <code>{cluster.version}</code> : <span class="muted">—</span>}</td>
      <td data-label="Applications">
        <a class="app-count" href={listHref({ cluster: cluster.name })}>
          {count} {count === 1 ? "Application" : "Applications"}
        </a>
      </td>
      <td data-label="Message" class="wrap">
        {cluster.message ? cluster.message : <span class="muted">—</span>}
      </td>
    </tr>
  );
}

export function ClustersPage({ session, now, version }: { session: Session; now: number; version: string }) {
  const answer = useApiGet(session.api, "/api/clusters", decodeClusters, version);
  const data = answer.data;
  return (
    <main class="page">
      <p class="crumbs">
        <a href={listHref()}>Applications</a>
      </p>
      <h1>Clusters</h1>
      <ErrorNote error={answer.error} />
      {!data && answer.loading ? <p class="muted">Loading…</p> : null}
      {data ? (
        <table class="grid clusters">
          <thead>
            <tr>
              <th scope="col">Cluster</th>
              <th scope="col">State</th>
              <th scope="col">Version</th>
              <th scope="col">Applications</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {data.clusters.map((c) => (
              <ClusterRow key={c.name} cluster={c} now={now} />
            ))}
          </tbody>
        </table>
      ) : null}
      {data && data.rejected.length > 0 ? (
        <section class="rejected" aria-label="Cluster Secrets not used">
          <h2>Cluster Secrets not used</h2>
          <ul>
            {data.rejected.map((r) => (
              <li key={r.secret}>
                <code>{r.secret}</code>: {r.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
