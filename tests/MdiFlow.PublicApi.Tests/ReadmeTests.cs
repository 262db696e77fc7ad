using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MdiFlow.PublicApi.Tests;

/// <summary>The README's embedding snippet compiles as pasted: it is taken from README.md and built against this repository's libraries.</summary>
public sealed partial class ReadmeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mdiflow-readme-").FullName;

    [Fact]
    public void The_embedding_snippet_in_the_readme_compiles_as_pasted()
    {
        var readme = File.ReadAllText(Path.Combine(ApiApproval.RepositoryRoot, "README.md"));
        var snippet = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).First(code => code.Contains("AddMdiFlow", StringComparison.Ordinal));
        var libraries = Path.GetDirectoryName(typeof(ReadmeTests).Assembly.Location)!;
        var references = new[] { "MdiFlow.Core", "MdiFlow.Sqlite", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.DependencyInjection.Abstractions" }
            .Select(name => $"    <Reference Include=\"{Path.Combine(libraries, name + ".dll")}\" />");
        File.WriteAllText(Path.Combine(_folder, "Snippet.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
            {string.Join('\n', references)}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_folder, "Program.cs"), snippet);

        var (code, output) = Build(_folder);

        code.Should().Be(0, $"the README's snippet must compile as pasted:\n{snippet}\n{output}");
        File.Exists(Path.Combine(_folder, "bin", "Debug", "net10.0", "Snippet.dll")).Should().BeTrue(output);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Output) Build(string folder)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "build", "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = new StringBuilder(process.StandardOutput.ReadToEnd());
        process.WaitForExit();
        return (process.ExitCode, output.Append(error.Result).ToString());
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
