import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { SyncWindow } from "../api/index.js";
import { syncWindowProblems, syncWindowVerdict } from "./sync-windows.js";

const app = { name: "web", namespace: "shop", cluster: "in-cluster" };
const at = (iso: string): Date => new Date(iso);
const deny = (schedule: string, duration: string, more: Partial<SyncWindow> = {}): SyncWindow => ({
  kind: "deny",
  schedule,
  duration,
  applications: ["*"],
  ...more,
});
const allow = (schedule: string, duration: string, more: Partial<SyncWindow> = {}): SyncWindow => ({
  ...deny(schedule, duration, more),
  kind: "allow",
});

/** Whether `schedule` fires at the minute of `iso` (a one-minute deny window is then active). */
const fires = (schedule: string, iso: string, timeZone?: string): boolean => {
  const window = deny(schedule, "1m", timeZone ? { timeZone } : {});
  assert.deepEqual(syncWindowProblems([window]), [], schedule);
  return !syncWindowVerdict([window], app, at(iso)).automated;
};

describe("cron schedules", () => {
  test("numbers, ranges, steps and lists", () => {
    assert.ok(fires("30 22 * * *", "2026-12-06T22:30:00Z"));
    assert.ok(!fires("30 22 * * *", "2026-12-06T22:31:00Z"));
    assert.ok(fires("*/15 * * * *", "2026-12-06T10:45:30Z"));
    assert.ok(!fires("*/15 * * * *", "2026-12-06T10:46:00Z"));
    assert.ok(fires("10-20/5 * * * *", "2026-12-06T10:20:00Z"));
    assert.ok(!fires("10-20/5 * * * *", "2026-12-06T10:25:00Z"));
    assert.ok(fires("5/20 * * * *", "2026-12-06T10:45:00Z"), "a/n runs to the field's end");
    assert.ok(fires("0,30 8-9 * * *", "2026-12-06T09:30:00Z"));
    assert.ok(!fires("0,30 8-9 * * *", "2026-12-06T10:30:00Z"));
    assert.ok(!fires("0,30 8-9 * * *", "2026-12-06T09:15:00Z"));
  });

  test("month and weekday names, in any case; weekday 7 is Sunday", () => {
    assert.ok(fires("0 0 * DEC SUN", "2026-12-06T00:00:00Z"));
    assert.ok(fires("0 0 * jan,dec * ", "2026-01-05T00:00:00Z"));
    assert.ok(!fires("0 0 * Jan-Nov *", "2026-12-06T00:00:00Z"));
    assert.ok(fires("0 9 * * mon-FRI", "2026-11-13T09:00:00Z"), "a Friday");
    assert.ok(!fires("0 9 * * MON-FRI", "2026-11-14T09:00:00Z"), "a Saturday");
    assert.ok(fires("0 0 * * 7", "2026-12-06T00:00:00Z"));
    assert.ok(fires("0 0 * * 5-7", "2026-12-06T00:00:00Z"));
    assert.ok(fires("0 0 * * 5-7", "2026-11-14T00:00:00Z"));
    assert.ok(!fires("0 0 * * 0", "2026-11-14T00:00:00Z"));
  });

  test("macros", () => {
    assert.ok(fires("@hourly", "2026-12-06T13:00:00Z"));
    assert.ok(!fires("@hourly", "2026-12-06T13:01:00Z"));
    assert.ok(fires("@daily", "2026-12-06T00:00:00Z"));
    assert.ok(fires("@midnight", "2026-11-14T00:00:00Z"));
    assert.ok(!fires("@daily", "2026-12-06T01:00:00Z"));
    assert.ok(fires("@weekly", "2026-12-06T00:00:00Z"), "Sunday midnight");
    assert.ok(!fires("@weekly", "2026-11-14T00:00:00Z"));
    assert.ok(fires("@monthly", "2026-12-01T00:00:00Z"));
    assert.ok(!fires("@monthly", "2026-12-02T00:00:00Z"));
    assert.ok(fires("@YEARLY", "2026-01-01T00:00:00Z"));
    assert.ok(fires("@annually", "2027-01-01T00:00:00Z"));
    assert.ok(!fires("@yearly", "2026-12-01T00:00:00Z"));
  });

  test("day-of-month and day-of-week: either when both are restricted, both when one is *", () => {
    // 2026-11-13 is Friday the 13th, 2026-11-20 a Friday, 2026-12-13 a Sunday.
    for (const day of ["2026-11-13", "2026-11-20", "2026-12-13"])
      assert.ok(fires("0 0 13 * FRI", `${day}T00:00:00Z`), day);
    assert.ok(!fires("0 0 13 * FRI", "2026-11-14T00:00:00Z"));
    assert.ok(fires("0 0 13 * *", "2026-12-13T00:00:00Z"));
    assert.ok(!fires("0 0 13 * *", "2026-11-20T00:00:00Z"));
    assert.ok(fires("0 0 * * FRI", "2026-11-20T00:00:00Z"));
    assert.ok(!fires("0 0 * * FRI", "2026-12-13T00:00:00Z"));
    assert.ok(fires("0 0 */2 * FRI", "2026-11-20T00:00:00Z"), "a stepped * restricts, as in robfig/cron");
    assert.ok(!fires("0 0 13 * ?", "2026-11-20T00:00:00Z"), "? is *");
  });

  test("invalid schedules are problems naming the field", () => {
    const cases: Array<[string, RegExp]> = [
      ["0 22 * *", /expected 5 fields .*got 4/],
      ["", /got 0/],
      ["60 * * * *", /minute "60": 60 is outside 0-59/],
      ["0 24 * * *", /hour "24"/],
      ["0 0 0 * *", /day-of-month "0"/],
      ["0 0 * 13 *", /month "13"/],
      ["0 0 * FOO *", /month "FOO": "FOO" is not a number or name/],
      ["0 0 * * 8", /day-of-week "8"/],
      ["0 9 * * MON-FOO", /day-of-week "MON-FOO"/],
      ["*/0 * * * *", /minute "\*\/0": step "0"/],
      ["30-10 * * * *", /minute "30-10": range 30-10 runs backwards/],
      ["1,,2 * * * *", /minute "1,,2": empty list item/],
      ["1-2-3 * * * *", /more than one -/],
      ["MON * * * *", /minute "MON": "MON" is not a number$/],
      ["@every 1h", /unknown macro/],
    ];
    for (const [schedule, problem] of cases) {
      const problems = syncWindowProblems([deny(schedule, "1h")]);
      assert.equal(problems.length, 1, schedule);
      assert.match(problems[0] ?? "", /^syncWindows\[0\]\.schedule: /, schedule);
      assert.match(problems[0] ?? "", problem, schedule);
    }
  });
});

