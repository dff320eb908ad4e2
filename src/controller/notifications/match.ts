// Which Notifiers hear of a notification: their events and Application globs. Pure.
import type { NotifierSpec } from "../../api/index.js";
import { globMatch } from "../project-policy.js";
import { commitState, isCommitSha, isCommitStatusProvider } from "./commit-status.js";
import type { Notification } from "./notification.js";

/**
 * Whether a Notifier with this spec is told of the notification: not suspended, the event among its events
 * (all when none are listed), the Application matched by one of its globs (over `NAMESPACE/NAME`, or `NAME`
 * for a glob without `/`; all when none are listed), and for a commit-status provider an event that sets a
 * status on a named commit.
 */
export function notifierWants(spec: NotifierSpec, notification: Notification): boolean {
  if (spec.suspend) return false;
  if (spec.events && spec.events.length > 0 && !spec.events.includes(notification.event)) return false;
  if (isCommitStatusProvider(spec.type)) {
    if (!commitState(spec.type, notification.event)) return false;
    if (!notification.revision || !isCommitSha(notification.revision)) return false;
  }
  const globs = spec.applications ?? [];
  if (globs.length === 0) return true;
  const { namespace, name } = notification.application;
  return globs.some((glob) => globMatch(glob, glob.includes("/") ? `${namespace}/${name}` : name));
}
