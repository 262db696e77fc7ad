using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Roles;

/// <summary>
/// <c>mdi.checkAdminRole</c>: the administrator holds Security Administrator or Global Administrator.
/// Direct, tenant-wide role assignments are read first; when they show neither (or the call is refused),
/// the account's directoryRole memberships are read. Both compare template ids.
/// </summary>
[Activity("mdi.checkAdminRole", Description = "Checks with Microsoft Graph that the administrator holds Security Administrator or Global Administrator.", Recovery = RecoveryMode.Idempotent, Rehearsal = RehearsalMode.Double)]
internal sealed class CheckAdminRoleActivity(GraphClient graph) : Activity<CheckAdminRoleInput, CheckAdminRoleOutput>
{
    protected override async ValueTask<ActivityResult> ExecuteAsync(CheckAdminRoleInput input, ActivityContext context)
    {
        var cancellationToken = context.CancellationToken;
        var user = string.IsNullOrWhiteSpace(input.UserId) ? null : input.UserId.Trim();
        var principal = await PrincipalIdAsync(user, cancellationToken).ConfigureAwait(false);
        if (!principal.TryGetValue(out var principalUser, out var principalError))
        {
            return ActivityResult.Fail(principalError);
        }

        var principalId = principalUser.Id!;
        var observations = new List<string>();
        var assignments = await graph.RoleAssignmentsAsync(principalId, cancellationToken).ConfigureAwait(false);
        if (assignments.TryGetValue(out var assigned, out var assignmentsError))
        {
            if (AdminRoles.FromAssignments(assigned) is { } role)
            {
                return Complete(Output(principalId, role, "roleAssignments"));
            }

            observations.AddRange(AdminRoles.ScopedAssignments(assigned));
        }
        else if (assignmentsError.Code != GraphFailures.AccessDeniedCode)
        {
            return ActivityResult.Fail(assignmentsError);
        }

        var memberOf = await graph.MemberOfAsync(user is null ? null : principalId, cancellationToken).ConfigureAwait(false);
        if (!memberOf.TryGetValue(out var memberships, out var memberOfError))
        {
            return ActivityResult.Fail(assignmentsError is null ? memberOfError : BothRefused(assignmentsError, memberOfError));
        }

        if (AdminRoles.FromDirectoryRoles(memberships) is { } activeRole)
        {
            return Complete(Output(principalId, activeRole, "memberOf"));
        }

        observations.AddRange(AdminRoles.LookAlikes(memberships));
        if (assignmentsError is not null)
        {
            observations.Add($"The direct role assignments could not be read ({assignmentsError.Message}).");
        }

        return ActivityResult.Fail(NoAdminRole(principalUser, observations));
    }

    private async Task<GraphResult<GraphUser>> PrincipalIdAsync(string? user, CancellationToken cancellationToken)
    {
        // roleAssignments filters by object id; a user principal name has to be looked up first.
        var (call, result) = user is null
            ? (GraphCall.Me, await graph.MeAsync(cancellationToken).ConfigureAwait(false))
            : Guid.TryParse(user, out _)
                ? (GraphCall.User, GraphResult<GraphUser>.Success(new GraphUser { Id = user }))
                : (GraphCall.User, await graph.UserAsync(user, cancellationToken).ConfigureAwait(false));
        return result.TryGetValue(out var found, out _) && string.IsNullOrWhiteSpace(found.Id)
            ? GraphResult<GraphUser>.Failure(GraphFailures.UnexpectedShape(call, "the user has no id"))
            : result;
    }

    private static CheckAdminRoleOutput Output(string principalId, AdminRole role, string source) => new()
    {
        PrincipalId = principalId,
        Role = role.Name,
        RoleTemplateId = role.TemplateId,
        Source = source,
    };

    private static ActivityError BothRefused(ActivityError assignments, ActivityError memberOf) =>
        memberOf with
        {
            Message = $"{assignments.Message} {memberOf.Message}",
            Fix = $"Grant either permission: {GraphCall.RoleAssignments.Permissions} for role assignments, or {GraphCall.MemberOf.Permissions} for memberships. {memberOf.Fix}",
        };

    private static ActivityError NoAdminRole(GraphUser user, List<string> observations)
    {
        var who = user.UserPrincipalName ?? user.Id;
        var seen = observations.Count == 0 ? "" : " " + string.Join(" ", observations);
        return new ActivityError(
            "mdi.noAdminRole",
            $"The account {who} holds neither {AdminRoles.SecurityAdministrator.Name} ({AdminRoles.SecurityAdministrator.TemplateId}) nor {AdminRoles.GlobalAdministrator.Name} ({AdminRoles.GlobalAdministrator.TemplateId}) as a direct, tenant-wide role. " +
            "Current documentation needs at least Security Administrator to set up Defender for Identity. Roles held through a group (transitive assignments) and PIM-eligible roles that are not activated are not seen by these direct queries." + seen, Permanent: true)
        {
            Fix = "Assign the account Security Administrator (the least privileged role that suffices) in the Microsoft Entra admin center > Roles and administrators, or activate it in Privileged Identity Management; then retry. If it holds the role through a role-assignable group, confirm that in the portal and skip this step with that reason.",
            Details = observations.Count == 0 ? null : observations.Select((o, i) => (Key: $"observation{i + 1}", Value: o)).ToDictionary(p => p.Key, p => p.Value),
        };
    }
}
