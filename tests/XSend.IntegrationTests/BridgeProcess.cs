using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace XSend.IntegrationTests;

/// <summary>
/// The real xsend-serve executable on a loopback port, configured through XSEND_SERVE__*
/// variables; its stderr lines are kept, and <see cref="StartAsync"/> returns once it listens.
/// </summary>
public sealed class BridgeProcess : IAsyncDisposable
{
    private const int Sigterm = 15;
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private BridgeProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        _reading = ReadAsync();
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Everything the bridge printed on stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
                return _stderr.ToString();
        }
    }

    /// <summary>Starts xsend-serve with the account in <paramref name="config"/>, sending to <paramref name="recipient"/>.</summary>
    public static async Task<BridgeProcess> StartAsync(
        string config, string recipient, int port, string outbox, string? token = null, int retrySeconds = 1, bool verbose = false)
    {
        var environment = new Dictionary<string, string>
        {
            ["XSEND_SERVE__RECIPIENTS"] = recipient,
            ["XSEND_SERVE__RETRY_SECONDS"] = retrySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["XSEND_SERVE__DELIVERY_TIMEOUT_SECONDS"] = "3",
            ["XSEND_SERVE__MAX_BODY_BYTES"] = "65536",
        };
        if (token is not null)
            environment["XSEND_SERVE__TOKEN"] = token;
        Process process = XsendProcess.Start(["--config", config, "--listen", $"127.0.0.1:{port}", .. verbose ? new[] { "-v" } : []], outbox, binary: XsendProcess.ServeBinaryPath, environment: environment);
        process.StandardInput.Close();
        var bridge = new BridgeProcess(process, port);
        Task first = await Task.WhenAny(bridge._listening.Task, bridge._reading).WaitAsync(TimeSpan.FromSeconds(30));
        if (first != bridge._listening.Task)
            throw new InvalidOperationException($"xsend-serve did not start: {bridge.Stderr}");
        return bridge;
    }

    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    /// <summary>Completes with the next stderr line that <paramref name="match"/> accepts (printed after this call).</summary>
    public Task<string> NextLineAsync(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
            _waiters.Add((match, seen));
        return seen.Task;
    }

    private async Task ReadAsync()
    {
        Task<string> stdout = _process.StandardOutput.ReadToEndAsync();
        while (await _process.StandardError.ReadLineAsync() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    waiter.Seen.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
            if (line.Contains("serve: listening on", StringComparison.Ordinal))
                _listening.TrySetResult();
        }
        await stdout;
    }

    /// <summary>Kills the bridge with SIGKILL and waits for it to be gone.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends SIGTERM and waits (bounded) for the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
            _ = kill(_process.Id, Sigterm);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(limit.Token);
        await _reading.WaitAsync(limit.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