describe("active windows", () => {
  const window = deny("0 22 * * *", "1h");
  const blocked = (iso: string): boolean => !syncWindowVerdict([window], app, at(iso)).automated;

  test("the start is inclusive, the end exclusive", () => {
    assert.ok(!blocked("2026-12-06T21:59:59.999Z"));
    assert.ok(blocked("2026-12-06T22:00:00Z"));
    assert.ok(blocked("2026-12-06T22:59:59.999Z"));
    assert.ok(!blocked("2026-12-06T23:00:00Z"));
  });

  test("a window open across midnight, and durations with seconds", () => {
    assert.ok(!syncWindowVerdict([deny("0 23 * * *", "2h")], app, at("2026-12-07T00:30:00Z")).automated);
    const short = deny("0 22 * * *", "90s");
    assert.ok(!syncWindowVerdict([short], app, at("2026-12-06T22:01:29Z")).automated);
    assert.ok(syncWindowVerdict([short], app, at("2026-12-06T22:01:30Z")).automated);
  });

  test("the verdict lists the applicable windows and whether each is active", () => {
    const v = syncWindowVerdict(
      [window, allow("0 8 * * *", "10h"), deny("0 0 * * *", "1h", { applications: ["other"] })],
      app,
      at("2026-12-06T09:00:00Z"),
    );
    assert.deepEqual(v.windows, [
      { kind: "deny", schedule: "0 22 * * *", duration: "1h", active: false },
      { kind: "allow", schedule: "0 8 * * *", duration: "10h", active: true },
    ]);
  });
});

