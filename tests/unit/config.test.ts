import { botFrameworkAuthSettings, ConfigError, loadConfig } from '../../bot/config';

describe('configuration from the environment', () => {
  test('defaults: local mode on loopback, port 3978, ./data, info', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ localMode: true, host: '127.0.0.1', PORT: 3978, DATA_DIR: './data', LOG_LEVEL: 'info' });
    expect(botFrameworkAuthSettings(c)).toEqual({});
  });

  test('an empty MicrosoftAppId (as in a copied .env) is local mode', () => {
    expect(loadConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '' }).localMode).toBe(true);
  });

  test('with an app id the bot authenticates and listens on every interface', () => {
    const c = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: 'tenant' });
    expect(c).toMatchObject({ localMode: false, host: '0.0.0.0', MicrosoftAppType: 'SingleTenant' });
    expect(botFrameworkAuthSettings(c)).toMatchObject({ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' });
  });

  test('an explicit HOST wins, even in local mode', () => {
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('a user-assigned managed identity needs no password', () => {
    const c = loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 'tenant' });
    expect(c.localMode).toBe(false);
  });

  test.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ MicrosoftAppType: 'Anything' }, /MicrosoftAppType/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ MicrosoftAppId: 'app', MicrosoftAppTenantId: 'tenant' }, /MicrosoftAppPassword is required/],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'x' }, /MicrosoftAppTenantId is required/],
  ])('%j stops the start with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  test('the error never repeats a secret', () => {
    try {
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'super-secret-value', PORT: 'x' });
    } catch (err) {
      expect((err as Error).message).not.toContain('super-secret-value');
    }
  });
});
