// An action asked twice: a button that, pressed, offers Confirm (which requests the action) and Cancel.
// Disabled, with the reason, for a read-only token, and while another action is under way.
import { mayAct, READ_ONLY_HINT, type Session } from "./session.js";
import type { ActionState } from "./use-action.js";

export function ConfirmButton(props: {
  session: Session;
  actions: ActionState;
  /** Whether Confirm and Cancel are shown (the caller keeps it: a table confirms one row at a time). */
  confirming: boolean;
  setConfirming: (confirming: boolean) => void;
  label: string;
  /** What the button does, as its title for a token that may act. */
  title: string;
  confirmLabel: string;
  /** Requests the action once confirmed. */
  run: () => Promise<unknown>;
  class?: string;
}) {
  const { session, actions, confirming, setConfirming } = props;
  const busy = actions.pending !== undefined;
  if (confirming)
    return (
      <span class="confirm">
        <button
          type="button"
          class="danger"
          disabled={busy}
          onClick={async () => {
            await props.run();
            setConfirming(false);
          }}
        >
          {props.confirmLabel}
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </span>
    );
  const allowed = mayAct(session);
  return (
    <button
      type="button"
      class={props.class}
      disabled={!allowed || busy}
      title={allowed ? props.title : READ_ONLY_HINT}
      onClick={() => setConfirming(true)}
    >
      {props.label}
    </button>
  );
}
