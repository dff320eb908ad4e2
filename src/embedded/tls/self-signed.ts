// A self-signed certificate for the embedded server's loopback HTTPS (kubectl only sends bearer tokens
// over TLS): an ECDSA P-256 key, valid for 127.0.0.1, ::1 and localhost, trusted through the kubeconfig.

import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  octetString,
  oid,
  sequence,
  set,
  time,
  tlv,
  utf8String,
} from "./der.js";

export interface CertificateOptions {
  commonName?: string;
  ips?: string[];
  dnsNames?: string[];
  now?: Date;
  validDays?: number;
}

export interface PemKeyPair {
  cert: string;
  key: string;
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(":")) {
    const [head = "", tail = ""] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return Buffer.from(groups.flatMap((g) => [(Number.parseInt(g, 16) >> 8) & 0xff, Number.parseInt(g, 16) & 0xff]));
  }
  return Buffer.from(ip.split(".").map(Number));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

export function selfSignedCertificate(options: CertificateOptions = {}): PemKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + (options.validDays ?? 3650) * 24 * 60 * 60 * 1000);
  const name = sequence(set(sequence(oid("2.5.4.3"), utf8String(options.commonName ?? "bosun-embedded"))));
  const ecdsaSha256 = sequence(oid("1.2.840.10045.4.3.2"));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const altNames = [
    ...(options.ips ?? ["127.0.0.1", "::1"]).map((ip) => implicit(7, ipBytes(ip))),
    ...(options.dnsNames ?? ["localhost"]).map((dns) => implicit(2, Buffer.from(dns, "ascii"))),
  ];
  const extensions = sequence(
    extension("2.5.29.19", true, sequence(boolean(true))),
    // digitalSignature (bit 0) and keyCertSign (bit 5).
    extension("2.5.29.15", true, bitString(Buffer.from([0x84]), 2)),
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))),
    extension("2.5.29.17", false, sequence(...altNames)),
  );
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ecdsaSha256,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    explicit(3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = tlv(0x30, Buffer.concat([tbs, ecdsaSha256, bitString(signature)]));
  return { cert: pem("CERTIFICATE", cert), key: privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
}
