using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Storage;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Pages;

namespace MdiFlow.Web.Notifications;

/// <summary>
/// Notices, poll by poll, which gates opened, got a decision, or near their expiry. What it has seen is kept in this
/// process only (durable delivery state is a request to Core): after a restart, a gate is announced again only if it
/// opened within <see cref="NotificationOptions.AnnounceOnStartWithin"/>.
/// </summary>
internal sealed class GateWatcher(IWorkflowStore store, WorkflowEngine engine, TimeProvider time, NotificationOptions options, Uri baseUrl)
{
    private readonly Dictionary<(string Instance, string Step), Seen> _seen = [];
    private bool _pastFirstPoll;

    public async Task<IReadOnlyList<GateEvent>> PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var events = new List<GateEvent>();
        var current = new HashSet<(string, string)>();
        foreach (var summary in await store.ListAsync(new InstanceQuery(InstanceStatus.Waiting, 500), cancellationToken).ConfigureAwait(false))
        {
            if (await store.FindAsync(summary.InstanceId, cancellationToken).ConfigureAwait(false) is not { } instance || WaitingGate.Of(instance) is not { } gate)
            {
                continue;
            }

            var key = (instance.Id.Value, gate.Step.Id);
            current.Add(key);
            var title = Title(instance, gate.Step.Id);
            if (!_seen.TryGetValue(key, out var seen))
            {
                if (_pastFirstPoll || gate.Since is not { } since || now - since <= options.AnnounceOnStartWithin)
                {
                    events.Add(Event("gate.opened", gate, title, Waits(gate), now));
                }

                seen = new Seen(gate.Decisions.Count, Warned: false);
            }
            else if (gate.Decisions.Count > seen.Decisions)
            {
                events.Add(Event("gate.decided", gate, title, Decided(gate.Decisions[^1]) + $" It has {gate.Approvals} of {gate.MinApprovals} approvals.", now));
                seen = seen with { Decisions = gate.Decisions.Count };
            }

            if (!seen.Warned && gate.ExpiresAt is { } due && due > now && due - now <= options.ExpiryWarning)
            {
                events.Add(Event("gate.expiring", gate, title, $"The gate expires at {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({(gate.Approval?.OnExpiry ?? "reject")} then) with {gate.Approvals} of {gate.MinApprovals} approvals.", now));
                seen = seen with { Warned = true };
            }

            _seen[key] = seen;
        }

        foreach (var gone in _seen.Keys.Where(k => !current.Contains(k)).ToList())
        {
            _seen.Remove(gone);
            if (await store.FindAsync(new InstanceId(gone.Instance), cancellationToken).ConfigureAwait(false) is { } instance && instance.FindStep(gone.Step) is { Gate: { } request } step)
            {
                var last = request.Kind == GateKinds.Approval ? ApprovalGate.From(request.Details).Decisions.LastOrDefault() : null;
                var text = (last is null ? $"Step '{step.Id}' is {step.Status.ToString().ToLowerInvariant()}." : Decided(last)) + $" The instance is {InstancePage.Name(instance.Status)}.";
                events.Add(new GateEvent("gate.decided", gone.Instance, gone.Step, Title(instance, gone.Step), text, Link(gone.Instance, gone.Step), now));
            }
        }

        _pastFirstPoll = true;
        return events;
    }

    private GateEvent Event(string kind, WaitingGate gate, string title, string summary, DateTimeOffset now) =>
        new(kind, gate.Instance.Id.Value, gate.Step.Id, title, summary, Link(gate.Instance.Id.Value, gate.Step.Id), now);

    private Uri Link(string instance, string step) => new(baseUrl, GatePage.Path(instance, step).TrimStart('/'));

    private string Title(WorkflowInstance instance, string stepId)
    {
        var definition = engine.DefinitionOf(instance);
        return $"{definition.Title ?? definition.Id}: {definition.Steps.FirstOrDefault(s => s.Id == stepId)?.Title ?? stepId}";
    }

    private static string Waits(WaitingGate gate) => gate.Approval is { } a
        ? $"{gate.Instance.Requester} asks for {a.MinApprovals} approval(s) from {string.Join(", ", a.Approvers)}."
        : $"{gate.Instance.Requester}'s change waits for a manual task{(gate.Deciders.Count > 0 ? $" ({string.Join(", ", gate.Deciders)})" : "")}.";

    private static string Decided(GateDecision decision) =>
        $"{decision.Actor} {(decision.Decision == "approve" ? "approved" : "rejected")}{(decision.Comment is { Length: > 0 } c ? $": {c}" : ".")}";

    private sealed record Seen(int Decisions, bool Warned);
}
