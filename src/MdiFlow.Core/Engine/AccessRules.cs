using System.Text.Json.Nodes;
using MdiFlow.Activities;
using MdiFlow.Definitions;
using MdiFlow.Gates;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Policy;
using MdiFlow.Rehearsals;

namespace MdiFlow.Engine;

/// <summary>
/// The identity and policy rules every operation passes, whoever calls the engine (the CLI, the web page, an
/// embedder): asserted names only on rehearsals, rehearsals only where allowed and only with doubles, who may start
/// which workflows, whose work a process may run, and which steps may be skipped.
/// </summary>
internal sealed class AccessRules(OrganisationPolicy policy, ActivityCatalog catalog, IRehearsalEnvironment? rehearsal)
{
    public OrganisationPolicy Policy => policy;

    /// <summary>An asserted name (<c>--as</c>) acts only on a rehearsal, and only where the policy allows rehearsals.</summary>
    /// <exception cref="ActionNotAllowedException">It is asserted on a real instance, or rehearsals are off.</exception>
    public void CheckActor(bool isRehearsal, Actor actor, InstanceId? instance = null)
    {
        if (actor.IsAsserted && !isRehearsal)
        {
            throw new ActionNotAllowedException(
                $"The name '{actor.Name}' is asserted, not established by the operating system or a sign-in; asserted names are accepted only on rehearsal instances, and {(instance is { } id ? $"instance {id}" : "this run")} is not one. Act under your own account.");
        }

        if (actor.Source == ActorSources.OpenIdConnect && !isRehearsal && !policy.Trusts(actor))
        {
            var issuer = actor.Claims.TryGetValue("iss", out var iss) ? iss : null;
            throw new ActionNotAllowedException(
                $"{actor.Name} signed in through {(issuer is null ? "an unnamed issuer" : $"'{issuer}'")}, which the organisation policy ({policy.Source}) does not trust for real instances"
                + (policy.Decisions.TrustedIssuers.Count == 0 ? " (it names no issuer in decisions.trustedIssuers)." : $" (decisions.trustedIssuers: {string.Join(", ", policy.Decisions.TrustedIssuers)}).")
                + " Ask the administrator to add the directory the change board signs in through to the installed policy.");
        }

        if ((actor.IsAsserted || isRehearsal) && !policy.Rehearsals.Enabled)
        {
            throw new ActionNotAllowedException($"Rehearsals and asserted names are switched off on this host by the organisation policy ({policy.Source}: rehearsals.enabled is false).");
        }
    }

    /// <summary>Checks a start: the actor, the rehearsal's doubles, and who may start this workflow.</summary>
    /// <exception cref="WorkflowValidationException">A rehearsal uses steps without a rehearsal double.</exception>
    /// <exception cref="ActionNotAllowedException">The policy forbids it.</exception>
    public void CheckStart(WorkflowDefinition definition, string hash, StartRequest request)
    {
        CheckActor(request.Rehearsal, request.Actor);
        if (request.Rehearsal)
        {
            CheckRehearsable(definition);
            return;
        }

        if (StartProblem(definition.Id, hash, request.Actor.Name) is { } problem)
        {
            throw new ActionNotAllowedException(problem);
        }
    }

    /// <summary>Why the process running as <paramref name="actor"/> may not run <paramref name="instance"/> here, or null.</summary>
    public string? RunProblem(WorkflowInstance instance, PreparedDefinition definition, Actor actor)
    {
        CheckActor(instance.IsRehearsal, actor, instance.Id);
        if (instance.IsRehearsal)
        {
            if (rehearsal is null || !rehearsal.Serves(instance.Id))
            {
                return $"Instance {instance.Id} is a rehearsal, and this engine is not wired to its rehearsal environment{(rehearsal is null ? "" : $" ({rehearsal.Description} serves another instance)")}: its steps would reach real systems. Run it where its lab runs.";
            }

            var real = RealSteps(definition.Definition);
            if (real.Count == 0)
            {
                return null; // every effect goes to doubles: whoever runs it, nothing real happens
            }

            if (!policy.Rehearsals.AllowRealSteps)
            {
                return $"Rehearsal {instance.Id} has steps that do real work ({string.Join(", ", real)}: \"rehearse\": \"run\"), which the organisation policy does not allow (rehearsals.allowRealSteps is false).";
            }
        }
        else if (rehearsal is not null)
        {
            return $"This engine is wired to a rehearsal environment ({rehearsal.Description}), so it cannot run instance {instance.Id}, which is not a rehearsal: its checks would read simulated facts. Run it without the lab.";
        }

        if (RunForOthersProblem(instance, actor) is { } problem)
        {
            return problem;
        }

        return instance.IsRehearsal ? null : StartProblem(instance.WorkflowId, instance.DefinitionHash, instance.Requester);
    }

