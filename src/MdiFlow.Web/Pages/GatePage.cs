using System.Text.Json.Nodes;
using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Html;
using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Pages;

/// <summary>
/// One gate: its instructions, every fact gathered by earlier steps, the definition, the decisions so far and the
/// journal head, and the forms the person may use (approve, reject with a reason, complete with evidence; take a manual
/// task or give it back).
/// </summary>
internal static class GatePage
{
    public static string Path(string instanceId, string step) => $"/instances/{Uri.EscapeDataString(instanceId)}/gates/{Uri.EscapeDataString(step)}";

    public static string DecisionPath(string instanceId, string step) => Path(instanceId, step) + "/decision";

    public sealed record Model(InboxRow Row, IReadOnlyList<JournalEntry> Journal, Actor Actor, Permissions Permissions, PageChrome Chrome, DateTimeOffset Now, string? Notice);

    public static HtmlContent Render(Model m)
    {
        var gate = m.Row.Gate;
        var instance = gate.Instance;
        var head = m.Journal.Count > 0 ? m.Journal[^1] : null;
        return Layout.Page(m.Row.StepTitle, m.Chrome, H($"""
            <h1>{m.Row.StepTitle} <span class="muted">· {m.Row.Title}</span></h1>
            {(m.Notice is null ? HtmlContent.Empty : H($"""<p class="notice" role="status">{m.Notice}</p>"""))}
            <div class="card"><dl class="facts">
            <dt>Instance</dt><dd><a href="{InstancePage.Path(instance.Id.Value)}" class="mono">{instance.Id.Value}</a> {Layout.Badge(InstancePage.Name(instance.Status))}</dd>
            <dt>Workflow</dt><dd>{instance.WorkflowId} v{instance.WorkflowVersion}</dd>
            <dt>Definition</dt><dd><a href="{InstancePage.Path(instance.Id.Value)}/definition" class="mono">{instance.DefinitionHash}</a></dd>
            <dt>Requester</dt><dd>{instance.Requester}</dd>
            <dt>Target host</dt><dd>{m.Row.Host ?? "—"}</dd>
            <dt>Waiting since</dt><dd>{Layout.Time(gate.Since)}{(gate.Since is { } since ? $" ({Layout.Span(m.Now - since)})" : "")}</dd>
            <dt>Expires</dt><dd>{InboxPage.Expiry(gate, m.Now)}{(gate.Approval is { } a ? (a.Escalated ? " then reject (it was escalated once already)" : $" then {a.OnExpiry}") : "")}</dd>
            {(gate.Approval is null ? HtmlContent.Empty : H($"""<dt>Approvals</dt><dd id="approvals">{gate.Approvals} of {gate.MinApprovals}</dd>"""))}
            <dt>{(gate.Approval is null ? "Assignees" : "Approvers")}</dt><dd>{(gate.Deciders.Count == 0 ? "anyone" : string.Join(", ", gate.Deciders))}{(gate.Approval?.RequiredGroup is { } required ? $" (members of '{required}' only)" : "")}</dd>
            {(gate.Task is null ? HtmlContent.Empty : H($"""<dt>Assigned to</dt><dd id="assigned-to">{Assigned(gate)}</dd>"""))}
            </dl></div>
            <h2>Instructions</h2>
            <div class="instructions" id="instructions">{gate.Instructions ?? "(none)"}</div>
            <h2>Facts gathered by earlier steps</h2>
            {Facts(instance)}
            <h2>Decisions so far</h2>
            {Decisions(gate)}
            <h2>Your decision</h2>
            {Forms(m)}
            <h2>Journal head</h2>
            <p>{(head is null ? HtmlContent.Text("(empty)") : H($"""entry {head.Seq} <code id="journal-head">{head.Mac}</code> · <a href="{InstancePage.Path(instance.Id.Value)}#journal">the journal</a>"""))}</p>
            """));
    }

    /// <summary>Who took the task ("assigned to carol"), or who may take it.</summary>
    public static HtmlContent Assigned(WaitingGate gate) => gate.AssignedTo is { } to
        ? H($"""<strong class="assigned">{to}</strong> <span class="muted">(only they may complete or reject it until it is given back)</span>""")
        : H($"""<span class="muted">nobody yet: {(gate.Deciders.Count == 0 ? "anyone" : "an assignee")} may take it with Assign to me</span>""");

