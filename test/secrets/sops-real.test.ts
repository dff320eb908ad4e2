// Cross-checks with the real, pinned sops (and age-keygen, and gpg for PGP): files encrypted by sops
// in this test, with fresh keys, decrypt in bosun to exactly what `sops --decrypt` prints (structures
// compared with go-yaml's typing for YAML, key order kept for JSON, bytes for dotenv and binary).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import type { KubeObject } from "../../src/api/index.js";
import {
  decryptSops,
  isSopsEncrypted,
  keysFromSecretData,
  SopsDecryptError,
  type SopsFormat,
  SopsMacError,
  SopsNoKeyError,
  sopsDecryptor,
} from "../../src/secrets/index.js";
import { parseJsonTree } from "../../src/secrets/sops/json-store.js";
import type { TreeNode } from "../../src/secrets/sops/tree.js";
import { parseYamlFile } from "../../src/secrets/sops/yaml-store.js";
import { toolPath } from "../../src/tools/locate.js";

const SOPS = toolPath("sops");
const AGE_KEYGEN = toolPath("age-keygen");

let dir = "";
const key = { path: "", text: "", recipient: "" };
const otherKey = { path: "", text: "", recipient: "" };

function makeAgeKey(name: string): { path: string; text: string; recipient: string } {
  const path = join(dir, name);
  execFileSync(AGE_KEYGEN, ["-o", path], { stdio: ["ignore", "ignore", "pipe"] });
  const text = readFileSync(path, "utf8");
  const recipient = /^# public key: (age1\S+)$/m.exec(text)?.[1];
  assert.ok(recipient, "age-keygen wrote a public key comment");
  return { path, text, recipient };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "bosun-sops-real-"));
  Object.assign(key, makeAgeKey("key.txt"));
  Object.assign(otherKey, makeAgeKey("other-key.txt"));
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The environment sops runs in: nothing from the caller's SOPS_* settings or home directory. */
function sopsEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
    SOPS_DISABLE_VERSION_CHECK: "1",
    SOPS_AGE_KEY_FILE: key.path,
    ...extra,
  };
}

