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

    private readonly List<Task> _conversations = [];

    /// <summary>Starts listening; each accepted connection (up to <paramref name="maxConnections"/>) runs the script.</summary>
    public FakeXmppServer(Func<ScriptedServer, Task> script, int maxConnections = 10)
    {
        _listener.Start();
        _accepting = AcceptAsync(script, maxConnections);
    }

    /// <summary>How many connections the client made (retries show up here).</summary>
    public int Connections { get; private set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>What the script threw, if anything (a client that hung up early is not an error).</summary>
    public Exception? ScriptFailure { get; private set; }

    /// <summary>The conversation as the server saw it.</summary>
    public ScriptedServer? Conversation { get; private set; }

    private async Task AcceptAsync(Func<ScriptedServer, Task> script, int maxConnections)
    {
        try
        {
            for (int i = 0; i < maxConnections; i++)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Connections++;
                var conversation = new ScriptedServer(client.GetStream());
                Conversation = conversation;
                lock (_conversations)
                    _conversations.Add(RunConversationAsync(client, conversation, script));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task RunConversationAsync(TcpClient client, ScriptedServer conversation, Func<ScriptedServer, Task> script)
    {
        using (client)
        try
        {
            await script(conversation).WaitAsync(TimeSpan.FromSeconds(30), _stop.Token);
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

    /// <summary>Waits (bounded) for the conversations so far to finish.</summary>
    public Task CompletionAsync()
    {
        lock (_conversations)
            return Task.WhenAll(_conversations).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(5));
            Task[] running;
            lock (_conversations)
                running = [.. _conversations];
            await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
        }
        _stop.Dispose();
    }
}
