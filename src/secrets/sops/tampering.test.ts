// A SOPS file that was changed after encryption, or a key that does not fit, is refused with an error
// that names the file and says why; no error carries a plaintext value or key material.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { decryptSops, type SopsFormat } from "./decrypt.js";
import { SopsDecryptError, SopsFormatError, SopsKeyError, SopsMacError, SopsNoKeyError } from "./errors.js";

const VECTORS = fileURLToPath(new URL("../../../../shared/vectors/sops/", import.meta.url));
const FIXTURES = new URL("./fixtures/", import.meta.url);

function vector(path: string): string {
  assert.ok(existsSync(VECTORS + path), `the shared SOPS vectors are missing: expected ${VECTORS}${path}`);
  return readFileSync(VECTORS + path, "utf8");
}
const fixture = (name: string): string => readFileSync(new URL(name, FIXTURES), "utf8");

const PGP_KEY = vector("getsops-sops/keys/sops_functional_tests_key.asc");
const FLUX_PGP_KEY = vector("fluxcd-kustomize-controller/keys/pgp.asc");
const FLUX_AGE_KEY = vector("fluxcd-kustomize-controller/keys/age.txt");
const OTHER_AGE_KEY = vector("getsops-sops/age-unit/mock-other-identity.txt");
const AGE_KEY_A = fixture("age-key-a.txt");
const EXAMPLE = vector("getsops-sops/files/example.yaml");
const SECRET = fixture("secret-mac-only-encrypted.yaml.enc");

/** Every error a test in this file provoked, for the leak check at the end. */
const seen: Error[] = [];

async function refused(
  content: string,
  keys: { age: string[]; pgp: string[] },
  kind: new (...args: never[]) => Error,
  message: RegExp,
  format: SopsFormat = "yaml",
): Promise<void> {
  await assert.rejects(decryptSops({ content, format, file: "tampered.yaml", keys }), (e: unknown) => {
    assert.ok(e instanceof Error);
    seen.push(e);
    assert.ok(e instanceof kind, `expected a ${kind.name}, got ${e.name}: ${e.message}`);
    assert.match(e.message, /^tampered\.yaml: /);
    assert.match(e.message, message);
    return true;
  });
}

/** Replaces exactly one occurrence, so a test cannot silently tamper nothing. */
function replaceOnce(text: string, from: string | RegExp, to: string | ((m: string) => string)): string {
  const matches =
    typeof from === "string"
      ? text.split(from).length - 1
      : (text.match(new RegExp(from.source, `${from.flags}g`)) ?? []).length;
  assert.equal(matches, 1, `expected one occurrence of ${String(from)}`);
  return typeof to === "string" ? text.replace(from, to) : text.replace(from, to);
}

/** Flips one base64 character of the `data:` part of the ENC value on the line that starts with `key`. */
function flipData(text: string, line: RegExp): string {
  return replaceOnce(text, line, (m) =>
    m.replace(/data:([A-Za-z0-9+/])/, (_, c: string) => `data:${c === "A" ? "B" : "A"}`),
  );
}

const PGP = { age: [], pgp: [PGP_KEY] };

test("a decrypted example.yaml is the baseline: the unchanged file decrypts", async () => {
  const result = await decryptSops({ content: EXAMPLE, format: "yaml", keys: PGP });
  assert.match(result.plaintext as string, /^myapp1: t00m4nys3cr3tzupdated$/m);
});

