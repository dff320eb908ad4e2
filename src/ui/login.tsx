// The login form: a bearer token (`bosun token` prints one), checked against the server before it is kept.
import { useState } from "preact/hooks";
import { ApiClient, ApiError } from "./api-client.js";
import { decodeWhoAmI, type WhoAmI } from "./model.js";
import { errorText } from "./widgets.js";

export function Login({ onLogin }: { onLogin: (token: string, me: WhoAmI) => void }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (value === "") return;
    setBusy(true);
    setError(undefined);
    try {
      const me = await new ApiClient(value).get("/api/whoami", decodeWhoAmI, AbortSignal.timeout(30_000));
      onLogin(value, me);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? "The server does not accept this token."
          : `Could not log in: ${errorText(err)}`,
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="page login">
      <h1>bosun</h1>
      <form onSubmit={submit} class="card">
        <label>
          <span>API token</span>
          <input
            type="password"
            name="token"
            autoComplete="off"
            spellcheck={false}
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy || token.trim() === ""}>
          {busy ? "Checking…" : "Log in"}
        </button>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <p class="muted small">
          <code>bosun token</code> prints an admin token; <code>bosun token --role readonly</code> one that can only
          look. It is kept in this tab only (session storage).
        </p>
      </form>
    </main>
  );
}
