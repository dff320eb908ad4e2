import assert from "node:assert/strict";
import { test } from "node:test";
import { globToRegExp, matchesGlob } from "./glob.js";

test("a pattern without a slash matches the file name at any depth", () => {
  assert.equal(matchesGlob("deploy.yaml", "*.yaml"), true);
  assert.equal(matchesGlob("a/b/deploy.yaml", "*.yaml"), true);
  assert.equal(matchesGlob("a/b/deploy.yml", "*.yaml"), false);
  assert.equal(matchesGlob("a/config.json", "config.json"), true);
});

test("a pattern with a slash matches the whole relative path; * stays within a segment, ** crosses them", () => {
  assert.equal(matchesGlob("env/prod.yaml", "env/*.yaml"), true);
  assert.equal(matchesGlob("env/eu/prod.yaml", "env/*.yaml"), false);
  assert.equal(matchesGlob("env/eu/prod.yaml", "env/**/*.yaml"), true);
  assert.equal(matchesGlob("env/prod.yaml", "env/**/*.yaml"), true, "** matches zero segments");
  assert.equal(matchesGlob("other/prod.yaml", "env/**"), false);
  assert.equal(matchesGlob("env/a/b/c.json", "env/**"), true);
});

test("?, classes and alternatives", () => {
  assert.equal(matchesGlob("v1.yaml", "v?.yaml"), true);
  assert.equal(matchesGlob("v10.yaml", "v?.yaml"), false);
  assert.equal(matchesGlob("a.yaml", "[ab].yaml"), true);
  assert.equal(matchesGlob("c.yaml", "[ab].yaml"), false);
  assert.equal(matchesGlob("c.yaml", "[!ab].yaml"), true);
  assert.equal(matchesGlob("config.json", "{config.json,*.yml}"), true);
  assert.equal(matchesGlob("x.yml", "{config.json,*.yml}"), true);
  assert.equal(matchesGlob("x.yaml", "{config.json,*.yml}"), false);
});

test("regular-expression characters in a glob are literal", () => {
  assert.equal(matchesGlob("a+b(1).yaml", "a+b(1).yaml"), true);
  assert.equal(matchesGlob("axyaml", "a.yaml"), false);
  assert.equal(globToRegExp("x.{a,b}").source, "^x\\.(?:a|b)$");
  assert.throws(() => globToRegExp("{a,b"), /unbalanced/);
});
