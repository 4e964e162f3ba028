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

  test('without an app id, the bot listens beyond loopback only when told it may go unauthenticated', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST 0\.0\.0\.0 would expose the bot without authentication/);
    expect(loadConfig({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: 'localhost' }).host).toBe('localhost');
  });

  test('tenant ids and editors are read in any letter case', () => {
    expect(loadConfig({ ALLOWED_TENANTS: ' Ab-1 ,cd-2', EDITORS: 'AAD-X' })).toMatchObject({ ALLOWED_TENANTS: ['ab-1', 'cd-2'], EDITORS: ['aad-x'] });
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
    [{ MicrosoftAppPassword: 'x' }, /MicrosoftAppId is required when MicrosoftAppPassword is set/],
    [{ MICROSOFT_APP_ID: 'app', MicrosoftAppTenantId: 't' }, /MicrosoftAppId is required when MicrosoftAppTenantId is set/],
    [{ ALLOWED_TENANTS: ' , ' }, /ALLOWED_TENANTS names no tenant/],
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
    expect.assertions(1);
    try {
      loadConfig({ MicrosoftAppId: 'app', MicrosoftAppPassword: 'super-secret-value', PORT: 'x' });
    } catch (err) {
      expect((err as Error).message).not.toContain('super-secret-value');
    }
  });
});
