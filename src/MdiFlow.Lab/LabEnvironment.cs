using System.Security.Cryptography;
using Azure.Core;
using MdiFlow.Lab.Host;
using MdiFlow.Lab.Packages;
using MdiFlow.Lab.Profiles;
using MdiFlow.Lab.Servers;
using MdiFlow.Lab.Servers.Graph;
using MdiFlow.Lab.Servers.Proxy;
using MdiFlow.Instances;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Rehearsals;

namespace MdiFlow.Lab;

/// <summary>
/// A running rehearsal lab: loopback servers that answer as Microsoft Graph, the workspace's sensor API and a
/// forward proxy do, a simulated server read from a host profile, and a stand-in setup started as a real process.
/// Point MdiFlow at it with <see cref="LabMdiFlowBuilderExtensions.UseDefenderForIdentityLab"/>.
/// </summary>
/// <example><code>
/// await using var lab = await LabEnvironment.StartAsync(new LabOptions
/// {
///     ProfilePath = "workflows/lab/proxy-required.json",
///     StateDirectory = ".mdiflow-lab/proxy-required",
///     StandInCommand = ["dotnet", "mdiflow.dll", "lab-setup"],
/// });
/// services.AddMdiFlow(flow => flow.UseSqlite("mdiflow.db")).UseDefenderForIdentityLab(lab);
/// </code></example>
public sealed class LabEnvironment : IRehearsalEnvironment, IAsyncDisposable
{
    private readonly LabState _state;
    private readonly LabRequestLog _log;
    private readonly GraphServer _graph;
    private readonly SensorApiServer _sensorApi;
    private readonly ForwardProxy _proxy;
    private readonly PackageServer _package;
    private CancellationTokenSource _restart = new();

    private LabEnvironment(LabOptions options, LabProfile profile, LabState state, LabRequestLog log, string token, GraphServer graph, SensorApiServer sensorApi, ForwardProxy proxy, PackageServer package)
    {
        _package = package;
        Options = options;
        Profile = profile;
        _state = state;
        _log = log;
        _graph = graph;
        _sensorApi = sensorApi;
        _proxy = proxy;
        HostFacts = new LabHostFacts(profile, state);
        AuditSettings = new LabAuditSettings(profile, state);
        SetupLauncher = new LabSetupLauncher(options.StandInCommand, state, options.ProfilePath, sensorApi.Address, RestartServer);
        Credential = new LabTokenCredential(token, options.TimeProvider);
        if (profile.Connectivity.Proxy is { UserName: { } user, Password: { } password })
        {
            state.WriteProxyCredential($"{user}:{password}");
            ProxyCredentialReference = "file:" + state.ProxyCredentialFile;
        }
    }

    /// <summary>The options the lab started with.</summary>
    public LabOptions Options { get; }

    /// <summary>The host profile being simulated.</summary>
    public LabProfile Profile { get; }

    /// <summary>The Graph root for <c>DefenderForIdentityOptions.GraphBaseAddress</c>, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri GraphBaseAddress => _graph.Address;

    /// <summary>The sensor package's download URL, as the lab's <c>getDeploymentPackageUri</c> hands it out.</summary>
    public Uri PackageDownloadUrl => _package.PackageUrl;

    /// <summary>The sensor API ping URL template for <c>DefenderForIdentityOptions.SensorApiUrlTemplate</c>, with <c>{workspace}</c>.</summary>
    public string SensorApiUrlTemplate => _sensorApi.UrlTemplate;

    /// <summary>The sensor API ping URL of the profile's workspace.</summary>
    public Uri SensorApiPingUrl => new(_sensorApi.UrlTemplate.Replace("{workspace}", Profile.Tenant.Workspace, StringComparison.Ordinal));

    /// <summary>The forward proxy, for <c>ProxyUrl=</c> and probes (credentials as the profile says).</summary>
    /// <remarks>A lab restarted on the same state folder listens on the same ports when they are free, so a proxy URL bound into an instance stays valid when it resumes.</remarks>
    public Uri ProxyAddress => _proxy.Address;

    /// <summary>
    /// The proxy's credentials as a secret reference, <c>file:PATH</c> to a file holding <c>user:password</c>
    /// (readable only by this account), for a workflow's proxy credential; null when the profile's proxy takes none.
    /// </summary>
    public string? ProxyCredentialReference { get; }

    /// <summary>The simulated server, for <see cref="IHostFacts"/>.</summary>
    public IHostFacts HostFacts { get; }

    /// <summary>The simulated server's event auditing, for <see cref="IAuditSettings"/>.</summary>
    public IAuditSettings AuditSettings { get; }

    /// <summary>Runs the stand-in setup as a child process, for <see cref="ISetupLauncher"/>.</summary>
    public ISetupLauncher SetupLauncher { get; }

    /// <summary>Hands out the lab's bearer token, the only one the lab's Graph accepts.</summary>
    public TokenCredential Credential { get; }

    /// <inheritdoc />
    public string Description => $"lab profile '{Profile.Name}'";

    /// <summary>Where activities confine what they write in this rehearsal (extracted packages, for example).</summary>
    public string SandboxDirectory => _state.SandboxDirectory;

    /// <inheritdoc />
    public bool Serves(InstanceId instance) => Options.InstanceId is not { } only || only == instance;

