// How one object is written, as its sync options say: replace (Replace=true), client-side apply
// (ServerSideApply=false) or server-side apply with force (the default); Validate=false sends
// fieldValidation=Ignore. And the same as a dry run, for the comparison with the live object.
import { describeRef, type KubeObject } from "../api/index.js";
import {
  ApiError,
  type ApplyResult,
  addressOf,
  type FieldValidation,
  isRefusal,
  ObjectError,
} from "../cluster/index.js";
import { clientSideApplyPatch, withLastApplied } from "./client-side-apply.js";
import type { SyncOptions } from "./options.js";
import type { Applier, LiveReader } from "./ports.js";

export interface WriteInput {
  object: KubeObject;
  options: SyncOptions;
  signal: AbortSignal;
}

/** How often client-side apply recomputes its patch when another write got in between (409). */
const CLIENT_SIDE_ATTEMPTS = 3;

const fieldValidation = (options: SyncOptions): FieldValidation => (options.validate ? "Strict" : "Ignore");

const isConflict = (err: unknown) =>
  err instanceof ObjectError && err.cause instanceof ApiError && err.cause.isConflict;

/** Server-side apply checks every field against the schema, whatever fieldValidation says: say what works. */
function withValidateHint(err: unknown, options: SyncOptions): unknown {
  if (options.validate || !(err instanceof ObjectError) || !/not declared in schema/.test(err.message)) return err;
  const message = err.message.slice(describeRef(err.ref).length + 2);
  return new ObjectError(
    err.ref,
    `${message}; server-side apply refuses fields the schema does not declare even with Validate=false: add ServerSideApply=false or Replace=true to have them dropped`,
    { cause: err },
  );
}

async function serverSideApply(applier: Applier, input: WriteInput, dryRun: boolean): Promise<ApplyResult> {
  try {
    return await applier.apply(input.object, {
      force: true,
      dryRun,
      fieldValidation: fieldValidation(input.options),
      signal: input.signal,
    });
  } catch (err) {
    throw withValidateHint(err, input.options);
  }
}

async function clientSideApply(ports: { applier: Applier; reader: LiveReader }, input: WriteInput) {
  const options = { fieldValidation: fieldValidation(input.options), signal: input.signal };
  const addr = addressOf(input.object);
  for (let attempt = 1; ; attempt++) {
    try {
      const live = await ports.reader.get(addr, input.signal);
      if (!live) return await ports.applier.create(withLastApplied(input.object), options);
      const patch = clientSideApplyPatch(input.object, live, { precondition: true });
      if (!patch) return { object: live, created: false };
      return await ports.applier.mergePatch(addr, patch, options);
    } catch (err) {
      if (attempt >= CLIENT_SIDE_ATTEMPTS || !isConflict(err)) throw err;
    }
  }
}

/** Writes the object the way its options say (Replace=true wins over ServerSideApply, as in Argo CD). */
export async function writeObject(
  ports: { applier: Applier; reader: LiveReader },
  input: WriteInput,
): Promise<ApplyResult> {
  if (input.options.replace)
    return await ports.applier.replace(input.object, {
      fieldValidation: fieldValidation(input.options),
      signal: input.signal,
    });
  if (!input.options.serverSideApply) return await clientSideApply(ports, input);
  return await serverSideApply(ports.applier, input, false);
}

/**
 * The object as its write would leave it, by a server-side dry run: what the comparison with `live` is
 * made of. Client-side apply dry-runs its merge patch (none needed when there is nothing to write).
 * Replace=true objects are compared like the others, through a server-side apply dry run, as Argo CD
 * compares them; only when server-side apply refuses the object outright is the replace dry-run instead.
 */
export async function dryRunObject(applier: Applier, input: WriteInput & { live: KubeObject }): Promise<KubeObject> {
  const options = { dryRun: true, fieldValidation: fieldValidation(input.options), signal: input.signal };
  if (!input.options.serverSideApply && !input.options.replace) {
    const patch = clientSideApplyPatch(input.object, input.live, { precondition: false });
    return patch ? (await applier.mergePatch(addressOf(input.object), patch, options)).object : input.live;
  }
  try {
    return (await serverSideApply(applier, input, true)).object;
  } catch (err) {
    if (!input.options.replace || !isRefusal(err)) throw err;
    return (await applier.replace(input.object, options)).object;
  }
}
