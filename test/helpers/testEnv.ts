import { TEST_CREDENTIALS } from './emulator.js';

/** The environment of a CLI run against the emulator: test credentials and a region (the standard AWS chain). */
export const TEST_AWS_ENV: Readonly<Record<string, string>> = Object.freeze({
  AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  AWS_REGION: 'us-east-1',
});

/**
 * Sets `vars` in `process.env` (for in-process CLI runs) and returns the function that restores what was
 * there before (unset variables are deleted again).
 */
export function setEnv(vars: Readonly<Record<string, string>>): () => void {
  const saved = Object.entries(vars).map(([key]) => [key, process.env[key]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
