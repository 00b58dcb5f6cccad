// `node --import ./test/helpers/withoutS3Client.mjs …`: the process runs as if the optional peer dependency
// @aws-sdk/client-s3 were not installed (its import fails with ERR_MODULE_NOT_FOUND, as Node's own does).
import { register } from 'node:module';

register(new URL('./withoutS3ClientHooks.mjs', import.meta.url));
