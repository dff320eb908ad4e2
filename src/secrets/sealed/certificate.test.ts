import assert from "node:assert/strict";
import { generateKeyPairSync, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { generateSealingKey, parsePrivateKey, sealingPublicKey } from "./certificate.js";
import { CertificateError } from "./errors.js";

const VECTOR_CERT = fileURLToPath(
  new URL(
    "../../../../shared/vectors/sealed-secrets/bitnami-labs-sealed-secrets/kubeseal_test.cert.pem",
    import.meta.url,
  ),
);

/** The DER of the two extensions, as Go's x509 writes them for Bitnami's controller. */
const KEY_USAGE_ENCIPHER_ONLY = Buffer.from("300e0603551d0f0101ff040403020001", "hex");
const BASIC_CONSTRAINTS_CA = Buffer.from("300f0603551d130101ff040530030101ff", "hex");
const SHA256_RSA_WITH_NULL = Buffer.from("300d06092a864886f70d01010b0500", "hex");

test("a generated key is PKCS#1 RSA with a self-signed certificate shaped like Bitnami's", async () => {
  const now = new Date("2030-05-01T10:20:30.456Z");
  const key = await generateSealingKey({ keySize: 2048, now });
  assert.match(key.privateKeyPem, /^-----BEGIN RSA PRIVATE KEY-----\n/);
  const cert = new X509Certificate(key.certificatePem);
  assert.equal(cert.subject ?? "", "", "empty subject");
  assert.equal(cert.issuer ?? "", "", "empty issuer");
  // (node's `ca` is false: OpenSSL wants keyCertSign for that, and Bitnami's certificates do not have it either)
  assert.ok(cert.verify(cert.publicKey), "self-signed");
  assert.ok(cert.checkPrivateKey(parsePrivateKey(key.privateKeyPem)));
  assert.equal(new Date(cert.validFrom).toISOString(), "2030-05-01T10:20:30.000Z");
  assert.equal(new Date(cert.validTo).toISOString(), "2040-04-28T10:20:30.000Z", "ten years of 365 days");
  assert.equal(cert.serialNumber.length, 32, "a 128-bit serial");
  assert.equal(cert.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
  const der = cert.raw;
  assert.ok(der.includes(KEY_USAGE_ENCIPHER_ONLY), "KeyUsage critical EncipherOnly");
  assert.ok(der.includes(BASIC_CONSTRAINTS_CA), "BasicConstraints critical CA");
  assert.ok(der.includes(SHA256_RSA_WITH_NULL), "sha256WithRSAEncryption with NULL parameters");
  // The same extension bytes are in the certificate of Bitnami's own test suite.
  assert.ok(existsSync(VECTOR_CERT), `missing vector ${VECTOR_CERT}`);
  const bitnami = new X509Certificate(readFileSync(VECTOR_CERT)).raw;
  assert.ok(bitnami.includes(KEY_USAGE_ENCIPHER_ONLY) && bitnami.includes(BASIC_CONSTRAINTS_CA));
});

test("keys are 4096-bit by default, each with its own serial; a common name can be set", async () => {
  const [a, b] = await Promise.all([generateSealingKey(), generateSealingKey({ keySize: 2048, commonName: "bosun" })]);
  const ca = new X509Certificate(a.certificatePem);
  const cb = new X509Certificate(b.certificatePem);
  assert.equal(ca.publicKey.asymmetricKeyDetails?.modulusLength, 4096);
  assert.notEqual(ca.serialNumber, cb.serialNumber);
  assert.equal(cb.subject, "CN=bosun");
  assert.equal(cb.issuer, "CN=bosun");
});

test("a certificate far in the future uses GeneralizedTime and still parses", async () => {
  const key = await generateSealingKey({ keySize: 2048, now: new Date("2045-01-01T00:00:00Z") });
  assert.equal(new Date(new X509Certificate(key.certificatePem).validTo).getUTCFullYear(), 2054);
});

test("the sealing key comes from a certificate or a public key PEM; anything else is a CertificateError", () => {
  const pem = readFileSync(VECTOR_CERT, "utf8");
  assert.equal(sealingPublicKey(pem).asymmetricKeyDetails?.modulusLength, 4096);
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spki = publicKey.export({ type: "spki", format: "pem" }).toString();
  const pkcs1 = publicKey.export({ type: "pkcs1", format: "pem" }).toString();
  assert.equal(sealingPublicKey(spki).asymmetricKeyDetails?.modulusLength, 2048);
  assert.equal(sealingPublicKey(Buffer.from(pkcs1)).asymmetricKeyDetails?.modulusLength, 2048);
  assert.throws(() => sealingPublicKey("not a pem"), CertificateError);
  assert.throws(
    () => sealingPublicKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
    CertificateError,
  );
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" });
  assert.throws(() => sealingPublicKey(ec.toString()), /not RSA/);
});

test("a private key that does not parse is reported without echoing it", () => {
  const garbage = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END RSA PRIVATE KEY-----\n";
  try {
    parsePrivateKey(garbage);
    assert.fail("parsed garbage");
  } catch (err) {
    assert.ok(err instanceof CertificateError);
    assert.doesNotMatch(`${err.message} ${String((err as Error).cause)}`, /c2VjcmV0|secret-key/);
  }
});
