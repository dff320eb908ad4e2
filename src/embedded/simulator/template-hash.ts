// The hash that names a Deployment's ReplicaSets (`pod-template-hash`) and a StatefulSet's or
// DaemonSet's revisions (`controller-revision-hash`): FNV-1a (32 bit) of the pod template, printed in
// decimal and spelled in the API machinery's "safe" alphabet (no vowels, no 0/1/3, so it never spells a
// word), as kube-controller-manager does. The input is the template's canonical JSON rather than Go's
// object dump, so the values differ from a real cluster's; their shape is the same.

import { canonicalJson } from "../../api/index.js";

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Each character mapped onto the safe alphabet, as `rand.SafeEncodeString` does. */
export function safeEncode(text: string): string {
  return [...text].map((c) => SAFE_ALPHABET[(c.codePointAt(0) ?? 0) % SAFE_ALPHABET.length]).join("");
}

/** The hash of a pod template (and a collision count, which bumps it when a name is taken). */
export function templateHash(template: unknown, collisionCount = 0): string {
  const input = collisionCount > 0 ? `${canonicalJson(template)}#${collisionCount}` : canonicalJson(template);
  return safeEncode(String(fnv1a32(input)));
}

/** A small stable number for a string (pod IPs from uids). */
export function stableNumber(text: string): number {
  return fnv1a32(text);
}
