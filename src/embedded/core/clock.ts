/** The server's notion of now, injectable for tests; timestamps are RFC 3339 at second precision. */
export type Clock = () => Date;

export function timestamp(clock: Clock): string {
  return `${clock().toISOString().slice(0, 19)}Z`;
}
