namespace MdiFlow.Lab;

/// <summary>What a lab environment simulates and where it keeps its state.</summary>
public sealed class LabOptions
{
    /// <summary>
    /// The host profile: a <c>.json</c> file, or the name of a profile built into the lab
    /// (<c>healthy-dc</c>, <c>no-licence</c>, ...; see <see cref="Profiles.LabProfile.BuiltInNames"/>).
    /// </summary>
    public required string ProfilePath { get; init; }

    /// <summary>
    /// The lab's persistent state: the simulated server (is the sensor installed, the install counter), the
    /// simulated tenant's access key, installer logs, the key vault and packages. Keep it across the processes
    /// of one rehearsal (run, then resume). Switching to another profile keeps the folder: it is the same simulated server, its cause fixed.
    /// </summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// How to start the stand-in setup: a program and its leading arguments, to which the setup's own arguments
    /// are appended, for example <c>["dotnet", "/opt/mdiflow/mdiflow.dll", "lab-setup"]</c> or
    /// <c>["/opt/mdiflow/mdiflow", "lab-setup"]</c>. The program must end by calling <see cref="StandIn.SetupStandIn.RunAsync"/>.
    /// </summary>
    public required IReadOnlyList<string> StandInCommand { get; init; }

    /// <summary>
    /// The one rehearsal instance this lab serves (each rehearsal has its own lab and state folder); null serves any
    /// instance, for tests of the lab itself.
    /// </summary>
    public MdiFlow.Instances.InstanceId? InstanceId { get; init; }

    /// <summary>The clock for the request log, tokens and the state (the system clock unless a test fakes it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
