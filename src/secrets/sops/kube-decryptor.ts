// The render hook: decrypts a Kubernetes object that carries a top-level `sops` block (a manifest
// encrypted with sops keeps it in the document) and passes every other object through untouched,
// unless it holds SOPS ciphertext without the block (stripped metadata): that is refused, never applied.

import { describeRef, type KubeObject, refOf } from "../../api/index.js";
import { type PreparedKeys, prepareKeys, type SopsKeys } from "./data-key.js";
import { decryptParsed } from "./decrypt.js";
import { SopsFormatError, SopsMacError } from "./errors.js";
import { looksLikeSopsMetadata } from "./metadata.js";
import { splitObject } from "./object-store.js";
import { type TreeMap, treeToPlain } from "./tree.js";
import { looksEncrypted } from "./value-cipher.js";

export interface SopsDocument {
  /** The file the object came from, for errors. */
  file?: string;
  object: KubeObject;
  /** All documents of the object's file, in order, with the object at `index`, when the file held several. */
  fileDocuments?: readonly KubeObject[];
  index?: number;
}

export type SopsObjectDecryptor = (doc: SopsDocument) => Promise<KubeObject>;

/** Whether an object carries SOPS metadata at its top level. */
export function hasSopsMetadata(object: KubeObject): boolean {
  return looksLikeSopsMetadata(object.sops);
}

/** Whether any string in the value is a SOPS ciphertext (`ENC[AES256_GCM,…]`). */
function holdsCiphertext(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return looksEncrypted(value);
  if (depth > 512 || typeof value !== "object" || value === null) return false;
  return Object.values(value).some((v) => holdsCiphertext(v, depth + 1));
}

/** `Kind/namespace/name`, unless those fields are themselves encrypted. */
function describeObject(object: KubeObject): string {
  const ref = refOf(object);
  const encrypted = [ref.kind, ref.name, ref.namespace, object.apiVersion].some(
    (v) => typeof v === "string" && looksEncrypted(v),
  );
  return encrypted ? "an object whose kind or name is encrypted" : describeRef(ref);
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.apiVersion === "string" &&
    typeof v.kind === "string" &&
    typeof v.metadata === "object" &&
    v.metadata !== null &&
    !Array.isArray(v.metadata)
  );
}

/** The MAC of an object's sops block: documents of one file encrypted together share it. */
function macOf(object: KubeObject): unknown {
  const sops = object.sops;
  return typeof sops === "object" && sops !== null ? (sops as Record<string, unknown>).mac : undefined;
}

function plainObject(tree: TreeMap, name: string): KubeObject {
  const plain = treeToPlain(tree);
  if (!isKubeObject(plain)) {
    throw new SopsFormatError(name, "the decrypted document is not a Kubernetes object (apiVersion, kind, metadata)");
  }
  return plain;
}

/**
 * A decryptor for the render step. Keys are parsed once, on first use. The documents of a multi-document
 * file encrypted as a whole share one MAC over all of them: they are decrypted together (once per file).
 */
export function sopsDecryptor(keys: SopsKeys): SopsObjectDecryptor {
  let prepared: Promise<PreparedKeys> | undefined;
  const wholeFiles = new WeakMap<readonly KubeObject[], Promise<KubeObject[]>>();

  const decryptTogether = async (documents: readonly KubeObject[], file: string | undefined) => {
    const name = file ?? "<manifest>";
    const split = documents.map((d) => splitObject(d, `${name} (${describeObject(d)})`));
    prepared ??= prepareKeys(keys);
    await decryptParsed(
      { documents: split.map((s) => s.document), metadata: split[0]?.metadata, emit: () => "" },
      await prepared,
      name,
    );
    return split.map((s, i) => plainObject(s.document, `${name} (document ${i + 1})`));
  };

  return async ({ file, object, fileDocuments, index }) => {
    const name = `${file ?? "<manifest>"} (${describeObject(object)})`;
    if (!hasSopsMetadata(object)) {
      if (!holdsCiphertext(object)) return object;
      throw new SopsFormatError(
        name,
        "holds SOPS-encrypted values but no sops metadata; bosun will not apply ciphertext",
      );
    }
    const mac = macOf(object);
    if (fileDocuments && index !== undefined && fileDocuments.length > 1) {
      const together = fileDocuments.filter((d) => hasSopsMetadata(d) && macOf(d) === mac);
      if (together.length > 1) {
        let all = wholeFiles.get(fileDocuments);
        if (!all) {
          all = decryptTogether(together, file);
          wholeFiles.set(fileDocuments, all);
        }
        const decrypted = (await all)[together.indexOf(fileDocuments[index] as KubeObject)];
        if (decrypted) return decrypted;
      }
    }
    prepared ??= prepareKeys(keys);
    const { document, metadata } = splitObject(object, name);
    try {
      await decryptParsed({ documents: [document], metadata, emit: () => "" }, await prepared, name);
    } catch (e) {
      if (!(e instanceof SopsMacError)) throw e;
      throw new SopsMacError(
        name,
        `${e.message.slice(name.length + 2)} (a file of several documents has one MAC over all of them and must be decrypted whole)`,
        { cause: e },
      );
    }
    return plainObject(document, name);
  };
}
