using MdiFlow.Instances;
using MdiFlow.Journal;

namespace MdiFlow.Cli.Hosting;

/// <summary>Who acts: the operating-system account, or a name asserted with <c>--as</c> on a rehearsal instance.</summary>
internal static class OsIdentity
{
    public static Actor Current()
    {
        var user = Environment.UserName;
        var name = OperatingSystem.IsWindows() ? $"{Environment.UserDomainName}\\{user}" : user;
        return new Actor(name, ActorSources.OperatingSystem);
    }

    /// <summary>The actor for a command on <paramref name="instance"/> (null: a new instance, lab when <paramref name="lab"/>).</summary>
    public static Actor For(string? asserted, WorkflowInstance? instance, bool lab = false)
    {
        if (string.IsNullOrWhiteSpace(asserted))
        {
            return Current();
        }

        var isLab = instance?.IsLab ?? lab;
        return isLab
            ? new Actor(asserted.Trim(), ActorSources.Asserted)
            : throw new NotAllowedException($"--as is accepted only for rehearsal instances (started with --lab). {(instance is null ? "This run is not a rehearsal" : $"Instance {instance.Id} is not a rehearsal")}: the actor is your operating-system account, {Current().Name}.");
    }
}
