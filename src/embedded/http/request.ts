// Reading requests: the body (bounded), query flags with the API server's validation, and the field
// manager a write is recorded under.

import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { ApiStatusError, badRequest, unsupportedMediaType } from "../errors.js";
import { decodeKubernetesProtobuf } from "../proto/decode.js";
import { ProtobufError } from "../proto/wire.js";

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiStatusError(413, "RequestEntityTooLarge", "the request body is too large");
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
export function parseBody(body: Buffer, contentType: string | undefined, builtin: boolean): unknown {
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
  try {
    return type === "application/yaml" ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
  } catch (err) {
    throw badRequest(`the body of the request could not be decoded: ${(err as Error).message}`);
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
