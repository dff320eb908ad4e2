/** Where an object is stored: its resource (group + plural) and its namespaced name ("" for cluster scope). */
export interface ObjectKey {
  group: string;
  resource: string;
  namespace: string;
  name: string;
}

export function describeKey(key: ObjectKey): string {
  const resource = key.group ? `${key.resource}.${key.group}` : key.resource;
  return key.namespace ? `${resource}/${key.namespace}/${key.name}` : `${resource}/${key.name}`;
}
