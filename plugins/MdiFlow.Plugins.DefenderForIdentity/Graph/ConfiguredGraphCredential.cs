using Azure.Core;
using Azure.Identity;
using MdiFlow.Secrets;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>
/// The Azure.Identity credential <see cref="GraphAuthentication"/> describes, built on first use so that a
/// missing setting or an unreadable client secret fails the step that needed a token (as
/// <see cref="CredentialUnavailableException"/>, reported as <c>graph.authentication</c>) rather than the host's start-up.
/// </summary>
internal sealed class ConfiguredGraphCredential(GraphAuthentication settings, TextWriter prompts) : TokenCredential
{
    private readonly Lazy<TokenCredential> _credential = new(() => Create(settings, prompts));

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetToken(requestContext, cancellationToken);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        _credential.Value.GetTokenAsync(requestContext, cancellationToken);

    /// <exception cref="CredentialUnavailableException">The settings are incomplete or the client secret cannot be read.</exception>
    internal static TokenCredential Create(GraphAuthentication settings, TextWriter prompts)
    {
        ArgumentNullException.ThrowIfNull(settings);
        switch (settings.Mode)
        {
            case GraphAuthenticationMode.DeviceCode:
                var deviceCode = new DeviceCodeCredentialOptions
                {
                    // The prompt goes to standard error so that --json output on standard output stays one document.
                    DeviceCodeCallback = (code, _) => prompts.WriteLineAsync(code.Message),
                };
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
                return new ClientSecretCredential(Required(settings.TenantId, "TenantId"), Required(settings.ClientId, "ClientId"), ClientSecret(settings));
            case GraphAuthenticationMode.ClientCertificate:
                return new ClientCertificateCredential(Required(settings.TenantId, "TenantId"), Required(settings.ClientId, "ClientId"), Required(settings.CertificatePath, "CertificatePath"));
            case GraphAuthenticationMode.ManagedIdentity:
                return settings.ClientId is { } userAssigned
                    ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(userAssigned))
                    : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
            default:
                throw new CredentialUnavailableException($"The Graph authentication mode {settings.Mode} is not one MdiFlow knows.");
        }
    }

    private static string ClientSecret(GraphAuthentication settings)
    {
        var reference = Required(settings.ClientSecretReference, "ClientSecretReference");
        if (!SecretReference.IsValid(reference))
        {
            throw new CredentialUnavailableException("ClientSecretReference must be a reference (env:NAME or file:PATH), never the secret itself.");
        }

        try
        {
            return SecretReference.Resolve("clientSecret", reference);
        }
        catch (SecretException ex)
        {
            throw new CredentialUnavailableException(ex.Message, ex);
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new CredentialUnavailableException($"Graph authentication needs {name}; set it in the MDI plugin's authentication options.")
            : value;
}