describe("verdicts", () => {
  test("no applicable windows: everything is allowed", () => {
    assert.deepEqual(syncWindowVerdict([], app, at("2026-12-06T22:30:00Z")), {
      automated: true,
      manual: true,
      message: "",
      windows: [],
    });
  });

  test("an active deny window blocks until it ends", () => {
    const v = syncWindowVerdict([deny("0 22 * * *", "1h")], app, at("2026-12-06T22:30:00Z"));
    assert.equal(v.automated, false);
    assert.equal(v.manual, false);
    assert.equal(v.message, "blocked by deny window '0 22 * * *' (1h) until 2026-12-06T23:00:00Z");
    assert.equal(v.nextChange, "2026-12-06T23:00:00Z");
  });

  test("an inactive deny window allows, until it next starts", () => {
    const v = syncWindowVerdict([deny("0 22 * * *", "1h")], app, at("2026-12-06T10:00:00Z"));
    assert.equal(v.automated, true);
    assert.equal(v.manual, true);
    assert.equal(v.message, "");
    assert.equal(v.nextChange, "2026-12-06T22:00:00Z");
  });

  test("allow windows only: outside all of them blocks until the next opens", () => {
    const windows = [allow("0 22 * * *", "1h"), allow("0 12 * * SAT", "1h")];
    const v = syncWindowVerdict(windows, app, at("2026-12-06T10:00:00Z"));
    assert.equal(v.automated, false);
    assert.equal(v.manual, false);
    assert.equal(v.message, "outside every allow window; the next opens at 2026-12-06T22:00:00Z");
    assert.equal(v.nextChange, "2026-12-06T22:00:00Z");
    const inside = syncWindowVerdict(windows, app, at("2026-12-06T22:10:00Z"));
    assert.equal(inside.automated, true);
    assert.equal(inside.nextChange, "2026-12-06T23:00:00Z");
  });

  test("overlapping firings of one window keep it open", () => {
    const v = syncWindowVerdict([allow("0 */2 * * *", "3h")], app, at("2026-12-06T10:00:00Z"));
    assert.equal(v.automated, true);
    assert.equal(v.nextChange, undefined, "always open");
    const gaps = syncWindowVerdict([allow("0 8,9 * * *", "90m")], app, at("2026-12-06T08:10:00Z"));
    assert.equal(gaps.nextChange, "2026-12-06T10:30:00Z");
  });

  test("deny beats allow; when the deny ends the open allow lets syncs through", () => {
    const windows = [allow("0 8 * * *", "12h"), deny("0 12 * * *", "1h")];
    const v = syncWindowVerdict(windows, app, at("2026-12-06T12:30:00Z"));
    assert.equal(v.automated, false);
    assert.equal(v.nextChange, "2026-12-06T13:00:00Z");
    assert.equal(syncWindowVerdict(windows, app, at("2026-12-06T11:00:00Z")).nextChange, "2026-12-06T12:00:00Z");
    assert.equal(syncWindowVerdict(windows, app, at("2026-12-06T13:00:00Z")).nextChange, "2026-12-06T20:00:00Z");
  });

  test("a deny ending outside every allow window waits for the next allow", () => {
    const windows = [allow("0 8 * * *", "2h"), deny("0 9 * * *", "2h")];
    const v = syncWindowVerdict(windows, app, at("2026-12-06T09:30:00Z"));
    assert.equal(v.message, "blocked by deny window '0 9 * * *' (2h) until 2026-12-06T11:00:00Z");
    assert.equal(v.nextChange, "2026-12-07T08:00:00Z");
  });

  test("chained deny windows are reported until the last ends", () => {
    const windows = [deny("0 22 * * *", "1h"), deny("30 22 * * *", "1h", { namespaces: ["shop"] })];
    const v = syncWindowVerdict(windows, app, at("2026-12-06T22:40:00Z"));
    assert.equal(v.message, "blocked by deny windows '0 22 * * *' (1h), '30 22 * * *' (1h) until 2026-12-06T23:30:00Z");
    assert.equal(v.nextChange, "2026-12-06T23:30:00Z");
  });

  test("nextChange is absent when nothing changes within 7 days", () => {
    const yearly = syncWindowVerdict([allow("0 0 1 1 *", "1h")], app, at("2026-03-01T00:00:00Z"));
    assert.equal(yearly.automated, false);
    assert.equal(yearly.nextChange, undefined);
    assert.equal(yearly.message, "outside every allow window; none opens before 2026-03-08T00:00:00Z");
    const long = syncWindowVerdict([deny("0 0 1 * *", "720h")], app, at("2026-03-05T00:00:00Z"));
    assert.equal(long.automated, false);
    assert.equal(long.nextChange, undefined);
    assert.equal(long.message, "blocked by deny window '0 0 1 * *' (720h) until after 2026-03-12T00:00:00Z");
    const justInside = syncWindowVerdict([deny("0 0 1 * *", "720h")], app, at("2026-03-24T00:00:00Z"));
    assert.equal(justInside.nextChange, "2026-03-31T00:00:00Z");
    const never = syncWindowVerdict([deny("0 0 1 1 *", "1h")], app, at("2026-03-01T00:00:00Z"));
    assert.equal(never.automated, true);
    assert.equal(never.nextChange, undefined);
  });

  test("nextChange is rounded up to a whole minute", () => {
    const v = syncWindowVerdict([deny("0 22 * * *", "90s")], app, at("2026-12-06T22:00:10Z"));
    assert.equal(v.message, "blocked by deny window '0 22 * * *' (90s) until 2026-12-06T22:01:30Z");
    assert.equal(v.nextChange, "2026-12-06T22:02:00Z");
  });
});

