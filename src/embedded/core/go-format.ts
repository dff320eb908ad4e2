// Go's fmt `%v` of a value decoded from JSON into interface{} (how kube-apiserver quotes a patch in an error):
// maps as `map[k:v]` with sorted keys, slices as `[a b]`, strings bare, integers in full, other numbers as
// strconv's shortest 'g' form (`1.5`, `1.5e+06`), null as `<nil>`. Pure.

/** Go's %v of a float64 that is not a whole number: shortest digits, exponent form below 1e-4 or from 1e6. */
function goFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN";
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (exponent < -4 || exponent >= 6) {
    const [mantissa = "", exp = "0"] = n.toExponential().split("e");
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(n);
}

export function goValue(value: unknown): string {
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number")
    return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : goFloat(value);
  if (Array.isArray(value)) return `[${value.map(goValue).join(" ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${goValue(v)}`).join(" ")}]`;
}
