using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>One request the loopback Graph saw.</summary>
internal sealed record SeenRequest(string Method, string PathAndQuery, string? Authorization, DateTimeOffset At, string Body = "");

/// <summary>One answer of the loopback Graph.</summary>
internal sealed record Answer(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Answer Json(string body) => new(200, body);

    public static Answer GraphError(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null) => new(
        status,
        $$"""{ "error": { "code": "{{code}}", "message": "{{message}}", "innerError": { "date": "2025-03-14T10:15:32", "request-id": "6f1e2b7c-0c55-4c43-9b4a-2b3f3f1d9a10", "client-request-id": "6f1e2b7c-0c55-4c43-9b4a-2b3f3f1d9a10" } } }""",
        headers);
}

/// <summary>
/// Microsoft Graph on 127.0.0.1 (System.Net.HttpListener on a free port): answers each path (and query) with the
/// answers queued for it, in order, the last one repeating; anything else is a Graph 404.
/// </summary>
internal sealed class GraphServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, List<Answer>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenRequest> _seen = new();
    private readonly TimeProvider _clock;
    private readonly Task _serving;

    public GraphServer(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<SeenRequest> Requests => [.. _seen];

    /// <summary>Answers requests to <paramref name="pathAndQuery"/> (for example "/v1.0/me") with these answers in turn.</summary>
    public GraphServer On(string pathAndQuery, params Answer[] answers)
    {
        _routes[pathAndQuery] = [.. answers];
        return this;
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Respond(context);
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var pathAndQuery = Uri.UnescapeDataString(context.Request.Url!.PathAndQuery);
        using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
        _seen.Enqueue(new SeenRequest(context.Request.HttpMethod, pathAndQuery, context.Request.Headers["Authorization"], _clock.GetUtcNow(), reader.ReadToEnd()));
        var answer = Next(pathAndQuery) ?? Next(context.Request.Url.AbsolutePath)
            ?? Answer.GraphError(404, "Request_ResourceNotFound", $"Resource '{pathAndQuery}' does not exist.");
        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = "application/json; odata.metadata=minimal";
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        var body = Encoding.UTF8.GetBytes(answer.Body);
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }

    private Answer? Next(string key)
    {
        if (!_routes.TryGetValue(key, out var answers))
        {
            return null;
        }

        lock (answers)
        {
            var answer = answers[0];
            if (answers.Count > 1)
            {
                answers.RemoveAt(0);
            }

            return answer;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
    }
}
