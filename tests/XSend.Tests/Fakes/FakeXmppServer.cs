using System.Net;
using System.Net.Sockets;

namespace XSend.Tests.Fakes;

/// <summary>
/// A loopback TCP server that runs one scripted conversation per accepted connection, so the
/// real socket, SslStream and CLI paths run. For fault injection; the real server is Prosody.
/// </summary>
internal sealed class FakeXmppServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public FakeXmppServer(Func<ScriptedServer, Task> script)
    {
        _listener.Start();
        _accepting = AcceptOneAsync(script);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>What the script threw, if anything (a client that hung up early is not an error).</summary>
    public Exception? ScriptFailure { get; private set; }

    /// <summary>The conversation as the server saw it.</summary>
    public ScriptedServer? Conversation { get; private set; }

    private async Task AcceptOneAsync(Func<ScriptedServer, Task> script)
    {
        try
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using NetworkStream stream = client.GetStream();
            Conversation = new ScriptedServer(stream);
            await script(Conversation).WaitAsync(TimeSpan.FromSeconds(30), _stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ClientClosedException)
        {
        }
        catch (Exception ex)
        {
            ScriptFailure = ex;
        }
    }

    /// <summary>Waits (bounded) for the script to finish.</summary>
    public Task CompletionAsync() => _accepting.WaitAsync(TimeSpan.FromSeconds(30));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
