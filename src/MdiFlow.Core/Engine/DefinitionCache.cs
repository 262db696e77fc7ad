using System.Collections.Concurrent;
using MdiFlow.Definitions;
using MdiFlow.Instances;

namespace MdiFlow.Engine;

/// <summary>Parsed definition snapshots by hash, so resuming many instances of one workflow parses it once.</summary>
internal sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<string, WorkflowDefinition> _byHash = new(StringComparer.Ordinal);

    public WorkflowDefinition Get(WorkflowInstance instance) =>
        _byHash.GetOrAdd(instance.DefinitionHash, static (_, i) => WorkflowLoader.FromJson(i.Definition), instance);
}
