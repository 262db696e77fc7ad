using System.Security.Cryptography;
using MdiFlow.Activities;
using MdiFlow.Plugins.DefenderForIdentity.Graph;

namespace MdiFlow.Plugins.DefenderForIdentity.Packages;

/// <summary>
/// <c>mdi.downloadPackage</c>: asks Graph for the sensor package (<c>getDeploymentPackageUri</c>: <c>downloadUrl</c>,
/// <c>version</c>), downloads it without the Graph token, and records its version and SHA-256 for the change board; or
/// fingerprints an operator-supplied zip instead. A download lands in a temporary file first and is moved into place
/// only once complete (and, when <c>expectedSha256</c> is given, verified), so a crash never leaves a half zip.
/// </summary>
[Activity("mdi.downloadPackage", Description = "Downloads the sensor package through Microsoft Graph (getDeploymentPackageUri) and records its version and SHA-256.", Recovery = RecoveryMode.Idempotent, RunsOnTarget = true, Rehearsal = RehearsalMode.Double)]
internal sealed class DownloadPackageActivity(GraphClient graph, IHttpClientFactory httpClients, RehearsalSandbox sandbox) : Activity<DownloadPackageInput, DownloadPackageOutput>
{
    public const string HttpClientName = "MdiFlow.DefenderForIdentity.Package";
    public const string FileName = "Azure ATP Sensor Setup.zip";
    public const long MaxBytes = 2L * 1024 * 1024 * 1024;
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    protected override async ValueTask<ActivityResult> ExecuteAsync(DownloadPackageInput input, ActivityContext context)
    {
        var expected = string.IsNullOrWhiteSpace(input.ExpectedSha256) ? null : input.ExpectedSha256.Trim().ToLowerInvariant();
        if (expected is not null && (expected.Length != 64 || !expected.All(Uri.IsHexDigit)))
        {
            return InvalidInput.Fail(context, $"'expectedSha256' is \"{input.ExpectedSha256}\", which is not 64 hexadecimal digits.");
        }

        if (string.IsNullOrWhiteSpace(input.Destination))
        {
            return InvalidInput.Fail(context, "'destination' is empty; give the folder to download the package into.");
        }

        if (!InvalidInput.TryDuration(context, "timeout", string.IsNullOrWhiteSpace(input.Timeout) ? null : input.Timeout, DefaultTimeout, out var timeout, out var badTimeout))
        {
            return badTimeout;
        }

        if (!string.IsNullOrWhiteSpace(input.PackagePath))
        {
            return await FingerprintAsync(input.PackagePath.Trim(), expected, context).ConfigureAwait(false);
        }

        var answer = await graph.DeploymentPackageAsync(context.CancellationToken).ConfigureAwait(false);
        if (!answer.TryGetValue(out var package, out var error))
        {
            return ActivityResult.Fail(error);
        }

        if (!HttpUris.TryParse(package.DownloadUrl, out var url))
        {
            return ActivityResult.Fail(GraphFailures.UnexpectedShape(GraphCall.DeploymentPackageUri, "its downloadUrl is not an http or https URL"));
        }

        var version = package.Version!;
        var folder = Path.Combine(sandbox.Confine(context, input.Destination), SafeName(version));
        var target = Path.Combine(folder, FileName);
        var temporary = target + ".download";
        using var deadline = new CancellationTokenSource(timeout!.Value, context.Time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);
        string sha256;
        long size;
        try
        {
            Directory.CreateDirectory(folder);
            (sha256, size) = await DownloadAsync(url, temporary, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            TryDelete(temporary);
            return Failed("package.timedOut", $"Downloading the sensor package {version} from {url.Host} took longer than {timeout}.", retryable: true,
                "Check the bandwidth to the package host (sensorpackage-prd.mdi.securitycenter.microsoft.com must be on the allow-list), or give a longer 'timeout'.");
        }
        catch (PackageDownloadException ex)
        {
            TryDelete(temporary);
            return Failed("package.downloadFailed", $"The sensor package {version} could not be downloaded from {url.Host}: {ex.Message}", ex.Retryable,
                "Allow this server to reach sensorpackage-prd.mdi.securitycenter.microsoft.com on TCP 443 (directly or through the proxy), then retry; or download the package in the portal (Settings > Identities > Sensors > Add sensor) and give it as 'packagePath'.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return Failed("package.writeFailed", $"The sensor package could not be written to {folder}: {ex.Message}", retryable: false, "Make 'destination' a folder this account can write, then retry.");
        }

        if (expected is not null && expected != sha256)
        {
            TryDelete(temporary);
            return Failed("package.hashMismatch", $"The downloaded sensor package {version} has the SHA-256 {sha256}, not the expected {expected}.", retryable: false,
                "Graph now serves a different package than the one approved: check the version with the change board and update 'expectedSha256', or remove it to accept the current package.");
        }

        File.Move(temporary, target, overwrite: true);
        return Complete(new DownloadPackageOutput { Path = target, Version = version, Sha256 = sha256, SizeBytes = size, Source = "graph", DownloadHost = url.Host });
    }

    private async Task<(string Sha256, long Size)> DownloadAsync(Uri url, string path, CancellationToken cancellationToken)
    {
        // A plain client: the Graph token must never travel to the package host.
        var client = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new PackageDownloadException(ex.Message, retryable: true);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw new PackageDownloadException(
                    status is 401 or 403 ? $"the host answered {status} (the download link may have expired; links from getDeploymentPackageUri are short-lived)" : $"the host answered {status} {response.ReasonPhrase}",
                    retryable: status is 401 or 403 or 408 or 429 or >= 500);
            }

            if (response.Content.Headers.ContentLength is > MaxBytes)
            {
                throw new PackageDownloadException($"it is {response.Content.Headers.ContentLength} bytes, more than the {MaxBytes} a sensor package can be", retryable: false);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    var buffer = new byte[81920];
                    int read;
                    try
                    {
                        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                        {
                            size += read;
                            if (size > MaxBytes)
                            {
                                throw new PackageDownloadException($"it is more than the {MaxBytes} bytes a sensor package can be", retryable: false);
                            }

                            hash.AppendData(buffer, 0, read);
                            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (HttpRequestException ex)
                    {
                        throw new PackageDownloadException($"the connection broke after {size} bytes ({ex.Message})", retryable: true);
                    }

                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
        }
    }

    private static async Task<ActivityResult> FingerprintAsync(string path, string? expected, ActivityContext context)
    {
        if (!File.Exists(path))
        {
            return Failed("package.notFound", $"The package '{path}' does not exist.", retryable: false, "Give the zip downloaded from the portal (Settings > Identities > Sensors > Add sensor), or leave 'packagePath' out to download it through Graph.");
        }

        string sha256;
        long size;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, context.CancellationToken).ConfigureAwait(false));
            size = stream.Length;
        }

        if (expected is not null && expected != sha256)
        {
            return Failed("package.hashMismatch", $"The package '{path}' has the SHA-256 {sha256}, not the expected {expected}.", retryable: false, "Use the package the change board approved, or update 'expectedSha256'.");
        }

        return Complete(new DownloadPackageOutput { Path = Path.GetFullPath(path), Sha256 = sha256, SizeBytes = size, Source = "operator" });
    }

    private static ActivityResult Failed(string code, string message, bool retryable, string fix) =>
        ActivityResult.Fail(new ActivityError(code, message, Permanent: !retryable) { Fix = fix });

    private static string SafeName(string version) =>
        new([.. version.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Replaced by the next attempt.
        }
    }

    private sealed class PackageDownloadException(string message, bool retryable) : Exception(message)
    {
        public bool Retryable { get; } = retryable;
    }
}
