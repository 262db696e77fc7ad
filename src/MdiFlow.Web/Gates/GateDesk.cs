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

    /// <summary>Whether the instance's record verifies (the engine's check: keyed chain, agreement with the instance, seal, definition), in a sentence.</summary>
    public async Task<(bool Verified, string Text)> VerifyAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        var verdict = await engine.VerifyAsync(instance.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return verdict.Verified
            ? (true, $"verified with key {verdict.KeyId}: {verdict.Entries} entries, chain intact, agreeing with the instance; head {verdict.Head} at entry {verdict.HeadSeq}")
            : (false, string.Join("; ", verdict.Problems));
    }}
