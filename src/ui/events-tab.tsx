// The Application's Kubernetes Events: who asked for what, drift, sync results.
import { appPath } from "./api-client.js";
import { decodeEvent, decodeItems } from "./model.js";
import type { Session } from "./session.js";
import { useApiGet } from "./use-api.js";
import { ErrorNote, Time } from "./widgets.js";

const decodeEvents = (value: unknown) => decodeItems(value, decodeEvent);

export function EventsTab(props: {
  session: Session;
  app: { namespace: string; name: string };
  version: string;
  now: number;
}) {
  const { session, app, version, now } = props;
  const events = useApiGet(session.api, `${appPath(app)}/events`, decodeEvents, version);
  const items = events.data ?? [];
  return (
    <div>
      <ErrorNote error={events.error} />
      {items.length === 0 && !events.loading ? (
        <p class="muted">No Events (Kubernetes keeps them for an hour).</p>
      ) : null}
      {items.length > 0 ? (
        <table class="grid events">
          <thead>
            <tr>
              <th scope="col">Last seen</th>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {[...items].reverse().map((e, i) => (
              <tr key={`${e.lastTimestamp}-${e.reason}-${i}`}>
                <td data-label="Last seen">
                  <Time iso={e.lastTimestamp} now={now} />
                  {e.count > 1 ? <span class="muted small"> ×{e.count}</span> : null}
                </td>
                <td data-label="Type">
                  <span class={`badge tone-${e.type === "Warning" ? "warn" : "muted"}`}>{e.type}</span>
                </td>
                <td data-label="Reason">{e.reason}</td>
                <td data-label="Message" class="wrap">
                  {e.message}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
