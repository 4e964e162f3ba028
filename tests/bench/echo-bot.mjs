// The reference for `npm run bench`: a bare botbuilder echo bot on the same server stack as
// Planeringsboten (restify 11 + CloudAdapter, local mode), so the ratio measures our own work.
import restify from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const server = restify.createServer({ handleUncaughtExceptions: false });
server.use(restify.plugins.bodyParser({ maxBodySize: 1024 * 1024 }));
server.post('/api/messages', async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`Du skrev: ${context.activity.text}`);
  });
});
server.get('/healthz', async (_req, res) => res.send(200, { status: 'ok' }));
server.get('/readyz', async (_req, res) => res.send(200, { status: 'ready' }));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`echo bot on ${server.address().port}`));
