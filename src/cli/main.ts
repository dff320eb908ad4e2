#!/usr/bin/env node
import { CommanderError } from "commander";
import { buildProgram } from "./program.js";

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** `bosun plan`: the change would change the cluster. */
const EXIT_CHANGES = 3;

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and --version end with exit code 0; anything else commander rejects is a usage error.
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  const error = err instanceof Error ? err : new Error(String(err));
  if (error.name === "ChangesFoundError") {
    process.stderr.write(`${error.message}\n`);
    process.exit(EXIT_CHANGES);
  }
  process.stderr.write(`error: ${error.message}\n`);
  process.exit(error.name === "UsageError" ? EXIT_USAGE : EXIT_FAILED);
}
