using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.AccessKeys;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Secrets;
using Microsoft.Extensions.Options;

namespace MdiFlow.Plugins.DefenderForIdentity.Installation;

/// <summary>
/// <c>mdi.installSensor</c>: runs "Azure ATP sensor Setup.exe" silently from the extracted package, elevated,
/// with the access key in a private file, and interprets its exit code and logs.
/// </summary>
/// <remarks>
/// Before every run (not only on recovery) it asks whether the sensor is already installed and, if so,
/// completes without running the setup again: a first attempt may have installed it before the process
/// died or the setup restarted the server by itself, and re-running the setup on an installed sensor is never what a
/// deployment wants. On recovery it reads the interrupted run's logs and says what they show.
/// </remarks>
[Activity("mdi.installSensor", Description = "Installs the Defender for Identity sensor silently from the extracted package (the key in AccessKeyFile, never on the command line).", Recovery = RecoveryMode.CheckFirst, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class InstallSensorActivity(IHostFacts host, ISetupLauncher launcher, AccessKeyVault vault, IOptions<DefenderForIdentityOptions> options, RehearsalSandbox sandbox)
    : Activity<InstallSensorInput, InstallSensorOutput>
{
    public const string DefaultInstallationPath = @"%ProgramFiles%\Azure Advanced Threat Protection Sensor";

    protected override async ValueTask<ActivityResult> ExecuteAsync(InstallSensorInput input, ActivityContext context)
    {
        // An optional input bound from an absent value arrives empty.
        input = input with
        {
            ProxyUrl = Blank(input.ProxyUrl),
            ProxyUserName = Blank(input.ProxyUserName),
            ProxyPasswordRef = Blank(input.ProxyPasswordRef),
            ProxyCredential = Blank(input.ProxyCredential),
            InstallationPath = Blank(input.InstallationPath),
        };
        if (Check(input, context) is { } problem)
        {
            return problem;
        }

        if (PackageProblem(input.PackageDirectory) is { } packageProblem)
        {
            return ActivityResult.Fail(packageProblem);
        }

        var setup = SetupPackage.Find(input.PackageDirectory)!;
        ServerFacts server;
        SensorInstallation existing;
        try
        {
            server = await host.GetServerAsync(context.CancellationToken).ConfigureAwait(false);
            existing = await host.GetSensorAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException ex)
        {
            return HostProblems.Fail(context, "mdi.installSensor", ex);
        }

        var kind = server.IsDomainController || server.Roles.Count > 0 ? "sensor" : "standaloneSensor";
        var previous = context.IsRecovery ? PreviousAttempt(options.Value.InstallerLogDirectory) : null;
        if (existing.Installed)
        {
            return Complete(new InstallSensorOutput
            {
                RebootRequired = false,
                SensorKind = kind,
                InstallPath = existing.InstallPath,
                Version = existing.Version,
                AlreadyInstalled = true,
                PreviousAttempt = previous,
                Note = $"The sensor{(existing.Version is null ? "" : " " + existing.Version)} is already installed on {server.ComputerName}; the setup was not run again.",
            });
        }

        if (!server.IsElevated)
        {
            return ActivityResult.Fail(new ActivityError(
                "install.notElevated",
                $"The sensor setup must run elevated, but MdiFlow is not running as administrator on {server.ComputerName}. MdiFlow never elevates by itself.", Permanent: true)
            {
                Fix = "Run the MdiFlow worker from an elevated prompt (Run as administrator) or as a service with administrator rights on this server, then retry the step.",
            });
        }

        string accessKey;
        string? proxyPassword;
        try
        {
            accessKey = ResolveAccessKey(input.AccessKey);
            proxyPassword = Secret("proxyPasswordRef", input.ProxyPasswordRef);
            if (Secret("proxyCredential", input.ProxyCredential) is { } credential)
            {
                var pair = credential.Split(':', 2);
                input = input with { ProxyUserName = pair[0] };
                proxyPassword = pair.Length > 1 ? pair[1] : "";
            }
        }
        catch (Exception ex) when (ex is SecretException or AccessKeyVaultException)
        {
            return ActivityResult.Fail(new ActivityError("install.secretUnavailable", ex.Message)
            {
                Fix = "Make the secret available to this step (set the variable, restore the file, or run mdi.getAccessKey on this host first), then retry.",
            });
        }

        // The engine masks both wherever they might surface (outputs, errors, logs).
        context.RegisterSecret(accessKey);
        if (proxyPassword is not null)
        {
            context.RegisterSecret(proxyPassword);
        }

        return await RunSetupAsync(input, context, setup, kind, accessKey, proxyPassword, previous).ConfigureAwait(false);
    }

    /// <summary>What the newest setup logs say about an interrupted attempt, or null when they show nothing unusual.</summary>
    private static string? PreviousAttempt(string logDirectory)
    {
        var bundle = InstallerLogs.Latest(logDirectory, []).FirstOrDefault(l => l.Kind == "bundle");
        if (bundle is null)
        {
            return "The interrupted attempt left no setup log: the setup had not started.";
        }

        return InstallerLogs.WasInterrupted(bundle.Path)
            ? $"The interrupted attempt's setup log {Path.GetFileName(bundle.Path)} ends without the setup's exit code: the setup was stopped mid-install (the server restarted, or MdiFlow's process was killed).{(bundle.Headline is { } last ? $" Its last telling line: \"{last}\"." : "")}"
            : $"The interrupted attempt's setup log {Path.GetFileName(bundle.Path)} shows the setup finished{(bundle.Headline is { } line ? $": \"{line}\"" : "")}.";
    }

    private async Task<ActivityResult> RunSetupAsync(InstallSensorInput input, ActivityContext context, string setup, string kind, string accessKey, string? proxyPassword, string? previous)
    {
        var logDirectory = options.Value.InstallerLogDirectory;
        var logs = InstallerLogs.Snapshot(logDirectory);

        // In a rehearsal the key file goes in the rehearsal's sandbox, like everything else this step writes.
        var keyFolder = sandbox.For(context) ?? Path.GetTempPath();
        var keyPath = AccessKeyFile.PathFor(keyFolder, context.InstanceId.Value, context.StepId);
        AccessKeyFile keyFile;
        try
        {
            // Tracked before it exists: a crash between the two still leaves nothing the engine does not remove.
            await context.TrackSecretFileAsync(keyPath).ConfigureAwait(false);
            Directory.CreateDirectory(keyFolder);
            keyFile = AccessKeyFile.Create(keyPath, accessKey);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ActivityResult.Fail(new ActivityError("install.accessKeyFile", $"The access key file {keyPath} could not be written: {ex.Message}")
            {
                Fix = "Make this account's temp folder writable, then retry.",
            });
        }

        int exitCode;
        using (keyFile)
        {
            var arguments = SetupArguments.Build(keyFile.Path, new SetupOptions(input.ProxyUrl, input.ProxyUserName, proxyPassword, input.InstallationPath, input.DelayedUpdate));
            context.Logger.LogSetupStarting(setup, string.Join(' ', SetupArguments.Shown(arguments)));
            try
            {
                exitCode = await launcher.RunAsync(new SetupInvocation(setup, arguments, logDirectory), context.CancellationToken).ConfigureAwait(false);
            }
            catch (HostFactsException ex)
            {
                return HostProblems.Fail(context, "mdi.installSensor", ex);
            }
        }

        if (!InstallOutcome.Succeeded(exitCode))
        {
            string[] secrets = proxyPassword is null ? [accessKey] : [accessKey, proxyPassword];
            return ActivityResult.Fail(InstallOutcome.Failure(exitCode, logs.Read(secrets)));
        }

        SensorInstallation installed;
        try
        {
            installed = await host.GetSensorAsync(context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostFactsException)
        {
            installed = new SensorInstallation { Installed = true };
        }

        var reboot = InstallOutcome.RebootRequired(exitCode);
        return Complete(new InstallSensorOutput
        {
            ExitCode = exitCode,
            RebootRequired = reboot,
            SensorKind = kind,
            InstallPath = installed.InstallPath ?? input.InstallationPath ?? DefaultInstallationPath,
            Version = installed.Version,
            AlreadyInstalled = false,
            PreviousAttempt = previous,
            Note = reboot ? "The setup needs a restart of the server to finish; plan it before verifying the sensor." : null,
        });
    }

    /// <summary>A secret input: a reference is read now; anything else is the value a secret binding gave.</summary>
    private static string? Secret(string name, string? value) =>
        value is null ? null : SecretReference.IsValid(value) ? SecretReference.Resolve(name, value) : value;

    private string ResolveAccessKey(string accessKey)
    {
        if (AccessKeyVault.IsReference(accessKey))
        {
            return vault.Read(accessKey);
        }

        return SecretReference.IsValid(accessKey) ? SecretReference.Resolve("accessKey", accessKey) : accessKey.Trim();
    }

    private static ActivityResult? Check(InstallSensorInput input, ActivityContext context)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(input.PackageDirectory))
        {
            problems.Add("'packageDirectory' is empty; give the folder the sensor package was extracted to");
        }

        if (string.IsNullOrWhiteSpace(input.AccessKey))
        {
            problems.Add("'accessKey' is empty; bind it from a secret ({{ secrets.accessKey }}) or from mdi.getAccessKey's accessKeyRef");
        }

        if (input.ProxyUrl is not null && !HttpUris.TryParse(input.ProxyUrl, out _))
        {
            problems.Add("'proxyUrl' is not an http or https URL such as http://proxy.contoso.com:8080");
        }

        if (input.ProxyPasswordRef is not null && input.ProxyUserName is null)
        {
            problems.Add("'proxyPasswordRef' is given without 'proxyUserName'");
        }

        if ((input.ProxyUserName is not null || input.ProxyCredential is not null) && input.ProxyUrl is null)
        {
            problems.Add("proxy credentials are given without 'proxyUrl'");
        }

        if (input.ProxyCredential is not null && (input.ProxyUserName is not null || input.ProxyPasswordRef is not null))
        {
            problems.Add("give 'proxyCredential' or 'proxyUserName' with 'proxyPasswordRef', not both");
        }

        return problems.Count == 0 ? null : InvalidInput.Fail(context, string.Join("; ", problems) + ".");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static ActivityError? PackageProblem(string directory)
    {
        if (SetupPackage.IsInsideZip(directory))
        {
            return new ActivityError("install.fromZip", $"'{directory}' is a zip file or a folder inside one; installing the sensor from the zip fails.", Permanent: true)
            {
                Fix = "Extract the package first (a zip.extract step) and give the extracted folder as 'packageDirectory'.",
            };
        }

        return SetupPackage.Find(directory) is null
            ? new ActivityError("install.setupNotFound", $"The folder '{directory}' holds no \"{SetupPackage.SetupFileName}\".", Permanent: true)
            {
                Fix = "Give the folder the sensor package (downloaded from the portal's Sensors page) was extracted to.",
            }
            : null;
    }
}
