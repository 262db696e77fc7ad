namespace MdiFlow.Testing.Platforms;

/// <summary>A fact that needs Unix (a shell and its tools, file modes): skipped, and said so, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs Unix: a shell and its tools, or file modes.";
        }
    }
}

/// <summary>A fact that needs Linux (process groups and /proc, a linux-x64 build): skipped, and said so, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux.";
        }
    }
}
