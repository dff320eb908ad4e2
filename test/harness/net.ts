import { readFileSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("could not read the port the OS picked"));
      });
    });
  });
}

export interface TlsClient {
  ca: string;
  cert: string;
  key: string;
}

/** GET an https URL with a client certificate; resolves to the status code, or 0 when nothing answered. */
export async function httpsStatus(url: string, tls: TlsClient, signal?: AbortSignal): Promise<number> {
  return await new Promise((resolve) => {
    const req = request(
      url,
      {
        ca: readFileSync(tls.ca),
        cert: readFileSync(tls.cert),
        key: readFileSync(tls.key),
        timeout: 2000,
        signal,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(0));
    req.end();
  });
}

export async function httpStatus(url: string, signal?: AbortSignal): Promise<number> {
  try {
    const res = await fetch(url, { signal: signal ?? AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

/** Poll until check() is true; throws with `what` and the last detail after timeoutMs. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; detail?: () => string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      const detail = options.detail?.();
      throw new Error(`timed out after ${options.timeoutMs / 1000}s waiting for ${what}${detail ? `\n${detail}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
