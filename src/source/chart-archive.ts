// Unpacking a chart archive (.tgz) into a directory: regular files and directories only, every path inside
// one top-level directory, nothing above it, sizes bounded as helm bounds them (100 MiB in all, 5 MiB a file).
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, posix } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { extract, type Header } from "tar-stream";

export const MAX_CHART_BYTES = 100 * 1024 * 1024;
export const MAX_CHART_FILE_BYTES = 5 * 1024 * 1024;

export class ChartArchiveError extends Error {
  override readonly name = "ChartArchiveError";
}

interface ArchiveFile {
  path: string;
  data: Buffer;
  mode: number;
}

/**
 * Reads the archive into memory, checked; returns the top-level directory name and its files. A chart's
 * files are all inside one directory (its name); a `tree` (an OCI artifact of manifests) may hold anything
 * below its root, and its top is "".
 */
export async function readChartArchive(
  archive: Buffer,
  what: string,
  signal: AbortSignal,
  options: { layout: "chart" | "tree" } = { layout: "chart" },
): Promise<{ top: string; files: ArchiveFile[] }> {
  const files: ArchiveFile[] = [];
  let top: string | undefined = options.layout === "tree" ? "" : undefined;
  let total = 0;
  const noun = options.layout === "tree" ? "artifact" : "chart archive";
  const fail = (reason: string): never => {
    throw new ChartArchiveError(`${noun} ${what}: ${reason}`);
  };
  const untar = extract();
  const reading = (async () => {
    for await (const entry of untar) {
      const header = entry.header;
      const path = posix.normalize(header.name.replace(/^(\.\/)+/, ""));
      top ??= path.split("/")[0] ?? "";
      const problem = entryProblem(header, path, top);
      if (problem) fail(problem);
      if (header.type === "directory") {
        entry.resume();
        continue;
      }
      if (header.size > MAX_CHART_FILE_BYTES) fail(`${header.name} is larger than ${MAX_CHART_FILE_BYTES} bytes`);
      total += header.size;
      if (total > MAX_CHART_BYTES) fail(`it unpacks to more than ${MAX_CHART_BYTES} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      files.push({ path, data: Buffer.concat(chunks), mode: header.mode });
    }
  })();
  try {
    await Promise.all([
      pipeline(Readable.from([archive]), createGunzip({ maxOutputLength: MAX_CHART_BYTES + 1024 * 1024 }), untar, {
        signal,
      }),
      reading,
    ]);
  } catch (err) {
    if (err instanceof ChartArchiveError || signal.aborted) throw err;
    throw new ChartArchiveError(`${noun} ${what} is not a gzipped tar file: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (top === undefined || files.length === 0) fail("it is empty");
  return { top: top as string, files };
}

/** Why an entry may not be in a chart archive whose top-level directory is `top`; undefined when it may. */
function entryProblem(header: Header, path: string, top: string): string | undefined {
  const name = JSON.stringify(header.name);
  if (header.name.startsWith("/") || path.startsWith("../") || path === ".." || header.name.includes("\\")) {
    return `${name} points outside the chart`;
  }
  if (top !== "" && path.split("/")[0] !== top) return `${name} is outside the chart's directory ${top}/`;
  if (header.type === "directory") return undefined;
  if (header.type !== "file" && header.type !== "contiguous-file") {
    return `${name} is a ${header.type}; a chart holds only files and directories`;
  }
  if (top !== "" && path === top) return `${name} is a file at the top of the archive`;
  return undefined;
}

/** Writes the files below `dir` (which must exist and be empty). */
export async function writeChartFiles(dir: string, files: readonly ArchiveFile[]): Promise<void> {
  for (const file of files) {
    const target = join(dir, file.path);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await writeFile(target, file.data, { mode: file.mode & 0o111 ? 0o700 : 0o600, flag: "wx" });
  }
}
