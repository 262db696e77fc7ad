namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>The input of <c>mdi.installSensor</c>.</summary>
public sealed record InstallSensorInput
{
    /// <summary>The folder the sensor package (the zip) was extracted to; it holds "Azure ATP sensor Setup.exe". Never the zip itself.</summary>
    public required string PackageDirectory { get; init; }

    /// <summary>
    /// The workspace's access key: a value bound from a secret (<c>{{ secrets.accessKey }}</c>), the <c>vault:NAME</c>
    /// reference <c>mdi.getAccessKey</c> outputs, or an <c>env:NAME</c> / <c>file:PATH</c> reference. It reaches the setup
    /// only in a file readable by this account (<c>AccessKeyFile=</c>), never on a command line.
    /// </summary>
    public required string AccessKey { get; init; }

    /// <summary>The proxy the sensor uses (<c>ProxyUrl=</c>), for example <c>http://proxy.contoso.com:8080</c>.</summary>
    public string? ProxyUrl { get; init; }

    /// <summary>The proxy user (<c>ProxyUserName=</c>), as <c>DOMAIN\user</c> or <c>user</c>.</summary>
    public string? ProxyUserName { get; init; }

    /// <summary>
    /// The proxy password, passed as <c>ProxyUserPassword=</c> (the setup documents no other form): a reference,
    /// <c>env:NAME</c> or <c>file:PATH</c>, read when the step runs, or the value bound from a secret
    /// (<c>{{ secrets.proxyPassword }}</c>). Never shown in an output, error or log.
    /// </summary>
    public string? ProxyPasswordRef { get; init; }

    /// <summary>
    /// The proxy's <c>user:password</c> in one, as <c>mdi.probeSensorApi</c> takes it (bound from a secret, or an
    /// <c>env:NAME</c> / <c>file:PATH</c> reference): split into <c>ProxyUserName=</c> and <c>ProxyUserPassword=</c>.
    /// Use it or <see cref="ProxyUserName"/> with <see cref="ProxyPasswordRef"/>, not both.
    /// </summary>
    public string? ProxyCredential { get; init; }

    /// <summary>Where to install (<c>InstallationPath=</c>); <c>%ProgramFiles%\Azure Advanced Threat Protection Sensor</c> when absent.</summary>
    public string? InstallationPath { get; init; }

    /// <summary>Whether the sensor delays its automatic updates (<c>DelayedUpdate=true</c>).</summary>
    public bool DelayedUpdate { get; init; }
}
