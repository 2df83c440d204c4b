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

    /// <summary>Runs xsend; its outbox is <paramref name="outbox"/>, or a fresh empty directory.</summary>
    /// <param name="redirections">Shell redirections applied to xsend itself (e.g. <c>&lt;&amp;- 2&gt;&amp;-</c>
    /// to close stdin and stderr): xsend is then started by /bin/sh with them.</param>
    /// <param name="onOutputLine">Called with each stdout line as it is printed (to wait for an event, not a guessed time).</param>
    public static async Task<ProcessResult> RunAsync(
        IEnumerable<string> args, string? stdin = null, TimeSpan? limit = null, string? outbox = null, string? redirections = null,
        Action<string>? onOutputLine = null)
    {
        var start = new ProcessStartInfo(redirections is null ? BinaryPath : "/bin/sh")
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
            start.ArgumentList.Add(BinaryPath);
        }
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = EmptyHome;
        start.Environment.Remove("XDG_CONFIG_HOME");
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("XSEND_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["XSEND_OUTBOX__DIRECTORY"] = outbox ?? Directory.CreateTempSubdirectory("xsend-outbox-").FullName;

        var clock = Stopwatch.StartNew();
        using Process process = Process.Start(start)!;
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
}
