import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import type { Command } from 'commander';
import { CLIENT_TIMEOUT_DEFAULTS, createRekognitionClient, formatDurationMs, InvalidParameterError, withRawFaceBytes } from '../index.js';
import { durationFlag } from './durationFlag.js';

/** The connection flags shared by subcommands that talk to Rekognition. */
export interface ClientFlags {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly connectTimeout?: string;
  readonly idleTimeout?: string;
}

/**
 * Adds `--endpoint`, `--region`, `--profile`, `--connect-timeout` and `--idle-timeout` to a subcommand.
 * Credentials and region otherwise come from the standard AWS chain (env vars, shared config and credentials
 * files, SSO, instance roles), and the endpoint from `AWS_ENDPOINT_URL_REKOGNITION` / `AWS_ENDPOINT_URL` when set.
 */
export function addClientOptions(command: Command): Command {
  return command
    .option('--endpoint <url>', 'Rekognition endpoint URL (e.g. the emulator); default: AWS_ENDPOINT_URL_REKOGNITION or AWS')
    .option('--region <region>', 'AWS region; default: AWS_REGION / profile')
    .option('--profile <name>', 'shared config profile; default: AWS_PROFILE / "default"')
    .option(
      '--connect-timeout <duration>',
      `give up a connection attempt after this long (default ${formatDurationMs(CLIENT_TIMEOUT_DEFAULTS.connectionTimeout)})`,
    )
    .option(
      '--idle-timeout <duration>',
      `give up a request whose connection is silent this long (default ${formatDurationMs(CLIENT_TIMEOUT_DEFAULTS.idleTimeout)})`,
    );
}

/**
 * Builds the Rekognition client of a subcommand from its flags (validated, naming the flag): SDK retries off
 * (the request policy retries), connection and idle timeouts, fast `GetFaceDetection` parsing on unless
 * `fastPath` is false; with `rawFaces` (and the fast path), canonical pages keep their detections as bytes for a
 * writer to copy (`withRawFaceBytes`).
 */
export function clientFromOptions(
  flags: ClientFlags,
  options: { readonly fastPath?: boolean; readonly rawFaces?: boolean } = {},
): RekognitionClient {
  const endpoint = flag('--endpoint', flags.endpoint, /^https?:\/\/\S+$/, 'an http:// or https:// URL');
  const region = flag('--region', flags.region, /./, 'a non-empty string');
  const profile = flag('--profile', flags.profile, /./, 'a non-empty string');
  const connectionTimeout = durationFlag('--connect-timeout', flags.connectTimeout, { min: 1 });
  const idleTimeout = durationFlag('--idle-timeout', flags.idleTimeout, { min: 1 });
  const client = createRekognitionClient({
    fastPath: options.fastPath ?? true,
    ...(connectionTimeout === undefined ? {} : { connectionTimeout }),
    ...(idleTimeout === undefined ? {} : { idleTimeout }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
  });
  return (options.fastPath ?? true) && options.rawFaces === true ? withRawFaceBytes(client) : client;
}

function flag(name: string, value: string | undefined, pattern: RegExp, expected: string): string | undefined {
  if (value !== undefined && !pattern.test(value)) throw new InvalidParameterError(name, expected, value);
  return value;
}
