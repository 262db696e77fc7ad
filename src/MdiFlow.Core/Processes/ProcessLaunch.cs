namespace MdiFlow.Processes;

/// <summary>What <see cref="ProcessLauncher.RunAsync"/> starts: a program, its arguments and environment, and how long it may run.</summary>
/// <remarks>
/// The program is started directly (no shell), each argument passed as one <see cref="System.Diagnostics.ProcessStartInfo.ArgumentList"/>
/// item, so no quoting rule can change it. Secrets belong in <see cref="Environment"/> or <see cref="Stdin"/>, never in
/// <see cref="Arguments"/>: a command line is readable by every account on the host.
/// </remarks>
public sealed record ProcessLaunch
{
    /// <summary>The program: a full path, or a name looked up on PATH.</summary>
    public required string File { get; init; }

    /// <summary>Its arguments, each passed as one.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The folder it starts in (default: the current one).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to (or replacing those of) the environment it inherits.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Text written to its standard input, which is then closed; null closes it at once.</summary>
    public string? Stdin { get; init; }

    /// <summary>How long it may run; after that it and every process it started are killed (<see cref="ProcessOutcome.TimedOut"/>).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many characters of each output stream are kept, the last ones (default 4096; <see cref="int.MaxValue"/> keeps all).</summary>
    public int KeepCharacters { get; init; } = 4096;

    /// <summary>After it exits, how long to wait for output pipes that programs it left running still hold open (default 5 seconds).</summary>
    public TimeSpan PipeGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock of <see cref="Timeout"/> and <see cref="PipeGrace"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>How a program launched by <see cref="ProcessLauncher.RunAsync"/> ended.</summary>
/// <param name="ExitCode">Its exit code (after a timeout, the code of the killed process).</param>
/// <param name="Output">What it wrote to standard output (the last <see cref="ProcessLaunch.KeepCharacters"/>, final line break removed).</param>
/// <param name="Error">What it wrote to standard error, likewise.</param>
/// <param name="TimedOut">True when it ran past <see cref="ProcessLaunch.Timeout"/> and was killed with every process it started.</param>
public sealed record ProcessOutcome(int ExitCode, string Output, string Error, bool TimedOut);
