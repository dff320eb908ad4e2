// Reading requests: the body (bounded), query flags with the API server's validation, and the field
// manager a write is recorded under.

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiStatusError, badRequest, unsupportedMediaType } from "../errors.js";
import { decodeKubernetesProtobuf } from "../proto/decode.js";
import { ProtobufError } from "../proto/wire.js";
import { duplicateFields } from "./json-duplicates.js";

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY)
      throw new ApiStatusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${MAX_BODY}`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const JSON_TYPES = ["application/json", "application/yaml"];

/**
 * Parses a request body: JSON, YAML, or protobuf for built-in kinds (custom resources have no protobuf
 * form); any other type is a 415 naming the ones the resource reads, as the API server answers.
 */
export function parseBody(body: Buffer, contentType: string | undefined, builtin: boolean, kind = ""): unknown {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  if (body.length === 0) return undefined;
  const accepted = builtin ? [...JSON_TYPES, PROTOBUF] : JSON_TYPES;
  if (type === PROTOBUF && builtin) {
    try {
      const decoded = decodeKubernetesProtobuf(body);
      if (decoded) return decoded;
    } catch (err) {
      if (!(err instanceof ProtobufError)) throw err;
      throw badRequest(`the body of the request could not be decoded: ${err.message}`);
    }
    throw unsupportedMediaType(accepted);
  }
  if (type !== "" && !JSON_TYPES.includes(type)) throw unsupportedMediaType(accepted);
  const text = body.toString("utf8");
  if (text.trim() === "") return undefined;
  if (type !== "application/yaml") refuseDeepJson(text, kind);
  try {
    return type === "application/yaml" ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
  }
}

/** The fields a JSON body names twice (none for other media types: YAML refuses them as it parses). */
export function jsonDuplicates(body: Buffer, contentType: string | undefined): string[] {
  const type = (contentType ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type === "" ? duplicateFields(body.toString("utf8")) : [];
}

/** Go's JSON scanner refuses nesting deeper than 10,000; so does the API server, before it reads the kind. */
const MAX_DEPTH = 10_000;

function refuseDeepJson(text: string, kind: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") {
      if (++depth > MAX_DEPTH)
        throw badRequest(
          `the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: invalid character '${c}' exceeded max depth (${text.slice(0, 30)} ...)`,
        );
    } else if (c === "}" || c === "]") depth--;
  }
}

export function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw badRequest(`Invalid value: "${v}": supported values: "All"`);
  return values.length > 0;
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === "true" || v === "1";
}

export function intParam(query: URLSearchParams, name: string): number | undefined {
  const v = query.get(name);
  if (v === null || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw badRequest(`${name}: must be an integer, got "${v}"`);
  return n;
}

/** `?fieldManager=`, else the program name of the User-Agent (as the API server does). */
export function fieldManagerOf(query: URLSearchParams, userAgent: string | undefined): string {
  const explicit = query.get("fieldManager");
  if (explicit) return explicit;
  const program = (userAgent ?? "").split("/")[0]?.trim() ?? "";
  return program || "unknown";
}
