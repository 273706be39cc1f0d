/**
 * The Octokit the publish layer uses: `@actions/github`'s client (REST endpoint methods,
 * pagination, proxy support) plus retries of transient failures and rate-limit handling.
 */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof createOctokit>;

export interface OctokitOptions {
  /** REST base URL (`GITHUB_API_URL`). */
  baseUrl: string;
  /** Retries after a rate limit; after that the error reaches the caller. Default 2. */
  rateLimitRetries?: number;
  /** A rate limit that resets later than this (seconds) is not waited for. Default 120. */
  maxRateLimitWait?: number;
  /** Retries of 5xx and network errors. Default 3. */
  transientRetries?: number;
}

interface RateLimitedRequest {
  method?: string;
  url?: string;
}

let throttleIds = 0;

/**
 * Creates the client. The token is registered as a secret first so that no log line can show it.
 */
export function createOctokit(token: string, options: OctokitOptions) {
  core.setSecret(token);
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  const maxWait = options.maxRateLimitWait ?? 120;
  const handler =
    (kind: string) =>
    (retryAfter: number, request: RateLimitedRequest, _octokit: unknown, retryCount: number): boolean => {
      const what = `${request.method ?? 'request'} ${request.url ?? ''}`.trim();
      if (retryCount >= rateLimitRetries || retryAfter > maxWait) {
        core.info(
          `GitHub ${kind} for ${what}; giving up after ${retryCount} retries (reset in ${retryAfter}s)`,
        );
        return false;
      }
      core.info(
        `GitHub ${kind} for ${what}; retrying in ${retryAfter}s (retry ${retryCount + 1} of ${rateLimitRetries})`,
      );
      return true;
    };
  return getOctokit(
    token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      retry: { retries: options.transientRetries ?? 3 },
      throttle: {
        // The plugin keeps its limiters per id across clients in a process; a client of its own
        // keeps one job's waits from another's (and test runs from each other).
        id: `flux-health-${++throttleIds}`,
        onRateLimit: handler('rate limit'),
        onSecondaryRateLimit: handler('secondary rate limit'),
      },
    },
    retry,
    throttling,
  );
}
