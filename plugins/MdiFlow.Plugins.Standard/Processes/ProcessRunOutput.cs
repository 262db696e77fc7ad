namespace MdiFlow.Plugins.Standard.Processes;

/// <summary>The output of <c>process.run</c>.</summary>
public sealed record ProcessRunOutput
{
    /// <summary>The program's exit code.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The last few kilobytes (about 4 KB) of what the program wrote to standard output, without its final line break.</summary>
    public required string StdoutTail { get; init; }

    /// <summary>The last few kilobytes (about 4 KB) of what the program wrote to standard error, without its final line break.</summary>
    public required string StderrTail { get; init; }
}
