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
    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? limit = null, string? outbox = null)
    {
        var clock = Stopwatch.StartNew();
        using Process process = Start(args, outbox);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
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

    /// <summary>Starts xsend with redirected stdio (for tests that signal it mid-run); the caller reads and waits.</summary>
    public static Process Start(IEnumerable<string> args, string? outbox = null)
    {
        var start = new ProcessStartInfo(BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["HOME"] = EmptyHome;
        start.Environment.Remove("XDG_CONFIG_HOME");
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("XSEND_", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(name);
        start.Environment["XSEND_OUTBOX__DIRECTORY"] = outbox ?? Directory.CreateTempSubdirectory("xsend-outbox-").FullName;
        return Process.Start(start)!;
    }
}
