import { Command } from "commander";
import { registerAgentCommand } from "./agent-command.js";
import { registerAppCommands } from "./app-commands.js";
import { registerClusterCommands } from "./cluster-command.js";
import { registerInstallCommands } from "./install-command.js";
import { registerPlanCommand } from "./plan-command.js";
import { registerRenderCommand } from "./render-command.js";
import { registerSealCommands } from "./seal-command.js";
import { registerTokenCommand } from "./token-command.js";
import { registerUpCommand } from "./up-command.js";
import { bosunVersion } from "./version.js";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The `bosun` command tree. Separate from main.ts so tests can run it in-process. */
export function buildProgram(io: Io = processIo): Command {
  const program = new Command("bosun")
    .description(
      "bosun: a pull-based GitOps agent for Kubernetes. Git is the source of truth; bosun makes the cluster match.",
    )
    .version(bosunVersion(), "-V, --version", "print the bosun version")
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError()
    // A subcommand's options are its own: `bosun token create NAME --role R` is create's --role, not token's.
    .enablePositionalOptions()
    // Commander throws instead of exiting, for every command added below; main.ts maps errors to exit codes.
    .exitOverride();

  program
    .command("version")
    .description("print the bosun version and the runtime it runs on")
    .option("-o, --output <format>", "text or json", "text")
    .action((opts: { output: string }) => {
      const info = {
        bosun: bosunVersion(),
        node: process.versions.node,
        platform: `${process.platform}/${process.arch}`,
      };
      if (opts.output === "json") io.out(`${JSON.stringify(info)}\n`);
      else if (opts.output === "text") io.out(`bosun ${info.bosun} (node ${info.node}, ${info.platform})\n`);
      else program.error(`unknown output format "${opts.output}": use text or json`);
    });

  registerRenderCommand(program, io);
  registerPlanCommand(program, io);
  registerInstallCommands(program, io);
  registerAppCommands(program, io);
  registerClusterCommands(program, io);
  registerAgentCommand(program);
  registerSealCommands(program, io);
  registerTokenCommand(program, io);
  registerUpCommand(program, io.out);

  return program;
}
