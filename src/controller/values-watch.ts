// helm.valuesFrom and postBuild.substituteFrom changes reconcile at once: ConfigMaps and values Secrets in the Applications'
// namespace are watched, and a change wakes every Application that names the object. (An agent serving
// every namespace does not watch them cluster-wide; it reads them again at each Application's interval.)
import { type Application, applicationSources, type KubeObject, LABELS, SECRET_TYPES } from "../api/index.js";
import { type KubeClient, WatchCache } from "../cluster/index.js";

export interface ValuesWatchOptions {
  client: KubeClient;
  namespace: string;
  /** The Applications the agent knows. */
  applications: () => readonly Application[];
  wake: (app: Application) => void;
  onError: (err: Error, kind: string) => void;
  signal: AbortSignal;
}

/** The Applications in `namespace` whose valuesFrom names this object. */
export function applicationsUsing(
  applications: readonly Application[],
  object: Pick<KubeObject, "kind" | "metadata">,
): Application[] {
  return applications.filter(
    (app) =>
      app.metadata.namespace === object.metadata.namespace &&
      applicationSources(app).some((source) =>
        [...(source.helm?.valuesFrom ?? []), ...(source.postBuild?.substituteFrom ?? [])].some(
          (r) => r.kind === object.kind && r.name === object.metadata.name,
        ),
      ),
  );
}

export async function watchValueSources(options: ValuesWatchOptions): Promise<void> {
  const onEvent = (e: { object: KubeObject }) => {
    for (const app of applicationsUsing(options.applications(), e.object)) options.wake(app);
  };
  const common = { namespace: options.namespace, accept: () => true, onEvent, onError: options.onError };
  const configMaps = new WatchCache(options.client, common);
  const secrets = new WatchCache(options.client, {
    ...common,
    labelSelector: `${LABELS.secretType}=${SECRET_TYPES.values}`,
  });
  await configMaps.watchKind("v1", "ConfigMap", options.signal);
  await secrets.watchKind("v1", "Secret", options.signal);
}
