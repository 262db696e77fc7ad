using System.Security.Cryptography;
using MdiFlow.Security;

namespace MdiFlow.Plugins.Standard.Zip;

/// <summary>
/// The archive copied once into a private folder (owner-only, in this account's temp folder) while it is hashed: the
/// bytes that are checked are the bytes that are extracted, whatever happens to the original afterwards (swapped,
/// rewritten in place).
/// </summary>
internal sealed class StagedArchive : IDisposable
{
    private const string Prefix = "mdiflow-archive-";

    private StagedArchive(string folder, string copy, string sha256)
    {
        Folder = folder;
        Copy = copy;
        Sha256 = sha256;
    }

    /// <summary>The private folder.</summary>
    public string Folder { get; }

    /// <summary>The private copy of the archive.</summary>
    public string Copy { get; }

    /// <summary>The SHA-256 of the copy, lowercase hex.</summary>
    public string Sha256 { get; }

    /// <exception cref="FileNotFoundException">The archive does not exist.</exception>
    /// <exception cref="IOException">It cannot be read or copied.</exception>
    /// <exception cref="UnauthorizedAccessException">Access is denied.</exception>
    public static async Task<StagedArchive> CreateAsync(string archive, CancellationToken cancellationToken)
    {
        if (Directory.Exists(archive))
        {
            throw new FileNotFoundException($"'{archive}' is a folder, not an archive.", archive);
        }

        using (new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            // Fails first for a missing or unreadable archive, before anything is created.
        }

        var folder = PrivateFile.CreateDirectory(Path.Join(Path.GetTempPath(), Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)))).FullName;
        try
        {
            var copy = Path.Join(folder, "archive.zip");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var source = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                var target = PrivateFile.CreateNew(copy);
                await using (target.ConfigureAwait(false))
                {
                    var buffer = new byte[1 << 16];
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            return new StagedArchive(folder, copy, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
