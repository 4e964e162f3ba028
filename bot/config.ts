import { AuthenticationConstants } from 'botframework-connector';
import { CallerIdConstants } from 'botframework-schema';
import { z } from 'zod';
import { isValidPattern } from './digests/schedule';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalText = z.preprocess(emptyAsUndefined, z.string().trim().optional());

const schema = z
  .object({
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppType: z.preprocess(emptyAsUndefined, z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant')),
    MicrosoftAppTenantId: optionalText,
    /** Where the bot fetches the channel's signing keys; only tests and sovereign clouds change it. */
    ToBotFromChannelOpenIdMetadataUrl: z.preprocess(emptyAsUndefined, z.string().url().optional()),
    PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
    HOST: optionalText,
    /** Where people's browsers reach the bot (https in production), for download links. */
    PUBLIC_URL: z.preprocess(emptyAsUndefined, z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional()),
    DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
    DATABASE_URL: z.preprocess(
      emptyAsUndefined,
      z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
    ),
    LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS).default('info')),
    /** Tenant ids whose activities are served; empty serves every tenant. */
    ALLOWED_TENANTS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
        .refine((ids) => ids.length > 0, 'names no tenant (leave it empty to serve every tenant)')
        .optional(),
    ),
    /** Azure AD object ids of the knowledge editors, who may see `obesvarade`; empty: everyone may. */
    EDITORS: z.preprocess(
      emptyAsUndefined,
      z
        .string()
        .transform((v) => v.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
        .optional(),
    ),
    /** Set to true to run without Bot Framework authentication on a non-loopback HOST (a demo behind your own gate). */
    ALLOW_UNAUTHENTICATED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false']).default('false')),
    /** Messages a person may send in a minute before the bot asks them to wait. */
    RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(20)),
    /** Days people's own words are kept (unanswered questions; own deadlines after their day); decisions and registrations are records and stay. */
    RETENTION_DAYS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(3650).default(90)),
    /** Overrides the digest schedule (Monday 08:00) with a cron pattern in Stockholm time; seconds allowed. */
    DIGEST_CRON: z.preprocess(emptyAsUndefined, z.string().refine(isValidPattern, 'is not a valid cron pattern').optional()),
  })
  .superRefine((c, ctx) => {
    if (!c.MicrosoftAppId) {
      // Credentials without an app id are a misspelt or forgotten MicrosoftAppId, not local mode.
      for (const name of ['MicrosoftAppPassword', 'MicrosoftAppTenantId'] as const) {
        if (c[name]) ctx.addIssue({ code: 'custom', path: ['MicrosoftAppId'], message: `is required when ${name} is set` });
      }
      if (c.HOST && !isLoopback(c.HOST) && c.ALLOW_UNAUTHENTICATED !== 'true') {
        ctx.addIssue({
          code: 'custom',
          path: ['HOST'],
          message: `${c.HOST} would expose the bot without authentication: set MicrosoftAppId, or ALLOW_UNAUTHENTICATED=true if that is what you want`,
        });
      }
      return;
    }
    if (c.MicrosoftAppType !== 'MultiTenant' && !c.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `is required when MicrosoftAppType is ${c.MicrosoftAppType}` });
    }
    if (c.MicrosoftAppType !== 'UserAssignedMSI' && !c.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: `is required when MicrosoftAppType is ${c.MicrosoftAppType}` });
    }
  });

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

export type Config = z.infer<typeof schema> & {
  /** True without an app id: no Bot Framework auth, loopback only. */
  localMode: boolean;
  /** The interface to bind: loopback in local mode unless HOST says otherwise. */
  host: string;
};

export class ConfigError extends Error {}

/** Reads and checks the environment; throws one readable line naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`);
    throw new ConfigError(`Felaktig konfiguration: ${problems.join('; ')}`);
  }
  const localMode = !parsed.data.MicrosoftAppId;
  return { ...parsed.data, localMode, host: parsed.data.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0') };
}

/** The settings botbuilder's ConfigurationBotFrameworkAuthentication reads, under its own names. */
export function botFrameworkAuthSettings(config: Config): Record<string, string | undefined> {
  // botbuilder insists on an app id for any app type; local mode has neither.
  if (config.localMode) return {};
  const credentials = {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  if (!config.ToBotFromChannelOpenIdMetadataUrl) return credentials;
  // A custom metadata URL makes botbuilder take every other endpoint from the settings too; these
  // are the public Azure cloud's, so only where the channel's signing keys come from changes.
  return {
    ...credentials,
    ToBotFromChannelOpenIdMetadataUrl: config.ToBotFromChannelOpenIdMetadataUrl,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    ToChannelFromBotLoginUrl: `https://login.microsoftonline.com/${config.MicrosoftAppTenantId ?? 'botframework.com'}`,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: 'true',
  };
}
