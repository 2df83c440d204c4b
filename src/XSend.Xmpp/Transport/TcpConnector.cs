using System.Net;
using System.Net.Sockets;
using XSend.Xmpp.Errors;

namespace XSend.Xmpp.Transport;

/// <summary>
/// Resolves a host and connects to it the Happy Eyeballs way (RFC 8305): every address is
/// tried, IPv6 and IPv4 interleaved, each attempt starting when the previous one fails or after
/// a short delay, whichever comes first; the first to connect wins. A dead address (one that
/// swallows SYNs) therefore costs <see cref="AttemptDelay"/>, not the whole deadline.
/// </summary>
internal static class TcpConnector
{
    /// <summary>RFC 8305 §5: the recommended Connection Attempt Delay is 250 ms.</summary>
    public static readonly TimeSpan AttemptDelay = TimeSpan.FromMilliseconds(250);

    /// <param name="host">A host name or address literal.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="resolver">Replaces the system resolver, if set.</param>
    /// <param name="attempts">Receives one line per address tried, with its outcome.</param>
    /// <param name="cancellationToken">Cancels resolution and connection.</param>
    public static async Task<Socket> ConnectAsync(
        string host, int port, Func<string, CancellationToken, Task<IPAddress[]>>? resolver, List<string> attempts, CancellationToken cancellationToken)
    {
        IPAddress[] addresses = Interleave(await ResolveAsync(host, resolver, cancellationToken).ConfigureAwait(false));
        var failures = new List<SocketException>();
        using var race = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new List<Task<Socket>>();
        int next = 0;
        try
        {
            while (next < addresses.Length || pending.Count > 0)
            {
                if (next < addresses.Length)
                    pending.Add(AttemptAsync(new IPEndPoint(addresses[next++], port), attempts, race.Token));

                // Wait for an attempt to finish, or for the delay before starting the next one.
                Task delay = Task.Delay(next < addresses.Length ? AttemptDelay : Timeout.InfiniteTimeSpan, race.Token);
                Task finished = await Task.WhenAny([.. pending, delay]).ConfigureAwait(false);
                if (finished == delay)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    continue;
                }

                var attempt = (Task<Socket>)finished;
                pending.Remove(attempt);
                if (attempt.IsCompletedSuccessfully)
                    return attempt.Result;
                if (attempt.Exception?.InnerException is SocketException socketError)
                    failures.Add(socketError);
                else
                    await attempt.ConfigureAwait(false); // cancellation or an unexpected error: rethrow it
            }
        }
        finally
        {
            // The losers: stop them and close whatever they still connect.
            race.Cancel();
            foreach (Task<Socket> loser in pending)
                _ = loser.ContinueWith(t => t.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        string where = $"{host}:{port}";
        if (failures.Count > 0 && failures.All(f => f.SocketErrorCode == SocketError.ConnectionRefused))
            throw new XmppConnectionException(ConnectionFailure.Refused, $"connection refused by {where}", failures[^1]);
        string reason = failures.Count > 0 ? failures[^1].Message : "no addresses";
        throw new XmppConnectionException(ConnectionFailure.Unreachable, $"cannot reach {where}: {reason}", failures.LastOrDefault());
    }

    private static async Task<Socket> AttemptAsync(IPEndPoint endpoint, List<string> attempts, CancellationToken cancellationToken)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            Record(attempts, $"{endpoint} connected");
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            Record(attempts, $"{endpoint} {ex.SocketErrorCode}");
            throw;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            Record(attempts, $"{endpoint} abandoned");
            throw;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Record(List<string> attempts, string line)
    {
        lock (attempts)
            attempts.Add(line);
    }

    /// <summary>RFC 8305 §4: alternate address families, starting with the first one resolved.</summary>
    internal static IPAddress[] Interleave(IPAddress[] addresses)
    {
        if (addresses.Length == 0)
            return addresses;
        AddressFamily first = addresses[0].AddressFamily;
        var primary = new Queue<IPAddress>(addresses.Where(a => a.AddressFamily == first));
        var secondary = new Queue<IPAddress>(addresses.Where(a => a.AddressFamily != first));
        var ordered = new List<IPAddress>(addresses.Length);
        while (primary.Count > 0 || secondary.Count > 0)
        {
            if (primary.Count > 0)
                ordered.Add(primary.Dequeue());
            if (secondary.Count > 0)
                ordered.Add(secondary.Dequeue());
        }
        return [.. ordered];
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
