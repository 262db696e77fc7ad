namespace MdiFlow.Activities;

/// <summary>The installed activities by name. Two activities with one name is a start-up error.</summary>
public sealed class ActivityCatalog
{
    private readonly Dictionary<string, ActivityDescriptor> _byName = new(StringComparer.Ordinal);

    /// <summary>Builds the catalog from activity types.</summary>
    /// <exception cref="InvalidOperationException">Two types share a name; the message names both.</exception>
    public ActivityCatalog(IEnumerable<ActivityRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        foreach (var type in registrations.Select(r => r.Type).Distinct())
        {
            var descriptor = ActivityDescriptor.For(type);
            if (_byName.TryGetValue(descriptor.Name, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two activities are named '{descriptor.Name}': {existing.Implementation.FullName} ({existing.Implementation.Assembly.GetName().Name}) and {type.FullName} ({type.Assembly.GetName().Name}). Rename one, or do not load both assemblies.");
            }

            _byName[descriptor.Name] = descriptor;
        }
    }

    /// <summary>Every activity, by name.</summary>
    public IEnumerable<ActivityDescriptor> All => _byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal);

    /// <summary>Finds an activity by name.</summary>
    public ActivityDescriptor? Find(string name) => _byName.GetValueOrDefault(name);
}

/// <summary>Marks an activity type as installed; <c>AddActivitiesFrom</c> adds one per type found.</summary>
/// <param name="Type">The activity type.</param>
public sealed record ActivityRegistration(Type Type);
