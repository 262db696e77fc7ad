using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Activities;

/// <summary>
/// Checks, when the engine is created, that every installed activity can be constructed from the registered services,
/// and names every activity and every service it lacks at once (rather than one failed step at a time).
/// </summary>
internal static class ActivityServices
{
    /// <exception cref="MdiFlowConfigurationException">Some activities need services that are not registered.</exception>
    public static void Check(ActivityCatalog catalog, IServiceProvider services)
    {
        if (services.GetService<IServiceProviderIsService>() is not { } registered)
        {
            return; // a container that cannot say what it holds: the step that cannot be built fails cleanly instead
        }

        var problems = new List<string>();
        foreach (var activity in catalog.All)
        {
            if (!registered.IsService(activity.Implementation))
            {
                problems.Add($"'{activity.Name}' ({activity.Implementation.FullName}) is not registered as a service; install it with AddActivitiesFrom or AddActivity.");
                continue;
            }

            if (Missing(activity.Implementation, registered) is { Count: > 0 } missing)
            {
                problems.Add($"'{activity.Name}' ({activity.Implementation.FullName}) needs {string.Join(", ", missing.Select(t => t.FullName))}, which {(missing.Count == 1 ? "is" : "are")} not registered.");
            }
        }

        if (problems.Count > 0)
        {
            throw new MdiFlowConfigurationException(
                $"{problems.Count} installed activit{(problems.Count == 1 ? "y" : "ies")} cannot be created from the registered services:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Select(p => "  " + p))}{Environment.NewLine}Register the services (each plugin's Add... extension registers its own), or do not install the activities.",
                problems);
        }
    }

    /// <summary>The services the most satisfiable public constructor lacks; none when one constructor can be satisfied.</summary>
    private static List<Type>? Missing(Type implementation, IServiceProviderIsService registered)
    {
        List<Type>? fewest = null;
        foreach (var constructor in implementation.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
        {
            var missing = constructor.GetParameters()
                .Where(p => !p.HasDefaultValue && !registered.IsService(p.ParameterType))
                .Select(p => p.ParameterType)
                .ToList();
            if (missing.Count == 0)
            {
                return null;
            }

            if (fewest is null || missing.Count < fewest.Count)
            {
                fewest = missing;
            }
        }

        return fewest;
    }
}

/// <summary>The services MdiFlow was given cannot work as configured; the message lists every problem.</summary>
public sealed class MdiFlowConfigurationException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public MdiFlowConfigurationException(string message, IReadOnlyList<string> problems)
        : base(message) => Problems = problems;

    /// <summary>Creates the exception.</summary>
    public MdiFlowConfigurationException()
    {
        Problems = [];
    }

    /// <summary>Creates the exception.</summary>
    public MdiFlowConfigurationException(string message)
        : base(message)
    {
        Problems = [];
    }

    /// <summary>Creates the exception.</summary>
    public MdiFlowConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    /// <summary>Every problem found, one sentence each.</summary>
    public IReadOnlyList<string> Problems { get; }
}
