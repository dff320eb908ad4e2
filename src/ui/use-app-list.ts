// The Applications a filter lets through, with the overview's counts, read from the server: again when the
// filter changes, and when the event stream reports changes, at most once per RELOAD_MS however many arrive
// (a fleet of 1,000 changing Applications is a few reads a second, not 1,000).
import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiClient } from "./api-client.js";
import { type AppListAnswer, decodeAppList } from "./overview-model.js";
import { errorText } from "./widgets.js";

export const RELOAD_MS = 300;

export interface AppListState {
  /** The last answer, kept while another is read (a filter change does not blank the list). */
  answer?: AppListAnswer;
  error?: string;
  loading: boolean;
}

/** `value`, once it has not changed for `ms` (typing in a filter asks the server once, at the end). */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Moves RELOAD_MS after `version` first moves past what was last read, then not again until it moves again. */
function useReloads(version: number): number {
  const [reloads, setReloads] = useState(0);
  const latest = useRef(version);
  const read = useRef(version);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  latest.current = version;
  useEffect(() => {
    if (version === read.current || timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      read.current = latest.current;
      setReloads((n) => n + 1);
    }, RELOAD_MS);
  }, [version]);
  useEffect(
    () => () => {
      if (timer.current !== undefined) clearTimeout(timer.current);
    },
    [],
  );
  return reloads;
}

/** GETs `path` now, when it changes, and after changes the store's `version` reports. */
export function useAppList(api: ApiClient, path: string, version: number): AppListState {
  const reloads = useReloads(version);
  const [state, setState] = useState<AppListState>({ loading: true });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    api.get(path, decodeAppList, controller.signal).then(
      (answer) => setState({ answer, loading: false }),
      (err: unknown) => {
        if (!controller.signal.aborted) setState((s) => ({ ...s, error: errorText(err), loading: false }));
      },
    );
    return () => controller.abort();
  }, [api, path, reloads]);
  return state;
}
