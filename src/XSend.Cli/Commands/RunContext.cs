using System.Diagnostics;
using XSend.Cli.Configuration;
using XSend.Cli.Failures;
using XSend.Cli.Output;
using XSend.Cli.State;
using XSend.Xmpp;
using XSend.Xmpp.Logging;
using XSend.Xmpp.Tls;

namespace XSend.Cli.Commands;

/// <summary>Settings, client options and the deadline for one run, from the common options.</summary>
internal sealed record RunContext(SenderSettings Settings, XmppClientOptions ClientOptions, TimeSpan Timeout, StepNarrator? Narrator) : IDisposable
{
    /// <summary>The SASL2 user-agent id this run holds (never shared with a run at the same time).</summary>
    public UserAgentLease? UserAgent { get; init; }

    /// <summary>Where the account's strongest mechanism is remembered (--pin-mechanism), or null when off.</summary>
    public MechanismMemory? Mechanisms { get; init; }

    /// <summary>How long to wait for a delivery receipt (--wait-receipt).</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Loads settings (warning on stderr where due) and builds the client options.</summary>
    public static RunContext Prepare(ConnectionRequest request, CliEnvironment environment, TextWriter stderr, Stopwatch clock)
    {
        if (request.PasswordOnCommandLine)
        {
            stderr.WriteLine("xsend: warning: --password is visible to other users in ps and shell history; "
                + $"prefer --password-file or {ConfigKeys.EnvironmentName(ConfigKeys.Password)}");
        }
        if (request.RoomPasswordOnCommandLine)
        {
            stderr.WriteLine("xsend: warning: --room-password is visible to other users in ps and shell history; "
                + $"prefer --room-password-file or {ConfigKeys.EnvironmentName(ConfigKeys.RoomPassword)}");
        }
        // Config, password and CA files may be FIFOs or devices: their reads end at the deadline too.
        using var localReads = new CancellationTokenSource(request.Timeout ?? DefaultTimeout, environment.Time);
        SenderSettings settings = SettingsLoader.Load(environment, request.ConfigPath, request.SettingOverrides, stderr, localReads.Token);
        if (request.AllowPlaintext)
            stderr.WriteLine("xsend: warning: --allow-plaintext: the connection may be unencrypted");

        if (request.Insecure)
        {
            stderr.WriteLine("xsend: warning: --insecure: the server's certificate is NOT verified; anyone on the path can "
                + "impersonate the server and read the alert (PLAIN is refused; pin the key with --pin instead)");
        }

        // The system roots play no part with a CA file, pins or --insecure: do not pay for loading them.
        // Process-wide (setenv), so only here, before anything else runs: see ProcessTrustStore for why that is safe.
        if (environment.LimitTrustStore && (settings.CaFilePath is not null || settings.Pins is { Count: > 0 } || request.Insecure))
            Platform.ProcessTrustStore.LimitTo(settings.CaFilePath);

        var narrator = request.Verbose ? new StepNarrator(stderr, clock) : null;
        MechanismMemory? mechanisms = settings.PinMechanism ? new MechanismMemory(MechanismMemory.PathIn(settings.StateDirectory)) : null;
        string? floor = mechanisms is null ? null : Recall(mechanisms, settings.Account);
        UserAgentLease agent = UserAgentPool.Acquire(settings.StateDirectory, settings.Account, narrator is null ? null : narrator.Write);
        var options = new XmppClientOptions
        {
            Tls = request.AllowPlaintext ? TlsRequirement.Optional : TlsRequirement.Required,
            TrustedCertificates = settings.TrustedCertificates,
            PinnedKeys = settings.Pins,
            AcceptAnyCertificate = request.Insecure,
            RequireChannelBinding = settings.RequireChannelBinding,
            MinimumMechanism = floor,
            MinimumMechanismReason = floor is null ? null
                : $"which this account used before (remembered in {mechanisms!.Path}; delete its entry to accept the change)",
            // A one-off id (every slot busy) asks for no token: it would never be used again.
            FastTokens = settings.FastTokens && agent.Slot is not null ? new FastTokenStore(FastTokenStore.PathIn(settings.StateDirectory), agent.Id, stderr) : null,
            UserAgentId = agent.Id,
            DnsServer = settings.DnsServer,
            ResourcePrefix = settings.ResourcePrefix,
            ProtocolLogger = request.Debug ? new TextWriterProtocolLogger(stderr) : null,
            Progress = narrator,
            ResolveHost = environment.ResolveHost,
            TimeProvider = environment.Time,
        };
        return new RunContext(settings, options, request.Timeout ?? settings.Timeout ?? DefaultTimeout, narrator) { Mechanisms = mechanisms, UserAgent = agent };
    }

    /// <summary>Frees the user-agent slot.</summary>
    public void Dispose() => UserAgent?.Dispose();

    /// <summary>After a successful login: remembers its mechanism if pinning is on and it is the strongest yet.</summary>
    public void RememberMechanism(string? mechanism, TextWriter stderr)
    {
        if (Mechanisms is not null && mechanism is not null)
            Mechanisms.Remember(Settings.Account, mechanism, stderr);
    }

    private static string? Recall(MechanismMemory mechanisms, Jid account)
    {
        try
        {
            return mechanisms.Recall(account);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Refusing to guess: without the memory, a stripped offer would pass unnoticed.
            throw new CliException(ExitCodes.Config, $"cannot read the remembered login mechanisms in {mechanisms.Path}: {ex.Message}");
        }
    }

    /// <summary>The server to dial, or <see langword="null"/> to find it by SRV records.</summary>
    public ServerEndpoint? Server => Settings.Server;
}
