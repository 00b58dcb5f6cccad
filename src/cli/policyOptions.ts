import type { Command } from 'commander';
import type { RekognitionLike } from '../types.js';
import { defaultPolicy } from '../resilience/defaultPolicy.js';
import type { RequestPolicy } from '../resilience/RequestPolicy.js';

/**
 * Adds the resilience flags (rate limit, retries, Redis) to a subcommand that sends requests.
 * (The resilience layer fills this in; commands call it so they all share the same flags.)
 */
export function addPolicyOptions(command: Command): Command {
  return command;
}

/** Builds the request policy a subcommand uses from its parsed options. */
export function policyFromOptions(_options: Readonly<Record<string, unknown>>, client: RekognitionLike): RequestPolicy {
  return defaultPolicy(client);
}