    /// <summary>Why <paramref name="actor"/> may not run (or change the inputs of) another account's instance, or null.</summary>
    public string? RunForOthersProblem(WorkflowInstance instance, Actor actor) =>
        !GateRules.SameUser(actor.Name, instance.Requester) && !GateRules.Admits(policy.Run.ForOthers, instance.Requester, policy)
            ? $"{actor.Name} may not run instance {instance.Id}: {instance.Requester} started it, and the organisation policy does not let other accounts run {instance.Requester}'s work (run.forOthers). Its steps would run with {actor.Name}'s rights. Let {instance.Requester} resume it, or ask the administrator to list them in run.forOthers."
            : null;

    /// <summary>Checks a skip: gates never, a step before a gate only where the policy allows it.</summary>
    /// <exception cref="InstanceStateException">The step may not be skipped.</exception>
    public void CheckSkip(WorkflowInstance instance, WorkflowDefinition definition, StepDefinition step)
    {
        if (IsGate(step))
        {
            throw new InstanceStateException(instance.Status, $"Step '{step.Id}' of instance {instance.Id} is a gate ({step.Uses}); a gate can never be skipped. Fix its settings and resume it, or cancel the instance.");
        }

        if (!step.Skippable)
        {
            throw new InstanceStateException(instance.Status, $"Step '{step.Id}' is marked \"skippable\": false in workflow {instance.WorkflowId}; it must succeed. Fix the cause and resume the instance.");
        }

        var position = definition.Steps.ToList().FindIndex(s => s.Id == step.Id);
        var gate = definition.Steps.Skip(position + 1).FirstOrDefault(IsGate);
        if (gate is not null && !policy.Skip.BeforeGate)
        {
            throw new ActionNotAllowedException(
                $"Step '{step.Id}' comes before the gate '{gate.Id}', whose approvers rely on what it checks; the organisation policy does not allow skipping such steps (skip.beforeGate is false). Fix the cause and resume, or cancel the instance.");
        }
    }

    public bool IsGate(StepDefinition step) => catalog.Find(step.Uses)?.IsGate ?? step.Uses is GateKinds.Approval or GateKinds.ManualTask;

    /// <summary>The journal data of a refusal to run.</summary>
    public static JsonObject Refusal(Actor actor, string reason) => new() { ["by"] = actor.Name, ["reason"] = reason };

    private void CheckRehearsable(WorkflowDefinition definition)
    {
        var errors = new List<WorkflowError>();
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            if (catalog.Find(step.Uses) is { Rehearsal: RehearsalMode.None } descriptor && step.Rehearse != StepRehearsal.Run)
            {
                errors.Add(new WorkflowError($"$.steps[{i}].uses", $"step '{step.Id}' uses '{descriptor.Name}', which has no rehearsal double: in a rehearsal it would do its real work on this host. Rehearse a workflow without it, or mark the step \"rehearse\": \"run\" if the organisation policy allows rehearsals to do real work."));
            }
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException($"The rehearsal of workflow '{definition.Id}'", errors);
        }

        var real = RealSteps(definition);
        if (real.Count > 0 && !policy.Rehearsals.AllowRealSteps)
        {
            throw new ActionNotAllowedException(
                $"The rehearsal of workflow '{definition.Id}' has steps marked \"rehearse\": \"run\" ({string.Join(", ", real)}), which would do real work; the organisation policy does not allow that (rehearsals.allowRealSteps is false).");
        }
    }

    private List<string> RealSteps(WorkflowDefinition definition) =>
        [.. definition.Steps.Where(s => s.Rehearse == StepRehearsal.Run && catalog.Find(s.Uses)?.Rehearsal != RehearsalMode.Harmless).Select(s => s.Id)];

    private string? StartProblem(string workflowId, string hash, string requester)
    {
        if (policy.Start.Count == 0)
        {
            return null;
        }

        var key = "sha256:" + hash;
        if (policy.Start.Any(r => GateRules.Admits(r.Who, requester, policy) && r.Workflows.Any(w => w == "*" || string.Equals(w, key, StringComparison.OrdinalIgnoreCase))))
        {
            return null;
        }

        return $"{requester} may not start workflow '{workflowId}' (definition {key}) on this host: the organisation policy ({policy.Source}) lets only these start: "
            + string.Join("; ", policy.Start.Select(r => $"{string.Join(", ", r.Who)} → {string.Join(", ", r.Workflows)}")) + ".";
    }
}
