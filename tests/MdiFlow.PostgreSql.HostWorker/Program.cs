using System.Globalization;
using MdiFlow;
using MdiFlow.Hosting;
using MdiFlow.PostgreSql.HostWorker;
using MdiFlow.Workers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// host-worker --host NAME [--interval SECONDS] [--lease SECONDS] [--no-listen]
// --no-listen: no LISTEN/NOTIFY wake-ups, the poll alone (the benchmarks compare both).
// The store's connection string (with its password) comes from MDIFLOW_TEST_STORE and the journal key file from
// MDIFLOW_TEST_KEY: nothing secret is on the command line. MDIFLOW_TEST_POLICY, when set, is the policy's JSON.
var host = Argument("--host") ?? Environment.MachineName;
var interval = TimeSpan.FromSeconds(double.Parse(Argument("--interval") ?? "5", CultureInfo.InvariantCulture));
var lease = TimeSpan.FromSeconds(double.Parse(Argument("--lease") ?? "300", CultureInfo.InvariantCulture));
var store = Environment.GetEnvironmentVariable("MDIFLOW_TEST_STORE") ?? throw new InvalidOperationException("Set MDIFLOW_TEST_STORE to the store's connection string.");
var key = Environment.GetEnvironmentVariable("MDIFLOW_TEST_KEY") ?? throw new InvalidOperationException("Set MDIFLOW_TEST_KEY to the journal key file.");

var policy = Environment.GetEnvironmentVariable("MDIFLOW_TEST_POLICY") is { Length: > 0 } json ? MdiFlow.Policy.OrganisationPolicy.Parse(json, "MDIFLOW_TEST_POLICY") : MdiFlow.Policy.OrganisationPolicy.Default;
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "host-worker" });
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
builder.Services.AddMdiFlow(flow => flow
        .UsePostgreSql(o =>
        {
            o.ConnectionString = store;
            o.KeyFile = key;
        })
        .UsePolicy(policy)
        .Configure(o =>
        {
            o.HostName = host;
            o.LeaseDuration = lease;
        }))
    .AddActivitiesFrom<HoldInput>();
if (args.Contains("--no-listen"))
{
    builder.Services.RemoveAll<IWakeSignal>();
}

builder.Services.AddMdiFlowWorker(o =>
{
    o.HostName = host;
    o.PollInterval = interval;
});
using var app = builder.Build();
await app.RunAsync().ConfigureAwait(false);

string? Argument(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
