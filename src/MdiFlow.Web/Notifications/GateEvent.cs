namespace MdiFlow.Web.Notifications;

/// <summary>Something people should hear about a gate. The link only opens the gate page: no decision is ever in a link.</summary>
/// <param name="Kind"><c>gate.opened</c>, <c>gate.decided</c> or <c>gate.expiring</c>.</param>
/// <param name="InstanceId">The instance.</param>
/// <param name="Step">The gate's step.</param>
/// <param name="Title">The workflow's and the step's titles.</param>
/// <param name="Summary">One sentence: what waits, or who decided what.</param>
/// <param name="Link">The gate page.</param>
/// <param name="At">When it was noticed.</param>
internal sealed record GateEvent(string Kind, string InstanceId, string Step, string Title, string Summary, Uri Link, DateTimeOffset At)
{
    public string Id => $"{Kind}:{InstanceId}:{Step}:{At.ToUnixTimeMilliseconds()}";
}
