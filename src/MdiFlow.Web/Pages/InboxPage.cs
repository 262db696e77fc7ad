using MdiFlow.Journal;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Html;
using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Pages;

/// <summary>
/// The inbox: the gates waiting for me (by my identity and groups; a manual task someone else took is theirs, not
/// mine), then every waiting gate, with who took each taken task.
/// </summary>
internal static class InboxPage
{
    public static HtmlContent Render(IReadOnlyList<InboxRow> rows, Actor actor, GatePermissions permissions, PageChrome chrome, DateTimeOffset now)
    {
        var mine = rows.Where(r => permissions.For(r.Gate, actor).Any).ToList();
        return Layout.Page("Inbox", chrome, H($"""
            <h1>Waiting for you</h1>
            {(mine.Count == 0 ? H($"""<p class="muted">Nothing waits for your decision.</p>""") : Table(mine, now, "mine"))}
            <h2>All waiting gates</h2>
            {(rows.Count == 0 ? H($"""<p class="muted">No instance waits at a gate.</p>""") : Table(rows, now, "all"))}
            """));
    }

    private static HtmlContent Table(IReadOnlyList<InboxRow> rows, DateTimeOffset now, string id) => H($"""
        <div class="table"><table class="stack" id="{id}">
        <thead><tr><th>Gate</th><th>Workflow</th><th>Target host</th><th>Requester</th><th>Waiting</th><th>Expires</th><th>Approvals</th></tr></thead>
        <tbody>
        {HtmlContent.Each(rows, r => Row(r, now))}
        </tbody></table></div>
        """);

    private static HtmlContent Row(InboxRow row, DateTimeOffset now)
    {
        var gate = row.Gate;
        var link = GatePage.Path(gate.Instance.Id.Value, gate.Step.Id);
        return H($"""
            <tr>
            <td data-label="Gate" class="wrap"><a href="{link}">{row.StepTitle}</a> <span class="muted">({gate.Kind})</span>{(gate.AssignedTo is { } to ? H($"""<br><span class="assigned">assigned to {to}</span>""") : HtmlContent.Empty)}</td>
            <td data-label="Workflow" class="wrap">{row.Title} <span class="muted mono">{gate.Instance.Id.Value[..10]}</span></td>
            <td data-label="Target host">{row.Host ?? "—"}</td>
            <td data-label="Requester">{gate.Instance.Requester}</td>
            <td data-label="Waiting">{(gate.Since is { } since ? Layout.Span(now - since) : "—")}</td>
            <td data-label="Expires">{Expiry(gate, now)}</td>
            <td data-label="Approvals">{(gate.Approval is null ? "—" : $"{gate.Approvals} of {gate.MinApprovals}")}</td>
            </tr>
            """);
    }

    /// <summary>"in 1 d 23 h" (the countdown), "expired 5 min ago", or a dash; marked when the gate was escalated.</summary>
    public static HtmlContent Expiry(WaitingGate gate, DateTimeOffset now) =>
        gate.Approval is { Escalated: true }
            ? H($"""<span class="escalated" title="The first approvers did not decide in time; the gate went to its escalation approvers.">escalated</span> {Countdown(gate, now)}""")
            : Countdown(gate, now);

    private static HtmlContent Countdown(WaitingGate gate, DateTimeOffset now) => gate.ExpiresAt switch
    {
        null => HtmlContent.Text("—"),
        { } at when at <= now => H($"""<span class="expired">expired {Layout.Span(now - at)} ago</span> {Layout.Time(at)}"""),
        { } at => H($"""in {Layout.Span(at - now)} <span class="muted">({Layout.Time(at)})</span>"""),
    };
}
