// npm run testcluster -- up|down|status --dir DIR : a real Kubernetes control plane (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kwok) on loopback, for tests and for people.
import { Command } from "commander";
import { down, readState, up } from "../test/harness/control-plane.js";
import { isOurs } from "../test/harness/processes.js";

const program = new Command("testcluster").description("a real Kubernetes control plane on 127.0.0.1");
program
  .command("up")
  .requiredOption("--dir <dir>", "directory for the cluster's state, certificates, logs and kubeconfig")
  .action(async (opts: { dir: string }) => {
    const started = Date.now();
    const state = await up(opts.dir);
    console.log(`test cluster up in ${((Date.now() - started) / 1000).toFixed(1)}s: ${state.server}`);
    for (const p of state.processes) console.log(`  ${p.name.padEnd(24)} pid ${p.pid}  log ${p.log}`);
    console.log(`export KUBECONFIG=${state.kubeconfig}`);
  });
program
  .command("down")
  .requiredOption("--dir <dir>", "directory given to `up`")
  .action(async (opts: { dir: string }) => {
    const stopped = await down(opts.dir);
    console.log(stopped > 0 ? `stopped ${stopped} processes` : `no running test cluster in ${opts.dir}`);
  });
program
  .command("status")
  .requiredOption("--dir <dir>", "directory given to `up`")
  .action((opts: { dir: string }) => {
    const state = readState(opts.dir);
    if (!state) {
      console.log(`no test cluster in ${opts.dir}`);
      process.exitCode = 1;
      return;
    }
    console.log(`server ${state.server}\nkubeconfig ${state.kubeconfig}`);
    for (const p of state.processes)
      console.log(`  ${p.name.padEnd(24)} pid ${p.pid} ${isOurs(p) ? "running" : "NOT RUNNING"}`);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
