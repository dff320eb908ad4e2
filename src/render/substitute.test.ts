// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} in plain strings are the templates under test
import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../api/index.js";
import { SubstitutionError, substituteVariables } from "./substitute.js";

function configMap(data: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: "web", ...metadata }, data };
}

/** The `data` of one ConfigMap after substitution. */
function dataOf(data: Record<string, unknown>, vars: Record<string, string>, strict = false): unknown {
  const [out] = substituteVariables([configMap(data)], vars, { strict });
  return out?.data;
}

function substitutionError(fn: () => unknown): SubstitutionError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SubstitutionError, `expected a SubstitutionError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected a SubstitutionError");
}

const VARS = { NAME: "api", REPLICAS: "3", ENABLED: "true", EMPTY: "" };

test("${var} is replaced in keys and values, inside text and as a whole scalar", () => {
  assert.deepEqual(dataOf({ host: "${NAME}.example.com", "${NAME}-key": "v", name: "${NAME}" }, VARS), {
    host: "api.example.com",
    "api-key": "v",
    name: "api",
  });
});

test("a plain scalar that is one whole variable takes the YAML 1.1 type of the value, as go-yaml v2 reads it", () => {
  const out = substituteVariables(
    [{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { replicas: "${REPLICAS}" } }],
    VARS,
    {},
  );
  assert.equal(out[0]?.spec && (out[0].spec as { replicas: unknown }).replicas, 3);
  const values = { YES: "yes", ON: "On", OCT: "0o17", HEX: "0x1F", UND: "1_000", FLOAT: "1.5", EXP: "1e3", NUL: "~" };
  assert.deepEqual(
    dataOf(
      {
        enabled: "${ENABLED}",
        yes: "${YES}",
        on: "${ON}",
        oct: "${OCT}",
        hex: "${HEX}",
        und: "${UND}",
        float: "${FLOAT}",
        exp: "${EXP}",
        nul: "${NUL}",
      },
      { ...VARS, ...values },
    ),
    { enabled: true, yes: true, on: true, oct: 15, hex: 31, und: 1000, float: 1.5, exp: 1000, nul: null },
  );
});

test("strings stay strings: text around a variable, quotes carried by the value, and the ${quote} idiom", () => {
  const vars = { ...VARS, quote: '"', PORT: '"9797"', DATE: "2024-01-01", TAGGED: "!!str 3" };
  assert.deepEqual(
    dataOf(
      {
        prefixed: "v${REPLICAS}",
        idiom: "${quote}${REPLICAS}${quote}",
        quotedValue: "${PORT}",
        date: "${DATE}",
        tagged: "${TAGGED}",
      },
      vars,
    ),
    { prefixed: "v3", idiom: "3", quotedValue: "9797", date: "2024-01-01", tagged: "3" },
  );
});

test("quotes of the source file do not survive (Flux reads the object, not the file): '${X}' becomes a number too", () => {
  // Whether the file said `replicas: "${REPLICAS}"` or `replicas: ${REPLICAS}`, the object holds the same string.
  assert.deepEqual(dataOf({ n: "${REPLICAS}" }, VARS), { n: 3 });
});

test("values that merely look like other types are kept as strings when nothing is substituted into them", () => {
  const data = { yes: "yes", no: "n", one: "1", octal: "0o17", clock: "1:30", empty: "", nul: "null", "1": "key" };
  assert.deepEqual(dataOf({ ...data, touched: "${NAME}" }, VARS), { ...data, touched: "api" });
});

test("defaults: := :- and = give the default when the variable is undefined or empty", () => {
  assert.deepEqual(
    dataOf(
      {
        a: "${UNSET:=fallback}",
        b: "${UNSET:-fallback}",
        c: "${UNSET=fallback}",
        e: "${EMPTY:-fallback}",
        f: "${EMPTY=fallback}",
        g: "${NAME:-fallback}",
        h: "${UNSET:-pre-${NAME}-post}",
        i: "${UNSET:-${ALSO_UNSET:-deep}}",
      },
      VARS,
    ),
    {
      a: "fallback",
      b: "fallback",
      c: "fallback",
      e: "fallback",
      f: "fallback",
      g: "api",
      h: "pre-api-post",
      i: "deep",
    },
  );
});

test(":+ and :? behave as :- does in Flux (not as in bash)", () => {
  assert.deepEqual(dataOf({ a: "${NAME:+alt}", b: "${UNSET:+alt}", c: "${UNSET:?message}" }, VARS), {
    a: "api",
    b: "alt",
    c: "message",
  });
});

test("length, case, substring, strip and replace, as envsubst evaluates them", () => {
  const vars = { S: "hello World", P: "/path/to/file", F: "bash.string.txt", Z: "foo/bar/baz", U: "héllo" };
  assert.deepEqual(
    dataOf(
      {
        len: "${#S}",
        lenBytes: "${#U}",
        upper: "${S^^}",
        lower: "${S,,}",
        upperFirst: "${S^}",
        lowerFirst: "${Z,}",
        from: "${S:6}",
        fromTo: "${S:0:5}",
        negative: "${S:-5}",
        negativeLength: "${S:1:-1}",
        notANumber: "${S:x}",
        longestPrefix: "${P##*/}",
        shortestPrefix: "${P#*/}",
        shortestSuffix: "${F%.*}",
        longestSuffix: "${F%%.*}",
        badGlob: "${F#[}",
        replaceFirst: "${Z/\\//-}",
        replaceAll: "${Z//\\//-}",
        replacePrefix: "${Z/#foo/X}",
        replaceSuffix: "${Z/%baz/X}",
        prepend: "${Z/#/X}",
        remove: "${Z/bar/}",
      },
      vars,
    ),
    {
      len: 11,
      lenBytes: 6,
      upper: "HELLO WORLD",
      lower: "hello world",
      upperFirst: "Hello World",
      lowerFirst: "foo/bar/baz",
      from: "World",
      fromTo: "hello",
      negative: "hello World",
      negativeLength: "ello Worl",
      notANumber: "hello World",
      longestPrefix: "file",
      shortestPrefix: "path/to/file",
      shortestSuffix: "bash.string",
      longestSuffix: "bash",
      badGlob: "bash.string.txt",
      replaceFirst: "foo-bar/baz",
      replaceAll: "foo-bar-baz",
      replacePrefix: "X/bar/baz",
      replaceSuffix: "foo/bar/X",
      prepend: "Xfoo/bar/baz",
      remove: "foo//baz",
    },
  );
});

test("$$ escapes a dollar: $${var} is the literal ${var}; $var without braces is never substituted", () => {
  assert.deepEqual(
    dataOf({ escaped: "$${NAME}", bare: "$NAME", doubled: "$$NAME", script: "echo $HOME $$ $${{ x }}" }, VARS),
    { escaped: "${NAME}", bare: "$NAME", doubled: "$NAME", script: "echo $HOME $ ${{ x }}" },
  );
});

test("multi-line: a value loses its newlines (as Flux loads them), a multi-line string keeps its lines", () => {
  assert.deepEqual(
    dataOf({ one: "${CERT}", block: "first\n  ${NAME}: ${REPLICAS}\nlast\n" }, { ...VARS, CERT: "line1\nline2\n" }),
    { one: "line1line2", block: "first\n  api: 3\nlast\n" },
  );
});

test("an object labelled or annotated kustomize.toolkit.fluxcd.io/substitute: disabled is left as it is", () => {
  const off = { "kustomize.toolkit.fluxcd.io/substitute": "disabled" };
  const out = substituteVariables(
    [
      configMap({ a: "${NAME}", b: "$${x}" }, { name: "annotated", annotations: off }),
      configMap({ a: "${NAME}" }, { name: "labelled", labels: off }),
      configMap({ a: "${NAME}" }, { name: "other", annotations: { "kustomize.toolkit.fluxcd.io/substitute": "on" } }),
    ],
    VARS,
    { strict: true },
  );
  assert.deepEqual(
    out.map((o) => o.data),
    [{ a: "${NAME}", b: "$${x}" }, { a: "${NAME}" }, { a: "api" }],
  );
});

test("no variables at all: nothing is substituted, even in strict mode (Flux substitutes only when some are defined)", () => {
  assert.deepEqual(dataOf({ a: "${NAME}", b: "$${x}" }, {}, true), { a: "${NAME}", b: "$${x}" });
});

test("non-strict: an undefined variable is empty; as a whole plain scalar that is null", () => {
  assert.deepEqual(dataOf({ whole: "${UNSET}", inside: "a-${UNSET}-b", upper: "${UNSET^^}" }, VARS), {
    whole: null,
    inside: "a--b",
    upper: null,
  });
});

test("strict: an undefined variable without a default is an error naming the object, the variables and the field", () => {
  const err = substitutionError(() =>
    substituteVariables(
      [
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "api", namespace: "web" },
          spec: { template: { spec: { containers: [{ name: "c", image: "${REGISTRY}/api:${TAG}" }] } } },
        },
      ],
      VARS,
      { strict: true },
    ),
  );
  assert.equal(err.name, "SubstitutionError");
  assert.equal(err.reason, "unset");
  assert.deepEqual(err.variables, ["REGISTRY", "TAG"]);
  assert.equal(err.field, "spec.template.spec.containers[0].image");
  assert.match(err.message, /^Deployment\.apps\/web\/api: variables "REGISTRY", "TAG" are not set/);
});

test("strict: defaults and empty values pass; an undefined variable inside a default fails", () => {
  assert.deepEqual(dataOf({ a: "${UNSET:-x}", b: "${UNSET=x}", d: "${EMPTY}" }, VARS, true), {
    a: "x",
    b: "x",
    d: null,
  });
  const err = substitutionError(() => dataOf({ a: "${NAME:-${UNSET}}" }, VARS, true));
  assert.deepEqual(err.variables, ["UNSET"]);
  const transformed = substitutionError(() => dataOf({ a: "${UNSET^^}" }, VARS, true));
  assert.equal(transformed.reason, "unset");
});

test("a variable name Flux would refuse fails every substituted object, naming the variable", () => {
  const err = substitutionError(() => dataOf({ a: "${NAME}" }, { ...VARS, "bad-name": "x", "1st": "y" }));
  assert.equal(err.reason, "invalid-name");
  assert.deepEqual(err.variables, ["1st", "bad-name"]);
  assert.match(err.message, /^ConfigMap\/web\/settings: variable names "1st", "bad-name" invalid/);
  const disabled = configMap({ a: "${NAME}" }, { labels: { "kustomize.toolkit.fluxcd.io/substitute": "disabled" } });
  assert.deepEqual(substituteVariables([disabled], { "bad-name": "x" }, {})[0]?.data, { a: "${NAME}" });
});

test("expressions Flux cannot parse are errors: ${{ … }}, ${var+x}, ${var?x}, an unclosed ${", () => {
  for (const bad of ["${{ github.token }}", "${NAME-x}", "${NAME+x}", "${NAME?x}", "${NAME", "${ NAME}", "${NAME:-x"]) {
    const err = substitutionError(() => dataOf({ ok: "fine", bad }, VARS));
    assert.equal(err.reason, "syntax", bad);
    assert.equal(err.field, "data.bad", bad);
  }
  assert.deepEqual(substitutionError(() => dataOf({ a: "${NAME+x}" }, VARS)).variables, ["NAME"]);
});

test("no error carries a variable's value or the object's text", () => {
  const secret = (stringData: Record<string, string>): KubeObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "creds", namespace: "web" },
    stringData,
  });
  const vars = { TOKEN: "s3cr3t-token", BROKEN: "hunter2: leaked" };
  const errors = [
    substitutionError(() => substituteVariables([secret({ token: "${TOKEN}", x: "${BROKEN}" })], vars, {})),
    substitutionError(() =>
      substituteVariables([secret({ token: "${TOKEN}", pw: "inline-pw-value", y: "${TOKEN" })], vars, {}),
    ),
    substitutionError(() => substituteVariables([secret({ token: "${TOKEN}-${MISSING}" })], vars, { strict: true })),
  ];
  assert.deepEqual(
    errors.map((e) => [e.reason, e.field]),
    [
      ["yaml", "stringData.x"],
      ["syntax", "stringData.y"],
      ["unset", "stringData.token"],
    ],
  );
  for (const err of errors) {
    const shown = `${err.message} ${String(err.cause ?? "")}`;
    for (const value of ["s3cr3t", "hunter2", "leaked", "inline-pw-value"]) assert.ok(!shown.includes(value), shown);
    assert.match(err.message, /^Secret\/web\/creds: /);
  }
  assert.deepEqual(errors[0]?.variables, ["BROKEN"]);
});

test("several failing objects are one AggregateError of SubstitutionErrors", () => {
  const objects = [configMap({ a: "${X1}" }, { name: "one" }), configMap({ a: "${X2}" }, { name: "two" })];
  assert.throws(
    () => substituteVariables(objects, VARS, { strict: true }),
    (err: unknown) =>
      err instanceof AggregateError &&
      err.errors.length === 2 &&
      err.errors.every((e) => e instanceof SubstitutionError) &&
      (err.errors[1] as SubstitutionError).object === "ConfigMap/web/two",
  );
});

test("the inputs are not changed and the outputs share nothing with them", () => {
  const disabled = configMap(
    { a: "${NAME}" },
    { name: "off", labels: { "kustomize.toolkit.fluxcd.io/substitute": "disabled" } },
  );
  const inputs = [
    configMap({ a: "${NAME}", list: ["${REPLICAS}"] }),
    configMap({ plain: "no dollar" }, { name: "p" }),
    disabled,
  ];
  const before = structuredClone(inputs);
  const out = substituteVariables(inputs, VARS, {});
  assert.deepEqual(inputs, before);
  assert.deepEqual(out[0]?.data, { a: "api", list: [3] });
  out.forEach((o, i) => {
    assert.notEqual(o, inputs[i]);
    assert.notEqual(o.metadata, inputs[i]?.metadata);
  });
  (out[1]?.data as Record<string, unknown>).plain = "changed";
  (out[2]?.metadata.labels as Record<string, string>).extra = "x";
  assert.deepEqual(inputs, before);
});
