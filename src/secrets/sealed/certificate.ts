// Sealing keys: an RSA key pair and a self-signed certificate shaped as Bitnami's controller makes them
// (SHA256-RSA, random 128-bit serial, empty subject and issuer unless a CN is given, KeyUsage critical =
// EncipherOnly, BasicConstraints critical CA=true). The certificate is assembled with pkijs and signed
// with node:crypto; parsing uses node's X509Certificate.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { CertificateError } from "./errors.js";
import { DEFAULT_CERT_VALIDITY_MS, DEFAULT_KEY_SIZE } from "./names.js";

export interface GenerateKeyOptions {
  /** RSA modulus bits; 4096 by default. */
  keySize?: number;
  /** Subject and issuer common name; empty (no CN) by default, as Bitnami's `--my-cn`. */
  commonName?: string;
  /** Certificate NotBefore; now by default. */
  now?: Date;
  validityMs?: number;
  signal?: AbortSignal;
}

export interface GeneratedKey {
  /** PKCS#1 `RSA PRIVATE KEY` PEM, as Bitnami stores `tls.key`. */
  privateKeyPem: string;
  certificatePem: string;
}

const OID = {
  sha256WithRSA: "1.2.840.113549.1.1.11",
  keyUsage: "2.5.29.15",
  basicConstraints: "2.5.29.19",
  commonName: "2.5.4.3",
};

/** A fresh RSA key pair and its self-signed certificate (key generation runs off the main thread). */
export async function generateSealingKey(options: GenerateKeyOptions = {}): Promise<GeneratedKey> {
  options.signal?.throwIfAborted();
  const { publicKey, privateKey } = await new Promise<{ publicKey: KeyObject; privateKey: KeyObject }>(
    (resolve, reject) =>
      generateKeyPair(
        "rsa",
        { modulusLength: options.keySize ?? DEFAULT_KEY_SIZE, publicExponent: 65537 },
        (err, pub, priv) => (err ? reject(err) : resolve({ publicKey: pub, privateKey: priv })),
      ),
  );
  options.signal?.throwIfAborted();
  const notBefore = truncateToSeconds(options.now ?? new Date());
  const notAfter = new Date(notBefore.getTime() + (options.validityMs ?? DEFAULT_CERT_VALIDITY_MS));
  const certificateDer = selfSignedCertificate({
    publicKey,
    privateKey,
    notBefore,
    notAfter,
    commonName: options.commonName ?? "",
  });
  return {
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    certificatePem: derToPem(certificateDer, "CERTIFICATE"),
  };
}

function truncateToSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function name(commonName: string): pkijs.RelativeDistinguishedNames {
  const rdn = new pkijs.RelativeDistinguishedNames();
  if (commonName)
    rdn.typesAndValues.push(
      new pkijs.AttributeTypeAndValue({ type: OID.commonName, value: new asn1js.Utf8String({ value: commonName }) }),
    );
  return rdn;
}

function selfSignedCertificate(args: {
  publicKey: KeyObject;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  commonName: string;
}): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // a positive INTEGER
  if (serial[0] === 0) serial[0] = 1; // and minimally encoded
  const algorithm = () =>
    new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.signature = algorithm();
  cert.issuer = name(args.commonName);
  cert.subject = name(args.commonName);
  cert.notBefore = new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: args.notBefore });
  cert.notAfter = new pkijs.Time({
    type: args.notAfter.getUTCFullYear() >= 2050 ? pkijs.TimeType.GeneralizedTime : pkijs.TimeType.UTCTime,
    value: args.notAfter,
  });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(args.publicKey.export({ type: "spki", format: "der" }));
  cert.extensions = [
    // KeyUsage is a BIT STRING; encipherOnly is bit 7, i.e. the byte 0x01 with no unused bits (as Go writes it).
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0x01]), unusedBits: 0 }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false),
    }),
  ];
  const tbs = Buffer.from(cert.encodeTBS().toBER(false));
  cert.tbsView = new Uint8Array(tbs);
  cert.signatureAlgorithm = algorithm();
  cert.signatureValue = new asn1js.BitString({ valueHex: sign("sha256", tbs, args.privateKey) });
  return Buffer.from(cert.toSchema(false).toBER(false));
}

export function derToPem(der: Uint8Array, label: string): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** The RSA public key to seal with, from a PEM certificate (what kubeseal fetches) or a PEM public key. */
export function sealingPublicKey(pem: string | Uint8Array): KeyObject {
  const text = typeof pem === "string" ? pem : Buffer.from(pem).toString("utf8");
  let key: KeyObject;
  if (text.includes("-----BEGIN CERTIFICATE-----")) {
    try {
      key = new X509Certificate(text).publicKey;
    } catch (err) {
      throw new CertificateError(`the certificate cannot be parsed: ${(err as Error).message}`, { cause: err });
    }
  } else if (/-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) {
    try {
      key = createPublicKey(text);
    } catch (err) {
      throw new CertificateError(`the public key cannot be parsed: ${(err as Error).message}`, { cause: err });
    }
  } else {
    throw new CertificateError("expected a PEM certificate or public key (no -----BEGIN CERTIFICATE----- block found)");
  }
  if (key.asymmetricKeyType !== "rsa") throw new CertificateError(`the key is ${key.asymmetricKeyType}, not RSA`);
  return key;
}

/** A private key from PEM (PKCS#1 or PKCS#8); the message never includes the key. */
export function parsePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new CertificateError("the private key cannot be parsed", {
      cause: new Error((err as { code?: string }).code ?? "invalid key"),
    });
  }
  if (key.asymmetricKeyType !== "rsa")
    throw new CertificateError(`the private key is ${key.asymmetricKeyType}, not RSA`);
  return key;
}
