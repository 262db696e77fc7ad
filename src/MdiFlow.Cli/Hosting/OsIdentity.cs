using MdiFlow.Journal;
using MdiFlow.Security;

namespace MdiFlow.Cli.Hosting;

/// <summary>Who acts: the operating-system account, or a name asserted with <c>--as</c> (which the engine accepts on rehearsals only).</summary>
internal static class OsIdentity
{
    /// <summary>The account this process runs as (not USER or LOGNAME, which anyone can set).</summary>
    public static Actor Current()
    {
        var user = Environment.UserName;
        var name = OperatingSystem.IsWindows() ? $"{Environment.UserDomainName}\\{user}" : user;
        var claims = FileStatus.CurrentUserId is { } uid
            ? new Dictionary<string, string> { ["uid"] = uid.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            : new Dictionary<string, string>();
        return new Actor(name, ActorSources.OperatingSystem) { Claims = claims };
    }

    /// <summary>The actor of a command: the asserted name when one is given (the engine refuses it on real instances), else the OS account.</summary>
    public static Actor For(string? asserted) =>
        string.IsNullOrWhiteSpace(asserted) ? Current() : new Actor(asserted.Trim(), ActorSources.Asserted);
}
