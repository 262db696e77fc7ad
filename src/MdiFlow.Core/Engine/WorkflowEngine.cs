using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Rehearsals;
using MdiFlow.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MdiFlow.Engine;

/// <summary>
/// The one entry point for running workflows: start instances, run or resume them, act at their gates, read and
/// verify them. Every transition is persisted in the configured store, with keyed journal entries, before the engine
/// moves on; every rule about who may act is enforced here, whoever calls.
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
    private readonly JournalKeyProvider _keys;
    private readonly AccessRules _access;
    private readonly ILogger _log;
    private readonly ActivityCatalog _catalog;

    /// <summary>Creates the engine; normally resolved from DI after <c>AddMdiFlow</c>.</summary>
    /// <exception cref="Activities.MdiFlowConfigurationException">Installed activities need services that are not registered; every one is named.</exception>
    /// <exception cref="InvalidOperationException">Two gate deciders decide one kind, or one would decide a built-in kind.</exception>
    public WorkflowEngine(
        IWorkflowStore store,
        ActivityCatalog catalog,
        WorkflowValidator validator,
        IServiceProvider services,
        TimeProvider time,
        IOptions<EngineOptions> options,
        OrganisationPolicy policy,
        JournalKeyProvider keys,
        ILoggerFactory? loggers = null,
        IRehearsalEnvironment? rehearsal = null,
        IEnumerable<IGateDecider>? deciders = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(services);
        ActivityServices.Check(catalog, services);
        _gates = new GateKeeper(policy, time, GateKeeper.Index(deciders ?? []));
        _store = store;
        _time = time;
        _keys = keys;
        _options = options.Value;
        _executor = new StepExecutor(services, catalog, time, loggers ?? NullLoggerFactory.Instance, rehearsal);
        _log = (loggers ?? NullLoggerFactory.Instance).CreateLogger("MdiFlow.Engine");
        _leases = new LeaseKeeper(_options, time);
        _starts = new StartPlans(validator);
        _access = new AccessRules(policy, catalog, rehearsal);
        _catalog = catalog;
    }

    /// <summary>The organisation policy this engine enforces.</summary>
    public OrganisationPolicy Policy => _access.Policy;

    /// <summary>Validates the definition, the inputs and the policy's rules, then stores a new pending instance.</summary>
    /// <exception cref="WorkflowValidationException">The definition, the inputs or a gate's settings have mistakes; all are listed.</exception>
    /// <exception cref="ActionNotAllowedException">The policy does not let this actor start this workflow (or rehearse it) here.</exception>
    public async Task<WorkflowInstance> StartAsync(WorkflowDefinition definition, StartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(request);
        var plan = _starts.Get(definition);
        if (plan.Errors.Count > 0)
        {
            throw new WorkflowValidationException($"Workflow '{definition.Id}'", plan.Errors);
        }

        _access.CheckStart(definition, plan.Hash, request);
        var inputs = InputBinder.Bind(definition, request);
        var key = _keys.Get();
        var now = _time.GetUtcNow();
        var (labels, steps) = Placed(definition, request);
        var instance = new WorkflowInstance
        {
            Id = request.Id ?? InstanceId.New(_time),
            WorkflowId = definition.Id,
            WorkflowVersion = definition.Version,
            DefinitionHash = plan.Hash,
            Inputs = inputs,
            SecretMap = new Dictionary<string, string>(request.Secrets, StringComparer.Ordinal),
            Status = InstanceStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
            Requester = request.Actor.Name,
            IsRehearsal = request.Rehearsal,
            LabelMap = labels,
            StepList = steps,
        };
        var gateErrors = GateConfiguration.Check(definition, instance, _access.Policy);
        if (gateErrors.Count > 0)
        {
            throw new WorkflowValidationException($"Workflow '{definition.Id}' with these inputs", gateErrors);
        }

        instance.AttachDefinition(plan.Snapshot);
        var created = JournalChain.Append(key, instance, request.Actor, now, JournalKinds.InstanceCreated, data: new JsonObject
        {
            ["workflow"] = definition.Id,
            ["version"] = definition.Version,
            ["definitionHash"] = instance.DefinitionHash,
            ["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode?)JsonValue.Create(i.Key))]),
            ["secrets"] = new JsonArray([.. request.Secrets.Keys.Select(k => (JsonNode?)JsonValue.Create(k))]),
            ["rehearsal"] = request.Rehearsal,
            ["labels"] = new JsonObject(instance.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["policyHash"] = _access.Policy.Hash,
            ["journalKey"] = key.Id,
        });
        await _store.CreateAsync(instance, [created], cancellationToken).ConfigureAwait(false);
        return instance;
    }

    /// <summary>
    /// Where each step runs: a step whose activity must run on the target server gets the instance's target host (its
    /// <see cref="InstanceLabels.Host"/> label, else this host, which the label then records); the others run anywhere.
    /// </summary>
    private (Dictionary<string, string> Labels, List<StepState> Steps) Placed(WorkflowDefinition definition, StartRequest request)
    {
        var labels = new Dictionary<string, string>(request.Labels, StringComparer.Ordinal);
        var target = labels.GetValueOrDefault(InstanceLabels.Host) is { Length: > 0 } given ? given : _options.HostName;
        var steps = definition.Steps.Select(s => new StepState { Id = s.Id, Uses = s.Uses, Host = _catalog.Find(s.Uses)?.RunsOnTarget == true ? target : null }).ToList();
        if (steps.Any(s => s.Host is not null))
        {
            labels[InstanceLabels.Host] = target;
        }

        return (labels, steps);
    }

    /// <summary>
    /// Runs an instance from where it stands until it completes, waits at a gate, schedules a retry or fails. A failed
    /// instance is resumed (its failed step gets a new series of attempts); an instance whose running process died is
    /// recovered (files its step tracked as secret are removed first, then the step runs again, told it is a recovery).
    /// </summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="InstanceStateException">It waits at a gate, or another live process runs it.</exception>
    /// <exception cref="ActionNotAllowedException">The policy does not let this actor run it here (the refusal is journaled).</exception>
    /// <exception cref="IntegrityException">Its stored state disagrees with its record.</exception>
    /// <exception cref="ConcurrencyException">Another process took it at the same moment.</exception>
    public async Task<RunResult> RunAsync(InstanceId id, RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (instance, definition) = await RefreshAsync(id, requireKey: true, cancellationToken).ConfigureAwait(false);
        if (_access.RunProblem(instance, definition, request.Actor) is { } problem)
        {
            EngineLog.RunRefused(_log, request.Actor.Name, instance.Id, problem);
            await RecordRefusalAsync(instance, request.Actor, problem, cancellationToken).ConfigureAwait(false);
            throw new ActionNotAllowedException(problem);
        }

        var session = new RunSession(instance, definition, _store, _executor, _leases, _options, _time, request, _keys.Get(), _gates, _log);
        using var trace = MdiFlowTelemetry.Source.HasListeners() ? MdiFlowTelemetry.Source.StartActivity("run " + instance.WorkflowId) : null;
        trace?.SetTag("mdiflow.instance", instance.Id.Value);
        trace?.SetTag("mdiflow.workflow", instance.WorkflowId);
        EngineLog.RunStarted(_log, instance.Id, instance.WorkflowId, request.Actor.Name);
        var started = _time.GetTimestamp();
        try
        {
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            RunStopped(session.Instance, _time.GetElapsedTime(started), trace);
        }

        return new RunResult(session.Instance);
    }

    /// <summary>Records a person's action at the gate an instance waits at: approve, reject, or complete a manual task.</summary>
    /// <returns>The instance after the action, and a note when the action changed nothing (an approval repeated).</returns>
    /// <exception cref="ActionNotAllowedException">The person may not act here (not an approver, the requester, not an assignee, an asserted name on a real instance).</exception>
    /// <exception cref="ReauthenticationRequiredException">The policy needs a multi-factor or fresher sign-in for this decision; nothing was recorded.</exception>
    /// <exception cref="InstanceStateException">The instance does not wait at that gate.</exception>
    public async Task<GateActionResult> ActAsync(InstanceId id, GateActionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? note = null;
        var instance = await ChangeAsync(id, request.Actor, (instance, lifecycle, journal) =>
        {
            _access.CheckActor(instance.IsRehearsal, request.Actor, instance.Id);
            note = _gates.Act(instance, lifecycle, request.Step, request.Action, request.Actor, request.Text, _time.GetUtcNow(), journal);
        }, cancellationToken).ConfigureAwait(false);
        GateDecided(instance, request);
        return new GateActionResult(instance, note);
    }

    /// <summary>Whether <paramref name="actor"/> may take <paramref name="action"/> at the gate <paramref name="instance"/> waits at (to show or hide a button); <see cref="ActAsync"/> checks again.</summary>
    public GatePermission Permission(WorkflowInstance instance, Actor actor, GateAction action)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(actor);
        try
        {
            _access.CheckActor(instance.IsRehearsal, actor, instance.Id);
        }
        catch (ActionNotAllowedException ex)
        {
            return GatePermission.No(ex.Message);
        }

        return _gates.Permission(instance, actor, action);
    }

    /// <summary>Reads an instance, checked against its record, and acts on its expired gate (reject or escalate), saving the change.</summary>
    /// <remarks>Every command that touches an instance goes through here, so an expiry never waits for a worker.</remarks>
    /// <exception cref="IntegrityException">Its stored state disagrees with its record.</exception>
    public async Task<WorkflowInstance> RefreshAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        (await RefreshAsync(id, requireKey: false, cancellationToken).ConfigureAwait(false)).Instance;

    /// <summary>Marks a failed step skipped (with who and why in the journal) so a resume continues past it.</summary>
    /// <exception cref="InstanceStateException">The instance has not failed at that step, or the step may not be skipped (a gate, or <c>skippable: false</c>).</exception>
    /// <exception cref="ActionNotAllowedException">The step comes before a gate and the policy does not allow skipping such steps.</exception>
    public Task<WorkflowInstance> SkipAsync(InstanceId id, string stepId, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (instance, lifecycle, journal) =>
        {
            _access.CheckActor(instance.IsRehearsal, actor, instance.Id);
            var state = instance.FindStep(stepId)
                ?? throw new InstanceStateException(instance.Status, $"Instance {instance.Id} has no step '{stepId}'; its steps are: {string.Join(", ", instance.Steps.Select(s => s.Id))}.");
            if (state.Status != StepStatus.Failed)
            {
                throw new InstanceStateException(instance.Status, $"Step '{stepId}' of instance {instance.Id} is {state.Status.ToString().ToLowerInvariant()}, not failed; only a failed step can be skipped.");
            }

            var definition = _definitions.Get(instance).Definition;
            _access.CheckSkip(instance, definition, definition.FindStep(stepId)!);
            lifecycle.Fire(LifecycleTrigger.Skip);
            state.Status = StepStatus.Skipped;
            state.SkipReason = $"skipped by {actor.Name}: {reason}";
            journal(JournalKinds.OperatorSkipped, stepId, new JsonObject { ["reason"] = reason, ["error"] = state.Error?.Code });
        }, cancellationToken);

    /// <summary>
    /// Changes inputs of a failed instance, so a resume runs its failed step (and the steps after it) with corrected
    /// values; the definition stays the one it started with. Journaled as an operator change: input values from and to,
    /// secrets by name only.
    /// </summary>
    /// <exception cref="InstanceStateException">The instance has not failed.</exception>
    /// <exception cref="ActionNotAllowedException">The actor may not run it, or a gate was already decided with the inputs as they were.</exception>
    /// <exception cref="WorkflowValidationException">A value is not declared, not of its type, or a secret is not a reference; all are listed.</exception>
    public Task<WorkflowInstance> ChangeInputsAsync(InstanceId id, InputChange change, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ChangeAsync(id, actor, (instance, _, journal) =>
        {
            _access.CheckActor(instance.IsRehearsal, actor, instance.Id);
            InputChanges.Apply(instance, _definitions.Get(instance).Definition, change, actor, _access, journal);
        }, cancellationToken);
    }

    /// <summary>Sets a label of an instance (for a rehearsal, <c>lab.profile</c>: the lab host profile it runs against), journaled.</summary>
    public Task<WorkflowInstance> SetLabelAsync(InstanceId id, string name, string value, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        return ChangeAsync(id, actor, (instance, _, journal) =>
        {
            _access.CheckActor(instance.IsRehearsal, actor, instance.Id);
            journal(JournalKinds.LabelChanged, null, new JsonObject { ["label"] = name, ["from"] = instance.Labels.GetValueOrDefault(name), ["to"] = value });
            instance.LabelMap[name] = value;
        }, cancellationToken);
    }

    /// <summary>Ends an instance that is not finished (and not being run by a live process).</summary>
    /// <exception cref="InstanceStateException">It is finished, or a live process runs it.</exception>
    public Task<WorkflowInstance> CancelAsync(InstanceId id, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, actor, (instance, lifecycle, journal) =>
        {
            _access.CheckActor(instance.IsRehearsal, actor, instance.Id);
            if (instance.Status == InstanceStatus.Running && instance.Lease is { } lease && !_leases.IsDead(lease))
            {
                throw new InstanceStateException(instance.Status, $"Instance {instance.Id} is being run by process {lease.ProcessId} on {lease.Host}; stop that run first (interrupt it), then cancel.");
            }

            if (instance.Status == InstanceStatus.Running)
            {
                lifecycle.Fire(LifecycleTrigger.Recover);
                SecretFiles.RemoveInterrupted(instance, journal);
            }

            lifecycle.Fire(LifecycleTrigger.Cancel);
            instance.Lease = null;
            instance.DueAt = null;
            journal(JournalKinds.InstanceCancelled, null, new JsonObject { ["reason"] = reason });
        }, cancellationToken);

    /// <summary>Reads an instance, checked against its seal, its journal and its definition's hash where the journal key can be read.</summary>
    /// <exception cref="InstanceNotFoundException">No such instance.</exception>
    /// <exception cref="IntegrityException">Its stored state disagrees with its record.</exception>
    public async Task<WorkflowInstance> GetAsync(InstanceId id, CancellationToken cancellationToken = default) =>
        (await LoadAsync(id, requireKey: false, cancellationToken).ConfigureAwait(false)).Instance;

    /// <summary>Whether this process can read the journal key, so that reads are verified; <paramref name="why"/> says why not.</summary>
    /// <exception cref="JournalKeyException">The key exists but cannot be trusted.</exception>
    public bool CanVerify(out string? why) => _keys.TryGet(out why) is not null;

    /// <summary>
    /// Checks an instance's whole record: the keyed chain of its journal, the journal against the instance's count and
    /// head (a missing tail, a missing journal, entries moved from another instance), the instance's seal, its
    /// definition's hash, and, when given, that an entry with <paramref name="expectHead"/> is still in the chain.
    /// </summary>
    /// <exception cref="InstanceNotFoundException">No such instance and no journal.</exception>
    public Task<RecordVerdict> VerifyAsync(InstanceId id, string? expectHead = null, CancellationToken cancellationToken = default) =>
        RecordCheck.VerifyAsync(_store, _keys, _definitions, id, expectHead, cancellationToken);

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
            0 => throw new InstanceNotFoundException($"No instance id starts with '{text}'."),
            _ => throw new InstanceNotFoundException($"More than one instance id starts with '{text}'; give more characters."),
        };
    }

    /// <summary>The definition an instance started with (its snapshot, not the file), checked against its hash.</summary>
    /// <exception cref="IntegrityException">The stored definition no longer has its recorded hash.</exception>
    public WorkflowDefinition DefinitionOf(WorkflowInstance instance) => _definitions.Get(instance).Definition;

    private async Task<(WorkflowInstance Instance, PreparedDefinition Definition)> RefreshAsync(InstanceId id, bool requireKey, CancellationToken cancellationToken)
    {
        var (instance, definition) = await LoadAsync(id, requireKey, cancellationToken).ConfigureAwait(false);
        if (instance.Status != InstanceStatus.Waiting || _keys.TryGet(out _) is not { } key)
        {
            return (instance, definition); // only a waiting gate can expire, and only a writer records it
        }

        var entries = new List<JournalEntry>();
        var now = _time.GetUtcNow();
        if (_gates.Expire(instance, new InstanceLifecycle(instance), now, (kind, step, data) => entries.Add(JournalChain.Append(key, instance, Actor.Engine, now, kind, step, data))))
        {
            instance.UpdatedAt = now;
            await _store.SaveAsync(instance, entries, cancellationToken).ConfigureAwait(false);
            var outcome = instance.Status == InstanceStatus.Waiting ? "escalated" : "rejected";
            EngineLog.GateExpired(_log, instance.Id, outcome);
            MdiFlowTelemetry.GateDecisions.Add(1, new KeyValuePair<string, object?>("mdiflow.decision", instance.Status == InstanceStatus.Waiting ? "escalate" : "expire"));
            if (instance.Status != InstanceStatus.Waiting)
            {
                MdiFlowTelemetry.GatesWaiting.Add(-1);
            }
        }

        return (instance, definition);
    }

    private async Task<(WorkflowInstance Instance, PreparedDefinition Definition)> LoadAsync(InstanceId id, bool requireKey, CancellationToken cancellationToken)
    {
        var key = requireKey ? _keys.Get() : _keys.TryGet(out _);
        if (key is null)
        {
            var unkeyed = await _store.FindAsync(id, cancellationToken).ConfigureAwait(false)
                ?? throw new InstanceNotFoundException($"No instance has the id {id}.");
            return (unkeyed, _definitions.Get(unkeyed));
        }

        for (var read = 1; ; read++)
        {
            // The instance is read before its journal's tail: a writer that commits in between leaves the journal one
            // save ahead, never behind. Read again then; a disagreement that stays is the record's, not the race's.
            var (found, tail) = await _store.FindWithJournalTailAsync(id, cancellationToken).ConfigureAwait(false);
            var instance = found ?? throw new InstanceNotFoundException($"No instance has the id {id}.");
            if (tail is null || tail.Seq <= instance.JournalSeq || read == 5)
            {
                RecordCheck.AgreesWithJournal(instance, tail);
                return (instance, _definitions.Get(instance));
            }
        }
    }

    /// <summary>Logs and measures where a run stopped.</summary>
    private void RunStopped(WorkflowInstance instance, TimeSpan duration, System.Diagnostics.Activity? trace)
    {
        var status = instance.Status.ToString().ToLowerInvariant();
        trace?.SetTag("mdiflow.status", status);
        trace?.SetStatus(instance.Status == InstanceStatus.Failed ? System.Diagnostics.ActivityStatusCode.Error : System.Diagnostics.ActivityStatusCode.Ok);
        if (MdiFlowTelemetry.Runs.Enabled || MdiFlowTelemetry.RunDuration.Enabled)
        {
            var tag = new KeyValuePair<string, object?>("mdiflow.status", status);
            MdiFlowTelemetry.Runs.Add(1, tag);
            MdiFlowTelemetry.RunDuration.Record(duration.TotalSeconds, tag);
        }

        if (_log.IsEnabled(LogLevel.Information))
        {
            EngineLog.RunStopped(_log, instance.Id, status);
        }
    }

    /// <summary>Logs and counts a person's action at a gate.</summary>
    private void GateDecided(WorkflowInstance instance, GateActionRequest request)
    {
        var action = request.Action.ToString().ToLowerInvariant();
        MdiFlowTelemetry.GateDecisions.Add(1, new KeyValuePair<string, object?>("mdiflow.decision", action));
        if (instance.Status != InstanceStatus.Waiting)
        {
            MdiFlowTelemetry.GatesWaiting.Add(-1);
        }

        EngineLog.GateDecided(_log, request.Actor.Name, request.Actor.Source, action, request.Step ?? "", instance.Id, instance.Status.ToString().ToLowerInvariant());
    }

    /// <summary>Journals a refusal to run, once: a worker that meets the same refusal every pass does not fill the record.</summary>
    private async Task RecordRefusalAsync(WorkflowInstance instance, Actor actor, string reason, CancellationToken cancellationToken)
    {
        var journal = await _store.ReadJournalAsync(instance.Id, cancellationToken).ConfigureAwait(false);
        if (journal.Count > 0 && journal[^1] is { Kind: JournalKinds.RunRefused, Data: { } data } last && last.Actor == actor.Name
            && JsonNode.Parse(data)?["reason"]?.GetValue<string>() == reason)
        {
            return;
        }

        try
        {
            var entry = JournalChain.Append(_keys.Get(), instance, actor, _time.GetUtcNow(), JournalKinds.RunRefused, null, AccessRules.Refusal(actor, reason));
            instance.UpdatedAt = _time.GetUtcNow();
            await _store.SaveAsync(instance, [entry], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConcurrencyException or StoreException)
        {
            // Someone else moved it on, or this account cannot write the store: the refusal stands all the same.
        }
    }

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
        var key = _keys.Get();
        for (var attempt = 1; ; attempt++)
        {
            var (instance, _) = await RefreshAsync(id, requireKey: true, cancellationToken).ConfigureAwait(false);
            var entries = new List<JournalEntry>();
            var now = _time.GetUtcNow();
            change(instance, new InstanceLifecycle(instance), (kind, step, data) => entries.Add(JournalChain.Append(key, instance, actor, now, kind, step, data)));
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
}
