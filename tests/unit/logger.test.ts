import { createLogger } from '../../bot/logger';

test('secrets never reach a log line, at the top, one level down or in an HTTP error', () => {
  const lines: string[] = [];
  const logger = createLogger('info', false, { write: (line: string) => void lines.push(line) });
  const err = Object.assign(new Error('401'), { config: { headers: { Authorization: 'Bearer eyJ.secret.token' } } });
  logger.info({ authorization: 'Bearer top-secret', config: { MicrosoftAppPassword: 'app-secret', DATABASE_URL: 'postgres://u:db-secret@h/d' } }, 'startup');
  logger.error({ err, request: { headers: { authorization: 'Bearer nested-secret' } } }, 'send failed');
  const written = lines.join('\n');
  expect(written).toContain('startup');
  expect(written).toContain('[hemligt]');
  for (const secret of ['top-secret', 'app-secret', 'db-secret', 'eyJ.secret.token', 'nested-secret']) expect(written).not.toContain(secret);
});
