using Azure.Core;
using MdiFlow.Hosting;
using MdiFlow.Plugins.DefenderForIdentity;
using MdiFlow.Plugins.DefenderForIdentity.Host;
using MdiFlow.Rehearsals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MdiFlow.Lab;

/// <summary>Points the Defender for Identity activities at a running lab.</summary>
public static class LabMdiFlowBuilderExtensions
{
    /// <summary>
    /// Registers the lab as the engine's rehearsal environment, replaces the host facts, the auditing settings, the setup launcher and the Graph credential with the lab's, and points
    /// <see cref="DefenderForIdentityOptions"/> at the lab's Graph and sensor API, with installer logs and the key
    /// vault under the lab state and the Microsoft certificate-chain check off (the lab speaks plain HTTP).
    /// Call it after the plugin's own registration; the lab must outlive the service provider.
    /// </summary>
    public static MdiFlowBuilder UseDefenderForIdentityLab(this MdiFlowBuilder builder, LabEnvironment lab)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(lab);
        var services = builder.Services;
        services.RemoveAll<IHostFacts>();
        services.AddSingleton(lab.HostFacts);
        services.RemoveAll<IAuditSettings>();
        services.AddSingleton(lab.AuditSettings);
        services.RemoveAll<ISetupLauncher>();
        services.AddSingleton(lab.SetupLauncher);
        services.RemoveAll<IRehearsalEnvironment>();
        services.AddSingleton<IRehearsalEnvironment>(lab);
        services.RemoveAll<TokenCredential>();
        services.AddSingleton(lab.Credential);
        services.Configure<DefenderForIdentityOptions>(options =>
        {
            options.GraphBaseAddress = lab.GraphBaseAddress;
            options.SensorApiUrlTemplate = lab.SensorApiUrlTemplate;
            options.RequireMicrosoftCertificateChain = false;
            options.InstallerLogDirectory = lab.InstallerLogDirectory;
            options.KeyVaultDirectory = lab.KeyVaultDirectory;
        });
        return builder;
    }
}
