/**
 * `face-stream batch --order size|input`: the largest videos first, by their S3 object's size (`HeadObject`),
 * or the order of FILE. By default `size` when `@aws-sdk/client-s3` is installed (an optional peer dependency),
 * else `input` with one line on stderr saying how to enable it.
 *
 * @module
 */
import { type BatchSizeOrder, InvalidParameterError, s3ObjectSizes, videoUri } from '../../index.js';

/** The order flag and the connection flags HeadObject shares with Rekognition. */
export interface OrderFlags {
  readonly order?: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
}

/** The order of a batch run and its teardown. */
export interface BatchOrderWiring {
  /** `faceDetectionBatch`'s `order`. */
  readonly order: 'input' | BatchSizeOrder;
  close(): void;
}

/**
 * The `order` of `face-stream batch`. HeadObject goes to `--endpoint` (path-style) when given, else to the
 * endpoint the SDK resolves for S3 (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL` — path-style then too, as local
 * S3s need), with the same `--region` and `--profile` as Rekognition. A size that cannot be read leaves the
 * video unsized (it starts before the sized ones); the first such error is reported once on stderr.
 */
export async function orderFromOptions(flags: OrderFlags, stderr: NodeJS.WritableStream = process.stderr): Promise<BatchOrderWiring> {
  const chosen = flags.order ?? 'auto';
  if (chosen !== 'size' && chosen !== 'input' && chosen !== 'auto') throw new InvalidParameterError('--order', "'size' or 'input'", flags.order);
  if (chosen === 'input') return { order: 'input', close: () => {} };
  const endpoint = flags.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  let warned = false;
  const sizes = s3ObjectSizes({
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(flags.region === undefined ? {} : { region: flags.region }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
    onError: (error, video) => {
      const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
      if (warned || status === 404 || status === 403) return; // the Start reports the video's own error
      warned = true;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      stderr.write(`face-stream: cannot read the size of ${videoUri(video)} (S3 HeadObject: ${reason.split('\n')[0]}); videos without a size start first (--order input skips HeadObject)\n`);
    },
  });
  try {
    await sizes.ready();
  } catch (error) {
    if (chosen === 'size') {
      throw new InvalidParameterError('--order', 'input, or size with @aws-sdk/client-s3 installed (npm install @aws-sdk/client-s3)', 'size', { cause: error });
    }
    stderr.write('face-stream: videos start in FILE order: npm install @aws-sdk/client-s3 to start the largest first (S3 HeadObject sizes), or pass --order input\n');
    return { order: 'input', close: () => {} };
  }
  return { order: { largestFirst: sizes }, close: () => sizes.close() };
}
