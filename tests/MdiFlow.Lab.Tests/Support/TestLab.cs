using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Core;
using MdiFlow.Testing;

namespace MdiFlow.Lab.Tests.Support;

/// <summary>A lab started for one test, with its own state folder; disposing stops it and deletes the folder.</summary>
internal sealed class TestLab : IAsyncDisposable
{
    private TestLab(TempDirectory temp, LabEnvironment lab)
    {
        Temp = temp;
        Lab = lab;
    }

    public TempDirectory Temp { get; }

    public LabEnvironment Lab { get; }

    /// <summary>The stand-in setup as the tests run it: the StandInHost program built beside them, through the dotnet host.</summary>
    public static IReadOnlyList<string> StandInCommand { get; } =
        [DotnetHost(), Path.Combine(AppContext.BaseDirectory, "MdiFlow.Lab.StandInHost.dll")];

    /// <summary>Starts a lab on a profile of workflows/lab, optionally changed first (written to a file of the same name).</summary>
    public static async Task<TestLab> StartAsync(string profile, Action<JsonObject>? change = null, TempDirectory? temp = null)
    {
        temp ??= new TempDirectory();
        var path = Repository.ProfileFile(profile);
        if (change is not null)
        {
            var json = JsonNode.Parse(await File.ReadAllTextAsync(path))!.AsObject();
            change(json);
            path = temp.Combine(profile + ".json");
            await File.WriteAllTextAsync(path, json.ToJsonString());
        }

        var lab = await LabEnvironment.StartAsync(new LabOptions
        {
            ProfilePath = path,
            StateDirectory = temp.Combine("state"),
            StandInCommand = StandInCommand,
        });
        return new TestLab(temp, lab);
    }

    /// <summary>An HttpClient for the lab's Graph, with the lab's bearer token.</summary>
    public HttpClient Graph()
    {
        var token = Lab.Credential.GetToken(new TokenRequestContext(["https://graph.microsoft.com/.default"]), default).Token;
        var client = new HttpClient { BaseAddress = Lab.GraphBaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Lab.DisposeAsync();
        Temp.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process
        : "dotnet";
}
