const MASK = '***';

// `scheme://user:password@host`: the password runs to the last `@` of the token, so a raw `@` in it is covered.
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]*:)[^\s'"`]*@/gi;
// `?password=...`, `&sslpassword=...`, `pass=...` in a URL query or a libpq keyword string.
const QUERY = /([?&;\s](?:ssl)?(?:password|passwd|pass|pwd|secret|token)=)[^&\s'"`]*/gi;
// `password: '...'`, `"password":"..."` in a printed connection object.
// Every QUERY and FIELD match holds one of these words.
const SECRET_WORD = /pass|pwd|secret|token/i;
const FIELD = /((?:["']?)(?:ssl)?(?:password|passwd|pass|pwd)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,}&]+)/gi;

/**
 * Removes database credentials from any text the CLI prints: the password of a URL's userinfo (even with a raw
 * `@` in it), `password` / `pass` / `sslpassword` query parameters, and password fields of connection objects.
 * This is the one redaction rule; `bin.ts` passes every byte written to stdout and stderr through it.
 *
 * @example
 * redactSecrets('postgres://app:s3cr@t@db/app?sslpassword=x'); // 'postgres://app:***@db/app?sslpassword=***'
 */
export function redactSecrets(text: string): string {
  // Most output holds neither a URL nor a password word: it skips the three patterns (whose first use compiles
  // them, a few milliseconds of every command's start-up, `--help` included).
  const url = text.includes('://');
  if (!url && !SECRET_WORD.test(text)) return text;
  return (url ? text.replace(USERINFO, `$1${MASK}@`) : text)
    .replace(QUERY, `$1${MASK}`)
    .replace(FIELD, (_, key: string, value: string) =>
      value.startsWith('"') ? `${key}"${MASK}"` : value.startsWith("'") ? `${key}'${MASK}'` : `${key}${MASK}`,
    );
}
