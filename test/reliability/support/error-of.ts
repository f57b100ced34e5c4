/** An error as the reliability suites compare it: its stable code and its message. */
export interface SeenError {
  code: string;
  message: string;
  path?: string | undefined;
}

/** Runs `fn` and returns the error it threw or returned (`{ error }` results), or undefined when none. */
export async function errorOf(fn: () => unknown): Promise<SeenError | undefined> {
  try {
    const value = (await fn()) as { error?: unknown } | undefined;
    const error = value && typeof value === 'object' && 'error' in value ? value.error : undefined;
    return error ? asSeen(error) : undefined;
  } catch (error) {
    return asSeen(error);
  }
}

function asSeen(error: unknown): SeenError {
  const e = error as { code?: unknown; message?: unknown; path?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : `(no code: ${String(e?.code)})`,
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.path === 'string' ? { path: e.path } : {}),
  };
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** Reads `error CODE: message` from the CLI's stderr. */
export function cliError(stderr: string): SeenError | undefined {
  const line = stderr
    .replace(ANSI, '')
    .split('\n')
    .find((l) => /^error [A-Z_]+: /.test(l));
  if (!line) return undefined;
  const m = /^error ([A-Z_]+): (.*)$/.exec(line);
  return m ? { code: m[1] as string, message: m[2] as string } : undefined;
}
