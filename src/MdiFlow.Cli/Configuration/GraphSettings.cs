using System.Security.Cryptography.X509Certificates;
using MdiFlow.Plugins.DefenderForIdentity;

namespace MdiFlow.Cli.Configuration;

/// <summary>The Defender for Identity plugin's sign-in and proxy from the configuration (<c>graph.*</c>).</summary>
internal static class GraphSettings
{
    public static void Apply(CliConfiguration configuration, DefenderForIdentityOptions options)
    {
        var auth = options.Authentication;
        auth.Mode = configuration.Value(Settings.SignIn)?.ToLowerInvariant() switch
        {
            "certificate" => GraphAuthenticationMode.ClientCertificate,
            "clientsecret" => GraphAuthenticationMode.ClientSecret,
            "managedidentity" => GraphAuthenticationMode.ManagedIdentity,
            "workloadidentity" => GraphAuthenticationMode.WorkloadIdentity,
            "azurecli" => GraphAuthenticationMode.AzureCli,
            _ => GraphAuthenticationMode.DeviceCode,
        };
        auth.TenantId = configuration.Value(Settings.TenantId);
        auth.ClientId = configuration.Value(Settings.ClientId);
        auth.CertificatePath = configuration.Value(Settings.CertificatePath);
        auth.CertificatePasswordReference = configuration.Value(Settings.CertificatePassword);
        auth.CertificateThumbprint = configuration.Value(Settings.CertificateThumbprint);
        auth.CertificateStoreLocation = string.Equals(configuration.Value(Settings.CertificateStore), "LocalMachine", StringComparison.OrdinalIgnoreCase)
            ? StoreLocation.LocalMachine
            : StoreLocation.CurrentUser;
        auth.ClientSecretReference = configuration.Value(Settings.ClientSecret);
        auth.WorkloadIdentityTokenFile = configuration.Value(Settings.TokenFile);
        auth.AuthorityHost = Address(configuration, Settings.AuthorityHost);
        options.GraphBaseAddress = Address(configuration, Settings.GraphAddress) ?? options.GraphBaseAddress;
        options.GraphProxy = Address(configuration, Settings.GraphProxy);
    }

    private static Uri? Address(CliConfiguration configuration, Setting setting) =>
        configuration.Value(setting) is { } text ? new Uri(text.EndsWith('/') || setting == Settings.GraphProxy ? text : text + "/") : null;
}
