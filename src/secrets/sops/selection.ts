// Whether a leaf (or a comment) is encrypted, by SOPS's rules: each suffix or regex is tested against
// every key on the leaf's path (regexes unanchored, as Go's regexp.Match); the comment regexes against
// the comments met before the leaf at each nesting level.

import type { SelectionRule } from "./metadata.js";

export function shouldBeEncrypted(
  rule: SelectionRule,
  path: readonly string[],
  comments: readonly string[][],
): boolean {
  const anyComment = (regex: RegExp): boolean => comments.some((level) => level.some((c) => regex.test(c)));
  switch (rule.kind) {
    case "unencrypted_suffix":
      return !path.some((key) => key.endsWith(rule.suffix));
    case "encrypted_suffix":
      return path.some((key) => key.endsWith(rule.suffix));
    case "unencrypted_regex":
      return !path.some((key) => rule.regex.test(key));
    case "encrypted_regex":
      return path.some((key) => rule.regex.test(key));
    case "unencrypted_comment_regex":
      return !anyComment(rule.regex);
    case "encrypted_comment_regex":
      return anyComment(rule.regex);
  }
}
