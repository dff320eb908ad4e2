/** A patch that cannot be applied to the object (a failed `test`, a path that is not there, a bad directive). */
export class PatchError extends Error {
  override readonly name = "PatchError";
}
