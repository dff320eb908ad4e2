// The Application's resources by sync wave, each with its sync status and health.
import type { AppDetail, ResourceView } from "./model.js";
import { describeOperation, waitingFor } from "./operation-view.js";
import { Badge } from "./widgets.js";

function objectName(r: ResourceView): string {
  const kind = r.group ? `${r.kind}.${r.group}` : r.kind;
  return r.namespace ? `${kind} ${r.namespace}/${r.name}` : `${kind} ${r.name}`;
}

export function ResourcesTab({ app }: { app: AppDetail }) {
  if (app.waves.length === 0)
    return <p class="muted">No resources yet: the agent has not compared this Application.</p>;
  const runningWave = app.operation?.phase === "Running" ? app.operation.wave : undefined;
  return (
    <div class="waves">
      {app.waves.map((group) => (
        <section key={group.wave} class={`wave ${group.wave === runningWave ? "wave-running" : ""}`}>
          <h3>
            Wave {group.wave}
            {group.wave === runningWave ? <span class="badge tone-busy">syncing</span> : null}
          </h3>
          <table class="grid resources">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Sync</th>
                <th scope="col">Health</th>
              </tr>
            </thead>
            <tbody>
              {group.resources.map((r) => (
                <tr key={objectName(r)} aria-label={objectName(r)}>
                  <td data-label="Kind">
                    {r.kind}
                    {r.hook ? <span class="tag">{r.hook} hook</span> : null}
                  </td>
                  <td data-label="Name">
                    <span class="name">{r.name}</span>
                    {r.namespace ? <span class="muted small"> in {r.namespace}</span> : null}
                  </td>
                  <td data-label="Sync">
                    <Badge status={r.status} label="Sync" />
                  </td>
                  <td data-label="Health">
                    {r.health ? <Badge status={r.health} label="Health" /> : <span class="muted">no health check</span>}
                    {r.healthMessage ? <div class="muted small">{r.healthMessage}</div> : null}
                    {r.message ? <div class="error small">{r.message}</div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      {app.notListed ? (
        <p class="muted not-listed">
          {app.notListed.count} more resources not listed
          {app.notListed.allSyncedAndHealthy ? ", all Synced and Healthy" : ""} (the full list:{" "}
          <code>bosun app resources {app.name}</code>)
        </p>
      ) : null}
    </div>
  );
}

export function OperationPanel({ app }: { app: AppDetail }) {
  const op = app.operation;
  if (!op) return null;
  const running = op.phase === "Running";
  const waiting = waitingFor(app);
  return (
    <section class={`operation ${running ? "operation-running" : ""}`} aria-label="Operation">
      <h2>
        {running ? "Sync in progress" : "Last operation"} <Badge status={op.phase} label="Operation" />
      </h2>
      <p>{describeOperation(op)}</p>
      {waiting.length > 0 ? (
        <p>
          Waiting for:{" "}
          {waiting.map((r) => (
            <span key={`${r.kind}/${r.name}`} class="tag">
              {r.kind}/{r.name} ({r.health})
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}
