using System.Security.Cryptography;
using System.Text;
using MdiFlow.Security;

namespace MdiFlow.Journal;

/// <summary>
/// The secret that keys every journal chain (HMAC-SHA256) and seals every stored instance document of a store. It
/// lives outside the store, so someone who can write the store file but not read the key cannot rewrite the record
/// without it being noticed.
/// </summary>
/// <remarks>
/// A key file holds one line, <c>mdiflow-journal-key-v1 BASE64</c> (32 random bytes). It is created owner-only
/// (0600; an owner-only access list on Windows) and refused when others may write it, or everyone may read it.
/// The key's <see cref="Id"/> (a fingerprint, never the key) is recorded with every instance.
/// </remarks>
public sealed class JournalKey
{
    private const string Header = "mdiflow-journal-key-v1";
    private const int Length = 32;
    private readonly byte[] _secret;

    private JournalKey(byte[] secret, string source)
    {
        _secret = secret;
        Source = source;
        Id = "k1-" + Convert.ToHexStringLower(SHA256.HashData([.. "mdiflow journal key id:"u8, .. secret]))[..16];
    }

    /// <summary>A fingerprint of the key (not the key), for example <c>k1-3f9a0c2b7d1e4a65</c>.</summary>
    public string Id { get; }

    /// <summary>Where the key came from, for messages: a file path, or "a key held in memory".</summary>
    public string Source { get; }

    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>A new random key kept in memory only (the in-memory store, tests).</summary>
    public static JournalKey Generate() => new(RandomNumberGenerator.GetBytes(Length), "a key held in memory");

    /// <summary>Reads the key file at <paramref name="path"/>.</summary>
    /// <exception cref="JournalKeyException">It is missing, unreadable, malformed, or others may change it.</exception>
    public static JournalKey Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new JournalKeyException($"The journal key '{full}' does not exist. It is created with the store; restore it from your backup (the store's record cannot be verified or extended without it).");
        }

        var owners = string.Equals(full, JournalKeyProvider.SystemPath, StringComparison.Ordinal) ? TrustedOwners.Administrators : TrustedOwners.Anyone;
        if (TrustedFile.Problem(full, owners, secret: true) is { } problem)
        {
            throw new JournalKeyException($"The journal key cannot be trusted: {problem}");
        }

        string text;
        try
        {
            text = File.ReadAllText(full, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new JournalKeyException($"The journal key '{full}' cannot be read by this account ({ex.GetType().Name}). Ask the store's administrator for read access (for a shared store: membership of the store's group).", ex);
        }

        var parts = text.Trim().Split(' ', 2);
        byte[]? secret = null;
        if (parts is [Header, var encoded])
        {
            try
            {
                secret = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
            }
        }

        return secret is { Length: Length }
            ? new JournalKey(secret, full)
            : throw new JournalKeyException($"'{full}' is not an MdiFlow journal key (expected one line '{Header} BASE64'). Restore the key file from your backup.");
    }

    /// <summary>Reads the key file at <paramref name="path"/>, creating it owner-only with a new random key when there is none.</summary>
    /// <exception cref="JournalKeyException">It cannot be read or created, or cannot be trusted.</exception>
    public static JournalKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            var secret = RandomNumberGenerator.GetBytes(Length);
            try
            {
                PrivateFile.WriteNew(full, $"{Header} {Convert.ToBase64String(secret)}\n");
            }
            catch (IOException) when (File.Exists(full))
            {
                // Another process created it at the same moment: use theirs.
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new JournalKeyException($"The journal key '{full}' cannot be created ({ex.Message}). Make its folder writable for this account, or point the store at a key an administrator created.", ex);
            }
        }

        return Load(full);
    }
}

/// <summary>The journal key cannot be used: the message says which file, why, and what to do.</summary>
public sealed class JournalKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public JournalKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalKeyException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public JournalKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
