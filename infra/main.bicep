// Planeringsboten on Azure: an Azure Bot with its Microsoft Teams channel, a Linux Web App that runs the bot
// (Node.js, built by App Service from a zip of the repository), Azure Database for PostgreSQL (flexible server)
// shared by every instance of the app, and a Key Vault holding the two secrets the app needs.
//
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json
//
// See infra/README.md for the whole procedure (registering the bot, deploying the code, the Teams app package).

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------------------------

@description('Azure region of the Web App, PostgreSQL and Key Vault (the Azure Bot itself is global). Defaults to the resource group\'s region.')
param location string = resourceGroup().location

@description('Lowercase letters a–z and digits, starting with a letter, 3 to 15 characters: every resource name starts with it, and PostgreSQL and Key Vault names allow nothing else. Anything else fails the deployment. Names that must be globally unique also get a suffix derived from the resource group.')
@minLength(3)
@maxLength(15)
param namePrefix string = 'planeringsboten'

@description('Tags set on every resource.')
param tags object = {
  application: 'planeringsboten'
}

@description('Name people see for the bot in the Azure portal (the Teams app package sets the name shown in Teams).')
param botDisplayName string = 'Planeringsboten'

@description('Pricing tier of the Azure Bot. F0 is free; the Teams channel is a standard channel, free in either tier.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('How the bot proves who it is to the Bot Framework. SingleTenant: an Entra ID app registration (msaAppId and msaAppPassword). UserAssignedMSI: the managed identity this template creates; no secret at all.')
@allowed([
  'SingleTenant'
  'UserAssignedMSI'
])
param msaAppType string = 'SingleTenant'

@description('SingleTenant: the Application (client) id of the bot\'s app registration, a GUID; without one the deployment fails, since a bot without an app id would run without authentication. UserAssignedMSI: leave empty; the client id of the identity this template creates is used.')
param msaAppId string = ''

@description('The Entra ID tenant of the bot\'s identity (your organisation\'s tenant).')
param msaAppTenantId string = tenant().tenantId

@description('SingleTenant only: a client secret of the app registration. It goes into the Key Vault; the app setting only refers to it. Give it on the command line, never in a parameters file.')
@secure()
param msaAppPassword string = ''

@description('App Service plan size. B1 is the smallest size with Always On and health checks.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServicePlanSku string = 'B1'

@description('Number of instances of the bot; they share the PostgreSQL database. App Service allows at most 3 on Basic sizes (B1–B3), 10 on Standard (S1–S3) and 30 on Premium v3: more than the chosen size allows fails the deployment.')
@minValue(1)
@maxValue(30)
param instanceCount int = 1

@description('Node.js runtime of the Web App. Node 20 reached its end of life in April 2026; the bot runs on 20 and later.')
@allowed([
  'NODE|22-lts'
  'NODE|24-lts'
  'NODE|20-lts'
])
param linuxFxVersion string = 'NODE|22-lts'

@description('The https address people\'s browsers reach the bot at, used in download links (CSV, .ics). Empty: https://<the Web App\'s default host name>. Set it when you give the Web App a custom domain.')
param publicUrl string = ''

@description('How much the bot logs (JSON lines in the App Service log stream).')
@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'

@description('Optional cron pattern (Stockholm time, seconds allowed) replacing the digest schedule. Empty: Monday 08:00 (weekly) and 08:00 (daily).')
param digestCron string = ''

@description('Comma-separated Entra ID tenant ids whose activities the bot serves (ALLOWED_TENANTS); any other tenant gets 403. Defaults to msaAppTenantId, your own tenant. Empty serves every tenant.')
param allowedTenants string = msaAppTenantId

@description('Comma-separated Entra ID object ids of the knowledge editors, the only ones who may list the unanswered questions (EDITORS). Empty: everyone may.')
param editors string = ''

@description('Messages a person may send a minute before the bot asks them to wait (RATE_LIMIT_PER_MINUTE), per instance.')
@minValue(1)
@maxValue(10000)
param rateLimitPerMinute int = 20

@description('Days people\'s own words are kept (RETENTION_DAYS): unanswered questions, and own deadlines after their day; decisions and registrations are records and stay.')
@minValue(1)
@maxValue(3650)
param retentionDays int = 90

@description('Administrator login of the PostgreSQL server; the bot connects as this user. Not admin, root, azure_superuser or anything starting with pg_.')
param postgresAdminLogin string = 'planeringsboten'

@description('Password of the PostgreSQL administrator: 8 to 128 characters from three of upper case, lower case, digits and symbols. Give it on the command line (or let az prompt for it), never in a parameters file.')
@secure()
param postgresAdminPassword string

@description('Compute size of the PostgreSQL server.')
param postgresSkuName string = 'Standard_B1ms'

@description('Tier of that compute size: Burstable for Standard_B* sizes.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('Storage of the PostgreSQL server in GiB. It can grow later but never shrink.')
@allowed([
  32
  64
  128
  256
  512
])
param postgresStorageSizeGB int = 32

// ---------------------------------------------------------------------------------------------------------------
// Names and derived values
// ---------------------------------------------------------------------------------------------------------------

// Checks of parameter values that decorators cannot express (Bicep has no regular expressions). Each checked value is
// either the value or fail(), which stops the deployment with its message.

// Splitting at every allowed character leaves nothing when the prefix has only those; the first must be a letter.
var prefixCharacters = [for i in range(0, 36): substring('abcdefghijklmnopqrstuvwxyz0123456789', i, 1)]
var prefixIsValid = empty(join(split(namePrefix, prefixCharacters), '')) && !contains('0123456789', first(namePrefix))
var prefix = prefixIsValid ? namePrefix : fail('namePrefix may hold only lowercase letters a-z and digits, starting with a letter (PostgreSQL and Key Vault names allow nothing else).')

var isMsi = msaAppType == 'UserAssignedMSI'
// Without an app id the bot would start in local mode, without Bot Framework authentication. An app id is a GUID:
// 36 characters in five groups, which also refuses the REPLACE-WITH-… placeholder of main.parameters.json.
// A var of its own: botAppId also reads the identity's client id, which exists only once the identity does.
var msaAppIdIsGuid = length(msaAppId) == 36 && length(split(msaAppId, '-')) == 5
var singleTenantAppId = isMsi || msaAppIdIsGuid ? msaAppId : fail('msaAppId must be the Application (client) id of the bot\'s app registration (a GUID) when msaAppType is SingleTenant.')
var botAppId = isMsi ? appIdentity.properties.clientId : singleTenantAppId

// App Service's limit of instances for each tier of appServicePlanSku: B* Basic, S* Standard, P*v3 Premium v3.
var maxInstances = startsWith(appServicePlanSku, 'B') ? 3 : startsWith(appServicePlanSku, 'S') ? 10 : 30
var instances = instanceCount <= maxInstances ? instanceCount : fail('instanceCount is more than appServicePlanSku allows: at most 3 on B1-B3, 10 on S1-S3, 30 on P0v3-P2v3.')

// Web App, PostgreSQL, Key Vault and bot names are global (DNS names or handles): a stable suffix per resource group
// keeps them unique and lets the template be deployed again to update the same resources.
var suffix = uniqueString(resourceGroup().id)
var webAppName = '${prefix}-${suffix}'
var planName = '${prefix}-plan'
var identityName = '${prefix}-identity'
var postgresName = '${prefix}-pg-${suffix}'
var vaultName = take('${prefix}kv${suffix}', 24)
var botName = '${prefix}-bot-${suffix}'

var databaseName = 'planeringsboten'

// App Service routes requests to the port in PORT/WEBSITES_PORT; 8080 is what its Node.js images expect.
var appPort = '8080'

var databaseUrlSecretName = 'database-url'
var appPasswordSecretName = 'microsoft-app-password'

// ---------------------------------------------------------------------------------------------------------------
// Identity and secrets
// ---------------------------------------------------------------------------------------------------------------

// The app's own identity. App Service uses it to read the Key Vault secrets behind DATABASE_URL and
// MicrosoftAppPassword, and with msaAppType UserAssignedMSI it is also the bot's identity (MicrosoftAppId is its
// client id). It exists before the Web App, so the vault already trusts it when App Service first resolves the
// Key Vault references; a system-assigned identity would only exist after the Web App had tried and failed.
resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    // An access policy rather than Azure RBAC: it needs only Contributor on the resource group to deploy, where
    // a role assignment would need Owner or User Access Administrator. The app may read secrets, nothing else.
    enableRbacAuthorization: false
    accessPolicies: [
      {
        tenantId: subscription().tenantId
        objectId: appIdentity.properties.principalId
        permissions: {
          secrets: [
            'get'
          ]
        }
      }
    ]
    enableSoftDelete: true
    // The shortest retention: a vault name stays taken while its deleted vault is kept (see README).
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

// The connection string the bot reads as DATABASE_URL. Login and password are URL-encoded so that any character
// in the password works. sslmode=verify-full: encrypted and the server's certificate checked against its host
// name (Azure's certificates chain to public roots Node.js trusts); node-postgres treats "require" the same way
// today but warns that it will weaken it, so this says what we mean.
resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: databaseUrlSecretName
  properties: {
    value: 'postgresql://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=verify-full'
  }
}

resource appPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!isMsi) {
  parent: vault
  name: appPasswordSecretName
  properties: {
    value: msaAppPassword
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------------------------

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: postgresName
  location: location
  tags: tags
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: postgresStorageSizeGB
    }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// The three child resources below are chained with dependsOn: a flexible server takes one change at a time and
// answers parallel ones with "ServerIsBusy".

// On by default; set here so that nobody turns it off by accident: every connection must use TLS.
resource secureTransport 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2024-08-01' = {
  parent: postgres
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
  dependsOn: [
    secureTransport
  ]
}

// 0.0.0.0 to 0.0.0.0 is Azure's way of saying "any Azure service": App Service has no fixed outbound address to
// allow instead without a virtual network. The password and TLS guard the door; see README for a private network.
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
  dependsOn: [
    database
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// App Service
// ---------------------------------------------------------------------------------------------------------------

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServicePlanSku
    capacity: instances
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${appIdentity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Every instance serves every conversation (state is in PostgreSQL), so no sticky sessions.
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: appIdentity.id
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      // The zip deploy already ran "npm run build" (SCM_DO_BUILD_DURING_DEPLOYMENT), so start the compiled bot
      // directly. "npm start" would compile again at every start, on every instance, into the wwwroot folder
      // that all instances share, and needs the devDependencies; it would also put npm between App Service's
      // SIGTERM and the bot's graceful shutdown.
      appCommandLine: 'node --disable-warning=DEP0111 dist/bot/index.js'
      alwaysOn: true // the digests and reminders run on timers inside the process
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// The bot's environment (see .env.example); the secrets are Key Vault references that App Service resolves
// with the app's identity before the process starts.
var publicBaseUrl = empty(publicUrl) ? 'https://${site.properties.defaultHostName}' : publicUrl
var botSettings = {
  MicrosoftAppId: botAppId
  MicrosoftAppType: msaAppType
  MicrosoftAppTenantId: msaAppTenantId
  DATABASE_URL: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${databaseUrlSecretName})'
  PUBLIC_URL: publicBaseUrl
  // No HOST: with MicrosoftAppId set the bot binds every interface itself, and without one it stays on loopback.
  PORT: appPort
  WEBSITES_PORT: appPort
  LOG_LEVEL: logLevel
  DIGEST_CRON: digestCron
  ALLOWED_TENANTS: allowedTenants
  EDITORS: editors
  RATE_LIMIT_PER_MINUTE: string(rateLimitPerMinute)
  RETENTION_DAYS: string(retentionDays)
  // Zip deploy runs Oryx: npm install (with devDependencies, and .npmrc's yes=true for a postinstall's npx),
  // then npm run build, which compiles to dist/ and saves the knowledge index.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
}
// With a managed identity there is no password at all: the setting stays absent rather than empty.
var passwordSetting = isMsi ? {} : {
  MicrosoftAppPassword: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=${appPasswordSecretName})'
}

// App settings in their own resource, deployed after the secrets, the database and its firewall rule exist, so
// that the bot's first start finds everything it needs. Deploying the template again replaces all app settings:
// change them through the parameters, not by hand in the portal.
resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(botSettings, passwordSetting)
  dependsOn: [
    databaseUrlSecret
    appPasswordSecret
    allowAzureServices
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Azure Bot and its Teams channel
// ---------------------------------------------------------------------------------------------------------------

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${site.properties.defaultHostName}/api/messages'
    msaAppType: msaAppType
    msaAppId: botAppId
    msaAppTenantId: msaAppTenantId
    msaAppMSIResourceId: isMsi ? appIdentity.id : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (no secrets)
// ---------------------------------------------------------------------------------------------------------------

@description('The messaging endpoint the Azure Bot calls.')
output botEndpoint string = 'https://${site.properties.defaultHostName}/api/messages'

@description('The Web App\'s default host name.')
output webAppHostName string = site.properties.defaultHostName

@description('The Web App\'s name, for az webapp deploy and az webapp log tail.')
output webAppName string = site.name

@description('The bot\'s Microsoft App id: BOT_ID of the Teams app package.')
output botAppId string = botAppId

@description('The address used for download links (PUBLIC_URL).')
output publicBaseUrl string = publicBaseUrl

@description('Host name of the PostgreSQL server.')
output postgresHost string = postgres.properties.fullyQualifiedDomainName

@description('Name of the Key Vault holding DATABASE_URL (and MicrosoftAppPassword with SingleTenant).')
output keyVaultName string = vault.name
