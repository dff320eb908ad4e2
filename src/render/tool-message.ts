// What helm and kustomize print on failure, made readable: no "Error: " prefix, no hint about --debug,
// paths of the checkout and of temporary directories shown relative, bounded length.

const MAX_MESSAGE = 4000;

export function toolMessage(stderr: string, hidePrefixes: readonly string[]): string {
  let text = stderr
    .split("\n")
    .filter((line) => !/^Use --debug flag/.test(line.trim()))
    .map((line) => line.replace(/^Error: /, ""))
    .join("\n")
    .trim();
  for (const prefix of hidePrefixes) text = text.replaceAll(`${prefix}/`, "").replaceAll(prefix, ".");
  if (text === "") return "(no message)";
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
