using MdiFlow.Lab.Profiles;
using MdiFlow.Plugins.DefenderForIdentity.Host;

namespace MdiFlow.Lab.StandIn;

/// <summary>One run of the stand-in setup, step by step as the real one goes: command line, files, key, registration, MSI.</summary>
internal sealed class SetupRun
{
    private static readonly Guid DefenderForIdentityPlan = Guid.Parse("14ab5db5-e6c4-4b20-b4bc-13e36fd2227f");

    private readonly StandInContext _context;
    private readonly IReadOnlyList<string> _arguments;
    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly LabState _state;
    private readonly LabProfile _profile;
    private readonly SetupSwitches _switches;
    private readonly SetupLogs _logs;
    private readonly string _tenantKey;
    private readonly string? _fileKey;

    public SetupRun(StandInContext context, IReadOnlyList<string> arguments, TextWriter output, TimeProvider time)
    {
        _context = context;
        _arguments = arguments;
        _output = output;
        _time = time;
        _state = new LabState(context.StateDirectory);
        _profile = LabProfile.Load(context.Profile);
        _switches = SetupSwitches.Parse(arguments);
        _tenantKey = _state.ReadAccessKey();
        _fileKey = _switches.AccessKeyFile is { } file && File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        string?[] secrets = [_tenantKey, _profile.Tenant.DeploymentAccessKey, _fileKey, _switches.AccessKey, _switches.ProxyUserPassword];
        _logs = new SetupLogs(_switches.LogsPath ?? Path.GetTempPath(), time, secrets.OfType<string>());
    }

    private string Version => _profile.Installer.SensorVersion;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _logs.Bundle('i', 1, $"Burn v3.14.1.8722, Windows v10.0 (Build 20348: Service Pack 0), path: {_context.SetupPath}");
        _logs.Bundle('i', 9, $"Command Line: '{_switches.MaskedCommandLine}'");

        string[] keys = [.. new[] { _tenantKey, _profile.Tenant.DeploymentAccessKey, _fileKey }.OfType<string>().Where(k => k.Length >= 8)];
        if (CommandLineInspection.Holds(CommandLineInspection.OwnCommandLine(_arguments), keys))
        {
            return await FailAsync(SetupExitCodes.KeyOnCommandLine,
                "The deployment access key is on this process's command line, where every user of the server can read it. Pass it in a file with AccessKeyFile=PATH instead.").ConfigureAwait(false);
        }

        if (!_switches.Quiet)
        {
            _logs.Bundle('w', 0, "Running without /quiet: the real setup opens its wizard and waits for someone at the console. Pass /quiet for an unattended install.");
        }

        foreach (var variable in CommandLineInspection.EnvironmentVariablesHolding(keys))
        {
            _logs.Bundle('w', 0, $"The deployment access key is in the environment variable {variable} of the setup process; remove it from the environment the setup inherits.");
        }

        if (_switches.Problems.Count > 0)
        {
            foreach (var problem in _switches.Problems.Skip(1))
            {
                _logs.Bundle('e', 0, problem);
            }

            return await FailAsync(SetupExitCodes.InvalidArgument, _switches.Problems[0]).ConfigureAwait(false);
        }

        if (!SetupLocation.TryReadWorkspace(_context.SetupPath, out var workspace, out var locationProblem))
        {
            return await FailAsync(SetupExitCodes.FileNotFound, locationProblem).ConfigureAwait(false);
        }

        if (ReadKey() is not { } key)
        {
            return await FailAsync(
                _switches.AccessKeyFile is null ? SetupExitCodes.InvalidArgument : SetupExitCodes.FileNotFound,
                _switches.AccessKeyFile is null
                    ? "AccessKey or AccessKeyFile is required for a silent installation."
                    : $"The access key file '{_switches.AccessKeyFile}' cannot be read.").ConfigureAwait(false);
        }

