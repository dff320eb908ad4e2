// batch/CronJob. Whether the last run succeeded is the health of that run's Job, a separate object; the
// CronJob itself is only suspended or scheduling.
import type { Health, KubeObject } from "../../api/index.js";
import { bool, list, str } from "../fields.js";
import { healthy, type KindRule, suspended } from "../rule.js";
import { count } from "../text.js";

export function cronJobHealth(obj: KubeObject): Health {
  if (bool(obj, "spec", "suspend") === true) return suspended("CronJob is suspended: no new Jobs are scheduled");
  const schedule = str(obj, "spec", "schedule") ?? "?";
  const last = str(obj, "status", "lastScheduleTime");
  const active = list(obj, "status", "active").length;
  const lastRun = last ? `last scheduled at ${last}` : "not scheduled yet";
  const running = active > 0 ? `, ${count(active, "active Job")}` : "";
  return healthy(`Scheduling on "${schedule}": ${lastRun}${running}`);
}

export const cronJobRule: KindRule = { group: "batch", kind: "CronJob", tracksGeneration: false, check: cronJobHealth };
