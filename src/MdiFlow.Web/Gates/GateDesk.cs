using MdiFlow.Engine;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Storage;

namespace MdiFlow.Web.Gates;

/// <summary>One waiting gate as the inbox lists it.</summary>
/// <param name="Gate">The gate.</param>
/// <param name="Title">The workflow's title (or id).</param>
/// <param name="StepTitle">The gate step's title (or id).</param>
/// <param name="Host">The host the instance last ran on.</param>
internal sealed record InboxRow(WaitingGate Gate, string Title, string StepTitle, string? Host);

/// <summary>Reads what the pages show. Reads only: every change goes through <see cref="WorkflowEngine.ActAsync"/>.</summary>
internal sealed class GateDesk(WorkflowEngine engine, IWorkflowStore store)
{
    public WorkflowEngine Engine => engine;

    public IWorkflowStore Store => store;

    public async Task<IReadOnlyList<InboxRow>> WaitingAsync(CancellationToken cancellationToken)
    {
        var rows = new List<InboxRow>();
        foreach (var summary in await store.ListAsync(new InstanceQuery(InstanceStatus.Waiting, 500), cancellationToken).ConfigureAwait(false))
        {
            if (await store.FindAsync(summary.InstanceId, cancellationToken).ConfigureAwait(false) is { } instance && WaitingGate.Of(instance) is { } gate)
            {
                var journal = await store.ReadJournalAsync(instance.Id, cancellationToken).ConfigureAwait(false);
                rows.Add(Row(gate, journal));
            }
        }

        return rows;
    }

    public InboxRow Row(WaitingGate gate, IReadOnlyList<JournalEntry> journal)
    {
        var definition = engine.DefinitionOf(gate.Instance);
        var step = definition.Steps.FirstOrDefault(s => s.Id == gate.Step.Id);
        return new InboxRow(gate, definition.Title ?? definition.Id, step?.Title ?? gate.Step.Id, WaitingGate.HostOf(journal));
    }

    /// <summary>The instance by id or unique prefix, with its journal.</summary>
    /// <exception cref="InstanceNotFoundException">None or several match.</exception>
    public async Task<(WorkflowInstance Instance, IReadOnlyList<JournalEntry> Journal)> ReadAsync(string idOrPrefix, CancellationToken cancellationToken)
    {
        var id = await engine.ResolveAsync(idOrPrefix, cancellationToken).ConfigureAwait(false);
        var instance = await engine.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var journal = await store.ReadJournalAsync(id, cancellationToken).ConfigureAwait(false);
        return (instance, journal);
    }

    /// <summary>Whether the journal's chain is intact and ends at the head the instance records.</summary>
    public static (bool Verified, string Text) Verify(WorkflowInstance instance, IReadOnlyList<JournalEntry> journal)
    {
        if (JournalChain.Verify(journal) is { } broken)
        {
            return (false, $"broken at entry {broken.Seq}: {broken.Reason}");
        }

        var head = journal.Count == 0 ? "" : journal[^1].Hash;
        return head == instance.JournalHead
            ? (true, $"verified: {journal.Count} entries, chain intact, head matches the instance")
            : (false, $"the journal ends at {head[..Math.Min(12, head.Length)]} but the instance records head {instance.JournalHead[..Math.Min(12, instance.JournalHead.Length)]}: entries were removed or added outside MdiFlow");
    }
}