        FileStream installLock;
        try
        {
            installLock = new FileStream(_state.InstallLockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return await FailAsync(SetupExitCodes.InstallAlreadyRunning, "Another installation is already in progress. Complete that installation before proceeding with this install.").ConfigureAwait(false);
        }

        using (installLock)
        {
            return await InstallAsync(workspace, key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> InstallAsync(string workspace, string key, CancellationToken cancellationToken)
    {
        var installPath = _switches.InstallationPath ?? _state.DefaultInstallPath;
        _logs.Deployer("Info", "SensorDeployer", $"Deploying sensor [Version={Version} Workspace={workspace} InstallationPath={installPath} DelayedUpdate={_switches.DelayedUpdate} ProxyUrl={_switches.ProxyUrl ?? "none"} NetFrameworkCommandLineArguments={_switches.NetFrameworkCommandLineArguments ?? "none"}]");
        var ping = new Uri(_context.SensorApi, $"{workspace}/tri/sensor/api/ping");
        var (reachability, detail) = await SensorRegistration.PingAsync(ping, _switches, cancellationToken).ConfigureAwait(false);
        _logs.Deployer(reachability == Reachability.Reached ? "Info" : "Error", "SensorApiClient", $"Sensor API ping {ping} {(_switches.ProxyUrl is { } proxy ? "through " + proxy : "direct")}: {detail}");
        if (reachability == Reachability.Unreachable)
        {
            return await MsiFailedAsync("The sensor API cannot be reached. Check connectivity to the workspace's sensor API, or retry with ProxyUrl.").ConfigureAwait(false);
        }

        var refusal = reachability == Reachability.RefusedByProxy ? $"the proxy refused the call to the sensor API ({detail})"
            : key != _tenantKey ? "the access key is not the workspace's current deployment access key"
            : !HasDefenderForIdentityLicence() ? "the tenant holds no enabled Defender for Identity licence"
            : _profile.Installer.Outcome == LabInstallerOutcome.LicenseInvalid ? "the service refused the registration (host profile)"
            : null;
        if (refusal is not null)
        {
            _logs.Deployer("Info", "InteractiveDeploymentManager", "ValidateCreateSensorAsync returned [validateCreateSensorResult=LicenseInvalid]");
            _logs.Deployer("Error", "InteractiveDeploymentManager", $"Sensor registration failed: {refusal}.");
            _logs.Deployer("Debug", "SensorBootstrapperApplication", $"Engine.Quit [deploymentResultStatus={SetupExitCodes.LicenseInvalid} isRestartRequired=False]");
            return await FailAsync(SetupExitCodes.LicenseInvalid, $"Failed to register the sensor due to licensing issues: {refusal}.").ConfigureAwait(false);
        }

        _logs.Deployer("Info", "InteractiveDeploymentManager", "ValidateCreateSensorAsync returned [validateCreateSensorResult=Success]");
        if (_profile.Installer.Outcome == LabInstallerOutcome.MsiFailed)
        {
            return await MsiFailedAsync("The MSI package failed (host profile).").ConfigureAwait(false);
        }

        _logs.Msi(_context.SetupPath, Version, 0);
        var reboot = _profile.Installer.Outcome == LabInstallerOutcome.RebootRequired;
        Install(installPath);
        if (_profile.Installer.Outcome == LabInstallerOutcome.RestartDuringInstall)
        {
            // The server restarts under the setup: no exit code is logged, everything on the server stops.
            _logs.Bundle('i', 319, "Applied execute package: MsiPackage, result: 0x0, restart: Initiated");
            _logs.Bundle('i', 420, "Resuming automatic updates.");
            _logs.Bundle('i', 7, "Restarting computer...");
            _state.MarkRestarting();
            return SetupExitCodes.RebootInitiated;
        }

        _logs.Bundle('i', 319, $"Applied execute package: MsiPackage, result: 0x0, restart: {(reboot ? "Required" : "None")}");
        _logs.Deployer("Debug", "SensorBootstrapperApplication", $"Engine.Quit [deploymentResultStatus=0 isRestartRequired={reboot}]");
        var code = reboot ? SetupExitCodes.RebootRequired : SetupExitCodes.Success;
        _logs.Bundle('i', 500, $"Shutting down, exit code: {SetupExitCodes.Hex(code)}");
        return code;
    }

    private void Install(string installPath)
    {
        // Only a path this machine can hold becomes a folder; a Windows path in a rehearsal on Linux is only recorded.
        if (Path.IsPathFullyQualified(installPath))
        {
            var logs = Directory.CreateDirectory(Path.Combine(installPath, Version, "Logs"));
            File.AppendAllText(Path.Combine(logs.FullName, "Microsoft.Tri.Sensor-Errors.log"), "");
            File.AppendAllText(Path.Combine(logs.FullName, "Microsoft.Tri.Sensor.log"), $"{_time.GetUtcNow():yyyy-MM-dd HH:mm:ss.ffff} Info  SensorService Sensor {Version} started{Environment.NewLine}");
        }

        _state.WriteSensor(new InstalledSensor
        {
            Installation = new SensorInstallation
            {
                Installed = true,
                Version = Version,
                InstallPath = installPath,
                Services = [new ServiceFacts("AATPSensor", true, "LocalService"), new ServiceFacts("AATPSensorUpdater", true, "LocalSystem")],
            },
            DelayedUpdate = _switches.DelayedUpdate,
            ProxyUrl = _switches.ProxyUrl,
            InstalledAt = _time.GetUtcNow(),
        });
        _state.IncrementInstallCount();
        HoldIfAsked();
    }

    private static void HoldIfAsked()
    {
        var hold = Environment.GetEnvironmentVariable(StandInVariables.HoldAfterInstall);
        if (string.IsNullOrEmpty(hold))
        {
            return;
        }

        using var released = new ManualResetEventSlim();
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(Path.GetFullPath(hold))!, Path.GetFileName(hold)) { EnableRaisingEvents = true };
        watcher.Created += (_, _) => released.Set();
        while (!File.Exists(hold))
        {
            released.Wait(TimeSpan.FromMilliseconds(100));
        }
    }

    private string? ReadKey()
    {
        if (_switches.AccessKeyFile is not null)
        {
            return _fileKey is { Length: > 0 } ? _fileKey : null;
        }

        if (_switches.AccessKey is { } key)
        {
            _logs.Bundle('w', 0, "AccessKey= puts the access key on the command line; use AccessKeyFile=PATH.");
            return key;
        }

        return null;
    }

    private bool HasDefenderForIdentityLicence() =>
        _profile.Tenant.SubscribedSkus.Any(sku => sku.CapabilityStatus is "Enabled" or "Warning" &&
            sku.ServicePlans.Any(plan => plan.ServicePlanId == DefenderForIdentityPlan && plan.ProvisioningStatus == "Success"));

    private async Task<int> MsiFailedAsync(string reason)
    {
        _logs.Msi(_context.SetupPath, Version, 1603);
        _logs.Bundle('e', 0, $"Error {SetupExitCodes.Hex(SetupExitCodes.MsiFailed)}: Failed to install MSI package.");
        _logs.Bundle('i', 319, $"Applied execute package: MsiPackage, result: {SetupExitCodes.Hex(SetupExitCodes.MsiFailed)}, restart: None");
        return await FailAsync(SetupExitCodes.MsiFailed, reason).ConfigureAwait(false);
    }

    private async Task<int> FailAsync(int code, string message)
    {
        _logs.Bundle('e', 0, message);
        _logs.Bundle('i', 500, $"Shutting down, exit code: {SetupExitCodes.Hex(code)}");
        await _output.WriteLineAsync(message).ConfigureAwait(false);
        return code;
    }
}
