namespace MdiFlow.Lab.Profiles;

/// <summary>A host profile cannot be used. The message names the profile and every JSON path at fault.</summary>
public sealed class LabProfileException : Exception
{
    /// <summary>Creates the exception for a profile and its problems (each one "JSON path: what is wrong").</summary>
    public LabProfileException(string profile, IReadOnlyList<string> problems)
        : base(Describe(profile, problems))
    {
        Profile = profile;
        Problems = problems;
    }

    /// <summary>Creates the exception.</summary>
    public LabProfileException()
        : this("(unknown)", [])
    {
    }

    /// <summary>Creates the exception.</summary>
    public LabProfileException(string message)
        : base(message)
    {
        Profile = "(unknown)";
        Problems = [message];
    }

    /// <summary>Creates the exception.</summary>
    public LabProfileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Profile = "(unknown)";
        Problems = [message];
    }

    /// <summary>The profile's file (or <c>built-in NAME</c>).</summary>
    public string Profile { get; }

    /// <summary>Every problem found, each starting with its JSON path.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(string profile, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"The lab profile '{profile}' cannot be used: {problems[0]}"
            : $"The lab profile '{profile}' cannot be used ({problems.Count} problems):{string.Concat(problems.Select(p => Environment.NewLine + "  " + p))}";
}
