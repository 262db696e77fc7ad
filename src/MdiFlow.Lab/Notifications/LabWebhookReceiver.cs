using MdiFlow.Lab.Servers;
using Microsoft.AspNetCore.Http;

namespace MdiFlow.Lab.Notifications;

/// <summary>
/// An HTTP endpoint on 127.0.0.1 that records every request (a generic webhook, or a Teams incoming webhook, which
/// answers <c>1</c>); it can be told to fail the first few requests, to exercise a sender's retries.
/// </summary>
public sealed class LabWebhookReceiver : IAsyncDisposable
{
    private readonly ArrivalLog<LabWebhookRequest> _requests = new();
    private readonly TimeProvider _time;
    private readonly int _failFirst;
    private readonly int _failureStatus;
    private int _count;
    private LoopbackWebHost? _host;

    private LabWebhookReceiver(LabWebhookOptions options)
    {
        _time = options.TimeProvider;
        _failFirst = options.FailFirst;
        _failureStatus = options.FailureStatus;
    }

    /// <summary>The receiver's root, for example <c>http://127.0.0.1:41234/</c>; any path under it is accepted.</summary>
    public Uri Address => _host!.Address;

    /// <summary>Every request so far, failed ones included, in arrival order.</summary>
    public IReadOnlyList<LabWebhookRequest> Requests => _requests.Snapshot();

    /// <summary>Starts the receiver.</summary>
    public static async Task<LabWebhookReceiver> StartAsync(LabWebhookOptions? options = null, CancellationToken cancellationToken = default)
    {
        var receiver = new LabWebhookReceiver(options ?? new LabWebhookOptions());
        receiver._host = await LoopbackWebHost.StartAsync(receiver.HandleAsync, 0, cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    /// <summary>Completes once at least <paramref name="count"/> requests arrived (failed ones included).</summary>
    public Task<IReadOnlyList<LabWebhookRequest>> WaitForRequestsAsync(int count, CancellationToken cancellationToken = default) =>
        _requests.WaitForAsync(count, cancellationToken);

    /// <summary>Stops the receiver.</summary>
    public ValueTask DisposeAsync() => _host?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync(http.RequestAborted).ConfigureAwait(false);
        var status = Interlocked.Increment(ref _count) <= _failFirst ? _failureStatus : 200;
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Add(new LabWebhookRequest(http.Request.Method, http.Request.Path + http.Request.QueryString, headers, body, status, _time.GetUtcNow()));
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(status == 200 ? "1" : "The lab receiver was told to fail this request.", http.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>How the lab webhook receiver answers.</summary>
public sealed class LabWebhookOptions
{
    /// <summary>How many of the first requests fail (answered with <see cref="FailureStatus"/>).</summary>
    public int FailFirst { get; init; }

    /// <summary>The status of a failed request.</summary>
    public int FailureStatus { get; init; } = 503;

    /// <summary>The clock for the arrival times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>A request the lab webhook receiver got.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The path and query.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The body as text.</param>
/// <param name="Status">The status the receiver answered.</param>
/// <param name="At">When it arrived.</param>
public sealed record LabWebhookRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body, int Status, DateTimeOffset At);
