/** A JSON pointer (RFC 6901) that cannot be parsed, e.g. from an `ignoreDifferences` rule. */
export class JsonPointerError extends Error {
  override readonly name = "JsonPointerError";
  readonly pointer: string;

  constructor(pointer: string, reason: string, options?: { cause?: unknown }) {
    super(`invalid JSON pointer ${JSON.stringify(pointer)}: ${reason}`, options);
    this.pointer = pointer;
  }
}

/** An `ignoreDifferences` rule that cannot be applied; names the object it was applied to. */
export class IgnoreRuleError extends Error {
  override readonly name = "IgnoreRuleError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