test("a changed ciphertext is refused, naming the value's path", async () => {
  await refused(flipData(EXAMPLE, /^myapp1: ENC\[.*$/m), PGP, SopsDecryptError, /"myapp1" cannot be decrypted/);
});

test("a changed GCM tag is refused", async () => {
  const changed = replaceOnce(EXAMPLE, /tag:SqVSfu\/JkRrwqidAT\/i0pg==/, "tag:SqVSfu/JkRrwqidAT/i0pA==");
  await refused(changed, PGP, SopsDecryptError, /"myapp1" cannot be decrypted/);
});

test("a value moved to another key is refused (the AAD binds it to its path)", async () => {
  const user = /^ {8}user: (ENC\[.*\])$/m.exec(EXAMPLE)?.[1] ?? "";
  const password = /^ {8}password: (ENC\[.*\])$/m.exec(EXAMPLE)?.[1] ?? "";
  const swapped = replaceOnce(
    replaceOnce(EXAMPLE, `user: ${user}`, `user: ${password}`),
    `password: ${password}`,
    `password: ${user}`,
  );
  await refused(swapped, PGP, SopsDecryptError, /"app2\.db\.user" cannot be decrypted/);
});

test("list items reordered (each still decrypts: same AAD) are refused by the MAC", async () => {
  const items = [...EXAMPLE.matchAll(/^ {4}- (ENC\[.*type:str\])$/gm)].map((m) => m[1] ?? "");
  assert.ok(items.length >= 2);
  const [first = "", second = ""] = items;
  const reordered = EXAMPLE.replace(first, "@@FIRST@@").replace(second, first).replace("@@FIRST@@", second);
  await refused(reordered, PGP, SopsMacError, /MAC mismatch/);
});

test("a changed value left in clear text is refused by the MAC", async () => {
  const changed = replaceOnce(EXAMPLE, "- remain in clear text", "- remain in clear text, changed");
  await refused(changed, PGP, SopsMacError, /MAC mismatch/);
});

test("a removed value is refused by the MAC", async () => {
  await refused(replaceOnce(EXAMPLE, /^number: ENC\[.*\]\n/m, ""), PGP, SopsMacError, /MAC mismatch/);
});

test("a changed MAC is refused", async () => {
  await refused(flipData(EXAMPLE, /^ {4}mac: ENC\[.*$/m), PGP, SopsMacError, /MAC does not decrypt/);
});

test("a changed lastmodified (the MAC's AAD) is refused", async () => {
  const changed = replaceOnce(EXAMPLE, 'lastmodified: "2025-08-06T18:55:05Z"', 'lastmodified: "2025-08-06T18:55:06Z"');
  await refused(changed, PGP, SopsMacError, /MAC does not decrypt/);
});

test("a removed MAC is refused", async () => {
  await refused(replaceOnce(EXAMPLE, /^ {4}mac: ENC\[.*\]\n/m, ""), PGP, SopsMacError, /has no MAC/);
});

test("a value that should be encrypted but was replaced by clear text is refused, without echoing it", async () => {
  const changed = replaceOnce(EXAMPLE, /^myapp1: ENC\[.*\]$/m, "myapp1: planted-cleartext-value");
  await refused(changed, PGP, SopsDecryptError, /"myapp1" cannot be decrypted/);
  const planted = seen.at(-1);
  assert.ok(planted && !planted.message.includes("planted-cleartext-value"));
});

test("mac_only_encrypted: a clear-text field is outside the MAC (as in sops), an encrypted one is not", async () => {
  const keys = { age: [AGE_KEY_A], pgp: [] };
  const renamed = replaceOnce(SECRET, /^ {4}name: database$/m, "    name: renamed");
  const result = await decryptSops({ content: renamed, format: "yaml", keys });
  assert.match(result.plaintext as string, /name: renamed/);
  await refused(flipData(SECRET, /^ {4}password: ENC\[.*$/m), keys, SopsDecryptError, /"stringData\.password"/);
  const macOverAll = replaceOnce(SECRET, /^ {4}mac_only_encrypted: true\n/m, "");
  await refused(macOverAll, keys, SopsMacError, /MAC mismatch/);
});

test("a changed encrypted_regex is refused: values it exposes or hides no longer fit", async () => {
  const keys = { age: [AGE_KEY_A], pgp: [] };
  const widened = replaceOnce(
    SECRET,
    "encrypted_regex: ^(data|stringData)$",
    "encrypted_regex: ^(data|stringData|name)$",
  );
  await refused(widened, keys, SopsDecryptError, /"metadata\.name" cannot be decrypted/);
});

test("a wrong age key gives the no-usable-key error naming the file and the age recipient", async () => {
  const file = vector("fluxcd-kustomize-controller/files/algorithms_age.yaml");
  await refused(
    file,
    { age: [OTHER_AGE_KEY], pgp: [] },
    SopsNoKeyError,
    /no usable key .* age recipients age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29; bosun was given 1 age identity and 0 PGP private keys/,
  );
  const error = seen.at(-1);
  assert.ok(error instanceof SopsNoKeyError);
  assert.deepEqual(error.recipients, {
    age: ["age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29"],
    pgp: [],
    other: [],
  });
  assert.ok(error.cause instanceof AggregateError);
});

test("a wrong PGP key gives the no-usable-key error naming both PGP fingerprints", async () => {
  await refused(
    EXAMPLE,
    { age: [FLUX_AGE_KEY], pgp: [FLUX_PGP_KEY] },
    SopsNoKeyError,
    /PGP fingerprints FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4, D7229043384BCC60326C6FB9D8720D957C3D3074/,
  );
});

test("no keys at all gives the no-usable-key error, never a pass-through of ciphertext", async () => {
  await refused(EXAMPLE, { age: [], pgp: [] }, SopsNoKeyError, /given 0 age identities and 0 PGP private keys/);
});

test("a file without sops metadata is not SOPS-encrypted", async () => {
  await refused(
    "apiVersion: v1\nkind: Secret\nstringData:\n  password: plain\n",
    PGP,
    SopsFormatError,
    /no sops metadata/,
  );
  await refused("A=1\n", PGP, SopsFormatError, /no sops metadata/, "dotenv");
});

test("broken input is a format error that names a position, not the text", async () => {
  await refused(
    "a: [unclosed\nsecret: planted-in-broken-yaml\n",
    PGP,
    SopsFormatError,
    /not valid YAML \(\w+ at line \d+, column \d+\)/,
  );
  await refused('{"secret": "planted-in-broken-json",}', PGP, SopsFormatError, /JSON is not valid/, "json");
  await refused(
    "A=1\nplanted-in-broken-dotenv\n",
    PGP,
    SopsFormatError,
    /line 2 of the dotenv file has no '='/,
    "dotenv",
  );
});

test("bad key material is a key error that names the input, not the key", async () => {
  await assert.rejects(
    decryptSops({ content: EXAMPLE, format: "yaml", keys: { age: ["AGE-SECRET-KEY-1NOTAKEY"], pgp: [] } }),
    (e: unknown) => {
      assert.ok(e instanceof SopsKeyError);
      seen.push(e);
      assert.match(e.message, /^age key 1: is not a valid age identity/);
      return true;
    },
  );
  await assert.rejects(
    decryptSops({ content: EXAMPLE, format: "yaml", keys: { age: [], pgp: ["not an armored key"] } }),
    (e: unknown) => e instanceof SopsKeyError && /^PGP key 1: holds no armored PGP private key block/.test(e.message),
  );
});

/** Every text an error exposes: message, name and stack, of it, its causes and their aggregated errors. */
function exposedText(e: unknown, depth = 0): string {
  if (!(e instanceof Error) || depth > 10) return String(e);
  const nested = e instanceof AggregateError ? e.errors.map((x: unknown) => exposedText(x, depth + 1)) : [];
  return [e.name, e.message, e.stack ?? "", exposedText(e.cause, depth + 1), ...nested].join("\n");
}

// Last in the file, so it runs after the tests above (node:test runs them in order): none of the
// errors they provoked shows a plaintext or key material.
test("no error shows a plaintext value or key material", () => {
  assert.ok(seen.length >= 15, `the tests above provoked ${seen.length} errors`);
  const secrets = [
    "t00m4nys3cr3tzupdated",
    "c4r1b0u",
    "with something secret in it",
    "s3cr3t-p4ss",
    "planted-cleartext-value",
    "planted-in-broken-yaml",
    "planted-in-broken-json",
    "planted-in-broken-dotenv",
    "8c68886c50b5b72965a3cb99c5172e1d74a8aca27b39ee880b535d6907e59f68",
    ...[PGP_KEY, FLUX_PGP_KEY, FLUX_AGE_KEY, OTHER_AGE_KEY, AGE_KEY_A].flatMap((k) =>
      k.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----") && !l.startsWith("#")),
    ),
    "AGE-SECRET-KEY-1NOTAKEY",
  ];
  for (const e of seen) {
    const text = exposedText(e);
    for (const s of secrets) assert.ok(!text.includes(s), `${e.name} exposes ${s.slice(0, 12)}…`);
  }
});
