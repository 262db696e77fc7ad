using MdiFlow.Activities;

namespace MdiFlow.Plugins.Standard.Processes;

/// <summary>The input of <c>process.run</c>: the program, its arguments, and what counts as success.</summary>
public sealed record ProcessRunInput
{
    /// <summary>
    /// The program to start: a path, or a bare name looked up on <c>PATH</c>. A relative path
    /// such as <c>./install.sh</c> is taken relative to <see cref="WorkingDirectory"/> when one is given.
    /// </summary>
    [NoSecrets(Alternative = "'environment' or 'stdin'")]
    public required string File { get; init; }

    /// <summary>
    /// The arguments, one per item. Each reaches the program exactly as written: no shell, no quoting rules. Every
    /// local user can read a command line (<c>ps</c>), so a secret bound here fails validation: use
    /// <see cref="Environment"/> or <see cref="Stdin"/>.
    /// </summary>
    [NoSecrets(Alternative = "'environment' or 'stdin'")]
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Environment variables for the program (besides the host's own); the place for secrets, which no other user can read.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Text written to the program's standard input, then closed; also a place for secrets.</summary>
    public string? Stdin { get; init; }

    /// <summary>The folder the program starts in; the host's current folder when absent.</summary>
    [NoSecrets(Alternative = "'environment' or 'stdin'")]
    public string? WorkingDirectory { get; init; }

    /// <summary>How long the program may run, as ISO 8601 (<c>PT5M</c>) or <c>hh:mm:ss</c>; no limit when absent. The whole process tree is killed when it runs out.</summary>
    public string? Timeout { get; init; }

    /// <summary>The exit codes that mean success; <c>[0]</c> when absent.</summary>
    public IReadOnlyList<int> SuccessExitCodes { get; init; } = [0];

    /// <summary>
    /// The failing exit codes a retry may fix; when absent, every failing exit code is retried under the step's
    /// <c>retry</c>. A code not listed fails the step at once (marked permanent).
    /// </summary>
    public IReadOnlyList<int>? RetryableExitCodes { get; init; }

    /// <summary>Whether the program needs administrator rights (root on Linux and macOS). MdiFlow does not elevate: the step fails when the host is not already elevated.</summary>
    public bool Elevated { get; init; }
}
