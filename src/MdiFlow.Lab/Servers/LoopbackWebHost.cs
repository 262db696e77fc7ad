using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MdiFlow.Lab.Servers;

/// <summary>A Kestrel server on 127.0.0.1 with a port the system picks, answering every request with one handler.</summary>
internal sealed class LoopbackWebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's root, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts on <paramref name="preferredPort"/> when it is free (a restarted lab keeps its addresses), else on any port.</summary>
    public static async Task<LoopbackWebHost> StartAsync(RequestDelegate handler, int preferredPort, CancellationToken cancellationToken)
    {
        if (preferredPort > 0)
        {
            try
            {
                return await StartOnAsync(handler, preferredPort, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
                // Taken by someone else since: any port will do.
            }
        }

        return await StartOnAsync(handler, 0, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<LoopbackWebHost> StartOnAsync(RequestDelegate handler, int port, CancellationToken cancellationToken)
    {
        var app = Build(handler, port);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LoopbackWebHost(app, new Uri(bound.TrimEnd('/') + "/"));
    }

    private static WebApplication Build(RequestDelegate handler, int port)
    {
        // The empty builder reads no appsettings or ASPNETCORE_* variables: nothing on the machine changes the lab.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(handler);
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
