// The project's sync windows applied to one Application in a pass: what they allow now, as the status says it.
import type { Application, SyncWindowStatus } from "../api/index.js";
import type { AppAccess } from "./project-access.js";
import { type SyncWindowVerdict, syncWindowProblems, syncWindowVerdict } from "./sync-windows.js";

/** The verdict of the windows that apply to app now; undefined when its project has none that apply. */
export function windowVerdict(access: AppAccess, app: Application, now: Date): SyncWindowVerdict | undefined {
  const windows = access.policy.project.spec.syncWindows ?? [];
  if (windows.length === 0) return undefined;
  const target = {
    name: app.metadata.name,
    namespace: app.spec.destination.namespace ?? "",
    cluster: access.cluster.name,
  };
  const verdict = syncWindowVerdict(windows, target, now);
  const problems = syncWindowProblems(windows);
  if (verdict.windows.length === 0 && problems.length === 0) return undefined;
  if (problems.length === 0) return verdict;
  const ignored = `windows ignored: ${problems.join("; ")}`;
  return { ...verdict, message: verdict.message ? `${verdict.message}; ${ignored}` : ignored };
}

/** The status of a verdict (undefined: no window applies), keeping the last request it refused. */
export function windowStatus(
  verdict: SyncWindowVerdict | undefined,
  refusedRequest: string | undefined,
): SyncWindowStatus | undefined {
  if (!verdict) return undefined;
  return {
    state: verdict.automated ? "Open" : "Closed",
    manualSync: verdict.manual,
    message: verdict.message,
    ...(verdict.nextChange ? { nextChange: verdict.nextChange } : {}),
    ...(refusedRequest ? { refusedRequest } : {}),
  };
}
