using MdiFlow.Instances;
using MdiFlow.Journal;
using MdiFlow.Web.Gates;
using MdiFlow.Web.Html;
using MdiFlow.Web.Notifications;
using static MdiFlow.Web.Html.Markup;

namespace MdiFlow.Web.Pages;

/// <summary>One instance: its steps with status, attempts, times and errors with their fix; its journal and whether it verifies.</summary>
internal static class InstancePage
{
    public static string Path(string instanceId) => $"/instances/{Uri.EscapeDataString(instanceId)}";

    public static string Name(InstanceStatus status) => status.ToString().ToLowerInvariant();

    public static HtmlContent Render(WorkflowInstance instance, IReadOnlyList<JournalEntry> journal, (bool Verified, string Text) record, IReadOnlyList<Delivery> deliveries, string title, PageChrome chrome, string? notice)
    {
        var (verified, text) = record;
        var waiting = WaitingGate.Of(instance);
        return Layout.Page(title, chrome, H($"""
            <h1>{title} <span class="muted mono">{instance.Id.Value}</span></h1>
            {(notice is null ? HtmlContent.Empty : H($"""<p class="notice" role="status">{notice}</p>"""))}
            <div class="card"><dl class="facts">
            <dt>Status</dt><dd>{Layout.Badge(Name(instance.Status))}{(waiting is null ? HtmlContent.Empty : H($""" at <a href="{GatePage.Path(instance.Id.Value, waiting.Step.Id)}">{waiting.Step.Id}</a>"""))}</dd>
            <dt>Workflow</dt><dd>{instance.WorkflowId} v{instance.WorkflowVersion}, definition <a class="mono" href="{Path(instance.Id.Value)}/definition">{instance.DefinitionHash}</a></dd>
            <dt>Started</dt><dd>{Layout.Time(instance.CreatedAt)} by {instance.Requester}{(instance.IsRehearsal ? " (rehearsal)" : "")}</dd>
            <dt>Updated</dt><dd>{Layout.Time(instance.UpdatedAt)}</dd>
            {(instance.DueAt is { } due ? H($"<dt>Next attempt</dt><dd>{Layout.Time(due)}</dd>") : HtmlContent.Empty)}
            </dl></div>
            <h2>Steps</h2>
            <div class="table"><table class="stack" id="steps"><thead><tr><th>Step</th><th>Activity</th><th>Status</th><th>Attempts</th><th>Started</th><th>Ended</th><th>Error and fix</th></tr></thead><tbody>
            {HtmlContent.Each(instance.Steps, Step)}
            </tbody></table></div>
            {Notifications(deliveries)}
            <h2 id="journal">Journal</h2>
            <p>{Layout.Badge(verified ? "verified" : "broken")} <span id="verified">{text}</span> · <a href="{Path(instance.Id.Value)}/journal.jsonl" download>Download as JSON lines</a></p>
            <div class="table"><table class="stack" id="journal-entries"><thead><tr><th>#</th><th>At</th><th>Kind</th><th>Actor</th><th>Step</th><th>Data</th></tr></thead><tbody>
            {HtmlContent.Each(journal, Entry)}
            </tbody></table></div>
            """));
    }

    private static HtmlContent Notifications(IReadOnlyList<Delivery> deliveries) => deliveries.Count == 0
        ? HtmlContent.Empty
        : H($"""
            <h2 id="notifications">Notifications</h2>
            <div class="table"><table class="stack" id="deliveries"><thead><tr><th>Event</th><th>To</th><th>Attempts</th><th>Outcome</th></tr></thead><tbody>
            {HtmlContent.Each(deliveries, d => H($"""<tr><td data-label="Event" class="mono">{d.Event.Kind}</td><td data-label="To">{d.Channel}</td><td data-label="Attempts">{d.Attempts}</td><td data-label="Outcome" class="wrap">{Outcome(d)}</td></tr>"""))}
            </tbody></table></div>
            """);

    private static HtmlContent Outcome(Delivery d) =>
        d.DeliveredAt is { } at ? H($"""<span class="completed">delivered</span> {Layout.Time(at)}{(d.Attempts > 1 ? $" after {d.Attempts - 1} failed attempt(s)" : "")}""")
        : d.GaveUp ? H($"""<span class="failed">failed, given up</span>: {d.LastError}""")
        : d.Attempts == 0 ? H($"due {Layout.Time(d.NextAttemptAt)}")
        : H($"""<span class="failed">failed</span>: {d.LastError}; next attempt {Layout.Time(d.NextAttemptAt)}""");

    private static HtmlContent Step(StepState s) => H($"""
        <tr>
        <td data-label="Step">{s.Id}</td>
        <td data-label="Activity" class="mono">{s.Uses}</td>
        <td data-label="Status">{Layout.Badge(s.Status.Name())}</td>
        <td data-label="Attempts">{s.Attempts}</td>
        <td data-label="Started">{Layout.Time(s.StartedAt)}</td>
        <td data-label="Ended">{Layout.Time(s.EndedAt)}</td>
        <td data-label="Error and fix" class="wrap">{Error(s)}</td>
        </tr>
        """);

    private static HtmlContent Error(StepState s)
    {
        if (s.SkipReason is not null)
        {
            return H($"skipped: {s.SkipReason}");
        }

        if (s.Error is not { } e || s.Status == StepStatus.Completed)
        {
            return HtmlContent.Empty;
        }

        return H($"""<code>{e.Code}</code> {e.Message}{(e.Fix is null ? HtmlContent.Empty : H($"""<br><strong>Fix:</strong> {e.Fix}"""))}""");
    }

    private static HtmlContent Entry(JournalEntry e) => H($"""
        <tr>
        <td data-label="#">{e.Seq}</td>
        <td data-label="At">{Layout.Time(e.At)}</td>
        <td data-label="Kind" class="mono">{e.Kind}</td>
        <td data-label="Actor">{e.Actor} <span class="muted">({e.ActorSource})</span></td>
        <td data-label="Step">{e.Step ?? ""}</td>
        <td data-label="Data" class="mono wrap">{e.Data ?? ""}</td>
        </tr>
        """);
}
