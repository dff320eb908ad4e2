// Turning a failed conversation with a remote into a typed FetchError that says why, without credentials.
import { errorMessage } from "../api/index.js";
import { FetchError, type FetchFailureReason, GitCommandError } from "./errors.js";
import type { RepoUrl } from "./repo-url.js";

/** A FetchError for a failure of git (or of the preparation around it) against `repo`. */
export function toFetchError(repo: RepoUrl, error: unknown, timedOutAfterMs: number | undefined): FetchError {
  if (timedOutAfterMs !== undefined) {
    return new FetchError(repo.display, "unreachable", `timed out after ${timedOutAfterMs} ms`, { cause: error });
  }
  if (error instanceof GitCommandError) {
    return new FetchError(repo.display, classifyGitFailure(error.stderr), summarize(error.stderr) || error.message, {
      cause: error,
    });
  }
  const message = errorMessage(error);
  return new FetchError(repo.display, "other", message, { cause: error });
}

/** Why git failed to talk to a remote, from its (English, LC_ALL=C) stderr. */
export function classifyGitFailure(stderr: string): FetchFailureReason {
  if (
    /Authentication failed|could not read (Username|Password)|Permission denied \(|returned error: 40[13]|HTTP 40[13]|Invalid username or password/i.test(
      stderr,
    )
  ) {
    return "auth";
  }
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known/i.test(stderr)) {
    return "host-key";
  }
  if (
    /repository .* not found|does not appear to be a git repository|returned error: 404|HTTP 404|does not exist/i.test(
      stderr,
    )
  ) {
    return "not-found";
  }
  if (
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Network is unreachable|Connection reset|Could not read from remote repository|unable to access/i.test(
      stderr,
    )
  ) {
    return "unreachable";
  }
  return "other";
}

const BOILERPLATE = /^(Please make sure you have the correct access rights|and the repository exists\.)$/;

/** git's stderr on one line, without its standard advice. */
export function summarize(stderr: string): string {
  return stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !BOILERPLATE.test(line))
    .join("; ");
}
