using System.Collections.Concurrent;

namespace MdiFlow.Lab.Servers;

/// <summary>
/// The local ports of the connections the lab proxy opened to the lab's servers, so a server can tell a
/// proxied request (absolute-URI or CONNECT tunnel alike) from a direct one by the connection's remote port.
/// </summary>
internal sealed class ProxyConnectionRegistry
{
    private readonly ConcurrentDictionary<int, byte> _ports = new();

    public bool IsFromProxy(int remotePort) => _ports.ContainsKey(remotePort);

    /// <summary>Registers a port until the returned handle is disposed.</summary>
    public IDisposable Register(int localPort)
    {
        _ports[localPort] = 0;
        return new Registration(this, localPort);
    }

    private sealed class Registration(ProxyConnectionRegistry registry, int port) : IDisposable
    {
        public void Dispose() => registry._ports.TryRemove(port, out _);
    }
}
