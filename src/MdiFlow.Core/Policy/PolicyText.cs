using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using MdiFlow.Definitions;
using MdiFlow.Security;
using MdiFlow.Serialization;

namespace MdiFlow.Policy;

/// <summary>
/// The policy file format (JSON, comments allowed; unknown and repeated properties are errors):
/// <code>
/// { "groups": { "change-board": ["bob", "carol"] },
///   "gates": { "minApprovals": 2, "requesterMayApprove": false, "maxExpiry": "P2D", "requiredApproverGroup": "change-board" },
///   "decisions": { "requireMfa": true, "maxSignInAge": "PT10M", "trustedIssuers": ["https://login.microsoftonline.com/TENANT-ID/v2.0"] },
///   "start": [ { "who": ["group:operators"], "workflows": ["file:/etc/mdiflow/workflows/mdi-sensor-deployment.json", "sha256:…"] } ],
///   "run": { "forOthers": ["group:operators"] },
///   "skip": { "beforeGate": false },
///   "rehearsals": { "enabled": true, "allowRealSteps": false } }
/// </code>
/// </summary>
internal static partial class PolicyText
{
    private static readonly JsonSerializerOptions Strict = new(MdiFlowJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <exception cref="PolicyException">It is not a policy; the message says where.</exception>
    public static OrganisationPolicy Parse(string json, string source, TrustedOwners workflowFileOwners = TrustedOwners.AdministratorsOrCaller)
    {
        ArgumentNullException.ThrowIfNull(json);
        FileForm? file;
        try
        {
            file = JsonSerializer.Deserialize<FileForm>(json, Strict);
        }
        catch (JsonException ex)
        {
            throw new PolicyException($"The policy '{source}' is not valid: {FirstSentence(ex.Message)} (path {ex.Path}, line {ex.LineNumber + 1}). Fix it, or remove it to use the defaults.");
        }

        if (file is null)
        {
            throw new PolicyException($"The policy '{source}' is empty: it must be a JSON object.");
        }

        var problems = new List<string>();
        var groups = (file.Groups ?? []).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Value, StringComparer.OrdinalIgnoreCase);
        var floors = file.Gates ?? new GateFloors();
        if (floors.MinApprovals < 1)
        {
            problems.Add("gates.minApprovals must be 1 or more");
        }

        if (floors.RequiredApproverGroup is { } required && !groups.ContainsKey(required))
        {
            problems.Add($"gates.requiredApproverGroup '{required}' is not one of its groups");
        }

        if (floors.MaxExpiry is { } max && max <= TimeSpan.Zero)
        {
            problems.Add("gates.maxExpiry must be a positive duration such as P2D");
        }

        var decisions = file.Decisions ?? new DecisionRules();
        if (decisions.MaxSignInAge is { } age && age <= TimeSpan.Zero)
        {
            problems.Add("decisions.maxSignInAge must be a positive duration such as PT10M");
        }

        foreach (var issuer in decisions.TrustedIssuers)
        {
            if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                problems.Add($"decisions.trustedIssuers: '{issuer}' is not an issuer URL (https://…, or http:// on loopback for a lab), such as https://login.microsoftonline.com/TENANT-ID/v2.0");
            }
        }

        var start = new List<StartRule>();
        for (var i = 0; i < (file.Start?.Count ?? 0); i++)
        {
            var rule = file.Start![i];
            Principals(rule.Who, $"start[{i}].who", problems, allowAnyone: true, required: true);
            var workflows = new List<string>();
            foreach (var w in rule.Workflows ?? [])
            {
                workflows.Add(Workflow(w, $"start[{i}].workflows", workflowFileOwners, problems));
            }

            if (workflows.Count == 0)
            {
                problems.Add($"start[{i}].workflows must list '*', definition hashes (sha256:HEX) or trusted workflow files (file:PATH)");
            }

            start.Add(new StartRule(rule.Who ?? [], workflows));
        }

        var run = file.Run ?? new RunRules();
        Principals(run.ForOthers, "run.forOthers", problems, allowAnyone: true, required: false);
        if (problems.Count > 0)
        {
            throw new PolicyException($"The policy '{source}' is not valid: {string.Join("; ", problems)}.");
        }

        return new OrganisationPolicy
        {
            Groups = groups,
            Gates = floors,
            Decisions = decisions,
            Start = start,
            Run = run,
            Skip = file.Skip ?? new SkipRules(),
            Rehearsals = file.Rehearsals ?? new RehearsalRules(),
            Hash = OrganisationPolicy.HashOf(json),
            Source = source,
            Given = GivenProperties(json),
        };
    }

    /// <summary>The top-level sections and the properties inside them that the text names.</summary>
    private static HashSet<string> GivenProperties(string json)
    {
        var given = new HashSet<string>(StringComparer.Ordinal);
        if (System.Text.Json.Nodes.JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is System.Text.Json.Nodes.JsonObject root)
        {
            foreach (var (section, value) in root)
            {
                given.Add(section);
                if (value is System.Text.Json.Nodes.JsonObject inner)
                {
                    foreach (var (name, _) in inner)
                    {
                        given.Add($"{section}.{name}");
                    }
                }
            }
        }

        return given;
    }

    private static void Principals(IReadOnlyList<string>? principals, string path, List<string> problems, bool allowAnyone, bool required)
    {
        if (required && (principals is null || principals.Count == 0))
        {
            problems.Add($"{path} must list at least one 'user:NAME', 'group:NAME'{(allowAnyone ? " or '*'" : "")}");
        }

        foreach (var p in principals ?? [])
        {
            if (!(allowAnyone && p == "*") && !PrincipalPattern().IsMatch(p))
            {
                problems.Add($"{path} entry '{p}' must be 'user:NAME' or 'group:NAME'{(allowAnyone ? " or '*'" : "")}");
            }
        }
    }

    private static string Workflow(string entry, string path, TrustedOwners owners, List<string> problems)
    {
        if (entry == "*" || HashPattern().IsMatch(entry))
        {
            return entry.ToLowerInvariant();
        }

        if (!entry.StartsWith("file:", StringComparison.Ordinal))
        {
            problems.Add($"{path} entry '{entry}' must be '*', sha256:HEX (64 hex digits) or file:PATH");
            return entry;
        }

        var file = entry[5..];
        if (!TextFile.TryRead(file, out var text, out var unreadable))
        {
            problems.Add($"{path} entry '{entry}': {unreadable}");
            return entry;
        }

        if (TrustedFile.Problem(file, owners, secret: false) is { } untrusted)
        {
            problems.Add($"{path} entry '{entry}' cannot be trusted: {untrusted}");
            return entry;
        }

        var loaded = WorkflowLoader.Parse(text);
        if (loaded.Definition is null)
        {
            problems.Add($"{path} entry '{entry}' is not a valid workflow ({loaded.Errors.Count} error(s), the first: {loaded.Errors[0]})");
            return entry;
        }

        return "sha256:" + WorkflowWriter.Hash(loaded.Definition);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    [GeneratedRegex("^(user|group):.+$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalPattern();

    [GeneratedRegex("^sha256:[0-9a-fA-F]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex HashPattern();

    private sealed record FileForm(
        Dictionary<string, List<string>>? Groups = null,
        GateFloors? Gates = null,
        DecisionRules? Decisions = null,
        List<StartForm>? Start = null,
        RunRules? Run = null,
        SkipRules? Skip = null,
        RehearsalRules? Rehearsals = null);

    private sealed record StartForm(List<string>? Who = null, List<string>? Workflows = null);
}
