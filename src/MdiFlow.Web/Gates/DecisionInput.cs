using MdiFlow.Engine;
using MdiFlow.Gates;
using MdiFlow.Journal;
using MdiFlow.Web.Hosting;

namespace MdiFlow.Web.Gates;

/// <summary>What a decision form or API call asks for, checked for what the page itself requires (a reason, evidence).</summary>
internal static class DecisionInput
{
    /// <exception cref="RequestRefusedException">The action is unknown, or a rejection has no reason, or a completion no evidence.</exception>
    public static GateActionRequest Request(string? action, string? step, string? text, Actor actor)
    {
        var kind = action?.Trim().ToLowerInvariant() switch
        {
            "approve" => GateAction.Approve,
            "reject" => GateAction.Reject,
            "complete" => GateAction.Complete,
            "assign" => GateAction.Assign,
            "unassign" => GateAction.Unassign,
            _ => throw new RequestRefusedException($"'{action}' is not a decision; use approve, reject or complete (or assign or unassign, to take a manual task or give it back)."),
        };
        var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        if (trimmed is null && kind == GateAction.Reject)
        {
            throw new RequestRefusedException("A rejection needs a reason; nothing was recorded.");
        }

        if (trimmed is null && kind == GateAction.Complete)
        {
            throw new RequestRefusedException("Completing a manual task needs evidence of what was done; nothing was recorded.");
        }

        return new GateActionRequest { Action = kind, Actor = actor, Step = step, Text = kind is GateAction.Assign or GateAction.Unassign ? null : trimmed };
    }

    public static string Done(GateAction action, string? note) => note is not null ? "repeat" : action.ToString().ToLowerInvariant();

    /// <summary>The sentence shown after a decision (only these; nothing from the address is echoed).</summary>
    public static string? Notice(string? done) => done switch
    {
        "approve" => "Your approval was recorded in the journal.",
        "reject" => "Your rejection was recorded in the journal; the instance is rejected.",
        "complete" => "The task was recorded as completed in the journal.",
        "assign" => "The task is yours: until you give it back, only you may complete or reject it. The journal records that you took it.",
        "unassign" => "The task was given back: any of its assignees may take it or complete it. The journal records it.",
        "repeat" => "You had approved already; an approval counts once, so nothing changed.",
        _ => null,
    };
}
