using System.Diagnostics;
using System.Text;
using MdiFlow.Testing;

namespace MdiFlow.Plugins.DefenderForIdentity.Tests.Support;

/// <summary>
/// Real PowerShell 7 (pwsh), as .ci/run installs it: the <c>PowerShell</c> dotnet tool in the repository's <c>.tools</c>
/// folder, or pwsh on PATH. Without it the tests that need it fail and say how to install it; they never pass silently.
/// </summary>
internal static class PowerShell7
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    private static readonly Lazy<string> Found = new(Find);

    /// <exception cref="InvalidOperationException">pwsh is not installed; the message says how to install it.</exception>
    public static string Executable => Found.Value;

    /// <summary>Runs a script file with arguments and returns what it printed; a non-zero exit fails with its output.</summary>
    public static async Task<string> RunFileAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-File", script }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry or update checks from the test runs.
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Limit);
        await process.WaitForExitAsync(deadline.Token);
        var (stdout, stderr) = (await output, await error);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pwsh exited with {process.ExitCode}: {stderr}{stdout}");
        }

        return stdout;
    }

    /// <summary>
    /// Defines the functions of <paramref name="script"/> (taken from its parsed syntax tree, so nothing else in it runs)
    /// and runs <paramref name="test"/> with them; returns what it printed.
    /// </summary>
    public static async Task<string> RunFunctionsAsync(string script, string test)
    {
        using var temp = new TempDirectory();
        var scriptFile = temp.Combine("script.ps1");
        var testFile = temp.Combine("test.ps1");
        var driver = temp.Combine("driver.ps1");
        await File.WriteAllTextAsync(scriptFile, script);
        await File.WriteAllTextAsync(testFile, test);
        await File.WriteAllTextAsync(driver, """
            param([string] $ScriptPath, [string] $TestPath)
            $ErrorActionPreference = 'Stop'
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($ScriptPath, [ref] $tokens, [ref] $errors)
            if ($errors.Count -gt 0) { throw "The script does not parse: $($errors[0].Message)" }
            foreach ($function in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false)) {
                . ([scriptblock]::Create($function.Extent.Text))
            }
            . $TestPath
            """);
        return await RunFileAsync(driver, scriptFile, testFile);
    }

    /// <summary>pwsh from .tools or PATH; when there is none, the pinned tool is installed into .tools first (so `dotnet test` alone sets it up).</summary>
    private static string Find()
    {
        var name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
        var tools = Path.Combine(RepositoryRoot(), ".tools");
        var candidates = new List<string> { Path.Combine(tools, name) };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, name)));
        if (candidates.FirstOrDefault(File.Exists) is { } found)
        {
            return found;
        }

        var install = Process.Start(new ProcessStartInfo("dotnet", ["tool", "install", "--tool-path", tools, "PowerShell", "--version", "7.6.9"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = install.StandardError.ReadToEndAsync();
        install.StandardOutput.ReadToEnd();
        install.WaitForExit();
        return File.Exists(candidates[0]) ? candidates[0] : throw new InvalidOperationException(
            $"PowerShell 7 (pwsh) is not installed and could not be installed ({stderr.Result.Trim()}), so the embedded PowerShell scripts cannot be checked. Install it with: dotnet tool install --tool-path {tools} PowerShell --version 7.6.9");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MdiFlow.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: no MdiFlow.sln above " + AppContext.BaseDirectory);
    }
}
