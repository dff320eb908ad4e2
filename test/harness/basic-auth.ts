// HTTP basic auth for the test servers (git smart HTTP, Helm repository): what a request's Authorization
// header carries.

/** `user:password` from a Basic Authorization header; undefined when there is none or it is malformed. */
export function decodeBasic(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith("Basic ")) return undefined;
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  return decoded.includes(":") ? decoded : undefined;
}

/** The user name a Basic Authorization header carries (never the password). */
export function basicUser(header: string | undefined): string | undefined {
  const decoded = decodeBasic(header);
  return decoded?.slice(0, decoded.indexOf(":"));
}
