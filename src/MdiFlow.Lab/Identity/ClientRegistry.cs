using System.Collections.Concurrent;

namespace MdiFlow.Lab.Identity;

/// <summary>The applications registered with the issuer; more can be registered while it runs (once their address is known).</summary>
internal sealed class ClientRegistry
{
    private readonly ConcurrentDictionary<string, LabClient> _clients = new(StringComparer.Ordinal);

    public ClientRegistry(IEnumerable<LabClient> clients)
    {
        foreach (var client in clients)
        {
            Register(client);
        }
    }

    public void Register(LabClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(client.ClientId);
        _clients[client.ClientId] = client;
    }

    public LabClient? Find(string? clientId) => clientId is not null && _clients.TryGetValue(clientId, out var client) ? client : null;
}