describe("manual syncs", () => {
  const now = at("2026-12-06T22:30:00Z");

  test("a deny window allowing manual syncs lets them through", () => {
    const v = syncWindowVerdict([deny("0 22 * * *", "1h", { manualSync: true })], app, now);
    assert.equal(v.automated, false);
    assert.equal(v.manual, true);
    assert.match(v.message, /; manual syncs are allowed$/);
  });

  test("every active deny window must allow manual syncs", () => {
    const windows = [deny("0 22 * * *", "1h", { manualSync: true }), deny("0 20 * * *", "3h")];
    assert.equal(syncWindowVerdict(windows, app, now).manual, false);
    const onlyOneActive = [deny("0 22 * * *", "1h", { manualSync: true }), deny("0 5 * * *", "1h")];
    assert.equal(syncWindowVerdict(onlyOneActive, app, now).manual, true, "inactive denies do not count");
  });

  test("outside allow windows, every allow window must allow manual syncs (Argo CD)", () => {
    const both = [allow("0 8 * * *", "1h", { manualSync: true }), allow("0 12 * * *", "1h", { manualSync: true })];
    assert.equal(syncWindowVerdict(both, app, now).manual, true);
    const one = [allow("0 8 * * *", "1h", { manualSync: true }), allow("0 12 * * *", "1h")];
    assert.equal(syncWindowVerdict(one, app, now).manual, false);
  });

  test("an active deny with manualSync allows manual syncs even outside allow windows", () => {
    const windows = [allow("0 8 * * *", "1h"), deny("0 22 * * *", "1h", { manualSync: true })];
    const v = syncWindowVerdict(windows, app, now);
    assert.deepEqual([v.automated, v.manual], [false, true]);
  });
});

describe("which windows apply", () => {
  const now = at("2026-12-06T22:30:00Z");
  const blocks = (window: Partial<SyncWindow>, target = app): boolean =>
    !syncWindowVerdict([{ kind: "deny", schedule: "0 22 * * *", duration: "1h", ...window }], target, now).automated;

  test("globs over names, namespaces and clusters; any list matching applies", () => {
    assert.ok(blocks({ applications: ["we?"] }));
    assert.ok(blocks({ applications: ["other", "w*"] }));
    assert.ok(!blocks({ applications: ["web-*"] }));
    assert.ok(blocks({ namespaces: ["sh*"] }));
    assert.ok(!blocks({ namespaces: ["shop-?"] }));
    assert.ok(blocks({ clusters: ["in-*"] }));
    assert.ok(!blocks({ clusters: ["prod"] }));
    assert.ok(blocks({ applications: ["nope"], namespaces: ["nope"], clusters: ["in-cluster"] }));
    assert.ok(!blocks({ applications: ["nope"], namespaces: ["nope"], clusters: ["nope"] }));
  });

  test("a window with no lists applies to no Application", () => {
    assert.ok(!blocks({}));
    assert.ok(!blocks({ applications: [], namespaces: [], clusters: [] }));
    assert.deepEqual(
      syncWindowVerdict([{ kind: "deny", schedule: "* * * * *", duration: "1h" }], app, now).windows,
      [],
    );
  });
});

