// Module resolution hooks of withoutS3Client.mjs (they run on Node's hooks thread).
export async function resolve(specifier, context, next) {
  if (specifier === '@aws-sdk/client-s3' || specifier.startsWith('@aws-sdk/client-s3/')) {
    const error = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL ?? 'the entry point'}`);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}
