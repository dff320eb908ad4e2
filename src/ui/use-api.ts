// Reading from the API inside a component: the answer, the error, and whether a read is under way.
import { useEffect, useState } from "preact/hooks";
import type { ApiClient } from "./api-client.js";
import { errorText } from "./widgets.js";

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

/**
 * GETs `path` now, again whenever `version` changes (the Application changed), and when `path` does.
 * The last answer stays shown while a new one is read; one for another path never is.
 */
export function useApiGet<T>(api: ApiClient, path: string, decode: (value: unknown) => T, version: string): Loaded<T> {
  const [state, setState] = useState<Loaded<T> & { path?: string }>({ loading: true });
  useEffect(() => {
    const controller = new AbortController();
    const request = { path, version };
    setState((s) => (s.path === request.path ? { ...s, loading: true } : { loading: true, path: request.path }));
    api.get(request.path, decode, controller.signal).then(
      (data) => setState({ data, loading: false, path: request.path }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => ({ ...s, error: errorText(err), loading: false }));
      },
    );
    return () => controller.abort();
  }, [api, path, decode, version]);
  return state.path === path ? state : { loading: true };
}
