using System.Collections;

namespace XSend.Cli;

/// <summary>What the CLI reads from its process besides arguments, so tests can supply their own.</summary>
internal sealed record CliEnvironment
{
    /// <summary>Environment variables.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>Whether standard input is a terminal (then the body is never read from it).</summary>
    public required bool StdinIsTerminal { get; init; }

    /// <summary>The system-wide config file.</summary>
    public string SystemConfigPath { get; init; } = "/etc/xsend/appsettings.json";

    /// <summary>
    /// Whether a run that does not use the system roots may keep .NET from loading them
    /// (process-wide, so only for the real process).
    /// </summary>
    public bool LimitTrustStore { get; init; }

    /// <summary>Whether SIGINT/SIGTERM cancel the run (only for the real process).</summary>
    public bool HandleSignals { get; init; }

    /// <summary>The per-user config file: <c>$XDG_CONFIG_HOME/xsend/appsettings.json</c>, default <c>~/.config/xsend/</c>.</summary>
    public string? UserConfigPath
    {
        get
        {
            string? configHome = Variables.GetValueOrDefault("XDG_CONFIG_HOME");
            if (string.IsNullOrEmpty(configHome) || !Path.IsPathRooted(configHome))
            {
                string? home = Variables.GetValueOrDefault("HOME");
                if (string.IsNullOrEmpty(home))
                    return null;
                configHome = Path.Combine(home, ".config");
            }
            return Path.Combine(configHome, "xsend", "appsettings.json");
        }
    }

    /// <summary>Test seam: resolves host names instead of the system resolver (tests never leave loopback).</summary>
    public Func<string, CancellationToken, Task<System.Net.IPAddress[]>>? ResolveHost { get; init; }

    /// <summary>Test seam: opens outbox files for writing, so a test can fail them like a full disk.</summary>
    public Func<string, FileStreamOptions, Stream> OpenOutboxFile { get; init; } = (path, options) => new FileStream(path, options);

    /// <summary>The clock: timestamps of queued alerts, their expiry, and the client's timers. Tests pass their own.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Whether the process runs as root (the outbox then defaults to /var/spool/xsend).</summary>
    public bool IsPrivileged { get; init; }

    /// <summary>
    /// Where undeliverable alerts wait: /var/spool/xsend for root, otherwise
    /// <c>$XDG_STATE_HOME/xsend/outbox</c> (default <c>~/.local/state/xsend/outbox</c>).
    /// </summary>
    public string DefaultOutboxDirectory => IsPrivileged ? "/var/spool/xsend" : Path.Combine(StateHome, "xsend", "outbox");

    /// <summary>Where xsend keeps its state files: /var/lib/xsend for root, otherwise <c>$XDG_STATE_HOME/xsend</c>.</summary>
    public string DefaultStateDirectory => IsPrivileged ? "/var/lib/xsend" : Path.Combine(StateHome, "xsend");

    /// <summary>The user's state directory: <c>$XDG_STATE_HOME</c>, default <c>~/.local/state</c>.</summary>
    public string StateHome
    {
        get
        {
            string? stateHome = Variables.GetValueOrDefault("XDG_STATE_HOME");
            if (string.IsNullOrEmpty(stateHome) || !Path.IsPathRooted(stateHome))
                stateHome = Path.Combine(Variables.GetValueOrDefault("HOME") ?? Path.GetTempPath(), ".local", "state");
            return stateHome;
        }
    }

    /// <summary>The real process's environment.</summary>
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = (string?)entry.Value ?? "";
        return new CliEnvironment
        {
            Variables = variables,
            StdinIsTerminal = Platform.StandardStreams.InputClosed || !Console.IsInputRedirected, // closed: nothing to read
            HandleSignals = true,
            LimitTrustStore = true,
            IsPrivileged = Environment.IsPrivilegedProcess,
        };
    }
}
