namespace MdiFlow.Plugins.Standard.Tests.Support;

/// <summary>A fact that needs a Unix shell and Unix tools (sh, sleep, printf).</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs a Unix shell.";
        }
    }
}
