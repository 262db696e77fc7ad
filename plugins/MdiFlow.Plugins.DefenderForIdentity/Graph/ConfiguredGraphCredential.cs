using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using MdiFlow.Secrets;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>
/// The Azure.Identity credential <see cref="GraphAuthentication"/> describes, built on first use so that a
/// missing setting, a certificate that is not there or an unreadable secret fails the step that needed a token (as
/// <see cref="SignInSettingsException"/>, reported as <c>graph.authentication</c>) rather than the host's start-up.
/// </summary>
internal sealed class ConfiguredGraphCredential(GraphAuthentication settings, Uri? proxy, TextWriter prompts) : TokenCredential
{
    private readonly Lazy<TokenCredential> _credential = new(() => Create(settings, prompts, proxy));

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetTokenAsync(requestContext, cancellationToken);

    /// <exception cref="SignInSettingsException">The settings are incomplete, the certificate is not there, or a secret cannot be read.</exception>
    internal static TokenCredential Create(GraphAuthentication settings, TextWriter prompts, Uri? proxy = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Mode)
        {
            case GraphAuthenticationMode.DeviceCode:
                var deviceCode = Configure(new DeviceCodeCredentialOptions
                {
                    // The prompt goes to standard error so that --json output on standard output stays one document.
                    DeviceCodeCallback = (code, _) => prompts.WriteLineAsync(code.Message),
                }, settings, proxy);
                deviceCode.DisableInstanceDiscovery = !IsMicrosoftCloud(deviceCode.AuthorityHost);
                if (settings.TenantId is { } tenant)
                {
                    deviceCode.TenantId = tenant;
                }

                if (settings.ClientId is { } client)
                {
                    deviceCode.ClientId = client;
                }

                return new DeviceCodeCredential(deviceCode);
            case GraphAuthenticationMode.ClientSecret:
                var secretOptions = Configure(new ClientSecretCredentialOptions(), settings, proxy);
                secretOptions.DisableInstanceDiscovery = !IsMicrosoftCloud(secretOptions.AuthorityHost);
                return new ClientSecretCredential(Required(settings.TenantId, "graph.tenantId"), Required(settings.ClientId, "graph.clientId"), ClientSecret(settings), secretOptions);
            case GraphAuthenticationMode.ClientCertificate:
                var certificateOptions = Configure(new ClientCertificateCredentialOptions(), settings, proxy);
                certificateOptions.DisableInstanceDiscovery = !IsMicrosoftCloud(certificateOptions.AuthorityHost);
                return new ClientCertificateCredential(Required(settings.TenantId, "graph.tenantId"), Required(settings.ClientId, "graph.clientId"), GraphCertificate.Load(settings), certificateOptions);
            case GraphAuthenticationMode.ManagedIdentity:
                var managed = Configure(new ManagedIdentityCredentialOptions(settings.ClientId is { } userAssigned
                    ? ManagedIdentityId.FromUserAssignedClientId(userAssigned)
                    : ManagedIdentityId.SystemAssigned), settings, proxy);
                return new ManagedIdentityCredential(managed);
            case GraphAuthenticationMode.WorkloadIdentity:
                var workload = Configure(new WorkloadIdentityCredentialOptions
                {
                    TenantId = Required(settings.TenantId ?? Environment.GetEnvironmentVariable("AZURE_TENANT_ID"), "graph.tenantId"),
                    ClientId = Required(settings.ClientId ?? Environment.GetEnvironmentVariable("AZURE_CLIENT_ID"), "graph.clientId"),
                    TokenFilePath = TokenFile(settings),
                }, settings, proxy);
                workload.DisableInstanceDiscovery = !IsMicrosoftCloud(workload.AuthorityHost);
                return new WorkloadIdentityCredential(workload);
            case GraphAuthenticationMode.AzureCli:
                var cli = Configure(new AzureCliCredentialOptions(), settings, proxy);
                if (settings.TenantId is { } cliTenant)
                {
                    cli.TenantId = cliTenant;
                }

                return new AzureCliCredential(cli);
            default:
                throw new SignInSettingsException(
                    $"the sign-in kind {settings.Mode} is not one MdiFlow knows",
                    "set graph.signIn to certificate, managedIdentity, workloadIdentity, azureCli, deviceCode or clientSecret");
        }
    }

    /// <summary>Whether <paramref name="authorityHost"/> is one of Microsoft's clouds, whose instance metadata MSAL may look up.</summary>
    internal static bool IsMicrosoftCloud(Uri authorityHost) =>
        authorityHost.Host is "login.microsoftonline.com" or "login.microsoftonline.us" or "login.chinacloudapi.cn" or "login.partner.microsoftonline.cn";

    /// <summary>The options every credential shares: the sign-in endpoint, the proxy, and a short retry (a sign-in that fails for a reason fails the same way again).</summary>
    private static T Configure<T>(T options, GraphAuthentication settings, Uri? proxy)
        where T : TokenCredentialOptions
    {
        if (settings.AuthorityHost is { } host)
        {
            options.AuthorityHost = host;
        }

        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        if (proxy is not null)
        {
            options.Transport = new HttpClientTransport(new SocketsHttpHandler
            {
                UseProxy = true,
                Proxy = new WebProxy(proxy) { UseDefaultCredentials = true },
            });
        }

        return options;
    }

    private static string ClientSecret(GraphAuthentication settings) =>
        Reference(Required(settings.ClientSecretReference, "graph.clientSecret"), "graph.clientSecret", "clientSecret");

    /// <summary>A secret the settings name by reference: its value, or a sentence that names the setting (never the value).</summary>
    internal static string Reference(string reference, string setting, string name)
    {
        if (!SecretReference.IsValid(reference))
        {
            throw new SignInSettingsException(
                $"{setting} holds a value instead of a reference",
                $"give {setting} as env:VARIABLE or file:PATH, never the secret itself (and replace the secret: it was written down)");
        }

        try
        {
            return SecretReference.Resolve(name, reference);
        }
        catch (SecretException ex)
        {
            throw new SignInSettingsException($"{setting} cannot be read ({ex.Message.TrimEnd('.')})", $"make {reference} readable by the account that runs MdiFlow");
        }
    }

    private static string TokenFile(GraphAuthentication settings)
    {
        var path = settings.WorkloadIdentityTokenFile ?? Environment.GetEnvironmentVariable("AZURE_FEDERATED_TOKEN_FILE");
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new SignInSettingsException(
                path is null ? "workload identity has no federated token file" : $"the federated token file '{path}' does not exist",
                "run where the workload identity webhook mounts the token (AZURE_FEDERATED_TOKEN_FILE), or set graph.workloadIdentity.tokenFile");
        }

        return path;
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new SignInSettingsException($"{name} is not set", $"set {name} in mdiflow.json or MDIFLOW_{name.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant()}")
            : value;
}