function runSops(
  args: string[],
  extraEnv: Record<string, string> = {},
): { status: number; stdout: Buffer; stderr: string } {
  const r = spawnSync(SOPS, args, { env: sopsEnv(extraEnv), maxBuffer: 64 << 20 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString("utf8") };
}

function sops(args: string[], extraEnv: Record<string, string> = {}): Buffer {
  const r = runSops(args, extraEnv);
  assert.equal(r.status, 0, `sops ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

const TYPE_FLAGS: Record<SopsFormat, string> = { yaml: "yaml", json: "json", dotenv: "dotenv", binary: "binary" };
const EXTENSIONS: Record<SopsFormat, string> = { yaml: "yaml", json: "json", dotenv: "env", binary: "bin" };

interface Encrypted {
  path: string;
  content: Buffer;
  format: SopsFormat;
}

/** Writes `plaintext` and encrypts it with the real sops. */
function encrypt(
  name: string,
  plaintext: string | Buffer,
  format: SopsFormat,
  args: string[] = ["--age", key.recipient],
  env: Record<string, string> = {},
): Encrypted {
  const plainPath = join(dir, `${name}.${EXTENSIONS[format]}`);
  writeFileSync(plainPath, plaintext);
  const types = ["--input-type", TYPE_FLAGS[format], "--output-type", TYPE_FLAGS[format]];
  const content = sops(["--encrypt", ...types, ...args, plainPath], env);
  const path = join(dir, `${name}.enc.${EXTENSIONS[format]}`);
  writeFileSync(path, content);
  return { path, content, format };
}

function sopsDecrypt(file: Encrypted, extra: string[] = [], env: Record<string, string> = {}): Buffer {
  const types = ["--input-type", TYPE_FLAGS[file.format], "--output-type", TYPE_FLAGS[file.format]];
  return sops(["--decrypt", ...types, ...extra, file.path], env);
}

/** Documents as go-yaml / SOPS type them: ordered [key, value] pairs, numbers as numbers, comments dropped. */
function goTyped(text: string, format: SopsFormat): unknown[] {
  const docs = format === "json" ? [parseJsonTree(text, "json")] : parseYamlFile(text, "yaml").documents;
  return docs.map((d) => comparable(d));
}

function comparable(node: TreeNode): unknown {
  if (node.kind === "map")
    return node.entries.flatMap((e) => (e.kind === "pair" ? [[e.key, comparable(e.value)]] : []));
  if (node.kind === "list") return node.items.flatMap((i) => (i.kind === "comment" ? [] : [comparable(i)]));
  const v = node.value;
  if (v.kind === "int") return Number(v.value);
  // sops prints the float -0.0 as "-0", which reads back as the int 0.
  if (v.kind === "float") return Object.is(v.value, -0) ? 0 : v.value;
  if (v.kind === "null") return null;
  if (v.kind === "bytes") return Buffer.from(v.value).toString("utf8");
  return v.value;
}

/** [path, type] of every leaf; for an encrypted leaf the type its ENC[…] names. */
function leafTypes(node: TreeNode, path = ""): Array<[string, string]> {
  if (node.kind === "map") {
    return node.entries.flatMap((e) =>
      e.kind === "pair" && !(path === "" && e.key === "sops") ? leafTypes(e.value, `${path}.${e.key}`) : [],
    );
  }
  if (node.kind === "list") return node.items.flatMap((i) => (i.kind === "comment" ? [] : leafTypes(i, `${path}[]`)));
  const v = node.value;
  const encType = v.kind === "str" ? /^ENC\[AES256_GCM,.*,type:(\w+)\]$/.exec(v.value)?.[1] : undefined;
  return v.kind === "null" ? [] : [[path, encType ?? v.kind]];
}

function trees(text: string, format: SopsFormat): TreeNode[] {
  return format === "json" ? [parseJsonTree(text, "json")] : parseYamlFile(text, "yaml").documents;
}

/** Comment lines (and end-of-line comments) in order, without their `#`. */
function comments(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)#(.*)$/gm)].map((m) => (m[1] ?? "").trim());
}

const KEYS = (): { age: string[]; pgp: string[] } => ({ age: [key.text], pgp: [] });

/** Decrypts with bosun and with sops and asserts the same result. Returns bosun's plaintext. */
async function assertSameAsSops(
  file: Encrypted,
  keys = KEYS(),
  sopsEnvExtra: Record<string, string> = {},
): Promise<string | Uint8Array> {
  const expected = sopsDecrypt(file, [], sopsEnvExtra);
  const result = await decryptSops({ content: file.content, format: file.format, file: file.path, keys });
  if (file.format === "dotenv" || file.format === "binary") {
    assert.deepEqual(Buffer.from(result.plaintext), expected);
    return result.plaintext;
  }
  const text = result.plaintext as string;
  assert.deepEqual(goTyped(text, file.format), goTyped(expected.toString("utf8"), file.format));
  // Every encrypted value comes back with the type its ENC[…] names (sops itself loses 1.0 and -0.0).
  assert.deepEqual(
    trees(text, file.format).map((t) => leafTypes(t)),
    trees(file.content.toString("utf8"), file.format).map((t) => leafTypes(t)),
  );
  assert.equal(isSopsEncrypted(file.content, file.format), true);
  assert.equal(isSopsEncrypted(text, file.format), false);
  return text;
}

const TYPED_YAML = `# a comment at the top
int: 42
negative: -17
max_int64: 9223372036854775807
one_and_a_half: 1.5
big_float: 1e21
tenth: 0.1
integral_float: 1.0
tiny: 1e-7
long_float: 123456789.123456789
infinity: .inf
negative_zero: -0.0
enabled: true
disabled: false
name: hello world
quoted_number: "123"
yaml11_word: yes
empty: ""
unicode: "grüße ✓"
created: 2024-01-02T03:04:05.120+02:00
day: 2024-01-02
nothing: null
block: |
  line one
  line two
nested:
  # a comment in a nested map
  port: 8080 # an end-of-line comment
  deeper:
    list:
      - 1
      - two
      - 3.25
      - false
      - in_list: x
        count: 2
    empty_map: {}
    empty_list: []
# a comment before the last key
last: end
`;

describe("sops with age", () => {
  test("YAML with ints, floats (1.5, 1e21, 0.1, …), bools, strings, times, nested maps, lists and comments", async () => {
    const file = encrypt("typed", TYPED_YAML, "yaml");
    const text = (await assertSameAsSops(file)) as string;
    assert.deepEqual(comments(text), comments(sopsDecrypt(file).toString("utf8")));
    assert.deepEqual(comments(text), [
      "a comment at the top",
      "a comment in a nested map",
      "an end-of-line comment",
      "a comment before the last key",
    ]);
    assert.match(text, /^big_float: 1e\+21$/m);
    assert.match(text, /^integral_float: 1\.0$/m);
  });

  test("recipients from SOPS_AGE_RECIPIENTS", async () => {
    const file = encrypt("from-env", "password: from-the-environment\n", "yaml", [], {
      SOPS_AGE_RECIPIENTS: key.recipient,
    });
    await assertSameAsSops(file);
  });

  test("JSON: key order (integer-like keys too), ints, floats, nesting, unicode", async () => {
    const json = JSON.stringify({ z: 1, a: "x" }).replace(
      "}",
      ', "10": "ten", "2": 2.0, "f": 1.5, "big": 1e21, "small": 1e-7, "max": 9223372036854775807, "t": true, "n": null, "s": "caf\\u00e9\\nline", "list": [1, "a", {"k": [false, 0.25]}], "empty": "", "obj": {}}',
    );
    const file = encrypt("document", json, "json");
    const text = (await assertSameAsSops(file)) as string;
    assert.deepEqual(
      [...text.matchAll(/^\t"([^"]+)":/gm)].map((m) => m[1]),
      ["z", "a", "10", "2", "f", "big", "small", "max", "t", "n", "s", "list", "empty", "obj"],
    );
  });

  test("dotenv, byte for byte", async () => {
    const env =
      "# a comment\nDATABASE_URL=postgres://u:p@db/shop\nSPACED= spaced \nEQUALS=a=b=c\nMULTI=one\\ntwo\nEMPTY=\nCRLF=x\r\n";
    const file = encrypt("values", env, "dotenv");
    assert.deepEqual(Buffer.from(await assertSameAsSops(file)), Buffer.from(env));
  });

  test("binary, byte for byte (bytes that are not UTF-8)", async () => {
    const bytes = Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x80]), randomBytes(4096)]);
    const file = encrypt("blob", bytes, "binary");
    assert.deepEqual(Buffer.from(await assertSameAsSops(file)), bytes);
  });

  test("a Kubernetes Secret with --encrypted-regex '^(data|stringData)$', by file and through the render hook", async () => {
    const manifest = `apiVersion: v1
kind: Secret
metadata:
  name: database
  namespace: shop
  creationTimestamp: 2024-05-06T07:08:09Z
  labels:
    app.kubernetes.io/name: database
  annotations:
    replicas: "3"
type: Opaque
stringData:
  username: admin
  password: s3cr3t-p4ss
data:
  token: dG9rZW4=
`;
    const file = encrypt("secret", manifest, "yaml", [
      "--age",
      key.recipient,
      "--encrypted-regex",
      "^(data|stringData)$",
    ]);
    assert.match(file.content.toString("utf8"), /^ {4}name: database$/m);
    assert.doesNotMatch(file.content.toString("utf8"), /s3cr3t-p4ss/);
    await assertSameAsSops(file);
    const object = parse(file.content.toString("utf8")) as KubeObject;
    const decrypted = await sopsDecryptor(KEYS())({ file: "secret.yaml", object });
    assert.deepEqual(decrypted, parse(sopsDecrypt(file).toString("utf8")));
  });

  test("--mac-only-encrypted: decrypts; then a clear-text edit passes (as in sops) and an encrypted one does not", async () => {
    const file = encrypt("mac-only", "metadata:\n  name: app\nstringData:\n  key: value\n", "yaml", [
      "--age",
      key.recipient,
      "--encrypted-regex",
      "^stringData$",
      "--mac-only-encrypted",
    ]);
    assert.match(file.content.toString("utf8"), /mac_only_encrypted: true/);
    await assertSameAsSops(file);
    const renamed = {
      ...file,
      content: Buffer.from(file.content.toString("utf8").replace("name: app", "name: other")),
    };
    writeFileSync(renamed.path, renamed.content);
    await assertSameAsSops(renamed);
  });

  for (const [rule, args, yaml] of [
    [
      "--encrypted-suffix _secret",
      ["--encrypted-suffix", "_secret"],
      "password_secret: a\nuser: b\nnested_secret:\n  all: c\nplain:\n  token_secret: d\n  port: 5432\n",
    ],
    [
      "--unencrypted-suffix _public",
      ["--unencrypted-suffix", "_public"],
      "name_public: a\npassword: b\nlist_public: [1, 2]\n",
    ],
    [
      "--unencrypted-regex '^public'",
      ["--unencrypted-regex", "^public"],
      "public_name: a\nprivate_key: b\nnested:\n  public_note: c\n  private: d\n",
    ],
    ["--encrypted-regex '(?i)^PASS'", ["--encrypted-regex", "(?i)^PASS"], "password: a\nuser: b\n"],
    [
      "--encrypted-comment-regex sops:enc",
      ["--encrypted-comment-regex", "sops:enc"],
      "# header\nvisible: a\n# sops:enc\nhidden: b\n# another\nother: c\n",
    ],
    [
      "--unencrypted-comment-regex sops:plain",
      ["--unencrypted-comment-regex", "sops:plain"],
      "# header\nhidden: a\n# sops:plain\nvisible: b\n",
    ],
  ] as const) {
    test(`selection rule ${rule}`, async () => {
      const file = encrypt(`rule-${rule.replace(/\W+/g, "-")}`, yaml, "yaml", ["--age", key.recipient, ...args]);
      const text = (await assertSameAsSops(file)) as string;
      assert.deepEqual(comments(text), comments(sopsDecrypt(file).toString("utf8")));
    });
  }

  test("several YAML documents under one MAC", async () => {
    const file = encrypt("multi", "a: 1\nsecret: one\n---\nb: 2.5\nsecret: two\n", "yaml");
    assert.equal((await decryptSops({ content: file.content, format: "yaml", keys: KEYS() })).documents.length, 2);
    await assertSameAsSops(file);
  });

  test("clear-text values hand-edited into other spellings of the same value (0x1F, 1_000, 017, 2024-01-02) still pass the MAC", async () => {
    const file = encrypt(
      "spellings",
      "secret: s\nplain:\n  hex: 31\n  under: 1000\n  octal: 15\n  day: 2024-01-02\n  big: 1e21\n",
      "yaml",
      ["--age", key.recipient, "--encrypted-regex", "^secret$"],
    );
    const edited = file.content
      .toString("utf8")
      .replace("hex: 31", "hex: 0x1F")
      .replace("under: 1000", "under: 1_000")
      .replace("octal: 15", "octal: 017")
      .replace("day: 2024-01-02T00:00:00Z", "day: 2024-01-02")
      .replace("big: 1e+21", "big: 1000000000000000000000.0");
    for (const spelling of ["0x1F", "1_000", "017", "day: 2024-01-02\n", "1000000000000000000000.0"]) {
      assert.ok(edited.includes(spelling), `the edited file has ${spelling}`);
    }
    const file2 = { ...file, content: Buffer.from(edited) };
    writeFileSync(file2.path, file2.content);
    await assertSameAsSops(file2);
  });

  test("Shamir: three key groups, threshold 2 (.sops.yaml key_groups); two keys open it, one does not", async () => {
    const second = makeAgeKey("second-key.txt");
    const third = makeAgeKey("third-key.txt");
    const config = join(dir, "shamir.sops.yaml");
    writeFileSync(
      config,
      `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n${[key, second, third].map((k) => `      - age: [${k.recipient}]\n`).join("")}`,
    );
    const file = encrypt("shamir", "secret: split\ncount: 3\n", "yaml", ["--config", config]);
    assert.match(file.content.toString("utf8"), /shamir_threshold: 2/);
    const pair = join(dir, "pair.txt");
    writeFileSync(pair, second.text + third.text);
    await assertSameAsSops(file, { age: [second.text, third.text], pgp: [] }, { SOPS_AGE_KEY_FILE: pair });
    await assert.rejects(
      decryptSops({ content: file.content, format: "yaml", keys: { age: [third.text], pgp: [] } }),
      SopsNoKeyError,
    );
  });

  test("keys read from a Secret's *.agekey entry, as Flux names it", async () => {
    const file = encrypt("flux-named", "token: from-a-secret\n", "yaml");
    const keys = keysFromSecretData({ "identity.agekey": Buffer.from(key.text).toString("base64") });
    await assertSameAsSops(file, keys);
  });

  test("a wrong key: sops and bosun both refuse, bosun naming the file and the recipient", async () => {
    const file = encrypt("wrong-key", "password: not-for-you\n", "yaml");
    const bySops = runSops(["--decrypt", file.path], { SOPS_AGE_KEY_FILE: otherKey.path });
    assert.notEqual(bySops.status, 0);
    await assert.rejects(
      decryptSops({
        content: file.content,
        format: "yaml",
        file: "wrong-key.yaml",
        keys: { age: [otherKey.text], pgp: [] },
      }),
      (e: unknown) =>
        e instanceof SopsNoKeyError &&
        e.message.startsWith("wrong-key.yaml: no usable key") &&
        e.message.includes(key.recipient) &&
        !e.message.includes("not-for-you") &&
        !e.message.includes(otherKey.text.trim().split("\n").pop() ?? "AGE-SECRET-KEY"),
    );
  });

  test("a tampered value or MAC: sops and bosun both refuse", async () => {
    const file = encrypt("tamper", "a: first\nb: second\nlist: [x, y]\n", "yaml");
    const text = file.content.toString("utf8");
    const a = /^a: (ENC\[.*\])$/m.exec(text)?.[1] ?? "";
    const b = /^b: (ENC\[.*\])$/m.exec(text)?.[1] ?? "";
    const cases: Array<[string, string, new (...args: never[]) => Error]> = [
      ["swapped values", text.replace(`a: ${a}`, `a: ${b}`).replace(`b: ${b}`, `b: ${a}`), SopsDecryptError],
      [
        "changed MAC",
        text.replace(/(mac: ENC\[AES256_GCM,data:)(.)/, (_, p: string, c: string) => `${p}${c === "A" ? "B" : "A"}`),
        SopsMacError,
      ],
      [
        "changed lastmodified",
        text.replace(/lastmodified: "(\d{4})/, (_, y: string) => `lastmodified: "${Number(y) - 1}`),
        SopsMacError,
      ],
    ];
    for (const [what, content, kind] of cases) {
      assert.notEqual(content, text, what);
      const path = join(dir, `tampered-${what.replace(/\W+/g, "-")}.yaml`);
      writeFileSync(path, content);
      assert.notEqual(runSops(["--decrypt", path]).status, 0, `sops refuses the ${what}`);
      await assert.rejects(decryptSops({ content, format: "yaml", keys: KEYS() }), kind, what);
    }
  });

  test("a comment between list items: sops 3.13.2 refuses its own file (MAC mismatch); bosun gives what --ignore-mac prints", async () => {
    const file = encrypt("list-comment", "items:\n  - first\n  # between the items\n  - second\n", "yaml");
    const bySops = runSops(["--decrypt", "--input-type", "yaml", "--output-type", "yaml", file.path]);
    assert.notEqual(bySops.status, 0);
    assert.match(bySops.stderr, /MAC mismatch/);
    const result = await decryptSops({ content: file.content, format: "yaml", keys: KEYS() });
    const ignoringMac = sopsDecrypt(file, ["--ignore-mac"]).toString("utf8");
    assert.deepEqual(goTyped(result.plaintext as string, "yaml"), goTyped(ignoringMac, "yaml"));
    assert.deepEqual(comments(result.plaintext as string), ["between the items"]);
  });
});

/** gpg, which sops needs for PGP. Missing gpg fails the PGP tests loudly rather than skipping them. */
function gpgPath(): string {
  const which = spawnSync("sh", ["-c", "command -v gpg"], { encoding: "utf8" });
  const path = which.stdout.trim();
  assert.ok(
    which.status === 0 && path !== "",
    "gpg is not installed, so the PGP cross-check with the real sops cannot run. Install it: `apt-get install -y gnupg` (Debian/Ubuntu).",
  );
  return path;
}

describe("sops with PGP (gpg)", () => {
  let gnupgHome = "";
  let gpg = "";

  before(() => {
    gpg = gpgPath();
    gnupgHome = join(dir, "gnupg");
    mkdirSync(gnupgHome, { mode: 0o700 });
  });

  after(() => {
    // gpg started an agent for this home; stop it (only this home's agent).
    if (gnupgHome) spawnSync("gpgconf", ["--kill", "gpg-agent"], { env: { ...sopsEnv(), GNUPGHOME: gnupgHome } });
  });

  function gpgRun(args: string[]): string {
    return execFileSync(gpg, ["--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args], {
      env: { ...sopsEnv(), GNUPGHOME: gnupgHome },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** A primary key (certify only) with an encryption subkey, the usual shape; no passphrase. */
  function newKey(uid: string, primary: string, subkey: string): { fingerprint: string; armored: string } {
    gpgRun(["--quick-gen-key", uid, primary, "cert", "never"]);
    const listing = gpgRun(["--list-secret-keys", "--with-colons", uid]);
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(listing)?.[1];
    assert.ok(fingerprint, `gpg listed a fingerprint for ${uid}`);
    gpgRun(["--quick-add-key", fingerprint, subkey, "encr", "never"]);
    return { fingerprint, armored: gpgRun(["--armor", "--export-secret-keys", fingerprint]) };
  }

  for (const [primary, subkey] of [
    ["rsa3072", "rsa3072"],
    ["ed25519", "cv25519"],
  ] as const) {
    test(`a gpg key (${primary} with a ${subkey} encryption subkey): sops --pgp encrypts, bosun decrypts with the exported key`, async () => {
      const algo = `${primary}-${subkey}`;
      const { fingerprint, armored } = newKey(`bosun sops ${algo} <sops-${algo}@bosun.invalid>`, primary, subkey);
      const file = encrypt(
        `pgp-${algo}`,
        "password: pgp-protected\nport: 5432\nratio: 0.5\n",
        "yaml",
        ["--pgp", fingerprint],
        {
          GNUPGHOME: gnupgHome,
        },
      );
      assert.match(file.content.toString("utf8"), new RegExp(`fp: ${fingerprint}`));
      await assertSameAsSops(file, { age: [], pgp: [armored] }, { GNUPGHOME: gnupgHome });
      const result = await decryptSops({ content: file.content, format: "yaml", keys: { age: [], pgp: [armored] } });
      assert.equal(result.unwrappedBy, fingerprint);
    });
  }

  test("a file for PGP and age together opens with either", async () => {
    const { fingerprint, armored } = newKey("bosun sops both <sops-both@bosun.invalid>", "rsa3072", "rsa3072");
    const file = encrypt(
      "pgp-and-age",
      '{"token": "either-key", "n": 1}',
      "json",
      ["--pgp", fingerprint, "--age", key.recipient],
      {
        GNUPGHOME: gnupgHome,
      },
    );
    await assertSameAsSops(file, { age: [], pgp: [armored] }, { GNUPGHOME: gnupgHome });
    await assertSameAsSops(file, KEYS(), { GNUPGHOME: gnupgHome });
  });
});
