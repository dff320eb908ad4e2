// Requesting an action (sync, refresh, rollback, …): whether it is under way, and what came of it.
import { useState } from "preact/hooks";
import type { Action } from "./api-client.js";
import type { Session } from "./session.js";
import { errorText } from "./widgets.js";

export interface ActionState {
  /** The action being requested now. */
  pending?: Action;
  /** What the last request came to, for a live region. */
  outcome?: { ok: boolean; text: string };
  run: (action: Action, body?: Record<string, unknown>, what?: string) => Promise<boolean>;
}

export function useAction(session: Session, app: { namespace: string; name: string }): ActionState {
  const [pending, setPending] = useState<Action | undefined>();
  const [outcome, setOutcome] = useState<ActionState["outcome"]>();
  const run = async (action: Action, body: Record<string, unknown> = {}, what: string = action): Promise<boolean> => {
    setPending(action);
    setOutcome(undefined);
    try {
      await session.api.act(app, action, body, AbortSignal.timeout(60_000));
      setOutcome({ ok: true, text: `${what[0]?.toUpperCase() ?? ""}${what.slice(1)} requested.` });
      return true;
    } catch (err) {
      setOutcome({ ok: false, text: `Could not request ${what}: ${errorText(err)}` });
      return false;
    } finally {
      setPending(undefined);
    }
  };
  return { pending, outcome, run };
}
