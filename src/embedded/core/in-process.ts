import type { KubeObject } from "../../api/index.js";
import type { ChangeListener } from "../store/sqlite-store.js";
import type { DeleteRequest, DeleteResult } from "./deletion.js";
import type { PatchOptions, WriteOptions, WriteResult } from "./embedded-api.js";
import type { PatchType } from "./patch-object.js";
import type { ListRequest, ListResult } from "./reads.js";
import type { Target } from "./target.js";

/**
 * What a component running in the server's process (the workload simulator) needs: to hear every
 * committed change, in revision order, and to read and write with the same semantics as HTTP clients.
 * Writes made from a listener are delivered to listeners after the change being delivered.
 */
export interface InProcessCluster {
  subscribe(listener: ChangeListener): () => void;
  targetFor(apiVersion: string, kind: string, namespace?: string): Target | undefined;
  get(target: Target, name: string): KubeObject;
  list(target: Target, req?: ListRequest): ListResult;
  create(target: Target, body: unknown, options: WriteOptions): WriteResult;
  update(target: Target, name: string, body: unknown, options: WriteOptions): WriteResult;
  patch(target: Target, name: string, patchType: PatchType, body: unknown, options: PatchOptions): WriteResult;
  delete(target: Target, name: string, req: DeleteRequest): DeleteResult;
}
