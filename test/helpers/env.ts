/**
 * Test helper: sets environment variables and returns a function that restores their previous values (for
 * in-process CLI runs, which read credentials from the standard AWS chain).
 */
export function setEnv(vars: Readonly<Record<string, string>>): () => void {
  const saved = Object.entries(vars).map(([key]) => [key, process.env[key]] as const);
  for (const [key, value] of Object.entries(vars)) process.env[key] = value;
  return () => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
