using System.Security.Cryptography.X509Certificates;

namespace MdiFlow.Plugins.DefenderForIdentity;

/// <summary>Where the MDI activities find Microsoft Graph and the sensor API, and how they authenticate.</summary>
public sealed class DefenderForIdentityOptions
{
    /// <summary>The Graph root; requests go to <c>{GraphBaseAddress}v1.0/...</c>. The lab points it at a loopback server.</summary>
    public Uri GraphBaseAddress { get; set; } = new("https://graph.microsoft.com/");

    /// <summary>The sensor API ping URL; <c>{workspace}</c> is replaced by the workspace (instance) name.</summary>
    public string SensorApiUrlTemplate { get; set; } = "https://{workspace}sensorapi.atp.azure.com/tri/sensor/api/ping";

    /// <summary>How to get Graph tokens.</summary>
    public GraphAuthentication Authentication { get; set; } = new();

    /// <summary>
    /// The proxy for Microsoft Graph and the Entra sign-in endpoint (<c>http://proxy.contoso.com:8080</c>), or null for
    /// the system's (<c>HTTPS_PROXY</c>, or the WinHTTP/Internet settings on Windows). The account's own credentials are
    /// offered when the proxy asks for authentication (Windows).
    /// </summary>
    public Uri? GraphProxy { get; set; }

    /// <summary>Refuse TLS certificates not chained to Microsoft's roots (SSL inspection is not supported by the sensor). The lab turns it off.</summary>
    public bool RequireMicrosoftCertificateChain { get; set; } = true;

    /// <summary>Where the setup writes its logs: the installing account's %TEMP%.</summary>
    public string InstallerLogDirectory { get; set; } = Path.GetTempPath();

    /// <summary>Where access keys fetched from Graph are kept, protected with ASP.NET Core Data Protection.</summary>
    public string KeyVaultDirectory { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MdiFlow", "keys");

    /// <summary>
    /// The first update build revision of the March 2026 cumulative update per Windows Server build, which sensor v3.x needs:
    /// build 20348 (Server 2022) is 4893 (KB5078766, the update deploy-sensor-v3 links). A build without an entry cannot be
    /// confirmed and takes the v2.x sensor; add the revision of your release's March 2026 update to allow v3.x there.
    /// </summary>
    public IDictionary<int, int> SensorV3MinimumUpdateRevisions { get; } = new Dictionary<int, int> { [20348] = 4893 };
}

/// <summary>How the activities authenticate to Microsoft Graph (Azure.Identity).</summary>
public sealed class GraphAuthentication
{
    /// <summary>Which credential to use.</summary>
    public GraphAuthenticationMode Mode { get; set; } = GraphAuthenticationMode.DeviceCode;

    /// <summary>The tenant (directory) id.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret by reference (<c>env:NAME</c> or <c>file:PATH</c>), never the value.</summary>
    public string? ClientSecretReference { get; set; }

    /// <summary>A PFX/PEM certificate file (with its private key) for certificate authentication.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, by reference (<c>env:NAME</c> or <c>file:PATH</c>), never the value.</summary>
    public string? CertificatePasswordReference { get; set; }

    /// <summary>The thumbprint (SHA-1, hex) of a certificate in the <c>My</c> store of <see cref="CertificateStoreLocation"/>, instead of a file.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>The certificate store <see cref="CertificateThumbprint"/> is looked up in: LocalMachine for a service running as LocalSystem.</summary>
    public StoreLocation CertificateStoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>The federated token file for workload identity (default: <c>AZURE_FEDERATED_TOKEN_FILE</c>).</summary>
    public string? WorkloadIdentityTokenFile { get; set; }

    /// <summary>
    /// The Entra ID sign-in endpoint (default <c>https://login.microsoftonline.com/</c>; <c>https://login.microsoftonline.us/</c>
    /// for US Government). An address that is not one of Microsoft's clouds is used as it is, without instance discovery.
    /// </summary>
    public Uri? AuthorityHost { get; set; }
}

/// <summary>The Azure.Identity credential used for Graph.</summary>
public enum GraphAuthenticationMode
{
    /// <summary>An administrator signs in on another device (delegated permissions).</summary>
    DeviceCode,

    /// <summary>An app registration with a client secret.</summary>
    ClientSecret,

    /// <summary>An app registration with a certificate.</summary>
    ClientCertificate,

    /// <summary>The managed identity of the machine running MdiFlow (an Azure VM or an Arc-enabled server).</summary>
    ManagedIdentity,

    /// <summary>A federated token (Kubernetes workload identity, <c>AZURE_FEDERATED_TOKEN_FILE</c>) exchanged for the app registration's token.</summary>
    WorkloadIdentity,

    /// <summary>The account signed in to the Azure CLI (<c>az login</c>) on this host.</summary>
    AzureCli,
}

/// <summary>Checks <see cref="DefenderForIdentityOptions"/> when the host starts, every mistake at once.</summary>
internal sealed class DefenderForIdentityOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<DefenderForIdentityOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, DefenderForIdentityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mistakes = new List<string>();
        if (options.GraphBaseAddress is not { IsAbsoluteUri: true } graph || graph.Scheme != Uri.UriSchemeHttps && !graph.IsLoopback)
        {
            mistakes.Add($"DefenderForIdentityOptions.GraphBaseAddress is '{options.GraphBaseAddress}'; it must be an absolute https address (the default is https://graph.microsoft.com/).");
        }

        if (string.IsNullOrWhiteSpace(options.SensorApiUrlTemplate) || !options.SensorApiUrlTemplate.Contains("{workspace}", StringComparison.Ordinal))
        {
            mistakes.Add("DefenderForIdentityOptions.SensorApiUrlTemplate must contain {workspace}, where the workspace name goes.");
        }

        if (string.IsNullOrWhiteSpace(options.InstallerLogDirectory))
        {
            mistakes.Add("DefenderForIdentityOptions.InstallerLogDirectory is empty; give the folder the setup writes its logs to.");
        }

        if (string.IsNullOrWhiteSpace(options.KeyVaultDirectory))
        {
            mistakes.Add("DefenderForIdentityOptions.KeyVaultDirectory is empty; give the folder that keeps protected access keys.");
        }

        // The sign-in settings (Authentication) are checked by the credential when Graph is first called: a mistake there
        // fails that step with graph.authentication and its fix, rather than the whole host.
        return mistakes.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(mistakes);
    }
}
