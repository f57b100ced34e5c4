import { redactSecrets } from '../project/redact-secrets.ts';

/**
 * Passes everything written to stdout and stderr through `redactSecrets`, so no message, JSON document, GitHub
 * annotation or `--debug` stack trace of any command can print a database password.
 *
 * @example
 * guardOutput(); // at the start of bin.ts, before any command runs
 */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text =
        typeof chunk === 'string'
          ? chunk
          : chunk instanceof Uint8Array
            ? Buffer.from(chunk).toString('utf8')
            : chunk;
      return write(typeof text === 'string' ? redactSecrets(text) : text, ...rest);
    }) as typeof stream.write;
  }
}