    private static HtmlContent Facts(WorkflowInstance instance)
    {
        var steps = instance.Steps.Where(s => s.Status == StepStatus.Completed && s.Gate is null && s.Output is JsonObject { Count: > 0 }).ToList();
        return steps.Count == 0
            ? H($"""<p class="muted">No earlier step gathered facts.</p>""")
            : HtmlContent.Each(steps, s => H($"""
                <div class="card" id="facts-{s.Id}"><h3>{s.Id} <span class="muted">({s.Uses})</span></h3><dl class="facts">
                {HtmlContent.Each(((JsonObject)s.Output!).ToList(), p => H($"<dt>{p.Key}</dt><dd>{Value(p.Value)}</dd>"))}
                </dl></div>
                """));
    }

    private static string Value(JsonNode? node) => node switch
    {
        null => "null",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    private static HtmlContent Decisions(WaitingGate gate) => gate.Decisions.Count == 0
        ? H($"""<p class="muted">No decision yet.</p>""")
        : H($"""
            <div class="table"><table class="stack" id="decisions"><thead><tr><th>Who</th><th>Decision</th><th>When</th><th>Comment</th></tr></thead><tbody>
            {HtmlContent.Each(gate.Decisions, d => H($"""<tr><td data-label="Who">{d.Actor} <span class="muted">({d.ActorSource})</span></td><td data-label="Decision">{Layout.Badge(d.Decision)}</td><td data-label="When">{Layout.Time(d.At)}</td><td data-label="Comment" class="wrap">{d.Comment ?? ""}</td></tr>"""))}
            </tbody></table></div>
            """);

    private static HtmlContent Forms(Model m)
    {
        var gate = m.Row.Gate;
        var action = DecisionPath(gate.Instance.Id.Value, gate.Step.Id);
        var token = H($"""<input type="hidden" name="{m.Chrome.FieldName}" value="{m.Chrome.Token}">""");
        var forms = new List<HtmlContent>();
        if (m.Permissions.Assign)
        {
            forms.Add(H($"""
                <form class="decide take" method="post" action="{action}">{token}<input type="hidden" name="action" value="assign">
                <p class="muted">Take the task so the other assignees know you are on it: then only you may complete or reject it.</p>
                <button type="submit" class="assign" id="assign">Assign to me</button></form>
                """));
        }

        if (m.Permissions.Approve)
        {
            forms.Add(H($"""
                <form class="decide" method="post" action="{action}">{token}<input type="hidden" name="action" value="approve">
                <label for="approve-text">Comment (kept in the journal)</label><textarea id="approve-text" name="text"></textarea>
                <button type="submit" class="approve" id="approve">Approve</button></form>
                """));
        }

        if (m.Permissions.Reject)
        {
            forms.Add(H($"""
                <form class="decide" method="post" action="{action}">{token}<input type="hidden" name="action" value="reject">
                <label for="reject-text">Reason (required; the instance ends rejected)</label><textarea id="reject-text" name="text" required></textarea>
                <button type="submit" class="reject" id="reject">Reject</button></form>
                """));
        }

        if (m.Permissions.Complete)
        {
            forms.Add(H($"""
                <form class="decide" method="post" action="{action}">{token}<input type="hidden" name="action" value="complete">
                <label for="complete-text">Evidence (required: what you did)</label><textarea id="complete-text" name="text" required></textarea>
                <button type="submit" class="complete" id="complete">Complete</button></form>
                """));
        }

        if (m.Permissions.Unassign)
        {
            var label = m.Permissions.Holds ? "Give it back" : $"Unassign {gate.AssignedTo}";
            var hint = m.Permissions.Holds
                ? "Give the task back so any assignee may take or complete it."
                : $"{gate.AssignedTo} holds this task. Any assignee may give it back (for example when {gate.AssignedTo} is away); the journal records who did.";
            forms.Add(H($"""
                <form class="decide take" method="post" action="{action}">{token}<input type="hidden" name="action" value="unassign">
                <p class="muted">{hint}</p>
                <button type="submit" class="unassign" id="unassign">{label}</button></form>
                """));
        }

        var why = m.Permissions.Why is null ? HtmlContent.Empty : H($"""<p class="muted" id="why">{m.Permissions.Why}</p>""");
        return forms.Count == 0 ? why : H($"{why}{HtmlContent.Join(forms)}");
    }
}
