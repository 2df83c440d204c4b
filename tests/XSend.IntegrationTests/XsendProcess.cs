using System.Diagnostics;
using System.Text;

namespace XSend.IntegrationTests;

/// <summary>The result of running the real xsend executable.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>
/// Runs the xsend executable: $XSEND_BIN (CI sets it to the Native AOT binary) or the apphost
/// built next to these tests. HOME points at an empty directory so no user config leaks in.
/// </summary>
public static class XsendProcess
{
    public static string BinaryPath { get; } =
        Environment.GetEnvironmentVariable("XSEND_BIN") is { Length: > 0 } bin ? Path.GetFullPath(bin) : Path.Combine(AppContext.BaseDirectory, "xsend");

    private static readonly string EmptyHome = Directory.CreateTempSubdirectory("xsend-home-").FullName;

    /// <summary>
    /// Runs xsend; its outbox is <paramref name="outbox"/> and its state directory (FAST tokens,
    /// user-agent pool) <paramref name="state"/>, each a fresh empty directory by default.
    /// </summary>
    /// <param name="redirections">Shell redirections applied to xsend itself (e.g. <c>&lt;&amp;- 2&gt;&amp;-</c>
    /// to close stdin and stderr): xsend is then started by /bin/sh with them.</param>
    /// <param name="onOutputLine">Called with each stdout line as it is printed (to wait for an event, not a guessed time).</param>
    public static async Task<ProcessResult> RunAsync(
        IEnumerable<string> args, string? stdin = null, TimeSpan? limit = null, string? outbox = null, string? redirections = null,
        Action<string>? onOutputLine = null, string? state = null, string? binary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var clock = Stopwatch.StartNew();
        using Process process = Start(args, outbox, redirections, state, binary, environment);
        Task<string> stdout = onOutputLine is null ? process.StandardOutput.ReadToEndAsync() : ReadLinesAsync(process.StandardOutput, onOutputLine);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            var writer = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false));
            await writer.WriteAsync(stdin);
            await writer.FlushAsync();
        }
        process.StandardInput.Close();

        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"xsend {string.Join(' ', args)} did not exit within its limit");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr, clock.Elapsed);
    }

    private static async Task<string> ReadLinesAsync(StreamReader reader, Action<string> onLine)
    {
        var all = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            all.Append(line).Append('\n');
            onLine(line);
        }
        return all.ToString();
    }

    /// <summary>The xsend-serve executable: $XSEND_SERVE_BIN (the Native AOT binary in CI) or the apphost built next to these tests.</summary>
    public static string ServeBinaryPath { get; } =
        Environment.GetEnvironmentVariable("XSEND_SERVE_BIN") is { Length: > 0 } bin ? Path.GetFullPath(bin) : Path.Combine(AppContext.BaseDirectory, "xsend-serve");

    /// <summary>Starts xsend with redirected stdio (for tests that signal it mid-run); the caller reads and waits.</summary>
    /// <inheritdoc cref="RunAsync" path="/param"/>
    /// <param name="binary">Another program to run the same way (a symlink to xsend, the real sendxmpp, xsend-serve); default xsend.</param>
    /// <param name="environment">Variables set last (HOME for an rc file, XSEND_SERVE__...).</param>
    public static Process Start(
        IEnumerable<string> args, string? outbox = null, string? redirections = null, string? state = null,
        string? binary = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(redirections is null ? binary ?? BinaryPath : "/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (redirections is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"exec \"$0\" \"$@\" {redirections}");
            start.ArgumentList.Add(binary ?? BinaryPath);
        }
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = EmptyHome;
        start.Environment.Remove("XDG_CONFIG_HOME");
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("XSEND_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["XSEND_OUTBOX__DIRECTORY"] = outbox ?? Directory.CreateTempSubdirectory("xsend-outbox-").FullName;
        // Never the machine's /var/lib/xsend: runs of other test suites must not share tokens or locks.
        start.Environment["XSEND_STATE__DIRECTORY"] = state ?? Directory.CreateTempSubdirectory("xsend-state-").FullName;
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return Process.Start(start)!;
    }
}
