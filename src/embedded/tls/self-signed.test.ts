import assert from "node:assert/strict";
import { createPublicKey, X509Certificate } from "node:crypto";
import { test } from "node:test";
import { selfSignedCertificate } from "./self-signed.js";

test("the self-signed certificate parses, verifies with its own key, and names loopback", () => {
  const { cert, key } = selfSignedCertificate({ now: new Date("2026-01-01T00:00:00Z") });
  const x509 = new X509Certificate(cert);
  assert.equal(x509.verify(createPublicKey(key)), true);
  assert.equal(x509.checkIP("127.0.0.1"), "127.0.0.1");
  assert.equal(x509.checkIP("::1"), "::1");
  assert.equal(x509.checkHost("localhost"), "localhost");
  assert.equal(x509.checkIP("10.0.0.1"), undefined);
  assert.equal(x509.ca, true);
  assert.equal(x509.subject, "CN=bosun-embedded");
  assert.equal(new Date(x509.validTo).getUTCFullYear(), 2035);
});
