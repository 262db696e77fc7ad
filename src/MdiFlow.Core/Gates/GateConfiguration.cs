using System.Text.Json;
using System.Text.Json.Nodes;
using MdiFlow.Definitions;
using MdiFlow.Expressions;
using MdiFlow.Instances;
using MdiFlow.Policy;
using MdiFlow.Serialization;

namespace MdiFlow.Gates;

/// <summary>
/// Checks, before an instance starts, that every approval gate whose settings are known from the inputs can ever be
/// satisfied: its own settings are valid, its approvers resolve to someone, and enough of them may approve to reach
/// its minimum (the requester excluded where the policy says so, only members of the required group counted).
/// A gate that could never open, or that fails on its own settings, cannot be used to get past it later.
/// </summary>
internal static class GateConfiguration
{
    public static List<WorkflowError> Check(WorkflowDefinition definition, WorkflowInstance probe, OrganisationPolicy policy)
    {
        var errors = new List<WorkflowError>();
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            if (step.Uses != GateKinds.Approval || ReadsSteps(step.With))
            {
                continue; // other gates, or settings that depend on facts gathered later: checked when the gate opens
            }

            var path = $"$.steps[{i}].with";
            ApprovalInput? input;
            try
            {
                input = Bindings.Bind(step.With, new BindingScope(probe, secrets: null)).Deserialize<ApprovalInput>(MdiFlowJson.Options);
            }
            catch (Exception ex) when (ex is JsonException or ExpressionException)
            {
                errors.Add(new WorkflowError(path, $"the approval gate '{step.Id}' cannot be read with these inputs: {ex.Message}"));
                continue;
            }

            if (input is null)
            {
                continue;
            }

            foreach (var problem in ApprovalActivity.Problems(input, out _))
            {
                errors.Add(new WorkflowError(path, $"the approval gate '{step.Id}' is misconfigured: {problem}"));
            }

            if (GateRules.Resolvable(input.Approvers, policy) is not { } people)
            {
                continue; // an identity provider's group: who is in it is known only at sign-in
            }

            if (!(input.RequesterMayApprove && policy.Gates.RequesterMayApprove))
            {
                people.RemoveWhere(p => GateRules.SameUser(p, probe.Requester));
            }

            if (policy.Gates.RequiredApproverGroup is { } required)
            {
                people.RemoveWhere(p => !policy.IsMember(p, required));
            }

            var needed = Math.Max(input.MinApprovals, policy.Gates.MinApprovals);
            if (people.Count == 0)
            {
                errors.Add(new WorkflowError(path + ".approvers", $"the approvers of gate '{step.Id}' ({string.Join(", ", input.Approvers)}) resolve to no one who may approve{Why(policy, probe)}; the gate could never open. Name approvers from the organisation policy's groups."));
            }
            else if (people.Count < needed)
            {
                errors.Add(new WorkflowError(path + ".minApprovals", $"gate '{step.Id}' needs {needed} distinct approvals but only {people.Count} people may approve ({string.Join(", ", people.Order(StringComparer.OrdinalIgnoreCase))}){Why(policy, probe)}; it could never open."));
            }
        }

        return errors;
    }

    private static string Why(OrganisationPolicy policy, WorkflowInstance probe) =>
        (policy.Gates.RequesterMayApprove ? "" : $" (the requester, {probe.Requester}, may not approve)")
        + (policy.Gates.RequiredApproverGroup is { } g ? $" (only members of '{g}' count)" : "");

    private static bool ReadsSteps(JsonObject with) =>
        Bindings.Templates(with, "").Any(t =>
        {
            try
            {
                return Template.Parse(t.Text).Expressions.SelectMany(e => e.Paths()).Any(p => p.Root == "steps");
            }
            catch (ExpressionException)
            {
                return true; // reported by the validator
            }
        });
}
