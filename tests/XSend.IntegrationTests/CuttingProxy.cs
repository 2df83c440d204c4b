using System.Net;
using System.Net.Sockets;

namespace XSend.IntegrationTests;

/// <summary>
/// A loopback TCP proxy in front of a real server that can cut a connection mid-stream: the
/// first connection is cut (both sides closed) once the client has sent <c>cutAfterClientBytes</c>
/// through it; later connections pass untouched. Bytes past the cut are never forwarded.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _targetPort;
    private readonly long _cutAfterClientBytes;
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private int _connections;

    public CuttingProxy(int targetPort, long cutAfterClientBytes)
    {
        _targetPort = targetPort;
        _cutAfterClientBytes = cutAfterClientBytes;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>How many connections the client made through the proxy.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes when the first connection has been cut.</summary>
    public Task Cut => _cut.Task;

    private readonly TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly List<Socket> _open = [];

    /// <summary>While set, new connections are closed as soon as they are accepted (the server seems down).</summary>
    public bool Refusing { get; set; }

    /// <summary>Cuts every connection open now, closing both sides (a TCP cut on the path).</summary>
    public void CutAll()
    {
        lock (_pumps)
        {
            foreach (Socket socket in _open)
                socket.Dispose();
            _open.Clear();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client = await _listener.AcceptSocketAsync(_stop.Token);
                if (Refusing)
                {
                    client.Dispose(); // as if the server were down
                    continue;
                }
                int number = Interlocked.Increment(ref _connections);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                long limit = number == 1 ? _cutAfterClientBytes : long.MaxValue;
                lock (_pumps)
                {
                    _open.Add(client);
                    _open.Add(server);
                    _pumps.Add(Task.WhenAll(PumpAsync(client, server, limit), PumpAsync(server, client, long.MaxValue)));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/>; after <paramref name="limit"/> bytes, closes both.</summary>
    private async Task PumpAsync(Socket from, Socket to, long limit)
    {
        byte[] buffer = new byte[16 * 1024];
        long copied = 0;
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                    break;
                int forward = (int)Math.Min(read, limit - copied);
                if (forward > 0)
                    await to.SendAsync(buffer.AsMemory(0, forward), SocketFlags.None, _stop.Token);
                copied += forward;
                if (copied >= limit)
                {
                    _cut.TrySetResult();
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Task[] pumps;
        lock (_pumps)
            pumps = [.. _pumps];
        try
        {
            await Task.WhenAll([_accepting, .. pumps]).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