    /// <summary>The lab state folder (absolute).</summary>
    public string StateDirectory => _state.Directory;

    /// <summary>Where the setup writes its logs in the lab (the installing account's %TEMP%).</summary>
    public string InstallerLogDirectory => _state.LogDirectory;

    /// <summary>Where fetched access keys are kept in the lab.</summary>
    public string KeyVaultDirectory => _state.KeyVaultDirectory;

    /// <summary>
    /// Cancelled when the simulated server restarts under a run (the stand-in setup restarting it mid-install): link it
    /// into the run's cancellation, as a restarting server stops its MdiFlow worker. A fresh token follows each restart.
    /// </summary>
    public CancellationToken ServerRestarting => Volatile.Read(ref _restart).Token;

    /// <summary>How many times the simulated server restarted in this state folder.</summary>
    public int RestartCount => _state.ReadBootCount();

    /// <summary>How many times the stand-in setup installed the sensor in this state folder, across processes.</summary>
    public int InstallCount => _state.ReadInstallCount();

    /// <summary>Every request the lab's servers received, in arrival order (this process only).</summary>
    public IReadOnlyList<LabRequest> Requests => _log.Snapshot();

    /// <summary>Starts the servers and prepares the state folder.</summary>
    /// <exception cref="LabProfileException">The profile is missing or invalid.</exception>
    /// <exception cref="ArgumentException">The options are incomplete (an empty stand-in command).</exception>
    /// <exception cref="InvalidOperationException">The state folder belongs to another profile.</exception>
    public static async Task<LabEnvironment> StartAsync(LabOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StateDirectory);
        if (options.StandInCommand is not [{ Length: > 0 }, ..])
        {
            throw new ArgumentException("LabOptions.StandInCommand needs at least the program that runs the stand-in setup (for example [\"dotnet\", \"mdiflow.dll\", \"lab-setup\"]).", nameof(options));
        }

        var profile = LabProfile.Load(options.ProfilePath);
        var state = new LabState(options.StateDirectory);
        state.Initialise(profile);
        var log = new LabRequestLog(options.TimeProvider);
        var registry = new ProxyConnectionRegistry();
        var token = "mdiflow-lab." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var ports = state.ReadPorts();
        GraphServer? graph = null;
        SensorApiServer? sensorApi = null;
        PackageServer? package = null;
        try
        {
            package = await PackageServer.StartAsync(profile, state, log, registry, ports.Package, cancellationToken).ConfigureAwait(false);
            var packageServer = package;
            graph = await GraphServer.StartAsync(profile, state, log, registry, options.TimeProvider, token, () => packageServer.PackageUrl, ports.Graph, cancellationToken).ConfigureAwait(false);
            sensorApi = await SensorApiServer.StartAsync(profile, log, registry, ports.SensorApi, cancellationToken).ConfigureAwait(false);
            var graphPort = graph.Address.Port;
            var sensorApiPort = sensorApi.Address.Port;
            var packagePort = package.Address.Port;
            var proxy = new ForwardProxy(profile.Connectivity.Proxy, log, registry, port =>
                port == graphPort ? LabServer.Graph : port == sensorApiPort ? LabServer.SensorApi : port == packagePort ? LabServer.Package : null, ports.Proxy);
            state.WritePorts(new LabPorts(graphPort, sensorApiPort, proxy.Address.Port, packagePort));
            return new LabEnvironment(options, profile, state, log, token, graph, sensorApi, proxy, package);
        }
        catch
        {
            if (package is not null)
            {
                await package.DisposeAsync().ConfigureAwait(false);
            }

            if (sensorApi is not null)
            {
                await sensorApi.DisposeAsync().ConfigureAwait(false);
            }

            if (graph is not null)
            {
                await graph.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>
    /// Writes a rehearsal sensor package for the profile's workspace: a zip with the setup and
    /// SensorInstallationConfiguration.json, for a workflow to hash, extract and install from.
    /// </summary>
    /// <param name="zipPath">Where to write it (null: "Azure ATP Sensor Setup.zip" in the state folder's packages).</param>
    /// <returns>The zip's absolute path.</returns>
    public string CreateSensorPackage(string? zipPath = null)
    {
        var path = Path.GetFullPath(zipPath ?? Path.Combine(_state.PackagesDirectory, LabSensorPackage.FileName));
        LabSensorPackage.Write(path, Profile.Tenant.Workspace);
        return path;
    }

    /// <summary>The server restarts: it comes back at once, and whatever ran on it is told to stop.</summary>
    private OperationCanceledException RestartServer()
    {
        var stopping = Interlocked.Exchange(ref _restart, new CancellationTokenSource());
        _state.CompleteRestart();
        stopping.Cancel();
        return new OperationCanceledException($"The simulated server {Profile.Server.ComputerName} restarted during the sensor setup; resume the instance once it is back.", stopping.Token);
    }

    /// <summary>Stops the servers. The state folder stays, for the next process of the rehearsal.</summary>
    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync().ConfigureAwait(false);
        await _sensorApi.DisposeAsync().ConfigureAwait(false);
        await _graph.DisposeAsync().ConfigureAwait(false);
        await _package.DisposeAsync().ConfigureAwait(false);
    }
}
