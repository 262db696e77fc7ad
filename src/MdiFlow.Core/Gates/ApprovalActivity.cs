using MdiFlow.Activities;
using MdiFlow.Serialization;

namespace MdiFlow.Gates;

/// <summary>Input of the <c>approval</c> gate.</summary>
public sealed record ApprovalInput
{
    /// <summary>Who may approve: <c>user:NAME</c> or <c>group:NAME</c>.</summary>
    public required IReadOnlyList<string> Approvers { get; init; }

    /// <summary>Distinct approvals needed (the policy may require more).</summary>
    public int MinApprovals { get; init; } = 1;

    /// <summary>Whether the person who started the instance may approve (only if the policy allows it too).</summary>
    public bool RequesterMayApprove { get; init; }

    /// <summary>How long to wait before <see cref="OnExpiry"/> (the policy may shorten it), as a duration.</summary>
    public string? ExpiresAfter { get; init; }

    /// <summary><c>reject</c> (default) or <c>escalate</c>.</summary>
    public string OnExpiry { get; init; } = "reject";

    /// <summary>Who decides after escalation.</summary>
    public IReadOnlyList<string>? EscalateTo { get; init; }

    /// <summary>What approvers must check; bindings show them the facts gathered by earlier steps.</summary>
    public string? Instructions { get; init; }
}

/// <summary>Output of the <c>approval</c> gate.</summary>
/// <param name="ApprovedBy">The distinct approvers.</param>
public sealed record ApprovalOutput(IReadOnlyList<string> ApprovedBy);

/// <summary>
/// Stops the instance until enough people with the right to decide approve; any rejection ends it. The activity
/// describes the gate as the workflow asks for it; the engine applies the organisation policy's floors when the gate
/// opens and again at every decision.
/// </summary>
[Activity(GateKinds.Approval, Description = "Waits for approvals from users or groups; any rejection ends the instance.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Harmless, IsGate = true)]
internal sealed class ApprovalActivity : Activity<ApprovalInput, ApprovalOutput>
{
    protected override ValueTask<ActivityResult> ExecuteAsync(ApprovalInput input, ActivityContext context)
    {
        var problems = Problems(input, out var expiresAfter);
        return ValueTask.FromResult(problems.Count > 0
            ? ActivityResult.FailPermanently("approval.invalid", $"The approval gate '{context.StepId}' is misconfigured: {string.Join(" ", problems)}")
            : ActivityResult.Wait(new GateRequest(GateKinds.Approval, new ApprovalGate
            {
                Approvers = input.Approvers,
                MinApprovals = input.MinApprovals,
                RequesterMayApprove = input.RequesterMayApprove,
                Instructions = input.Instructions,
                ExpiresAfter = expiresAfter,
                OnExpiry = input.OnExpiry,
                EscalateTo = input.EscalateTo ?? [],
            }.ToJson())));
    }

    /// <summary>What is wrong with the gate's own settings (also checked before an instance starts, where the values are known then).</summary>
    internal static List<string> Problems(ApprovalInput input, out TimeSpan? expiresAfter)
    {
        var problems = GateRules.CheckPrincipals(input.Approvers, "approvers", required: true)
            .Concat(GateRules.CheckPrincipals(input.EscalateTo ?? [], "escalateTo", required: input.OnExpiry == "escalate"))
            .ToList();
        if (input.MinApprovals < 1)
        {
            problems.Add("minApprovals must be 1 or more.");
        }

        if (input.OnExpiry is not ("reject" or "escalate"))
        {
            problems.Add($"onExpiry must be 'reject' or 'escalate', not '{input.OnExpiry}'.");
        }

        expiresAfter = null;
        if (input.ExpiresAfter is { } text)
        {
            if (Duration.TryParse(text, out var parsed) && parsed > TimeSpan.Zero)
            {
                expiresAfter = parsed;
            }
            else
            {
                problems.Add($"expiresAfter '{text}' is not a positive duration such as PT4H.");
            }
        }

        return problems;
    }
}
