using MdiFlow.Journal;
using Microsoft.Extensions.Options;

namespace MdiFlow.Workers;

/// <summary>How the hosted worker looks for work (see <c>AddMdiFlowWorker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>How long the worker waits between passes when nothing is due (a wake-up signal may end the wait sooner). Default 5 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many due instances are taken in one pass; a full pass is followed by the next at once. Default 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>The host this worker runs on, for host-affine steps (default: the engine's <c>HostName</c>).</summary>
    public string? HostName { get; set; }

    /// <summary>The account the worker acts as (the policy decides what it may run). Default: the process's OS account.</summary>
    public Actor Actor { get; set; } = new(Environment.UserName, ActorSources.OperatingSystem);

    /// <summary>After a pass fails (the store cannot be reached), the wait doubles from <see cref="PollInterval"/> up to this. Default 5 minutes.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An instance the worker may not run (the policy refused, its record disagrees) is looked at again only after this long. Default 10 minutes.</summary>
    public TimeSpan RecheckRefusedAfter { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>Checks <see cref="WorkerOptions"/> when the host starts, reporting every mistake at once.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.PollInterval <= TimeSpan.Zero || options.PollInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"Worker PollInterval is {options.PollInterval}; it must be more than zero and at most one day (for example 00:00:05).");
        }

        if (options.BatchSize is < 1 or > 10_000)
        {
            errors.Add($"Worker BatchSize is {options.BatchSize}; it must be from 1 to 10000.");
        }

        if (options.HostName is { } host && string.IsNullOrWhiteSpace(host))
        {
            errors.Add("Worker HostName is empty; leave it unset to use the engine's host name, or give this machine's name.");
        }

        if (options.Actor is null || string.IsNullOrWhiteSpace(options.Actor.Name))
        {
            errors.Add("Worker Actor has no name; the worker needs an account to act as (the policy decides what it may run).");
        }

        if (options.MaxBackoff < options.PollInterval)
        {
            errors.Add($"Worker MaxBackoff ({options.MaxBackoff}) is shorter than its PollInterval ({options.PollInterval}); it must be at least as long.");
        }

        if (options.RecheckRefusedAfter <= TimeSpan.Zero)
        {
            errors.Add($"Worker RecheckRefusedAfter is {options.RecheckRefusedAfter}; it must be more than zero.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
