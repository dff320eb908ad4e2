// Shamir's secret sharing as SOPS uses it for several key groups (the scheme of HashiCorp Vault's
// shamir package): GF(2^8) with the AES polynomial, each part = the share's bytes followed by its
// x-coordinate, the secret = the polynomials' value at x = 0 (Lagrange interpolation).

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function mul(a: number, b: number): number {
  let product = 0;
  let x = a;
  let y = b;
  while (y > 0) {
    if (y & 1) product ^= x;
    x <<= 1;
    if (x & 0x100) x ^= 0x11b;
    y >>= 1;
  }
  return product;
}

/** Multiplicative inverse in GF(2^8): a^254. */
function inverse(a: number): number {
  let result = 1;
  let base = a;
  let exponent = 254;
  while (exponent > 0) {
    if (exponent & 1) result = mul(result, base);
    base = mul(base, base);
    exponent >>= 1;
  }
  return result;
}

export class ShamirError extends Error {
  override readonly name: string = "ShamirError";
}

/** Combines at least two parts into the secret. Throws ShamirError on parts that cannot belong together. */
export function combineShamirParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length < 2) throw new ShamirError("at least two parts are needed");
  const length = parts[0]?.length ?? 0;
  if (length < 2) throw new ShamirError("a part is too short");
  if (parts.some((p) => p.length !== length)) throw new ShamirError("the parts differ in length");
  const xs = parts.map((p) => p[length - 1] ?? 0);
  if (new Set(xs).size !== xs.length) throw new ShamirError("two parts have the same x-coordinate");
  // Lagrange basis at x = 0: prod over j != i of x_j / (x_i - x_j); subtraction is XOR.
  const basis = xs.map((xi, i) => xs.reduce((acc, xj, j) => (i === j ? acc : mul(acc, mul(xj, inverse(xi ^ xj)))), 1));
  const secret = new Uint8Array(length - 1);
  for (let byte = 0; byte < length - 1; byte++) {
    let value = 0;
    parts.forEach((part, i) => {
      value ^= mul(part[byte] ?? 0, basis[i] ?? 0);
    });
    secret[byte] = value;
  }
  return secret;
}
