using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MdiFlow.Engine;

/// <summary>
/// The one entry point for running workflows: start instances, run or resume them, read them.
/// Every transition is persisted in the configured store before the engine moves on.
/// </summary>
public sealed class WorkflowEngine
{
    private readonly IWorkflowStore _store;
    private readonly TimeProvider _time;
    private readonly EngineOptions _options;
    private readonly StepExecutor _executor;
    private readonly LeaseKeeper _leases;
    private readonly DefinitionCache _definitions = new();
    private readonly GateKeeper _gates;
    private readonly StartPlans _starts;

    /// <summary>Creates the engine; normally resolved from DI after <c>AddMdiFlow</c>.</summary>
    public WorkflowEngine(
        IWorkflowStore store,
        ActivityCatalog catalog,
        WorkflowValidator validator,
        IServiceProvider services,
        TimeProvider time,
        IOptions<EngineOptions> options,
        OrganisationPolicy policy,
        ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _gates = new GateKeeper(policy);
        _store = store;
        _time = time;
        _options = options.Value;
        _executor = new StepExecutor(services, catalog, time, loggers ?? NullLoggerFactory.Instance);
        _leases = new LeaseKeeper(_options, time);
        _starts = new StartPlans(validator);
    }

    /// <summary>Validates the definition and inputs, then stores a new pending instance.</summary>
    /// <exception cref="WorkflowValidationException">The definition or the inputs have mistakes; all are listed.</exception>
    public async Task<WorkflowInstance> StartAsync(WorkflowDefinition definition, StartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var plan = _starts.Get(definition);
        if (plan.Errors.Count > 0)
        {
            throw new WorkflowValidationException($"Workflow '{definition.Id}'", plan.Errors);
        }

        var inputs = InputBinder.Bind(definition, request);
        var now = _time.GetUtcNow();
        var instance = new WorkflowInstance
        {
            Id = InstanceId.New(_time),
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            DefinitionHash = plan.Hash,
            Inputs = inputs,
            SecretReferences = new Dictionary<string, string>(request.Secrets, StringComparer.Ordinal),
            Status = InstanceStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Requester = request.Actor.Name,
            IsLab = request.IsLab,
            LabProfile = request.LabProfile,
            Steps = [.. definition.Steps.Select(s => new StepState { Id = s.Id, Uses = s.Uses })],
        };
        instance.AttachDefinition(plan.Snapshot);
        var created = JournalChain.Append(instance, request.Actor, now, JournalKinds.InstanceCreated, data: new JsonObject
        {
            ["workflow"] = definition.Id,
            ["version"] = definition.Version,
            ["definitionHash"] = instance.DefinitionHash,
            ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode?)JsonValue.Create(i.Key))]),
            ["secrets"] = new JsonArray([.. request.Secrets.Keys.Select(k => (JsonNode?)JsonValue.Create(k))]),
            ["lab"] = request.IsLab,
        });
        await _store.CreateAsync(instance, [created], cancellationToken).ConfigureAwait(false);
        return instance;
    }

    /// <summary>
    /// Runs an instance from where it stands until it completes, waits at a gate, schedules a retry or
    /// fails. A failed instance is resumed (its failed step gets a new series of attempts); an instance
    /// whose running process died is recovered (the interrupted step runs again, told it is a recovery).
    /// </summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">It waits at a gate, or another live process runs it.</exception>
    /// <exception cref="ConcurrencyException">Another process took it at the same moment.</exception>
    public async Task<RunResult> RunAsync(InstanceId id, RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instance = await RefreshAsync(id, cancellationToken).ConfigureAwait(false);
        var definition = _definitions.Get(instance);
        var session = new RunSession(instance, definition, _store, _executor, _leases, _options, _time, request);
        await session.RunAsync(cancellationToken).ConfigureAwait(false);
        return new RunResult(session.Instance);
    }

    /// <summary>Records a person's action at the gate an instance waits at: approve, reject, or complete a manual task.</summary>
    /// <returns>The instance after the action, and a note when the action changed nothing (an approval repeated).</returns>
    /// <exception cref="ActionNotAllowedException">The person may not act here (not an approver, the requester, not an assignee).</exception>
    /// <exception cref="InstanceStateException">The instance does not wait at that gate.</exception>
    public async Task<GateActionResult> ActAsync(InstanceId id, GateActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? note = null;
        var instance = await ChangeAsync(id, request.Actor, (instance, lifecycle, journal) =>
            note = _gates.Act(instance, lifecycle, request.Step, request.Action, request.Actor, request.Text, _time.GetUtcNow(), journal), cancellationToken).ConfigureAwait(false);
        return new GateActionResult(instance, note);
    }

    /// <summary>Reads an instance and acts on its expired gate (reject or escalate), saving the change.</summary>
    /// <remarks>Every command that touches an instance goes through here, so an expiry never waits for a worker.</remarks>
    public async Task<WorkflowInstance> RefreshAsync(InstanceId id, CancellationToken cancellationToken = default)
    {
        var instance = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (instance.Status != InstanceStatus.Waiting)
        {
            return instance; // only a waiting gate can expire
        }

        var entries = new List<JournalEntry>();
        var now = _time.GetUtcNow();
        if (_gates.Expire(instance, new InstanceLifecycle(instance), now, (kind, step, data) => entries.Add(JournalChain.Append(instance, Actor.Engine, now, kind, step, data))))
        {
            instance.UpdatedAt = now;
            await _store.SaveAsync(instance, entries, cancellationToken).ConfigureAwait(false);
        }

        return instance;
    }

    /// <summary>Marks a failed step skipped (with who and why in the journal) so a resume continues past it.</summary>
    /// <exception cref="InstanceStateException">The instance has not failed at that step, or the step may not be skipped.</exception>
    public Task<WorkflowInstance> SkipAsync(InstanceId id, string stepId, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (instance, lifecycle, journal) =>
        {
            var state = instance.FindStep(stepId)
                ?? throw new InstanceStateException(instance.Status, $"Instance {instance.Id} has no step '{stepId}'; its steps are: {string.Join(", ", instance.Steps.Select(s => s.Id))}.");
            if (state.Status != StepStatus.Failed)
            {
                throw new InstanceStateException(instance.Status, $"Step '{stepId}' of instance {instance.Id} is {state.Status.ToString().ToLowerInvariant()}, not failed; only a failed step can be skipped.");
            }

            if (!_definitions.Get(instance).Definition.FindStep(stepId)!.Skippable)
            {
                throw new InstanceStateException(instance.Status, $"Step '{stepId}' is marked \"skippable\": false in workflow {instance.WorkflowId}; it must succeed. Fix the cause and run 'mdiflow resume {instance.Id}'.");
            }

            lifecycle.Fire(LifecycleTrigger.Skip);
            state.Status = StepStatus.Skipped;
            state.SkipReason = $"skipped by {actor.Name}: {reason}";
            journal(JournalKinds.OperatorSkipped, stepId, new JsonObject { ["reason"] = reason, ["error"] = state.Error?.Code });
        }, cancellationToken);

    /// <summary>Points a rehearsal at another lab host profile (for example once the rehearsed cause is fixed).</summary>
    /// <exception cref="ActionNotAllowedException">The instance is not a rehearsal.</exception>
    public Task<WorkflowInstance> SwitchLabProfileAsync(InstanceId id, string profile, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (instance, _, journal) =>
        {
            if (!instance.IsLab)
            {
                throw new ActionNotAllowedException($"Instance {instance.Id} is not a rehearsal (it was not started with --lab), so it has no lab profile to switch.");
            }

            journal(JournalKinds.LabProfileSwitched, null, new JsonObject { ["from"] = instance.LabProfile, ["to"] = profile });
            instance.LabProfile = profile;
        }, cancellationToken);

    /// <summary>Ends an instance that is not finished (and not being run by a live process).</summary>
    /// <exception cref="InstanceStateException">It is finished, or a live process runs it.</exception>
    public Task<WorkflowInstance> CancelAsync(InstanceId id, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (instance, lifecycle, journal) =>
        {
            if (instance.Status == InstanceStatus.Running && instance.Lease is { } lease && !_leases.IsDead(lease))
            {
                throw new InstanceStateException(instance.Status, $"Instance {instance.Id} is being run by process {lease.ProcessId} on {lease.Host}; stop that run first (Ctrl+C), then cancel.");
            }

            if (instance.Status == InstanceStatus.Running)
            {
                lifecycle.Fire(LifecycleTrigger.Recover);
            }

            lifecycle.Fire(LifecycleTrigger.Cancel);
            instance.Lease = null;
            instance.DueAt = null;
            journal(JournalKinds.InstanceCancelled, null, new JsonObject { ["reason"] = reason });
        }, cancellationToken);

    /// <summary>
    /// Loads an instance, applies one person's action with its journal entries, and saves both in one
    /// transaction. When another writer got in first, the action is applied again to the fresh state, so
    /// two people acting at once both count and neither update is lost.
    /// </summary>
    private async Task<WorkflowInstance> ChangeAsync(
        InstanceId id,
        Actor actor,
        Action<WorkflowInstance, InstanceLifecycle, Action<string, string?, JsonObject?>> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var instance = await RefreshAsync(id, cancellationToken).ConfigureAwait(false);
            var entries = new List<JournalEntry>();
            var now = _time.GetUtcNow();
            change(instance, new InstanceLifecycle(instance), (kind, step, data) => entries.Add(JournalChain.Append(instance, actor, now, kind, step, data)));
            instance.UpdatedAt = now;
            try
            {
                await _store.SaveAsync(instance, entries, cancellationToken).ConfigureAwait(false);
                return instance;
            }
            catch (ConcurrencyException) when (attempt < 10)
            {
                // Someone else changed it between our read and our write: decide again on what they left.
            }
        }
    }

    /// <summary>Reads an instance.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    public async Task<WorkflowInstance> GetAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        await _store.FindAsync(id, cancellationToken).ConfigureAwait(false)
        ?? throw new InstanceNotFoundException($"No instance has the id {id}. Run 'mdiflow list' to see them.");

    /// <summary>Finds the instance whose id is, or starts with, <paramref name="idOrPrefix"/> (at least 6 characters).</summary>
    /// <exception cref="InstanceNotFoundException">None, or several, match.</exception>
    public async Task<InstanceId> ResolveAsync(string idOrPrefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrPrefix);
        var text = idOrPrefix.Trim().ToLowerInvariant();
        if (text.Length < 6)
        {
            throw new InstanceNotFoundException($"'{idOrPrefix}' is too short: give the full instance id or at least its first 6 characters.");
        }

        var matches = await _store.FindByPrefixAsync(text, 2, cancellationToken).ConfigureAwait(false);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new InstanceNotFoundException($"No instance id starts with '{text}'. Run 'mdiflow list' to see them."),
            _ => throw new InstanceNotFoundException($"More than one instance id starts with '{text}'; give more characters."),
        };
    }

    /// <summary>The definition an instance started with (its snapshot, not the file).</summary>
    public WorkflowDefinition DefinitionOf(WorkflowInstance instance) => _definitions.Get(instance).Definition;
}
