import pino, { Logger } from 'pino';

export type { Logger };

/** Paths that may carry credentials; pino replaces them before anything is written. */
const SECRETS = ['authorization', 'Authorization', 'password', 'token', 'MicrosoftAppPassword', 'DATABASE_URL', 'connectionString'];
/** Each secret's name at the top, one level down, and in an error's request headers (an HTTP client's error carries them). */
const REDACT = SECRETS.flatMap((name) => [name, `*.${name}`, `*.headers.${name}`, `err.config.headers.${name}`, `err.request.headers.${name}`]);

/** JSON lines in production (to `destination`, stdout by default); readable lines when a person watches a terminal. */
export function createLogger(
  level: string,
  pretty = Boolean(process.stdout.isTTY) && process.env.NODE_ENV !== 'production',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = { level, base: { service: 'planeringsboten' }, redact: { paths: REDACT, censor: '[hemligt]' } };
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' } } });
  return destination ? pino(options, destination) : pino(options);
}

/** A database URL fit for a log line: the password is never shown. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
