using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MdiFlow.Web.Tests.Support;

/// <summary>Debian's headless Chromium, started once for every browser test (Playwright's own browser download is never used).</summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package ('apt-get install -y chromium'; .ci/run does it).");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) at a desktop width, trusting the page's self-signed certificate.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 900) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, ViewportSize = new ViewportSize { Width = width, Height = height } });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>
{
    public const string Name = "chromium";
}

/// <summary>Where the browser tests write screenshots for a reviewer: TestResults/web-screenshots at the repository root (ignored by git).</summary>
internal static class Artifacts
{
    public static string Directory { get; } = System.IO.Directory.CreateDirectory(Path.Combine(Repository.Root, "TestResults", "web-screenshots")).FullName;

    public static string PathOf(string name) => Path.Combine(Directory, name);
}

/// <summary>Screenshots of a page at 1280 and 390 px, each checked to fit its width without scrolling sideways.</summary>
internal static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name, ITestOutputHelper output)
    {
        foreach (var width in new[] { 1280, 390 })
        {
            await page.SetViewportSizeAsync(width, 900);
            var path = Artifacts.PathOf($"{name}-{width}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            output.WriteLine($"screenshot: {path}");
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
            overflow.Should().BeLessThanOrEqualTo(0, $"the {name} page must fit {width} px without scrolling sideways");
        }

        await page.SetViewportSizeAsync(1280, 900);
    }
}

/// <summary>What a person does at the lab issuer's login page.</summary>
internal static class LabSignIn
{
    /// <summary>Opens <paramref name="url"/>, signs in as <paramref name="person"/> at the lab login page, and waits to be back on the page.</summary>
    public static async Task<IPage> OpenSignedInAsync(IBrowserContext context, WebHarness web, Uri url, string person, bool mfa = true)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await SignInAsync(page, web, person, mfa);
        return page;
    }

    public static Task SignInAsync(IPage page, WebHarness web, string person, bool mfa = true) => SignInAsync(page, web.Address, person, mfa);

    /// <summary>Signs in as <paramref name="person"/> at the lab login page and waits to be back on the page at <paramref name="site"/>.</summary>
    public static async Task SignInAsync(IPage page, Uri site, string person, bool mfa = true)
    {
        await page.GetByText("Sign in to the MdiFlow lab").First.WaitForAsync();
        await page.CheckAsync($"input[name=person][value={person}]");
        if (mfa)
        {
            await page.CheckAsync("#mfa");
        }

        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => u.StartsWith(site.ToString(), StringComparison.Ordinal) && !u.Contains("signin-oidc", StringComparison.Ordinal));
    }
}
