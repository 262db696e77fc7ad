using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Identity;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace MdiFlow.Plugins.DefenderForIdentity.Graph;

/// <summary>
/// The Microsoft Graph calls the MDI activities make, typed with the documented camelCase shapes.
/// Collections follow <c>@odata.nextLink</c>; failures come back as <see cref="GraphResult{T}"/> errors that
/// name the permission a refused call needs. Retries (429 with Retry-After, 5xx) are the HTTP client's
/// resilience handler's job, registered by <c>AddDefenderForIdentity</c>.
/// </summary>
internal sealed partial class GraphClient(IHttpClientFactory httpClients, IOptions<DefenderForIdentityOptions> options)
{
    /// <summary>The named HttpClient that carries the token handler and the standard resilience handler.</summary>
    public const string HttpClientName = "MdiFlow.DefenderForIdentity.Graph";

    // A tenant has a handful of SKUs and roles; more pages than this means a nextLink loop.
    private const int MaxPages = 100;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly DefenderForIdentityOptions _options = options.Value;

    public Task<GraphResult<IReadOnlyList<SubscribedSku>>> SubscribedSkusAsync(CancellationToken cancellationToken) =>
        ListAsync<SubscribedSku>(GraphCall.SubscribedSkus, "v1.0/subscribedSkus", cancellationToken);

    public Task<GraphResult<IReadOnlyList<LicenseDetail>>> LicenseDetailsAsync(string user, CancellationToken cancellationToken) =>
        ListAsync<LicenseDetail>(GraphCall.LicenseDetails, $"v1.0/users/{Uri.EscapeDataString(user)}/licenseDetails", cancellationToken);

    public Task<GraphResult<GraphUser>> MeAsync(CancellationToken cancellationToken) =>
        GetAsync<GraphUser>(GraphCall.Me, Address("v1.0/me"), cancellationToken);

    public Task<GraphResult<GraphUser>> UserAsync(string user, CancellationToken cancellationToken) =>
        GetAsync<GraphUser>(GraphCall.User, Address($"v1.0/users/{Uri.EscapeDataString(user)}"), cancellationToken);

    /// <summary>The principal's direct role assignments (<c>$filter=principalId eq '{id}'</c>); group-based ones are not listed.</summary>
    public Task<GraphResult<IReadOnlyList<RoleAssignment>>> RoleAssignmentsAsync(string principalId, CancellationToken cancellationToken) =>
        ListAsync<RoleAssignment>(
            GraphCall.RoleAssignments,
            "v1.0/roleManagement/directory/roleAssignments?$filter=" + Uri.EscapeDataString($"principalId eq '{principalId.Replace("'", "''", StringComparison.Ordinal)}'"),
            cancellationToken);

    /// <summary>The directory roles and groups the user (the signed-in one when <paramref name="user"/> is null) is a direct member of.</summary>
    public Task<GraphResult<IReadOnlyList<DirectoryObject>>> MemberOfAsync(string? user, CancellationToken cancellationToken) =>
        ListAsync<DirectoryObject>(
            GraphCall.MemberOf,
            user is null ? "v1.0/me/memberOf" : $"v1.0/users/{Uri.EscapeDataString(user)}/memberOf",
            cancellationToken);

    private Uri Address(string relative)
    {
        var root = _options.GraphBaseAddress.AbsoluteUri.EndsWith('/') ? _options.GraphBaseAddress : new Uri(_options.GraphBaseAddress.AbsoluteUri + "/");
        return new Uri(root, relative);
    }

    private async Task<GraphResult<IReadOnlyList<T>>> ListAsync<T>(GraphCall call, string relative, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var next = Address(relative);
        for (var page = 0; page < MaxPages; page++)
        {
            var result = await GetAsync<GraphPage<T>>(call, next, cancellationToken).ConfigureAwait(false);
            if (!result.TryGetValue(out var value, out var error))
            {
                return GraphResult<IReadOnlyList<T>>.Failure(error);
            }

            items.AddRange(value.Value);
            if (value.NextLink is null)
            {
                return GraphResult<IReadOnlyList<T>>.Success(items);
            }

            // The token goes only to the configured Graph root, whatever a response asks for.
            if (!Uri.TryCreate(value.NextLink, UriKind.Absolute, out var link) ||
                Uri.Compare(link, _options.GraphBaseAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                return GraphResult<IReadOnlyList<T>>.Failure(GraphFailures.UnexpectedShape(call, "its @odata.nextLink does not point at the configured Graph address"));
            }

            next = link;
        }

        return GraphResult<IReadOnlyList<T>>.Failure(GraphFailures.UnexpectedShape(call, $"it kept returning @odata.nextLink after {MaxPages} pages"));
    }

    private Task<GraphResult<T>> GetAsync<T>(GraphCall call, Uri address, CancellationToken cancellationToken)
        where T : class => SendAsync<T>(call, HttpMethod.Get, address, body: null, cancellationToken);

    /// <summary>Sends one request; <typeparamref name="T"/> is <see cref="NoContent"/> for calls documented to answer with no body.</summary>
    private async Task<GraphResult<T>> SendAsync<T>(GraphCall call, HttpMethod method, Uri address, object? body, CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(method, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationFailedException ex)
        {
            return GraphResult<T>.Failure(GraphFailures.Authentication(call, _options, ex));
        }
        catch (HttpRequestException ex)
        {
            return GraphResult<T>.Failure(GraphFailures.Unreachable(call, address, ex.Message));
        }
        catch (BrokenCircuitException)
        {
            return GraphResult<T>.Failure(GraphFailures.Unreachable(call, address, "too many recent requests to Microsoft Graph failed, so new ones are held back for a while"));
        }
        catch (Exception ex) when (ex is TimeoutRejectedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return GraphResult<T>.Failure(GraphFailures.Unreachable(call, address, "no answer came in time, even after retries"));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
                return GraphResult<T>.Failure(GraphFailures.Status(call, _options.Authentication.Mode, response, error));
            }

            if (typeof(T) == typeof(NoContent))
            {
                return GraphResult<T>.Success((T)(object)NoContent.Instance);
            }

            try
            {
                var value = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
                return value is null
                    ? GraphResult<T>.Failure(GraphFailures.UnexpectedShape(call, "its body is empty"))
                    : GraphResult<T>.Success(value);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                // Never quote the body: for the access key it is the secret itself.
                return GraphResult<T>.Failure(GraphFailures.UnexpectedShape(call, "its body is not the documented JSON"));
            }
        }
    }

    private static async Task<GraphErrorDetail?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<GraphErrorBody>(Json, cancellationToken).ConfigureAwait(false);
            return body?.Error;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException)
        {
            // A proxy's HTML page or an empty body: the status says enough.
            return null;
        }
    }
}
