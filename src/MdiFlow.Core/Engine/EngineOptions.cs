namespace MdiFlow.Engine;

/// <summary>How the engine runs instances.</summary>
public sealed class EngineOptions
{
    /// <summary>How long a lease on a running instance lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The name of this host, recorded in leases.</summary>
    public string HostName { get; set; } = Environment.MachineName;

    /// <summary>Retry delays up to this long are waited for in process; longer ones park the instance as scheduled.</summary>
    public TimeSpan InProcessRetryLimit { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Checks <see cref="EngineOptions"/> when the host starts (or the engine is first resolved), reporting every mistake at once.</summary>
internal sealed class EngineOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<EngineOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Engine LeaseDuration is {options.LeaseDuration}; it must be at least 1 second: a step's lease is renewed every third of it, and once it runs out another process may take the instance over. The default is 5 minutes.");
        }

        if (string.IsNullOrWhiteSpace(options.HostName))
        {
            errors.Add("Engine HostName is empty; it names this machine in leases (the default is the machine name).");
        }

        if (options.InProcessRetryLimit < TimeSpan.Zero)
        {
            errors.Add($"Engine InProcessRetryLimit is {options.InProcessRetryLimit}; it must be zero (every retry parks the instance) or more.");
        }

        return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
    }
}
