using System.Net;
using System.Net.Sockets;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Transport;

/// <summary>Resolves a host and opens a TCP connection to the first address that answers.</summary>
internal static class TcpConnector
{
    /// <param name="host">A host name or address literal.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="resolver">Replaces the system resolver, if set.</param>
    /// <param name="attempts">Receives one line per address tried, with its outcome.</param>
    /// <param name="cancellationToken">Cancels resolution and connection.</param>
    public static async Task<Socket> ConnectAsync(
        string host, int port, Func<string, CancellationToken, Task<IPAddress[]>>? resolver, List<string> attempts, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await ResolveAsync(host, resolver, cancellationToken).ConfigureAwait(false);
        var failures = new List<SocketException>();
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var endpoint = new IPEndPoint(address, port);
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                attempts.Add($"{endpoint} connected");
                return socket;
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                failures.Add(ex);
                attempts.Add($"{endpoint} {ex.SocketErrorCode}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        string where = $"{host}:{port}";
        if (failures.Count > 0 && failures.All(f => f.SocketErrorCode == SocketError.ConnectionRefused))
            throw new XmppConnectionException(ConnectionFailure.Refused, $"connection refused by {where}", failures[^1]);
        string reason = failures.Count > 0 ? failures[^1].Message : "no addresses";
        throw new XmppConnectionException(ConnectionFailure.Unreachable, $"cannot reach {where}: {reason}", failures.LastOrDefault());
    }

    private static async Task<IPAddress[]> ResolveAsync(
        string host, Func<string, CancellationToken, Task<IPAddress[]>>? resolver, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host, out IPAddress? literal))
            return [literal];
        try
        {
            IPAddress[] addresses = resolver is null
                ? await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false)
                : await resolver(host, cancellationToken).ConfigureAwait(false);
            if (addresses.Length == 0)
                throw new XmppConnectionException(ConnectionFailure.HostNotFound, $"host '{host}' has no addresses");
            return addresses;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TryAgain)
        {
            throw new XmppConnectionException(ConnectionFailure.Unreachable, $"DNS lookup of '{host}' failed temporarily: {ex.Message}", ex);
        }
        catch (SocketException ex)
        {
            throw new XmppConnectionException(ConnectionFailure.HostNotFound, $"host '{host}' not found", ex);
        }
    }
}