describe("time zones", () => {
  test("Europe/Berlin fires at local time, across the autumn DST change", () => {
    const window = deny("0 22 * * *", "1h", { timeZone: "Europe/Berlin" });
    // 22:00 CEST (UTC+2) on 24 October, 22:00 CET (UTC+1) on 25 October.
    const summer = syncWindowVerdict([window], app, at("2026-10-24T20:30:00Z"));
    assert.equal(summer.automated, false);
    assert.equal(summer.nextChange, "2026-10-24T21:00:00Z");
    const after = syncWindowVerdict([window], app, at("2026-10-24T21:00:00Z"));
    assert.equal(after.automated, true);
    assert.equal(after.nextChange, "2026-10-25T21:00:00Z");
    assert.equal(syncWindowVerdict([window], app, at("2026-10-25T20:30:00Z")).automated, true);
  });

  test("a local time skipped by the spring DST change does not fire that day", () => {
    const window = allow("30 2 * * *", "1h", { timeZone: "Europe/Berlin" });
    const v = syncWindowVerdict([window], app, at("2026-03-28T12:00:00Z"));
    assert.equal(v.message, "outside every allow window; the next opens at 2026-03-30T00:30:00Z");
    assert.equal(v.nextChange, "2026-03-30T00:30:00Z");
  });

  test("America/New_York weekdays at 09:00 local", () => {
    const window = allow("0 9 * * MON-FRI", "8h", { timeZone: "America/New_York" });
    assert.ok(fires("0 9 * * MON-FRI", "2026-11-13T14:00:00Z", "America/New_York"));
    assert.ok(!fires("0 9 * * MON-FRI", "2026-11-13T09:00:00Z", "America/New_York"));
    // Friday 13 November 20:00 EST is closed; the next opening is Monday 16 November 09:00 EST.
    const v = syncWindowVerdict([window], app, at("2026-11-14T01:00:00Z"));
    assert.equal(v.automated, false);
    assert.equal(v.nextChange, "2026-11-16T14:00:00Z");
  });
});

describe("windows with problems", () => {
  test("are reported with the field named and ignored by the verdict", () => {
    const windows = [
      deny("0 22 * * *", "1h", { timeZone: "Mars/Olympus_Mons" }),
      deny("0 22 * *", "1h"),
      deny("0 22 * * *", "1d"),
      deny("0 22 * * *", "0"),
      { ...deny("0 22 * * *", "1h"), kind: "maybe" } as unknown as SyncWindow,
      deny("0 22 * * *", "1h", { timeZone: "Europe/Berlin" }),
      allow("@daily", "30m", { timeZone: "" }),
    ];
    const problems = syncWindowProblems(windows);
    assert.equal(problems.length, 5);
    assert.match(problems[0] ?? "", /^syncWindows\[0\]\.timeZone: unknown time zone "Mars\/Olympus_Mons"/);
    assert.match(problems[1] ?? "", /^syncWindows\[1\]\.schedule: expected 5 fields/);
    assert.match(problems[2] ?? "", /^syncWindows\[2\]\.duration: invalid duration "1d"/);
    assert.match(problems[3] ?? "", /^syncWindows\[3\]\.duration: must be positive/);
    assert.match(problems[4] ?? "", /^syncWindows\[4\]\.kind: must be allow or deny, not "maybe"/);

    const v = syncWindowVerdict(windows, app, at("2026-12-06T21:30:00Z"));
    assert.deepEqual(
      v.windows.map((w) => [w.kind, w.schedule, w.active]),
      [
        ["deny", "0 22 * * *", true],
        ["allow", "@daily", false],
      ],
    );
    assert.equal(v.automated, false);
    assert.equal(syncWindowProblems([deny("0 22 * * *", "1h30m"), allow("@hourly", "45s")]).length, 0);
  });

  test("several problems of one window are all reported; malformed entries do not throw", () => {
    const bad = { kind: "deny", schedule: 5, duration: null, timeZone: 7, applications: ["*"] };
    const problems = syncWindowProblems([bad as unknown as SyncWindow, null as unknown as SyncWindow]);
    assert.deepEqual(problems, [
      "syncWindows[0].schedule: must be a string",
      "syncWindows[0].duration: must be a string",
      "syncWindows[0].timeZone: must be a string",
      "syncWindows[1]: must be an object",
    ]);
    const v = syncWindowVerdict([bad as unknown as SyncWindow], app, at("2026-12-06T21:30:00Z"));
    assert.deepEqual([v.automated, v.manual, v.windows], [true, true, []]);
  });
});
