// SOPS dotenv files: `KEY=VALUE` lines (the value verbatim after the first `=`, `\n` standing for a
// newline), `#` comment lines, and the metadata flattened into `sops_…` keys. Every value is a string.

import { SopsFormatError } from "./errors.js";
import { goBytes } from "./go-value.js";
import { unflattenMetadata } from "./metadata.js";
import type { ParsedSopsFile } from "./store.js";
import type { TreeMap } from "./tree.js";

const METADATA_PREFIX = "sops_";

export function parseDotenvFile(content: string, file: string): ParsedSopsFile {
  const document: TreeMap = { kind: "map", entries: [] };
  const metadataLines: Array<[string, string]> = [];
  content.split("\n").forEach((line, index) => {
    if (line === "") return;
    if (line.startsWith("#")) {
      document.entries.push({ kind: "comment", text: line.slice(1) });
      return;
    }
    const eq = line.indexOf("=");
    if (eq < 0) throw new SopsFormatError(file, `line ${index + 1} of the dotenv file has no '='`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).replaceAll("\\n", "\n");
    if (key.startsWith(METADATA_PREFIX)) metadataLines.push([key, value]);
    else document.entries.push({ kind: "pair", key, value: { kind: "leaf", value: { kind: "str", value } } });
  });
  return {
    documents: [document],
    metadata: metadataLines.length > 0 ? unflattenMetadata(metadataLines, METADATA_PREFIX) : undefined,
    emit(): string {
      const decoder = new TextDecoder();
      return document.entries
        .map((entry) => {
          if (entry.kind === "comment") return `#${entry.text}\n`;
          const value =
            entry.value.kind === "leaf" && entry.value.value.kind !== "null" ? entry.value.value : undefined;
          if (value === undefined) throw new SopsFormatError(file, `the dotenv value of ${entry.key} is not a string`);
          return `${entry.key}=${decoder.decode(goBytes(value)).replaceAll("\n", "\\n")}\n`;
        })
        .join("");
    },
  };
}
