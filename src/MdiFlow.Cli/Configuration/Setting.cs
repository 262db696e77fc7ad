namespace MdiFlow.Cli.Configuration;

/// <summary>
/// One setting of <c>mdiflow.json</c>: its key (<c>graph:tenantId</c>, written <c>graph.tenantId</c> in messages and
/// <c>MDIFLOW_GRAPH__TENANTID</c> in the environment), its built-in default, what it is, and whether it names a secret
/// (then only a reference, <c>env:NAME</c> or <c>file:PATH</c>, is accepted, and never on the command line).
/// </summary>
internal sealed record Setting(string Key, string? Default, string Description, bool Secret = false, IReadOnlyList<string>? Allowed = null)
{
    /// <summary>The key as people write it: <c>graph.certificate.path</c>.</summary>
    public string Display => Key.Replace(':', '.');

    /// <summary>The environment variable that sets it, by the Microsoft.Extensions.Configuration convention.</summary>
    public string Variable => "MDIFLOW_" + Key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
}

/// <summary>Every setting MdiFlow reads from its configuration, in the order <c>config show</c> prints them.</summary>
internal static class Settings
{
    public static readonly Setting Store = new("store", "sqlite:mdiflow.db", "Where state lives: sqlite:PATH (postgres:CONNECTION-STRING where that store is installed).");

    public static readonly Setting Policy = new("policy", null, "A policy file that tightens the installed one (it may never loosen it; every layer that names one adds it).");

    public static readonly Setting SignIn = new("graph:signIn", "deviceCode", "How MdiFlow signs in to Microsoft Graph.", Allowed: ["certificate", "managedIdentity", "workloadIdentity", "azureCli", "deviceCode", "clientSecret"]);

    public static readonly Setting TenantId = new("graph:tenantId", null, "The Entra tenant: its directory id (a GUID) or a verified domain (contoso.onmicrosoft.com).");

    public static readonly Setting ClientId = new("graph:clientId", null, "The app registration's Application (client) id; for managed identity, a user-assigned identity's client id.");

    public static readonly Setting CertificatePath = new("graph:certificate:path", null, "certificate sign-in: a PFX or PEM file with the private key.");

    public static readonly Setting CertificatePassword = new("graph:certificate:password", null, "certificate sign-in: the PFX password, by reference.", Secret: true);

    public static readonly Setting CertificateThumbprint = new("graph:certificate:thumbprint", null, "certificate sign-in: the thumbprint of a certificate in the My store, instead of a file.");

    public static readonly Setting CertificateStore = new("graph:certificate:storeLocation", "CurrentUser", "The store the thumbprint is looked up in (LocalMachine for a service running as LocalSystem).", Allowed: ["CurrentUser", "LocalMachine"]);

    public static readonly Setting ClientSecret = new("graph:clientSecret", null, "clientSecret sign-in: the app's client secret, by reference.", Secret: true);

    public static readonly Setting TokenFile = new("graph:workloadIdentity:tokenFile", null, "workloadIdentity sign-in: the federated token file (default: AZURE_FEDERATED_TOKEN_FILE).");

    public static readonly Setting AuthorityHost = new("graph:authorityHost", "https://login.microsoftonline.com/", "The Entra ID sign-in endpoint (https://login.microsoftonline.us/ for US Government).");

    public static readonly Setting GraphAddress = new("graph:baseAddress", "https://graph.microsoft.com/", "The Microsoft Graph root (https://graph.microsoft.us/ for US Government).");

    public static readonly Setting GraphProxy = new("graph:proxy", null, "The proxy for Microsoft Graph and the sign-in endpoint (default: the system's).");

    public static readonly Setting SensorApiProxy = new("sensorApi:proxy", null, "The proxy the sensor and the connectivity probe use; fills a workflow's proxyUrl input when none is given.");

    public static readonly Setting SensorApiProxyCredential = new("sensorApi:proxyCredential", null, "user:password for that proxy, by reference; fills a workflow's proxyCredential input.", Secret: true);

    public static readonly Setting WorkerHost = new("worker:host", null, "This host's name in leases and for host-affine steps (default: the machine name).");

    public static readonly Setting WorkerInterval = new("worker:interval", "5", "Seconds between the worker's passes.");

    public static IReadOnlyList<Setting> All { get; } =
    [
        Store, Policy, SignIn, TenantId, ClientId, CertificatePath, CertificatePassword, CertificateThumbprint, CertificateStore,
        ClientSecret, TokenFile, AuthorityHost, GraphAddress, GraphProxy, SensorApiProxy, SensorApiProxyCredential, WorkerHost, WorkerInterval,
    ];

    public static Setting? Find(string key) => All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));
}
