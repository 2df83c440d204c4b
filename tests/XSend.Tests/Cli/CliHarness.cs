using System.Diagnostics;
using System.Text;
using XSend.Cli;

namespace XSend.Tests.Cli;

/// <summary>The outcome of one in-process run of the CLI.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Stderr lines that are neither warnings nor protocol/verbose output.</summary>
    public string[] ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => !l.StartsWith("xsend: warning:", StringComparison.Ordinal)).ToArray();
}

/// <summary>Runs <see cref="XSendApp"/> in-process with its own environment: no real config files are read.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory.CreateDirectory(Home);
        Variables["XSEND_OUTBOX__DIRECTORY"] = OutboxDirectory; // never the real spool, even as root
    }

    public string OutboxDirectory => Path.Combine(Home, "outbox");

    /// <summary>The queued alert files.</summary>
    public string[] QueuedAlerts => Directory.Exists(OutboxDirectory) ? Directory.GetFiles(OutboxDirectory, "*.alert.json").Order().ToArray() : [];

    public string Home { get; } = Path.Combine(Path.GetTempPath(), "xsend-cli-" + Guid.NewGuid().ToString("N"));

    public string SystemConfigPath => Path.Combine(Home, "etc", "appsettings.json");

    public string UserConfigPath => Path.Combine(Home, ".config", "xsend", "appsettings.json");

    public Dictionary<string, string> Variables { get; } = new();

    /// <summary>The run's clock; the system's unless a test pins the date.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Opens outbox files for writing; a test replaces it to fail like a full disk.</summary>
    public Func<string, FileStreamOptions, Stream>? OpenOutboxFile { get; set; }

    /// <summary>Replaces DNS for the run (tests never query a real resolver).</summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? ResolveHost { get; set; }

    public string WriteFile(string relativePath, string content, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = Path.Combine(Home, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, mode);
        return path;
    }

    public CliEnvironment Environment(bool stdinIsTerminal)
    {
        var variables = new Dictionary<string, string>(Variables) { ["HOME"] = Home };
        return new CliEnvironment
        {
            Variables = variables, StdinIsTerminal = stdinIsTerminal, SystemConfigPath = SystemConfigPath, ResolveHost = ResolveHost,
            Time = Time,
            OpenOutboxFile = OpenOutboxFile ?? ((path, options) => new FileStream(path, options)),
        };
    }

    /// <summary>Runs the CLI. With <paramref name="stdin"/> null, stdin is a terminal.</summary>
    public async Task<CliResult> RunAsync(string[] args, byte[]? stdin = null, CancellationToken cancellationToken = default)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var clock = Stopwatch.StartNew();
        int code = await XSendApp.RunAsync(args, new MemoryStream(stdin ?? []), stdout, stderr, Environment(stdin is null), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60));
        return new CliResult(code, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    public Task<CliResult> RunAsync(string[] args, string stdin) => RunAsync(args, Encoding.UTF8.GetBytes(stdin));

    /// <summary>The whole command tree, for tests that read it rather than run it (its actions would write nowhere).</summary>
    public static System.CommandLine.RootCommand CommandTree() => XSend.Cli.Commands.XSendCommandLine.Build(new XSend.Cli.Commands.CliConsole(
        Stream.Null, TextWriter.Null, TextWriter.Null, new CliEnvironment { Variables = new Dictionary<string, string>(), StdinIsTerminal = true }));

    /// <summary>
    /// The common send: "disk full" from alice@xsend.test (<paramref name="password"/> in a 0600
    /// file) to bob@xsend.test with --no-outbox, and <paramref name="options"/> in between.
    /// </summary>
    public Task<CliResult> SendAlertAsync(string password, params string[] options)
    {
        string passwordFile = WriteFile("password", password + "\n");
        return RunAsync(["--jid", "alice@xsend.test", "--password-file", passwordFile, "--no-outbox", .. options, "bob@xsend.test", "disk", "full"]);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
