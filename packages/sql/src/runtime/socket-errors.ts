/** Node's codes for a socket that broke under a live connection. */
const SOCKET_LOST = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** Whether an error is a broken socket (the driver passes Node's error through with its `code`). */
export function isSocketLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && SOCKET_LOST.has(code);
}
