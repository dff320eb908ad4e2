import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GIT_CONFIG, gitEnvironment } from "./git-env.js";

describe("gitEnvironment", () => {
  test("starts from nothing: only PATH, proxies and CA bundles are inherited", () => {
    const env = gitEnvironment({
      home: "/cache/home",
      inherit: {
        PATH: "/bin",
        HTTPS_PROXY: "http://proxy:3128",
        GIT_DIR: "/evil",
        GIT_SSH_COMMAND: "evil",
        HOME: "/root",
      },
    });
    assert.equal(env.PATH, "/bin");
    assert.equal(env.HTTPS_PROXY, "http://proxy:3128");
    assert.equal(env.GIT_DIR, undefined);
    assert.equal(env.GIT_SSH_COMMAND, undefined);
    assert.equal(env.HOME, "/cache/home");
    assert.equal(env.GIT_CONFIG_NOSYSTEM, "1");
    assert.equal(env.GIT_CONFIG_GLOBAL, "/dev/null");
    assert.equal(env.GIT_TERMINAL_PROMPT, "0");
  });
  test("configures the transports through GIT_CONFIG_COUNT", () => {
    const env = gitEnvironment({ home: "/h", inherit: {} });
    const config = new Map<string, string>();
    for (let i = 0; i < Number(env.GIT_CONFIG_COUNT); i++) {
      config.set(env[`GIT_CONFIG_KEY_${i}`] ?? "", env[`GIT_CONFIG_VALUE_${i}`] ?? "");
    }
    assert.equal(config.size, GIT_CONFIG.length);
    assert.equal(config.get("protocol.allow"), "never");
    assert.equal(config.get("protocol.ext.allow"), "never");
    assert.equal(config.get("protocol.https.allow"), "always");
  });
});
